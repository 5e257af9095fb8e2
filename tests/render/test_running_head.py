"""The running head's measure of its text (policypress.render.text_width) against WeasyPrint's own
layout, and a long title in large print at a large size: wrapped, whole and on the paper."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
import weasyprint
from weasyprint.text.fonts import FontConfiguration

from policypress.engine.build import BuildOptions, PdfMode
from policypress.engine.site import open_site
from policypress.i18n.languages import language
from policypress.render.pdf import MM, PrintRenderer
from policypress.render.text_width import TextWidth

SAMPLES = {
    "en": "Kettleshulme St James CE (VA) Primary School",
    "pl": "Polityka korzystania z mediów społecznościowych",
    "ar": "سياسة استخدام وسائل التواصل الاجتماعي",
    "ur": "سوشل میڈیا پالیسی",
}


def renderer(project: Path, lang: str = "en") -> PrintRenderer:
    site = open_site(project, BuildOptions(output=project / "output", pdf_mode=PdfMode.NONE))
    return PrintRenderer(site.project, language(lang), None, 40)


def write_pdf(html: str, fonts_css: str) -> bytes:
    """The PDF WeasyPrint draws of ``html`` with the vendored fonts."""
    fonts = FontConfiguration()
    css = weasyprint.CSS(string=fonts_css, font_config=fonts)
    pdf = weasyprint.HTML(string=html).write_pdf(stylesheets=[css], font_config=fonts)
    assert pdf is not None
    return pdf


def drawn_width(html: str, fonts_css: str) -> float:
    """The width, in pt, of the one line of text of a page WeasyPrint draws."""
    pdf = write_pdf(html, fonts_css)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        chars = document.pages[0].chars
        return max(c["x1"] for c in chars) - min(c["x0"] for c in chars)


@pytest.mark.parametrize("lang", list(SAMPLES))
def test_text_width_is_exact_for_latin_and_never_short_for_arabic_script(
    project: Path, lang: str
) -> None:
    print_renderer = renderer(project, lang)
    fonts_css = print_renderer.fonts_css()
    stack = language(lang).print_fonts
    text = SAMPLES[lang]
    families = ", ".join(f'"{family}"' for family in stack)
    direction = "rtl" if language(lang).rtl else "ltr"
    html = (
        f'<html lang="{lang}" dir="{direction}"><style>body {{ margin: 0; font: 20pt '
        f"{families}; white-space: nowrap }}</style><body>{text}</body></html>"
    )
    drawn = drawn_width(html, fonts_css)
    measured = TextWidth(fonts_css, stack).em(text) * 20
    if lang in ("en", "pl"):
        assert abs(measured - drawn) < 0.01 * drawn, (measured, drawn)
    else:
        assert drawn <= measured < 2 * drawn, (measured, drawn)


def overlapping(chars: list[dict[str, Any]]) -> list[str]:
    """Pairs of characters drawn over each other (boxes sharing more than a quarter of the
    smaller one's area), but for neighbours in the text, which kerning may overlap (as "r,")."""
    drawn = [c for c in chars if c["text"].strip()]
    found = []
    for i, a in enumerate(drawn):
        for b in drawn[i + 2 :]:
            width = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            smaller = min(
                (a["x1"] - a["x0"]) * (a["bottom"] - a["top"]),
                (b["x1"] - b["x0"]) * (b["bottom"] - b["top"]),
            )
            if width > 0 and height > 0 and width * height > smaller / 4:
                found.append(a["text"] + b["text"])
    return found


def test_a_long_title_in_large_print_wraps_inside_the_top_margin(project: Path) -> None:
    """At 40 pt, also the page foot: its version, review date and page number, which ran into
    each other side by side, go one under the other."""
    policy = project / "content" / "behaviour-policy.md"
    title = "Behaviour, Relationships and Anti-Bullying Policy for Pupils, Staff and Parents"
    policy.write_text(policy.read_text().replace("title: Behaviour Policy", f"title: {title}"))
    print_renderer = renderer(project)
    site = open_site(project, BuildOptions(output=project / "output", pdf_mode=PdfMode.NONE))
    view = site.with_views().views[("behaviour-policy", "en")]
    html = print_renderer.policy_document(view, "large-print")
    pdf = write_pdf(html, print_renderer.fonts_css())
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[1]
        assert overlapping(page.chars) == []
        assert page.search("Page 2 of") and page.search("Next review:")
        rows: dict[float, list[dict[str, Any]]] = {}
        for char in sorted(page.chars, key=lambda c: (c["top"], c["x0"])):
            rows.setdefault(round(char["bottom"]), []).append(char)
    lines = [rows[bottom] for bottom in sorted(rows)]
    said = ["".join(c["text"] for c in line) for line in lines]
    # The title alone, whole, on the first lines (40 pt: three of them); the name does not fit.
    head = next((n for n in range(1, len(lines)) if " ".join(said[:n]) == title), 0)
    assert head >= 3, f"the head is not the title alone on three lines: {said[:5]}"
    assert min(c["top"] for c in lines[0]) > 5 * MM, "the running head runs off the paper"
    body_top = min(c["top"] for c in lines[head])
    assert max(c["bottom"] for line in lines[:head] for c in line) < body_top, "overlapping"
