"""Print HTML for the PDFs: standard, large print, dyslexia-friendly and the parent leaflet. This
module only writes HTML and CSS from the model; the engine hands it to WeasyPrint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from policypress import __version__
from policypress.content.model import Project
from policypress.content.sanitise import absolute_links
from policypress.i18n.catalog import Catalog
from policypress.i18n.languages import Language
from policypress.i18n.view import DocumentView
from policypress.layout import find_template_file
from policypress.render import urls
from policypress.render.notices import Notice, translation_notices
from policypress.render.templating import (
    format_day,
    format_version,
    make_environment,
    render_template,
)
from policypress.render.text_width import TextWidth
from policypress.variants import (
    DYSLEXIA_FRIENDLY,
    LARGE_PRINT,
    LARGE_PRINT_DEFAULT,
    PDF_VARIANTS,
    STANDARD,
    VariantName,
)

A4_WIDTH = 595.276  # pt
MM = 72 / 25.4  # pt
# Between the two sides of a running head or foot (the school's name and the policy's title; the
# version and the page number), at the least.
HEAD_GAP = 2.0  # em

# Counter styles for page numbers: the digits a reader of the language expects.
PAGE_COUNTER_STYLE = {"ar": "arabic-indic"}


@dataclass(frozen=True)
class PrintStyle:
    """The numbers behind one PDF variant."""

    name: str
    body: float  # pt
    line_height: float
    margin_side: str
    furniture: float  # pt
    footnote: float  # pt
    paper: str = "#ffffff"
    ink: str = "#000000"
    link: str = "#00306b"
    rule: str = "#555555"
    h1: float = 2.0
    h2: float = 1.5
    h3: float = 1.25
    h4: float = 1.1
    paragraph_space: str = "0.8em"
    item_space: str = "0.35em"
    letter_spacing: float = 0.0  # em
    word_spacing: float = 0.0  # em
    nastaliq_line_height: float = 2.3
    naskh_line_height: float = 1.8


def print_style(variant: str, large_print_size: float = LARGE_PRINT_DEFAULT) -> PrintStyle:
    """The measures of a PDF variant's print (``variant``: a :data:`VariantName`, or one of the
    leaflet's styles)."""
    if variant == STANDARD.name:
        return PrintStyle(STANDARD.name, STANDARD.body_size or 12, 1.45, "20mm", 10, 10)
    if variant == LARGE_PRINT.name:
        size = large_print_size
        return PrintStyle(
            LARGE_PRINT.name,
            size,
            1.5,
            "20mm",
            furniture=size,
            footnote=size,
            h1=1.6,
            h2=1.35,
            h3=1.15,
            h4=1.0,
            paragraph_space="1.5em",  # one blank line at the body size (UKAAF)
            item_space="0.6em",
            link="#000000",
            rule="#000000",
            nastaliq_line_height=2.4,
            naskh_line_height=1.9,
        )
    if variant == DYSLEXIA_FRIENDLY.name:
        return PrintStyle(
            DYSLEXIA_FRIENDLY.name,
            DYSLEXIA_FRIENDLY.body_size or 12,
            1.6,
            "18mm",
            furniture=11,
            footnote=11,
            paper="#fbf5e6",  # cream, no white glare
            ink="#222222",  # dark grey, not pure black
            link="#1f3d7a",
            h1=1.9,
            h2=1.5,
            h3=1.25,
            h4=1.2,
            paragraph_space="1.2em",
            item_space="0.5em",
            # BDA: letter spacing about 35% of the average letter width (0.487 em in Atkinson
            # Hyperlegible Next), and word spacing at least 3.5 times that.
            letter_spacing=0.17,
            word_spacing=0.3,
            nastaliq_line_height=2.4,
            naskh_line_height=1.9,
        )
    raise ValueError(f"unknown print variant {variant!r}")


# The leaflet's body sizes, tried from the largest down until the leaflet fits on one A4 page:
# never under 12 pt (RNIB Clear Print), and as large as the page allows.
LEAFLET_SIZES = (14.0, 13.5, 13.0, 12.5, 12.0)
# Arabic-script faces look smaller than Latin at the same point size. Measured on rendered
# samples: the middle half of Noto Naskh Arabic's ink is 13 px high where Atkinson Hyperlegible
# Next's x-height band is 17 px (at 40 pt, 100 dpi), so Naskh is set 1.25 times larger.
# Nastaliq's letters sit on a slanting baseline, which defeats that measure; judged by eye on
# the same samples, its letter bodies are about 5% smaller than the Latin x-height. IBM Plex Sans
# Arabic (the Arabic PDFs' font), measured the same way at 300 dpi: 45 px against Atkinson's
# 52 px, so 1.15 (Naskh measures 41 px there).
SCRIPT_SCALE = {"IBM Plex Sans Arabic": 1.15, "Noto Naskh Arabic": 1.25, "Noto Nastaliq Urdu": 1.05}


