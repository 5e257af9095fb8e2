"""The sitemap generator: sitemap.xml (every page, with its translations) and robots.txt."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from policypress.engine.outputs import Outputs, Stage
from policypress.engine.site import Site


class SitemapGenerator:
    name = "sitemap"
    listed: ClassVar[Mapping[str, int]] = {}
    stage = Stage.INDEX

    def plan(self, site: Site) -> list[str]:
        return ["sitemap.xml", "robots.txt"]

    def emit(self, site: Site, plan: Iterable[str], outputs: Outputs) -> None:
        from policypress.render.sitemap import render_robots, render_sitemap
        from policypress.reviews.page import REVIEWS_PAGE

        # The governors' page is written after this (it lists everything too): named here only
        # when the school has made it public.
        extra = [REVIEWS_PAGE] if site.project.config.reviews.public else []
        data = render_sitemap(site.project, outputs.files, list(site.languages), extra)
        outputs.add(data, path="sitemap.xml", kind="asset")
        outputs.add(render_robots(site.project).encode(), path="robots.txt", kind="asset")
