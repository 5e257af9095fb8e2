"""PDF/UA-1: mark page furniture (running heads, page numbers) as artifacts.

WeasyPrint tags the text of page margin boxes as marked content whose structure elements are
left out of the structure tree, so assistive technology may still meet them as content. Here
each such marked-content sequence becomes ``/Artifact << /Type /Pagination >>`` and its entry in
the parent tree is cleared; everything in the structure tree is left exactly as it was."""

from __future__ import annotations

import io
import re
from typing import Any

import pikepdf

# How WeasyPrint opens a marked-content sequence: ``/Span <</MCID 7>> BDC``. The text it draws is
# written as hex strings, so this pattern cannot occur inside a string in its content streams.
_BDC = re.compile(rb"/[A-Za-z][A-Za-z0-9]*\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_ARTIFACT = b"/Artifact <</Type /Pagination>> BDC"


def _reachable(root: pikepdf.Dictionary) -> set[tuple[int, int]]:
    """The object ids of every structure element that hangs from the structure tree root."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        for kid in items:
            if isinstance(kid, pikepdf.Dictionary) and kid.is_indirect and kid.objgen not in seen:
                seen.add(kid.objgen)
                stack.append(kid)
    return seen


def mark_furniture_as_artifacts(data: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if not isinstance(tree, pikepdf.Dictionary) or "/ParentTree" not in tree:
            return data
        reachable = _reachable(tree)
        nums = tree.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for page in pdf.pages:
            key = page.obj.get("/StructParents")
            if key is None or int(key) not in parents:
                continue
            elements = parents[int(key)]
            orphans = {
                index
                for index, element in enumerate(elements)
                if isinstance(element, pikepdf.Dictionary)
                and element.is_indirect
                and element.objgen not in reachable
            }
            if not orphans:
                continue
            page.Contents = pdf.make_stream(_mark(page, orphans))
            for index in orphans:
                elements[index] = pikepdf.Object.parse(b"null")
        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.preserve,
        )
        return out.getvalue()


def _mark(page: pikepdf.Page, orphans: set[int]) -> bytes:
    """The page's content with each orphan's marked-content sequence turned into an artifact:
    by a pattern on the bytes (quick), or, if the page is not written the way WeasyPrint writes
    it, by parsing every instruction (slow, but exact)."""
    contents = page.obj.get("/Contents")
    if isinstance(contents, pikepdf.Stream):
        found: set[int] = set()

        def replace(match: re.Match[bytes]) -> bytes:
            mcid = int(match.group(1))
            if mcid not in orphans:
                return match.group(0)
            found.add(mcid)
            return _ARTIFACT

        data = _BDC.sub(replace, contents.read_bytes())
        if found == orphans:
            return data
    return _mark_parsed(page, orphans)


def _mark_parsed(page: pikepdf.Page, orphans: set[int]) -> bytes:
    operations: list[Any] = []
    for instruction in pikepdf.parse_content_stream(page):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            operations.append(instruction)
            continue
        operands: Any = instruction.operands
        operator: Any = instruction.operator
        if (
            str(operator) == "BDC"
            and len(operands) == 2
            and isinstance(operands[1], pikepdf.Dictionary)
            and "/MCID" in operands[1]
            and int(operands[1].MCID) in orphans
        ):
            operands = [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)]
        operations.append((operands, operator))
    return pikepdf.unparse_content_stream(operations)
