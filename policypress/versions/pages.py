"""The pages of released versions: the change history on each policy page, a superseded
version's page (marked as not current, ``noindex``, canonical to the current one) and each
version's "What changed" page."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib

from policypress.i18n.view import DocumentView
from policypress.render import urls
from policypress.render.files import BuiltFile
from policypress.render.html import SiteRenderer
from policypress.render.templating import format_day, format_version
from policypress.versions.archive import NOTE_CONTEXT, ArchivedVersion, read_history
from policypress.versions.diff import SectionChanges


@dataclass(frozen=True)
class CurrentVersion:
    """What a superseded version's page links to: the policy's current version."""

    version: str
    title: str


@functools.lru_cache(maxsize=64)
def _notes(path: Path, stamp: tuple[int, int]) -> dict[str, str]:
    notes = {}
    for entry in polib.pofile(str(path)):
        translated = entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags
        if entry.msgctxt == NOTE_CONTEXT and translated:
            notes[entry.msgid] = entry.msgstr
    return notes


def note_translations(catalog: Path | None) -> dict[str, str]:
    """The release notes (and approvers) a policy's catalog translates. Only these entries are
    read: validating the whole catalog again for a few lines of plain text would double the
    time of a build with nothing to do."""
    if catalog is None or not catalog.is_file():
        return {}
    info = catalog.stat()
    return _notes(catalog, (info.st_mtime_ns, info.st_size))


def translate_note(text: str, notes: Mapping[str, str]) -> str:
    return notes.get(text, text) if text else text


def history_rows(site: SiteRenderer, view: DocumentView, page: str) -> list[dict[str, Any]]:
    """The change history table of a policy's page, newest version first."""
    slug, version = urls.split_version(view.slug)
    if version is not None:
        return []
    versions = read_history(site.project.root, slug)
    doc = site.project.policy(slug)
    current = doc.meta.version if doc else ""
    notes = note_translations(view.catalog_path)
    code = site.lang.code
    _ = site._
    rows = []
    for index, archived in enumerate(versions):
        record = archived.record
        target = (
            urls.policy_page(slug, code)
            if record.version == current
            else urls.version_page(slug, record.version, code)
        )
        changes = (
            urls.relative(page, urls.changes_page(slug, record.version, code)) if index else ""
        )
        rows.append(
            {
                "version": format_version(record.version, code),
                "href": urls.relative(page, target),
                "current": record.version == current,
                "date": record.date,
                "day": format_day(record.date, code),
                "approved_by": translate_note(record.approved_by, notes),
                "note": translate_note(record.note, notes),
                "change": _("Major") if record.change == "major" else _("Minor"),
                "changes_href": changes,
            }
        )
    return rows[::-1]


class ArchivedSiteRenderer(SiteRenderer):
    """Renders the pages of superseded versions: the same templates, told that the page is not
    the current version (banner, ``noindex``, canonical address of the current page)."""

    current: dict[str, CurrentVersion]
    _name = ""  # the document whose page is being rendered

    def policy_page(self, view: DocumentView, files: Sequence[BuiltFile]) -> str:
        self._name = view.slug
        return super().policy_page(view, files)

    def leaflet_page(
        self, view: DocumentView, files: Sequence[BuiltFile], policy_title: str
    ) -> str:
        self._name = view.slug
        return super().leaflet_page(view, files, policy_title)

    def render(self, template: str, context: dict[str, Any]) -> str:
        slug, version = urls.split_version(self._name)
        if version is not None:
            code = self.lang.code
            own = urls.leaflet_page if template == "leaflet.html" else urls.policy_page
            page = own(self._name, code)
            now = self.current[slug]
            current_page = urls.policy_page(slug, code)
            base = self.project.config.site.base_url
            context["canonical"] = urls.public_url(base, current_page)
            context["robots"] = "noindex"
            context["superseded"] = {
                "version": format_version(version, code),
                "current_version": format_version(now.version, code),
                "current_href": urls.relative(page, current_page),
                "current_title": now.title,
            }
            context["page_title"] = self._("%(title)s, version %(version)s (not current)") % {
                "title": context.get("page_title", ""),
                "version": format_version(version, code),
            }
        return super().render(template, context)


def changes_page(
    site: SiteRenderer,
    slug: str,
    title: str,
    old: ArchivedVersion,
    new: ArchivedVersion,
    current_version: str,
    sections: list[SectionChanges],
    notes: Mapping[str, str],
) -> str:
    """The "What changed" page of ``new`` against ``old``, in the renderer's language."""
    code = site.lang.code
    page = urls.changes_page(slug, new.version, code)

    def version_href(version: str) -> str:
        if version == current_version:
            return urls.relative(page, urls.policy_page(slug, code))
        return urls.relative(page, urls.version_page(slug, version, code))

    heading = site._("What changed in version %(version)s") % {
        "version": format_version(new.version, code)
    }
    context = site._context(
        page,
        "changes",
        f"{title}: {heading}",
        lambda other: urls.changes_page(slug, new.version, other),
    )
    context.update(
        title=title,
        heading=heading,
        policy_href=urls.policy_page(slug, code),
        new={
            "version": format_version(new.version, code),
            "href": version_href(new.version),
            "date": new.record.date,
            "note": translate_note(new.record.note, notes),
            "major": new.record.change == "major",
        },
        old={
            "version": format_version(old.version, code),
            "href": version_href(old.version),
            "date": old.record.date,
        },
        sections=sections,
        new_page=version_href(new.version),
    )
    return site.render("changes.html", context)
