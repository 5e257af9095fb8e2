"""The home page's "Available in English only" list, in a real browser (axe-core) and the Nu Html
Checker, in a left-to-right and a right-to-left language."""

from __future__ import annotations

import functools
import http.server
import json
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from policypress.engine.build import PdfMode
from tests.browser.conftest import PREFIX, _Quiet
from tests.browser.test_accessibility import TAGS, axe, open_page
from tests.conftest import REPO, build
from tests.i18n.test_availability import little_acorns

pytestmark = pytest.mark.browser

HOMES = ["pl/", "ar/"]


@pytest.fixture(scope="module")
def english_only_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = little_acorns(tmp_path_factory.mktemp("english-only") / "little-acorns")
    build(root, pdf_mode=PdfMode.NONE)
    return root / "output" / "site"


@pytest.fixture(scope="module")
def english_only_server(
    english_only_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    webroot = tmp_path_factory.mktemp("english-only-webroot")
    (webroot / "policies").symlink_to(english_only_site, target_is_directory=True)
    handler = functools.partial(_Quiet, directory=str(webroot))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}{PREFIX}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("width", [1280, 320])
def test_axe_finds_nothing_on_home_pages_with_the_list(
    browser: Any, english_only_server: str, width: int
) -> None:
    problems = {}
    for home in HOMES:
        page = open_page(browser, english_only_server + home, width)
        assert page.locator("#english-only").count() == 1
        found = axe(page, {"runOnly": {"type": "tag", "values": TAGS}})
        contrast = axe(page, {"runOnly": {"type": "rule", "values": ["color-contrast-enhanced"]}})
        if found or contrast:
            problems[home] = found + contrast
        page.context.close()
    assert not problems, problems


def test_nu_html_checker_reports_no_errors_on_them(english_only_site: Path) -> None:
    jar = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    pages = [str(english_only_site / home / "index.html") for home in HOMES]
    pages.append(str(english_only_site / "complaints-policy" / "index.html"))
    result = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    assert not messages, messages[:5]
