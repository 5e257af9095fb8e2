"""A second policy, with a table, a footnote, an image and nested lists, dropped into content/:
it builds without code changes, accessibly, on the web and in print."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pikepdf
import pytest
import segno

from tests.conftest import build, write

pytestmark = pytest.mark.slow  # its build renders six PDFs

RICH = """\
---
title: Attendance Policy
summary: When children should be in school, and what to do when they cannot be.
version: "3.1"
adopted: 2025-01-01
last_reviewed: 2026-01-01
next_review: 2027-01-01
owner: Attendance Officer
---

Good attendance matters.[^dfe] See also the [Behaviour Policy](behaviour-policy.md#rewards).

## Term times

| Term | Starts | Ends |
|---|---|---|
| Autumn | 3 September | 19 December |
| Spring | 5 January | 27 March |

## If your child is ill

1. Phone the office before 9am.
    - Say why your child is away.
    - Say when they may be back.
2. Send a note when they return.

> Every day counts.

![A chart of attendance by month, highest in October](images/chart.png)

[^dfe]: Department for Education guidance, 2024.
"""


@pytest.fixture(scope="module")
def rich_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import CONFIG

    root = tmp_path_factory.mktemp("rich") / "school"
    write(root / "policypress.toml", CONFIG)
    write(
        root / "content" / "behaviour-policy.md",
        "---\ntitle: Behaviour Policy\n---\n\n## Rewards\n\nHouse points.\n",
    )
    write(root / "content" / "attendance-policy.md", RICH)
    (root / "content" / "images").mkdir()
    segno.make("chart").save(str(root / "content" / "images" / "chart.png"), scale=6)
    build(root)
    return root / "output"


def test_rich_policy_renders_accessible_html(rich_build: Path) -> None:
    html = (rich_build / "site" / "attendance-policy" / "index.html").read_text()
    assert '<th scope="col">Term</th>' in html
    assert '<section aria-labelledby="notes" class="footnotes">' in html
    assert 'alt="A chart of attendance by month, highest in October"' in html
    assert 'src="../media/images/chart.png"' in html
    assert (rich_build / "site" / "media" / "images" / "chart.png").is_file()
    assert '<a href="../behaviour-policy/#rewards">Behaviour Policy</a>' in html
    assert "<blockquote>" in html
    assert "<ol>\n<li>Phone the office before 9am.<ul>" in html


@pytest.mark.browser
def test_rich_policy_passes_axe_and_the_nu_checker(rich_build: Path, browser: Any) -> None:
    from tests.browser.conftest import TAGS, axe, nu_errors

    file = rich_build / "site" / "attendance-policy" / "index.html"
    page = browser.new_page(viewport={"width": 320, "height": 800}, bypass_csp=True)
    page.goto(file.as_uri())
    assert axe(page, {"runOnly": {"type": "tag", "values": TAGS}}) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.close()
    assert nu_errors([file]) == []


def test_rich_policy_pdf_tags_the_figure_table_and_note(rich_build: Path) -> None:
    path = rich_build / "site" / "attendance-policy" / "attendance-policy-en.pdf"
    with pikepdf.open(path) as pdf:
        found: dict[str, list[Any]] = {}

        def walk(node: Any) -> None:
            if isinstance(node, pikepdf.Dictionary) and "/S" in node:
                found.setdefault(str(node.S), []).append(node)
            kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary):
                    walk(kid)

        walk(pdf.Root.StructTreeRoot)
    assert "/Figure" in found
    assert str(found["/Figure"][0].Alt) == "A chart of attendance by month, highest in October"
    assert {"/Table", "/TR", "/TH", "/TD", "/BlockQuote"} <= set(found)
