"""How wide a line of text is in the print fonts, without laying it out: for page furniture (the
running head), whose margin boxes WeasyPrint does not grow to fit their text.

The width is the sum of each character's advance in the first face of the font stack that has
it (as ``@font-face`` in fonts.css gives each family its file and unicode-range), without
shaping: exact to a few thousandths for Latin text in Atkinson Hyperlegible Next; for Arabic
script, whose joined forms are narrower than the isolated letters measured here, an
overestimate (IBM Plex Sans Arabic about 1.3 times, Noto Nastaliq Urdu about 1.8 times), so
text said to fit does fit."""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlparse

# A character no face of the stack has (drawn by a fallback font): wide, to be safe.
UNKNOWN_ADVANCE = 0.6  # em

_FACE = re.compile(r"@font-face\s*\{([^}]*)\}")
_FAMILY = re.compile(r"font-family:\s*\"([^\"]+)\"")
_SRC = re.compile(r"src:\s*url\(\"?([^\")]+)\"?\)")
_RANGE = re.compile(r"unicode-range:\s*([^;]+)")
_WEIGHT = re.compile(r"font-weight:\s*(\d+)")


@functools.lru_cache(maxsize=16)
def _advances(path: str) -> tuple[dict[int, float], float]:
    """A font file's advance for each character it maps (in em), and its space's."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(Path(path).read_bytes()), lazy=True)
    upem = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    advances = {code: metrics[name][0] / upem for code, name in font.getBestCmap().items()}
    return advances, advances.get(ord(" "), 0.25)


def _ranges(value: str) -> tuple[tuple[int, int], ...]:
    ranges = []
    for part in value.split(","):
        low, _sep, high = part.strip().removeprefix("U+").removeprefix("u+").partition("-")
        ranges.append((int(low, 16), int(high or low, 16)))
    return tuple(ranges)


class TextWidth:
    """Measures text in a font stack, from the regular (400) faces a fonts.css declares."""

    def __init__(self, fonts_css: str, stack: Sequence[str]) -> None:
        faces: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}
        for block in _FACE.findall(fonts_css):
            family, src = _FAMILY.search(block), _SRC.search(block)
            weight = _WEIGHT.search(block)
            if family is None or src is None or (weight and weight.group(1) != "400"):
                continue
            url = urlparse(src.group(1))
            if url.scheme not in ("", "file") or not Path(unquote(url.path)).is_file():
                continue
            unicode_range = _RANGE.search(block)
            ranges = _ranges(unicode_range.group(1)) if unicode_range else ((0, 0x10FFFF),)
            faces.setdefault(family.group(1), (unquote(url.path), ranges))
        self._faces = [faces[family] for family in stack if family in faces]

    def em(self, text: str) -> float:
        """The width of ``text`` on one line, in em of the font size."""
        total = 0.0
        for char in text:
            code = ord(char)
            for path, ranges in self._faces:
                advances, space = _advances(path)
                if any(low <= code <= high for low, high in ranges) and code in advances:
                    total += advances[code] if not char.isspace() else space
                    break
            else:
                total += UNKNOWN_ADVANCE
        return total

    def lines(self, text: str, width_em: float) -> int:
        """How many lines ``text`` takes in a box ``width_em`` wide, broken at spaces."""
        count, line = 1, ""
        for word in text.split():
            candidate = f"{line} {word}" if line else word
            if line and self.em(candidate) > width_em:
                count, line = count + 1, word
            else:
                line = candidate
        return count
