"""The one door to other packages' internals: every use of WeasyPrint, pydyf, Markdown or Jinja2
beyond their public API goes through here, and the installed versions are checked on import.

Outside the versions the tests ran with, policypress stops with a message naming the supported
versions (set POLICYPRESS_UNTESTED_VERSIONS=1 to go on anyway, for example to try an upgrade:
then run tests/test_compat.py, which has one test per assumption made here)."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Mapping
from importlib import metadata
from typing import Any

# Public, but imported from here by the Markdown extensions, so that reading any content (check,
# build, serve, translations) checks the versions in the main process, before any work.
from markdown.util import HTML_PLACEHOLDER_RE as HTML_PLACEHOLDER_RE

from policypress.errors import PolicyError

logger = logging.getLogger(__name__)

# The distributions whose internals policypress relies on, and the versions tested with them:
# (lowest, first not supported). pyproject.toml bounds them the same way (a test checks it).
SUPPORTED: dict[str, tuple[str, str]] = {
    "weasyprint": ("70", "71"),
    "pydyf": ("0.13", "0.14"),
    "markdown": ("3.6", "4"),
    "jinja2": ("3.1", "4"),
}
ALLOW_UNTESTED = "POLICYPRESS_UNTESTED_VERSIONS"


def _release(version: str) -> tuple[int, ...]:
    """The release numbers at the start of a version: "70.0rc1" -> (70, 0)."""
    match = re.match(r"\d+(?:\.\d+)*", version)
    return tuple(int(part) for part in match.group().split(".")) if match else ()


def unsupported_versions(installed: Mapping[str, str | None]) -> list[str]:
    """One line per package whose installed version is missing or outside the tested range."""
    problems = []
    for name, (low, high) in SUPPORTED.items():
        version = installed.get(name)
        if version is None:
            problems.append(f"{name} is not installed (policypress needs {name}>={low},<{high})")
        elif not _release(low) <= _release(version) < _release(high):
            problems.append(
                f"{name} {version} is installed; policypress supports {name}>={low},<{high}"
            )
    return problems


def installed_versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in SUPPORTED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def check_versions(installed: Mapping[str, str | None] | None = None) -> None:
    """Stop (PolicyError) if a package whose internals are used here is of an untested version."""
    problems = unsupported_versions(installed_versions() if installed is None else installed)
    if not problems:
        return
    if os.environ.get(ALLOW_UNTESTED) == "1":
        for problem in problems:
            logger.warning("untested version: %s", problem)
        return
    raise PolicyError(
        "policypress was not tested with the packages installed here: " + "; ".join(problems),
        hint="Reinstall policypress so that pip brings the supported versions "
        "(pip install --force-reinstall policypress), or install them yourself, e.g. "
        + " ".join(f"'{name}>={low},<{high}'" for name, (low, high) in SUPPORTED.items())
        + f". To try other versions anyway, set {ALLOW_UNTESTED}=1.",
    )


# --- pydyf -----------------------------------------------------------------------------------


def resolve_reference(objects: list[Any], value: Any) -> Any:
    """The object an indirect reference points to; anything else as it is. WeasyPrint stores
    references in pydyf dictionaries and arrays as pydyf writes them, ``b"12 0 R"``, and pydyf
    numbers its objects by their place in ``pdf.objects``."""
    if isinstance(value, bytes) and value.endswith(b" R"):
        return objects[int(value.split(b" ", 1)[0])]
    return value


def page_objects(pdf: Any) -> list[Any]:
    """The page dictionaries, in order: pydyf keeps the page tree's ``Kids`` as a flat list of
    ``number, 0, "R"`` triples, not as references."""
    return [pdf.objects[number] for number in pdf.pages["Kids"][::3]]


# The end of a file pydyf wrote, and the head of its last object, the cross-reference stream
# (PDF 1.5 and later): the file identifier is spliced into that object's dictionary.
STARTXREF_RE = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
XREF_STREAM_HEAD_RE = re.compile(rb"\d+ \d+ obj\s*<</Type /XRef")


# --- WeasyPrint ------------------------------------------------------------------------------


def parent_tree_nums(root: Any, follow: Callable[[Any], Any]) -> Any:
    """The ``Nums`` array of the structure tree's parent tree. WeasyPrint writes one flat
    number tree: for page ``n``, the key ``n`` and an array indexed by marked-content id; then
    one key per annotation (numbered from the page count on) and a reference."""
    return follow(root["ParentTree"])["Nums"]


def stream_tags(stream: Any) -> Any:
    """The marked-content registry WeasyPrint shares between a page's content stream and the
    streams drawn from it (``Stream._tags``), or None for other streams."""
    return getattr(stream, "_tags", None)


def page_box(page: Any) -> Any:
    """The laid-out page box of a rendered WeasyPrint page (``Page._page_box``)."""
    return page._page_box


check_versions()
