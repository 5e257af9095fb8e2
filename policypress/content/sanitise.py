"""Clean HTML with an allow-list (nh3), saying what went: raw HTML blocks in Markdown, and then the
final HTML of every document, so no address a browser or PDF viewer would run gets through."""

from __future__ import annotations

import html as htmllib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import urljoin

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "q", "s", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time",
    "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "dir", "id", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"type", "start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "abbr": {"title"},
}
# What policypress's own Markdown extensions add to a document (tables that keyboards can reach,
# the notes section, footnote links, English fallback blocks, table cell alignment, the language
# of a link to a policy published in English only): allowed in the final pass only, after raw
# HTML has been cleaned with the lists above.
DOCUMENT_TAGS = ALLOWED_TAGS | {"section"}
DOCUMENT_ATTRIBUTES = {
    **ALLOWED_ATTRIBUTES,
    "*": ALLOWED_ATTRIBUTES["*"] | {"class", "role", "tabindex", "aria-label", "aria-labelledby"},
    "th": ALLOWED_ATTRIBUTES["th"] | {"style"},
    "td": ALLOWED_ATTRIBUTES["td"] | {"style"},
    "a": ALLOWED_ATTRIBUTES["a"] | {"hreflang"},  # a link to a policy not in the page's language
}
# The only addresses a link may have: web pages over https, email and telephone numbers (and
# links within the site, which have no scheme). Plain http:// addresses are changed to https://.
LINK_SCHEMES = ("https", "mailto", "tel")
# nh3 checks schemes before our filter sees a value: http passes, to be upgraded there, and
# file, for print's images (the filter removes it from links).
_NH3_SCHEMES = {*LINK_SCHEMES, "http", "file"}
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
# A browser drops these from the ends of an address, and tabs and newlines from anywhere in it
# (WHATWG URL standard), so "java\tscript:" is "javascript:".
_CONTROLS = "".join(chr(c) for c in range(0x21))
_TAB_NEWLINE = re.compile("[\t\n\r]")
_SCHEME_RE = re.compile(r"^([^/?#]*?):")


def browser_form(value: str) -> str:
    """An attribute value as a browser reads the address in it: character references decoded
    (``&#106;``, ``&colon;``, ``&Tab;``), control characters and spaces at the ends removed,
    tabs and newlines removed everywhere."""
    return _TAB_NEWLINE.sub("", htmllib.unescape(value).strip(_CONTROLS))


def url_scheme(value: str) -> str:
    """The scheme of an address in lower case ("" for an address within the site). Anything
    before a colon that comes before the first /, ? or # counts as a scheme, with every control
    character and space taken out: stricter than a browser, never looser."""
    match = _SCHEME_RE.match(browser_form(value))
    if not match:
        return ""
    return "".join(ch for ch in match.group(1) if ch not in _CONTROLS and ch != "\x7f").lower()


@dataclass(frozen=True)
class Verdict:
    """What to do with one address: keep it, change it (``value``), or drop it (``value`` None)."""

    value: str | None
    problem: str = ""  # "" when kept as it is


def judge_link(href: str) -> Verdict:
    """A link's address: https, mailto, tel and links within the site stay; http:// becomes
    https:// (an office writes http:// out of habit, and the same page is almost always served
    over https; the office is told, to check it); anything else is removed."""
    form = browser_form(href)
    scheme = url_scheme(href)
    if not scheme:
        if form.startswith("//") or form.startswith("\\"):
            return Verdict("https:" + form.replace("\\", "/"), "http")
        return Verdict(href)
    if scheme in LINK_SCHEMES:
        return Verdict(href)
    if scheme == "http":
        return Verdict("https:" + form.split(":", 1)[1], "http")
    return Verdict(None, scheme)


def judge_image(src: str) -> Verdict:
    """An image's address as written: only a file of the project, given by a relative path that
    stays inside the content folder, and an image (not a policy's .md source)."""
    form = browser_form(src)
    if url_scheme(src) or form.startswith(("/", "\\")) or "\\" in form:
        return Verdict(None, "outside")
    path = PurePosixPath(form.split("#", 1)[0].split("?", 1)[0])
    if ".." in path.parts:
        return Verdict(None, "outside")
    return _image_file(src, path)


def judge_resolved_image(src: str) -> Verdict:
    """An image's address once the build has resolved it: relative to the page (the web) or a
    file: address (print, which the PDF renderer's fetcher confines to the project's folders)."""
    form = browser_form(src)
    if url_scheme(src) not in ("", "file") or form.startswith(("//", "\\")) or "\\" in form:
        return Verdict(None, "outside")
    return _image_file(src, PurePosixPath(form.split("#", 1)[0].split("?", 1)[0]))


def _image_file(src: str, path: PurePosixPath) -> Verdict:
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return Verdict(None, "not-image")
    return Verdict(src)


def describe(attr: str, value: str, verdict: Verdict) -> str:
    """A short description of one change, for the office."""
    if attr == "src":
        if verdict.problem == "not-image":
            return f"the image address {value!r} (not an image file)"
        return f"the image address {value!r} (images must be files in the content folder)"
    if verdict.problem == "http":
        return f"changed {value!r} to {verdict.value!r}"
    return f"the {verdict.problem}: address of a link"


