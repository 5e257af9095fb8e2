"""PDF workers: real WeasyPrint renders in worker processes, handed over longest first, and
never left running after the build that started them has gone."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest

from policypress.engine import workers as workers_module
from policypress.engine.build import BuildOptions, build_site
from policypress.engine.fingerprint import PACKAGE
from policypress.engine.pdfs import PdfJob
from policypress.engine.workers import Workers, longest_first
from policypress.serve import LiveChannel, Rebuilder

HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
</head><body><h1>{title}</h1>{body}</body></html>"""


def job(n: int, paragraphs: int, folder: Path) -> PdfJob:
    body = "".join(f"<p>Paragraph {k}.</p>" for k in range(paragraphs))
    html = HTML.format(title=f"Document {n}", body=body)
    return PdfJob(f"d{n}.pdf", "pdf", "p", "en", "standard", html, str(n), folder, cost=len(html))


def test_the_longest_document_is_handed_over_first() -> None:
    jobs = [job(n, size, Path()) for n, size in enumerate((2, 40, 10, 40))]
    assert longest_first(jobs) == [1, 3, 2, 0]  # ties keep their planned order


def test_two_workers_return_each_result_to_its_own_document(tmp_path: Path) -> None:
    jobs = [job(n, size, tmp_path) for n, size in enumerate((2, 60, 10, 30))]
    with Workers("", 2, tmp_path.as_uri() + "/") as workers:
        results = workers.render(jobs)
    titles = []
    for result in results:
        with pikepdf.open(io.BytesIO(result.data)) as pdf:
            titles.append(str(pdf.docinfo["/Title"]))
    assert titles == ["Document 0", "Document 1", "Document 2", "Document 3"]
    assert results[1].pages > results[0].pages


def processes_with(marker: str) -> list[int]:
    """The processes whose environment holds ``marker`` (the build, multiprocessing's resource
    tracker and the workers all inherit it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if f"PP_TEST_MARKER={marker}".encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def wait_for(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def leftovers(temp: Path) -> list[str]:
    """What policypress or WeasyPrint left in the temporary folder."""
    return sorted(p.name for p in temp.iterdir() if p.name.startswith(("policypress-", "weasy")))


@pytest.mark.slow  # renders every PDF in a new process, with two workers
def test_a_build_leaves_no_temporary_files(project: Path, tmp_path: Path) -> None:
    """WeasyPrint copies the fonts into a temporary folder in each worker; the workers end
    without the clean-up that would delete them, so the build deletes them (1.5 MB a worker)."""
    marker, temp = uuid.uuid4().hex, tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "PP_TEST_MARKER": marker, "TMPDIR": str(temp)}
    subprocess.run(
        [sys.executable, "-m", "policypress", "build", "-C", str(project), "--jobs", "2"],
        capture_output=True,
        env=env,
        check=True,
    )
    assert wait_for(lambda: not processes_with(marker), 10)
    assert leftovers(temp) == []


def test_killing_a_build_takes_its_pdf_workers_with_it(project: Path, tmp_path: Path) -> None:
    """A build killed while its workers render (the terminal closed, a kill) leaves no worker
    process behind, where a pool's workers would otherwise wait for work for ever, and no
    temporary files."""
    marker, temp = uuid.uuid4().hex, tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "PP_TEST_MARKER": marker, "TMPDIR": str(temp)}
    process = subprocess.Popen(
        [sys.executable, "-m", "policypress", "build", "-C", str(project), "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        # The build, multiprocessing's resource tracker and two workers: PDFs are on their way.
        assert wait_for(lambda: len(processes_with(marker)) >= 4, 60)
    finally:
        process.send_signal(signal.SIGKILL)  # only the build: nothing else is told
        process.wait()
    assert wait_for(lambda: not processes_with(marker), 10), processes_with(marker)
    assert leftovers(temp) == []


@pytest.mark.slow  # renders PDFs in more than one build
def test_a_build_with_nothing_to_render_starts_no_worker_process(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pools: list[object] = []

    class CountedPool(workers_module.ProcessPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pools.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(workers_module, "ProcessPoolExecutor", CountedPool)

    def started_workers() -> bool:
        before = len(pools)
        build_site(project, BuildOptions(output=project / "output", jobs=2))
        return len(pools) > before

    assert started_workers()  # the first build renders every PDF
    assert not started_workers()  # nothing changed: nothing to start
    policy = next((project / "content").glob("*.md"))
    policy.write_text(policy.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    assert started_workers()  # an edit: its PDFs are rendered


def test_a_process_whose_code_changed_on_disk_refuses_to_render_pdfs(
    project: Path, tmp_path: Path
) -> None:
    """The preview runs for hours; if policypress or WeasyPrint is changed on disk meanwhile,
    new workers would load the new code and file its PDFs under keys made from the old."""
    packages = tmp_path / "packages"
    shutil.copytree(PACKAGE, packages / "policypress", ignore=shutil.ignore_patterns("__pycache__"))
    script = f"""
from pathlib import Path
from policypress.engine.build import BuildOptions, build_site
from policypress.engine.fingerprint import package_fingerprint
from policypress.errors import PolicyError
root = Path({str(project)!r})
package_fingerprint()
urls = Path({str(packages / "policypress" / "render" / "urls.py")!r})
urls.write_text(urls.read_text(encoding="utf-8") + "# an upgrade\\n", encoding="utf-8")
try:
    build_site(root, BuildOptions(output=root / "output", jobs=2))
except PolicyError as error:
    print(error.format())
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(packages)},
        cwd=packages,
        check=True,
        timeout=120,
    )
    assert "changed on disk after this process started" in result.stdout
    assert "start it again" in result.stdout
    assert not (project / "output").exists()


@pytest.mark.slow
def test_the_preview_renders_the_changed_pdfs_in_the_background(project: Path) -> None:
    channel = LiveChannel()
    events = channel.subscribe()
    messages: list[str] = []
    rebuilder = Rebuilder(project, project / "output", channel, messages.append, pdf=True)
    assert rebuilder.build("all")
    pdf = project / "output" / "site" / "behaviour-policy" / "behaviour-policy-en.pdf"
    before = pdf.read_bytes()
    policy = project / "content" / "behaviour-policy.md"
    policy.write_text(policy.read_text(encoding="utf-8").replace("kind", "kind and fair"), "utf-8")
    rebuilder.rebuild()  # the pages at once, then the PDFs, then the pages again
    sent = [events.get_nowait() for _ in range(events.qsize())]
    kinds = [line.split("\n")[0] for line in sent]
    # Over the page: how far the PDFs are (the start, then one per document), then "ready".
    assert kinds == ["event: reload"] + ["event: progress"] * 4 + ["event: pdfs"], messages
    assert "0 of 3 done" in sent[1] and "3 of 3 done" in sent[4]
    assert "Preparing 3 PDFs in the background." in messages
    assert pdf.read_bytes() != before
    with pdfplumber.open(pdf) as document:
        text = " ".join(page.extract_text() for page in document.pages)
    assert "kind and fair" in " ".join(text.split())
