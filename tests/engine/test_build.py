"""The engine: the cache, atomic publishing, determinism."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policypress.engine.writer import MARKER
from policypress.errors import PolicyError
from policypress.layout import DEFAULT_TEMPLATES
from tests.conftest import build, write


def snapshot(output: Path) -> dict[str, bytes]:
    return {
        p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file()
    }


@pytest.mark.slow  # renders PDFs in more than one build
def test_unchanged_inputs_are_reused_and_an_edit_rerenders_only_its_pdfs(project: Path) -> None:
    write(project / "content" / "uniform.md", "---\ntitle: Uniform Policy\n---\n\nBlue jumpers.\n")
    first = build(project)
    assert (first.rendered, first.reused) == (6, 0)
    again = build(project)
    assert (again.rendered, again.reused, again.changed) == (0, 6, False)
    policy = project / "content" / "uniform.md"
    policy.write_text(policy.read_text().replace("Blue", "Green"))
    edited = build(project)
    assert (edited.rendered, edited.reused) == (3, 3)
    text = (project / "output" / "site" / "uniform" / "index.html").read_text()
    assert "Green jumpers." in text


def test_a_failing_build_leaves_the_last_good_output_byte_for_byte(project: Path) -> None:
    build(project, pdf_mode="none")
    before = snapshot(project / "output")
    write(project / "content" / "bad.md", "---\ntitle: [unclosed\n---\n")
    with pytest.raises(PolicyError):
        build(project, pdf_mode="none")
    assert snapshot(project / "output") == before
    assert not [p for p in project.iterdir() if ".staging-" in p.name]


@pytest.mark.slow  # renders PDFs in more than one build
def test_two_builds_from_the_same_inputs_are_identical(project: Path, tmp_path: Path) -> None:
    build(project, tmp_path / "one", cache_dir=tmp_path / "cache-one")
    time.sleep(1.1)  # a different clock second must not show in any file
    build(project, tmp_path / "two", cache_dir=tmp_path / "cache-two")
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    # The mark names the cache's project id (random, made once per cache); it is never uploaded.
    assert one.pop(MARKER) != two.pop(MARKER)
    assert one == two


def test_a_build_killed_part_way_leaves_the_previous_output(project: Path) -> None:
    build(project, pdf_mode="none")
    before = snapshot(project / "output")
    write(project / "content" / "extra.md", "---\ntitle: Extra\n---\n\nMore text.\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "policypress", "build", "-C", str(project), "--jobs", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    cache = project / ".policypress-cache" / "keys"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if cache.exists() and any(cache.rglob("*")):
            break  # at least one PDF is done: we are in the middle of the PDFs
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert snapshot(project / "output") == before


@pytest.mark.slow  # builds in new processes
def test_builds_that_render_no_pdf_never_import_weasyprint(project: Path) -> None:
    build(project)  # fill the cache
    script = (
        "import sys; from pathlib import Path; "
        "from policypress.engine.build import BuildOptions, build_site; "
        f"root = Path({str(project)!r}); "
        "build_site(root, BuildOptions(output=root / 'output', cache_dir=root / '.cache')); "
        "build_site(root, BuildOptions(output=root / 'o2', pdf_mode='none')); "
        "print('weasyprint' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_the_preview_rebuild_keeps_the_last_pdfs_until_new_ones_are_ready(project: Path) -> None:
    first = build(project)
    pdfs = {p: f.sha256 for p, f in first.files.items() if f.kind == "pdf"}
    policy = project / "content" / "behaviour-policy.md"
    policy.write_text(policy.read_text().replace("kind", "kind and fair"))
    quick = build(project, pdf_mode="previous")
    assert quick.rendered == 0
    assert {p: f.sha256 for p, f in quick.files.items() if f.kind == "pdf"} == pdfs
    page = (project / "output" / "site" / "behaviour-policy" / "index.html").read_text()
    assert "kind and fair" in page
    assert "Standard PDF" in page


def test_compiled_templates_are_kept_for_the_next_process_and_an_edited_one_is_seen(
    project: Path,
) -> None:
    """A new process loads the templates compiled by the last one (a tenth of a second saved
    on every build from the command line), but never a compiled copy of an old version."""
    shipped_404 = (DEFAULT_TEMPLATES / "404.html").read_text(encoding="utf-8")
    own_404 = project / "templates" / "404.html"

    def build_404(marker: str) -> str:
        write(own_404, shipped_404.replace("{% block main %}", "{% block main %}" + marker, 1))
        subprocess.run(
            [sys.executable, "-m", "policypress", "build", "-C", str(project), "--no-pdf"],
            capture_output=True,
            check=True,
        )
        return (project / "output" / "site" / "404.html").read_text(encoding="utf-8")

    assert "FIRST-VERSION" in build_404("FIRST-VERSION")
    (compiled,) = (project / ".policypress-cache").glob("templates-*")
    assert len(list(compiled.iterdir())) >= 5
    page = build_404("SECOND-VERSION")
    assert "SECOND-VERSION" in page and "FIRST-VERSION" not in page
