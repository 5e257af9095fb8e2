"""The assets generator: the web fonts and fingerprinted stylesheet, the other files of the
templates' ``assets`` folders (the school's copies first), and the pictures the pages show."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import ClassVar

from policypress.engine.outputs import Outputs, Stage
from policypress.engine.site import Site
from policypress.layout import template_dirs


class AssetGenerator:
    name = "assets"
    listed: ClassVar[Mapping[str, int]] = {}
    stage = Stage.FILES

    def plan(self, site: Site) -> list[tuple[str, Path]]:
        """The files published as they are, by site path (the fingerprinted ones are made in
        :meth:`emit`)."""
        seen = set(site.web_assets.handled)
        planned: list[tuple[str, Path]] = []
        for folder in template_dirs(site.root):
            assets = folder / "assets"
            if not assets.is_dir():
                continue
            for file in sorted(assets.rglob("*")):
                if not file.is_file() or file.name.startswith("."):
                    continue
                relative = file.relative_to(folder).as_posix()
                if relative not in seen:
                    seen.add(relative)
                    planned.append((relative, file))
        return planned + sorted(site.media().items())

    def emit(self, site: Site, plan: Iterable[tuple[str, Path]], outputs: Outputs) -> None:
        for path, sha in sorted(site.web_assets.files.items()):
            outputs.add_object(sha, path=path, kind="asset")
        for path, file in plan:
            outputs.add(file.read_bytes(), path=path, kind="asset")
