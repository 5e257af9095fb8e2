"""The pages generator: in every language, each policy's page, the home page, the
accessibility statement and the formats page; and the 404 page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from policypress.engine.outputs import Outputs, Stage
from policypress.engine.site import Site
from policypress.i18n.languages import Language
from policypress.render import urls
from policypress.render.html import SiteRenderer
from policypress.render.templating import compile_templates


class PageGenerator:
    name = "pages"
    listed: ClassVar[Mapping[str, int]] = {}
    stage = Stage.PAGES  # they list every file of their document, with its size

    def plan(self, site: Site) -> list[Language]:
        compile_templates(site.root, SiteRenderer.TEMPLATES)
        return list(site.languages)

    def emit(self, site: Site, plan: Iterable[Language], outputs: Outputs) -> None:
        for lang in plan:
            self.emit_language(site, lang, outputs)

    def emit_language(self, site: Site, lang: Language, outputs: Outputs) -> None:
        code = lang.code
        interface = site.catalogs[code].interface
        renderer = SiteRenderer(
            site.project, lang, interface, site.languages, site.web_assets, site.unpublished
        )
        views = [site.views[(doc.slug, code)] for doc in site.policies_in(code)]
        english_only = [site.views[(doc.slug, "en")] for doc in site.english_only(code)]

        def add(path: str, html: str, variant: str, policy: str | None = None) -> None:
            outputs.add(
                html.encode(), path=path, kind="page", policy=policy, lang=code, variant=variant
            )

        for view in views:
            html = renderer.policy_page(view, outputs.for_document(view.slug, code))
            add(urls.policy_page(view.slug, code), html, "page", view.slug)
        add(urls.home_page(code), renderer.home_page(views, english_only), "home")
        statement = renderer.statement_page(site.statement_date())
        add(urls.statement_page(code), statement, "statement")
        codes = [other.code for other in site.languages]
        # Every policy, in this language or (if it is not published in it) in English.
        listed = [
            site.views.get((doc.slug, code)) or site.views[(doc.slug, "en")]
            for doc in site.project.policies
        ]
        groups = [
            (view.slug, view.title, [f for c in codes for f in outputs.for_document(view.slug, c)])
            for view in listed
        ]
        languages = {other.code: other for other in site.languages}
        add(urls.formats_page(code), renderer.formats_page(groups, languages), "formats")
        if code == "en":
            add("404.html", renderer.not_found_page(), "404")
