"""The PDF/UA finisher that turns page furniture into artifacts, and the file identifier, on
real WeasyPrint PDFs read back with pikepdf."""

from __future__ import annotations

import io
import re
from typing import Any

import pikepdf

from policypress.engine.artifacts import add_file_identifier, mark_furniture_as_artifacts

HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>@page {{ size: A6; @top-center {{ content: "RUNNING HEAD"; }}
@bottom-center {{ content: "Page " counter(page) " of " counter(pages); }} }}
.box {{ opacity: 0.9 }}</style></head>
<body><h1>{title}</h1>{body}<div class="box"><p>Drawn in a group of its own.</p></div>
<ul><li>One</li><li><a href="https://example.org/">A link</a></li></ul></body></html>"""


def weasyprint_pdf(title: str = "Furniture", paragraphs: int = 12, **options: Any) -> bytes:
    from weasyprint import HTML as Document

    body = "".join(f"<p>Paragraph {n} of the body text.</p>" for n in range(paragraphs))
    html = HTML.format(title=title, body=body)
    return Document(string=html).write_pdf(pdf_variant="pdf/ua-1", **options)  # type: ignore[no-any-return]


def finished(**options: Any) -> bytes:
    return weasyprint_pdf(finisher=mark_furniture_as_artifacts, **options)


def instructions(data: bytes) -> list[list[tuple[str, list[str]]]]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [
            [
                (str(op.operator), [str(o) for o in op.operands])
                for op in pikepdf.parse_content_stream(page)
            ]
            for page in pdf.pages
        ]


def group_tags(data: bytes) -> list[str]:
    """The tags of the marked-content sequences drawn inside form XObjects (opacity groups),
    each XObject once (WeasyPrint shares one resource dictionary between pages)."""
    tags: list[str] = []
    seen: set[tuple[int, int]] = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for xobject in (page.Resources.get("/XObject") or {}).values():
                if xobject.objgen in seen or xobject.get("/Subtype") != "/Form":
                    continue
                seen.add(xobject.objgen)
                tags += [
                    str(op.operands[0])
                    for op in pikepdf.parse_content_stream(xobject)
                    if str(op.operator) in ("BDC", "BMC")
                ]
    return tags


def marked(data: bytes) -> list[list[str]]:
    """Per page, the tag of every marked-content sequence: /Artifact or a structure type."""
    return [
        [operands[0] for operator, operands in page if operator in ("BDC", "BMC")]
        for page in instructions(data)
    ]


def structure(data: bytes) -> list[tuple[int, str, int]]:
    """The structure tree from its root, depth first: (depth, type, marked-content ids)."""
    rows: list[tuple[int, str, int]] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:

        def walk(node: pikepdf.Dictionary, depth: int) -> None:
            kids = node.get("/K")
            items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            rows.append((depth, str(node.get("/S")), sum(isinstance(k, int) for k in items)))
            for kid in items:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    walk(kid, depth + 1)

        walk(pdf.Root.StructTreeRoot.K[0], 0)
    return rows


def test_running_heads_and_page_numbers_become_artifacts_and_content_stays_tagged() -> None:
    before, after = weasyprint_pdf(), finished()
    pages_before, pages_after = marked(before), marked(after)
    assert len(pages_after) >= 2
    for old, new in zip(pages_before, pages_after, strict=True):
        # Two margin boxes a page (the head and "Page N of M") were tagged content; now they are
        # artifacts, and every other sequence keeps its tag.
        assert new.count("/Artifact") == old.count("/Artifact") + 2
        assert len(new) == len(old)
    assert structure(after) == structure(before)
    with pikepdf.open(io.BytesIO(after)) as pdf:
        assert pdf.check_pdf_syntax() == []
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = [nums[i + 1] for i in range(0, len(nums), 2)]
        text = b"".join(page.obj.Contents.read_bytes() for page in pdf.pages)
        # Every marked-content id still in the parent tree belongs to the structure tree.
        in_tree = {
            (number, mcid)
            for number, parent in enumerate(parents[: len(pdf.pages)])
            for mcid, element in enumerate(parent)
            if element is not None
        }
        left_out = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and "/S" in o]
    assert any(element is None for parent in parents for element in parent)
    assert re.search(rb"/Artifact\s*<<\s*/Type\s*/Pagination\s*>>\s*BDC", text)
    groups = group_tags(after)
    assert groups and "/Artifact" not in groups  # the opacity group's text is content
    tagged = sum(len([t for t in page if t != "/Artifact"]) for page in pages_after)
    assert len(in_tree) == tagged + len(groups)
    assert len(left_out) == len(structure(after))  # no structure element outside the tree


def test_a_document_without_margin_boxes_is_left_as_it_was() -> None:
    from weasyprint import HTML as Document

    html = "<html lang='en'><title>Plain</title><p>Nothing in the margins.</p></html>"
    plain = Document(string=html).write_pdf(pdf_variant="pdf/ua-1")
    done = Document(string=html).write_pdf(
        pdf_variant="pdf/ua-1", finisher=mark_furniture_as_artifacts
    )
    assert instructions(done) == instructions(plain)


def test_the_file_identifier_is_made_from_the_file_and_moves_nothing() -> None:
    data = finished()
    with_id = add_file_identifier(data)
    with pikepdf.open(io.BytesIO(with_id)) as pdf:
        assert pdf.check_pdf_syntax() == []
        identifier = bytes(pdf.trailer.ID[0])
        assert len(identifier) == 16 and bytes(pdf.trailer.ID[1]) == identifier
    assert instructions(with_id) == instructions(data)
    assert add_file_identifier(with_id) == with_id  # never two
    assert add_file_identifier(finished()) == with_id  # deterministic
    other = add_file_identifier(
        weasyprint_pdf(title="Another", finisher=mark_furniture_as_artifacts)
    )
    with pikepdf.open(io.BytesIO(other)) as pdf:
        assert bytes(pdf.trailer.ID[0]) != identifier


def test_a_file_of_another_shape_gets_no_identifier_rather_than_a_broken_one() -> None:
    plain = finished(uncompressed_pdf=True)  # a classic trailer, no cross-reference stream
    assert add_file_identifier(plain) == plain
    assert add_file_identifier(b"not a PDF") == b"not a PDF"
