"""Lint rules for the office: each a small function returning findings with file and line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

from policypress.content.model import PolicyDocument, Project
from policypress.content.rendering import RenderedBody
from policypress.errors import Finding
from policypress.i18n.view import DocumentView


def rendering_findings(rendered: RenderedBody) -> list[Finding]:
    """Problems the Markdown extensions noticed: alt text, link text, unsafe HTML, images."""
    return list(rendered.findings)


def heading_levels(doc: PolicyDocument, rendered: RenderedBody) -> list[Finding]:
    """A heading may go down only one level at a time (h2 then h3, never h2 then h4)."""
    findings = []
    previous = 1  # the page's own h1 is the policy title
    for heading in rendered.headings:
        if heading.id == "notes":
            continue
        if heading.level > previous + 1:
            findings.append(
                Finding(
                    "error",
                    f"the heading {heading.text!r} skips a level (h{previous} to h{heading.level})",
                    doc.path,
                    _heading_line(doc, heading.text),
                    1,
                    f"Use {'#' * (previous + 1)} for this heading, so screen reader users do not "
                    "think a section is missing.",
                )
            )
        previous = heading.level
    return findings


def _heading_line(doc: PolicyDocument, text: str) -> int | None:
    for index, line in enumerate(doc.body.split("\n")):
        if line.lstrip().startswith("#") and text in line:
            return index + doc.body_line
    return None


def link_targets(project: Project, rendered: Mapping[str, RenderedBody]) -> list[Finding]:
    """Every link to another policy, or to a section, must lead somewhere."""
    findings = []
    for doc in project.policies:
        body = rendered[doc.slug]
        for link in body.links:
            target_slug = link.target or doc.slug
            target = rendered.get(target_slug)
            if target is None:
                known = ", ".join(f"{p.slug}.md" for p in project.policies)
                findings.append(
                    Finding(
                        "error",
                        f"this link goes to a policy that does not exist: {link.href}",
                        doc.path,
                        link.line,
                        link.col,
                        f"Link to one of: {known}.",
                    )
                )
            elif link.anchor and link.anchor not in target.ids:
                sections = ", ".join(f"#{h.id}" for h in target.headings[:8])
                findings.append(
                    Finding(
                        "error",
                        f"this link goes to a section that does not exist: {link.href}",
                        doc.path,
                        link.line,
                        link.col,
                        f"Sections are named after their headings, e.g. {sections}.",
                    )
                )
    return findings


def review_dates(project: Project, today: dt.date, *, strict: bool = False) -> list[Finding]:
    """Reviews due within 60 days or overdue (an error with ``strict``), and next_review dates
    that disagree with last_reviewed + review_cycle."""
    from policypress.reviews.schedule import review_findings

    return review_findings(project, today, strict=strict)


def editorial_notes(project: Project) -> list[Finding]:
    findings = []
    for doc in project.policies:
        for note in doc.meta.editorial_notes:
            findings.append(Finding("note", note, doc.path, doc.key_lines.get("editorial_notes")))
    return findings


def stale_translations(views: Iterable[DocumentView]) -> list[Finding]:
    findings = []
    for view in views:
        if view.translated and view.fallback_blocks:
            what = f"the leaflet of '{view.slug}'" if view.kind == "leaflet" else f"'{view.slug}'"
            findings.append(
                Finding(
                    "warning",
                    f"{view.fallback_blocks} part(s) of {what} are not translated into "
                    f"{view.lang.english_name} ({view.lang.code}) or are out of date; they are "
                    "shown in English",
                    view.catalog_path,
                    hint=f"Run: policypress translations update --lang {view.lang.code}, then "
                    "translate the empty and fuzzy entries.",
                )
            )
    return findings


def unmarked_language_parts(catalogs: Mapping[str, Iterable[Path]]) -> list[Finding]:
    """Words in another script inside a translation (English in Arabic or Urdu, Arabic script in
    Polish) that are not marked with their language: a screen reader reads them with the
    translation's voice. Capitals-only words (PDF, WCAG) are spelt out alike and pass."""
    import polib

    from policypress.i18n.languages import language
    from policypress.i18n.parts import unmarked_runs

    findings = []
    for code, paths in catalogs.items():
        arabic_script = language(code).arabic_script
        other = "English" if arabic_script else "Arabic-script"
        example = "English" if arabic_script else "Arabic"
        for path in paths:
            for entry in polib.pofile(str(path), wrapwidth=0):
                if entry.obsolete or entry.fuzzy or not entry.msgstr:
                    continue
                runs = unmarked_runs(entry.msgstr, arabic_script=arabic_script)
                if not runs:
                    continue
                words = ", ".join(repr(run.text) for run in runs[:3])
                first = runs[0].text
                tag = "en" if arabic_script else "ar"
                findings.append(
                    Finding(
                        "warning",
                        f"{other} words in this translation are not marked with their language: "
                        f"{words}",
                        path,
                        entry.linenum,
                        hint=f"Write [{first}]{{lang={tag}}} so screen readers read it in "
                        f"{example}, braille writes it in its own code and the PDFs say so "
                        "(or translate it).",
                    )
                )
    return findings
