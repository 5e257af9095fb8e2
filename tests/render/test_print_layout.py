"""The printed page as a reader holds it: the leaflet at Clear Print size on one page, the QR
code with a caption inside the page, and no half-empty pages in the long documents."""

from __future__ import annotations

import collections
import json
import subprocess
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest

from policypress.i18n.languages import language
from policypress.render.pdf import LEAFLET_SIZES, leaflet_sizes, print_style

pytestmark = pytest.mark.slow  # the shipped build renders 16 PDFs

MM = 72 / 25.4
LANGS = ("en", "pl", "ur", "ar")
CAPTIONS = {
    "en": "Scan to read the full policy",
    "pl": "Zeskanuj, aby przeczytać całą politykę",
    "ar": "امسح الرمز لقراءة السياسة كاملة",
    "ur": "پوری پالیسی پڑھنے کے لیے اسکین کریں",
}


def files(shipped: Path, kind: str) -> list[dict[str, Any]]:
    manifest = json.loads((shipped / "manifest.json").read_text(encoding="utf-8"))
    return [f for f in manifest["files"] if f["kind"] == kind]


def leaflet(shipped: Path, lang: str) -> Path:
    (facts,) = [f for f in files(shipped, "leaflet") if f["language"] == lang]
    return shipped / "site" / facts["path"]


def body_size(page: Any) -> float:
    sizes = collections.Counter(round(char["size"], 2) for char in page.chars)
    return float(sizes.most_common(1)[0][0])


@pytest.mark.parametrize("lang", LANGS)
def test_the_leaflet_is_one_page_at_clear_print_size_using_the_page(
    shipped: Path, lang: str
) -> None:
    with pdfplumber.open(leaflet(shipped, lang)) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        smallest = min(char["size"] for char in page.chars)
        assert smallest >= 11.99, f"text at {smallest:.2f} pt: Clear Print's minimum is 12 pt"
        body = body_size(page)
        sizes = leaflet_sizes(language(lang).print_fonts[0])
        assert body in sizes
        # As large as the page allows: either the largest size, or the page is well filled.
        used = max(char["bottom"] for char in page.chars) / float(page.height)
        assert body == sizes[0] or used > 0.85


def test_arabic_script_leaflets_are_set_larger_than_the_latin_when_they_fit(
    shipped: Path,
) -> None:
    """Arabic script is scaled up; a long translation may come down to 12 pt, never below."""
    assert leaflet_sizes("Noto Naskh Arabic")[0] > LEAFLET_SIZES[0]
    assert leaflet_sizes("Noto Nastaliq Urdu")[0] > LEAFLET_SIZES[0]
    assert min(leaflet_sizes("Noto Naskh Arabic")) == 12.0
    with pdfplumber.open(leaflet(shipped, "ar")) as pdf:
        arabic = body_size(pdf.pages[0])
    with pdfplumber.open(leaflet(shipped, "en")) as pdf:
        latin = body_size(pdf.pages[0])
    assert arabic >= 12.0
    assert latin >= 12.0


@pytest.mark.parametrize("lang", LANGS)
def test_the_qr_code_has_a_caption_and_its_box_is_inside_the_page(shipped: Path, lang: str) -> None:
    path = leaflet(shipped, lang)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    if lang in ("en", "pl"):  # Arabic-script extraction is judged in test_pdf_text.py
        assert " ".join(CAPTIONS[lang].split()) in " ".join(text.split())
    with pikepdf.open(path) as pdf:
        width, height = (float(v) for v in pdf.pages[0].MediaBox[2:])
        figures = []
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
                continue
            if not isinstance(node, pikepdf.Dictionary):
                continue
            if node.get("/S") == "/Figure":
                figures.append(node)
            if "/K" in node:
                stack.append(node.K)
        assert len(figures) == 1
        x1, y1, x2, y2 = (float(v) for v in figures[0].A.BBox)
        assert 0 <= x1 < x2 <= width and 0 <= y1 < y2 <= height, (x1, y1, x2, y2)
        assert 60 < x2 - x1 < 90  # 26 mm is 73.7 pt
    # The box is where the code is drawn: its caption sits right under it, across its middle.
    with pdfplumber.open(path) as plumber:
        page = plumber.pages[0]
        caption = [c for c in page.chars if c["text"] in CAPTIONS[lang] and c["text"].strip()]
        below = [c for c in caption if 0 <= c["top"] - (height - y1) < 40]
        assert below, "no caption under the QR code's box"
        middle = (x1 + x2) / 2
        assert min(c["x0"] for c in below) < middle < max(c["x1"] for c in below)


@pytest.mark.parametrize("variant", ["standard", "large-print", "dyslexia-friendly"])
@pytest.mark.parametrize("lang", LANGS)
def test_no_page_but_the_last_is_less_than_half_full(
    shipped: Path, lang: str, variant: str
) -> None:
    half_empty: list[str] = []
    pdfs = [f for f in files(shipped, "pdf") if (f["language"], f["variant"]) == (lang, variant)]
    assert len(pdfs) == 1, pdfs
    for facts in pdfs:
        style = print_style(facts["variant"], 18)
        line = style.furniture * 1.35
        with pdfplumber.open(shipped / "site" / facts["path"]) as pdf:
            for number, page in enumerate(pdf.pages[:-1], start=1):
                top = 14 * MM + line
                bottom = float(page.height) - (14 * MM + 2 * line)
                body = [c for c in page.chars if c["top"] >= top - 1 and c["bottom"] <= bottom + 1]
                used = (max(c["bottom"] for c in body) - top) / (bottom - top) if body else 0.0
                if used < 0.5:
                    half_empty.append(f"{facts['path']} page {number}: {used:.0%}")
                last_line = max(c["bottom"] for c in body)
                ending = [c for c in body if abs(c["bottom"] - last_line) < 2]
                if max(c["size"] for c in ending) > style.body * 1.12:
                    half_empty.append(f"{facts['path']} page {number} ends with a heading")
    assert half_empty == []
