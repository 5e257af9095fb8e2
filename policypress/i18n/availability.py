"""Which languages a policy (and its leaflet) is published in: English always; another language
only once the policy's catalog translates something. A policy with no translation at all is not
published as an English page under that language's address: that language's home page lists it
as available in English, linking to the English page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from policypress.i18n.catalog import Catalog
from policypress.i18n.languages import SOURCE_LANGUAGE


def has_translation(catalog: Catalog | None) -> bool:
    """At least one translated, non-fuzzy message (fuzzy and empty entries do not count, and a
    missing catalog translates nothing)."""
    return catalog is not None and bool(catalog.entries)


def published_in(lang: str, catalog: Catalog | None) -> bool:
    """Whether a policy whose catalog in ``lang`` is ``catalog`` is published in ``lang``."""
    return lang == SOURCE_LANGUAGE or has_translation(catalog)


def translated_pairs(
    slugs: Iterable[str], catalogs: Mapping[str, Mapping[str, Catalog]]
) -> frozenset[tuple[str, str]]:
    """(policy slug, language code) for every language other than English that a policy is
    published in; ``catalogs`` maps each language to its policies' catalogs by slug."""
    slugs = list(slugs)
    return frozenset(
        (slug, code)
        for code, documents in catalogs.items()
        if code != SOURCE_LANGUAGE
        for slug in slugs
        if published_in(code, documents.get(slug))
    )
