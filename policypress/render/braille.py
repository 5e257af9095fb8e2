"""Braille: a document view -> a ready-to-emboss BRF file (North American ASCII braille, 40 cells
by 25 lines) and the same pages in Unicode braille, translated by liblouis and laid out after
UKAAF's braille presentation guidance.

liblouis is reached through ctypes (``liblouis.so.20``, Debian's ``liblouis20``), with its tables
from ``liblouis-data``: no process per document, no line-length limit of the command-line tool,
and no dependency on Debian's own Python, whose ``python3-louis`` a virtualenv cannot import."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Literal
from urllib.parse import urljoin, urlsplit

from policypress.content.lang_spans import SPAN_RE
from policypress.i18n.view import DocumentView

LINE_CELLS = 40
PAGE_LINES = 25
FORM_FEED = "\f"
BRF_NEWLINE = "\r\n"  # what embossers and braille software expect of a BRF file

# Unicode braille (U+2800 + dot bits) -> North American ASCII braille, the BRF alphabet; the
# position in this string is the cell's dots 1-6 as bits 0-5.
_ASCII_BRAILLE = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="
BLANK = "\u2800"


@dataclass(frozen=True)
class BrailleCode:
    """The braille a reader of one language expects, as liblouis tables."""

    tables: str  # liblouis table list, without the display table
    grade: str  # the code's name, shown on the pages
    description: str  # what the download link says (English; the pages translate it)


def _(message: str) -> str:
    """Marks a description for the translators' catalog; the pages translate it when shown."""
    return message


# Grades: English readers in the UK read UEB grade 2 (contracted; the UK adopted UEB in 2015).
# Polish braille is read uncontracted (liblouis has only grade 1). Arabic and Urdu braille are
# read uncontracted by most readers, and it is the code every reader of them learned first; the
# contracted tables are regional. Urdu documents quote English names and addresses, which
# Urdu's table does not define, so UEB's character definitions follow it for those letters.
BRAILLE_CODES: dict[str, BrailleCode] = {
    "en": BrailleCode(
        "en-ueb-g2.ctb",
        "Unified English Braille grade 2",
        _("Braille (BRF, Unified English Braille grade 2, for embossers and braille displays)"),
    ),
    "pl": BrailleCode(
        "Pl-Pl-g1.utb",
        "Polish braille, uncontracted",
        _("Braille (BRF, Polish braille, uncontracted, for embossers and braille displays)"),
    ),
    "ar": BrailleCode(
        "ar-ar-g1.utb",
        "Arabic braille grade 1, uncontracted",
        _(
            "Braille (BRF, Arabic braille grade 1, uncontracted, for embossers and braille "
            "displays)"
        ),
    ),
    "ur": BrailleCode(
        "ur-pk-g1.utb,en-ueb-chardefs.uti",
        "Urdu braille grade 1, uncontracted",
        _("Braille (BRF, Urdu braille grade 1, uncontracted, for embossers and braille displays)"),
    ),
}

# Words marked as English in another language's document (``<span lang="en">``, English
# fallback blocks) are written in uncontracted UEB, as UEB 13.7.3 recommends for occasional
# English in a foreign-language text, enclosed in the first transcriber-defined typeform
# indicators (passage ⠈⠶, terminator ⠈⠄) and explained in a transcriber's note (⠈⠨⠣ ... ⠈⠨⠜)
# on the title page, as UKAAF's guidance asks for every change of code.
OTHER_LANGUAGE_TABLES = {"en": "en-ueb-g1.ctb"}
SWITCH_OPEN = "⠈⠶"
SWITCH_CLOSE = "⠈⠄"
NOTE_OPEN = "⠈⠨⠣"
NOTE_CLOSE = "⠈⠨⠜"
# In the reader's language when the interface catalog translates it (the engine passes it in).
SWITCH_NOTE = _(
    "Transcriber's note: English words and passages are in uncontracted Unified English "
    "Braille, between the first transcriber-defined typeform passage indicator and its "
    "terminator."
)
# In a block's text: where a run in another language starts ("\ue000en\ue001") and ends.
_RUN_START, _RUN_TAG_END, _RUN_END = "\ue000", "\ue001", "\ue002"
_RUN_RE = re.compile("(\ue000[^\ue001]*\ue001|\ue002)")

