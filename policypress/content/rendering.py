"""Markdown body -> HTML fragment, through the one set of extensions every output shares."""

from __future__ import annotations

import html as htmllib
import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import markdown
from markdown.treeprocessors import Treeprocessor

from policypress.content.attachments import Attachment, attachment, beside, label_for
from policypress.content.lang_spans import LangSpanExtension
from policypress.content.markdown_ext import (
    _LINE_ATTR,
    Block,
    ExtensionOptions,
    Heading,
    LinkRef,
    PolicyExtension,
    Translator,
)
from policypress.content.sanitise import (
    browser_form,
    clean_document,
    judge_image,
    judge_link,
    url_scheme,
)
from policypress.errors import Finding, Severity

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
    attachments: tuple[Attachment, ...] = ()


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


_LINK_HINT = "Only web (https:), email (mailto:) and phone (tel:) addresses are allowed."


class AddressTreeprocessor(Treeprocessor):
    """After inline Markdown, before links and images are resolved: every address in the text
    (also those from translations and {placeholders}) as a browser would read it. Links may go to
    https, mailto and tel addresses and within the site; http:// becomes https://; images must be
    files in the content folder. What is removed or changed is reported with its line."""

    def __init__(
        self,
        md: markdown.Markdown,
        body: str,
        body_line: int,
        path: Path | None,
        variables: Mapping[str, str],
    ) -> None:
        super().__init__(md)
        self.source_lines = body.split("\n")
        self.body_line = body_line
        self.path = path
        self.variables = variables
        self.findings: list[Finding] = []

    def run(self, root: etree.Element) -> None:
        # Each element with the source line of the nearest block around it, in document order
        # (a stack, not recursion: deep nesting must not overflow Python's stack).
        waiting: list[tuple[etree.Element, int | None]] = [(root, None)]
        while waiting:
            el, line = waiting.pop()
            line_attr = el.get(_LINE_ATTR)
            line = int(line_attr) if line_attr else line
            if el.tag == "a" and el.get("href") is not None:
                self._link(el, line)
            elif el.tag == "img" and el.get("src") is not None:
                self._image(el, line)
            waiting.extend((child, line) for child in reversed(el))

    def _col(self, needle: str, line: int | None) -> int | None:
        index = (line or 0) - self.body_line
        if line is None or not needle or not 0 <= index < len(self.source_lines):
            return None
        found = self.source_lines[index].find(needle)
        return found + 1 if found >= 0 else None

    def _report(
        self, severity: Severity, message: str, line: int | None, value: str, hint: str
    ) -> None:
        col = self._col(value, line)
        if col is None:
            # Not written here: it came with a {placeholder}, from the school's settings.
            names = [
                f"{{{name}}}" for name, text in self.variables.items() if value and value in text
            ]
            if names:
                message += f" (it comes from {', '.join(names)})"
                hint = f"Correct {names[0][1:-1]} in policypress.toml. {hint}"
        self.findings.append(Finding(severity, message, self.path, line, col, hint))

    def _link(self, el: etree.Element, line: int | None) -> None:
        href = el.get("href", "")
        verdict = judge_link(href)
        if not verdict.problem:
            return
        if verdict.value is None:
            del el.attrib["href"]
            self._report(
                "warning",
                f"removed an unsafe address ({verdict.problem}:) from a link",
                line,
                href,
                _LINK_HINT,
            )
        else:
            el.set("href", verdict.value)
            self._report(
                "warning",
                f"this link's address is not https://; it is published as {verdict.value}",
                line,
                href,
                "Check that the page opens with https://, and write https:// in the policy; "
                "plain http:// is never published.",
            )

    def _image(self, el: etree.Element, line: int | None) -> None:
        src = el.get("src", "")
        verdict = judge_image(src)
        if not verdict.problem:
            return
        # The image is replaced by its description, so the reader still learns what it showed.
        alt = el.get("alt", "")
        el.attrib.clear()
        el.tag = "span"
        el.text = alt
        if verdict.problem == "not-image":
            self._report(
                "error",
                f"this image is not an image file: {src}",
                line,
                src,
                "An image must be a .png, .jpg, .gif, .svg or .webp file in the content folder; "
                "to point readers at another policy, write a link: [its title](other-policy.md).",
            )
        elif url_is_remote(src):
            self._report(
                "warning",
                f"removed an image from the web: {src}",
                line,
                src,
                "Nothing is fetched from the internet during a build: save the image in the "
                "content/images folder and write ![description](images/name.png).",
            )
        else:
            self._report(
                "error",
                f"this image is outside the content folder: {src}",
                line,
                src,
                "Only files inside the content folder are published: put the image in "
                "content/images and write ![description](images/name.png).",
            )


