"""WCAG 3.1.2 on the built pages: inside an Arabic or Urdu page, every English phrase (the
school's name in a translated sentence, a placeholder the school has not filled in) is marked
English, so that a screen reader does not read it with an Arabic or Urdu voice."""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# A phrase of Latin-script words with at least one lower-case letter: abbreviations written in
# capitals (PDF, KB, EPUB, WCAG) are technical terms of no one language (WCAG 3.1.2's exception).
PHRASE = re.compile(r"[A-Za-z][A-Za-z'’.-]*(?:[ ()]+[A-Za-z][A-Za-z'’.-]*)*")
ADDRESS = re.compile(r"\S+@\S+|https?://\S+|\bwww\.\S+")


class _UnmarkedEnglish(HTMLParser):
    """Latin-script phrases whose nearest ``lang`` is ``ar`` or ``ur``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        inherited = self.stack[-1][1] if self.stack else ""
        self.stack.append((tag, dict(attrs).get("lang") or inherited))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if not self.stack or self.stack[-1][0] in ("script", "style", "title"):
            return
        if self.stack[-1][1] not in ("ar", "ur"):
            return
        for phrase in PHRASE.findall(ADDRESS.sub(" ", data)):
            if any(c.islower() for c in phrase):
                self.found.append(phrase)


def unmarked_english(html: str) -> list[str]:
    parser = _UnmarkedEnglish()
    parser.feed(html)
    return parser.found


def test_the_scan_finds_an_unmarked_school_name() -> None:
    html = '<html lang="ar"><p>سياسات مدرسة St Test\'s Primary School، للقراءة</p></html>'
    assert unmarked_english(html) == ["St Test's Primary School"]
    marked = '<html lang="ar"><p>سياسات <span lang="en">St Test\'s School</span> PDF</p></html>'
    assert unmarked_english(marked) == []


@pytest.mark.parametrize("lang", ["ar", "ur"])
def test_english_inside_arabic_script_pages_is_marked(shipped_web: Path, lang: str) -> None:
    pages = sorted((shipped_web / "site" / lang).rglob("*.html"))
    assert len(pages) >= 5
    problems = {
        str(page.relative_to(shipped_web / "site")): found
        for page in pages
        if (found := unmarked_english(page.read_text(encoding="utf-8")))
    }
    assert problems == {}


@pytest.mark.parametrize("lang", ["ar", "ur", "pl"])
def test_the_epubs_school_name_is_marked_english(shipped_web: Path, lang: str) -> None:
    (epub,) = (shipped_web / "site" / lang).rglob("social-media-policy-*.epub")
    with zipfile.ZipFile(epub) as book:
        text = book.read("EPUB/text.xhtml").decode("utf-8")
    assert re.search(r'<p class="school" lang="en" xml:lang="en">[^<]*Primary School</p>', text)
