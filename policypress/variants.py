"""The PDF variants of a policy, as data: every layer (settings, URLs, print HTML, the build, the
command line) reads them from here instead of spelling their names again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

VariantName = Literal["standard", "large-print", "dyslexia-friendly"]

# Large print's body size, in points: at least 16 (UKAAF), 18 the usual size, 48 the largest
# that still fits a heading on an A4 line.
LARGE_PRINT_MIN = 16
LARGE_PRINT_MAX = 48
LARGE_PRINT_DEFAULT = 18.0


@dataclass(frozen=True)
class PdfVariant:
    name: VariantName
    stylesheet: str | None  # the print stylesheet added to print/base.css, if any
    body_size: float | None  # pt; None: the school's large-print size
    order: int  # its place in a page's list of formats

    @property
    def file_suffix(self) -> str:
        """What the PDF's file name adds to ``<slug>-<lang>``."""
        return "" if self.name == "standard" else f"-{self.name}"


STANDARD = PdfVariant("standard", None, 12, 0)
LARGE_PRINT = PdfVariant("large-print", "large-print.css", None, 1)
DYSLEXIA_FRIENDLY = PdfVariant("dyslexia-friendly", "dyslexia-friendly.css", 12, 2)

PDF_VARIANTS: tuple[PdfVariant, ...] = (STANDARD, LARGE_PRINT, DYSLEXIA_FRIENDLY)
BY_NAME: dict[str, PdfVariant] = {variant.name: variant for variant in PDF_VARIANTS}
