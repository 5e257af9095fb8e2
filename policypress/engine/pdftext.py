"""PDF text: what a screen reader, a search box or copy-and-paste gets from a PDF.

The Urdu font (Noto Nastaliq Urdu) builds letters from shared shapes (one dotless body for
ب ت ث ن ی, the dots drawn as separate marks), so no glyph-to-character map (ToUnicode) can be
right on its own. The Arabic PDFs' font (IBM Plex Sans Arabic, one of SELF_READING_FONTS) draws
each letter form as a glyph of its own: its glyphs get their own characters (a mark's glyph its
mark, a right-to-left ligature's letters in the order they are seen) and need no reading layer,
except in words with vowel marks, which extractors otherwise pull apart. Letter spacing in the
dyslexia-friendly variant makes extractors split words into letter groups. WeasyPrint draws
each text box (one line's run of text in one style) inside a ``/Span <</MCID n>> BDC … EMC``
marked-content sequence. This module gives that text its ``/ActualText`` (PDF 32000-1,
14.9.4), so that engines that honour it (poppler's pdftotext among them; pdfminer.six does not)
read the words as written:

- a box with no right-to-left character gets its whole text on that sequence;
- in a box with right-to-left text (or in a right-to-left paragraph), each cluster's glyphs
  get ``/Span <</ActualText …>> BDC … EMC`` sequences of their own: the widest glyph says the
  cluster's characters, its dots and marks say nothing (an empty string), and spaces keep their
  own glyph's text. An extractor that puts the glyphs of a right-to-left line back in reading
  order (poppler does) then does the same with the letters; one /ActualText per word is not
  read right by poppler 22 (it spreads a word's letters left to right, then reverses them with
  the line).

This is the one place that reaches into WeasyPrint's drawing internals (``Stream.marked`` and
``draw_first_line``); :func:`install` checks the installed version first."""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

# The WeasyPrint majors this was tested with; ``Stream.marked(box, tag)`` and
# ``draw_first_line(stream, textbox, …)`` must be as they are there.
TESTED_WEASYPRINT = range(66, 71)

_TJ = re.compile(rb"\[(.*)\] TJ", re.DOTALL)
_TJ_PART = re.compile(rb"<([0-9a-fA-F]*)>|([-+0-9.]+)")
_GLYPH_CODE = re.compile(rb"[0-9a-fA-F]{4}")
_WORD = re.compile(r"\S+")
RIGHT_TO_LEFT_MARK = "\u200f"
# Fonts with one glyph per letter form (dots drawn as part of the letter, never as marks shared
# between letters): a glyph stands for the same characters wherever it is drawn, so the font's
# own glyph-to-character map (ToUnicode) is right and its text needs no reading layer. Measured
# by shaping every word of the shipped Arabic translation with HarfBuzz, and by pdfminer.six on
# the PDFs (tests/render/test_pdf_text.py; bench/self_reading.py measures a candidate). No
# Nastaliq font qualifies: their glyphs stand for several letters (dotless bodies, the dots drawn
# as marks), so pdfminer.six would read 22% (Noto Nastaliq Urdu 3.007), 42.5% (Gulzar 1.000) or
# 44.6% (SIL Awami Nastaliq 2.200) of the Urdu page's words; Urdu keeps its reading layer.
SELF_READING_FONTS = frozenset({"IBM Plex Sans Arabic"})
_DRAWING = "_policypress_text_box"  # on a stream: the text box being drawn in a tagged span


class UnsupportedWeasyPrint(RuntimeError):
    """The installed WeasyPrint draws text in a way this module was not tested with."""


def actual_text(text: str) -> bytes:
    """A PDF text string for ``/ActualText``: UTF-16BE with its byte order mark, in hex, so that
    every script and every character (parentheses, backslashes) is written the same way."""
    return b"<" + (codecs.BOM_UTF16_BE + text.encode("utf-16-be")).hex().encode("ascii") + b">"


def has_right_to_left(text: str) -> bool:
    # ASCII has no right-to-left character; otherwise each distinct character is looked at once.
    return not text.isascii() and any(
        unicodedata.bidirectional(char) in ("R", "AL") for char in set(text)
    )


