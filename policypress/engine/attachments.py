"""The attachments generator: the forms and documents a policy links to or keeps in its own
folder, published beside its page under safe names, once for every language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import ClassVar

from policypress.content.attachments import safe_name
from policypress.engine.outputs import Outputs, Stage
from policypress.engine.site import Site
from policypress.render import urls


class AttachmentGenerator:
    name = "attachments"
    listed: ClassVar[Mapping[str, int]] = {}
    stage = Stage.FILES

    def plan(self, site: Site) -> list[tuple[str, Path]]:
        """Each attachment of each policy by its site path (the views found and checked them)."""
        planned: dict[str, Path] = {}
        for (slug, _lang), view in sorted(site.views.items()):
            for item in view.body.attachments:
                planned.setdefault(urls.attachment_file(slug, safe_name(item.file.name)), item.file)
        return sorted(planned.items())

    def emit(self, site: Site, plan: Iterable[tuple[str, Path]], outputs: Outputs) -> None:
        for path, file in plan:
            outputs.add(file.read_bytes(), path=path, kind="asset")
