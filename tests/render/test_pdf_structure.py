"""The structure tree of every PDF, dumped with pikepdf: it follows the document (one element per
paragraph, list and section, however the pages fall), the contents list is a TOC with one link
and one annotation per entry, and parts in another language carry their own /Lang."""

from __future__ import annotations

import itertools
import json
import shutil
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pdfplumber
import pikepdf
import polib
import pytest
from click.testing import CliRunner

from policypress.cli import cli
from tests.conftest import CONFIG, REPO, build, write

pytestmark = pytest.mark.slow  # the shipped build renders 16 PDFs


@dataclass
class Node:
    """One structure element: its type, /Lang, kids, and the (page, MCID) of its own content."""

    type: str
    lang: str | None
    kids: list[Node] = field(default_factory=list)
    content: list[tuple[int, int]] = field(default_factory=list)
    annotations: list[pikepdf.Dictionary] = field(default_factory=list)

    def walk(self) -> list[Node]:
        return [self, *(node for kid in self.kids for node in kid.walk())]

    def all_content(self) -> list[tuple[int, int]]:
        return [item for node in self.walk() for item in node.content]

    def pages(self) -> set[int]:
        return {page for page, _mcid in self.all_content()}


def dump(path: Path) -> Node:
    """The structure tree of ``path`` from its root (the annotations stay readable only while
    the file is open: read them through :func:`annotation_contents`)."""
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages)}

        def node(element: pikepdf.Dictionary, page: int | None) -> Node:
            if "/Pg" in element:
                page = pages[element.Pg.objgen]
            lang = str(element.Lang) if "/Lang" in element else None
            made = Node(str(element.get("/S", "")), lang)
            kids = element.get("/K")
            items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            for kid in items:
                if kid is None:
                    continue
                if isinstance(kid, int):
                    assert page is not None
                    made.content.append((page, int(kid)))
                elif kid.get("/Type") == "/MCR":
                    made.content.append((pages[kid.Pg.objgen], int(kid.MCID)))
                elif kid.get("/Type") == "/OBJR":
                    made.annotations.append(kid.Obj)
                else:
                    made.kids.append(node(kid, page))
            return made

        return node(pdf.Root.StructTreeRoot, None)


def policy_pdfs(shipped: Path) -> dict[tuple[str, str], Path]:
    """(language, variant) -> the PDF, for every PDF the shipped project builds."""
    manifest = json.loads((shipped / "manifest.json").read_text(encoding="utf-8"))
    return {
        (entry["language"], entry["variant"]): shipped / "site" / entry["path"]
        for entry in manifest["files"]
        if entry["path"].endswith(".pdf")
    }


def types(tree: Node) -> Counter[str]:
    return Counter(node.type for node in tree.walk())


def test_every_language_and_variant_is_dumped(shipped: Path) -> None:
    pdfs = policy_pdfs(shipped)
    assert {language for language, _variant in pdfs} == {"en", "pl", "ur", "ar"}
    assert {variant for _language, variant in pdfs} == {
        "standard",
        "large-print",
        "dyslexia-friendly",
        "leaflet",
    }


def test_a_paragraph_or_list_that_crosses_a_page_is_one_element(shipped: Path) -> None:
    tree = dump(policy_pdfs(shipped)["en", "standard"])
    crossing = [node for node in tree.walk() if node.type in ("/P", "/L") and len(node.pages()) > 1]
    assert any(node.type == "/P" for node in crossing), "no P holds text from two pages"
    assert any(node.type == "/L" for node in crossing), "no L holds items from two pages"


def test_paragraphs_lists_and_headings_do_not_depend_on_the_pages(shipped: Path) -> None:
    """The same document laid out on 7 or 15 pages has the same paragraphs, lists, items and
    headings: split per page, the large print would have more of each."""
    pdfs = policy_pdfs(shipped)
    kinds = ("/P", "/L", "/LI", "/H1", "/H2", "/H3", "/Sect", "/TOCI", "/Table", "/TR")
    for language in ("en", "pl", "ur", "ar"):
        counts = {
            variant: {kind: types(dump(pdfs[language, variant]))[kind] for kind in kinds}
            for variant in ("standard", "large-print", "dyslexia-friendly")
        }
        assert counts["large-print"] == counts["standard"], language
        assert counts["dyslexia-friendly"] == counts["standard"], language


def test_no_empty_list_item_and_no_part_per_page(shipped: Path) -> None:
    for (language, variant), path in policy_pdfs(shipped).items():
        tree = dump(path)
        for node in tree.walk():
            if node.type in ("/LI", "/L", "/P", "/TOCI"):
                assert node.all_content(), f"{language} {variant}: an empty {node.type}"
        assert types(tree)["/Part"] <= 1, f"{language} {variant}: a Part per page"


def test_sections_follow_the_headings_in_order(shipped: Path) -> None:
    for (language, variant), path in policy_pdfs(shipped).items():
        if variant == "leaflet":
            continue
        tree = dump(path)
        sections = [node for node in tree.walk() if node.type == "/Sect"]
        assert len(sections) >= 5, f"{language} {variant}"
        for section in sections:
            assert section.kids[0].type == "/H2", f"{language} {variant}"
        levels = [int(node.type[2]) for node in tree.walk() if node.type in ("/H1", "/H2", "/H3")]
        assert levels[0] == 1
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels


