"""The website: home, policy, leaflet, formats, accessibility statement and 404 pages, and the
sitemap, for one language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from typing import Any

from markupsafe import Markup, escape

from policypress import __version__
from policypress.content.attachments import file_size
from policypress.content.lang_spans import catalog_html, plain
from policypress.content.model import Project
from policypress.i18n.catalog import Catalog
from policypress.i18n.languages import Language
from policypress.i18n.view import DocumentView
from policypress.render import urls
from policypress.render.braille import braille_code
from policypress.render.files import BuiltFile
from policypress.render.notices import Notice, translation_notices
from policypress.render.templating import (
    format_size,
    format_version,
    make_environment,
    native_digits,
    render_template,
)
from policypress.render.webfonts import WebAssets
from policypress.variants import DYSLEXIA_FRIENDLY, LARGE_PRINT, STANDARD

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"
)


def _(message: str) -> str:
    """Marks a string for the translators' catalog; the pages translate it when shown."""
    return message


# What each kind of attached file is called (content/attachments.py's KINDS), in the catalog.
ATTACHMENT_KINDS = (
    _("PDF"),
    _("Word document"),
    _("OpenDocument text"),
    _("Rich Text document"),
    _("text file"),
    _("Excel spreadsheet"),
    _("OpenDocument spreadsheet"),
    _("CSV spreadsheet"),
    _("PowerPoint presentation"),
    _("OpenDocument presentation"),
    _("ZIP archive"),
)


