"""PDF/UA-1: mark page furniture (running heads, page numbers) as artifacts.

WeasyPrint tags the text of page margin boxes as marked content whose structure elements are
left out of the structure tree, so assistive technology may still meet them as content. This
WeasyPrint ``finisher`` works on the PDF objects before they are written: each such
marked-content sequence becomes ``/Artifact << /Type /Pagination >>``, its entry in the parent
tree is cleared and the left-out elements are emptied; everything in the structure tree is left
exactly as it was. (Done before writing, the PDF is serialised once, not written, read back and
written again.)"""

from __future__ import annotations

import hashlib
from typing import Any

import pydyf

from policypress import compat

_NULL = b"null"


def mark_furniture_as_artifacts(document: Any, pdf: pydyf.PDF) -> None:
    """A WeasyPrint finisher: ``document.write_pdf(finisher=mark_furniture_as_artifacts)``."""
    objects = pdf.objects

    def follow(value: Any) -> Any:
        """The object a reference (``b"12 0 R"``) points to; anything else as it is."""
        return compat.resolve_reference(objects, value)

    root = follow(pdf.catalog.get("StructTreeRoot"))
    if not isinstance(root, pydyf.Dictionary) or "ParentTree" not in root:
        return
    reachable = _reachable(root, follow)
    nums = compat.parent_tree_nums(root, follow)
    pages = compat.page_objects(pdf)
    for position in range(0, len(nums), 2):
        page_number, elements = nums[position], follow(nums[position + 1])
        if not isinstance(elements, pydyf.Array) or page_number >= len(pages):
            continue  # an annotation's entry, not a page's
        orphans = {
            mcid
            for mcid, element in enumerate(elements)
            if isinstance(follow(element), pydyf.Dictionary)
            and id(follow(element)) not in reachable
        }
        if not orphans:
            continue
        mark_as_artifacts(pages[page_number], objects, orphans, "/Pagination")
        for mcid in orphans:
            elements[mcid] = _NULL
    for obj in objects:  # the left-out elements: nothing refers to them any more
        is_element = isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem"
        if is_element and id(obj) not in reachable:
            obj.clear()


def _reachable(root: pydyf.Dictionary, follow: Any) -> set[int]:
    """The ids of every structure element that hangs from the structure tree root."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        kids = node.get("K")
        if kids is None:
            continue
        for kid in kids if isinstance(kids, list) else [kids]:
            element = follow(kid)
            if isinstance(element, pydyf.Dictionary) and id(element) not in seen:
                seen.add(id(element))
                stack.append(element)
    return seen


def mark_as_artifacts(
    page: pydyf.Dictionary, objects: list[Any], mcids: set[int], kind: str
) -> None:
    """Each marked-content sequence of ``page`` whose MCID is in ``mcids`` becomes an
    ``/Artifact`` of type ``kind`` (``/Pagination``, ``/Layout`` ...)."""

    def follow(value: Any) -> Any:
        return compat.resolve_reference(objects, value)

    for stream in _page_streams(page, objects, follow):
        _mark(stream.stream, mcids, kind)


def _page_streams(page: pydyf.Dictionary, objects: list[Any], follow: Any) -> list[Any]:
    """The page's content stream and every stream drawn from it (they share its tags)."""
    contents = follow(page.get("Contents"))
    tags = compat.stream_tags(contents)
    if tags is None:
        return [contents] if isinstance(contents, pydyf.Stream) else []
    return [obj for obj in objects if compat.stream_tags(obj) is tags]


def _mark(items: list[Any], mcids: set[int], kind: str) -> None:
    """``/Span <</MCID 7>> BDC`` -> ``/Artifact <</Type /Pagination>> BDC`` for each MCID."""
    for index, item in enumerate(items):
        if item != b"BDC" or index < 2:
            continue
        properties = items[index - 1]
        if isinstance(properties, dict) and properties.get("MCID") in mcids:
            items[index - 2] = "/Artifact"
            items[index - 1] = pydyf.Dictionary({"Type": kind})


_STARTXREF = compat.STARTXREF_RE


def add_file_identifier(data: bytes) -> bytes:
    """Give a PDF written by pydyf a file identifier made from its own bytes. pydyf can make one,
    but only by serialising every object a second time; here the entry goes into the dictionary
    of the cross-reference stream, the last object, which moves no other object. A file of any
    other shape is returned as it is."""
    end = _STARTXREF.search(data[-64:])
    if end is None:
        return data
    start = int(end.group(1))
    head = data[start : data.find(b"stream", start)]
    if not compat.XREF_STREAM_HEAD_RE.match(head) or b"/ID" in head:
        return data
    digest = hashlib.md5(data, usedforsecurity=False).hexdigest().encode("ascii")
    at = start + head.index(b"/XRef") + len(b"/XRef")
    return data[:at] + b"/ID [<" + digest + b"> <" + digest + b">]" + data[at:]
