"""Every page in a real browser: axe-core finds nothing, nothing scrolls sideways at 320 px,
text spacing can be overridden, contrast meets AAA, the skip link works, the Nu checker is happy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import (
    AAA_CONTRAST,
    axe,
    axe_problems,
    nu_errors,
    open_page,
    site_pages,
)

pytestmark = pytest.mark.browser

TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""


@pytest.mark.parametrize("width", [1280, 320])
def test_axe_finds_nothing_on_any_page(
    browser: Any, server: str, shipped: Path, width: int
) -> None:
    problems = axe_problems(browser, server, site_pages(shipped), width, aaa_contrast=False)
    assert not problems, problems


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_body_text_meets_aaa_contrast(
    browser: Any, server: str, shipped: Path, scheme: str
) -> None:
    problems = {}
    for path in site_pages(shipped):
        page = open_page(browser, server + path, 1280, scheme)
        found = axe(page, AAA_CONTRAST)
        if found:
            problems[path] = found
        page.context.close()
    assert not problems, problems


def test_no_horizontal_scroll_at_320px_even_with_text_spacing(
    browser: Any, server: str, shipped: Path
) -> None:
    problems = []
    for path in site_pages(shipped):
        page = open_page(browser, server + path, 320)
        page.add_style_tag(content=TEXT_SPACING)
        wide = page.evaluate("document.documentElement.scrollWidth")
        clipped = page.evaluate(
            """() => [...document.querySelectorAll('body *')].filter(el => {
                 const s = getComputedStyle(el);
                 return (s.overflowY === 'hidden' || s.overflowX === 'hidden')
                   && !el.classList.contains('visually-hidden')
                   && (el.scrollHeight > el.clientHeight + 1
                       || el.scrollWidth > el.clientWidth + 1);
               }).map(el => el.tagName + '.' + el.className)"""
        )
        if wide > 320 or clipped:
            problems.append((path, wide, clipped))
        page.context.close()
    assert not problems, problems


def test_skip_link_is_first_visible_on_focus_and_moves_focus(browser: Any, server: str) -> None:
    page = open_page(browser, server + "social-media-policy/", 1280)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.evaluate(
        "(() => { const r = document.activeElement.getBoundingClientRect();"
        " return [r.top, r.height]; })()"
    )
    assert box[0] >= 0 and box[1] >= 24
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.context.close()


def test_pages_work_with_their_content_security_policy(browser: Any, server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    page.goto(server + "ur/social-media-policy/", wait_until="load")
    page.evaluate("document.fonts.ready")
    fonts = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert any("Nastaliq" in f for f in fonts)
    assert not [m for m in messages if "Content Security Policy" in m]
    context.close()


def test_nu_html_checker_reports_no_errors(shipped: Path) -> None:
    messages = nu_errors(sorted((shipped / "site").rglob("*.html")))
    assert not messages, messages[:5]


FOCUSABLE = """() => [...document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
  .filter(el => el.getClientRects().length > 0 || el.classList.contains('skip-link'))
  .map(el => el.outerHTML.slice(0, 120))"""

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return {
    html: el.outerHTML.slice(0, 120),
    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
    shadow: s.boxShadow !== 'none',
  };
}"""

# The site does not scroll smoothly, so focus moves a link into view at once; the wait only
# covers a frame or two on a loaded machine.
IN_VIEW = """() => { const r = document.activeElement.getBoundingClientRect();
  return r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth; }"""


@pytest.mark.parametrize("width", [1280, 320])
def test_the_keyboard_alone_reaches_every_link_and_shows_where_focus_is(
    browser: Any, server: str, shipped: Path, width: int
) -> None:
    """WCAG 2.1.1, 2.4.7 and 2.4.11: Tab reaches every link and control of every page, in
    order, each with a visible focus indicator (a 2 px outline or a ring) and scrolled into
    view."""
    problems = {}
    for path in site_pages(shipped):
        page = open_page(browser, server + path, width)
        expected = page.evaluate(FOCUSABLE)
        reached = []
        for _ in range(len(expected) + 2):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused is None or (reached and focused["html"] == reached[0]):
                break
            reached.append(focused["html"])
            try:
                page.wait_for_function(IN_VIEW, timeout=10_000)
            except PlaywrightTimeout:
                problems.setdefault(path, []).append({**focused, "problem": "out of view"})
            if not (focused["outline"] or focused["shadow"]):
                problems.setdefault(path, []).append({**focused, "problem": "no focus indicator"})
        if reached != expected:
            problems.setdefault(path, []).append({"expected": expected, "reached": reached})
        page.context.close()

    assert not problems, problems