def _in_right_to_left_paragraph(box: Any) -> bool:
    """Whether the box's text is laid out in a right-to-left paragraph (its nearest block's
    direction), as a Latin word in an Arabic sentence is."""
    style = box.style
    while style is not None and style["display"][0] == "inline":
        style = style.parent_style
    return style is not None and style["direction"] == "rtl"


def _has_reading_layer(box: Any) -> bool:
    """Whether the box's words are drawn with a reading layer (see the module's notes): any
    box with right-to-left text, and any box in a right-to-left paragraph."""
    return has_right_to_left(box.text) or _in_right_to_left_paragraph(box)


def install() -> None:
    """Make WeasyPrint write the text it draws as ``/ActualText``. Idempotent: a PDF worker
    calls it before every document."""
    import weasyprint
    from weasyprint.draw import text as draw_text
    from weasyprint.pdf.stream import Stream

    if getattr(Stream.marked, "policypress_actual_text", False):
        return
    major = int(weasyprint.__version__.split(".", 1)[0])
    if major not in TESTED_WEASYPRINT or not hasattr(draw_text, "draw_first_line"):
        raise UnsupportedWeasyPrint(
            f"WeasyPrint {weasyprint.__version__} is installed; policypress's PDF text was "
            f"tested with WeasyPrint {TESTED_WEASYPRINT.start} to {TESTED_WEASYPRINT.stop - 1}. "
            f"Install a version in that range: pip install 'weasyprint>="
            f"{TESTED_WEASYPRINT.start},<{TESTED_WEASYPRINT.stop}'"
        )
    Stream.marked = _marked(Stream.marked)
    draw_text.draw_first_line = _draw_first_line(draw_text.draw_first_line)


def _marked(original: Callable[..., Any]) -> Any:
    import pydyf
    from weasyprint.formatting_structure.boxes import TextBox

    @contextmanager
    def marked(self: Any, box: Any, tag: str) -> Iterator[None]:
        text = box.text if isinstance(box, TextBox) and tag == "Span" else ""
        if self._tags is None or not text.strip():
            with original(self, box, tag):
                yield
            return
        # As WeasyPrint's own; a box with no right-to-left text gets its text here, the others
        # word by word from draw_first_line.
        mcid = len(self._tags)
        self._tags[box] = {"tag": tag, "mcid": mcid}
        properties = pydyf.Dictionary({"MCID": mcid})
        if not _has_reading_layer(box):
            properties["ActualText"] = actual_text(text)
        pydyf.Stream.begin_marked_content(self, tag, properties)
        setattr(self, _DRAWING, box)
        try:
            yield
        finally:
            setattr(self, _DRAWING, None)
            pydyf.Stream.end_marked_content(self)

    marked.policypress_actual_text = True  # type: ignore[attr-defined]
    return marked


def _draw_first_line(original: Callable[..., Any]) -> Callable[..., Any]:
    def draw_first_line(stream: Any, textbox: Any, *args: Any, **kwargs: Any) -> Any:
        _claim_glyph_text(stream, textbox)
        start = len(stream.stream)
        result = original(stream, textbox, *args, **kwargs)
        drawing = id(getattr(stream, _DRAWING, None)) == id(textbox)
        if drawing and _has_reading_layer(textbox):
            glyphs, groups = _words(stream, textbox, _in_right_to_left_paragraph(textbox))
            drawn = _with_reading_layer(stream.stream[start:], glyphs, groups)
            if drawn is not None:
                stream.stream[start:] = drawn
        return result

    return draw_first_line


def _is_self_reading(font: Any) -> bool:
    return str(font.family) in SELF_READING_FONTS


_NOMINAL: dict[str, dict[int, int]] = {}  # a font's hash -> its character map (code -> glyph)


def _nominal_glyphs(font: Any) -> dict[int, int]:
    """The font's own map from characters to glyphs, read once per font and process."""
    found = _NOMINAL.get(font.hash)
    if found is None:
        import io

        from fontTools.ttLib import TTFont

        parsed = TTFont(io.BytesIO(font.file_content), fontNumber=font.index, lazy=True)
        found = {code: parsed.getGlyphID(name) for code, name in parsed.getBestCmap().items()}
        _NOMINAL[font.hash] = found
    return found


