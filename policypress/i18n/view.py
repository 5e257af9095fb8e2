"""A language's view of the model: the same document, with each block translated or, where the
translation is missing or out of date, shown in English and counted."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from policypress.content.lang_spans import plain
from policypress.content.model import LeafletDocument, PolicyDocument
from policypress.content.rendering import RenderedBody, render_markdown
from policypress.i18n.catalog import META_CONTEXT, Catalog
from policypress.i18n.languages import SOURCE_LANGUAGE, Language


@dataclass(frozen=True)
class DocumentView:
    """A policy or leaflet as a reader of one language sees it."""

    slug: str
    lang: Language
    title: str
    summary: str
    owner: str
    body: RenderedBody
    translated: bool  # False for the English source
    reviewed: bool
    translator: str
    fallback_blocks: int  # blocks (and title/summary) shown in English
    english_fields: frozenset[str] = frozenset()  # "title", "summary", "owner" shown in English
    catalog_path: Path | None = None
    kind: str = "policy"  # or "leaflet"

    @property
    def complete(self) -> bool:
        return self.fallback_blocks == 0


def document_view(
    doc: PolicyDocument | LeafletDocument,
    lang: Language,
    catalog: Catalog | None,
    *,
    resolve_image: Callable[[str], tuple[str, Path | None]] | None = None,
    resolve_policy: Callable[[str], tuple[str, str | None]] | None = None,
    resolve_file: Callable[[str], tuple[str, Path | None]] | None = None,
    labels: dict[str, str] | None = None,
    variables: Mapping[str, str] | None = None,
) -> DocumentView:
    translated = lang.code != SOURCE_LANGUAGE
    translator = catalog if translated else None
    if translated and translator is None:
        translator = Catalog(path=Path(), lang=lang.code)  # no catalog: every block in English
    body = render_markdown(
        doc.body,
        body_line=doc.body_line,
        path=doc.path,
        translator=translator,
        fallback_lang=SOURCE_LANGUAGE,
        resolve_image=resolve_image,
        resolve_policy=resolve_policy,
        resolve_file=resolve_file,
        labels=labels,
        variables=variables,
    )
    fallback = body.fallback_blocks
    meta = doc.meta

    english: set[str] = set()

    def meta_text(name: str, value: str) -> str:
        nonlocal fallback
        if not value or translator is None:
            return value
        found = translator.lookup(META_CONTEXT, value)
        if found is None:
            fallback += 1
            english.add(name)
            return value
        return plain(found)  # titles are text wherever they go (page titles, PDF metadata)

    title = meta_text("title", meta.title)
    summary = meta_text("summary", meta.summary)
    owner = meta_text("owner", meta.owner)
    return DocumentView(
        slug=doc.slug,
        lang=lang,
        title=title,
        summary=summary,
        owner=owner,
        body=body,
        translated=translated,
        reviewed=(not translated) or bool(catalog and catalog.reviewed),
        translator=catalog.translator if catalog else "",
        fallback_blocks=fallback,
        english_fields=frozenset(english),
        catalog_path=catalog.path if catalog else None,
        kind="leaflet" if isinstance(doc, LeafletDocument) else "policy",
    )