def url_is_remote(src: str) -> bool:
    """An address on another computer (the web, or a protocol-relative //host/...)."""
    return url_scheme(src) not in ("", "file") or browser_form(src).startswith("//")


def _with_files_beside(
    linked: list[Attachment],
    path: Path | None,
    resolve_file: Callable[[str], tuple[str, Path | None]] | None,
) -> tuple[Attachment, ...]:
    """The files the document links to, then those kept in its own folder (content/<policy>/)
    that it does not link to: each published once, in that order."""
    found: dict[Path, Attachment] = {}
    for item in linked:
        found.setdefault(item.file, item)
    if path is not None and resolve_file is not None:
        for file in beside(path, path.stem):
            url, resolved = resolve_file(f"{path.stem}/{file.name}")
            if resolved is not None and resolved not in found:
                found[resolved] = attachment(resolved, label_for(resolved), url)
    return tuple(found.values())


def render_markdown(
    body: str,
    *,
    body_line: int = 1,
    path: Path | None = None,
    translator: Translator | None = None,
    fallback_lang: str = "en",
    resolve_image: Callable[[str], tuple[str, Path | None]] | None = None,
    resolve_policy: Callable[[str], tuple[str, str | None]] | None = None,
    resolve_file: Callable[[str], tuple[str, Path | None]] | None = None,
    labels: dict[str, str] | None = None,
    reserved_ids: tuple[str, ...] = (
        "main",
        "contents",
        "notes",
        "formats",
        "details",
        "attachments",
    ),
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
            resolve_file=resolve_file,
            reserved_ids=reserved_ids,
            variables=variables or {},
        )
    )
    md = markdown.Markdown(
        extensions=["tables", "footnotes", ext, LangSpanExtension()],
        extension_configs={
            "footnotes": {
                # Put into the HTML as it is by the footnotes extension: a translation is text.
                "BACKLINK_TEXT": htmllib.escape(labels["back_to_text"]),
                "BACKLINK_TITLE": "",
                "SUPERSCRIPT_TEXT": "{}",
            }
        },
        output_format="html",
    )
    md.treeprocessors.register(StructureTreeprocessor(md, labels), "policypress-structure", 4)
    addresses = AddressTreeprocessor(md, body, body_line, path, variables or {})
    md.treeprocessors.register(addresses, "policypress-addresses", 6)
    html, changes = clean_document(md.convert(body))
    state = ext.state
    final = [
        Finding(
            "warning",
            f"removed unsafe HTML: {change}",
            path,
            hint="Write the text in Markdown, and check the school's details in policypress.toml "
            "and the translations: they are published as text, with only https, mailto and tel "
            "addresses.",
        )
        for change in changes
    ]
    return RenderedBody(
        html=html,
        headings=tuple(state.headings),
        blocks=tuple(state.blocks),
        findings=tuple(addresses.findings + state.findings + final),
        links=tuple(state.links),
        ids=frozenset(state.ids | {"notes"}),
        images=tuple(state.images),
        fallback_blocks=state.fallback_blocks,
        attachments=_with_files_beside(state.attachments, path, resolve_file),
    )
