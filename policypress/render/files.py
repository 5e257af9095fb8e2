"""Facts about each file a build makes: listed on pages, in the manifest and on the formats page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from policypress.render.urls import split_version

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

    def as_json(self, current: Mapping[str, str] | None = None) -> dict[str, object]:
        """The file's manifest entry. A superseded version's file (its document is named
        ``slug@version``) says its policy and its version apart; a current one says the version
        ``current`` gives its policy."""
        policy, version = split_version(self.policy) if self.policy else (None, None)
        if policy is not None and version is None:
            version = (current or {}).get(policy) or None
        return {
            "path": self.path,
            "kind": self.kind,
            "policy": policy,
            "version": version,
            "language": self.lang,
            "variant": self.variant,
            "size": self.size,
            "sha256": self.sha256,
        }
