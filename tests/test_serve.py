"""The preview server: it never serves outside the output, and it recovers from a bad save."""

from __future__ import annotations

from pathlib import Path

from policypress.engine.options import PdfMode
from policypress.serve import LiveChannel, Rebuilder, is_editor_temp_file, is_input, safe_path
from tests.conftest import write


def test_requests_cannot_leave_the_site_folder(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site / "index.html", "home")
    write(tmp_path / "secret.txt", "secret")
    (site / "link").symlink_to(tmp_path / "secret.txt")
    assert safe_path(site, "/p/index.html", "/p/") == (site / "index.html").resolve()
    assert safe_path(site, "/p/", "/p/") == (site / "index.html").resolve()
    for attack in (
        "/p/../secret.txt",
        "/p/%2e%2e/secret.txt",
        "/p/..%2fsecret.txt",
        "/p/link",
        "/secret.txt",
        "/p/%5c..%5csecret.txt",
    ):
        assert safe_path(site, attack, "/p/") is None, attack


def test_editor_temporary_files_are_ignored() -> None:
    for name in (".policy.md.swp", "policy.md~", "#policy.md#", "4913", ".~lock.policy.md#"):
        assert is_editor_temp_file(f"/x/content/{name}")
    assert not is_editor_temp_file("/x/content/policy.md")


def test_a_failed_rebuild_is_reported_and_recovers(project: Path) -> None:
    channel = LiveChannel()
    events = channel.subscribe()
    messages: list[str] = []
    rebuilder = Rebuilder(project, project / "output", channel, messages.append, pdf=False)
    assert rebuilder.build(PdfMode.NONE)
    good = (project / "output" / "site" / "index.html").read_bytes()
    policy = project / "content" / "behaviour-policy.md"
    original = policy.read_text()
    policy.write_text(original.replace('version: "2"', "version: [2"))
    rebuilder.rebuild()
    assert "content/behaviour-policy.md" in messages[-1]
    assert "error-report" in events.get_nowait()
    assert (project / "output" / "site" / "index.html").read_bytes() == good
    policy.write_text(original.replace("kind", "kind and fair"))
    rebuilder.rebuild()
    assert "Fixed" in " ".join(messages)
    assert (
        "kind and fair"
        in (project / "output" / "site" / "behaviour-policy" / "index.html").read_text()
    )
    assert "reload" in events.get_nowait()


def test_safe_path_refuses_names_no_file_can_have(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site / "index.html", "home")
    for attack in ("/p/" + "a" * 256, "/p/" + "a" * 300 + "/x", "/p/" + "ab/" * 3000, "/p/a%00b"):
        assert safe_path(site, attack, "/p/") is None, attack[:20]


def test_a_page_that_connects_after_a_failed_build_gets_the_error(project: Path) -> None:
    channel = LiveChannel()
    rebuilder = Rebuilder(project, project / "output", channel, lambda _: None, pdf=False)
    assert rebuilder.build(PdfMode.NONE)
    assert channel.subscribe().empty()
    policy = project / "content" / "behaviour-policy.md"
    original = policy.read_text()
    policy.write_text(original.replace('version: "2"', "version: [2"))
    assert not rebuilder.build(PdfMode.NONE)
    for _ in range(2):  # each page load, not only the first
        first = channel.subscribe().get_nowait()
        assert first.startswith("event: error-report") and "content/behaviour-policy.md:" in first
    policy.write_text(original)
    assert rebuilder.build(PdfMode.NONE)
    assert channel.subscribe().empty()


def test_only_changes_to_the_inputs_trigger_a_rebuild(tmp_path: Path) -> None:
    root = tmp_path / "school"
    for path in (
        "content/a.md",
        "content/leaflets/a.md",
        "templates/base.html",
        "policypress.toml",
    ):
        assert is_input(root, str(root / path)), path
    for path in ("", "output", "output/site/index.html", ".policypress-cache/x", "notes.txt"):
        assert not is_input(root, str(root / path)), path
    assert not is_input(root, str(tmp_path / "content" / "a.md"))
