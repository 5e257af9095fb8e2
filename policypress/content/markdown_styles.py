"""Markdown as people write it: lists nested by 2, 3 or 4 spaces or a tab, a list straight after
a paragraph, ``1)`` and ``a)`` numbering, a backslash at the end of a line for a line break, and
typographic quotes typed where Markdown or HTML needs straight ones. Python-Markdown nests lists
only at four spaces, so the lines are brought to its form before it parses them; where the
intent is unclear the office is told at the line."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import OListProcessor, UListProcessor
from markdown.preprocessors import Preprocessor

from policypress.errors import Finding

_ITEM_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>[*+-]|\d{1,9}[.)]|[a-z][.)])(?P<space>[ \t]+|$)(?P<rest>.*)$"
)
_RULE_RE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
# Lines that are not running text: a list may follow them without a blank line anyway.
_NOT_PARAGRAPH_RE = re.compile(r"^\s*(?:#|\||<|>|\[\^|=+\s*$|-+\s*$)")
_STEP = 4  # the indent Python-Markdown nests at


def list_kind(marker: str) -> str:
    """ "ul" for a bullet, "ol-1" for a number, "ol-a" for a letter."""
    if marker in "*+-":
        return "ul"
    return "ol-1" if marker[0].isdigit() else "ol-a"


def _width(indent: str) -> int:
    return len(indent.expandtabs(_STEP))


@dataclass
class _Item:
    indent: int  # the marker's column as written (tabs counted as four spaces)
    kind: str
    line: int  # where it is, for messages


@dataclass(frozen=True)
class Ambiguity:
    """A place where the structure the office meant is not clear from the Markdown."""

    index: int  # 0-based line in the body
    col: int
    message: str
    hint: str


def normalise_lists(lines: list[str]) -> tuple[list[str], list[Ambiguity]]:
    """The lines with every list item indented by four spaces per level, ``1)`` written ``1.``,
    a blank line before a list that follows a paragraph or another kind of list, and a backslash
    line break written as two spaces; and the places where the nesting had to be guessed."""
    out: list[str] = []
    found: list[Ambiguity] = []
    stack: list[_Item] = []
    previous = ""  # the last line, as written
    previous_blank = True
    for index, line in enumerate(lines):
        if not line.strip():
            out.append(line)
            previous, previous_blank = line, True
            continue
        line = straighten_syntax(_backslash_break(line, lines, index))
        match = _ITEM_RE.match(line)
        if match and not _RULE_RE.match(line):
            width = _width(match.group("indent"))
            marker = match.group("marker")
            kind = list_kind(marker)
            if not stack and previous_blank and width >= _STEP:
                out.append(line)  # an indented code block, not a list
                previous, previous_blank = line, False
                continue
            if not stack:
                if not previous_blank and _is_paragraph(previous) and _may_interrupt(marker):
                    out.append("")
                stack.append(_Item(width, kind, index))
            else:
                parent_kind = _place(stack, width, kind, index, found)
                if parent_kind is not None and parent_kind != kind and not previous_blank:
                    out.append("")  # another kind of list: a list of its own
            depth = len(stack) - 1
            written = marker[:-1] + "." if marker.endswith(")") else marker
            out.append(" " * (_STEP * depth) + written + " " + match.group("rest"))
        elif stack:
            width = _width(line[: len(line) - len(line.lstrip())])
            if previous_blank and width < stack[0].indent + 2:
                stack.clear()  # the list has ended
                out.append(line)
            else:
                depth = _owner_depth(stack, width) if previous_blank else len(stack) - 1
                out.append(" " * (_STEP * (depth + 1)) + line.lstrip())
        else:
            out.append(line)
        previous, previous_blank = line, False
    return out, found


def _place(
    stack: list[_Item], width: int, kind: str, index: int, found: list[Ambiguity]
) -> str | None:
    """Put a new item on the stack: inside the item above (indented by two or more), beside an
    open item (within one space of its indent), or after closing deeper ones. Returns the kind
    of the item it now follows at the same level, if any."""
    while stack:
        top = stack[-1]
        if width >= top.indent + 2:
            stack.append(_Item(width, kind, index))
            return None
        if abs(width - top.indent) <= 1:
            if width != top.indent:
                found.append(_mixed(index, width, top))
            follows = top.kind
            stack[-1] = _Item(top.indent, kind, index)
            return follows
        stack.pop()
    stack.append(_Item(width, kind, index))
    return None


def _mixed(index: int, width: int, beside: _Item) -> Ambiguity:
    if abs(width - beside.indent) == 1 and min(width, beside.indent) == 0:
        return Ambiguity(
            index,
            1,
            "this list item is indented by 1 space, so it is not clear whether it belongs "
            "inside the item above; it is shown as the next item of the same list",
            "Indent it by 2 or 4 spaces to put it inside the item above, or not at all to "
            "make it the next item.",
        )
    return Ambiguity(
        index,
        1,
        f"this list item is indented by {width} spaces but the item before it at the same level "
        f"by {beside.indent}; it is shown at the same level",
        "Indent the items of one list the same way (2 or 4 spaces for each level).",
    )


def _owner_depth(stack: list[_Item], width: int) -> int:
    """The deepest open item an indented paragraph belongs to."""
    for depth in range(len(stack) - 1, -1, -1):
        if width >= stack[depth].indent + 2:
            return depth
    return 0


def _is_paragraph(line: str) -> bool:
    return bool(line.strip()) and not _NOT_PARAGRAPH_RE.match(line) and not _ITEM_RE.match(line)


def _may_interrupt(marker: str) -> bool:
    """As in CommonMark, a numbered list interrupts a paragraph only if it starts at 1 (or a):
    "2024. A year of change" on a line of its own is still text."""
    return marker in "*+-" or marker[:-1] in ("1", "a")


def _backslash_break(line: str, lines: list[str], index: int) -> str:
    """A backslash at the end of a line is a line break (CommonMark), written the way
    Python-Markdown knows: two spaces."""
    stripped = line.rstrip()
    trailing = len(stripped) - len(stripped.rstrip("\\"))
    following = lines[index + 1] if index + 1 < len(lines) else ""
    if trailing % 2 == 1 and following.strip():
        return stripped[:-1] + "  "
    return line


class ListStylePreprocessor(Preprocessor):
    """Lists, numbering and line breaks brought to the form Python-Markdown parses."""

    def __init__(
        self,
        md: markdown.Markdown,
        report: Callable[[Ambiguity], None],
    ) -> None:
        super().__init__(md)
        self.report = report

    def run(self, lines: list[str]) -> list[str]:
        out, found = normalise_lists(lines)
        for ambiguity in found:
            self.report(ambiguity)
        return out


def _element_kind(el: etree.Element) -> str:
    return "ul" if el.tag == "ul" else f"ol-{el.get('type', '1')}"


class OneKindMixin:
    """A list continues the list before it only if it is the same kind (bullets, numbers or
    letters): Python-Markdown would join a bullet list to a numbered list above it."""

    KIND = ""
    SIBLING_TAGS: list[str]

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        sibling = self.lastChild(parent)  # type: ignore[attr-defined]
        own = self.SIBLING_TAGS
        if (
            sibling is not None
            and sibling.tag in ("ol", "ul")
            and _element_kind(sibling) != (self.KIND)
        ):
            self.SIBLING_TAGS = []
        try:
            super().run(parent, blocks)  # type: ignore[misc]
        finally:
            self.SIBLING_TAGS = own


def _nested_item_re(tab_length: int) -> re.Pattern[str]:
    """A nested item of any kind (numbers, letters, bullets) on the lines of its parent list."""
    return re.compile(rf"^[ ]{{{tab_length},{tab_length * 2 - 1}}}(\d+\.|[a-z]\.|[*+-])[ ]+.*")


class NumberedListProcessor(OneKindMixin, OListProcessor):
    KIND = "ol-1"

    def __init__(self, parser: BlockParser) -> None:
        super().__init__(parser)
        self.INDENT_RE = _nested_item_re(self.tab_length)


class BulletListProcessor(OneKindMixin, UListProcessor):
    KIND = "ul"

    def __init__(self, parser: BlockParser) -> None:
        super().__init__(parser)
        self.INDENT_RE = _nested_item_re(self.tab_length)


_CURLY = "\u201c\u201d\u2018\u2019"
_TITLE_RE = re.compile(rf"(\]\([^\s()]+[ \t]+)[{_CURLY}]([^{_CURLY}\n]*)[{_CURLY}](\))")
_TAG_RE = re.compile(r"<[a-zA-Z][^<>\n]*>")
_ATTRIBUTE_RE = re.compile(r"""(\s[\w-]+\s*=\s*)[\u201c\u201d]([^\u201c\u201d"]*)[\u201c\u201d]""")


def straighten_syntax(line: str) -> str:
    """Typographic quotes where Markdown or HTML needs straight ones: a link's title
    ``[x](a.md “The title”)`` and an attribute ``<img alt=“The hall”>``, as Word and phones
    type them. The text itself keeps the quotes the office typed, word for word."""
    line = _TITLE_RE.sub(lambda m: f'{m.group(1)}"{m.group(2)}"{m.group(3)}', line)
    if "<" in line:
        line = _TAG_RE.sub(
            lambda tag: _ATTRIBUTE_RE.sub(lambda m: f'{m.group(1)}"{m.group(2)}"', tag.group(0)),
            line,
        )
    return line


def register_styles(md: markdown.Markdown, report: Callable[[Ambiguity], None]) -> None:
    """Add the styles to a Markdown instance (called from the policypress extension)."""
    md.preprocessors.register(ListStylePreprocessor(md, report), "policypress-list-styles", 35)
    md.parser.blockprocessors.register(NumberedListProcessor(md.parser), "olist", 40)
    md.parser.blockprocessors.register(BulletListProcessor(md.parser), "ulist", 30)


def ambiguity_finding(ambiguity: Ambiguity, path: Path | None, first_line: int) -> Finding:
    return Finding(
        "warning",
        ambiguity.message,
        path,
        ambiguity.index + first_line,
        ambiguity.col,
        ambiguity.hint,
    )
