"""PDF workers: real WeasyPrint renders in worker processes, handed out longest first, and
never left running after the build that started them has gone."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pikepdf

from policypress.engine.pdfs import PdfJob
from policypress.engine.workers import LongestFirst, Workers

HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
</head><body><h1>{title}</h1>{body}</body></html>"""


def job(n: int, paragraphs: int, folder: Path) -> PdfJob:
    body = "".join(f"<p>Paragraph {k}.</p>" for k in range(paragraphs))
    html = HTML.format(title=f"Document {n}", body=body)
    return PdfJob(f"d{n}.pdf", "pdf", "p", "en", "standard", html, str(n), folder, cost=len(html))


def test_the_longest_waiting_document_goes_first() -> None:
    waiting = LongestFirst()
    for n, size in enumerate((2, 40, 10, 40)):
        waiting.push(job(n, size, Path()), n)
    order = []
    while waiting:
        order.append(waiting.pop()[1])
    assert order == [1, 3, 2, 0]  # ties keep their planned order


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
    """The processes whose environment holds ``marker`` (the build, its workers' parent and the
    workers all inherit it)."""
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
        # The build, the workers' parent and two workers: the PDFs are being rendered.
        assert wait_for(lambda: len(processes_with(marker)) >= 4, 60)
    finally:
        process.send_signal(signal.SIGKILL)  # only the build: nothing else is told
        process.wait()
    assert wait_for(lambda: not processes_with(marker), 10), processes_with(marker)
    assert leftovers(temp) == []


def test_a_build_with_nothing_to_render_starts_no_worker_process(project: Path) -> None:
    script = (
        "import sys; from pathlib import Path; from multiprocessing import forkserver; "
        "from policypress.engine.build import BuildOptions, build_site; "
        f"root = Path({str(project)!r}); "
        "build_site(root, BuildOptions(output=root / 'output', jobs=2)); "
        "print(forkserver._forkserver._forkserver_pid is not None)"
    )

    def started_workers() -> bool:
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        )
        return result.stdout.strip() == "True"

    assert started_workers()  # the first build renders every PDF
    assert not started_workers()  # nothing changed: nothing to start
    policy = next((project / "content").glob("*.md"))
    policy.write_text(policy.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    assert started_workers()  # an edit: started as the build begins


def test_the_workers_parent_is_replaced_when_the_pdf_code_changes() -> None:
    """The preview keeps the workers' parent between builds; if WeasyPrint or the PDF code is
    changed on disk meanwhile, a new one must load it (the old one would file PDFs made by the
    old code under the new code's cache keys)."""
    script = """
import os
from multiprocessing import forkserver
from policypress.engine import workers
server = forkserver._forkserver
workers.start_worker_parent()
first = server._forkserver_pid
workers.start_worker_parent()
kept = server._forkserver_pid == first
workers.renderer_fingerprint = lambda: ("WeasyPrint upgraded",)
workers.start_worker_parent()
second = server._forkserver_pid
try:
    os.kill(first, 0)
    first_gone = False
except ProcessLookupError:
    first_gone = True
print(kept, second not in (None, first), first_gone)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split() == ["True", "True", "True"]
