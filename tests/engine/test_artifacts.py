"""The PDF/UA finisher that turns page furniture into artifacts, and the file identifier, on
real WeasyPrint PDFs read back with pikepdf."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pikepdf
import pytest

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


# The structure that follows the document (policypress.engine.pdfstructure) ----------------

STRUCTURED = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<title>Structure</title>
<style>@page {{ size: A6; margin: 10mm; }} body {{ orphans: 1; widows: 1; }}
.toc ol {{ list-style: none; padding: 0; }}
.toc a::after {{ content: leader(".") target-counter(attr(href url), page); }}</style></head>
<body><h1>Structure</h1>
<nav class="toc"><h2>Contents</h2><ol>
<li><a href="#one">First section</a></li><li><a href="#two">Second section</a></li></ol></nav>
<main><h2 id="one">First section</h2><p>{long}</p>
<ul>{items}</ul>
<h2 id="two">Second section</h2><p><a href="https://example.org/">{link}</a></p>
<p>Before <span lang="{other}">{foreign}</span> after.</p>
<div lang="{other}"><p>A whole block in the other language, with <span lang="{lang}">{home}</span>
inside it.</p></div></main></body></html>"""


def structured_pdf(lang: str = "en") -> bytes:
    from weasyprint import HTML as Document

    from policypress.engine.pdfstructure import tagged_pdf_finisher

    words = " ".join(f"word{n}" for n in range(400))
    html = STRUCTURED.format(
        lang=lang,
        other="ar" if lang == "en" else "en",
        long=words,
        items="".join(
            f"<li>Item {n} of a list long enough to cross a page</li>" for n in range(30)
        ),
        link=" ".join(f"link{n}" for n in range(300)),
        foreign="مجلس الإدارة" if lang == "en" else "Chair of Governors",
        home="نص" if lang == "en" else "home",
    )
    return Document(string=html).write_pdf(  # type: ignore[no-any-return]
        pdf_variant="pdf/ua-1", finisher=tagged_pdf_finisher()
    )


def elements(node: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    """``node`` and every structure element below it, depth first."""
    found = [node]
    kids = node.get("/K")
    for kid in list(kids) if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
            found += elements(kid)
    return found


def own_content(element: pikepdf.Dictionary, pages: dict[Any, int]) -> list[tuple[int, int]]:
    """The (page, MCID) of the marked content directly in ``element``."""
    kids = element.get("/K")
    found = []
    for kid in list(kids) if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int):
            found.append((pages[element.Pg.objgen], int(kid)))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            found.append((pages[kid.Pg.objgen], int(kid.MCID)))
    return found


def test_fragments_of_one_element_become_one_and_the_parent_tree_follows() -> None:
    with pikepdf.open(io.BytesIO(structured_pdf())) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert len(pdf.pages) >= 3
        pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
        tree = elements(pdf.Root.StructTreeRoot.K[0])
        kinds = [str(e.get("/S")) for e in tree]
        assert kinds.count("/Part") == 1
        assert kinds.count("/Sect") == 2
        assert kinds.count("/L") == 1 and kinds.count("/LI") == 30
        assert kinds.count("/P") == 4
        links = [e for e in tree if e.get("/S") == "/Link" and e.get("/P").get("/S") == "/P"]
        assert len(links) == 1  # the long link is one Link, its text on two or more pages
        assert len({page for page, _ in own_content(links[0], pages)}) >= 2
        # Every marked content of the tree is in the parent tree, pointing at its element,
        # and the parent tree points at nothing else.
        owners = {item: element.objgen for element in tree for item in own_content(element, pages)}
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        mapped = {
            (int(nums[i]), mcid): parent.objgen
            for i in range(0, len(nums), 2)
            if int(nums[i]) < len(pdf.pages)
            for mcid, parent in enumerate(nums[i + 1])
            if parent is not None
        }
        assert mapped == owners
        annotations = {
            int(nums[i]): nums[i + 1].objgen
            for i in range(0, len(nums), 2)
            if int(nums[i]) >= len(pdf.pages)
        }
        on_pages = [a for page in pdf.pages for a in page.get("/Annots", [])]
        assert sorted(int(a.StructParent) for a in on_pages) == sorted(annotations)


def test_the_contents_list_is_a_toc_and_its_leaders_are_artifacts() -> None:
    data = structured_pdf()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = elements(pdf.Root.StructTreeRoot.K[0])
        toc = next(e for e in tree if e.get("/S") == "/TOC")
        entries = list(toc.K)
        assert [str(e.S) for e in entries] == ["/TOCI", "/TOCI"]
        titles = []
        for entry in entries:
            (link,) = list(entry.K)
            assert link.S == "/Link"
            objrs = [k for k in link.K if isinstance(k, pikepdf.Dictionary)]
            (objr,) = objrs
            titles.append(str(objr.Obj.Contents))
            assert sum(isinstance(k, int) for k in link.K) == 2  # the title and page number
        first = pdf.pages[0].get("/Annots")
        assert len([a for a in first if "/Dest" in a]) == 2
    assert titles == ["First section", "Second section"]
    layout = [
        operands
        for page in instructions(data)
        for operator, operands in page
        if operator == "BDC" and operands[0] == "/Artifact" and "/Layout" in operands[1]
    ]
    assert len(layout) > 20  # every leader dot is an artifact


def test_parts_in_another_language_carry_their_lang() -> None:
    for lang, other in (("en", "ar"), ("ar", "en")):
        with pikepdf.open(io.BytesIO(structured_pdf(lang))) as pdf:
            assert str(pdf.Root.Lang) == lang
            tagged = [
                (str(e.S), str(e.Lang))
                for e in elements(pdf.Root.StructTreeRoot.K[0])
                if "/Lang" in e
            ]
        # The span, the block, and inside the block a span back in the document's language.
        assert tagged == [("/Span", other), ("/Div", other), ("/Span", lang)]


@pytest.mark.slow  # veraPDF starts a Java virtual machine
def test_a_structured_pdf_passes_verapdf(tmp_path: Path) -> None:
    from tests.judges import verapdf

    path = tmp_path / "structured.pdf"
    path.write_bytes(structured_pdf("ar"))
    assert verapdf.validate([path])[path] == []