# Characters a table may not define, and what to write instead (liblouis would write '\x2022').
_FALLBACKS = {
    "\u2022": "-",  # bullet
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u202f": " ",
    "\u200e": "",
    "\u200f": "",
}


_SONAMES = ("liblouis.so.20",)  # the library's file name on Debian (liblouis20)
_NO_UNDEFINED = 128  # liblouis's translation mode "noUndefined"


class BrailleUnavailable(RuntimeError):
    """liblouis (the library or its tables) is not installed."""


@dataclass(frozen=True)
class BrailleDocument:
    brf: bytes  # North American ASCII braille, CR LF lines, a form feed between pages
    text: str  # the same pages in Unicode braille (U+2800 for blank cells)
    pages: int


# -- liblouis -------------------------------------------------------------------------------


class _Louis:
    """The two calls policypress makes into liblouis, over ctypes."""

    def __init__(self, library: ctypes.CDLL) -> None:
        self.lib = library
        self.lib.lou_version.restype = ctypes.c_char_p
        self.lib.lou_charSize.restype = ctypes.c_int
        size = self.lib.lou_charSize()
        self.widechar = {2: ctypes.c_uint16, 4: ctypes.c_uint32}[size]
        self.encoding = "utf-16-le" if size == 2 else "utf-32-le"
        self.version = str(self.lib.lou_version().decode("ascii"))

    def translate(self, tables: str, text: str) -> str:
        """``text`` in braille (Unicode braille: liblouis's ``unicode.dis`` display table);
        characters the tables do not define are left out (liblouis would write '\\x2022')."""
        data = text.encode(self.encoding)
        length = len(data) // ctypes.sizeof(self.widechar)
        inbuf = (self.widechar * max(length, 1)).from_buffer_copy(data or b"\0" * 4)
        room = length * 4 + 64
        while True:
            outbuf = (self.widechar * room)()
            inlen = ctypes.c_int(length)
            outlen = ctypes.c_int(room)
            ok = self.lib.lou_translateString(
                f"unicode.dis,{tables}".encode(),
                inbuf,
                ctypes.byref(inlen),
                outbuf,
                ctypes.byref(outlen),
                None,
                None,
                _NO_UNDEFINED,
            )
            if not ok:
                raise BrailleUnavailable(f"liblouis could not load its tables {tables}")
            if inlen.value >= length or room > length * 16:
                break
            room *= 2  # the braille is longer than the buffer: try again with more room
        raw = ctypes.string_at(outbuf, outlen.value * ctypes.sizeof(self.widechar))
        return raw.decode(self.encoding)


@functools.lru_cache(maxsize=1)
def _louis() -> _Louis:
    """liblouis, loaded once: by its Debian file name (no ``ldconfig`` run), else by search."""
    for name in _SONAMES:
        try:
            return _Louis(ctypes.CDLL(name))
        except (OSError, AttributeError, KeyError):
            continue
    found = ctypes.util.find_library("louis")  # another system: ask the linker's cache
    try:
        if found is not None:
            return _Louis(ctypes.CDLL(found))
    except (OSError, AttributeError, KeyError) as exc:
        raise BrailleUnavailable(f"liblouis could not be loaded ({exc})") from exc
    raise BrailleUnavailable("the liblouis library is not installed")


def liblouis_version() -> str:
    """The installed liblouis's version (its tables come with it); raises BrailleUnavailable
    when it is not installed (missing tables show when a document is translated)."""
    return _louis().version


def braille_code(lang: str) -> BrailleCode | None:
    return BRAILLE_CODES.get(lang)


class _Translator:
    """One language's text to Unicode braille, with characters its table lacks replaced."""

    def __init__(self, tables: str) -> None:
        self.tables = tables
        self.louis = _louis()
        self.defined: dict[str, bool] = {}
        self.slash = self.louis.translate(tables, "/")  # where a long address may be divided
        self.plain_a = self.louis.translate(tables, "a")

    def is_defined(self, char: str) -> bool:
        known = self.defined.get(char)
        if known is None:
            known = self.louis.translate(self.tables, f"a{char}") != self.plain_a
            self.defined[char] = known
        return known

    def __call__(self, text: str) -> str:
        replace = {}
        for char in set(text):
            if ord(char) > 0x7E and not self.is_defined(char):
                fallback = _FALLBACKS.get(char)
                if fallback is None:
                    decomposed = unicodedata.normalize("NFKD", char)
                    fallback = "".join(c for c in decomposed if not unicodedata.combining(c))
                if all(self.is_defined(c) for c in fallback):
                    replace[ord(char)] = fallback
        if replace:
            text = text.translate(replace)
        return self.louis.translate(self.tables, text).replace(" ", BLANK)


