"""A real browser: Debian's Chromium driven by Playwright, with axe-core from npm, and the Nu
Html Checker; the helpers every browser test shares."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import subprocess
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import AXE, REPO

PREFIX = "/policies/"
# axe-core's rules for WCAG 2.2 A and AA, and its best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa", "best-practice"]
AAA_CONTRAST = {"runOnly": {"type": "rule", "values": ["color-contrast-enhanced"]}}
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(site: Path, webroot: Path) -> Iterator[str]:
    """``site`` served at the path it is published under (/policies/): its address."""
    (webroot / "policies").symlink_to(site, target_is_directory=True)
    handler = functools.partial(_Quiet, directory=str(webroot))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{PREFIX}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def server(shipped: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The shipped site, served."""
    with serving(shipped / "site", tmp_path_factory.mktemp("webroot")) as address:
        yield address


def site_pages(shipped: Path) -> list[str]:
    manifest = json.loads((shipped / "manifest.json").read_text())
    return sorted(
        f["path"].removesuffix("index.html") for f in manifest["files"] if f["kind"] == "page"
    )


def open_page(browser: Any, url: str, width: int, scheme: str = "light") -> Any:
    """A page in a context of its own (close it with ``page.context.close()``), fonts loaded."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, bypass_csp=True
    )
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready")
    return page


def axe(page: Any, options: dict[str, Any]) -> list[dict[str, Any]]:
    """axe-core's violations on an open page: each rule and its first three elements."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("options => axe.run(document, options)", options)
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def axe_problems(
    browser: Any, base: str, paths: Iterable[str], width: int, *, aaa_contrast: bool = True
) -> dict[str, list[dict[str, Any]]]:
    """axe-core's WCAG 2.2 AA rules (and AAA contrast) on each page at ``width`` px: the pages
    with violations."""
    problems = {}
    for path in paths:
        page = open_page(browser, base + path, width)
        found = axe(page, {"runOnly": {"type": "tag", "values": TAGS}})
        if aaa_contrast:
            found += axe(page, AAA_CONTRAST)
        if found:
            problems[path] = found
        page.context.close()
    return problems


def nu_errors(pages: Iterable[Path]) -> list[dict[str, Any]]:
    """The Nu Html Checker's errors on the given files (empty when they are valid)."""
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages: list[dict[str, Any]] = json.loads(
        result.stderr or result.stdout or '{"messages": []}'
    )["messages"]
    if result.returncode and not messages:  # the checker itself failed
        raise RuntimeError(result.stderr)
    return messages
