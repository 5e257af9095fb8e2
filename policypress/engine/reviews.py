"""The reviews generator: ``reviews.ics`` (every policy's next review date) and the governors'
review page, ``reviews.html`` (English only)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from policypress.engine.outputs import Outputs, Stage
from policypress.engine.site import Site
from policypress.render import urls
from policypress.reviews.calendar import CALENDAR_FILE, render_calendar
from policypress.reviews.page import REVIEWS_PAGE, render_reviews_page


class ReviewsGenerator:
    name = "reviews"
    listed: ClassVar[Mapping[str, int]] = {}  # a policy's page lists none of these
    # A list of everything, like the sitemap; registered after it, so that the governors' page
    # is not offered to search engines.
    stage = Stage.INDEX

    def plan(self, site: Site) -> list[str]:
        return [CALENDAR_FILE, REVIEWS_PAGE]

    def emit(self, site: Site, plan: Iterable[str], outputs: Outputs) -> None:
        project = site.project
        base = project.config.site.base_url
        policy_urls = {
            doc.slug: urls.public_url(base, urls.policy_page(doc.slug, "en"))
            for doc in project.policies
        }
        calendar = render_calendar(project, policy_urls)
        outputs.add(calendar, path=CALENDAR_FILE, kind="asset", variant="calendar")
        html = render_reviews_page(
            project, site.catalogs["en"].interface, site.languages, site.web_assets
        )
        outputs.add(html.encode(), path=REVIEWS_PAGE, kind="page", lang="en", variant="reviews")
