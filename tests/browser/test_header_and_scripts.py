"""The header on a phone, the language switcher's baseline and Latin text on Urdu pages, measured
in a real browser."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

PAGES = ["social-media-policy/", "ar/social-media-policy/", "ur/social-media-policy/", "ur/"]


def open_at(browser: Any, url: str, width: int, height: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready")
    return page


@pytest.mark.parametrize("path", PAGES)
def test_the_header_takes_at_most_a_quarter_of_a_phones_first_screen(
    browser: Any, server: str, path: str
) -> None:
    page = open_at(browser, server + path, 320, 568)  # the smallest phone screen in use
    height = page.evaluate("document.querySelector('.site-header').offsetHeight")
    page.context.close()
    assert height <= 568 * 0.25, f"{path}: the header is {height} px tall"


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("path", PAGES)
def test_the_language_switcher_stands_on_one_baseline(
    browser: Any, server: str, path: str, width: int
) -> None:
    page = open_at(browser, server + path, width, 900)
    # An empty inline-block sits on its line's baseline: one in each name shows where that is.
    baselines = page.evaluate(
        """[...document.querySelectorAll('.language-switcher a')].map(a => {
            const probe = document.createElement('span');
            probe.style.display = 'inline-block';
            a.prepend(probe);
            return probe.getBoundingClientRect().bottom;
        })"""
    )
    page.context.close()
    assert len(baselines) == 4
    assert max(baselines) - min(baselines) <= 1, baselines


def test_latin_text_on_urdu_pages_keeps_a_latin_line_height(browser: Any, server: str) -> None:
    page = open_at(browser, server + "ur/social-media-policy/", 1280, 900)
    ratios = page.evaluate(
        """['.site-name', '.footer-heading', '.site-footer p[lang="en"]'].map(s => {
            const style = getComputedStyle(document.querySelector(s));
            return parseFloat(style.lineHeight) / parseFloat(style.fontSize);
        })"""
    )
    urdu = page.evaluate(
        """(() => { const s = getComputedStyle(document.querySelector('.lead'));
            return parseFloat(s.lineHeight) / parseFloat(s.fontSize); })()"""
    )
    page.context.close()
    assert all(ratio <= 1.6 for ratio in ratios), ratios
    assert urdu >= 2  # Nastaliq itself keeps its tall lines
