"""EPUB 3 of one policy in one language, for reading apps: the web page's semantic HTML as XHTML,
a navigation document, the language's fonts and the pictures, with EPUB Accessibility 1.1
metadata. The container is written with the standard library, byte for byte the same for the same
inputs."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html import escape as escape_text
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import Any

from markupsafe import Markup

from policypress.content.frontmatter import PolicyMeta
from policypress.content.markdown_ext import Heading
from policypress.errors import PolicyError
from policypress.i18n.catalog import Catalog
from policypress.i18n.languages import FONT_FILES
from policypress.i18n.view import DocumentView
from policypress.layout import find_template_file
from policypress.render.templating import (
    make_environment,
    render_template,
)

MEDIA_TYPE = "application/epub+zip"
TEMPLATES = ("epub/package.opf.xml", "epub/nav.html", "epub/text.html", "epub/style.css")
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
# Every zip entry gets this time: the same inputs give the same bytes (zip's epoch is 1980).
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# When a policy has no dates at all, its "last modified" is this fixed moment, never the clock.
UNDATED = dt.date(2000, 1, 1)

IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}
CONTAINER = """\
<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""
# Arabic-script fonts draw only Arabic-script text (as in the PDFs): Latin words, such as the
# school's name, stay in the Latin font.
ARABIC_RANGE = "U+0600-06FF, U+0750-077F, U+0870-08FF, U+FB50-FDFF, U+FE70-FEFF, U+200C-200F"
SCRIPT_RANGES = {"Noto Naskh Arabic": ARABIC_RANGE, "Noto Nastaliq Urdu": ARABIC_RANGE}
_VOID = {
    "area",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._/-]")


@dataclass(frozen=True)
class EpubBook:
    """What an EPUB needs besides the document's view."""

    root: Path  # the project: its templates and fonts (the school's own copies win)
    school_name: str
    meta: PolicyMeta  # version and dates, from the policy's front matter
    page_url: str  # the policy's web page in this language: the book's identity and a link
    content_dir: Path  # where the document's pictures are (``view.body.images``)
    interface: Catalog | None = None  # the interface strings in the document's language
    notices: Sequence[str] = ()  # HTML paragraphs shown under the title (translation status)


@dataclass(frozen=True)
class Member:
    """One file in the container."""

    name: str
    data: bytes
    media_type: str = ""
    compress: bool = True


@dataclass
class _Converted:
    xhtml: str
    headings: list[Heading] = field(default_factory=list)


def image_href(content_dir: Path) -> Callable[[str], tuple[str, Path | None]]:
    """The image resolver for an EPUB view: a picture in ``content/`` is stored in the book as
    ``media/<its path>`` (a name EPUB readers accept), anything else is left as it is."""
    content = content_dir.resolve()

    def resolve(src: str) -> tuple[str, Path | None]:
        file = (content / src).resolve()
        try:
            relative = file.relative_to(content).as_posix()
        except ValueError:
            return src, None
        return _media_name(relative), file

    return resolve


def _media_name(relative: str) -> str:
    safe = _SAFE_NAME.sub("_", relative)
    if safe != relative:  # two names that differ only in unsafe characters stay apart
        path = PurePosixPath(safe)
        tag = hashlib.sha256(relative.encode("utf-8")).hexdigest()[:8]
        safe = str(path.with_name(f"{path.stem}-{tag}{path.suffix}"))
    return f"media/{safe}"


