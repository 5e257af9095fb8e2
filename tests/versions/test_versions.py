"""Released versions: the archive the release command writes, the pages of superseded versions at
their permanent addresses, the change history, "What changed" and the feed."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from policypress.cli import cli
from policypress.content.reader import read_project
from policypress.engine.build import BuildResult
from policypress.lint import run_checks
from policypress.versions.archive import read_history
from policypress.versions.diff import sections_of
from tests.conftest import REPO, build
from tests.versions.conftest import (
    LANGUAGES,
    MARKS,
    PDF_LANGUAGES,
    RELEASES,
    SLUG,
    V1,
    V1_1,
    V1_2,
)
from tests.versions.test_superseded_files import NOTICE, pdf_text

ALL = ("en", *LANGUAGES)


def manifest(output: Path) -> dict[str, dict[str, object]]:
    data = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    return {f["path"]: f for f in data["files"]}


def prefix(lang: str) -> str:
    return "" if lang == "en" else f"{lang}/"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def main_text(html: str) -> str:
    parser = _Text()
    parser.feed(html.split("<main", 1)[1].split("</main>", 1)[0])
    return " ".join(" ".join(parser.parts).split())


# -- the archive and the release command -----------------------------------------------------
def test_release_keeps_each_version_with_its_record(history_project: Path) -> None:
    versions = read_history(history_project, SLUG)
    assert [v.version for v in versions] == ["1.0", "1.1", "1.2"]
    assert [v.record.note for v in versions] == [note for _, _, note, _, _ in RELEASES]
    assert [v.record.change for v in versions] == ["minor", "minor", "major"]
    assert all(v.record.approved_by == "Full Governing Body" for v in versions)
    assert versions[1].record.approved_on is not None
    assert versions[1].record.approved_on.isoformat() == "2025-06-20"
    # each snapshot holds the text as it was released, and its translations
    assert versions[0].policy.body.strip() == V1.strip()
    assert versions[1].policy.body.strip() == V1_1.strip()
    assert set(versions[0].translations) == set(LANGUAGES)


def test_release_edits_only_the_version_line(copy_history: Callable[[], Path]) -> None:
    root = copy_history()
    source = root / "content" / f"{SLUG}.md"
    before = source.read_text(encoding="utf-8").replace("Amounts", "How much")
    source.write_text(before, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["release", SLUG, "--version", "1.3", "--note", "Renamed.", "--root", str(root)]
    )
    assert result.exit_code == 0, result.output
    after = source.read_text(encoding="utf-8")
    assert after == before.replace('version: "1.2"', 'version: "1.3"')
    assert (root / "archive" / SLUG / "1.3" / f"{SLUG}.md").read_text(encoding="utf-8") == after


def test_release_refuses_a_version_already_released(copy_history: Callable[[], Path]) -> None:
    root = copy_history()
    result = CliRunner().invoke(
        cli, ["release", SLUG, "--version", "1.1", "--note", "Again.", "--root", str(root)]
    )
    assert result.exit_code == 1
    assert "version 1.1 of homework-policy has already been released" in result.output
    assert "Traceback" not in result.output


def test_check_errors_when_the_version_changed_without_a_release(
    copy_history: Callable[[], Path],
) -> None:
    root = copy_history()
    source = root / "content" / f"{SLUG}.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace('version: "1.2"', 'version: "1.3"'),
        encoding="utf-8",
    )
    errors = [f for f in run_checks(root) if f.severity == "error"]
    assert len(errors) == 1
    assert errors[0].path == source
    assert errors[0].line == 4  # the version line
    assert "version 1.3 has not been released" in errors[0].message
    assert "policypress release homework-policy --version 1.3" in (errors[0].hint or "")
    result = CliRunner().invoke(cli, ["check", "--root", str(root)])
    assert result.exit_code == 1
    assert f"content/{SLUG}.md:4: version 1.3 has not been released" in result.output


def test_check_reports_a_broken_record_with_its_line(copy_history: Callable[[], Path]) -> None:
    root = copy_history()
    record = root / "archive" / SLUG / "1.1" / "release.toml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace('change = "minor"', 'change = "small"'), encoding="utf-8")
    errors = [f for f in run_checks(root) if f.severity == "error"]
    line = text.split("\n").index('change = "minor"') + 1
    assert [(e.path, e.line) for e in errors] == [(record, line)]
    assert 'change must be "major" or "minor"' in errors[0].message


def test_check_reports_an_archived_version_without_its_text(
    copy_history: Callable[[], Path],
) -> None:
    root = copy_history()
    (root / "archive" / SLUG / "1.0" / f"{SLUG}.md").unlink()
    errors = [f for f in run_checks(root) if f.severity == "error"]
    assert len(errors) == 1
    assert "the archived version 1.0 has no homework-policy.md" in errors[0].message


def test_a_broken_archive_stops_the_build_and_keeps_the_last_good_output(
    copy_history: Callable[[], Path], tmp_path: Path
) -> None:
    from policypress.errors import PolicyError

    root = copy_history()
    output = tmp_path / "out"
    build(root, output, pdf_mode="none")
    before = (output / "manifest.json").read_bytes()
    (root / "archive" / SLUG / "1.1" / "release.toml").write_text("version = \n")
    with pytest.raises(PolicyError, match="release record cannot be read"):
        build(root, output, pdf_mode="none")
    assert (output / "manifest.json").read_bytes() == before


def test_the_seed_records_its_first_version_with_placeholders_marked() -> None:
    versions = read_history(REPO, "social-media-policy")
    assert [v.version for v in versions] == ["1.0"]
    record = versions[0].record
    assert set(record.placeholders) == {"approved_on", "approved_by"}
    assert record.approved_by == ""
    project = read_project(REPO)
    doc = project.policy("social-media-policy")
    assert doc is not None
    assert doc.meta.version == "1.0"
    assert record.approved_on == doc.meta.adopted  # the same placeholder date, not a new one
    assert versions[0].policy.body == doc.body


# -- pages at permanent addresses --------------------------------------------------------------
@pytest.mark.parametrize("lang", ALL)
def test_superseded_versions_have_their_own_pages_marked_not_current(
    history_site: Path, lang: str
) -> None:
    files = manifest(history_site)
    site = history_site / "site"
    for version in ("1.0", "1.1"):
        folder = f"{prefix(lang)}{SLUG}/v{version}"
        html = (site / folder / "index.html").read_text(encoding="utf-8")
        assert '<meta name="robots" content="noindex">' in html
        assert '<link rel="canonical" href="https://sttests.sch.uk/policies/' in html
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html)
        assert canonical is not None
        assert canonical.group(1) == f"https://sttests.sch.uk/policies/{prefix(lang)}{SLUG}/"
        assert 'class="notice notice-superseded"' in html
        assert '<a href="../">' in html  # to the current version
        for name in (
            f"{SLUG}-v{version}-{lang}.epub",
            f"{SLUG}-v{version}-{lang}.brf",
            "leaflet/index.html",
        ):
            assert f"{folder}/{name}" in files, name
        leaflet = (site / folder / "leaflet" / "index.html").read_text(encoding="utf-8")
        assert 'class="notice notice-superseded"' in leaflet
    # the current version keeps its address and is not marked
    current = (site / prefix(lang) / SLUG / "index.html").read_text(encoding="utf-8")
    assert "notice-superseded" not in current
    assert 'name="robots"' not in current
    assert f"{prefix(lang)}{SLUG}/v1.2/index.html" not in files


def test_the_manifest_names_each_files_policy_and_version_apart(history_site: Path) -> None:
    files = manifest(history_site)
    for lang in ALL:
        for version in ("1.0", "1.1", "1.2"):
            folder = f"{prefix(lang)}{SLUG}" + ("" if version == "1.2" else f"/v{version}")
            for path in (f"{folder}/index.html", f"{folder}/leaflet/index.html"):
                entry = files[path]
                assert (entry["policy"], entry["version"], entry["language"]) == (
                    SLUG,
                    version,
                    lang,
                ), path
        for version in ("1.1", "1.2"):  # "What changed" in that version
            changes = files[f"{prefix(lang)}{SLUG}/v{version}/changes/index.html"]
            assert (changes["policy"], changes["version"]) == (SLUG, version)
        epub = files[f"{prefix(lang)}{SLUG}/v1.0/{SLUG}-v1.0-{lang}.epub"]
        assert (epub["policy"], epub["version"], epub["kind"]) == (SLUG, "1.0", "epub")
    # No entry names a document "slug@version" any more; files of no policy have no version.
    assert not any("@" in str(entry["policy"]) for entry in files.values())
    home = files["index.html"]
    assert (home["policy"], home["version"]) == (None, None)
    assert list(home) == [
        "path",
        "kind",
        "policy",
        "version",
        "language",
        "variant",
        "size",
        "sha256",
    ]


def test_the_banner_speaks_the_page_language(history_site: Path) -> None:
    english = main_text(
        (history_site / "site" / SLUG / "v1.0" / "index.html").read_text(encoding="utf-8")
    )
    assert "This is not the current version of this policy." in english
    for code in LANGUAGES:
        html = (history_site / "site" / code / SLUG / "v1.0" / "index.html").read_text(
            encoding="utf-8"
        )
        assert "This is not the current version of this policy." not in main_text(html), code


def test_old_pages_show_the_old_text(history_site: Path) -> None:
    site = history_site / "site"
    old = main_text((site / SLUG / "v1.0" / "index.html").read_text(encoding="utf-8"))
    current = main_text((site / SLUG / "index.html").read_text(encoding="utf-8"))
    assert "two pieces of homework" in old
    assert "three pieces of homework" not in old
    assert "three pieces of homework" in current
    polish = main_text((site / "pl" / SLUG / "v1.1" / "index.html").read_text(encoding="utf-8"))
    assert "PL: Children in Year 6 get three pieces of homework a week." in polish


def test_old_versions_are_not_in_the_sitemap(history_site: Path) -> None:
    sitemap = (history_site / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert f"{SLUG}/v1.0/" not in sitemap
    assert f"{SLUG}/</loc>" in sitemap


@pytest.mark.parametrize("lang", ALL)
def test_the_change_history_lists_every_version(history_site: Path, lang: str) -> None:
    html = (history_site / "site" / prefix(lang) / SLUG / "index.html").read_text(encoding="utf-8")
    table = html.split('<section class="history"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    assert len(rows) == 3  # newest first
    assert 'href="v1.1/"' in rows[1]
    assert 'href="v1.0/"' in rows[2]
    assert 'href="v1.2/changes/"' in rows[0]
    assert "2025-06-20" in rows[1]
    mark = f"{MARKS[lang]} " if lang != "en" else ""
    assert f"{mark}More homework in Year 6; online lessons." in rows[1]  # the catalog's note


# -- What changed ---------------------------------------------------------------------------
def _section_texts(body: str) -> dict[str, str]:
    """The fixture's own Markdown, split at its headings (the judge's view, not the code's)."""
    sections: dict[str, str] = {}
    heading = ""
    for line in body.split("\n"):
        if line.startswith("## "):
            heading = line[3:]
            continue
        sections[heading] = sections.get(heading, "") + line + "\n"
    return sections


