"""Language of parts: ``[Chair of Governors]{lang=en}`` (Pandoc's bracketed span) marks a run of
words as another language, in the Markdown of a policy and in any translation of it, and becomes
``<span lang="en" dir="ltr">``, so a screen reader reads it with the right voice, the PDF gets
its /Lang and braille its own code. Interface strings, which are text, allow this mark and
nothing else (``catalog_html``)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markupsafe import Markup, escape

# A language tag as BCP 47 writes it: "en", "pl", "en-GB", "zh-Hant".
LANG_TAG = r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*"
# The run may hold bracketed text of its own ("[the [link](x)]{lang=en}"), one level deep.
SPAN_RE = re.compile(r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])+)\]\{lang=(" + LANG_TAG + r")\}")
# Languages written right to left (the first part of the tag).
RTL_LANGUAGES = frozenset(
    {"ar", "arc", "dv", "fa", "he", "ku", "ps", "sd", "syr", "ug", "ur", "yi"}
)


def direction(tag: str) -> str:
    return "rtl" if tag.split("-", 1)[0].lower() in RTL_LANGUAGES else "ltr"


class LangSpanProcessor(InlineProcessor):
    """``[words]{lang=xx}`` -> ``<span lang="xx" dir="...">words</span>``; the words go on
    through the inline patterns that follow (emphasis and links inside a span still work)."""

    def handleMatch(  # type: ignore[override]  # Python-Markdown's signature, typed loosely
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element, int, int]:
        tag = m.group(2)
        el = etree.Element("span", {"lang": tag, "dir": direction(tag)})
        el.text = m.group(1)
        return el, m.start(0), m.end(0)


class LangSpanExtension(Extension):
    """Registers the span before links (160), so ``[text]`` is never read as a reference link."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.inlinePatterns.register(LangSpanProcessor(SPAN_RE.pattern, md), "policypress-lang", 175)


def plain(text: str) -> str:
    """The text without its marks, for places that hold text only (titles, attributes)."""
    return SPAN_RE.sub(r"\1", text)


def catalog_html(text: str) -> Markup:
    """An interface string (plain text) as HTML: escaped, with its language marks as spans."""
    escaped = str(escape(text))

    def span(m: re.Match[str]) -> str:
        tag = m.group(2)
        # Single quotes: well-formed in XHTML (EPUB), and harmless inside a template's
        # double-quoted attribute, should a translator mark a string used there.
        return f"<span lang='{tag}' dir='{direction(tag)}'>{m.group(1)}</span>"

    return Markup(SPAN_RE.sub(span, escaped))


def marked_runs(text: str) -> list[tuple[str, str]]:
    """(language, words) of each marked run, for checks."""
    return [(m.group(2), m.group(1)) for m in SPAN_RE.finditer(text)]