def book_identifier(page_url: str, lang: str, version: str) -> str:
    """A stable identifier: the same policy, language and version is always the same book."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{page_url}#{lang}@{version}"))


def epub_inputs(view: DocumentView, book: EpubBook) -> list[object]:
    """Everything ``epub_members`` reads, for a cache key: the view's text, the book's facts,
    and the template, font and picture files by path, size and time (cheap to gather, so that
    an unchanged book costs nothing to rebuild)."""
    files = [find_template_file(book.root, name) for name in TEMPLATES]
    for family in view.lang.fonts:
        for style in ("Regular", "Bold"):
            files.append(find_template_file(book.root, f"{FONT_FILES[family]}-{style}.ttf"))
    files += [image.resolve() for image in view.body.images]
    stats = [(str(file), file.stat().st_size, file.stat().st_mtime_ns) for file in files]
    return [
        view.slug,
        repr(view.lang),
        view.title,
        view.summary,
        view.owner,
        view.body.html,
        repr(view.body.headings),
        (view.translated, view.reviewed, view.fallback_blocks),  # the translation notices
        book.school_name,
        repr(book.meta),
        book.page_url,
        str(book.content_dir.resolve()),
        book.interface.source_digest if book.interface else None,
        list(book.notices),
        stats,
    ]


def epub_members(view: DocumentView, book: EpubBook) -> list[Member]:
    """Every file of the book, in the order it is stored (``mimetype`` first)."""
    lang = view.lang
    gettext: Callable[[str], str] = book.interface.gettext if book.interface else (lambda s: s)
    ngettext: Callable[[str, str, int], str] = (
        book.interface.ngettext if book.interface else (lambda s, p, n: s if n == 1 else p)
    )
    templates = make_environment(book.root, lang.code, gettext, ngettext)
    body = to_xhtml(view.body.html)
    notices = [to_xhtml(notice).xhtml for notice in book.notices]
    fonts = _font_members(book.root, lang.fonts)
    images = _image_members(view.body.images, book.content_dir)

    def _(message: str) -> str:  # marks the message for `policypress translations extract`
        return message

    summary_source = _(
        "This book meets WCAG 2.2 level AA. It has a table of contents and a heading for every "
        "section, its reading order follows the text, every picture has a text description, and "
        "its text can be resized and restyled. It has no sound, video or flashing content."
    )
    accessibility_summary = gettext(summary_source)
    # Until a translator has translated it, the summary is English and says so.
    translated = lang.code == "en" or accessibility_summary != summary_source
    modified = book.meta.last_reviewed or book.meta.adopted or UNDATED
    context: dict[str, Any] = {
        "language": lang,
        "title": view.title,
        "summary": view.summary,
        "owner": view.owner,
        "meta": book.meta,
        "school_name": book.school_name,
        "page_url": book.page_url,
        "conforms_to": CONFORMS_TO,
        "accessibility_summary": accessibility_summary,
        "summary_lang": lang.code if translated else "en",
        "identifier": book_identifier(book.page_url, lang.code, book.meta.version),
        "modified": f"{modified.isoformat()}T00:00:00Z",
        "published": (book.meta.adopted or modified).isoformat(),
        "body": Markup(body.xhtml),
        "notices": [Markup(n) for n in notices],
        "toc": _tree(body.headings),
        "fonts": [
            {
                "href": m.name.removeprefix("EPUB/"),
                "family": family,
                "weight": weight,
                "range": SCRIPT_RANGES.get(family, ""),
            }
            for m, (family, weight) in fonts
        ],
        "font_stack": ", ".join(f'"{family}"' for family in lang.fonts),
        "images": [
            {"id": f"image-{n}", "href": m.name.removeprefix("EPUB/"), "type": m.media_type}
            for n, m in enumerate(images, start=1)
        ],
        "has_images": bool(images),
    }
    context["font_items"] = [
        {"id": f"font-{n}", "href": f["href"]} for n, f in enumerate(context["fonts"], start=1)
    ]

    def render(name: str) -> bytes:
        return render_template(templates, name, context).encode("utf-8")

    return [
        Member("mimetype", MEDIA_TYPE.encode("ascii"), compress=False),
        Member("META-INF/container.xml", CONTAINER.encode("utf-8")),
        Member("EPUB/package.opf", render("epub/package.opf.xml")),
        Member("EPUB/nav.xhtml", render("epub/nav.html")),
        Member("EPUB/text.xhtml", render("epub/text.html")),
        Member("EPUB/style.css", render("epub/style.css")),
        *(m for m, _face in fonts),
        *images,
    ]


def write_epub(members: Iterable[Member]) -> bytes:
    """The container: ``mimetype`` first and stored, fixed times and permissions, so that the
    same members always give the same bytes."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in members:
            info = zipfile.ZipInfo(member.name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED if member.compress else zipfile.ZIP_STORED
            info.create_system = 3  # Unix, so the permissions below are read the same way
            info.external_attr = 0o644 << 16
            archive.writestr(info, member.data, compresslevel=6 if member.compress else None)
    return buffer.getvalue()


def render_epub(view: DocumentView, book: EpubBook) -> bytes:
    """The EPUB 3 of ``view`` (a policy in one language), as bytes."""
    return write_epub(epub_members(view, book))


def _font_members(root: Path, families: Sequence[str]) -> list[tuple[Member, tuple[str, int]]]:
    """The fonts the language's text is set in, regular and bold (OFL: embedding is allowed)."""
    found = []
    for family in families:
        for style, weight in (("Regular", 400), ("Bold", 700)):
            file = find_template_file(root, f"{FONT_FILES[family]}-{style}.ttf")
            member = Member(f"EPUB/fonts/{file.name}", file.read_bytes(), "font/ttf")
            found.append((member, (family, weight)))
    return found


def _image_members(images: Sequence[Path], content_dir: Path) -> list[Member]:
    content = content_dir.resolve()
    members: dict[str, Member] = {}
    for image in images:
        file = image.resolve()
        media_type = IMAGE_TYPES.get(file.suffix.lower())
        if media_type is None:
            raise PolicyError(
                f"the picture {file.name!r} cannot go into the EPUB: "
                f"{file.suffix or 'files without an extension'} is not a picture format "
                "reading apps show",
                file,
                hint="Save the picture as PNG, JPEG, GIF, SVG or WebP and link to that file.",
            )
        name = "EPUB/" + _media_name(file.relative_to(content).as_posix())
        members.setdefault(name, Member(name, file.read_bytes(), media_type))
    return [members[name] for name in sorted(members)]


@dataclass
class _Entry:
    heading: Heading
    children: list[_Entry] = field(default_factory=list)


def _tree(headings: Sequence[Heading]) -> list[_Entry]:
    """Section headings as nested lists, a level 3 heading under the level 2 before it."""
    top: list[_Entry] = []
    stack: list[_Entry] = []
    for heading in headings:
        entry = _Entry(heading)
        while stack and stack[-1].heading.level >= heading.level:
            stack.pop()
        (stack[-1].children if stack else top).append(entry)
        stack.append(entry)
    return top


class _XhtmlWriter(HTMLParser):
    """Re-writes an HTML fragment as well-formed XHTML: void elements closed, attributes quoted
    and escaped, ``lang`` repeated as ``xml:lang``; records the section headings as it goes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.headings: list[Heading] = []
        self._heading: tuple[int, str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=tag in _VOID)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        parts = [tag]
        names = {name for name, _value in attrs}
        for name, value in attrs:
            text = name if value is None else value
            parts.append(f'{name}="{escape_text(text, quote=True)}"')
            if name == "lang" and "xml:lang" not in names:
                parts.append(f'xml:lang="{escape_text(text, quote=True)}"')
        self.out.append("<" + " ".join(parts) + (" />" if closed else ">"))
        if closed:
            return
        self.open.append(tag)
        ident = dict(attrs).get("id")
        if re.fullmatch(r"h[2-6]", tag) and ident:
            self._heading = (int(tag[1]), ident, [])

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self.open:
            return
        while self.open:  # close anything the HTML left open inside this element
            last = self.open.pop()
            self.out.append(f"</{last}>")
            if self._heading is not None and last == f"h{self._heading[0]}":
                level, ident, text = self._heading
                self.headings.append(Heading(level, ident, " ".join("".join(text).split())))
                self._heading = None
            if last == tag:
                break

    def handle_data(self, data: str) -> None:
        self.out.append(escape_text(data, quote=False))
        if self._heading is not None:
            self._heading[2].append(data)


def to_xhtml(html: str) -> _Converted:
    """``html`` (a fragment of the web page's HTML) as XHTML, with the headings it contains."""
    writer = _XhtmlWriter()
    writer.feed(html)
    writer.close()
    while writer.open:
        writer.out.append(f"</{writer.open.pop()}>")
    return _Converted("".join(writer.out), writer.headings)
