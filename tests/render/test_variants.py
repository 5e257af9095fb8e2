"""The PDF variants as data: the registry matches the templates, the file names and the print
stylesheets, and mypy refuses a misspelt variant."""

from __future__ import annotations

from pathlib import Path

from mypy import api

from policypress.layout import DEFAULT_TEMPLATES
from policypress.render import urls
from policypress.render.pdf import print_style
from policypress.variants import (
    BY_NAME,
    LARGE_PRINT_DEFAULT,
    LARGE_PRINT_MAX,
    LARGE_PRINT_MIN,
    PDF_VARIANTS,
)


def test_every_variant_has_its_stylesheet_file_and_name() -> None:
    assert [v.name for v in sorted(PDF_VARIANTS, key=lambda v: v.order)] == [
        "standard",
        "large-print",
        "dyslexia-friendly",
    ]
    for variant in PDF_VARIANTS:
        if variant.stylesheet:
            assert (DEFAULT_TEMPLATES / "print" / variant.stylesheet).is_file()
        assert print_style(variant.name).name == variant.name
        if variant.body_size is not None:
            assert print_style(variant.name).body == variant.body_size
    assert urls.pdf_file("p", "en", "standard") == "p/p-en.pdf"
    assert urls.pdf_file("p", "pl", "large-print") == "pl/p/p-pl-large-print.pdf"
    assert BY_NAME["dyslexia-friendly"].file_suffix == "-dyslexia-friendly"


def test_the_large_print_range_holds_its_default() -> None:
    assert LARGE_PRINT_MIN <= LARGE_PRINT_DEFAULT <= LARGE_PRINT_MAX
    assert print_style("large-print", LARGE_PRINT_MAX).body == LARGE_PRINT_MAX


def test_mypy_refuses_a_misspelt_variant(tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        "from policypress.render import urls\n\n"
        'urls.pdf_file("a", "en", "large-print")\n'
        'urls.pdf_file("a", "en", "large_print")\n',
        encoding="utf-8",
    )
    out, _err, status = api.run(
        ["--strict", "--follow-imports=silent", f"--cache-dir={tmp_path / 'cache'}", str(snippet)]
    )
    assert status == 1
    assert f"{snippet}:4: error" in out
    assert f"{snippet}:3:" not in out
