"""PDF/UA-1: mark page furniture (running heads, page numbers) as artifacts.

WeasyPrint tags the text of page margin boxes as marked content whose structure elements are
left out of the structure tree, so assistive technology may still meet them as content. Here
each such marked-content sequence becomes ``/Artifact << /Type /Pagination >>`` and its entry in
the parent tree is cleared; everything in the structure tree is left exactly as it was."""

from __future__ import annotations

import io
from typing import Any

import pikepdf


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
                    operands = [
                        pikepdf.Name.Artifact,
                        pikepdf.Dictionary(Type=pikepdf.Name.Pagination),
                    ]
                operations.append((operands, operator))
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(operations))
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
