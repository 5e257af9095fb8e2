"""The governors' review page (English only): each policy, who approved it and when, its next
review, whether it is statutory, and the statutory policies not published."""

from __future__ import annotations

from collections.abc import Sequence

from policypress.content.model import Project
from policypress.i18n.catalog import Catalog
from policypress.i18n.languages import Language, language
from policypress.render import urls
from policypress.render.html import SiteRenderer
from policypress.render.webfonts import WebAssets
from policypress.reviews.calendar import CALENDAR_FILE
from policypress.reviews.schedule import review_status

REVIEWS_PAGE = "reviews.html"  # at the top of the site: no policy's folder can take its name
TEMPLATE = "reviews.html"
GOV_UK = "https://www.gov.uk/"  # the Department for Education's own pages; others are secondary


def render_reviews_page(
    project: Project,
    interface: Catalog | None,
    languages: Sequence[Language],
    assets: WebAssets | None,
) -> str:
    english = language("en")
    site = SiteRenderer(project, english, interface, languages, assets)
    _ = site._
    context = site._context(REVIEWS_PAGE, "reviews", _("Policy reviews for governors"), None)
    status = review_status(project, None)
    rows = [
        {
            "title": row.title,
            "href": urls.relative(REVIEWS_PAGE, urls.policy_page(row.slug, english.code)),
            "next_review": row.next_review,
            "last_reviewed": row.last_reviewed,
            "cycle": row.review_cycle.months if row.review_cycle else None,
            "owner": row.owner,
            "approved_by": row.approved_by,
            "approved_on": row.approved_on,
            "statutory": row.statutory,
            "entry": row.entry.name if row.entry else "",
        }
        for row in status.rows
    ]
    missing = [
        {
            "name": entry.name,
            "approved_by": entry.approved_by,
            "cycle": entry.review.months if entry.review else None,
            "source": entry.source,
            "secondary": not entry.source.startswith(GOV_UK),
        }
        for entry in status.missing
    ]
    public = project.config.reviews.public
    context.update(
        rows=rows,
        missing=missing,
        list_name=status.list_name,
        sources=sorted(
            {entry.source for entry in status.missing if entry.source.startswith(GOV_UK)}
        ),
        secondary_sources=sorted(
            {entry.source for entry in status.missing if not entry.source.startswith(GOV_UK)}
        ),
        calendar=CALENDAR_FILE,
        public=public,
    )
    if not public:
        context["alternates"] = []
    return site.render(TEMPLATE, context)
