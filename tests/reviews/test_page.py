"""The governors' review page: in the manifest, not indexed and not in the navigation unless
the school sets [reviews] public = true, naming the statutory policies not published."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

from tests.conftest import build


def test_the_page_lists_each_policy_and_the_missing_statutory_ones(school: Path) -> None:
    build(school, pdf_mode="none")
    site = school / "output" / "site"
    page = (site / "reviews.html").read_text()
    assert '<meta name="robots" content="noindex">' in page
    for title in ("Behaviour Policy", "Charging &amp; Remissions Policy", "Social Media Policy"):
        assert f">{title}" in page
    assert "Full Governing Body" in page
    assert '<time datetime="2026-01-15">15 January 2026</time>' in page
    assert '<time datetime="2028-06-01">1 June 2028</time>' in page  # worked out
    missing = page.split('id="missing"', 1)[1]
    assert "Admissions arrangements." in missing
    assert "Behaviour and written statement" not in missing
    assert 'href="reviews.ics"' in page
    # Soonest review first.
    assert page.index("Behaviour Policy") < page.index("Charging") < page.index("Social Media")
    manifest = json.loads((school / "output" / "manifest.json").read_text())
    entry = next(f for f in manifest["files"] if f["path"] == "reviews.html")
    assert (entry["kind"], entry["language"], entry["variant"]) == ("page", "en", "reviews")
    # Not linked from the public pages, and not offered to search engines.
    assert "reviews.html" not in (site / "index.html").read_text()
    assert "reviews" not in (site / "sitemap.xml").read_text()


def test_a_public_page_is_in_the_navigation_and_indexed(school: Path) -> None:
    config = school / "policypress.toml"
    config.write_text(config.read_text() + "public = true\n")
    build(school, pdf_mode="none")
    site = school / "output" / "site"
    page = (site / "reviews.html").read_text()
    assert "noindex" not in page
    assert 'aria-current="page">Policy reviews</a>' in page
    home = (site / "index.html").read_text()
    assert '<a href="reviews.html" hreflang="en">Policy reviews</a>' in home
    policy = (site / "behaviour-policy" / "index.html").read_text()
    assert '<a href="../reviews.html" hreflang="en">Policy reviews</a>' in policy


def test_the_sitemap_lists_the_page_only_when_it_is_public(school: Path) -> None:
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    address = "https://sttests.sch.uk/policies/reviews.html"

    def listed() -> list[str]:
        build(school, pdf_mode="none")
        tree = ElementTree.parse(school / "output" / "site" / "sitemap.xml")
        return [loc.text or "" for loc in tree.getroot().findall("s:url/s:loc", namespace)]

    private = listed()
    assert address not in private
    assert "https://sttests.sch.uk/policies/behaviour-policy/" in private
    config = school / "policypress.toml"
    config.write_text(config.read_text() + "public = true\n")
    public = listed()
    assert address in public
    assert sorted(set(public) - set(private)) == [address]


def test_without_a_statutory_list_the_page_says_how_to_choose_one(project: Path) -> None:
    build(project, pdf_mode="none")
    page = (project / "output" / "site" / "reviews.html").read_text()
    assert "No list of statutory policies has been chosen" in page