@functools.lru_cache(maxsize=16)
def _translator(tables: str) -> _Translator:
    return _Translator(tables)


# -- reading the HTML into blocks ------------------------------------------------------------

Kind = Literal["title", "heading", "subheading", "paragraph", "item", "quote", "url", "note"]


@dataclass
class Block:
    kind: Kind
    text: str
    depth: int = 0  # list nesting
    marker: str = ""


@dataclass
class _List:
    kind: str  # "\u2022" (bullets), or an ordered list's type: "1", "a", "A", "i", "I"
    number: int  # the next item's


class _BlockReader(HTMLParser):
    """The body's semantic HTML as a list of blocks of plain text, in reading order."""

    _BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dt", "dd"})

    def __init__(self, base_url: str, lang: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.lang = lang  # the document's; runs in another language with a code are marked
        self.langs: list[tuple[str, str]] = []  # (tag, lang) of open elements with a lang
        self.switched = False  # whether any run is in another language
        self.blocks: list[Block] = []
        self.text: list[str] = []
        self.current: Block | None = None
        self.lists: list[_List] = []
        self.quote = 0
        self.skip = 0
        self.links: list[tuple[str, int]] = []  # (href, where its text starts)
        self.cells: list[str] = []
        self.headers: list[str] = []
        self.in_head = False

    # A block's text is gathered until the next block starts or it ends.
    def _other(self) -> str:
        """The language of the text here, if it is written in another braille code."""
        here = self.langs[-1][1] if self.langs else self.lang
        base = here.split("-", 1)[0].lower()
        if not self.lang or base == self.lang.split("-", 1)[0].lower():
            return ""
        return base if base in OTHER_LANGUAGE_TABLES else ""

    def _switch(self, before: str) -> None:
        after = self._other()
        if after != before:
            if before:
                self.text.append(_RUN_END)
            if after:
                self.text.append(f"{_RUN_START}{after}{_RUN_TAG_END}")
                self.switched = True

    def _flush(self) -> None:
        text = " ".join("".join(self.text).split())
        if self.current is not None and _RUN_RE.sub("", text).strip():
            self.current.text = text
            self.blocks.append(self.current)
        self.current = None
        self.text = []

    def _start(self, block: Block) -> None:
        self._flush()
        self.current = block
        self._switch("")  # a block that starts inside an element in another language

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        self._block_start(tag, attr)
        lang = attr.get("lang")
        if lang and not self.skip and tag not in ("br", "img", "hr", "wbr"):
            before = self._other()
            self.langs.append((tag, lang))
            self._switch(before)

    def _block_start(self, tag: str, attr: dict[str, str | None]) -> None:
        if self.skip:
            self.skip += tag not in ("br", "img", "hr", "input", "meta", "wbr")
            return
        if tag == "a" and "footnote-backref" in (attr.get("class") or ""):
            self.skip = 1
            return
        if tag in ("h1", "h2"):
            self._start(Block("heading", ""))
        elif tag in ("h3", "h4", "h5", "h6"):
            self._start(Block("subheading", ""))
        elif tag in ("ul", "ol"):
            self._flush()
            kind = (attr.get("type") or "1") if tag == "ol" else "\u2022"
            start = int(attr.get("start") or 1) if tag == "ol" else 1
            self.lists.append(_List(kind, start))
        elif tag == "li":
            depth = max(len(self.lists) - 1, 0)
            marker = ""
            if self.lists:
                marker = _marker(self.lists[-1].kind, self.lists[-1].number)
                self.lists[-1].number += 1
            self._start(Block("item", "", depth, marker))
        elif tag == "p":
            started = "".join(self.text).strip()
            if self.current is not None and self.current.kind == "item" and not started:
                return  # a loose list item's paragraph is the item itself
            if self.current is not None and self.current.kind == "item":
                self._start(Block("item", "", self.current.depth))  # its second paragraph
                return
            self._start(Block("quote" if self.quote else "paragraph", ""))
        elif tag == "blockquote":
            self._flush()
            self.quote += 1
        elif tag == "thead":
            self.in_head = True
        elif tag == "tr":
            self._flush()
            self.cells = []
        elif tag in ("td", "th"):
            self.text = []
        elif tag == "br":
            self.text.append(" ")
        elif tag == "img":
            alt = (attr.get("alt") or "").strip()
            if alt:
                self.text.append(f" {alt} ")
        elif tag == "a":
            self.links.append((attr.get("href") or "", len("".join(self.text))))
        elif tag == "sup":
            self.text.append("[")
        if tag in self._BLOCKS and self.current is None and tag not in ("tr",):
            self.current = Block("paragraph", "")

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            self.skip -= 1
            return
        self._block_end(tag)
        if self.langs and self.langs[-1][0] == tag:
            before = self._other()
            self.langs.pop()
            self._switch(before)

    def _block_end(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd"):
            self._flush()
        elif tag in ("ul", "ol"):
            self._flush()
            if self.lists:
                self.lists.pop()
        elif tag == "blockquote":
            self._flush()
            self.quote = max(self.quote - 1, 0)
        elif tag == "thead":
            self.in_head = False
        elif tag in ("td", "th"):
            self.cells.append(" ".join("".join(self.text).split()))
            self.text = []
        elif tag == "tr":
            if self.in_head:
                self.headers = list(self.cells)
            else:
                # A table row reads as one item: "Heading: value; Heading: value".
                parts = [
                    f"{head}: {cell}" if head else cell
                    for head, cell in zip(
                        self.headers + [""] * len(self.cells), self.cells, strict=False
                    )
                ]
                self.blocks.append(Block("item", "; ".join(parts)))
            self.cells = []
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            label = _RUN_RE.sub("", "".join(self.text)[start:]).strip()
            address = _address(href, self.base_url)
            if address and _plain(address) != _plain(label):
                self.text.append(f" {address}" if label else address)
        elif tag == "sup":
            self.text.append("]")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def _marker(kind: str, number: int) -> str:
    if kind == "\u2022":
        return "\u2022"
    if kind == "a":
        return f"{_letters(number)}."
    if kind == "A":
        return f"{_letters(number).upper()}."
    if kind in ("i", "I"):
        roman = _roman(number)
        return f"{roman if kind == 'I' else roman.lower()}."
    return f"{number}."


def _letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _roman(number: int) -> str:
    out = ""
    for value, digits in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while number >= value:
            out += digits
            number -= value
    return out


def _address(href: str, base_url: str) -> str:
    """Where a link goes, as a reader would type it; nothing for links within the document."""
    if not href or href.startswith("#"):
        return ""
    if href.startswith("mailto:"):
        return href[len("mailto:") :]
    if href.startswith("tel:"):
        return href[len("tel:") :]
    return urljoin(base_url, href) if base_url else href


def _plain(address: str) -> str:
    parts = urlsplit(address)
    return (parts.netloc + parts.path).removeprefix("www.").rstrip("/").lower() or address.lower()


def read_blocks(
    view: DocumentView,
    *,
    school_name: str,
    public_url: str,
    switch_note: str = SWITCH_NOTE,
) -> list[Block]:
    """The document as braille blocks: the title page's lines, then the body.

    ``switch_note`` is the transcriber's note on English runs, translated into the document's
    language (untranslated, it is written as English)."""
    lang = view.lang.code
    english = lang.split("-", 1)[0] != "en" and "en" in OTHER_LANGUAGE_TABLES
    blocks = [Block("title", view.title)]
    if school_name:
        # The school's name is English (the web pages mark it so in every language).
        blocks.append(Block("title", _english(school_name) if english else school_name))
    if public_url:
        blocks.append(Block("url", public_url))
    if view.summary and view.kind == "policy":
        blocks.append(Block("paragraph", view.summary))
    reader = _BlockReader(public_url, lang)
    reader.feed(view.body.html)
    reader.close()
    if english and (reader.switched or school_name):
        note = _english(SWITCH_NOTE) if switch_note == SWITCH_NOTE else switch_note
        blocks.append(Block("note", _marked(note, english)))
    return blocks + reader.blocks


def _english(text: str) -> str:
    return f"{_RUN_START}en{_RUN_TAG_END}{text}{_RUN_END}"


def _marked(text: str, english: bool) -> str:
    """An interface string's words marked as English ([words]{lang=en}) as English runs (in a
    document of another language), other marks dropped."""

    def run(match: re.Match[str]) -> str:
        words, tag = match.group(1), match.group(2)
        return _english(words) if english and tag.split("-", 1)[0] == "en" else words

    return SPAN_RE.sub(run, text)


def _cells(text: str, translate: _Translator) -> str:
    """A block's text in braille: its own language's code, and runs in another language in
    that language's code between the code-switch indicators."""
    if _RUN_START not in text:
        return translate(text)
    out: list[str] = []
    other = ""
    for part in _RUN_RE.split(text):
        if part.startswith(_RUN_START):
            other = part[1:-1]
            continue
        if part == _RUN_END:
            other = ""
            continue
        core = part.strip()
        if part[:1].isspace():
            out.append(BLANK)
        if core:
            if other:
                cells = _translator(OTHER_LANGUAGE_TABLES[other])(core)
                out.append(SWITCH_OPEN + cells + SWITCH_CLOSE)
            else:
                out.append(translate(core))
        if part[-1:].isspace() and core:
            out.append(BLANK)
    return re.sub(f"{BLANK}+", BLANK, "".join(out)).strip(BLANK)


# -- layout -----------------------------------------------------------------------------------


@dataclass
class _Lines:
    lines: list[str]
    blank_before: bool = False
    keep_with_next: bool = False


def _wrap_cells(
    cells: str, first: int, runover: int, width: int = LINE_CELLS, slash: str = "\u280c"
) -> list[str]:
    """Braille words onto lines: a word is never split, unless it is longer than a line (an
    address), which is then divided after a slash where it can be."""
    lines: list[str] = []
    line = BLANK * first
    for word in cells.split(BLANK):
        if not word:
            continue
        indent = len(line) == (first if not lines else runover)
        room = width - len(line) - (0 if indent else 1)
        if len(word) <= room:
            line += word if indent else BLANK + word
            continue
        if len(word) <= width - runover:
            if line.strip(BLANK):
                lines.append(line)
            line = BLANK * runover + word
            continue
        if not indent:  # a word longer than any line starts a line of its own
            lines.append(line)
            line = BLANK * runover
        while len(line) + len(word) > width:
            room = width - len(line)
            at = word.rfind(slash, room // 2, room) if slash else -1
            cut = at + len(slash) if at >= 0 else room
            lines.append(line + word[:cut])
            line, word = BLANK * runover, word[cut:]
        line += word
    if line.strip(BLANK):
        lines.append(line)
    return lines


def _centred(cells: str) -> list[str]:
    """A centred heading: at least three blank cells either side (long ones on more lines)."""
    lines = _wrap_cells(cells, 0, 0, LINE_CELLS - 6)
    return [BLANK * ((LINE_CELLS - len(line)) // 2) + line for line in lines]


def _layout(blocks: list[Block], translate: _Translator) -> list[_Lines]:
    laid: list[_Lines] = []
    previous: Kind | None = None
    _wrap = functools.partial(_wrap_cells, slash=translate.slash)
    for block in blocks:
        marked = f"{block.marker} {block.text}" if block.marker else block.text
        if block.kind == "note":
            english_note = _RUN_RE.split(block.text)[0] == "" and block.text.endswith(_RUN_END)
            if english_note and block.text.count(_RUN_START) == 1:
                # The note in English: in its indicators, inside the English code switch.
                inner = _translator(OTHER_LANGUAGE_TABLES["en"])(_RUN_RE.sub("", block.text))
                note = SWITCH_OPEN + NOTE_OPEN + inner + NOTE_CLOSE + SWITCH_CLOSE
            else:
                # Translated: the document's own code, its English words switched.
                note = NOTE_OPEN + _cells(block.text, translate) + NOTE_CLOSE
            laid.append(_Lines(_wrap(note, 6, 4), blank_before=True))
            previous = block.kind
            continue
        cells = _cells(marked, translate)
        if block.kind == "title":
            laid.append(_Lines(_centred(cells), keep_with_next=True))
        elif block.kind == "url":
            laid.append(_Lines(_wrap(cells, 0, 2)))
        elif block.kind == "heading":
            # A main heading within the text: centred, a blank line before and after.
            laid.append(_Lines([*_centred(cells), ""], blank_before=True, keep_with_next=True))
        elif block.kind == "subheading":
            # A cell-5 heading: blocked from cell 5, a blank line before, none after.
            laid.append(_Lines(_wrap(cells, 4, 4), blank_before=True, keep_with_next=True))
        elif block.kind == "item":
            # List items from cell 1 (nested: two cells further in) with runovers two cells in
            # from the item's start, so the markers stand out.
            start = 2 * block.depth
            if not block.marker and previous == "item" and block.depth:
                start += 2  # a list item's further paragraph, in line with the item's text
            laid.append(_Lines(_wrap(cells, start, start + 2)))
        elif block.kind == "quote":
            laid.append(_Lines(_wrap(cells, 2, 2), blank_before=previous != "quote"))
        else:
            # Paragraphs start in cell 3 and run over to cell 1.
            after_title = previous in ("title", "url")
            laid.append(_Lines(_wrap(cells, 2, 0), blank_before=after_title))
        previous = block.kind
    return laid


def _paginate(laid: list[_Lines], page_number: Callable[[str], str]) -> list[list[str]]:
    """Pages of at most 25 lines: line 1 holds the braille page number at the right; a heading
    never ends a page (it moves over with the first two lines of what follows)."""
    body = PAGE_LINES - 1
    pages: list[list[str]] = [[]]

    def room() -> int:
        return body - len(pages[-1])

    for index, part in enumerate(laid):
        lines = list(part.lines)
        if part.blank_before and pages[-1] and pages[-1][-1] != "":
            lines.insert(0, "")
        if part.keep_with_next and pages[-1]:
            following = laid[index + 1].lines if index + 1 < len(laid) else []
            need = len(lines) + min(2, len(following))
            if room() < need <= body:
                pages.append([])
                lines = part.lines
        for line in lines:
            if room() == 0:
                pages.append([])
            if line == "" and not pages[-1]:
                continue  # never a blank line at the top of a page
            pages[-1].append(line)
    while pages and pages[-1] and pages[-1][-1] == "":
        pages[-1].pop()
    numbered = []
    for number, lines in enumerate(pages, start=1):
        while lines and lines[-1] == "":
            lines.pop()
        mark = page_number(str(number))
        numbered.append([BLANK * (LINE_CELLS - len(mark)) + mark, *lines])
    return numbered


_TO_ASCII = {0x2800 + dots: cell for dots, cell in enumerate(_ASCII_BRAILLE)}


def _to_ascii(line: str) -> str:
    ascii_line = line.translate(_TO_ASCII).rstrip(" ")
    if not ascii_line.isascii():
        raise ValueError(f"not six-dot braille: {line!r}")
    return ascii_line


def render_braille(
    view: DocumentView,
    *,
    school_name: str,
    public_url: str,
    switch_note: str = SWITCH_NOTE,
) -> BrailleDocument:
    """``view`` as braille pages, in the code its language's readers expect.

    ``public_url`` is the document's address on the web: it is written under the title, and the
    body's relative links are made into addresses from it. Raises BrailleUnavailable when
    liblouis or its tables are missing, and KeyError for a language without a braille code."""
    code = BRAILLE_CODES[view.lang.code]
    translate = _translator(code.tables)
    blocks = read_blocks(
        view,
        school_name=school_name,
        public_url=public_url,
        switch_note=switch_note,
    )
    pages = _paginate(_layout(blocks, translate), translate)
    brf = FORM_FEED.join("".join(_to_ascii(line) + BRF_NEWLINE for line in page) for page in pages)
    text = FORM_FEED.join("".join(line.rstrip(BLANK) + "\n" for line in page) for page in pages)
    return BrailleDocument(brf.encode("ascii"), text, len(pages))


def brf_pages(brf: bytes) -> Iterator[list[str]]:
    """A BRF file's pages, as lists of lines (for checks and tests)."""
    for page in brf.decode("ascii").split(FORM_FEED):
        yield (
            page.split(BRF_NEWLINE)[:-1] if page.endswith(BRF_NEWLINE) else page.split(BRF_NEWLINE)
        )
