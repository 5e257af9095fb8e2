"""What a caller asks of a build: the options, and the preview's modes for the PDFs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from policypress.engine.cache import CACHE_DIR


class PdfMode(StrEnum):
    """How a build gets its PDFs (the preview shows the pages first, the PDFs after)."""

    ALL = "all"  # render every PDF whose inputs changed
    CACHED = "cached"  # only the PDFs already in the cache
    PREVIOUS = "previous"  # the PDFs of the last build, as they are (the preview's instant pass)
    NONE = "none"


@dataclass(frozen=True)
class BuildOptions:
    output: Path
    jobs: int | None = None
    strict: bool = False
    pdf_mode: PdfMode = PdfMode.ALL
    large_print_size: float | None = None
    cache_dir: Path | None = None
    languages: tuple[str, ...] = ()  # build only these (English is always built)
    on_wait: Callable[[str], None] | None = None  # told when another build holds the output
    # Called with (done, total) as PDFs are rendered: the terminal and the preview show it.
    progress: Callable[[int, int], None] | None = None

    def __post_init__(self) -> None:
        # A plain string ("none") still works for callers; a misspelt one fails here.
        object.__setattr__(self, "pdf_mode", PdfMode(self.pdf_mode))

    def cache_folder(self, root: Path) -> Path:
        return self.cache_dir or root / CACHE_DIR
