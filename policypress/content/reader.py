"""Find and read the content folder: every ``content/*.md`` is a policy, every
``content/leaflets/<policy>.md`` the leaflet of that policy."""

from __future__ import annotations

import re
from pathlib import Path

from policypress.config import Config, load_config
from policypress.content.frontmatter import parse_front_matter
from policypress.content.model import LeafletDocument, PolicyDocument, Project
from policypress.content.source import read_text
from policypress.errors import Finding, PolicyError, raise_if_errors

CONTENT_DIR = "content"
LEAFLET_DIR = "leaflets"
SUFFIXES = (".md", ".markdown")
_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")
RESERVED_SLUGS = {"assets", "media", "accessibility", "formats", "404", "index", "sitemap"}


def policy_files(root: Path) -> list[Path]:
    folder = root / CONTENT_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file())


def leaflet_files(root: Path) -> list[Path]:
    folder = root / CONTENT_DIR / LEAFLET_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file())


def slug_for(path: Path) -> str:
    """The URL name of a content file, or a PolicyError saying how to rename it."""
    slug = path.stem
    if not _SLUG_RE.match(slug) or slug in RESERVED_SLUGS:
        suggestion = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-") or "my-policy"
        if suggestion in RESERVED_SLUGS:
            suggestion += "-policy"
        reason = (
            f"the name {slug!r} is used by the site itself"
            if slug in RESERVED_SLUGS
            else f"the file name {path.name!r} would make an unsafe web address"
        )
        raise PolicyError(
            reason,
            path,
            hint=f"Rename the file to {suggestion}{path.suffix}: lower-case letters, digits "
            "and hyphens only.",
        )
    return slug


def read_policy(path: Path) -> PolicyDocument:
    text = read_text(path)
    front = parse_front_matter(text, path)
    return PolicyDocument(
        slug=slug_for(path),
        path=path,
        meta=front.meta,
        body=front.body,
        body_line=front.body_line,
        key_lines=front.key_lines,
    )


def read_leaflet(path: Path) -> LeafletDocument:
    text = read_text(path)
    front = parse_front_matter(text, path)
    return LeafletDocument(
        slug=slug_for(path), path=path, meta=front.meta, body=front.body, body_line=front.body_line
    )


def read_project(root: Path, config: Config | None = None) -> Project:
    """Read settings and every content file, reporting all problems at once."""
    root = root.resolve()
    findings: list[Finding] = []
    if config is None:
        config = load_config(root)
    policies: list[PolicyDocument] = []
    seen: dict[str, Path] = {}
    unreadable: set[str] = set()  # policies with errors: their leaflets are not orphans
    files = policy_files(root)
    if not files:
        raise PolicyError(
            "there are no policies to build",
            root / CONTENT_DIR,
            hint="Put each policy in the content folder as a Markdown file, e.g. "
            "content/social-media-policy.md.",
        )
    for path in files:
        try:
            doc = read_policy(path)
        except PolicyError as exc:
            findings.extend(getattr(exc, "findings", [exc.finding]))
            unreadable.add(path.stem)
            continue
        if doc.slug in seen:
            findings.append(
                Finding(
                    "error",
                    f"two policies would have the same web address /{doc.slug}/: "
                    f"{seen[doc.slug].name} and {path.name}",
                    path,
                    hint="Rename or remove one of the two files.",
                )
            )
            continue
        seen[doc.slug] = path
        policies.append(doc)
    leaflets: dict[str, LeafletDocument] = {}
    for path in leaflet_files(root):
        try:
            leaflet = read_leaflet(path)
        except PolicyError as exc:
            findings.extend(getattr(exc, "findings", [exc.finding]))
            continue
        if leaflet.slug in unreadable:
            continue
        if leaflet.slug not in seen:
            findings.append(
                Finding(
                    "error",
                    f"this leaflet belongs to no policy: there is no content/{leaflet.slug}.md",
                    path,
                    hint="A leaflet has the same file name as the policy it goes with.",
                )
            )
            continue
        leaflets[leaflet.slug] = leaflet
    raise_if_errors(findings)
    return Project(config=config, policies=tuple(policies), leaflets=leaflets)
