"""A quick guess, before the project is read, at whether a build will render any PDF: the names,
sizes and modification times of every input file, against those of the last build that made
all its PDFs. A wrong guess costs only time (the PDF workers start early for nothing, or at the
first PDF that needs them), never a wrong output: the cache decides what is rendered."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from policypress import __version__

INPUTS = ("content", "templates", "translations", "policypress.toml")  # also what serve watches
STAMP_FILE = "last-build-inputs"


def files_with_sizes(top: Path) -> Iterator[tuple[Path, os.stat_result]]:
    """Every file under ``top`` (or ``top`` itself, if it is a file) with its size and time, in
    name order; a file that vanishes meanwhile is left out."""
    paths = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
    for path in paths:
        try:
            yield path, path.stat()
        except OSError:
            continue


def inputs_stamp(root: Path) -> str:
    """A hash of the names, sizes and times of the project's input files."""
    rows = [__version__]
    for name in INPUTS:
        for path, info in files_with_sizes(root / name):
            rows.append(f"{path.relative_to(root).as_posix()}\t{info.st_size}\t{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(rows).encode("utf-8", "surrogateescape")).hexdigest()


def unchanged_since_last_build(cache_dir: Path, stamp: str) -> bool:
    try:
        return (cache_dir / STAMP_FILE).read_text(encoding="ascii").strip() == stamp
    except OSError:
        return False


def record_build(cache_dir: Path, stamp: str) -> None:
    """Remember the inputs of a build that made every PDF (written whole, or not at all)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cache_dir / f".{STAMP_FILE}.{os.getpid()}"
    tmp.write_text(stamp + "\n", encoding="ascii")
    os.replace(tmp, cache_dir / STAMP_FILE)
