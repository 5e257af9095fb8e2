"""PDF/UA-1: a structure tree that follows the document, not the pages.

WeasyPrint 70 tags each page on its own: a paragraph, list or section that crosses a page break
becomes one structure element per page, the contents list is three nested ``Link`` elements (the
link, its ``::after`` and the leader) with a link annotation each and every leader dot tagged as
text, and no element carries a language of its own. This module is the one door to WeasyPrint's
tagging internals: while the tags are made, it notes which HTML element each structure element
comes from; then a WeasyPrint ``finisher`` repairs the tree on the PDF objects before they are
written:

- consecutive structure elements made from the same HTML element are merged into one (their
  marked content keeps its MCIDs; a kid on another page becomes a marked-content reference with
  its own page, and the parent tree points at the merged element);
- leader dots become ``/Artifact`` content, and a link's generated parts join the link: one
  ``Link`` and one annotation (covering the whole entry) per entry of the contents list, whose
  list becomes ``TOC``/``TOCI``; an internal link's ``/Contents`` is its text, in the document's
  language, rather than the target's id;
- the body's ``Part`` is divided into one ``Sect`` per second-level heading;
- an element whose ``lang`` differs from its surroundings' gets a ``/Lang``;
- elements left with no content (an ``LI`` whose item ended on the previous page) are removed.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pydyf

from policypress import compat
from policypress.engine.artifacts import mark_as_artifacts, mark_furniture_as_artifacts

logger = logging.getLogger(__name__)

TESTED_WEASYPRINT = (70,)
"""The WeasyPrint majors whose tagging this module has been tested against."""

_SOURCE = "_policypress_source"
_NULL = b"null"
_CONTAINERS = frozenset(
    {"/L", "/LI", "/LBody", "/Lbl", "/P", "/Span", "/NonStruct", "/Div", "/Part", "/Sect"}
    | {"/Link", "/TOC", "/TOCI", "/BlockQuote"}
)
"""Structure types removed when they are left with no content (table cells and figures stay)."""


@dataclass(frozen=True)
class Source:
    """The HTML element a structure element was made from."""

    element: Any
    tag: str  # WeasyPrint's element tag: "p", "a", "a::after" ...
    is_leader: bool

    @property
    def key(self) -> tuple[int, str]:
        return (id(self.element), self.tag)

    @property
    def lang(self) -> str | None:
        value = self.element.get("lang") if self.element is not None else None
        return str(value) if value else None

    @property
    def classes(self) -> list[str]:
        value = self.element.get("class") if self.element is not None else None
        return str(value or "").split()

    @property
    def text(self) -> str:
        if self.element is None:
            return ""
        return " ".join("".join(self.element.itertext()).split())


def tagged_pdf_finisher() -> Callable[[Any, pydyf.PDF], None]:
    """The finisher for ``document.write_pdf(pdf_variant="pdf/ua-1", finisher=...)``. Call it
    before ``write_pdf``: it makes sure WeasyPrint notes where its structure elements come from."""
    record_sources()
    return finish_tagged_pdf


def finish_tagged_pdf(document: Any, pdf: pydyf.PDF) -> None:
    """Page furniture becomes artifacts and, if :func:`record_sources` was called before the
    document was written, the structure follows the document."""
    mark_furniture_as_artifacts(document, pdf)
    follow_the_document(pdf)


@functools.cache
def record_sources() -> bool:
    """Wrap WeasyPrint's ``_build_box_tree`` (it calls itself through its module, so every
    level is seen) to note each structure element's HTML element on the element (a Python
    attribute: it is never written to the PDF)."""
    try:
        import weasyprint
        from weasyprint.layout.absolute import AbsolutePlaceholder
        from weasyprint.pdf import tags
    except ImportError:  # pragma: no cover - WeasyPrint is a dependency
        return False
    major = int(weasyprint.__version__.split(".", 1)[0])
    original = getattr(tags, "_build_box_tree", None)
    if major not in TESTED_WEASYPRINT or original is None:
        logger.warning(
            "WeasyPrint %s is not a version policypress was tested with (%s); the PDFs keep "
            "WeasyPrint's per-page structure",
            weasyprint.__version__,
            ", ".join(f"{m}.x" for m in TESTED_WEASYPRINT),
        )
        return False

    def build_box_tree(box: Any, *args: Any) -> Iterator[pydyf.Dictionary]:
        real = box._box if isinstance(box, AbsolutePlaceholder) else box
        source = Source(
            element=real.element,
            tag=str(real.element_tag) if real.element is not None else "",
            is_leader=bool(getattr(real, "is_leader", False)),
        )
        for element in original(box, *args):
            # html, body and page boxes pass on their descendants' elements: the innermost
            # call, the one that made the element, names its source.
            if not hasattr(element, _SOURCE):
                setattr(element, _SOURCE, source)
            yield element

    tags._build_box_tree = build_box_tree
    return True


def follow_the_document(pdf: pydyf.PDF) -> None:
    """Repair the structure tree of a PDF that WeasyPrint tagged page by page (see above)."""
    tree = _Tree(pdf)
    if tree.root is None or not any(hasattr(obj, _SOURCE) for obj in pdf.objects):
        return  # not tagged, or tagged before record_sources(): nothing says what belongs together
    tree.run()


class _Tree:
    def __init__(self, pdf: pydyf.PDF) -> None:
        self.pdf = pdf
        self.objects = pdf.objects
        root = self.follow(pdf.catalog.get("StructTreeRoot"))
        self.root: pydyf.Dictionary | None = root if isinstance(root, pydyf.Dictionary) else None
        self.pages = [bytes(ref) for ref in pdf.page_references]
        self.page_objects = [self.objects[int(ref.split(b" ", 1)[0])] for ref in self.pages]
        self.redirect: dict[int, bytes] = {}  # merged element number -> the element it joined
        self.artifacts: dict[int, set[int]] = {}  # page index -> MCIDs now artifacts
        self.dropped_annotations: set[int] = set()  # object numbers
        self.dropped_parents: set[int] = set()  # their keys in the parent tree

    def follow(self, value: Any) -> Any:
        return compat.resolve_reference(self.objects, value)

    def element(self, kid: Any) -> pydyf.Dictionary | None:
        """The structure element a kid refers to, or None for MCIDs, MCRs and OBJRs."""
        value = self.follow(kid)
        if isinstance(value, pydyf.Dictionary) and value.get("Type") == "/StructElem":
            return value
        return None

    def run(self) -> None:
        assert self.root is not None
        for kid in list(self.root["K"]):
            top = self.element(kid)
            if top is not None:
                # An item's empty continuation would stand between the two parts of the list
                # nested in it: empty elements go first, and again once the tree is rebuilt.
                self.prune(top)
                self.merge_fragments(top)
                self.join_links(top)
                self.contents_list(top)
                self.sections(top)
                self.languages(top, _text(self.pdf.catalog.get("Lang")))
                self.prune(top)
        self.rewrite_parent_tree()
        self.drop_annotations()

    # Fragments of one HTML element -------------------------------------------------------

    def merge_fragments(self, node: pydyf.Dictionary) -> None:
        """Top-down, so that the merged parents bring their fragments side by side."""
        kids = node["K"]
        index = 1
        while index < len(kids):
            before, this = self.element(kids[index - 1]), self.element(kids[index])
            if before is not None and this is not None and _same_source(before, this):
                self.absorb(before, this)
                del kids[index]
            else:
                index += 1
        for kid in kids:
            element = self.element(kid)
            if element is not None:
                self.merge_fragments(element)

    def absorb(self, into: pydyf.Dictionary, other: pydyf.Dictionary) -> None:
        """Move ``other``'s kids to the end of ``into``; ``other`` is then empty."""
        for kid in other["K"]:
            into["K"].append(self.moved(kid, other, into))
        self.redirect[other.number] = into.reference
        other.clear()

    def moved(self, kid: Any, old: pydyf.Dictionary, new: pydyf.Dictionary) -> Any:
        """A kid of ``old`` as a kid of ``new`` (an MCID of another page becomes an MCR)."""
        element = self.element(kid)
        if element is not None:
            element["P"] = new.reference
            return kid
        if isinstance(kid, int) and old.get("Pg") != new.get("Pg"):
            mcr = pydyf.Dictionary({"Type": "/MCR", "Pg": old["Pg"], "MCID": kid})
            return mcr
        return kid

    # Links -------------------------------------------------------------------------------

    def join_links(self, node: pydyf.Dictionary) -> None:
        """Leaders become artifacts; a Link inside a Link (the link's generated ``::after``)
        joins it, and so does its annotation."""
        kids = node["K"]
        index = 0
        while index < len(kids):
            element = self.element(kids[index])
            if element is None:
                index += 1
                continue
            self.join_links(element)
            source = getattr(element, _SOURCE, None)
            if source is not None and source.is_leader:
                self.make_artifact(element, node)
                del kids[index]
                continue
            if node.get("S") == "/Link" and element.get("S") == "/Link":
                moved = [self.moved(kid, element, node) for kid in element["K"]]
                kept = []
                for kid in moved:
                    if not self.join_annotation(node, kid):
                        kept.append(kid)
                self.redirect[element.number] = node.reference
                element.clear()
                kids[index : index + 1] = kept
                index += len(kept)
                continue
            index += 1
        if node.get("S") == "/Link":
            self.describe_link(node)

    def make_artifact(self, element: pydyf.Dictionary, link: pydyf.Dictionary) -> None:
        """Every marked-content sequence of ``element`` (and below) becomes an artifact; its
        annotations join the link it sits in."""
        page = self.page_index(element.get("Pg"))
        for kid in element["K"]:
            value = self.follow(kid)
            if isinstance(kid, int) and page is not None:
                self.artifacts.setdefault(page, set()).add(kid)
            elif isinstance(value, pydyf.Dictionary) and value.get("Type") == "/MCR":
                mcr_page = self.page_index(value.get("Pg"))
                if mcr_page is not None:
                    self.artifacts.setdefault(mcr_page, set()).add(value["MCID"])
            elif isinstance(value, pydyf.Dictionary) and value.get("Type") == "/OBJR":
                if not (link.get("S") == "/Link" and self.join_annotation(link, kid)):
                    self.drop_annotation(value)
            elif self.element(kid) is not None:
                self.make_artifact(value, link)
        self.redirect[element.number] = _NULL
        element.clear()

    def join_annotation(self, link: pydyf.Dictionary, kid: Any) -> bool:
        """If ``kid`` is a link annotation's OBJR and ``link`` has one on the same page, widen
        that one to cover both and drop this one. True if it was dropped."""
        objr = self.follow(kid)
        if not (isinstance(objr, pydyf.Dictionary) and objr.get("Type") == "/OBJR"):
            return False
        for other in link["K"]:
            mine = self.follow(other)
            if (
                isinstance(mine, pydyf.Dictionary)
                and mine.get("Type") == "/OBJR"
                and mine.get("Pg") == objr.get("Pg")
            ):
                self.widen(mine, objr)
                return True
        return False

    def widen(self, kept: pydyf.Dictionary, gone: pydyf.Dictionary) -> None:
        """The annotation of OBJR ``kept`` covers that of ``gone`` too; ``gone``'s goes."""
        a, b = self.follow(kept["Obj"])["Rect"], self.follow(gone["Obj"])["Rect"]
        self.follow(kept["Obj"])["Rect"] = pydyf.Array(
            [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]
        )
        self.drop_annotation(gone)

    def one_annotation_per_page(self, link: pydyf.Dictionary) -> None:
        """A contents entry that wraps onto a second line: one annotation covers both."""
        first: dict[Any, pydyf.Dictionary] = {}
        kept = []
        for kid in link["K"]:
            objr = self.follow(kid)
            if isinstance(objr, pydyf.Dictionary) and objr.get("Type") == "/OBJR":
                page = bytes(objr.get("Pg") or b"")
                if page in first:
                    self.widen(first[page], objr)
                    continue
                first[page] = objr
            kept.append(kid)
        link["K"] = pydyf.Array(kept)

    def drop_annotation(self, objr: pydyf.Dictionary) -> None:
        number = int(objr["Obj"].split(b" ", 1)[0])
        self.dropped_annotations.add(number)
        self.dropped_parents.add(self.objects[number].get("StructParent"))
        objr.clear()

    def describe_link(self, link: pydyf.Dictionary) -> None:
        """An internal link's annotation says what the reader will find (the link's text, in
        the document's language), not the id it points at."""
        source = getattr(link, _SOURCE, None)
        text = source.text if source is not None else ""
        if not text:
            return
        for kid in link["K"]:
            objr = self.follow(kid)
            if isinstance(objr, pydyf.Dictionary) and objr.get("Type") == "/OBJR":
                annotation = self.follow(objr["Obj"])
                if "Dest" in annotation:
                    annotation["Contents"] = pydyf.String(text)

    # The contents list, sections, languages ----------------------------------------------

    def contents_list(self, node: pydyf.Dictionary) -> None:
        """The list in ``<nav class="toc">`` becomes a TOC of TOCIs, each holding its Link."""
        source = getattr(node, _SOURCE, None)
        if source is not None and "toc" in source.classes:
            for kid in node["K"]:
                element = self.element(kid)
                if element is not None and element.get("S") == "/L":
                    self.retag_toc(element)
            return
        for kid in node["K"]:
            element = self.element(kid)
            if element is not None:
                self.contents_list(element)

    def retag_toc(self, toc: pydyf.Dictionary) -> None:
        toc["S"] = "/TOC"
        for kid in toc["K"]:
            item = self.element(kid)
            if item is None or item.get("S") != "/LI":
                continue
            item["S"] = "/TOCI"
            flattened: list[Any] = []
            for part in item["K"]:
                body = self.element(part)
                if body is not None and body.get("S") in ("/LBody", "/Lbl"):
                    flattened += [self.moved(k, body, item) for k in body["K"]]
                    self.redirect[body.number] = item.reference
                    body.clear()
                else:
                    flattened.append(part)
            item["K"] = pydyf.Array(flattened)
            for part in flattened:
                link = self.element(part)
                if link is not None and link.get("S") == "/Link":
                    self.one_annotation_per_page(link)

    def sections(self, node: pydyf.Dictionary) -> None:
        """The body (``<main>``, a Part) as one Sect per second-level heading."""
        if node.get("S") != "/Part":
            for kid in node["K"]:
                element = self.element(kid)
                if element is not None:
                    self.sections(element)
            return
        grouped: list[Any] = []
        section: pydyf.Dictionary | None = None
        for kid in node["K"]:
            element = self.element(kid)
            if element is not None and element.get("S") == "/H2":
                section = pydyf.Dictionary(
                    {"Type": "/StructElem", "S": "/Sect", "K": pydyf.Array(), "P": node.reference}
                )
                self.pdf.add_object(section)
                grouped.append(section.reference)
            if section is None:
                grouped.append(kid)
            else:
                if element is not None:
                    element["P"] = section.reference
                section["K"].append(kid)
        node["K"] = pydyf.Array(grouped)

    def languages(self, node: pydyf.Dictionary, around: str) -> None:
        """A /Lang where an element's language differs from the language around it."""
        source = getattr(node, _SOURCE, None)
        lang = source.lang if source is not None else None
        if lang and lang.lower() != around.lower():
            node["Lang"] = pydyf.String(lang)
            around = lang
        for kid in node["K"]:
            element = self.element(kid)
            if element is not None:
                self.languages(element, around)

    # Tidying up --------------------------------------------------------------------------

    def prune(self, node: pydyf.Dictionary) -> bool:
        """Remove elements left without content; True if ``node`` has any."""
        kids = node["K"]
        kept = []
        for kid in kids:
            element = self.element(kid)
            if element is None:
                if not (isinstance(self.follow(kid), pydyf.Dictionary) and not self.follow(kid)):
                    kept.append(kid)  # an MCID, MCR or OBJR (not a cleared one)
            elif self.prune(element) or element.get("S") not in _CONTAINERS:
                kept.append(kid)
            else:
                self.redirect[element.number] = _NULL
                element.clear()
        node["K"] = pydyf.Array(kept)
        return bool(kept)

    def page_index(self, reference: Any) -> int | None:
        try:
            return self.pages.index(bytes(reference))
        except (TypeError, ValueError):
            return None

    def rewrite_parent_tree(self) -> None:
        assert self.root is not None
        nums = self.follow(self.root["ParentTree"])["Nums"]
        kept: list[Any] = []
        for position in range(0, len(nums), 2):
            key, value = nums[position], self.follow(nums[position + 1])
            if isinstance(value, pydyf.Array) and key < len(self.pages):
                gone = self.artifacts.get(key, set())
                for mcid, reference in enumerate(value):
                    value[mcid] = _NULL if mcid in gone else self.final(reference)
                kept += [key, nums[position + 1]]
            elif key not in self.dropped_parents:
                reference = self.final(nums[position + 1])
                if reference != _NULL:
                    kept += [key, reference]
        nums[:] = kept
        for page, mcids in self.artifacts.items():
            mark_as_artifacts(self.page_objects[page], self.objects, mcids, "/Layout")

    def final(self, reference: Any) -> Any:
        """Where a reference to an element leads after the merges."""
        seen = 0
        while isinstance(reference, bytes) and reference != _NULL and seen < 64:
            number = int(reference.split(b" ", 1)[0])
            if number not in self.redirect:
                break
            reference = self.redirect[number]
            seen += 1
        return reference

    def drop_annotations(self) -> None:
        if not self.dropped_annotations:
            return
        for page in self.page_objects:
            annotations = page.get("Annots")
            if isinstance(annotations, pydyf.Array):
                page["Annots"] = pydyf.Array(
                    reference
                    for reference in annotations
                    if int(reference.split(b" ", 1)[0]) not in self.dropped_annotations
                )
        for number in self.dropped_annotations:
            self.objects[number].clear()


def _same_source(first: pydyf.Dictionary, second: pydyf.Dictionary) -> bool:
    one, other = getattr(first, _SOURCE, None), getattr(second, _SOURCE, None)
    return (
        one is not None
        and other is not None
        and one.element is not None
        and one.key == other.key
        and first.get("S") == second.get("S")
    )


def _text(value: Any) -> str:
    if isinstance(value, pydyf.String):
        raw = value.string
        return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return str(value or "")
