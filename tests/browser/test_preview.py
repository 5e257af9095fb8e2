"""The preview in a real browser: its Content-Security-Policy header blocks nothing it needs, a
save reloads the page, and a broken save shows over the page, also on a page opened afterwards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import copy_repo_project
from tests.test_serve_safety import POLICY, PREFIX, start_preview, stop_preview

pytestmark = pytest.mark.browser

# Runs before the page's own scripts and outside its CSP: reports CSP violations to the test (the
# binding outlives reloads) and keeps the live-reload script's EventSource, so the test knows when
# the page is listening. (Predicates are functions, not expressions: Playwright would eval an
# expression, which the CSP forbids.)
WATCH = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.reportViolation(e.violatedDirective + " " + e.blockedURI);
});
window.__sources = [];
const Original = window.EventSource;
window.EventSource = function (url, options) {
  const source = new Original(url, options);
  window.__sources.push(source);
  return source;
};
"""
LISTENING = "() => window.__sources.length > 0 && window.__sources[0].readyState === 1"
OVERLAY = "[role=alert]"
ERROR_SHOWN = """() => {
  const box = document.querySelector("[role=alert]");
  return box !== null && box.innerText.includes("content/social-media-policy.md:2:8")
    && !box.innerText.includes("belongs to no policy");
}"""


def open_preview(context: Any, url: str, console: list[str]) -> Any:
    page = context.new_page()
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    response = page.goto(url, wait_until="load")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_function(LISTENING, timeout=15_000)
    return page


def test_the_preview_reloads_and_shows_errors_under_its_csp(browser: Any, tmp_path: Path) -> None:
    preview = start_preview(copy_repo_project(tmp_path / "school"))
    url = f"http://127.0.0.1:{preview.port}{PREFIX}social-media-policy/"
    policy = preview.root / POLICY
    good = policy.read_text(encoding="utf-8")
    console: list[str] = []
    violations: list[str] = []
    context = browser.new_context()  # no bypass_csp: the header and the meta tag both apply
    context.expose_binding("reportViolation", lambda _source, text: violations.append(text))
    context.add_init_script(WATCH)
    try:
        page = open_preview(context, url, console)

        # A good save: the page reloads by itself and shows the new text.
        page.evaluate("window.__before_save = true")
        policy.write_text(good.replace("Headteacher", "Head of School", 1), encoding="utf-8")
        page.wait_for_function(
            "() => !window.__before_save && document.body.innerText.includes('Head of School')",
            timeout=30_000,
        )
        page.wait_for_function(LISTENING, timeout=15_000)
        assert page.locator(OVERLAY).count() == 0

        # A broken save: the error shows over the open page ...
        broken = good.replace("title: Social Media Policy", 'title: "Social Media Policy', 1)
        policy.write_text(broken, encoding="utf-8")
        page.wait_for_function(ERROR_SHOWN, timeout=30_000)

        # ... and over a page opened (or reloaded) afterwards.
        fresh = open_preview(context, url, console)
        fresh.wait_for_function(ERROR_SHOWN, timeout=15_000)
        page.reload(wait_until="load")
        page.wait_for_function(ERROR_SHOWN, timeout=15_000)

        # Fixed: the pages reload without the error.
        for tab in (page, fresh):
            tab.evaluate("window.__before_save = true")
        policy.write_text(good, encoding="utf-8")
        for tab in (page, fresh):
            tab.wait_for_function("() => !window.__before_save", timeout=30_000)
            tab.wait_for_function(LISTENING, timeout=15_000)
            tab.wait_for_timeout(1000)  # time for a (wrong) error report to arrive
            assert tab.locator(OVERLAY).count() == 0

        assert violations == []
        assert not [line for line in console if "Content Security Policy" in line], console
    finally:
        context.close()
        terminal = stop_preview(preview)
    assert "Traceback" not in terminal
