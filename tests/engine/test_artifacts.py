"""The PDF/UA pass that turns page furniture into artifacts, on real WeasyPrint PDFs."""

from __future__ import annotations

import io
import re

import pikepdf
import pytest

from policypress.engine import artifacts
from policypress.engine.artifacts import mark_furniture_as_artifacts

HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>@page {{ size: A6; @top-center {{ content: "RUNNING HEAD"; }}
@bottom-center {{ content: "Page " counter(page) " of " counter(pages); }} }}</style></head>
<body><h1>{title}</h1>{body}</body></html>"""


def weasyprint_pdf(title: str = "Furniture", paragraphs: int = 12) -> bytes:
    from weasyprint import HTML as Document

    body = "".join(f"<p>Paragraph {n} of the body text.</p>" for n in range(paragraphs))
    html = HTML.format(title=title, body=body)
    return Document(string=html).write_pdf(pdf_variant="pdf/ua-1")  # type: ignore[no-any-return]


def instructions(data: bytes) -> list[list[tuple[str, list[str]]]]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [
            [
                (str(op.operator), [str(o) for o in op.operands])
                for op in pikepdf.parse_content_stream(page)
            ]
            for page in pdf.pages
        ]


def marked(data: bytes) -> list[list[str]]:
    """Per page, the tag of every marked-content sequence: /Artifact or a structure type."""
    return [
        [operands[0] for operator, operands in page if operator in ("BDC", "BMC")]
        for page in instructions(data)
    ]


def test_running_heads_and_page_numbers_become_artifacts_and_content_stays_tagged() -> None:
    before = weasyprint_pdf()
    after = mark_furniture_as_artifacts(before)
    pages_before, pages_after = marked(before), marked(after)
    assert len(pages_after) >= 2
    for old, new in zip(pages_before, pages_after, strict=True):
        # Two margin boxes a page (the head and "Page N of M") were tagged content; now they are
        # artifacts, and every other sequence keeps its tag.
        assert new.count("/Artifact") == old.count("/Artifact") + 2
        assert len(new) == len(old)
    with pikepdf.open(io.BytesIO(after)) as pdf:
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = [nums[i + 1] for i in range(0, len(nums), 2)]
        text = b"".join(page.obj.Contents.read_bytes() for page in pdf.pages)
    # The parent tree no longer points at structure elements for the furniture.
    assert any(element is None for parent in parents for element in parent)
    assert re.search(rb"/Artifact\s*<<\s*/Type\s*/Pagination\s*>>\s*BDC", text)


def test_the_quick_byte_pattern_gives_exactly_what_parsing_every_instruction_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = weasyprint_pdf()
    quick = mark_furniture_as_artifacts(before)
    monkeypatch.setattr(artifacts, "_BDC", re.compile(rb"(?!)(\d)"))  # never matches: slow path
    parsed = mark_furniture_as_artifacts(before)
    assert instructions(quick) == instructions(parsed)
    assert marked(quick) != marked(before)


def test_the_pass_is_deterministic() -> None:
    data = weasyprint_pdf()
    assert mark_furniture_as_artifacts(data) == mark_furniture_as_artifacts(data)