@dataclass
class _Filter:
    """nh3's attribute filter: applies the verdicts and remembers what it did, with the
    inventory key of the value it changed (so the change is not reported twice)."""

    image_rule: Callable[[str], Verdict]
    resolve: Callable[[str, str], str] | None = None
    changes: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, tag: str, attr: str, value: str) -> str | None:
        if attr == "href":
            verdict = judge_link(value)
        elif attr == "src":
            verdict = self.image_rule(value)
        else:
            return value
        if verdict.problem:
            self.changes.append((_address_key(attr, value), describe(attr, value, verdict)))
        if verdict.value is not None and self.resolve is not None:
            return self.resolve(attr, verdict.value)
        return verdict.value


def _address_key(name: str, value: str) -> str:
    scheme = url_scheme(value)
    if not scheme:
        return f"{name} attribute"
    return f"the {scheme}: address of " + ("an image" if name == "src" else "a link")


class _Inventory(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items[f"<{tag}>"] += 1
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.items[_address_key(name, value)] += 1
            else:
                self.items[f"{name} attribute"] += 1


def _inventory(html: str) -> Counter[str]:
    parser = _Inventory()
    parser.feed(html)
    parser.close()
    return parser.items


_TAG_RE = re.compile(
    r"""<([a-zA-Z][\w-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*/?>"""
)
_ATTR_RE = re.compile(r"""([^\s=>/]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?""")


def _names(html: str) -> Counter[str]:
    """Tag and attribute names, counted quickly: a document whose names are all still there after
    cleaning lost nothing, and needs no full inventory (which costs three times the cleaning)."""
    names: Counter[str] = Counter()
    for tag, attrs in _TAG_RE.findall(html):
        names[tag.lower()] += 1
        names.update(f"@{name.lower()}" for name in _ATTR_RE.findall(attrs))
    return names


def _nh3(
    html: str,
    tags: set[str],
    attributes: dict[str, set[str]],
    styles: set[str],
    attribute_filter: Callable[[str, str, str], str | None],
) -> str:
    """nh3 with the settings every cleaning shares: our schemes, no rel added, no comments."""
    return nh3.clean(
        html,
        tags=tags,
        attributes=attributes,
        attribute_filter=attribute_filter,
        url_schemes=_NH3_SCHEMES,
        link_rel=None,
        strip_comments=True,
        filter_style_properties=styles,
    )


def _clean(
    html: str,
    tags: set[str],
    attributes: dict[str, set[str]],
    styles: set[str],
    image_rule: Callable[[str], Verdict],
    resolve: Callable[[str, str], str] | None = None,
) -> tuple[str, list[str]]:
    changes = _Filter(image_rule, resolve)
    cleaned = _nh3(html, tags, attributes, styles, changes)
    if _names(html) == _names(cleaned):
        return cleaned, [text for _, text in changes.changes]
    lost = _inventory(html) - _inventory(cleaned)
    # What the filter changed or removed, it describes; the inventory names the rest.
    lost.subtract(key for key, _ in changes.changes)
    return cleaned, sorted(+lost) + [text for _, text in changes.changes]


_START_TAG_RE = re.compile(r"^\s*<([a-zA-Z][\w-]*)\b[^<>]*>\s*$")
_END_TAG_RE = re.compile(r"^\s*</([a-zA-Z][\w-]*)\s*>\s*$")


def clean_html(html: str, resolve: Callable[[str, str], str] | None = None) -> tuple[str, str]:
    """Return the cleaned raw HTML and a short description of what was removed ('' if nothing).
    ``resolve(attribute, value)`` gives the address to publish for each kept href and src.
    Inline HTML comes one tag at a time: a lone ``<a href="...">`` stays open (its text and
    ``</a>`` follow in the Markdown), and the document's last cleaning pass checks the whole."""
    end = _END_TAG_RE.match(html)
    if end and end.group(1).lower() in ALLOWED_TAGS:
        return f"</{end.group(1).lower()}>", ""
    cleaned, removed = _clean(html, ALLOWED_TAGS, ALLOWED_ATTRIBUTES, set(), judge_image, resolve)
    start = _START_TAG_RE.match(html)
    if start and cleaned.endswith(f"</{start.group(1).lower()}>"):
        cleaned = cleaned[: -len(f"</{start.group(1).lower()}>")]
    return cleaned, ", ".join(removed)


def clean_document(html: str) -> tuple[str, list[str]]:
    """The last step of every document, web and print: the whole HTML Markdown made, after
    placeholders and translations, cleaned again; returns it and what was removed or changed
    (nothing, unless something slipped past the earlier checks)."""
    return _clean(html, DOCUMENT_TAGS, DOCUMENT_ATTRIBUTES, {"text-align"}, judge_resolved_image)


def absolute_links(html: str, page_url: str) -> str:
    """A document's links within the site made absolute, against the address of its web page:
    a PDF has no site around it, and a relative link would become a file: address on the
    computer that made it. Links to a place in the document itself (#...) stay as they are."""

    def absolute(tag: str, attr: str, value: str) -> str:
        form = browser_form(value)
        if attr != "href" or url_scheme(value) or form.startswith("#"):
            return value
        return urljoin(page_url, form)

    return _nh3(html, DOCUMENT_TAGS, DOCUMENT_ATTRIBUTES, {"text-align"}, absolute)
