"""The document model: a project's policies and leaflets, read once and shared by every renderer."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from policypress.config import Config
from policypress.content.frontmatter import PolicyMeta
from policypress.errors import Finding


@dataclass(frozen=True)
class PolicyDocument:
    """One policy: its front matter and its Markdown body, in the source language."""

    slug: str
    path: Path
    meta: PolicyMeta
    body: str
    body_line: int
    key_lines: dict[str, int] = field(default_factory=dict, compare=False)
    findings: tuple[Finding, ...] = field(default=(), compare=False)  # warnings from reading

    @property
    def title(self) -> str:
        return self.meta.title


@dataclass(frozen=True)
class LeafletDocument:
    """The one-page plain-English leaflet for parents that goes with a policy."""

    slug: str  # the policy it belongs to
    path: Path
    meta: PolicyMeta
    body: str
    body_line: int
    findings: tuple[Finding, ...] = field(default=(), compare=False)  # warnings from reading


@dataclass(frozen=True)
class Project:
    """Everything the build reads: settings, policies (in file-name order) and leaflets."""

    config: Config
    policies: tuple[PolicyDocument, ...]
    leaflets: dict[str, LeafletDocument] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.config.root

    @property
    def findings(self) -> list[Finding]:
        """Warnings from reading the documents (front matter keys kept but not used)."""
        found = [f for doc in self.policies for f in doc.findings]
        return found + [f for leaflet in self.leaflets.values() for f in leaflet.findings]

    def policy(self, slug: str) -> PolicyDocument | None:
        return next((p for p in self.policies if p.slug == slug), None)
