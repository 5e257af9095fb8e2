"""Python-Markdown extensions shared by every output: a–e lists, stable heading ids, source lines,
translation of each block, link and image checks, and raw HTML cleaning."""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import markdown
from markdown.blockprocessors import OListProcessor
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from policypress import compat
from policypress.content.attachments import Attachment, attachment, is_file_link, label_for
from policypress.content.markdown_styles import (
    Ambiguity,
    OneKindMixin,
    ambiguity_finding,
    register_styles,
)
from policypress.content.sanitise import url_scheme
from policypress.content.source import MAX_NESTING, MAX_TABLE_ROWS
from policypress.errors import Finding

TRANSLATABLE_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "th", "td", "dt", "dd")
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
VAGUE_LINK_TEXT = {
    "click here",
    "here",
    "click",
    "read more",
    "more",
    "link",
    "this link",
    "this page",
    "find out more",
    "learn more",
}
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
_STASH_RE = compat.HTML_PLACEHOLDER_RE
_EXPLICIT_ID_RE = re.compile(r"\s*\{#([A-Za-z][\w-]*)\}\s*$")
_LINE_ATTR = "data-pp-line"
_FALLBACK_ATTR = "data-pp-fallback"


class Translator(Protocol):
    """Looks up the translation of one block; None means: show the English."""

    def lookup(self, context: str, msgid: str) -> str | None: ...


@dataclass(frozen=True)
class Block:
    """One translatable unit of a document: a heading, paragraph, list item or table cell."""

    context: str
    msgid: str
    line: int | None
    kind: str


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True)
class LinkRef:
    """An internal link found in the text, checked once every page is known."""

    target: str  # a policy slug, or "" for this page
    anchor: str
    line: int | None
    col: int | None
    href: str


@dataclass
class RenderState:
    """What one conversion learned about the document."""

    blocks: list[Block] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    images: list[Path] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    fallback_blocks: int = 0


def slugify(text: str) -> str:
    """A stable, readable id from heading text ("Parent/Carer’s Responsibility" ->
    "parent-carers-responsibility")."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`]", "", text).lower()
    text = re.sub(r"[’'‘]", "", text)
    text = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-")
    return text or "section"


def normalise(text: str) -> str:
    return " ".join(text.split())


_VARIABLE_RE = re.compile(r"\{([a-z_]+)\}")


def substitute(text: str, variables: Mapping[str, str]) -> str:
    """Fill in {name} from the school's settings; a web address becomes a link."""

    def replace(match: re.Match[str]) -> str:
        value = variables.get(match.group(1))
        if value is None:
            return match.group(0)
        return f"<{value}>" if value.startswith(("http://", "https://")) else value

    return _VARIABLE_RE.sub(replace, text)


class AlphaListProcessor(OneKindMixin, OListProcessor):
    """Lists written ``a. item`` become ``<ol type="a">``, as policies number their groups."""

    KIND = "ol-a"

    def __init__(self, parser: Any) -> None:
        super().__init__(parser)
        indent = self.tab_length - 1
        self.RE = re.compile(rf"^[ ]{{0,{indent}}}[a-z]\.[ ]+(.*)")
        self.CHILD_RE = re.compile(rf"^[ ]{{0,{indent}}}(([a-z]\.)|[*+-])[ ]+(.*)")
        low, high = self.tab_length, self.tab_length * 2 - 1
        self.INDENT_RE = re.compile(rf"^[ ]{{{low},{high}}}((\d+\.)|[a-z]\.|[*+-])[ ]+.*")

    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(self.RE.match(block))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        super().run(parent, blocks)
        lst = self.lastChild(parent)
        if lst is not None and lst.tag == "ol":
            lst.set("type", "a")

    def get_items(self, block: str) -> list[str]:
        items: list[str] = []
        for line in block.split("\n"):
            match = self.CHILD_RE.match(line)
            if match:
                items.append(match.group(3))
            elif self.INDENT_RE.match(line) and items:
                if items[-1].startswith(" " * self.tab_length):
                    items[-1] = f"{items[-1]}\n{line}"
                else:
                    items.append(line)
            elif items:
                items[-1] = f"{items[-1]}\n{line}"
            else:
                items.append(line)
        return items


