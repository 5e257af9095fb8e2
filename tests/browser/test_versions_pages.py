"""The pages of versions in a real browser, in every language at 320 and 1280 px: superseded
versions, their leaflets, "What changed" and the change history. axe-core and the Nu checker
find nothing, and nothing scrolls sideways."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import axe_problems, nu_errors, open_page, serving
from tests.browser.test_accessibility import TEXT_SPACING
from tests.conftest import build
from tests.versions.conftest import SLUG, make_history_project

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def history_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_history_project(tmp_path_factory.mktemp("history-browser") / "school")
    output = root.parent / "output"
    build(root, output, pdf_mode="none")
    return output


@pytest.fixture(scope="module")
def history_server(history_output: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(history_output / "site", tmp_path_factory.mktemp("history-webroot")) as address:
        yield address


def version_pages(output: Path) -> list[str]:
    """Every page this feature adds or changes: old versions, What changed, the history."""
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    pages = []
    for file in manifest["files"]:
        path = file["path"]
        if file["kind"] not in ("page", "changes") or SLUG not in path:
            continue
        if "/leaflet/" in path and "/v1.0/" not in path:
            continue  # the current leaflet page is the shipped browser tests' business
        pages.append(path)
    return [path.removesuffix("index.html") for path in sorted(pages)]


def test_the_pages_under_test_cover_every_language(history_output: Path) -> None:
    pages = version_pages(history_output)
    for prefix in ("", "pl/", "ur/", "ar/"):
        for page in ("", "v1.0/", "v1.1/", "v1.0/leaflet/", "v1.1/changes/", "v1.2/changes/"):
            assert f"{prefix}{SLUG}/{page}" in pages


@pytest.mark.parametrize("width", [1280, 320])
def test_axe_finds_nothing_on_the_version_pages(
    browser: Any, history_server: str, history_output: Path, width: int
) -> None:
    problems = axe_problems(browser, history_server, version_pages(history_output), width)
    assert not problems, problems


def test_the_version_pages_do_not_scroll_sideways_at_320px(
    browser: Any, history_server: str, history_output: Path
) -> None:
    problems = []
    for path in version_pages(history_output):
        page = open_page(browser, history_server + path, 320)
        page.add_style_tag(content=TEXT_SPACING)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            problems.append((path, width))
        page.context.close()
    assert not problems, problems


def test_nu_html_checker_reports_no_errors_on_the_version_pages(history_output: Path) -> None:
    site = history_output / "site"
    messages = nu_errors(site / path / "index.html" for path in version_pages(history_output))
    assert not messages, messages[:5]
