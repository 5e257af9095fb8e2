"""The governors' review page in a real browser, at 320 and 1280 px: axe-core finds nothing,
nothing scrolls sideways, the Nu checker is happy. (The whole-site tests cover it too, through the
manifest; this names it, so it cannot silently drop out.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import AAA_CONTRAST, TAGS, axe, nu_errors, open_page, site_pages

pytestmark = pytest.mark.browser

PAGE = "reviews.html"


def test_the_page_is_one_of_the_site_pages(shipped: Path) -> None:
    assert PAGE in site_pages(shipped)


@pytest.mark.parametrize("width", [1280, 320])
def test_axe_finds_nothing_and_nothing_scrolls_sideways(
    browser: Any, server: str, width: int
) -> None:
    page = open_page(browser, server + PAGE, width)
    assert page.evaluate("document.querySelector('h1').textContent") == (
        "Policy reviews for governors"
    )
    assert axe(page, {"runOnly": {"type": "tag", "values": TAGS}}) == []
    assert axe(page, AAA_CONTRAST) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.context.close()


def test_nu_html_checker_reports_no_errors(shipped: Path) -> None:
    messages = nu_errors([shipped / "site" / PAGE])
    assert not messages, messages[:5]