def leaflet_sizes(first_font: str) -> tuple[float, ...]:
    """The body sizes a leaflet is tried at, largest first: the Latin sizes scaled for the
    script, then, for a script set larger, further steps down to 12 pt, so that a long
    translation still fits on one page at Clear Print's minimum (as large as the page allows,
    if not as large as the Latin looks)."""
    scale = SCRIPT_SCALE.get(first_font, 1.0)
    sizes = [round(size * scale * 4) / 4 for size in LEAFLET_SIZES]
    floor = LEAFLET_SIZES[-1]
    step = sizes[-1] - 0.5
    while step >= floor:
        sizes.append(step)
        step -= 0.5
    return tuple(dict.fromkeys(sizes))


def leaflet_style(body: float) -> PrintStyle:
    """The leaflet's measures at a body size of ``body`` pt. Nastaliq at 1.45 line heights (1.5
    before): the Urdu leaflet fits at 12.5 pt (≈11.9 pt Latin) where it fitted at 12; looked
    at in 150 dpi renders, no line's letters or marks touch the next line's. Arabic would
    need 1.25 (from 1.45) for its next size up, 14.25 pt: too tight for vowel marks."""
    return PrintStyle(
        "leaflet", body, 1.35, "12mm", 11, 11, h1=1.75, h2=1.2, h3=1.1,
        paragraph_space="0.35em", item_space="0.15em", nastaliq_line_height=1.45,
        naskh_line_height=1.45,
    )  # fmt: skip