def _edited_sections(old: str, new: str) -> list[str]:
    before, after = _section_texts(old), _section_texts(new)
    edited = []
    for heading in after | before:
        a, b = before.get(heading, "").split("\n"), after.get(heading, "").split("\n")
        if difflib.SequenceMatcher(a=a, b=b).ratio() < 1.0:
            edited.append(heading)
    return edited


@pytest.mark.parametrize(("version", "old", "new"), [("1.1", V1, V1_1), ("1.2", V1_1, V1_2)])
@pytest.mark.parametrize("lang", ALL)
def test_what_changed_lists_exactly_the_edited_sections(
    history_site: Path, lang: str, version: str, old: str, new: str
) -> None:
    path = f"{prefix(lang)}{SLUG}/v{version}/changes/index.html"
    assert manifest(history_site)[path]["kind"] == "changes"
    html = (history_site / "site" / path).read_text(encoding="utf-8")
    listed = re.findall(r'<h2 id="changes-\d+">(.*?)</h2>', html)
    mark = f"{MARKS[lang]} " if lang != "en" else ""
    assert listed == [mark + heading for heading in _edited_sections(old, new)]


def test_what_changed_labels_each_change_in_words(history_site: Path) -> None:
    site = history_site / "site"
    first = main_text((site / SLUG / "v1.1" / "changes" / "index.html").read_text("utf-8"))
    assert (
        "Changed from: Children in Year 6 get two pieces of homework a week. "
        "to: Children in Year 6 get three pieces of homework a week."
    ) in first
    assert "Added: Online lessons" in first
    second = main_text((site / SLUG / "v1.2" / "changes" / "index.html").read_text("utf-8"))
    assert "Removed: Then speak to the Headteacher." in second
    assert "New section. Added: Children use only the school's learning platform." in second
    urdu = main_text((site / "ur" / SLUG / "v1.2" / "changes" / "index.html").read_text("utf-8"))
    assert f"{MARKS['ur']} Then speak to the Headteacher." in urdu  # the Urdu text, compared
    assert "Removed:" not in urdu  # the label in Urdu


