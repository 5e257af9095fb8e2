"""The built website of the shipped project: content, structure and languages."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from policypress.render import urls
from tests.conftest import build, copy_repo_project, normalise, seed_sentences

pytestmark = pytest.mark.slow  # the shipped build renders 16 PDFs


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main" or self.depth:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def main_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return normalise(" ".join(parser.parts))


def test_every_sentence_of_the_seed_is_on_the_english_page(shipped: Path) -> None:
    text = main_text(shipped / "site" / "social-media-policy" / "index.html")
    missing = [s for s in seed_sentences() if s not in text]
    assert not missing, missing[:5]


def test_the_policy_page_has_its_landmarks_and_metadata(shipped: Path) -> None:
    html = (shipped / "site" / "social-media-policy" / "index.html").read_text()
    assert html.count("<h1") == 1
    assert '<a class="skip-link" href="#main">' in html
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert '<ol type="a">' in html
    assert (
        "<title>Social Media Policy – Kettleshulme St James CE (VA) Primary School</title>" in html
    )
    for label in ("Version", "Last reviewed", "Next review", "Owner"):
        assert f"<dt>{label}</dt>" in html
    assert 'id="parent-carers-responsibility"' in html


def test_download_block_lists_every_format_with_its_size(shipped: Path) -> None:
    html = (shipped / "site" / "social-media-policy" / "index.html").read_text()
    block = html.split('id="formats"', 1)[1].split("</section>", 1)[0]
    for label in (
        "Standard PDF",
        "Large print PDF (A4, 18 pt)",
        "Dyslexia-friendly PDF",
        "One-page leaflet for parents (PDF)",
        "One-page leaflet for parents (web page)",
    ):
        assert label in block
    assert re.search(r'\(<bdi dir="ltr">\d+ KB</bdi>\)', block)
    assert "(web page)" not in block.replace("for parents (web page)", "")


def test_manifest_lists_every_file_with_its_hash(shipped: Path) -> None:
    manifest = json.loads((shipped / "manifest.json").read_text())
    files = {f["path"]: f for f in manifest["files"]}
    site = shipped / "site"
    on_disk = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert set(files) == on_disk
    pdfs = [f for f in files.values() if f["kind"] == "pdf"]
    assert {f["variant"] for f in pdfs} == {"standard", "large-print", "dyslexia-friendly"}
    assert {f["language"] for f in pdfs} == {"en", "pl", "ur", "ar"}
    kinds = ("page", "pdf", "leaflet", "braille", "epub", "asset")
    assert all(f["kind"] in kinds for f in files.values())


def test_translated_pages_have_their_language_direction_and_alternates(shipped: Path) -> None:
    for code, direction, autonym in (
        ("pl", "ltr", "Polski"),
        ("ur", "rtl", "اردو"),
        ("ar", "rtl", "العربية"),
    ):
        html = (shipped / "site" / code / "social-media-policy" / "index.html").read_text()
        assert f'<html lang="{code}" dir="{direction}">' in html
        assert f'hreflang="{code}"' in html and 'hreflang="x-default"' in html
        assert (
            f'lang="{code}" dir="{direction}" hreflang="{code}" aria-current="true">{autonym}<'
            in html
        )


def test_sitemap_lists_every_page_at_its_public_address(shipped: Path) -> None:
    sitemap = (shipped / "site" / "sitemap.xml").read_text()
    assert "<loc>https://www.example.org/policies/social-media-policy/</loc>" in sitemap
    assert "<loc>https://www.example.org/policies/ur/social-media-policy/</loc>" in sitemap
    assert "404.html" not in sitemap


def test_statement_has_the_gov_uk_headings(shipped: Path) -> None:
    html = (shipped / "site" / "accessibility" / "index.html").read_text()
    for heading in (
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website’s accessibility",
        "Compliance status",
        "Non-accessible content",
        "What we’re doing to improve accessibility",
        "Preparation of this accessibility statement",
    ):
        assert heading in html


def test_arabic_pages_write_the_version_in_arabic_indic_digits_like_their_dates(
    shipped: Path,
) -> None:
    html = (shipped / "site" / "ar" / "social-media-policy" / "index.html").read_text()
    assert "<dd>١٫٠</dd>" in html and "٢٠٢٦" in html
    english = (shipped / "site" / "social-media-policy" / "index.html").read_text()
    assert "<dd>1.0</dd>" in english


@pytest.mark.parametrize(
    ("lang", "english"),
    [
        ("ar", ["Chair of Governors", "Governing Body", "Local Authority", "Safeguarding"]),
        ("ur", ["private law", "gross misconduct", "Code of Conduct", "Governing Body"]),
        ("pl", ["Chair of Governors", "Governing Body"]),
    ],
)
def test_english_words_in_translated_pages_carry_lang_en(
    shipped: Path, lang: str, english: list[str]
) -> None:
    html = (shipped / "site" / lang / "social-media-policy" / "index.html").read_text()
    for words in english:
        assert f'<span dir="ltr" lang="en">{words}</span>' in html
    assert 'lang="en">Kettleshulme St James' in html  # the school's name in the header


def test_the_urdu_notice_marks_qualified_as_english(shipped: Path) -> None:
    html = (shipped / "site" / "ur" / "social-media-policy" / "index.html").read_text()
    notice = html.split('class="notice notice-review"', 1)[1].split("</div>", 1)[0]
    assert "(<span lang='en' dir='ltr'>qualified</span>)" in notice


class _Digits(HTMLParser):
    """Western digits in an Arabic page's text, outside English parts, addresses and scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, str | None]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("br", "img", "meta", "link", "hr", "wbr", "input"):
            self.open.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if any(lang and not lang.startswith("ar") for _, lang in self.open):
            return
        if any(tag in ("title", "script", "style") for tag, _ in self.open):
            return
        # A4 and WCAG's name are Latin-script names; any other 0-9 is a number in the wrong digits.
        self.found += re.findall(r"(?<![A-Za-z0-9])[0-9]+", data)


