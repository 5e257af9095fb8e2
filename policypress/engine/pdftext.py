"""PDF text: what a screen reader, a search box or copy-and-paste gets from a PDF.

The Arabic and Urdu fonts build letters from shared shapes (one dotless body for ب ت ث ن ي,
the dots drawn as separate marks), so no glyph-to-character map (ToUnicode) can be right on its
own; letter spacing in the dyslexia-friendly variant makes extractors split words into letter
groups. WeasyPrint draws each text box (one line's run of text in one style) inside a
``/Span <</MCID n>> BDC … EMC`` marked-content sequence. This module gives that text its
``/ActualText`` (PDF 32000-1, 14.9.4), so that engines that honour it (poppler's pdftotext
among them; pdfminer.six does not) read the words as written:

- a box with no right-to-left character gets its whole text on that sequence;
- in a box with right-to-left text, each cluster's glyphs get ``/Span <</ActualText …>> BDC …
  EMC`` sequences of their own: the widest glyph says the cluster's characters, its dots and
  marks say nothing (an empty string), and spaces keep their own glyph's text. An extractor
  that puts the glyphs of a right-to-left line back in reading order (poppler does) then does
  the same with the letters; one /ActualText per word is not read right by poppler 22 (it
  spreads a word's letters left to right, then reverses them with the line).

This is the one place that reaches into WeasyPrint's drawing internals (``Stream.marked`` and
``draw_first_line``); :func:`install` checks the installed version first."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# The WeasyPrint majors this was tested with; ``Stream.marked(box, tag)`` and
# ``draw_first_line(stream, textbox, …)`` must be as they are there.
TESTED_WEASYPRINT = range(66, 71)

_TJ = re.compile(rb"\[(.*)\] TJ", re.DOTALL)
_TJ_PART = re.compile(rb"<([0-9a-fA-F]*)>|([-+0-9.]+)")
_WORD = re.compile(r"\S+")
_DRAWING = "_policypress_text_box"  # on a stream: the text box being drawn in a tagged span


class UnsupportedWeasyPrint(RuntimeError):
    """The installed WeasyPrint draws text in a way this module was not tested with."""


def actual_text(text: str) -> bytes:
    """A PDF text string for ``/ActualText``: UTF-16BE with its byte order mark, in hex, so that
    every script and every character (parentheses, backslashes) is written the same way."""
    return b"<" + (codecs.BOM_UTF16_BE + text.encode("utf-16-be")).hex().encode("ascii") + b">"


def has_right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


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
        if not has_right_to_left(text):
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
        start = len(stream.stream)
        result = original(stream, textbox, *args, **kwargs)
        drawing = id(getattr(stream, _DRAWING, None)) == id(textbox)
        if drawing and has_right_to_left(textbox.text):
            segments = _glyph_segments(textbox)
            drawn = _split_by_cluster(stream.stream[start:], segments, textbox.pango_layout.text)
            if drawn is not None:
                stream.stream[start:] = drawn
        return result

    return draw_first_line


Segment = tuple[int, int, bool]  # a cluster's UTF-8 byte range; does this glyph carry its text


def _glyph_segments(textbox: Any) -> list[Segment | None]:
    """For each glyph WeasyPrint draws of the box's line, in drawing order: its cluster (the
    characters it is drawn for, found from Pango as ``draw_first_line`` finds them) and whether
    it carries their text: the widest glyph of a cluster does, its dots and marks (drawn as
    glyphs of their own) do not. None for a space: its glyph's own ToUnicode says it."""
    from weasyprint.text.ffi import ffi, pango

    encoded = textbox.pango_layout.text.encode()
    segments: list[Segment | None] = []
    first_line, _ = textbox.pango_layout.get_first_line()
    run = first_line.runs
    while run != ffi.NULL:
        item = run.data
        run = run.next
        string, offset, length = item.glyphs, item.item.offset, item.item.length
        count = string.num_glyphs
        starts = [string.log_clusters[i] for i in range(count)]
        ends = sorted({*starts, length})
        widest: dict[int, int] = {}
        for i in range(count):
            width = string.glyphs[i].geometry.width
            if starts[i] not in widest or width > string.glyphs[widest[starts[i]]].geometry.width:
                widest[starts[i]] = i
        for i in range(count):
            if string.glyphs[i].glyph == pango.PANGO_GLYPH_EMPTY:
                continue  # drawn as a move, not a glyph
            begin = starts[i]
            end = ends[ends.index(begin) + 1]
            if not encoded[offset + begin : offset + end].decode(errors="replace").strip():
                segments.append(None)
            else:
                segments.append((offset + begin, offset + end, widest[begin] == i))
    return segments


def _split_by_cluster(items: list[Any], words: list[Segment | None], text: str) -> list[Any] | None:
    """``items`` (the operators that drew one line) with each word's glyphs in a
    ``/Span <</ActualText (word)>> BDC … EMC`` of their own; None if the glyphs drawn are not
    the glyphs counted (then the line keeps no /ActualText rather than a wrong one)."""
    import pydyf

    encoded = text.encode()
    out: list[Any] = []
    glyph = 0
    open_word: Segment | None = None
    done: set[Segment] = set()
    for item in items:
        match = _TJ.fullmatch(item) if isinstance(item, bytes) else None
        if match is None:
            out.append(item)
            continue
        piece: list[bytes] = []
        for part in _TJ_PART.finditer(match.group(1)):
            if part.group(2) is not None:
                piece.append(part.group(2))
                continue
            hexes = part.group(1)
            if len(hexes) % 4:
                return None  # a bitmap font's one-byte codes: not drawn by our fonts
            for code in (hexes[i : i + 4] for i in range(0, len(hexes), 4)):
                if glyph >= len(words):
                    return None
                word = words[glyph]
                glyph += 1
                if word != open_word:
                    if piece:
                        out.append(b"[" + b" ".join(piece) + b"] TJ")
                        piece = []
                    if open_word is not None:
                        out.append(b"EMC")
                        done.add(open_word)
                    open_word = word
                    if word is not None:
                        # A word met again (never in one direction's run) says nothing twice.
                        carries = word[2] and word not in done
                        said = encoded[word[0] : word[1]].decode() if carries else ""
                        out.extend(
                            ("/Span", pydyf.Dictionary({"ActualText": actual_text(said)}), b"BDC")
                        )
                piece.append(b"<" + code + b">")
        if piece:
            out.append(b"[" + b" ".join(piece) + b"] TJ")
    if glyph != len(words):
        return None
    if open_word is not None:
        out.append(b"EMC")
    return out
