"""Facts about each file a build makes: listed on pages, in the manifest and on the formats page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FileKind = Literal["page", "changes", "pdf", "leaflet", "braille", "epub", "asset"]


@dataclass(frozen=True)
class BuiltFile:
    path: str  # site path, e.g. "pl/social-media-policy/social-media-policy-pl.pdf"
    kind: FileKind
    policy: str | None
    lang: str | None
    variant: str | None
    size: int
    sha256: str
    # A file the preview has not made yet: listed on its page as being prepared, never published.
    pending: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "kind": self.kind,
            "policy": self.policy,
            "language": self.lang,
            "variant": self.variant,
            "size": self.size,
            "sha256": self.sha256,
        }