def _claim_glyph_text(stream: Any, textbox: Any) -> None:
    """Before WeasyPrint maps the line's glyphs to text (it keeps the first text it sees for a
    glyph: for a letter drawn with a mark, the cluster's whole text on whichever of the two
    glyphs comes first), give each glyph of a self-reading font its own characters: a mark's
    glyph its mark, the letter's glyph the rest of the cluster."""
    from weasyprint.text.ffi import ffi, pango

    first_line, _ = textbox.pango_layout.get_first_line()
    encoded: bytes | None = None
    run = first_line.runs
    while run != ffi.NULL:
        item = run.data
        run = run.next
        font, _size = stream.add_font(item.item.analysis.font)
        if not _is_self_reading(font):
            continue
        encoded = encoded if encoded is not None else textbox.pango_layout.text.encode()
        string, offset, length = item.glyphs, item.item.offset, item.item.length
        count = string.num_glyphs
        members: dict[int, list[int]] = {}
        for i in range(count):
            glyph = string.glyphs[i].glyph
            if glyph != pango.PANGO_GLYPH_EMPTY and not glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                members.setdefault(string.log_clusters[i], []).append(glyph)
        bounds = sorted({*members, length})
        nominal = _nominal_glyphs(font)
        for begin, glyphs in members.items():
            end = bounds[bounds.index(begin) + 1]
            text = encoded[offset + begin : offset + end].decode("utf-8", "replace")
            rtl = bool(item.item.analysis.level % 2)
            for glyph, chars in glyph_texts(text, glyphs, nominal, rtl=rtl).items():
                font.to_unicode.setdefault(glyph, chars)


def glyph_texts(
    text: str, glyphs: list[int], nominal: Mapping[int, int], *, rtl: bool
) -> dict[int, str]:
    """The text each glyph of one cluster (``text`` drawn as ``glyphs``) stands for, in a font
    whose glyphs carry their own letters: a combining mark drawn by its own (``nominal``) glyph
    says that mark; the first other glyph says the rest of the cluster (as seen, right to left,
    in a right-to-left run), any further ones nothing."""
    said: dict[int, str] = {}
    rest = ""
    for char in text:
        glyph = nominal.get(ord(char))
        if unicodedata.combining(char) and glyph in glyphs and glyph not in said:
            said[glyph] = char
        else:
            rest += char
    if rtl:
        rest = _as_seen(rest)
    letters = [glyph for glyph in glyphs if glyph not in said]
    for glyph in letters:
        said[glyph] = rest if glyph == letters[0] else ""
    return said


def _as_seen(text: str) -> str:
    """A right-to-left ligature's letters (as "لا" drawn as one glyph) in the order they are
    seen, right to left, each letter with its marks: extractors that reorder a right-to-left
    line (poppler) reverse the text of each glyph with it."""
    letters: list[str] = []
    for char in text:
        if letters and unicodedata.combining(char):
            letters[-1] += char
        else:
            letters.append(char)
    return "".join(reversed(letters))


@dataclass(frozen=True)
class Word:
    """The glyphs Pango draws for one word of a line (a run of glyphs between spaces, in one
    font and direction), and what its reading layer writes for them."""

    text: str  # the word's characters, in logical order
    right_to_left: bool
    advance: float  # the word's advance, in thousandths of the font size (as TJ offsets)
    glyph: int  # a glyph of the word's font, drawn invisibly under each character
    glyph_width: int  # that glyph's advance, in thousandths of the font size (its /W)
    lead: float  # the TJ offset WeasyPrint moves the pen by before the word's first glyph
    start: int  # where the word starts in the box's text (UTF-8 bytes)
    isolated: bool = False  # the first word of a left-to-right phrase in a right-to-left line
    opens: bool = False  # the last word of a left-to-right phrase in a right-to-left line