class _Headings(HTMLParser):
    """The text of every element with an id in a web page (for the headings' titles)."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: dict[str, str] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h2", "h3"):
            self._open.append(dict(attrs).get("id"))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3") and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for heading in self._open:
            if heading:
                self.texts[heading] = self.texts.get(heading, "") + data


def test_the_contents_list_is_a_toc_with_one_link_and_one_annotation_per_entry(
    shipped: Path,
) -> None:
    for (language, variant), path in policy_pdfs(shipped).items():
        if variant == "leaflet":
            continue
        tree = dump(path)
        tocs = [node for node in tree.walk() if node.type == "/TOC"]
        assert len(tocs) == 1, f"{language} {variant}"
        entries = tocs[0].kids
        sections = [node for node in tree.walk() if node.type == "/Sect"]
        assert [entry.type for entry in entries] == ["/TOCI"] * len(sections)
        for entry in entries:
            links = [node for node in entry.walk() if node.type == "/Link"]
            assert len(links) == 1, f"{language} {variant}: {len(links)} links in one entry"
            assert len(links[0].annotations) == 1, f"{language} {variant}"
        with pikepdf.open(path) as pdf:
            annotations = [
                annotation
                for page in pdf.pages
                for annotation in page.get("/Annots", [])
                if "/Dest" in annotation
            ]
            assert len(annotations) == len(entries), f"{language} {variant}"


def test_each_contents_link_is_described_by_its_title_in_the_documents_language(
    shipped: Path,
) -> None:
    for (language, variant), path in policy_pdfs(shipped).items():
        if variant == "leaflet":
            continue
        page = path.parent / "index.html"
        headings = _Headings()
        headings.feed(page.read_text(encoding="utf-8"))
        with pikepdf.open(path) as pdf:
            described = [
                (str(annotation.Dest), str(annotation.get("/Contents")))
                for page in pdf.pages
                for annotation in page.get("/Annots", [])
                if "/Dest" in annotation
            ]
        assert described
        for target, contents in described:
            assert contents == " ".join(headings.texts[target].split()), (language, target)


def test_leader_dots_are_artifacts_not_text(shipped: Path) -> None:
    """The contents list's leaders are drawn as before, but only as artifacts: no two tagged
    full stops follow each other (a leader was about 170 of them)."""
    path = policy_pdfs(shipped)["en", "standard"]
    with pdfplumber.open(path) as pdf:
        chars = pdf.pages[0].chars
    dots = [c for c in chars if c["text"] == "."]
    assert len(dots) > 500  # the leaders are still drawn
    tagged = [c.get("mcid") is not None and c["text"] == "." for c in chars]
    runs = sum(1 for a, b in itertools.pairwise(tagged) if a and b)
    assert runs == 0


def test_english_parts_of_a_translation_carry_their_language(shipped: Path) -> None:
    """The translation notice's link to the English version is English; it says so."""
    for (language, variant), path in policy_pdfs(shipped).items():
        langs = [node.lang for node in dump(path).walk() if node.lang]
        if language == "en":
            assert langs == [], variant
        else:
            assert "en" in langs, f"{language} {variant}"


POLICY = """\
---
title: Behaviour Policy
summary: How we help children behave well.
version: "2"
last_reviewed: 2026-01-10
next_review: 2027-01-10
owner: Headteacher
---

The Chair of Governors approves this policy every year.

## Rewards

We give house points.

## Review

The governing body reviews this policy.
"""

ARABIC = {
    "Behaviour Policy": "سياسة السلوك",
    "How we help children behave well.": "كيف نساعد الأطفال على حسن السلوك.",
    "Headteacher": "مدير المدرسة",
    "The Chair of Governors approves this policy every year.": "يوافق رئيس مجلس الإدارة على "
    "هذه السياسة كل عام.",
    "Rewards": "المكافآت",
    "We give house points.": "نمنح نقاطًا للفرق.",
    "Review": "المراجعة",
}


def test_an_english_fallback_block_in_an_arabic_translation_gets_its_own_lang(
    tmp_path: Path,
) -> None:
    """One paragraph is left untranslated: it is shown in English, and its P says so."""
    root = tmp_path / "school"
    write(root / "policypress.toml", CONFIG.replace("languages = []", 'languages = ["ar"]'))
    write(root / "content" / "behaviour-policy.md", POLICY)
    result = CliRunner().invoke(cli, ["translations", "init", "ar", "-C", str(root)])
    assert result.exit_code == 0, result.output
    shutil.copy(REPO / "translations" / "ar" / "interface.po", root / "translations" / "ar")
    catalog = polib.pofile(str(root / "translations" / "ar" / "behaviour-policy.po"))
    for entry in catalog:
        entry.msgstr = ARABIC.get(entry.msgid, "")
    catalog.save()
    build(root)
    pdfs = sorted((root / "output" / "site" / "ar").rglob("*.pdf"))
    assert len(pdfs) == 3
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            assert str(pdf.Root.Lang) == "ar"
        tree = dump(path)
        body = next(node for node in tree.walk() if node.type == "/Part")
        english = [node for node in body.walk() if node.lang is not None]
        assert [(node.type, node.lang) for node in english] == [("/P", "en")], path.name
        with pdfplumber.open(path) as pdf:
            text = "".join(
                char["text"]
                for page, mcid in english[0].all_content()
                for char in pdf.pages[page].chars
                if char.get("mcid") == mcid
            )
        assert " ".join(text.split()) == "The governing body reviews this policy.", path.name