class LineFinder:
    """Finds the source line of each block, walking forward through the file in document order."""

    def __init__(self, body: str, first_line: int) -> None:
        self.lines = [
            normalise(re.sub(r"^\s*(?:[-*+]|\d+[.)]|[a-z][.)]|#+|>|\|)\s*", "", line))
            for line in body.split("\n")
        ]
        self.first_line = first_line
        self.cursor = 0

    def find(self, text: str) -> int | None:
        probe = normalise(_STASH_RE.sub("", text))[:40]
        if not probe:
            return None
        for start in (self.cursor, 0):
            for index in range(start, len(self.lines)):
                if probe in self.lines[index]:
                    self.cursor = index
                    return index + self.first_line
        return None


class BlockTreeprocessor(Treeprocessor):
    """Before inline Markdown is parsed: give each block its line, each heading a stable id,
    and swap in the translation of every block (or mark it as an English fallback)."""

    def __init__(self, md: markdown.Markdown, ext: PolicyExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        ext = self.ext
        state = ext.state
        finder = LineFinder(ext.options.body, ext.options.body_line)
        translator: Translator | None = ext.options.translator
        demote = any(el.tag == "h1" for el in root.iter())
        context = ext.options.context_root
        used_ids: set[str] = set(ext.options.reserved_ids)
        next_number: dict[str, int] = {}
        for el in root.iter():
            if el.tag not in TRANSLATABLE_TAGS:
                continue
            text = el.text or ""
            msgid = normalise(text)
            line = finder.find(msgid) if msgid else None
            if line is not None:
                el.set(_LINE_ATTR, str(line))
            if el.tag in HEADING_TAGS:
                explicit = _EXPLICIT_ID_RE.search(msgid)
                if explicit:
                    msgid = msgid[: explicit.start()].rstrip()
                    el.text = msgid
                base = explicit.group(1) if explicit else slugify(msgid)
                anchor = _unique_id(base, used_ids, next_number)
                el.set("id", anchor)
                context = anchor
                if demote:
                    el.tag = f"h{min(int(el.tag[1]) + 1, 6)}"
            if not msgid or not _STASH_RE.sub("", msgid).strip():
                continue
            state.blocks.append(Block(context, msgid, line, el.tag))
            if translator is None:
                continue
            translated = translator.lookup(context, msgid)
            if translated is None:
                el.set(_FALLBACK_ATTR, "1")
                state.fallback_blocks += 1
            else:
                el.text = translated
        if ext.options.variables:
            for el in root.iter():
                if el.tag in TRANSLATABLE_TAGS and el.text:
                    el.text = substitute(el.text, ext.options.variables)
        state.ids |= used_ids


def _unique_id(base: str, used: set[str], next_number: dict[str, int]) -> str:
    """``base``, or ``base-2``, ``base-3`` ... whichever is free first. Each base remembers the
    number it reached, so a thousand headings of the same text cost a thousand steps, not half a
    million (the numbers tried for one base only ever go up)."""
    anchor = base
    number = next_number.get(base, 2)
    while anchor in used:
        anchor = f"{base}-{number}"
        number += 1
    next_number[base] = number
    used.add(anchor)
    return anchor


_ADDRESS = re.compile(r"^(https?://|mailto:|www\.)\S+$|^[^\s@]+@[^\s@]+\.\w+$")


def _plain_text(el: etree.Element) -> str:
    """A link's text as a reader sees it (Markdown writes email addresses as entities)."""
    text = "".join(el.itertext()).replace(markdown.util.AMP_SUBSTITUTE, "&")
    return html.unescape(text).strip()


class LinkTreeprocessor(Treeprocessor):
    """After inline Markdown: check images and links, resolve links to other policies, record the
    headings, and mark English fallback blocks with their language."""

    def __init__(self, md: markdown.Markdown, ext: PolicyExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        ext = self.ext
        state = ext.state
        source_lines = ext.options.body.split("\n")
        first_line = ext.options.body_line
        path: Path | None = ext.options.path
        fallback_lang = ext.options.fallback_lang
        self._line = None

        def col_of(needle: str, line: int | None) -> int | None:
            if line is None:
                return None
            index = line - first_line
            if 0 <= index < len(source_lines):
                found = source_lines[index].find(needle)
                return found + 1 if found >= 0 else None
            return None

        for block in root.iter():
            line_attr = block.get(_LINE_ATTR)
            line = int(line_attr) if line_attr else None
            if line_attr is not None:
                del block.attrib[_LINE_ATTR]
            if block.get(_FALLBACK_ATTR):
                del block.attrib[_FALLBACK_ATTR]
                block.set("lang", fallback_lang)
                block.set("dir", "ltr")
                block.set("class", (block.get("class", "") + " fallback").strip())
            if block.tag in HEADING_TAGS:
                text = normalise("".join(block.itertext()))
                state.headings.append(Heading(int(block.tag[1]), block.get("id", ""), text))
            if block.tag not in TRANSLATABLE_TAGS:
                continue
            for el in block.iter():
                if el.tag == "img":
                    self._check_image(el, line, col_of, path)
                elif el.tag == "a":
                    self._check_link(el, line, col_of, path)
                    if _ADDRESS.match(_plain_text(el)):
                        # A web or email address reads left to right, even in Arabic or Urdu
                        # text: without this its slashes and dots move to the wrong end.
                        el.set("dir", "ltr")

    def _check_image(
        self,
        el: etree.Element,
        line: int | None,
        col_of: Callable[..., int | None],
        path: Path | None,
    ) -> None:
        state = self.ext.state
        src = el.get("src", "")
        alt = el.get("alt", "")
        col = col_of(src, line) if src else None
        if alt.strip() == '""':
            el.set("alt", "")
            el.set("role", "presentation")
        elif not alt.strip():
            state.findings.append(
                Finding(
                    "error",
                    f"this image has no alt text: {src}",
                    path,
                    line,
                    col,
                    "Describe the image in the square brackets, e.g. ![The school hall](hall.jpg), "
                    'or write ![""](hall.jpg) only if it is purely decorative.',
                )
            )
        if not self._safe_url(el, "src", line, col):
            return
        scheme = urlsplit(src).scheme
        if scheme:
            return
        resolve_image: Callable[[str], tuple[str, Path | None]] | None = (
            self.ext.options.resolve_image
        )
        if resolve_image is None:
            return
        url, file = resolve_image(src)
        if file is None or not file.is_file():
            state.findings.append(
                Finding(
                    "error",
                    f"image {src!r} not found",
                    path,
                    line,
                    col,
                    IMAGE_NOT_FOUND_HINT,
                )
            )
        else:
            state.images.append(file)
        el.set("src", url)

    def _check_link(
        self,
        el: etree.Element,
        line: int | None,
        col_of: Callable[..., int | None],
        path: Path | None,
    ) -> None:
        state = self.ext.state
        href = el.get("href", "")
        col = col_of(href, line) if href else None
        text = normalise("".join(el.itertext())).strip(".:!,").lower()
        if text in VAGUE_LINK_TEXT and "footnote" not in el.get("class", ""):
            state.findings.append(
                Finding(
                    "warning",
                    f"the link text {text!r} does not say where the link goes",
                    path,
                    line,
                    col,
                    "Use words that make sense on their own, e.g. [the Complaints Policy](...).",
                )
            )
        if not self._safe_url(el, "href", line, col):
            return
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or "footnote" in el.get("class", ""):
            return
        if not parts.path:
            state.links.append(LinkRef("", parts.fragment, line, col, href))
            return
        target = parts.path
        if is_file_link(href):
            self._check_file(el, href, line, col, path)
        elif target.endswith(".md"):
            slug = Path(target).stem
            state.links.append(LinkRef(slug, parts.fragment, line, col, href))
            resolve_policy = self.ext.options.resolve_policy
            if resolve_policy is not None:
                url, hreflang = resolve_policy(slug)
                el.set("href", url + (f"#{parts.fragment}" if parts.fragment else ""))
                if hreflang:  # the policy is not published in the page's language
                    el.set("hreflang", hreflang)

    def _check_file(
        self, el: etree.Element, href: str, line: int | None, col: int | None, path: Path | None
    ) -> None:
        """A link to a form, PDF or other document: published with the policy, or an error
        naming the file when it is not there."""
        resolve_file = self.ext.options.resolve_file
        if resolve_file is None:
            return
        url, file = resolve_file(href)
        if file is None:
            self.ext.state.findings.append(link_not_found(href, path, line, col))
            return
        label = normalise(_plain_text(el)) or label_for(file)
        self.ext.state.attachments.append(attachment(file, label, url))
        el.set("href", url)

    def _safe_url(self, el: etree.Element, attr: str, line: int | None, col: int | None) -> bool:
        value = el.get(attr, "")
        scheme = urlsplit(value.strip()).scheme.lower()
        if scheme and scheme not in SAFE_SCHEMES:
            del el.attrib[attr]
            self.ext.state.findings.append(
                Finding(
                    "warning",
                    f"removed an unsafe address ({scheme}:) from "
                    + ("a link" if el.tag == "a" else "an image"),
                    self.ext.options.path,
                    line,
                    col,
                    "Only web (https:), email (mailto:) and phone (tel:) addresses are allowed.",
                )
            )
            return False
        return True


IMAGE_NOT_FOUND_HINT = (
    "Check the file name (capital letters count), put the image in the content/images "
    "folder and write ![description](images/name.png)."
)


def link_not_found(href: str, path: Path | None, line: int | None, col: int | None) -> Finding:
    return Finding(
        "error",
        f"link target {href!r} not found",
        path,
        line,
        col,
        "Put the file in the content folder, beside the policy (e.g. content/forms/), and link "
        "to it by that name, e.g. [Complaint form](forms/complaint-form.docx); or link to its "
        "full web address (https://...).",
    )


_QUOTE_OR_INDENT_RE = re.compile(r"^[ \t>]*")


def _nesting(line: str) -> int:
    """How deep a line sits in lists and quotes: each '>' is one level, and so is each four
    spaces of indent (a tab counts as four), as Markdown nests them."""
    prefix = _QUOTE_OR_INDENT_RE.match(line)
    lead = prefix.group(0) if prefix else ""
    return lead.count(">") + len(lead.replace(">", "").expandtabs(4)) // 4


def _is_table_row(line: str) -> bool:
    return "|" in line and bool(line.strip())


class LimitsPreprocessor(Preprocessor):
    """Before Markdown parses: lists and quotes nested deeper than MAX_NESTING (deep enough for
    Python-Markdown to exhaust the stack) and tables longer than MAX_TABLE_ROWS (slow to lay out
    in every format) are reported at their line, and left out so the rest is still checked."""

    def __init__(self, md: markdown.Markdown, ext: PolicyExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        options = self.ext.options
        kept: list[str] = []
        too_deep: int | None = None
        long_table: int | None = None
        table_start = 0
        rows = 0
        for index, line in enumerate(lines):
            rows = rows + 1 if _is_table_row(line) else 0
            if rows == 1:
                table_start = index
            if rows > MAX_TABLE_ROWS + 2:  # the header and its --- line are not rows
                if long_table is None:
                    long_table = table_start
                kept.append("")
            elif _nesting(line) > MAX_NESTING:
                if too_deep is None:
                    too_deep = index
                kept.append("")
            else:
                kept.append(line)
        if too_deep is not None:
            self.ext.state.findings.append(
                Finding(
                    "error",
                    f"lists or quotes are nested more than {MAX_NESTING} levels deep here",
                    options.path,
                    too_deep + options.body_line,
                    1,
                    "Use fewer levels: a list inside a list inside a list is already hard to "
                    "follow, and deeper ones cannot be published.",
                )
            )
        if long_table is not None:
            self.ext.state.findings.append(
                Finding(
                    "error",
                    f"this table has more than {MAX_TABLE_ROWS:,} rows, the limit for one table",
                    options.path,
                    long_table + options.body_line,
                    1,
                    "Split it into smaller tables under their own headings, or publish the data "
                    "as a separate document on the school website and link to it.",
                )
            )
        return kept


class RawHtmlCleaner(Postprocessor):
    """Raw HTML in Markdown is cleaned with an allow-list; what is removed is reported."""

    def __init__(self, md: markdown.Markdown, ext: PolicyExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, text: str) -> str:
        from policypress.content.sanitise import clean_html

        options = self.ext.options
        stash = self.md.htmlStash
        for index, raw in enumerate(stash.rawHtmlBlocks):
            raw_text = str(raw)
            line = _find_line(options.body, raw_text, options.body_line)
            cleaned, removed = clean_html(raw_text, functools.partial(self._resolve, line))
            stash.rawHtmlBlocks[index] = cleaned
            if removed:
                self.ext.state.findings.append(
                    Finding(
                        "warning",
                        f"removed unsafe HTML: {removed}",
                        options.path,
                        line,
                        None,
                        "Write the text in Markdown instead; scripts, styles, frames and event "
                        "handlers are never published.",
                    )
                )
        return text

    def _resolve(self, line: int | None, attr: str, value: str) -> str:
        """An image or a file link in raw HTML: found and published like one written in
        Markdown, or reported at its line and column."""
        options = self.ext.options
        state = self.ext.state
        if url_scheme(value):
            return value
        where = _find_value(options.body, value, options.body_line, line)
        if attr == "src" and options.resolve_image is not None:
            url, file = options.resolve_image(value)
            if file is None or not file.is_file():
                state.findings.append(
                    Finding(
                        "error",
                        f"image {value!r} not found",
                        options.path,
                        *where,
                        IMAGE_NOT_FOUND_HINT,
                    )
                )
                return value
            state.images.append(file)
            return url
        if attr == "href" and is_file_link(value) and options.resolve_file is not None:
            url, file = options.resolve_file(value)
            if file is None:
                state.findings.append(link_not_found(value, options.path, *where))
                return value
            state.attachments.append(attachment(file, label_for(file), url))
            return url
        return value


def _find_value(
    body: str, value: str, first_line: int, near: int | None
) -> tuple[int | None, int | None]:
    """The line and column where ``value`` is written, from the line ``near`` on."""
    lines = body.split("\n")
    start = max((near or first_line) - first_line, 0)
    for index in range(start, len(lines)):
        col = lines[index].find(value)
        if col >= 0:
            return index + first_line, col + 1
    return near, None


def _find_line(body: str, needle: str, first_line: int) -> int | None:
    probe = needle.strip().split("\n")[0][:40]
    for index, line in enumerate(body.split("\n")):
        if probe and probe in line:
            return index + first_line
    return None


@dataclass(frozen=True)
class ExtensionOptions:
    """What one conversion needs to know about the document it converts."""

    body: str = ""
    body_line: int = 1
    path: Path | None = None
    translator: Translator | None = None
    fallback_lang: str = "en"
    context_root: str = "intro"
    reserved_ids: tuple[str, ...] = ()
    resolve_image: Callable[[str], tuple[str, Path | None]] | None = None
    resolve_policy: Callable[[str], tuple[str, str | None]] | None = None
    resolve_file: Callable[[str], tuple[str, Path | None]] | None = None
    variables: Mapping[str, str] = field(default_factory=dict)


class PolicyExtension(Extension):
    """Registers everything policypress adds to Markdown; ``state`` holds what it found."""

    def __init__(self, options: ExtensionOptions) -> None:
        super().__init__()
        self.options = options
        self.state = RenderState()

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.register(LimitsPreprocessor(md, self), "policypress-limits", 40)
        md.parser.blockprocessors.register(AlphaListProcessor(md.parser), "alphalist", 39)
        register_styles(md, self._report_ambiguity)
        md.treeprocessors.register(BlockTreeprocessor(md, self), "policypress-blocks", 30)
        md.treeprocessors.register(LinkTreeprocessor(md, self), "policypress-links", 5)
        md.postprocessors.register(RawHtmlCleaner(md, self), "policypress-clean", 35)

    def _report_ambiguity(self, ambiguity: Ambiguity) -> None:
        self.state.findings.append(
            ambiguity_finding(ambiguity, self.options.path, self.options.body_line)
        )