def _words(
    stream: Any, textbox: Any, right_to_left_paragraph: bool
) -> tuple[list[int | None], list[Word]]:
    """For each glyph WeasyPrint draws of the box's line, in drawing order, the index of its
    word (None for a space: its glyph's own ToUnicode says it), and the words."""
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango

    encoded = textbox.pango_layout.text.encode()
    glyphs: list[int | None] = []
    words: list[Word] = []
    empty, unknown = pango.PANGO_GLYPH_EMPTY, pango.PANGO_GLYPH_UNKNOWN_FLAG
    old_pango = pango.pango_version() < 14802
    unlayered: list[int] = []  # where right-to-left runs drawn without a reading layer start
    first_line, _ = textbox.pango_layout.get_first_line()
    run = first_line.runs
    while run != ffi.NULL:
        item = run.data
        run = run.next
        string, offset, length = item.glyphs, item.item.offset, item.item.length
        font, font_size = stream.add_font(item.item.analysis.font)
        if old_pango or font.png:
            font_size = textbox.style["font_size"]
        count = string.num_glyphs
        self_reading = _is_self_reading(font)
        # Read from Pango once: each glyph's cluster start, id and advance.
        starts: list[int] = ffi.unpack(string.log_clusters, count) if count else []
        infos = [string.glyphs[i] for i in range(count)]
        ids = [info.glyph for info in infos]
        advances = [info.geometry.width for info in infos]
        bounds = sorted({*starts, length})
        end_of = dict(itertools.pairwise(bounds))
        space_at = {
            begin: not encoded[offset + begin : offset + end].decode("utf-8", "replace").strip()
            for begin, end in end_of.items()
        }
        # Words: runs of glyphs, in drawing order, whose clusters are not white space.
        spans: list[list[int]] = []
        previous_space = True
        for i, begin in enumerate(starts):
            space = space_at[begin]
            if not space:
                if previous_space:
                    spans.append([])
                spans[-1].append(i)
            previous_space = space
        word_of: dict[int, int | None] = {}
        for members in spans:
            drawn = [i for i in members if ids[i] != empty and not ids[i] & unknown]
            carrier = max(drawn, key=advances.__getitem__, default=None)
            width = None if carrier is None else font.widths.get(ids[carrier])
            begin = min(starts[i] for i in members)
            end = max(end_of[starts[i]] for i in members)
            text = encoded[offset + begin : offset + end].decode("utf-8", "replace")
            right_to_left = bool(item.item.analysis.level % 2)
            if self_reading and right_to_left and not any(map(unicodedata.combining, text)):
                # Its glyphs' own text is right; a word with vowel marks keeps the layer
                # (extractors take a mark drawn as a glyph of its own out of its word), and so
                # does a left-to-right run such as a number ("١٫١"), which needs the marks that
                # keep its spaces where they are in a right-to-left line.
                unlayered.append(offset + begin)
                word_of.update(dict.fromkeys(members))
                continue
            if carrier is None or not width:
                word_of.update(dict.fromkeys(members))
                continue
            word_of.update(dict.fromkeys(members, len(words)))
            words.append(
                Word(
                    text=text,
                    right_to_left=right_to_left,
                    advance=sum(advances[i] for i in members) * FROM_UNITS * 1000 / font_size,
                    glyph=ids[carrier],
                    glyph_width=width,
                    lead=infos[members[0]].geometry.x_offset / font_size,
                    start=offset + begin,
                )
            )
        # An empty glyph is drawn as a move, not a glyph.
        glyphs.extend([word_of.get(i) for i, code in enumerate(ids) if code != empty])
    if right_to_left_paragraph:
        # poppler's reordering gives the space after a left-to-right phrase in a right-to-left
        # line to the start of that phrase (and so loses it between the phrase and the next
        # word): a right-to-left mark just after the phrase keeps the space where it is. Seen
        # from the right, "after the phrase" is at its left: before its first word.
        in_order = sorted(range(len(words)), key=lambda index: words[index].start)
        first: int | None = None  # the first word of the left-to-right phrase being read
        for index, after in itertools.zip_longest(in_order, in_order[1:]):
            if words[index].right_to_left:
                first = None
                continue
            first = index if first is None else first
            end = len(encoded) if after is None else words[after].start
            if (
                after is None
                or words[after].right_to_left
                or any(words[index].start < start < end for start in unlayered)
            ):
                words[first] = replace(words[first], isolated=True)
                words[index] = replace(words[index], opens=True)
                first = None
    return glyphs, words


