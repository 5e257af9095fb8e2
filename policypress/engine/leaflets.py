"""The leaflet generator: each leaflet's web page and the QR code printed on it (the leaflets'
one-page PDFs are rendered with the other PDFs, by the same workers)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from policypress.engine.outputs import Outputs, Stage
from policypress.engine.site import Site
from policypress.i18n.view import DocumentView
from policypress.render import urls
from policypress.render.html import SiteRenderer


class LeafletGenerator:
    name = "leaflets"
    listed: ClassVar[Mapping[str, int]] = {"leaflet-page": 5}
    stage = Stage.PAGES  # after the files the page links to, before the policy pages

    def plan(self, site: Site) -> list[DocumentView]:
        return [
            site.leaflet_views[(doc.slug, lang.code)]
            for lang in site.languages
            for doc in site.project.policies
            if (doc.slug, lang.code) in site.leaflet_views
        ]

    def emit(self, site: Site, plan: Iterable[DocumentView], outputs: Outputs) -> None:
        renderers: dict[str, SiteRenderer] = {}
        base_url = site.project.config.site.base_url
        for leaflet in plan:
            slug, code = leaflet.slug, leaflet.lang.code
            if code not in renderers:
                interface = site.catalogs[code].interface
                renderers[code] = SiteRenderer(
                    site.project,
                    leaflet.lang,
                    interface,
                    site.languages,
                    site.web_assets,
                    site.unpublished,
                )
            add_leaflet_qr(site, outputs, base_url, slug, code)
            title = site.views[(slug, code)].title
            html = renderers[code].leaflet_page(leaflet, outputs.for_document(slug, code), title)
            outputs.add(
                html.encode(),
                path=urls.leaflet_page(slug, code),
                kind="page",
                policy=slug,
                lang=code,
                variant="leaflet-page",
            )


def add_leaflet_qr(site: Site, outputs: Outputs, base_url: str, slug: str, code: str) -> None:
    """The QR code a leaflet's web page shows: the address of its policy's page in ``code``
    (made once by ``site``'s cache)."""
    policy_url = urls.public_url(base_url, urls.policy_page(slug, code))
    outputs.add(
        site.qr_code(policy_url),
        path=urls.leaflet_qr(slug, code),
        kind="asset",
        policy=slug,
        lang=code,
        variant="qr",
    )
