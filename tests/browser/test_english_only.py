"""The home page's "Available in English only" list, in a real browser (axe-core) and the Nu Html
Checker, in a left-to-right and a right-to-left language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from policypress.engine.build import PdfMode
from tests.browser.conftest import axe_problems, nu_errors, open_page, serving
from tests.conftest import build
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
    with serving(english_only_site, tmp_path_factory.mktemp("english-only-webroot")) as address:
        yield address


@pytest.mark.parametrize("width", [1280, 320])
def test_axe_finds_nothing_on_home_pages_with_the_list(
    browser: Any, english_only_server: str, width: int
) -> None:
    for home in HOMES:
        page = open_page(browser, english_only_server + home, width)
        assert page.locator("#english-only").count() == 1
        page.context.close()
    problems = axe_problems(browser, english_only_server, HOMES, width)
    assert not problems, problems


def test_nu_html_checker_reports_no_errors_on_them(english_only_site: Path) -> None:
    pages = [english_only_site / home / "index.html" for home in HOMES]
    pages.append(english_only_site / "complaints-policy" / "index.html")
    messages = nu_errors(pages)
    assert not messages, messages[:5]