def _number(value: float) -> bytes:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0").encode("ascii")


def _span(text: str) -> bytes:
    """``/Span <</ActualText …>> BDC`` as pydyf writes a content stream's items (one a line,
    the properties as ``Dictionary({"ActualText": …})``), made once for each string: the
    reading layer repeats the same few letters thousands of times."""
    span = _SPANS.get(text)
    if span is None:
        span = _SPANS[text] = b"/Span\n<</ActualText " + actual_text(text) + b">>\nBDC"
    return span


_SPANS: dict[str, bytes] = {}


def _reading_layer(group: Word, rise: bytes | None) -> list[Any]:
    """The group's characters as invisible glyphs on the baseline, one /ActualText each, laid
    out in the order they are seen (right to left for Arabic script) across the group's
    advance; the pen ends where it started. (One item: the stream's lines, as pydyf would
    write them one item a line.)"""
    # Laid out as seen: right to left, or left to right with the mark (if any) at the left,
    # where the next word of a right-to-left line is.
    if group.right_to_left:
        seen = list(reversed(group.text))
    else:
        seen = ([RIGHT_TO_LEFT_MARK] if group.isolated else []) + list(group.text)
        seen += [RIGHT_TO_LEFT_MARK] if group.opens else []
    # Each character as wide as its share of the word (extractors take a glyph's width as its
    # character's, and start a new word where characters overlap or leave a gap); the pen
    # goes back by exactly what the rounded scaling moved it.
    scale = _number(100 * group.advance / len(seen) / group.glyph_width)
    back = len(seen) * group.glyph_width * float(scale) / 100 - float(_number(group.lead))
    out: list[bytes] = [b"3 Tr"]
    if rise is not None:
        out.append(b"0 Ts")
    if group.lead:
        out.append(b"[" + _number(group.lead) + b"] TJ")
    out.append(scale + b" Tz")
    shown = b"\n[<%04x>] TJ\nEMC" % group.glyph
    out.extend(_span(char) + shown for char in seen)
    out.append(b"100 Tz")
    out.append(b"[" + _number(back) + b"] TJ")
    out.append(b"0 Tr")
    if rise is not None:
        out.append(rise + b" Ts")
    return [b"\n".join(out)]


def _with_reading_layer(
    items: list[Any], glyphs: list[int | None], groups: list[Word]
) -> list[Any] | None:
    """``items`` (the operators that drew one line) with each letter group's glyphs in a
    ``/Span <</ActualText ()>> BDC … EMC`` of their own, after its reading layer; None if the
    glyphs drawn are not the glyphs counted (then the line keeps no /ActualText rather than a
    wrong one)."""
    silent = _span("")
    out: list[Any] = []
    glyph = 0
    total = len(glyphs)
    open_group: int | None = None
    written: set[int] = set()
    rise: bytes | None = None
    for item in items:
        if not isinstance(item, bytes):
            out.append(item)
            continue
        if item.endswith(b" Ts"):
            value = item[:-3]
            rise = None if float(value) == 0 else value
        match = _TJ.fullmatch(item)
        if match is None:
            out.append(item)
            continue
        piece: list[bytes] = []
        for hexes, number in _TJ_PART.findall(match.group(1)):
            if number:
                piece.append(number)
                continue
            if len(hexes) % 4:
                return None  # a bitmap font's one-byte codes: not drawn by our fonts
            codes = _GLYPH_CODE.findall(hexes)
            if glyph + len(codes) > total:
                return None
            drawn = glyphs[glyph : glyph + len(codes)]
            glyph += len(codes)
            for code, group in zip(codes, drawn, strict=True):
                if group != open_group:
                    if piece:
                        out.append(b"[" + b" ".join(piece) + b"] TJ")
                        piece = []
                    if open_group is not None:
                        out.append(b"EMC")
                    open_group = group
                    if group is not None:
                        if group not in written:
                            written.add(group)
                            out.extend(_reading_layer(groups[group], rise))
                        out.append(silent)
                piece.append(b"<" + code + b">")
        if piece:
            out.append(b"[" + b" ".join(piece) + b"] TJ")
    if glyph != total:
        return None
    if open_group is not None:
        out.append(b"EMC")
    return out