class SiteRenderer:
    """Renders the pages of one language."""

    TEMPLATES = (
        "policy.html",
        "leaflet.html",
        "home.html",
        "statement.html",
        "formats.html",
        "404.html",
        "changes.html",
    )

    def __init__(
        self,
        project: Project,
        lang: Language,
        interface: Catalog | None,
        languages: Sequence[Language],
        assets: WebAssets | None = None,
        unpublished: Collection[tuple[str, str]] = frozenset(),
    ) -> None:
        """``unpublished``: (policy, language) for each language a policy is not published in
        (it has no translation yet): no page links to it there, and no alternate names it."""
        self.project = project
        self.unpublished = frozenset(unpublished)
        # The published (fingerprinted) name of each asset: url("assets/site.css") finds it.
        self.assets = assets or WebAssets()
        self.lang = lang
        self.languages = list(languages)
        gettext: Callable[[str], str] = interface.gettext if interface else (lambda s: s)
        ngettext: Callable[[str, str, int], str] = (
            interface.ngettext if interface else (lambda s, p, n: s if n == 1 else p)
        )
        # Interface strings are text; the only markup a translator may write is a language
        # mark, [words]{lang=en}, which becomes a span (self.gettext: plain text, for titles).
        self._: Callable[[str], Markup] = lambda message: catalog_html(gettext(message))
        self.gettext: Callable[[str], str] = lambda message: plain(gettext(message))
        self.env = make_environment(project.root, lang.code, gettext, ngettext)

    def published(self, target: str) -> str:
        """The name a file is published under (assets carry a hash of their bytes)."""
        return self.assets.names.get(target, target)

    # -- shared context -------------------------------------------------------------------
    def _context(
        self,
        page: str,
        current: str,
        title: str,
        page_for: Callable[[str], str] | None,
        description: str = "",
    ) -> dict[str, Any]:
        config = self.project.config
        code = self.lang.code
        switcher = []
        alternates = []
        if page_for is not None:
            folder = urls.top_folder(page, code)
            for other in self.languages:
                target = page_for(other.code)
                published = (folder, other.code) not in self.unpublished
                switcher.append(
                    {
                        "code": other.code,
                        "direction": other.direction,
                        "autonym": other.autonym,
                        # A policy not in that language: its home page, which lists the policy
                        # as available in English (a link in the switcher leads somewhere in
                        # the reader's language on every page).
                        "href": urls.relative(
                            page, target if published else urls.home_page(other.code)
                        ),
                        "current": other.code == code,
                    }
                )
                if not published:
                    continue
                alternates.append(
                    {
                        "code": other.code,
                        "public_url": urls.public_url(config.site.base_url, target),
                    }
                )
            alternates.append(
                {
                    "code": "x-default",
                    "public_url": urls.public_url(config.site.base_url, page_for("en")),
                }
            )
        return {
            "language": self.lang,
            "school": config.school,
            "site": config.site,
            "page_title": title,
            "description": description,
            "version": __version__,
            "csp": CSP,
            "url": lambda target: urls.relative(page, self.published(target)),
            "preloads": [urls.relative(page, p) for p in self.assets.preloads(self.lang.fonts[0])],
            "home": urls.home_page(code),
            "statement": urls.statement_page(code),
            "formats_index": urls.formats_page(code),
            "complaints_url": config.site.complaints_policy_url,
            "current": current,
            "switcher": switcher,
            "alternates": alternates,
            "canonical": urls.public_url(config.site.base_url, page),
            # The governors' review page (English) is in the navigation only if the school says.
            "reviews_page": "reviews.html" if config.reviews.public else "",
        }

    def render(self, template: str, context: dict[str, Any]) -> str:
        return render_template(self.env, template, context)

    # -- notices ----------------------------------------------------------------------------
    def translation_notices(self, view: DocumentView) -> list[Notice]:
        """What a reader of a translation must be told: unchecked, out of date, which version."""
        return translation_notices(view, self.project, self.lang.code, self._)

    # -- pages --------------------------------------------------------------------------------
    def policy_page(self, view: DocumentView, files: Sequence[BuiltFile]) -> str:
        from policypress.versions.pages import history_rows as version_history

        code = self.lang.code
        page = urls.policy_page(view.slug, code)
        context = self._context(
            page,
            "policy",
            view.title,
            lambda other: urls.policy_page(view.slug, other),
            view.summary,
        )
        doc = self.project.policy(view.slug)
        assert doc is not None
        context.update(
            title=view.title,
            summary=view.summary,
            owner=view.owner,
            english_fields=view.english_fields if view.translated else frozenset(),
            meta=doc.meta,
            headings=view.body.headings,
            body=Markup(view.body.html),
            notices=self.translation_notices(view),
            english=urls.relative(page, urls.policy_page(view.slug, "en")),
            formats=[self._format_link(page, f) for f in files],
            attachments=[
                {
                    "href": a.href,
                    "label": a.label,
                    "facts": Markup("{}, {}").format(
                        self._(a.kind), native_digits(file_size(a.size), self.lang.code)
                    ),
                }
                for a in view.body.attachments
            ],
            history=version_history(self, view, page),
        )
        return self.render("policy.html", context)

    def format_label(self, file: BuiltFile) -> Markup:
        _ = self._
        size = self.project.config.print.large_print_size
        labels = {
            STANDARD.name: _("Standard PDF (A4, 12 pt)"),
            LARGE_PRINT.name: _("Large print PDF (A4, %(size)s pt)")
            % {
                "size": format_version(f"{size:g}", self.lang.code)  # the page's digits
            },
            DYSLEXIA_FRIENDLY.name: _("Dyslexia-friendly PDF (A4, cream paper)"),
            "epub": _("EPUB (for reading apps, with adjustable text)"),
            "leaflet": _("One-page leaflet for parents (PDF)"),
            "leaflet-page": _("One-page leaflet for parents (web page)"),
            "leaflet-braille": _("One-page leaflet for parents (braille, BRF)"),
        }
        if file.variant == "braille":
            code = braille_code(file.lang or "")
            return _(code.description) if code else escape(file.path)
        return labels.get(file.variant or "", escape(file.path))

    def _format_link(self, page: str, file: BuiltFile) -> dict[str, Any]:
        # A web page's label says so already ("... (web page)"); files say how big they are.
        facts = "" if file.kind == "page" else format_size(file.size, self.lang.code)
        if file.pending:  # the preview: made in the background, then the page reloads
            facts = self._("being prepared")
        return {
            "href": None if file.pending else urls.relative(page, file.path),
            "label": self.format_label(file),
            "facts": facts,
            "mime": mime_type(file.path),
            "text_href": (
                urls.relative(page, braille_text_path(file.path))
                if file.kind == "braille" and not file.pending
                else ""
            ),
        }

    def leaflet_page(
        self, view: DocumentView, files: Sequence[BuiltFile], policy_title: str
    ) -> str:
        code = self.lang.code
        page = urls.leaflet_page(view.slug, code)
        context = self._context(
            page,
            "leaflet",
            view.title,
            lambda other: urls.leaflet_page(view.slug, other),
            view.summary,
        )
        context.update(
            title=view.title,
            english_fields=view.english_fields if view.translated else frozenset(),
            policy_href=urls.policy_page(view.slug, code),
            policy_title=policy_title,
            body=Markup(view.body.html),
            notices=self.translation_notices(view),
            english=urls.relative(page, urls.leaflet_page(view.slug, "en")),
            qr=urls.leaflet_qr(view.slug, code),
            formats=[self._format_link(page, f) for f in files if f.variant != "leaflet-page"],
        )
        return self.render("leaflet.html", context)

    def home_page(
        self, views: Sequence[DocumentView], english_only: Sequence[DocumentView] = ()
    ) -> str:
        """The language's list of policies; ``english_only``: the English views of those not
        published in it, listed apart, each linking to its English page."""
        code = self.lang.code
        page = urls.home_page(code)
        context = self._context(page, "home", self.gettext("School policies"), urls.home_page)
        entries = []
        for view in views:
            doc = self.project.policy(view.slug)
            assert doc is not None
            entries.append(
                {
                    "href": urls.relative(page, urls.policy_page(view.slug, code)),
                    "title": view.title,
                    "summary": view.summary,
                    "last_reviewed": doc.meta.last_reviewed,
                    "next_review": doc.meta.next_review,
                }
            )
        english = [
            {
                "href": urls.relative(page, urls.policy_page(view.slug, "en")),
                "title": view.title,
            }
            for view in english_only
        ]
        context.update(entries=entries, english_only=english, notices=[])
        return self.render("home.html", context)

    def statement_page(self, prepared: dt.date | None) -> str:
        page = urls.statement_page(self.lang.code)
        context = self._context(
            page, "statement", self.gettext("Accessibility statement"), urls.statement_page
        )
        site = self.project.config.site
        contact = site.accessibility_contact
        context.update(
            site_name=self.project.config.school.name,
            prepared=prepared,
            contact_email=contact if "@" in contact else self.project.config.school.email,
        )
        return self.render("statement.html", context)

    def formats_page(
        self, groups: Sequence[tuple[str, str, Sequence[BuiltFile]]], languages: dict[str, Language]
    ) -> str:
        page = urls.formats_page(self.lang.code)
        context = self._context(
            page, "formats", self.gettext("Formats and languages"), urls.formats_page
        )
        rendered_groups = []
        for group_id, title, built in groups:
            files = self._with_leaflet_pages(group_id, built, languages)
            rendered_groups.append(
                {
                    "id": group_id,
                    "title": title,
                    # A policy not in this page's language is listed with its English title.
                    "english": (group_id, self.lang.code) in self.unpublished,
                    "files": [
                        {
                            "lang": languages[f.lang or "en"],
                            "href": urls.relative(page, f.path),
                            "kind_label": self.format_label(f),
                            "size": None if f.kind == "page" else f.size,
                            "mime": mime_type(f.path),
                            "text_href": (
                                urls.relative(page, braille_text_path(f.path))
                                if f.kind == "braille"
                                else ""
                            ),
                        }
                        for f in files
                        if not f.pending  # the preview lists them once they are made
                    ],
                }
            )
        context.update(groups=rendered_groups)
        return self.render("formats.html", context)

    def _with_leaflet_pages(
        self, slug: str, files: Sequence[BuiltFile], languages: dict[str, Language]
    ) -> list[BuiltFile]:
        """Every language's leaflet web page, also those of languages whose pages are made after
        this one (the engine makes each language's pages in turn), after that leaflet's PDF."""
        if slug not in self.project.leaflets:
            return list(files)
        listed: list[BuiltFile] = []
        for code in languages:
            if (slug, code) in self.unpublished:
                continue
            own = [f for f in files if (f.lang or "en") == code and f.variant != "leaflet-page"]
            page = BuiltFile(
                urls.leaflet_page(slug, code), "page", slug, code, "leaflet-page", 0, ""
            )
            after = next((i + 1 for i, f in enumerate(own) if f.variant == "leaflet"), len(own))
            listed += [*own[:after], page, *own[after:]]
        return listed

    def not_found_page(self) -> str:
        page = "404.html"
        context = self._context(page, "404", self.gettext("Page not found"), None)
        context["canonical"] = ""
        # The 404 page is served at any depth, so its links start from the site's own path.
        prefix = urls.site_path(self.project.config.site.base_url)
        context["url"] = lambda target: urls.rooted(prefix, self.published(target))
        context["preloads"] = [
            urls.rooted(prefix, p) for p in self.assets.preloads(self.lang.fonts[0])
        ]
        return self.render("404.html", context)


def braille_text_path(path: str) -> str:
    """The Unicode-braille text made beside a BRF file."""
    return path.removesuffix(".brf") + ".braille.txt"


def mime_type(path: str) -> str:
    """The type a download link announces (BRF has no registered type: it is ASCII text)."""
    if path.endswith(".pdf"):
        return "application/pdf"
    if path.endswith(".brf"):
        return "text/plain"
    if path.endswith(".epub"):
        return "application/epub+zip"
    return "text/html"