def test_arabic_pages_use_one_digit_system(shipped: Path) -> None:
    pages = sorted((shipped / "site" / "ar").rglob("*.html"))
    assert len(pages) == 5
    for page in pages:
        parser = _Digits()
        parser.feed(page.read_text())
        assert parser.found == [], page
    formats = (shipped / "site" / "ar" / "formats" / "index.html").read_text()
    assert "١٢ نقطة" in formats and re.search(
        r'<bdi dir="ltr" class="file-size">[٠-٩٫]+ KB', formats
    )


def test_every_formats_page_lists_every_format_of_every_language(shipped: Path) -> None:
    manifest = json.loads((shipped / "manifest.json").read_text())
    listed_kinds = {"pdf", "leaflet", "braille", "epub"}
    files = [
        f["path"]
        for f in manifest["files"]
        if (f["kind"] in listed_kinds and not f["path"].endswith(".braille.txt"))
        or f["variant"] == "leaflet-page"
    ]
    assert len([f for f in files if f.endswith("leaflet/index.html")]) == 4
    texts = [f["path"] for f in manifest["files"] if f["path"].endswith(".braille.txt")]
    for lang in ("en", "pl", "ar", "ur"):
        page = urls.formats_page(lang)
        html = (shipped / "site" / page).read_text()
        for path in files + texts:
            assert f'href="{urls.relative(page, path)}"' in html, (lang, path)


def test_the_download_block_links_the_unicode_braille_beside_the_brf(shipped: Path) -> None:
    html = (shipped / "site" / "ar" / "social-media-policy" / "index.html").read_text()
    block = html.split('id="formats"', 1)[1].split("</section>", 1)[0]
    assert 'href="social-media-policy-ar.braille.txt" type="text/plain"' in block
    assert block.count("(web page)") == 0 and block.count("(<bdi") >= 5


def test_an_untranslated_title_and_summary_are_marked_english(tmp_path: Path) -> None:
    root = copy_repo_project(tmp_path / "school")
    po = root / "translations" / "ar" / "social-media-policy.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("سياسة استخدام وسائل التواصل الاجتماعي", "", 1), encoding="utf-8")
    build(root, pdf_mode="none", languages=("ar",))
    html = (root / "output" / "site" / "ar" / "social-media-policy" / "index.html").read_text()
    assert '<h1 lang="en" dir="ltr">Social Media Policy</h1>' in html
    assert '<p class="lead">' in html  # the summary is translated: Arabic, like the page
