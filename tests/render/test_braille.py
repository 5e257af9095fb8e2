"""Braille: every BRF the build makes is translated back into print by liblouis's own command
(``lou_translate --backward``, with the table the BRF was made with) and compared with the web
page it came from; its lines, pages and page numbers are checked against the layout."""

from __future__ import annotations

import ctypes.util
import dataclasses
import difflib
import json
import logging
import re
import subprocess
import unicodedata
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from policypress.content.rendering import render_markdown
from policypress.i18n.languages import language
from policypress.i18n.view import DocumentView
from policypress.render import braille, urls
from policypress.render.braille import (
    BRAILLE_CODES,
    LINE_CELLS,
    PAGE_LINES,
    brf_pages,
    render_braille,
)
from tests.conftest import build, copy_repo_project

SLUG = "social-media-policy"
LANGUAGES = ("en", "pl", "ar", "ur")
DOCUMENTS = [(lang, leaflet) for lang in LANGUAGES for leaflet in (False, True)]
ASCII_BRAILLE = set(" A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)=")


# -- reading the web page and the braille back -------------------------------------------------


class _PageText(HTMLParser):
    """The words a reader of the web page reads in the document itself: the title, the summary
    and the policy's body (not the site's navigation, metadata or download links)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.headings: list[str] = []
        self.depth = 0  # inside the body's <div>
        self.take = False
        self.skip = 0
        self.heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        classes = (attr.get("class") or "").split()
        if self.depth:
            self.depth += tag not in ("br", "img", "hr")
        elif tag == "div" and "policy-body" in classes:
            self.depth = 1
        if tag == "a" and "footnote-backref" in classes:
            self.skip += 1
        if tag == "h1" or (tag == "p" and "lead" in classes):
            self.take = True
        if self.depth and tag in ("h2", "h3", "h4"):
            self.heading = []
        if tag not in ("a", "strong", "em", "sup", "code", "span"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.skip:
            self.skip -= 1
        if self.depth and tag not in ("br", "img", "hr"):
            self.depth -= 1
        if tag in ("h1", "p"):
            self.take = False
        if tag in ("h2", "h3", "h4") and self.heading is not None:
            self.headings.append("".join(self.heading))
            self.heading = None
        if tag not in ("a", "strong", "em", "sup", "code", "span"):
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self.skip or not (self.depth or self.take):
            return
        self.parts.append(data)
        if self.heading is not None:
            self.heading.append(data)


def page_text(html: str) -> _PageText:
    parser = _PageText()
    parser.feed(html)
    parser.close()
    return parser


def words(text: str) -> list[str]:
    """Words to compare: lower case, digits of any script as 0-9, without punctuation, and
    without combining marks (Arabic vowel signs and shadda are optional in print, and braille
    writes shadda before its letter, which back-translation does not undo)."""
    found = []
    for raw in unicodedata.normalize("NFC", text).split():
        word = "".join(
            str(unicodedata.digit(c)) if unicodedata.category(c) == "Nd" else c.lower()
            for c in raw
            if unicodedata.category(c)[0] in "LN"
        )
        if word:
            found.append(word)
    return found


# English inside another language's braille: between the first transcriber-defined typeform
# passage indicator (⠈⠶, "@7" in BRF) and its terminator (⠈⠄, "@'"), in uncontracted UEB; a
# transcriber's note (⠈⠨⠣ ... ⠈⠨⠜) says so.
ENGLISH_RUN = re.compile(r"@7(.*?)@'", re.DOTALL)
NOTE_INDICATORS = re.compile(r"@\.[<>]")


def back_translate(brf: bytes, lang: str) -> str:
    """The BRF in print again, by liblouis's command with the BRF's own table (English runs with
    uncontracted UEB's)."""
    text = brf.decode("ascii").replace("\f", "\r\n").replace("\r\n", "\n")
    parts = ENGLISH_RUN.split(text)  # own language, English, own language, English ...
    return "".join(
        f" {_lou_backward(NOTE_INDICATORS.sub(' ', part), 'en-ueb-g1.ctb')} "
        if index % 2
        else _own_backward(part, lang)
        for index, part in enumerate(parts)
    )


def _lou_backward(text: str, tables: str) -> str:
    """``text`` back-translated, line for line (without the new line the command adds)."""
    if not text:
        return ""
    # lou_translate reads backslash escapes in its input; "\\" is a braille cell here (ou, etc.)
    result = subprocess.run(
        ["lou_translate", "--backward", f"en-us-brf.dis,{tables}"],
        input=text.replace("\\", "\\\\"),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout if text.endswith("\n") else result.stdout.removesuffix("\n")


def _own_backward(text: str, lang: str) -> str:
    back = _lou_backward(text, BRAILLE_CODES[lang].tables)
    if lang == "ur":
        # ur-pk-g1.utb gives dots 236 to "«", "؟" and "ھ" (do-chashmi he) alike, and
        # back-translates them all as "«"; within a word it can only be ھ.
        back = re.sub(r"(?<=\w)«", "ھ", back)
    return back


def in_order(expected: list[str], found: list[str]) -> float:
    """The share of ``expected`` that comes back, in the same order."""
    matcher = difflib.SequenceMatcher(None, expected, found, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(expected)


def document_paths(lang: str, leaflet: bool) -> tuple[str, str]:
    if leaflet:
        return urls.leaflet_page(SLUG, lang), urls.leaflet_braille(SLUG, lang)
    return urls.policy_page(SLUG, lang), urls.braille_file(SLUG, lang)


# -- the judges, on the shipped project built completely ---------------------------------------


@pytest.mark.slow  # the shipped build renders 16 PDFs
@pytest.mark.parametrize(("lang", "leaflet"), DOCUMENTS)
def test_braille_translates_back_to_the_web_pages_words_in_order(
    shipped: Path, lang: str, leaflet: bool, figure: Callable[[str], None]
) -> None:
    page, brf = document_paths(lang, leaflet)
    site = shipped / "site"
    expected = words(" ".join(page_text((site / page).read_text(encoding="utf-8")).parts))
    found = words(back_translate((site / brf).read_bytes(), lang))
    share = in_order(expected, found)
    measured = f"braille back-translation {lang} {brf}: {share:.2%} of {len(expected)} words"
    figure(measured)
    # Every word, English names and terms in Arabic and Urdu included (they are marked English
    # on the page, and written in UEB between code-switch indicators in the braille).
    assert share >= 0.98, measured


@pytest.mark.slow  # the shipped build renders 16 PDFs
@pytest.mark.parametrize(("lang", "leaflet"), DOCUMENTS)
def test_every_heading_of_the_page_is_in_the_braille(
    shipped: Path, lang: str, leaflet: bool
) -> None:
    page, brf = document_paths(lang, leaflet)
    site = shipped / "site"
    headings = page_text((site / page).read_text(encoding="utf-8")).headings
    assert headings
    back = " ".join(words(back_translate((site / brf).read_bytes(), lang)))
    missing = [h for h in headings if " ".join(words(h)) not in back]
    assert not missing


@pytest.mark.slow  # the shipped build renders 16 PDFs
@pytest.mark.parametrize(("lang", "leaflet"), DOCUMENTS)
def test_braille_pages_fit_40_cells_by_25_lines_and_are_numbered(
    shipped: Path, lang: str, leaflet: bool
) -> None:
    _, brf_path = document_paths(lang, leaflet)
    data = (shipped / "site" / brf_path).read_bytes()
    text = data.decode("ascii")
    pages = list(brf_pages(data))
    assert len(pages) > 1
    assert text.count("\f") == len(pages) - 1  # a form feed between pages
    assert set(text) <= ASCII_BRAILLE | {"\r", "\n", "\f"}
    assert "\n" not in text.replace("\r\n", "")  # CR LF lines, as embossers expect
    for number, lines in enumerate(pages, start=1):
        assert len(lines) <= PAGE_LINES
        assert all(len(line) <= LINE_CELLS for line in lines)
        assert lines[1].strip(), "no page starts with a blank line"
        mark = forward(str(number), lang)
        assert lines[0] == mark.rjust(LINE_CELLS), "page number at the top right"
    for text_file in (brf_path.replace(".brf", ".braille.txt"),):
        unicode_pages = (shipped / "site" / text_file).read_text(encoding="utf-8").split("\f")
        assert len(unicode_pages) == len(pages)


def forward(text: str, lang: str) -> str:
    result = subprocess.run(
        ["lou_translate", "--forward", f"en-us-brf.dis,{BRAILLE_CODES[lang].tables}"],
        input=text + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip("\n")


@pytest.mark.slow  # the shipped build renders 16 PDFs
def test_manifest_download_block_and_formats_page_list_the_braille(shipped: Path) -> None:
    manifest = json.loads((shipped / "manifest.json").read_text())
    braille_files = {f["path"]: f for f in manifest["files"] if f["kind"] == "braille"}
    for lang in LANGUAGES:
        for text in (False, True):
            assert urls.braille_file(SLUG, lang, text) in braille_files
            assert urls.leaflet_braille(SLUG, lang, text) in braille_files
    html = (shipped / "site" / SLUG / "index.html").read_text(encoding="utf-8")
    block = html.split('id="formats"', 1)[1].split("</section>", 1)[0]
    label = "Braille (BRF, Unified English Braille grade 2, for embossers and braille displays)"
    size = braille_files[urls.braille_file(SLUG, "en")]["size"]
    assert re.search(
        rf'<a href="{SLUG}-en.brf" type="text/plain">{re.escape(label)} '
        rf'<span class="file-facts">\(<bdi dir="ltr">{round(size / 1000)} KB</bdi>\)</span>',
        block,
    )
    formats = (shipped / "site" / "formats" / "index.html").read_text(encoding="utf-8")
    for lang in LANGUAGES:
        assert f'href="../{urls.braille_file(SLUG, lang)}"' in formats


# -- layout, on small documents of our own -------------------------------------------------------


def view_of(markdown: str, code: str = "en", title: str = "Behaviour Policy") -> DocumentView:
    return DocumentView(
        slug="behaviour-policy",
        lang=language(code),
        title=title,
        summary="",
        owner="",
        body=render_markdown(markdown),
        translated=code != "en",
        reviewed=True,
        translator="",
        fallback_blocks=0,
    )


URL = "https://sttests.sch.uk/policies/behaviour-policy/"


def unicode_lines(markdown: str, code: str = "en") -> list[list[str]]:
    document = render_braille(view_of(markdown, code), school_name="St Test's", public_url=URL)
    return [page.split("\n") for page in document.text.split("\f")]


def cells(text: str, code: str = "en") -> str:
    return braille._Translator(BRAILLE_CODES[code].tables)(text)


def test_title_and_main_headings_are_centred_with_a_blank_line_before() -> None:
    pages = unicode_lines("Some text.\n\n## Our aims\n\nMore text.")
    lines = pages[0]
    title = cells("Behaviour Policy")
    assert lines[1].strip("\u2800") == title
    assert abs(lines[1].index(title[0]) - (LINE_CELLS - len(title)) // 2) <= 1
    heading = cells("Our aims")
    at = next(i for i, line in enumerate(lines) if line.strip("\u2800") == heading)
    assert lines[at - 1] == "" and lines[at + 1] == ""
    assert lines[at].index(heading[0]) == (LINE_CELLS - len(heading)) // 2


def test_sub_headings_start_in_cell_5_and_lists_keep_their_markers() -> None:
    pages = unicode_lines(
        "### Who this is for\n\nStaff must not:\n\n"
        "a. bring the school into disrepute;\n"
        "b. share pupils' photographs.\n\nAnd:\n\n"
        "- one\n- two\n"
    )
    text = "\n".join(pages[0])
    assert "\n\u2800\u2800\u2800\u2800" + cells("Who this is for") in text
    assert "\n" + cells("a. bring the school into disrepute;") in text
    assert "\n" + cells("b. share pupils' photographs.") in text
    assert "\n" + cells("\u2022 one") in text


def test_links_become_their_text_and_then_the_address() -> None:
    pages = unicode_lines(
        "See the [Complaints Policy](https://sttests.sch.uk/complaints/) or "
        "<https://sttests.sch.uk/x/>, or the [other page](../other/)."
    )
    back = back_translate_unicode("\n".join(pages[0]), "en")
    flat = " ".join(back.split())
    assert "Complaints Policy https://sttests.sch.uk/complaints/" in flat.replace("cc//", "://")
    assert flat.count("sttests.sch.uk/x/") == 1  # an address shown as itself, once
    assert "other page https://sttests.sch.uk/policies/other/" in flat.replace("cc//", "://")


@pytest.mark.parametrize("code", ["en", "ar"])
def test_a_long_address_is_divided_after_a_slash(code: str) -> None:
    address = "https://sttests.sch.uk/policies/behaviour-policy/appendices/rewards-and-sanctions/"
    pages = unicode_lines(f"Read [the appendix]({address}).", code)
    slash = cells("/", code)
    lines = [line.strip("\u2800") for line in pages[0][5:] if line]
    divided = [line for line in lines if cells("https:", code) in line or line.endswith(slash)]
    assert len(divided) >= 2
    assert all(line.endswith(slash) for line in divided[:-1])
    assert all(len(line) <= LINE_CELLS for line in pages[0])


def back_translate_unicode(text: str, lang: str) -> str:
    result = subprocess.run(
        ["lou_translate", "--backward", f"unicode.dis,{BRAILLE_CODES[lang].tables}"],
        input=text.replace("\\", "\\\\") + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_words_are_never_split_across_lines() -> None:
    paragraph = " ".join(["responsibility", "safeguarding", "professional", "a"] * 40)
    pages = unicode_lines(paragraph)
    whole = cells(paragraph).split("\u2800")
    body = [line for page in pages for line in page[1:] if line]
    laid = [w for line in body for w in line.split("\u2800") if w]
    assert laid[-len(whole) :] == whole
    assert all(len(line) <= LINE_CELLS for line in body)


def test_a_heading_never_ends_a_page() -> None:
    markdown = "\n\n".join(f"## Heading {n}\n\n" + "Text of the section. " * 12 for n in range(20))
    pages = unicode_lines(markdown)
    assert len(pages) > 3
    for page in pages:
        last = [line for line in page if line][-1]
        assert not last.startswith("\u2800\u2800\u2800\u2800\u2800"), "a centred heading at the end"


def test_tables_footnotes_and_quotes_are_read_in_order() -> None:
    pages = unicode_lines(
        "Text with a note.[^1]\n\n> A quoted line.\n\n"
        "| Who | Does what |\n|---|---|\n| Head | Decides |\n\n[^1]: The note itself.\n"
    )
    back = " ".join(
        back_translate_unicode("\n".join(line for page in pages for line in page), "en").split()
    )
    for part in ("note.[1]", "A quoted line.", "Who: Head; Does what: Decides", "The note itself."):
        assert part in back
    assert "Back to the text" not in back


def test_arabic_braille_is_written_left_to_right_in_logical_order() -> None:
    document = render_braille(
        view_of("مرحبا بكم في المدرسة.", "ar", "سياسة"), school_name="", public_url=""
    )
    back = back_translate(document.brf, "ar")
    assert words(back)[-4:] == words("مرحبا بكم في المدرسة")


def test_english_marked_in_arabic_is_written_in_ueb_between_code_switch_indicators() -> None:
    document = render_braille(
        view_of("يرأس [Chair of Governors]{lang=en} المجلس.", "ar", "سياسة"),
        school_name="",
        public_url="",
    )
    brf = document.brf.decode("ascii")
    assert "@7,*AIR OF ,GOVERNORS@'" not in brf  # not contracted: readers of Arabic braille
    assert "@7,CHAIR OF ,GOVERNORS@'" in brf
    assert "@7@.<,TRANSCRIBER'S NOTE" in brf  # the note that explains the indicators
    assert words(back_translate(document.brf, "ar"))[-5:] == words("يرأس Chair of Governors المجلس")


def test_english_fallback_blocks_are_english_braille_too() -> None:
    html = '<p>نص.</p><p lang="en" dir="ltr" class="fallback">Not yet translated.</p>'
    view = view_of("نص.", "ar", "سياسة")
    body = dataclasses.replace(view.body, html=html)
    document = render_braille(dataclasses.replace(view, body=body), school_name="", public_url="")
    assert "@7,NOT YET TRANSLAT$@'" not in document.brf.decode("ascii")
    assert "@7,NOT YET TRANSLATED4@'" in document.brf.decode("ascii")


def test_an_english_document_has_no_code_switch() -> None:
    document = render_braille(
        view_of("Plain [English]{lang=en} text."), school_name="St Test's", public_url=""
    )
    assert "@7" not in document.brf.decode("ascii")


def test_urdu_braille_writes_english_names_in_braille_letters() -> None:
    document = render_braille(
        view_of("اسکول Kettleshulme کی پالیسی", "ur", "پالیسی"), school_name="", public_url=""
    )
    assert "KETTLESHULME" in document.brf.decode("ascii")


# -- the build ----------------------------------------------------------------------------------


def test_a_build_without_liblouis_says_once_that_braille_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from policypress.engine import braille as phase

    root = copy_repo_project(tmp_path / "school")
    monkeypatch.setattr(braille, "_SONAMES", ("liblouis-not-installed.so.20",))
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    braille._louis.cache_clear()
    phase._say_skipped.cache_clear()
    try:
        with caplog.at_level(logging.WARNING):
            build(root, pdf_mode="none")
            build(root, pdf_mode="none")
    finally:
        braille._louis.cache_clear()
        phase._say_skipped.cache_clear()
    said = [r for r in caplog.records if "Braille" in r.getMessage()]
    assert len(said) == 1
    assert "skipped" in said[0].getMessage() and "liblouis" in said[0].getMessage()
    assert said[0].exc_info is None
    manifest = json.loads((root / "output" / "manifest.json").read_text())
    assert not [f for f in manifest["files"] if f["kind"] == "braille"]


def test_a_build_with_liblouis_but_not_its_tables_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from policypress.engine import braille as phase

    root = copy_repo_project(tmp_path / "school")
    monkeypatch.setitem(
        BRAILLE_CODES, "en", braille.BrailleCode("no-such-table.ctb", "grade", "description")
    )
    braille._translator.cache_clear()
    phase._say_skipped.cache_clear()
    try:
        with caplog.at_level(logging.WARNING):
            build(root, pdf_mode="none", cache_dir=tmp_path / "cache")
    finally:
        braille._translator.cache_clear()
        phase._say_skipped.cache_clear()
    said = [r.getMessage() for r in caplog.records if "Braille" in r.getMessage()]
    assert len(said) == 1 and "no-such-table.ctb" in said[0]


def test_braille_is_reused_from_the_cache_until_its_document_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policypress.engine import braille as phase

    root = copy_repo_project(tmp_path / "school")
    build(root, pdf_mode="none")
    made: list[str] = []
    real = phase.render_braille

    def counting(view: DocumentView, **kwargs: str) -> braille.BrailleDocument:
        made.append(f"{view.kind}-{view.lang.code}")
        return real(view, **kwargs)

    monkeypatch.setattr(phase, "render_braille", counting)
    build(root, pdf_mode="none")
    assert made == []
    leaflet = root / "content" / "leaflets" / f"{SLUG}.md"
    leaflet.write_text(leaflet.read_text() + "\nOne more sentence.\n", encoding="utf-8")
    build(root, pdf_mode="none")
    # The translations show the new English sentence too; the policies are not made again.
    assert sorted(made) == sorted(f"leaflet-{code}" for code in LANGUAGES)
