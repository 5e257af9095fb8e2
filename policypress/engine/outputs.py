"""The outputs of one build, and what a generator is: every generator adds its files here and
the writer publishes what is here, nothing else."""

from __future__ import annotations

import collections.abc
import json
from collections.abc import Iterable, Mapping, Sequence
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from policypress.engine.cache import ObjectCache
from policypress.engine.writer import MANIFEST
from policypress.render.files import BuiltFile, FileKind

if TYPE_CHECKING:
    from policypress.engine.site import Site


# What ``emit`` returns when it yields while its work goes on elsewhere (the PDF workers).
Pending = collections.abc.Generator[None, None, None]


class Stage(IntEnum):
    """When a generator runs: files first, the pages that link to them (and show their sizes)
    next, and the lists of everything (the sitemap) last."""

    FILES = 1
    PAGES = 2
    INDEX = 3


class Generator(Protocol):
    """One output family. ``plan`` says what it will make (with the cache keys, so unchanged
    files cost a key, not a rendering); ``emit`` makes or reuses each planned file and adds it
    to ``outputs``. ``emit`` may instead be a generator function that yields once, while its
    work goes on in other processes: the build runs the other generators meanwhile, then
    resumes it (the PDFs do this)."""

    name: str
    stage: Stage
    # The variants a document's page lists, with their place in the list (lowest first).
    listed: ClassVar[Mapping[str, int]]

    def plan(self, site: Site) -> Iterable[Any]: ...

    def emit(self, site: Site, plan: Iterable[Any], outputs: Outputs) -> Pending | None: ...


class Outputs:
    """Every file the build makes, by site path, each stored in the cache; it refuses the
    same path twice. Its counts change only through its own methods."""

    def __init__(self, cache: ObjectCache, generators: Sequence[Generator] = ()) -> None:
        self.cache = cache
        # Where each of a document's files is listed on its page, as its generator says.
        self.order: dict[str, int] = {}
        for generator in generators:
            self.order.update(generator.listed)
        self.files: dict[str, BuiltFile] = {}
        # Files the preview's first pass leaves to the background (listed, not published).
        self.pending: dict[str, BuiltFile] = {}
        self.rendered = 0
        self.reused = 0
        self._previous: dict[str, dict[str, Any]] | None = None

    def add(
        self,
        data: bytes,
        *,
        path: str,
        kind: FileKind,
        policy: str | None = None,
        lang: str | None = None,
        variant: str | None = None,
    ) -> BuiltFile:
        """Store ``data`` and record it as the file at ``path``."""
        sha = self.cache.put(data)
        return self.add_object(sha, path=path, kind=kind, policy=policy, lang=lang, variant=variant)

    def add_object(
        self,
        sha: str,
        *,
        path: str,
        kind: FileKind,
        policy: str | None = None,
        lang: str | None = None,
        variant: str | None = None,
        rendered: bool = False,
        reused: bool = False,
    ) -> BuiltFile:
        """Record a file already in the cache; ``rendered`` or ``reused`` count it as a costly
        file (a PDF) made now or taken from an earlier build."""
        if path in self.files:
            raise AssertionError(f"two outputs want the same file: {path}")
        size = self.cache.object_path(sha).stat().st_size
        facts = BuiltFile(path, kind, policy, lang, variant, size, sha)
        self.files[path] = facts
        self.rendered += rendered
        self.reused += reused
        return facts

    def previous_or_pending(
        self,
        output: Path,
        *,
        path: str,
        kind: FileKind,
        policy: str | None = None,
        lang: str | None = None,
        variant: str | None = None,
    ) -> None:
        """For the preview's instant pass: the file as the last build in ``output`` published
        it, if the cache still holds it; otherwise a placeholder its page shows as being
        prepared (the background pass makes it, then the page reloads)."""
        if self._previous is None:
            self._previous = {}
            manifest = output / MANIFEST
            if manifest.is_file():
                entries = json.loads(manifest.read_text(encoding="utf-8"))["files"]
                self._previous = {entry["path"]: entry for entry in entries}
        entry = self._previous.get(path)
        if entry is not None and entry["kind"] == kind and self.cache.holds(entry["sha256"]):
            self.add_object(
                entry["sha256"],
                path=path,
                kind=kind,
                policy=policy,
                lang=lang,
                variant=variant,
                reused=kind in ("pdf", "leaflet"),
            )
            return
        self.pending[path] = BuiltFile(path, kind, policy, lang, variant, 0, "", pending=True)

    def for_document(self, slug: str, lang: str) -> list[BuiltFile]:
        """A document's files in one language, in the order its page lists them (with those
        still being prepared, in the preview)."""
        found = [
            f
            for f in [*self.files.values(), *self.pending.values()]
            if f.policy == slug and f.lang == lang and f.variant in self.order
        ]
        return sorted(found, key=lambda f: self.order[f.variant or ""])
