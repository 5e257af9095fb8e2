"""Find and read the content folder: every ``content/*.md`` is a policy, every
``content/leaflets/<policy>.md`` the leaflet of that policy."""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

from policypress.config import Config, load_config
from policypress.content.frontmatter import parse_front_matter
from policypress.content.model import LeafletDocument, PolicyDocument, Project
from policypress.content.source import MAX_SOURCE_BYTES, read_text
from policypress.errors import Finding, PolicyError, raise_if_errors

CONTENT_DIR = "content"
LEAFLET_DIR = "leaflets"
SUFFIXES = (".md", ".markdown")
MAX_SLUG = 81
_SLUG_RE = re.compile(rf"^[a-z0-9][a-z0-9-]{{0,{MAX_SLUG - 1}}}$")
RESERVED_SLUGS = {"assets", "media", "accessibility", "formats", "404", "index", "sitemap"}
# Files an office might mean as a policy that are not read as one (reported, never guessed at).
_DOCUMENT_LIKE = (".txt", ".doc", ".docx", ".odt", ".rtf", ".pages")


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


def suggest_slug(stem: str, taken: Collection[str] = ()) -> str:
    """A good file name (without suffix) for ``stem``: lower-case words joined by hyphens, short
    enough for a web address, and different from every name in ``taken``."""
    base = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "my-policy"
    if len(base) > MAX_SLUG - 6:
        base = base[: MAX_SLUG - 6]
        base = base[: base.rfind("-")] if "-" in base[20:] else base  # end on a whole word
        base = base.strip("-")
    if base in RESERVED_SLUGS:
        base += "-policy"
    suggestion, number = base, 2
    while suggestion in taken:
        suggestion = f"{base}-{number}"
        number += 1
    return suggestion


def slug_for(path: Path, taken: Collection[str] = ()) -> str:
    """The URL name of a content file, or a PolicyError saying how to rename it. ``taken`` holds
    the names of the other files beside it, which a suggested new name must not repeat."""
    slug = path.stem
    if not _SLUG_RE.match(slug) or slug in RESERVED_SLUGS:
        others = {name for name in taken if name != slug}
        suggestion = suggest_slug(slug, others)
        if slug in RESERVED_SLUGS:
            reason = f"the name {slug!r} is used by the site itself"
        elif len(slug) > MAX_SLUG:
            reason = (
                f"the file name {path.name!r} is too long for a web address "
                f"({len(slug)} characters; at most {MAX_SLUG})"
            )
        else:
            reason = f"the file name {path.name!r} would make an unsafe web address"
        plain = suggest_slug(slug)
        clash = (
            f" ({plain}{path.suffix.lower()} is another file already)" if plain in others else ""
        )
        raise PolicyError(
            reason,
            path,
            hint=f"Rename the file to {suggestion}{path.suffix.lower()}{clash}: lower-case "
            "letters, digits and hyphens only.",
        )
    return slug


def skipped_files(root: Path) -> list[Finding]:
    """Files in the content folder that look meant as a policy or leaflet but are not read, each
    with how to make it count (a policy must not vanish from the site without a word)."""
    folder = root / CONTENT_DIR
    if not folder.is_dir():
        return []
    findings = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        home = folder / LEAFLET_DIR if relative.parts[0] == LEAFLET_DIR else folder
        where = "content/leaflets/" if home != folder else "content/"
        name = path.name
        lower = name.lower()
        stem = lower
        for suffix in SUFFIXES:
            if f"{suffix}." in lower:
                stem = lower[: lower.index(f"{suffix}.")]
        for suffix in (*SUFFIXES, *_DOCUMENT_LIKE):
            if stem.endswith(suffix):
                stem = stem[: -len(suffix)]
        good = f"{suggest_slug(stem)}.md"
        if path.parent != home and path.suffix.lower() in SUFFIXES:
            message = f"this file is not read: policypress reads only the Markdown files in {where}"
            hint = f"Move it to {where}{good} to publish it, or out of content/ to keep it aside."
        elif path.parent != home:
            continue  # images and other files in folders of their own
        elif path.suffix in SUFFIXES:
            continue
        elif path.suffix.lower() in SUFFIXES or any(f"{s}." in lower for s in SUFFIXES):
            message = "this file is not read: a policy's file name must end in .md"
            hint = f"Rename it to {good}."
        elif path.suffix.lower() in _DOCUMENT_LIKE:
            message = "this file is not read: policies are written in Markdown files (.md)"
            hint = f"Copy its text into {where}{good} (see the README), or move it out of content/."
        else:
            continue
        findings.append(Finding("warning", message, path, None, None, hint))
    return findings


def read_policy(path: Path, taken: Collection[str] = ()) -> PolicyDocument:
    text = read_text(path, max_bytes=MAX_SOURCE_BYTES)
    front = parse_front_matter(text, path)
    return PolicyDocument(
        slug=slug_for(path, taken),
        path=path,
        meta=front.meta,
        body=front.body,
        body_line=front.body_line,
        key_lines=front.key_lines,
        findings=front.findings,
    )


def read_leaflet(path: Path, taken: Collection[str] = ()) -> LeafletDocument:
    text = read_text(path, max_bytes=MAX_SOURCE_BYTES)
    front = parse_front_matter(text, path)
    return LeafletDocument(
        slug=slug_for(path, taken),
        path=path,
        meta=front.meta,
        body=front.body,
        body_line=front.body_line,
        findings=front.findings,
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
    names = {path.stem for path in files}
    for path in files:
        try:
            doc = read_policy(path, names)
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
    leaflet_paths = leaflet_files(root)
    leaflet_names = {path.stem for path in leaflet_paths}
    for path in leaflet_paths:
        try:
            leaflet = read_leaflet(path, leaflet_names)
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
