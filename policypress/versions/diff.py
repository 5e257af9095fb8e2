"""What changed between two versions of a policy, section by section, computed with difflib on
the text a reader of one language sees (each language is compared in its own words)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Literal

# The blocks a reader sees as one unit: a changed word marks the whole paragraph or item.
_BLOCKS = {"p", "li", "td", "th", "h3", "h4", "h5", "h6", "blockquote", "dt", "dd", "pre"}
_SECTION = "h2"

ChangeKind = Literal["added", "removed", "changed"]


@dataclass
class Section:
    """A section of a policy: its heading ("" before the first one) and its blocks' text."""

    heading: str
    blocks: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join([self.heading, *self.blocks])


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    old: str = ""
    new: str = ""


@dataclass(frozen=True)
class SectionChanges:
    """The changes in one section; ``heading`` is the new heading (the old one if removed)."""

    heading: str
    anchor: str  # the section's id on the new version's page, or ""
    status: Literal["added", "removed", "changed"]
    changes: tuple[Change, ...]


class _SectionParser(HTMLParser):
    """Split a rendered policy body into sections of block texts (innermost block wins, so a
    list item inside a list item is its own block)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[Section] = [Section("")]
        self.anchors: dict[int, str] = {}
        self._stack: list[list[str]] = []  # text of the open blocks
        self._tags: list[str] = []
        self._skip = 0  # inside a footnote reference or "back to text" link

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "sup" or "footnote-backref" in (attributes.get("class") or ""):
            self._skip += 1
            self._tags.append(tag + "#skip")
            return
        self._tags.append(tag)
        if tag == _SECTION:
            self.sections.append(Section(""))
            self.anchors[len(self.sections) - 1] = attributes.get("id") or ""
            self._stack.append([])
        elif tag in _BLOCKS:
            self._stack.append([])

    def handle_endtag(self, tag: str) -> None:
        while self._tags:
            open_tag = self._tags.pop()
            name = open_tag.removesuffix("#skip")
            if open_tag.endswith("#skip"):
                self._skip -= 1
            elif name == _SECTION and self._stack:
                self.sections[-1].heading = _clean("".join(self._stack.pop()))
            elif name in _BLOCKS and self._stack:
                text = _clean("".join(self._stack.pop()))
                if text:
                    self.sections[-1].blocks.append(text)
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._stack and not self._skip:
            self._stack[-1].append(data)


def _clean(text: str) -> str:
    return " ".join(text.split())


def sections_of(html: str) -> tuple[list[Section], dict[int, str]]:
    """The sections of a rendered body and the id of each section's heading."""
    parser = _SectionParser()
    parser.feed(html)
    parser.close()
    sections = parser.sections
    if not sections[0].blocks:  # nothing before the first heading
        sections = sections[1:]
        anchors = {index - 1: anchor for index, anchor in parser.anchors.items()}
    else:
        anchors = parser.anchors
    return sections, anchors


def block_changes(old: list[str], new: list[str]) -> list[Change]:
    """Blocks added, removed and changed, in reading order (a replaced run is paired up)."""
    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        olds, news = old[a1:a2], new[b1:b2]
        for index in range(max(len(olds), len(news))):
            if index < len(olds) and index < len(news):
                changes.append(Change("changed", olds[index], news[index]))
            elif index < len(olds):
                changes.append(Change("removed", old=olds[index]))
            else:
                changes.append(Change("added", new=news[index]))
    return changes


def compare(old_html: str, new_html: str) -> list[SectionChanges]:
    """The sections that differ between two rendered bodies of the same language."""
    old, _ = sections_of(old_html)
    new, anchors = sections_of(new_html)
    result: list[SectionChanges] = []
    matcher = difflib.SequenceMatcher(
        a=[s.heading for s in old], b=[s.heading for s in new], autojunk=False
    )
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        pairs: list[tuple[Section | None, Section | None, int | None]] = []
        if op == "equal":
            pairs = [(old[a1 + i], new[b1 + i], b1 + i) for i in range(a2 - a1)]
        else:
            count = max(a2 - a1, b2 - b1)
            for i in range(count):
                before = old[a1 + i] if a1 + i < a2 else None
                after = new[b1 + i] if b1 + i < b2 else None
                pairs.append((before, after, b1 + i if after is not None else None))
        for before, after, index in pairs:
            anchor = anchors.get(index, "") if index is not None else ""
            if before is None and after is not None:
                changes = tuple(Change("added", new=b) for b in after.blocks)
                result.append(SectionChanges(after.heading, anchor, "added", changes))
            elif after is None and before is not None:
                changes = tuple(Change("removed", old=b) for b in before.blocks)
                result.append(SectionChanges(before.heading, "", "removed", changes))
            elif before is not None and after is not None and before.text != after.text:
                found = []
                if before.heading != after.heading:
                    found.append(Change("changed", before.heading, after.heading))
                found += block_changes(before.blocks, after.blocks)
                result.append(SectionChanges(after.heading, anchor, "changed", tuple(found)))
    return result
