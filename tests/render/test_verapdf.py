"""veraPDF, a validator no one here wrote, judges every PDF the build makes against PDF/UA-1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.judges import verapdf

pytestmark = pytest.mark.slow  # the shipped build renders 16 PDFs


def test_every_pdf_of_every_language_passes_pdf_ua_1(shipped: Path) -> None:
    manifest = json.loads((shipped / "manifest.json").read_text(encoding="utf-8"))
    pdfs = [shipped / "site" / f["path"] for f in manifest["files"] if f["path"].endswith(".pdf")]
    languages = {f["language"] for f in manifest["files"] if f["path"].endswith(".pdf")}
    assert languages == {"en", "pl", "ur", "ar"}
    assert len(pdfs) >= 16  # three variants and a leaflet in each of four languages
    failures = {path.name: rules for path, rules in verapdf.validate(pdfs).items() if rules}
    assert failures == {}


def test_the_judge_fails_an_untagged_pdf(tmp_path: Path) -> None:
    """The same judge on a PDF written without the PDF/UA variant: it must find failed rules."""
    from weasyprint import HTML

    plain = tmp_path / "plain.pdf"
    HTML(string="<h1>Not tagged</h1><p>No structure, no language.</p>").write_pdf(plain)
    rules = verapdf.validate([plain])[plain]
    assert rules, "veraPDF passed a PDF with no tags"
    assert any(rule.startswith("7.1-") or rule.startswith("5-") for rule in rules), rules
