"""What every cached object depends on besides its own inputs: policypress's code, its default
templates and the versions of the libraries it renders with. Hashed whole, once per process, so
that a cache key cannot outlive an edit to any module, whichever one it is."""

from __future__ import annotations

import functools
import hashlib
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from policypress.layout import DEFAULT_TEMPLATES

PACKAGE = Path(__file__).resolve().parent.parent
# Every library whose version can change what a view, a PDF, a QR code or a page looks like.
LIBRARIES = (
    "weasyprint",
    "pydyf",
    "markdown",
    "jinja2",
    "nh3",
    "fonttools",
    "segno",
    "babel",
    "polib",
)


def folder_digest(folder: Path) -> str:
    """A hash of every file under ``folder`` (names and bytes), compiled bytecode left out."""
    sha = hashlib.sha256()
    if folder.is_dir():
        files = sorted(
            path
            for path in folder.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
        )
        for path in files:
            sha.update(path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape"))
            sha.update(b"\0")
            sha.update(hashlib.sha256(path.read_bytes()).digest())
    return sha.hexdigest()


def library_versions() -> list[str]:
    rows = [f"python {sys.implementation.name} {sys.version_info[0]}.{sys.version_info[1]}"]
    for name in LIBRARIES:
        try:
            rows.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            rows.append(f"{name} -")
    return rows


def current_fingerprint() -> str:
    """The fingerprint as the files on disk are now (read afresh each call)."""
    rows = [folder_digest(PACKAGE), *library_versions()]
    return hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()


@functools.cache
def package_fingerprint() -> str:
    """Every source file of the installed policypress package and the versions of the libraries
    its outputs depend on, hashed once per process: part of every cache key."""
    return current_fingerprint()


@functools.cache
def templates_fingerprint() -> str:
    """The default templates folder (stylesheets, and the fonts the PDFs load by address),
    hashed once per process."""
    return folder_digest(DEFAULT_TEMPLATES)
