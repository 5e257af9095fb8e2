"""The browser tests' judges can fail: axe-core and the Nu Html Checker, as the shared helpers
run them, report a page with a missing alternative text and a duplicate id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import axe_problems, nu_errors, serving

pytestmark = pytest.mark.browser

BAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Bad</title></head>
<body><main><h1 id="x">Bad</h1><p id="x">Text</p><img src="a.png"></main></body></html>
"""


@pytest.fixture
def bad_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "bad").mkdir(parents=True)
    (site / "bad" / "index.html").write_text(BAD, encoding="utf-8")
    return site


def test_nu_reports_a_duplicate_id_and_a_missing_alt(bad_site: Path) -> None:
    messages = nu_errors([bad_site / "bad" / "index.html"])
    text = " ".join(m["message"] for m in messages)
    assert "Duplicate ID" in text and "alt" in text


def test_axe_reports_an_image_without_alternative_text(
    browser: Any, bad_site: Path, tmp_path: Path
) -> None:
    webroot = tmp_path / "webroot"
    webroot.mkdir()
    with serving(bad_site, webroot) as address:
        problems = axe_problems(browser, address, ["bad/"], 320)
    assert "image-alt" in [p["id"] for p in problems["bad/"]]