def test_the_section_parser_reads_headings_and_blocks() -> None:
    sections, anchors = sections_of(
        "<p>Intro</p><h2 id='a'>A</h2><ul><li>one</li><li>two <strong>2</strong></li></ul>"
    )
    assert [(s.heading, s.blocks) for s in sections] == [
        ("", ["Intro"]),
        ("A", ["one", "two 2"]),
    ]
    assert anchors == {1: "a"}


# -- the feed ---------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ALL)
def test_the_feed_is_valid_atom_with_every_version(history_site: Path, lang: str) -> None:
    path = history_site / "site" / prefix(lang) / "feed.xml"
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.id == f"https://sttests.sch.uk/policies/{prefix(lang)}feed.xml"
    assert feed.feed.updated == "2026-01-10T00:00:00Z"  # the newest record, not the clock
    assert [link.rel for link in feed.feed.links] == ["self", "alternate"]
    ids = [entry.id for entry in feed.entries]
    assert ids == [
        f"https://sttests.sch.uk/policies/{prefix(lang)}{SLUG}/v{v}/" for v in ("1.2", "1.1", "1.0")
    ]
    assert len(set(ids)) == len(ids)
    assert all(entry.updated and entry.link and entry.title for entry in feed.entries)
    home = (history_site / "site" / prefix(lang) / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" href="feed.xml"' in home
    assert '<a href="feed.xml" type="application/atom+xml">' in home


def test_the_feed_is_the_same_from_one_build_to_the_next(
    history_project: Path, history_site: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again"
    build(history_project, again, pdf_mode="none")
    for lang in ALL:
        path = f"{prefix(lang)}feed.xml"
        assert (again / "site" / path).read_bytes() == (history_site / "site" / path).read_bytes()


# -- PDFs at permanent addresses, and the cache -----------------------------------------------
@pytest.mark.slow
def test_every_version_has_its_pdfs_and_a_second_build_renders_nothing(
    history_project: Path, history_pdfs: tuple[Path, BuildResult]
) -> None:
    import pdfplumber

    output, first = history_pdfs
    files = manifest(output)
    for version in ("1.0", "1.1"):
        for lang in ("en", *PDF_LANGUAGES):
            folder = f"{prefix(lang)}{SLUG}/v{version}"
            for suffix in ("", "-large-print", "-dyslexia-friendly", "-leaflet"):
                assert f"{folder}/{SLUG}-v{version}-{lang}{suffix}.pdf" in files
        with pdfplumber.open(
            output / "site" / SLUG / f"v{version}" / f"{SLUG}-v{version}-en.pdf"
        ) as pdf:
            text = " ".join((page.extract_text() or "") for page in pdf.pages)
        assert ("two pieces" in text) == (version == "1.0")
    assert first.rendered == 3 * 3 * 4  # 3 versions x 3 languages x (3 variants + leaflet)
    # Every variant of an old version starts by saying it is not the current one.
    for lang in ("en", "pl"):
        for suffix in ("", "-large-print", "-dyslexia-friendly"):
            pdfs = output / "site" / f"{prefix(lang)}{SLUG}"
            old = pdf_text(pdfs / "v1.0" / f"{SLUG}-v1.0-{lang}{suffix}.pdf")
            sentence, address = NOTICE[lang].rsplit(" ", 1)  # the address may be divided
            assert sentence in old, (lang, suffix, old[:400])
            assert old.index(sentence) < old.index("homework at our school")
            assert address in old.replace(" ", "")
            new = pdf_text(pdfs / f"{SLUG}-{lang}{suffix}.pdf")
            assert sentence not in new
    second = build(history_project, output, languages=PDF_LANGUAGES)
    assert second.rendered == 0
    assert not second.changed


def test_a_second_build_changes_nothing(history_project: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    build(history_project, output, pdf_mode="none")
    again = build(history_project, output, pdf_mode="none")
    assert not again.changed
    assert again.rendered == 0


def test_check_warns_about_an_archive_with_no_policy(copy_history: Callable[[], Path]) -> None:
    root = copy_history()
    (root / "archive" / SLUG).rename(root / "archive" / "old-homework-policy")
    found = [f for f in run_checks(root) if "belongs to no policy" in f.message]
    assert [(f.severity, f.path) for f in found] == [
        ("warning", root / "archive" / "old-homework-policy")
    ]
