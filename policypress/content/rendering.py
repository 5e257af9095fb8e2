"""Markdown body -> HTML fragment, through the one set of extensions every output shares."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import markdown
from markdown.treeprocessors import Treeprocessor

from policypress.content.markdown_ext import (
    Block,
    ExtensionOptions,
    Heading,
    LinkRef,
    PolicyExtension,
    Translator,
)
from policypress.errors import Finding

DEFAULT_LABELS = {
    "notes": "Notes",
    "back_to_text": "Back to the text",
    "table": "Table",
}


@dataclass(frozen=True)
class RenderedBody:
    html: str
    headings: tuple[Heading, ...]
    blocks: tuple[Block, ...]
    findings: tuple[Finding, ...]
    links: tuple[LinkRef, ...]
    ids: frozenset[str]
    images: tuple[Path, ...]
    fallback_blocks: int


class StructureTreeprocessor(Treeprocessor):
    """Accessible structure Markdown does not give: header cells with scope, scrollable tables
    that keyboards can reach, footnotes as a titled section."""

    def __init__(self, md: markdown.Markdown, labels: dict[str, str]) -> None:
        super().__init__(md)
        self.labels = labels

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "table":
                    for th in child.iter("th"):
                        th.set("scope", "col")
                    wrap = etree.Element(
                        "div",
                        {"class": "table-wrap", "role": "region", "tabindex": "0",
                         "aria-label": self.labels["table"]},
                    )  # fmt: skip
                    wrap.tail, child.tail = child.tail, None
                    parent.remove(child)
                    wrap.append(child)
                    parent.insert(index, wrap)
                elif child.tag == "div" and child.get("class") == "footnote":
                    child.tag = "section"
                    child.set("class", "footnotes")
                    child.set("aria-labelledby", "notes")
                    for hr in child.findall("hr"):
                        child.remove(hr)
                    heading = etree.Element("h2", {"id": "notes"})
                    heading.text = self.labels["notes"]
                    child.insert(0, heading)


def render_markdown(
    body: str,
    *,
    body_line: int = 1,
    path: Path | None = None,
    translator: Translator | None = None,
    fallback_lang: str = "en",
    resolve_image: Callable[[str], tuple[str, Path | None]] | None = None,
    resolve_policy: Callable[[str], str] | None = None,
    labels: dict[str, str] | None = None,
    reserved_ids: tuple[str, ...] = ("main", "contents", "notes", "formats", "details"),
    variables: Mapping[str, str] | None = None,
) -> RenderedBody:
    """Convert one Markdown body; the result says what the document contains and any problems."""
    labels = {**DEFAULT_LABELS, **(labels or {})}
    ext = PolicyExtension(
        ExtensionOptions(
            body=body,
            body_line=body_line,
            path=path,
            translator=translator,
            fallback_lang=fallback_lang,
            resolve_image=resolve_image,
            resolve_policy=resolve_policy,
            reserved_ids=reserved_ids,
            variables=variables or {},
        )
    )
    md = markdown.Markdown(
        extensions=["tables", "footnotes", ext],
        extension_configs={
            "footnotes": {
                "BACKLINK_TEXT": labels["back_to_text"],
                "BACKLINK_TITLE": "",
                "SUPERSCRIPT_TEXT": "{}",
            }
        },
        output_format="html",
    )
    md.treeprocessors.register(StructureTreeprocessor(md, labels), "policypress-structure", 4)
    html = md.convert(body)
    state = ext.state
    return RenderedBody(
        html=html,
        headings=tuple(state.headings),
        blocks=tuple(state.blocks),
        findings=tuple(state.findings),
        links=tuple(state.links),
        ids=frozenset(state.ids | {"notes"}),
        images=tuple(state.images),
        fallback_blocks=state.fallback_blocks,
    )
