"""The writer: it replaces or deletes only its own builds, publishes copies that match the
manifest byte for byte, and reuses nothing from the cache without checking it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from policypress.cli import cli
from policypress.engine.cache import ObjectCache
from policypress.engine.lock import output_lock
from policypress.engine.writer import MANIFEST, MARKER
from policypress.errors import PolicyError
from tests.conftest import CONFIG, build, write

WEB_APP_MANIFEST = {
    "name": "St Test's Primary School",
    "short_name": "St Test's",
    "start_url": "/",
    "display": "standalone",
    "icons": [{"src": "images/x.png", "sizes": "192x192", "type": "image/png"}],
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def assert_matches_manifest(output: Path) -> None:
    """The published site is exactly what manifest.json lists, byte for byte, and no half-built
    folder is left beside it."""
    manifest = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    site = output / "site"
    listed = {entry["path"]: entry for entry in manifest["files"]}
    found = {p.relative_to(site).as_posix() for p in site.rglob("*") if not p.is_dir()}
    assert found == set(listed)
    for path, entry in listed.items():
        data = (site / path).read_bytes()
        assert len(data) == entry["size"], path
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], path
    assert (output / MARKER).is_file()
    leftovers = [
        p.name for p in output.parent.iterdir() if ".staging-" in p.name or ".old-" in p.name
    ]
    assert leftovers == []


@pytest.fixture
def web_root(tmp_path: Path) -> Path:
    """A school web root that has a web-app manifest.json of its own."""
    folder = tmp_path / "www"
    write(folder / "index.html", "<!doctype html><title>St Test's</title><h1>Welcome</h1>\n")
    write(folder / "manifest.json", json.dumps(WEB_APP_MANIFEST, indent=2))
    (folder / "images").mkdir()
    (folder / "images" / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / "governors-minutes.pdf").write_bytes(b"%PDF-1.7\n% minutes of 12 May\n%%EOF\n")
    return folder


def test_a_web_root_with_its_own_manifest_is_never_built_over(
    runner: CliRunner, project: Path, web_root: Path
) -> None:
    before = snapshot(web_root)
    result = runner.invoke(cli, ["build", "-C", str(project), "--no-pdf", "-o", str(web_root)])
    assert result.exit_code == 1
    assert "holds files that policypress did not make" in result.output
    assert "will not replace it" in result.output
    assert "Build into an empty or new folder" in result.output
    assert "Traceback" not in result.output
    assert snapshot(web_root) == before
    assert sorted(p.name for p in web_root.parent.iterdir()) == [
        ".www.policypress-lock",
        "school",
        "www",
    ]


def test_a_web_root_with_its_own_manifest_is_never_cleaned(
    runner: CliRunner, project: Path, web_root: Path
) -> None:
    before = snapshot(web_root)
    result = runner.invoke(cli, ["clean", "-C", str(project), "-o", str(web_root)])
    assert result.exit_code == 1
    assert "holds files that policypress did not make" in result.output
    assert "will not delete it" in result.output
    assert "delete the folder yourself" in result.output
    assert snapshot(web_root) == before


def test_a_folder_built_by_another_project_is_refused(
    runner: CliRunner, project: Path, tmp_path: Path
) -> None:
    shared = tmp_path / "shared-output"
    assert runner.invoke(cli, ["build", "-C", str(project), "--no-pdf", "-o", str(shared)])
    assert (shared / MARKER).is_file()
    before = snapshot(shared)
    other = tmp_path / "other-school"
    write(other / "policypress.toml", CONFIG)
    write(other / "content" / "uniform.md", "---\ntitle: Uniform Policy\n---\n\nBlue.\n")
    for command in ("build", "clean"):
        args = [command, "-C", str(other), "-o", str(shared)]
        result = runner.invoke(cli, [*args, "--no-pdf"] if command == "build" else args)
        assert result.exit_code == 1, command
        assert "holds a build of another policypress project" in result.output
        assert snapshot(shared) == before


def test_an_empty_or_missing_folder_is_built_into_and_its_own_build_is_replaced(
    project: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    build(project, empty, pdf_mode="none")
    assert_matches_manifest(empty)
    build(project, tmp_path / "new" / "deeper", pdf_mode="none")
    assert_matches_manifest(tmp_path / "new" / "deeper")
    policy = project / "content" / "behaviour-policy.md"
    policy.write_text(policy.read_text().replace("kind", "kind and fair"))
    assert build(project, empty, pdf_mode="none").changed
    assert "kind and fair" in (empty / "site" / "behaviour-policy" / "index.html").read_text()


def test_the_own_build_stays_its_own_when_the_cache_is_deleted(project: Path) -> None:
    build(project, pdf_mode="none")
    shutil.rmtree(project / ".cache")
    policy = project / "content" / "behaviour-policy.md"
    policy.write_text(policy.read_text().replace("kind", "kind and fair"))
    assert build(project, pdf_mode="none").changed  # same project folder: still its build
    assert_matches_manifest(project / "output")


def test_an_untouched_build_by_an_earlier_version_is_taken_over_once(project: Path) -> None:
    output = project / "output"
    build(project, pdf_mode="none")
    (output / MARKER).unlink()  # what version 0.1 left: a manifest and the site, no mark
    shutil.rmtree(project / ".cache")  # and no project id
    site = snapshot(output / "site")
    build(project, pdf_mode="none")
    assert (output / MARKER).is_file()
    assert snapshot(output / "site") == site
    policy = project / "content" / "behaviour-policy.md"
    policy.write_text(policy.read_text().replace("kind", "kind and fair"))
    assert build(project, pdf_mode="none").changed
    assert_matches_manifest(output)


@pytest.mark.parametrize("damage", ["extra file", "edited file", "missing file"])
def test_an_earlier_build_that_does_not_match_its_manifest_is_refused(
    project: Path, damage: str
) -> None:
    output = project / "output"
    build(project, pdf_mode="none")
    (output / MARKER).unlink()
    shutil.rmtree(project / ".cache")
    page = output / "site" / "index.html"
    if damage == "extra file":
        write(output / "site" / "minutes.txt", "Governors' minutes\n")
    elif damage == "edited file":
        page.write_text(page.read_text().replace("Behaviour", "Behavior"))
    else:
        page.unlink()
    before = snapshot(output)
    with pytest.raises(PolicyError, match="did not make"):
        build(project, pdf_mode="none")
    assert snapshot(output) == before


def test_only_our_own_leftovers_beside_the_output_are_cleared(project: Path) -> None:
    build(project, pdf_mode="none")
    theirs = project / ".output.staging-mine"
    write(theirs / "notes.txt", "someone's notes\n")
    ours = project / ".output.old-12345-abcd"
    shutil.copytree(project / "output", ours)  # a build moved aside, then the process died
    empty = project / ".output.staging-999-x"
    empty.mkdir()  # a build killed before it wrote anything
    policy = project / "content" / "behaviour-policy.md"
    policy.write_text(policy.read_text().replace("kind", "kind and fair"))
    build(project, pdf_mode="none")
    assert (theirs / "notes.txt").read_text() == "someone's notes\n"
    assert not ours.exists() and not empty.exists()


def test_published_files_are_copies_not_links_into_the_cache(project: Path) -> None:
    result = build(project, pdf_mode="none")
    cache = ObjectCache(project / ".cache")
    for path, facts in result.files.items():
        published = (project / "output" / "site" / path).stat()
        assert published.st_nlink == 1, path
        assert published.st_ino != cache.object_path(facts.sha256).stat().st_ino
        assert published.st_mode & 0o644 == 0o644


@pytest.mark.parametrize("same_size", [True, False])
def test_a_published_file_edited_in_place_is_restored(project: Path, same_size: bool) -> None:
    output = project / "output"
    build(project, pdf_mode="none")
    page = output / "site" / "behaviour-policy" / "index.html"
    good = page.read_bytes()
    before = page.stat()
    with page.open("r+b") as handle:  # in place, as some editors and upload tools do
        edit = good.replace(b"We expect", b"We demand" if same_size else b"We insist that")
        assert edit != good
        handle.write(edit)
        handle.truncate()
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))  # even the time kept
    assert (page.stat().st_size == before.st_size) == same_size
    result = build(project, pdf_mode="none")
    assert result.changed
    assert page.read_bytes() == good
    assert_matches_manifest(output)
    shutil.rmtree(output)
    build(project, pdf_mode="none")
    assert page.read_bytes() == good
    assert_matches_manifest(output)


@pytest.mark.slow  # renders PDFs in more than one build
def test_a_damaged_cache_object_is_not_reused_but_made_again(project: Path) -> None:
    output = project / "output"
    first = build(project)
    assert first.rendered == 3
    pdf = next(f for f in first.files.values() if f.kind == "pdf")
    cache = ObjectCache(project / ".cache")
    damaged = cache.object_path(pdf.sha256)
    good = damaged.read_bytes()
    damaged.chmod(0o644)
    middle = len(good) // 2
    damaged.write_bytes(good[:middle] + bytes([good[middle] ^ 1]) + good[middle + 1 :])
    page = next(f for f in first.files.values() if f.path == "behaviour-policy/index.html")
    cache.object_path(page.sha256).chmod(0o644)
    cache.object_path(page.sha256).write_bytes(b"<p>not the page</p>\n")
    published = {f.sha256 for f in first.files.values()}
    for key_file in (project / ".cache" / "keys").rglob("*"):  # every memoised view, too
        if key_file.is_file() and key_file.read_text().strip() not in published:
            target = cache.object_path(key_file.read_text().strip())
            if target.exists():
                target.chmod(0o644)
                target.write_bytes(b"garbage")
    # The output is intact, so the build stamp would rightly skip the next build: forget it.
    shutil.rmtree(project / ".cache" / "stamps")
    again = build(project)
    assert (again.rendered, again.reused) == (1, 2)
    assert again.files == first.files
    assert (output / "site" / pdf.path).read_bytes() == good
    assert damaged.read_bytes() == good
    assert_matches_manifest(output)


def test_a_second_build_waits_for_the_first_and_says_so(project: Path) -> None:
    output = project / "output"
    messages: list[str] = []
    with output_lock(output):
        waiting = threading.Thread(
            target=lambda: build(project, pdf_mode="none", on_wait=messages.append)
        )
        waiting.start()
        deadline = time.monotonic() + 30
        while not messages and time.monotonic() < deadline:
            time.sleep(0.01)
        assert messages == [f"waiting for another build of {output} to finish…"]
        time.sleep(0.2)
        assert not output.exists()  # still waiting
    waiting.join(timeout=60)
    assert_matches_manifest(output)


def test_the_lock_of_a_killed_build_is_not_stale(project: Path) -> None:
    output = project / "output"
    script = (
        "import sys, time; from pathlib import Path; "
        "from policypress.engine.lock import output_lock; "
        f"lock = output_lock(Path({str(output)!r})); lock.__enter__(); "
        "print('held', flush=True); time.sleep(600)"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        holder.kill()
    messages: list[str] = []
    build(project, pdf_mode="none", on_wait=messages.append)
    assert messages == []
    assert_matches_manifest(output)
