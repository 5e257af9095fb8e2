"""The project's input files: the folders and files a build reads (and the preview watches), and
a walk of them with each file's size and time."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

# What a build reads from the project (the preview watches these; the build stamp takes them).
INPUTS = ("content", "templates", "translations", "archive", "policypress.toml")


def files_with_sizes(top: Path) -> Iterator[tuple[Path, os.stat_result]]:
    """Every file under ``top`` (or ``top`` itself, if it is a file) with its size and time, in
    name order; a file that vanishes meanwhile is left out."""
    paths = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
    for path in paths:
        try:
            yield path, path.stat()
        except OSError:
            continue