def _css_string(text: str) -> str:
    """Text inside a CSS string in a <style> element: a translation or the school's name can
    neither end the string nor the element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return escaped.replace("<", "\\3C ").replace(">", "\\3E ")


class PrintRenderer:
    """Writes the print HTML of one language's documents."""

    def __init__(
        self, project: Project, lang: Language, interface: Catalog | None, large_print_size: float
    ) -> None:
        self.project = project
        self.lang = lang
        gettext: Callable[[str], str] = interface.gettext if interface else (lambda s: s)
        self._ = gettext
        self.env = make_environment(
            project.root,
            lang.code,
            gettext,
            interface.ngettext if interface else (lambda s, p, n: s if n == 1 else p),
        )
        self.large_print_size = large_print_size
        self.titles: dict[str, str] = {}
        self.fonts_url = find_template_file(
            project.root, "assets/fonts/atkinson-hyperlegible-next/OFL.txt"
        ).parent.parent.as_uri()
        self._measure: TextWidth | None = None

    def _font_stack(self) -> str:
        return ", ".join(f'"{family}"' for family in self.lang.print_fonts)

    def _page_rules(self, style: PrintStyle, view: DocumentView, furniture: bool) -> str:
        if not furniture:
            margin = f"0 {style.margin_side} 8mm {style.margin_side}"
            return f"@page {{ size: A4 portrait; margin: {margin}; background: {style.paper}; }}"
        _ = self._
        doc = self.project.policy(view.slug)
        assert doc is not None
        heads, lines = self._running_head(style, self.project.config.school.name, view.title)
        version = format_version(doc.meta.version, self.lang.code)
        review = format_day(doc.meta.next_review, self.lang.code) or "–"
        foot_start = [
            _("Version %(version)s") % {"version": version},
            _("Next review: %(date)s") % {"date": review},
        ]
        page_text = _("Page %(page)s of %(pages)s")
        before, _sep, rest = page_text.partition("%(page)s")
        middle, _sep, after = rest.partition("%(pages)s")
        counter = PAGE_COUNTER_STYLE.get(self.lang.code, "decimal")
        page_content = (
            f'"{_css_string(before)}" counter(page, {counter}) "{_css_string(middle)}" '
            f'counter(pages, {counter}) "{_css_string(after)}"'
        )
        feet, foot_lines = self._running_foot(style, foot_start, before + "88" + middle + "88")
        line = style.furniture * 1.35
        top = f"calc(14mm + {lines * line:.1f}pt)"
        bottom = f"calc(14mm + {foot_lines * line:.1f}pt)"
        start, end = ("right", "left") if self.lang.rtl else ("left", "right")
        box = (
            f"font-family: {self._font_stack()}; font-size: {style.furniture:g}pt; "
            f"color: {style.ink}; line-height: 1.35; letter-spacing: normal; word-spacing: normal;"
        )
        head_rules = "\n".join(
            f'  @top-{side} {{ content: "{_css_string(text)}"; {box} vertical-align: bottom;\n'
            f"    padding-bottom: 5mm; text-align: {side}; }}"
            for side, text in zip((start, end), heads, strict=False)
        )
        version_lines = f'"{_css_string(chr(10).join(foot_start))}"'
        if feet == 2:
            foot_boxes = [(start, version_lines), (end, page_content)]
        else:
            foot_boxes = [(start, f'{version_lines} "\\A " {page_content}')]
        foot_rules = "\n".join(
            f"  @bottom-{side} {{ content: {content}; {box} vertical-align: top;\n"
            f"    padding-top: 5mm; white-space: pre-wrap; text-align: {side}; }}"
            for side, content in foot_boxes
        )
        return f"""@page {{
  size: A4 portrait;
  margin: {top} {style.margin_side} {bottom} {style.margin_side};
  background: {style.paper};
{head_rules}
{foot_rules}
}}"""

    def _running_head(self, style: PrintStyle, school: str, title: str) -> tuple[list[str], int]:
        """What the running head says, at the start side and then the end side, and how many
        lines it takes: the school's full name and the policy's title where both fit on one
        line with room between them; else the title alone, across the page (wrapped if it
        must be, the page's top margin holding every line). Never a shortened school name:
        "Kettleshulme St James" for "… CE (VA) Primary School" reads as cut off."""
        measure, width = self._text_width(style)
        if measure.em(school) + HEAD_GAP + measure.em(title) <= width:
            return [school, title], 1
        return [title], measure.lines(title, width)

    def _running_foot(
        self, style: PrintStyle, lines: list[str], page_number: str
    ) -> tuple[int, int]:
        """Into how many boxes the page foot goes, and how many lines it takes: the version and
        review lines at the start side and the page number at the end where they fit side by
        side; else all of them at the start side, one under the other (wrapped if they must
        be: in large print at 40 pt the two sides ran into each other)."""
        measure, width = self._text_width(style)
        widest = max(measure.em(text) for text in lines)
        if widest + HEAD_GAP + measure.em(page_number) <= width:
            return 2, len(lines)
        return 1, sum(measure.lines(text, width) for text in [*lines, page_number])

    def _text_width(self, style: PrintStyle) -> tuple[TextWidth, float]:
        """The measure of this language's print fonts, and the width of a page's furniture in
        em of its size."""
        if self._measure is None:
            self._measure = TextWidth(self.fonts_css(), self.lang.print_fonts)
        side = float(style.margin_side.removesuffix("mm")) * MM
        return self._measure, (A4_WIDTH - 2 * side) / style.furniture

    def stylesheet(self, style: PrintStyle, view: DocumentView, furniture: bool = True) -> str:
        values: dict[str, Any] = {
            "fonts": self.fonts_url,
            "font_stack": self._font_stack(),
            "body_size": f"{style.body:g}pt",
            "line_height": style.line_height,
            "ink": style.ink,
            "paper": style.paper,
            "link_color": style.link,
            "rule": style.rule,
            "h1_size": f"{style.body * style.h1:g}pt",
            "h2_size": f"{style.body * style.h2:g}pt",
            "h3_size": f"{style.body * style.h3:g}pt",
            "h4_size": f"{style.body * style.h4:g}pt",
            "lead_size": f"{style.body * (1.0 if style.name == 'large-print' else 1.1):g}pt",
            "footnote_size": f"{style.footnote:g}pt",
            "paragraph_space": style.paragraph_space,
            "item_space": style.item_space,
            "letter_spacing": f"{style.letter_spacing:g}em",
            "word_spacing": f"{style.word_spacing:g}em",
            "margin_side": style.margin_side,
            "nastaliq_line_height": style.nastaliq_line_height,
            "naskh_line_height": style.naskh_line_height,
            "page_rules": Markup(self._page_rules(style, view, furniture)),
            # The contents list numbers its pages as the page footers do.
            "page_counter": PAGE_COUNTER_STYLE.get(self.lang.code, "decimal"),
        }
        stylesheets: dict[str, str] = {v.name: v.stylesheet for v in PDF_VARIANTS if v.stylesheet}
        stylesheets["leaflet"] = "leaflet.css"
        variant_file = stylesheets.get(style.name)
        values["variant_rules"] = (
            Markup(self._render_css(f"print/{variant_file}", values)) if variant_file else ""
        )
        return self._render_css("print/base.css", values)

    def _render_css(self, name: str, values: dict[str, Any]) -> str:
        return render_template(self.env, name, values)

    def _common(self, view: DocumentView, style: PrintStyle, furniture: bool) -> dict[str, Any]:
        doc = self.project.policy(view.slug)
        assert doc is not None
        school = self.project.config.school
        created = _iso(doc.meta.adopted or doc.meta.last_reviewed)
        modified = _iso(doc.meta.last_reviewed or doc.meta.adopted)
        return {
            "language": self.lang,
            "school": school,
            "version": __version__,
            "created": created,
            "modified": modified,
            "subject": view.summary or view.title,
            "keywords": ", ".join([school.short_name, view.title, style.name]),
            "css": Markup(self.stylesheet(style, view, furniture)),
            "notices": self.notices(view),
            "english": self.english_url(view.slug),
            "policy_title": self.policy_title(view.slug),
            "page_url": urls.public_url(
                self.project.config.site.base_url, urls.policy_page(view.slug, self.lang.code)
            ),
        }

    def notices(self, view: DocumentView) -> list[Notice]:
        """The translation notices, in the reader's language, at the top of the first page."""
        return translation_notices(view, self.project, self.lang.code, self._)

    def english_url(self, slug: str) -> str:
        """The English policy's public address, written out on paper."""
        return urls.public_url(self.project.config.site.base_url, urls.policy_page(slug, "en"))

    def notices_html(self, view: DocumentView) -> list[Markup]:
        """The notices as print shows them, as HTML paragraphs (for the EPUB)."""
        macros = self.env.env.get_template("_notices.html").module
        english = self.english_url(view.slug)
        return [
            Markup(macros.translation_notice(notice, english, "print"))  # type: ignore[attr-defined]
            for notice in self.notices(view)
        ]

    def policy_document(self, view: DocumentView, variant: VariantName) -> str:
        style = print_style(variant, self.large_print_size)
        doc = self.project.policy(view.slug)
        assert doc is not None
        context = self._common(view, style, furniture=True)
        context.update(
            variant=variant,
            title=view.title,
            summary=view.summary,
            owner=view.owner,
            meta=doc.meta,
            headings=view.body.headings,
            body=Markup(absolute_links(view.body.html, context["page_url"])),
        )
        return render_template(self.env, "print/document.html", context)

    def policy_title(self, slug: str) -> str:
        """The policy's title in this language (as set by whoever rendered its view)."""
        if slug in self.titles:
            return self.titles[slug]
        doc = self.project.policy(slug)
        return doc.meta.title if doc else slug

    def fonts_css(self) -> str:
        return render_template(self.env, "print/fonts.css", {"fonts": self.fonts_url})

    def leaflet_sizes(self) -> tuple[float, ...]:
        """The body sizes the leaflet is tried at in this language, largest first: the PDF is
        the largest that fits on one page (see :func:`leaflet_sizes`)."""
        return leaflet_sizes(self.lang.print_fonts[0])

    def leaflet_documents(
        self, view: DocumentView, qr_src: str, sizes: Sequence[float]
    ) -> tuple[str, ...]:
        """The leaflet at each of ``sizes``."""
        return tuple(self.leaflet_document(view, qr_src, size) for size in sizes)

    def leaflet_document(
        self, view: DocumentView, qr_src: str, size: float = LEAFLET_SIZES[-1]
    ) -> str:
        style = leaflet_style(size)
        doc = self.project.policy(view.slug)
        assert doc is not None
        context = self._common(view, style, furniture=False)
        _ = self._
        version = format_version(doc.meta.version, self.lang.code)
        leaflet_url = urls.public_url(
            self.project.config.site.base_url, urls.leaflet_page(view.slug, self.lang.code)
        )
        context.update(
            title=view.title,
            body=Markup(absolute_links(view.body.html, leaflet_url)),
            policy_url=context["page_url"],
            qr_src=qr_src,
            footer_line=_("From the %(policy)s, version %(version)s, last reviewed %(date)s.")
            % {
                "policy": context["policy_title"],
                "version": version,
                "date": format_day(doc.meta.last_reviewed, self.lang.code) or "–",
            },
        )
        return render_template(self.env, "print/leaflet.html", context)


def _iso(value: dt.date | None) -> str:
    return f"{value.isoformat()}T00:00:00Z" if value else ""
