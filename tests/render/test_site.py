"""The built website of the shipped project: content, structure and languages."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import normalise, seed_sentences

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
    assert re.search(r"\(\d+ KB\)", block)


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
    assert "<dd>١.٠</dd>" in html and "٢٠٢٦" in html
    english = (shipped / "site" / "social-media-policy" / "index.html").read_text()
    assert "<dd>1.0</dd>" in english
