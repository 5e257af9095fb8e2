"""The one-page search: the leaflet PDF is the roomiest layout that fits on one page, found with
fewer layouts than trying the sizes in turn (real WeasyPrint layouts of small documents)."""

from __future__ import annotations

import math

import pytest

from policypress.engine import pdf_worker

SIZES = (17.5, 17.0, 16.25, 15.5, 15.0, 14.5, 14.0, 13.5, 13.0, 12.5, 12.0)
PARAGRAPH = "Parents and carers are asked to keep photographs of other children off social media. "


def document(size: float, paragraphs: int) -> str:
    body = "".join(f"<p>{n}. {PARAGRAPH * 2}</p>" for n in range(paragraphs))
    return (
        f'<html lang="en"><head><title>Leaflet</title><style>@page {{ size: A4; margin: 12mm }}'
        f"body {{ font: {size}pt sans-serif; line-height: 1.35 }} h1 {{ font-size: 1.75em }}"
        f"</style></head><body><h1>Social media</h1>{body}</body></html>"
    )


def pages(html: str) -> int:
    return len(pdf_worker._lay_out(html, "", "").document.pages)


# Fits at the largest size; at the third; at the seventh; at the smallest; at none.
@pytest.mark.parametrize("paragraphs", [3, 7, 10, 12, 16])
def test_the_search_finds_the_roomiest_layout_that_fits(
    paragraphs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts = [document(size, paragraphs) for size in SIZES]
    counts = [pages(html) for html in attempts]  # every size, in turn: the truth
    assert counts == sorted(counts, reverse=True)  # tighter never takes more pages
    roomiest = next((i for i, count in enumerate(counts) if count == 1), None)

    laid_out: list[tuple[str, pdf_worker._Layout]] = []
    original = pdf_worker._lay_out

    def counting(html: str, base_url: str, fonts_css: str) -> pdf_worker._Layout:
        laid_out.append((html, original(html, base_url, fonts_css)))
        return laid_out[-1][1]

    monkeypatch.setattr(pdf_worker, "_lay_out", counting)
    layout, fits = pdf_worker._roomiest_fitting(attempts, SIZES, "", "")

    chosen = next(attempts.index(html) for html, made in laid_out if made is layout)
    if roomiest is None:  # nothing fits: the tightest, marked as not fitting
        assert (chosen, fits) == (len(attempts) - 1, False)
    else:
        assert (chosen, fits) == (roomiest, True)
    if roomiest == 0:
        assert len(laid_out) == 1  # the roomiest fits: nothing else is laid out
    else:  # the largest, the guess, its neighbour, then halving what is left
        assert len(laid_out) <= 3 + math.ceil(math.log2(len(SIZES)))
