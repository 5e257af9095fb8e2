"""The translation notices as data: what the reader of a translation is told (not yet checked by
a translator, partly out of date, which English version it follows). One macro file,
``_notices.html``, shows them on web pages, in print and in EPUBs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from policypress.content.lang_spans import catalog_html
from policypress.content.model import Project
from policypress.i18n.view import DocumentView
from policypress.render.templating import format_day, format_version

NoticeKind = Literal["review", "info", "stale"]


@dataclass(frozen=True)
class Notice:
    kind: NoticeKind  # review: not checked yet; info: checked; stale: partly shown in English
    strong: str  # the sentence shown first, in bold ("" for none)
    text: tuple[str, ...]  # the sentences after it; a leaflet keeps only the first
    english_link: str = ""  # the link's words, when the notice ends with a link to the English


def translation_notices(
    view: DocumentView, project: Project, lang: str, gettext: Callable[[str], str]
) -> list[Notice]:
    """The notices a view in ``lang`` needs (none for English or an untranslated document)."""
    if not view.translated:
        return []

    def _(message: str) -> str:
        # Interface strings are text; a [words]{lang=en} mark in one becomes a span.
        return catalog_html(gettext(message))

    text = [
        _(
            "If the translation and the English differ, the English version is the "
            "authoritative one."
        )
    ]
    doc = project.policy(view.slug)
    if doc is not None:
        text.append(
            _(
                "This is a translation of version %(version)s of the English policy, last "
                "reviewed on %(date)s."
            )
            % {
                "version": format_version(doc.meta.version, lang),
                "date": format_day(doc.meta.last_reviewed, lang) or "–",
            }
        )
    english = _("Read the English version")
    notices = []
    if not view.reviewed:
        checked = _("This translation has not yet been checked by a qualified translator.")
        notices.append(Notice("review", checked, tuple(text), english))
    else:
        notices.append(Notice("info", "", tuple(text), english))
    if view.fallback_blocks:
        changed = _("The parts that have changed are shown in English until they are translated.")
        notices.append(Notice("stale", _("Part of this translation is out of date."), (changed,)))
    return notices
