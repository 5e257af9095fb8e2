"""The ``Site``: what every generator (and ``check``) reads, made once per build and not changed
after: the project and its settings, the languages, their catalogs and the documents' views."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Self

from policypress.checks import heading_levels, link_targets, rendering_findings, stale_translations
from policypress.content.attachments import find_file, safe_name
from policypress.content.model import LeafletDocument, PolicyDocument, Project
from policypress.content.reader import CONTENT_DIR, read_project, skipped_files
from policypress.engine.cache import ObjectCache
from policypress.engine.fingerprint import package_fingerprint
from policypress.engine.memo import memoised
from policypress.engine.options import BuildOptions
from policypress.engine.stamp import files_with_sizes
from policypress.errors import Finding, PolicyError, raise_if_errors
from policypress.hashing import digest, input_key
from policypress.i18n.availability import has_translation, translated_pairs
from policypress.i18n.catalog import (
    INTERFACE_DOMAIN,
    TRANSLATIONS_DIR,
    Catalog,
    available_languages,
    catalog_path,
    leaflet_domain,
    load_catalog,
)
from policypress.i18n.languages import SOURCE_LANGUAGE, Language, language
from policypress.i18n.view import DocumentView, document_view
from policypress.render import urls
from policypress.render.templating import cache_compiled_templates

if TYPE_CHECKING:
    from policypress.render.webfonts import WebAssets

ImageResolver = Callable[[str], tuple[str, Path | None]]
# A link to a policy from a page: its address, and the language it is in when that is not the
# page's (a policy not yet translated is linked in English).
PolicyResolver = Callable[[str], tuple[str, str | None]]


@dataclass(frozen=True)
class LanguageCatalogs:
    """Every catalog one language has: the interface, and each policy's and leaflet's."""

    lang: Language
    interface: Catalog | None
    documents: dict[str, Catalog]


@dataclass(frozen=True)
class Site:
    """One build's shared, read-only context. Views are keyed by (slug, language code)."""

    root: Path
    options: BuildOptions
    project: Project
    languages: tuple[Language, ...]
    catalogs: dict[str, LanguageCatalogs]
    cache: ObjectCache
    content_listing: str
    # (policy, language) for each language other than English a policy is published in: the
    # one rule, in policypress.i18n.availability; superseded versions follow their policy.
    translated: frozenset[tuple[str, str]] = frozenset()
    views: dict[tuple[str, str], DocumentView] = field(default_factory=dict)
    leaflet_views: dict[tuple[str, str], DocumentView] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()

    @property
    def large_print_size(self) -> float:
        return self.options.large_print_size or self.project.config.print.large_print_size

    @functools.cached_property
    def web_assets(self) -> WebAssets:
        """The web fonts, stylesheet and icon (fingerprinted), stored once when first asked."""
        from policypress.render.webfonts import publish_assets

        return publish_assets(self.root, self.cache)

    def media(self) -> dict[str, Path]:
        """The pictures the web pages show, by site path."""
        content = (self.root / CONTENT_DIR).resolve()
        found: dict[str, Path] = {}
        for view in [*self.views.values(), *self.leaflet_views.values()]:
            for image in view.body.images:
                relative = image.resolve().relative_to(content)
                found[f"media/{relative.as_posix()}"] = image
        return found

    # -- which policies are published in which language ---------------------------------------
    def publishes(self, name: str, lang: str) -> bool:
        """Whether the policy (or a superseded version of it, ``slug@version``), its leaflet
        and all their files are published in ``lang``: English always, another language only
        where the policy has a translation."""
        slug, _version = urls.split_version(name)
        return lang == SOURCE_LANGUAGE or (slug, lang) in self.translated

    def policies_in(self, lang: str) -> list[PolicyDocument]:
        return [doc for doc in self.project.policies if self.publishes(doc.slug, lang)]

    def english_only(self, lang: str) -> list[PolicyDocument]:
        """The policies a reader of ``lang`` finds in English only (none for English)."""
        return [doc for doc in self.project.policies if not self.publishes(doc.slug, lang)]

    @functools.cached_property
    def unpublished(self) -> frozenset[tuple[str, str]]:
        """(policy, language) for each language a policy is not published in."""
        return frozenset(
            (doc.slug, lang.code) for lang in self.languages for doc in self.english_only(lang.code)
        )

    def policy_target(self, slug: str, lang: str) -> str:
        """The page a link to the policy leads to from a page in ``lang``: the policy in that
        language if it is published in it, otherwise in English."""
        return urls.policy_page(slug, lang if self.publishes(slug, lang) else SOURCE_LANGUAGE)

    def policy_hreflang(self, slug: str, lang: str) -> str | None:
        """The language of the page a link from ``lang`` leads to, when it is not ``lang``."""
        return None if self.publishes(slug, lang) else SOURCE_LANGUAGE

    # -- views -------------------------------------------------------------------------------
    def local_folder(self, doc: PolicyDocument | LeafletDocument) -> Path:
        """Where the pictures and files a document links to are (an archived version keeps
        its own copies): addresses in its text are relative to this folder."""
        return self.root / CONTENT_DIR

    def media_path(self, doc: PolicyDocument | LeafletDocument, relative: str) -> str:
        """The site path of a picture a document shows (``relative`` to its local folder)."""
        return f"media/{relative}"

    def resolve_image(
        self, page: str, doc: PolicyDocument | LeafletDocument | None = None
    ) -> ImageResolver:
        """Pictures as the web page ``page`` links to them (those of ``doc``'s local folder)."""
        content = self.local_folder(doc) if doc is not None else self.root / CONTENT_DIR

        def resolve(src: str) -> tuple[str, Path | None]:
            file = (content / src).resolve()
            try:
                relative = file.relative_to(content.resolve()).as_posix()
            except ValueError:
                return src, None
            target = self.media_path(doc, relative) if doc is not None else f"media/{relative}"
            return urls.relative(page, target), file

        return resolve

    def print_images(self, doc: PolicyDocument | LeafletDocument) -> ImageResolver:
        """Pictures as print HTML loads them: by file address, from ``doc``'s local folder."""
        content = self.local_folder(doc).resolve()

        def resolve(src: str) -> tuple[str, Path | None]:
            file = (content / src).resolve()
            return file.as_uri(), file

        return resolve

    def resolve_policy(self, lang: str, page: str) -> PolicyResolver:
        return lambda slug: (
            urls.relative(page, self.policy_target(slug, lang)),
            self.policy_hreflang(slug, lang),
        )

    def public_policy(self, lang: str) -> PolicyResolver:
        """Links to policies from print and EPUBs in ``lang``: by their public address."""
        base = self.project.config.site.base_url
        return lambda slug: (
            urls.public_url(base, self.policy_target(slug, lang)),
            self.policy_hreflang(slug, lang),
        )

    def resolve_file(self, doc: PolicyDocument | LeafletDocument, purpose: str) -> ImageResolver:
        """A link to a form or document: the file in the content folder, published with the
        policy; linked relatively from a page of the site, by its public address from print."""
        content = self.local_folder(doc)

        def resolve(href: str) -> tuple[str, Path | None]:
            file = find_file(href, content, doc.path)
            if file is None:
                return href, None
            target = urls.attachment_file(doc.slug, safe_name(file.name))
            if purpose.endswith(".html"):
                return urls.relative(purpose, target), file
            return urls.public_url(self.project.config.site.base_url, target), file

        return resolve

    def view(
        self,
        doc: PolicyDocument | LeafletDocument,
        lang: Language,
        catalog: Catalog | None,
        purpose: str,
        resolve_image: ImageResolver,
        resolve_policy: PolicyResolver,
    ) -> DocumentView:
        """A document in a language, converted once and then reused until its inputs change.
        ``purpose`` names what the resolvers produce (the page it is shown on, or print)."""
        labels = self.body_labels(lang)
        variables = self.variables(doc.slug, lang.code)
        key = input_key(
            "view",
            str(doc.path),
            doc.body,
            doc.body_line,
            repr(doc.meta),
            lang.code,
            catalog.source_digest if catalog else None,
            labels,
            variables,
            purpose,
            self.content_listing,
            # Links to the policies not published in this language go to their English pages.
            sorted(slug for slug, code in self.translated if code == lang.code),
            package_fingerprint(),
        )
        return memoised(
            self.cache,
            key,
            lambda: document_view(
                doc,
                lang,
                catalog,
                resolve_image=resolve_image,
                resolve_policy=resolve_policy,
                resolve_file=self.resolve_file(doc, purpose),
                labels=labels,
                variables=variables,
            ),
        )

    def with_views(self) -> Self:
        """This site with every document's web view in every language, and every problem
        found in them (gathered before anything is written)."""
        findings: list[Finding] = skipped_files(self.root)
        views: dict[tuple[str, str], DocumentView] = {}
        leaflet_views: dict[tuple[str, str], DocumentView] = {}
        for lang in self.languages:
            catalogs = self.catalogs[lang.code]
            findings.extend(self.english_only_findings(lang))
            for doc in self.policies_in(lang.code):
                page = urls.policy_page(doc.slug, lang.code)
                catalog = catalogs.documents.get(doc.slug)
                views[(doc.slug, lang.code)] = self.view(
                    doc,
                    lang,
                    catalog,
                    page,
                    self.resolve_image(page, doc),
                    self.resolve_policy(lang.code, page),
                )
                leaflet = self.project.leaflets.get(doc.slug)
                if leaflet is None:
                    continue
                lpage = urls.leaflet_page(doc.slug, lang.code)
                lview = self.view(
                    leaflet,
                    lang,
                    catalogs.documents.get(leaflet_domain(doc.slug)),
                    lpage,
                    self.resolve_image(lpage, leaflet),
                    self.resolve_policy(lang.code, lpage),
                )
                leaflet_views[(doc.slug, lang.code)] = lview
                if lang.code == "en":
                    findings.extend(rendering_findings(lview.body))
        english = {doc.slug: views[(doc.slug, "en")].body for doc in self.project.policies}
        for doc in self.project.policies:
            findings.extend(rendering_findings(english[doc.slug]))
            findings.extend(heading_levels(doc, english[doc.slug]))
        findings.extend(link_targets(self.project, english))
        findings.extend(stale_translations([*views.values(), *leaflet_views.values()]))
        findings.extend(self.project.config.placeholders())
        findings.extend(self.project.findings)
        return dataclasses.replace(
            self, views=views, leaflet_views=leaflet_views, findings=tuple(findings)
        )

    def english_only_findings(self, lang: Language) -> list[Finding]:
        """A note naming the policies published in English only in ``lang``, and a warning for
        each of their leaflets that is translated all the same (it waits for its policy)."""
        english = self.english_only(lang.code)
        if not english:
            return []
        folder = self.root / TRANSLATIONS_DIR / lang.code
        count = f"{len(english)} {'policy is' if len(english) == 1 else 'policies are'}"
        findings = [
            Finding(
                "note",
                f"{count} published in English only in {lang.english_name} ({lang.code}): "
                + ", ".join(doc.slug for doc in english),
                folder,
                hint=f"They have no translation yet, so the {lang.english_name} home page lists "
                "them as available in English. Each is published in "
                f"{lang.english_name} once its catalog in {folder.name}/ translates one entry "
                f"(policypress translations update --lang {lang.code} makes the catalogs).",
            )
        ]
        documents = self.catalogs[lang.code].documents
        for doc in english:
            leaflet = documents.get(leaflet_domain(doc.slug))
            if doc.slug in self.project.leaflets and has_translation(leaflet):
                assert leaflet is not None
                findings.append(
                    Finding(
                        "warning",
                        f"the leaflet of '{doc.slug}' is translated into {lang.english_name} "
                        f"({lang.code}), but the policy is not, so the leaflet is not published "
                        f"in {lang.english_name}",
                        leaflet.path,
                        hint=f"Translate the policy too (translations/{lang.code}/{doc.slug}.po): "
                        "a leaflet is published in the languages its policy is published in.",
                    )
                )
        return findings

    def variables(self, slug: str, lang: str) -> dict[str, str]:
        """What a document may write as {name}: the school's details, filled in at build time."""
        config = self.project.config
        return {
            "school_name": config.school.name,
            "phone": config.school.phone,
            "email": config.school.email,
            "address": config.school.address,
            "complaints_policy_url": config.site.complaints_policy_url,
            "accessibility_contact": config.site.accessibility_contact,
            "policy_url": urls.public_url(config.site.base_url, urls.policy_page(slug, lang)),
        }

    def body_labels(self, lang: Language) -> dict[str, str]:
        interface = self.catalogs[lang.code].interface
        gettext = interface.gettext if interface else (lambda s: s)
        return {
            "notes": gettext("Notes"),
            "back_to_text": gettext("Back to the text"),
            "table": gettext("Table"),
        }

    def qr_code(self, url: str) -> bytes:
        """The QR code to ``url`` (SVG), made once and then kept in the cache."""
        from policypress.render.qr import qr_svg

        key = input_key("qr", url, package_fingerprint())
        return memoised(self.cache, key, functools.partial(qr_svg, url))

    def statement_date(self) -> dt.date | None:
        dates = [d.meta.last_reviewed for d in self.project.policies if d.meta.last_reviewed]
        return max(dates) if dates else None


def open_site(root: Path, options: BuildOptions, project: Project | None = None) -> Site:
    """Read the project, its settings and its catalogs (reporting every broken one at once);
    the views come after, from :meth:`Site.with_views`."""
    root = root.resolve()
    project = project or read_project(root)
    cache = ObjectCache(options.cache_folder(root))
    languages = project_languages(project)
    if options.languages:
        languages = [
            lang for lang in languages if lang.code == "en" or lang.code in options.languages
        ]
    catalogs = load_catalogs(project, languages, cache)
    cache_compiled_templates(root, cache.folder / compiled_templates_folder())
    listing = _listing_digest(root / CONTENT_DIR)
    translated = translated_pairs(
        (doc.slug for doc in project.policies),
        {code: found.documents for code, found in catalogs.items()},
    )
    return Site(root, options, project, tuple(languages), catalogs, cache, listing, translated)


def project_languages(project: Project) -> list[Language]:
    """English first, then the languages the settings list (or, if none are listed, every
    language with a translations folder)."""
    codes = list(project.config.site.languages) or available_languages(project.root)
    return [language("en")] + [language_of(project, code) for code in codes if code != "en"]


def language_of(project: Project, code: str) -> Language:
    """The language of a translations folder (or a code in the settings), or an error naming
    that folder."""
    try:
        return language(code)
    except PolicyError as exc:
        folder = project.root / TRANSLATIONS_DIR / code
        where = folder if folder.is_dir() else project.config.path
        raise PolicyError(exc.message, where, hint=exc.finding.hint) from None


def load_catalogs(
    project: Project, languages: list[Language], cache: ObjectCache | None = None
) -> dict[str, LanguageCatalogs]:
    """Read every PO file the build will use, reporting all broken ones at once."""
    findings: list[Finding] = []
    result: dict[str, LanguageCatalogs] = {}
    for lang in languages:
        if lang.code == "en":
            result["en"] = LanguageCatalogs(lang, None, {})
            continue
        domains = [INTERFACE_DOMAIN]
        for doc in project.policies:
            domains.append(doc.slug)
            if doc.slug in project.leaflets:
                domains.append(leaflet_domain(doc.slug))
        loaded: dict[str, Catalog] = {}
        for domain in domains:
            path = catalog_path(project.root, lang.code, domain)
            if not path.is_file():
                continue
            try:
                if cache is None:
                    catalog = load_catalog(path, lang.code)
                else:
                    key = input_key(
                        "catalog",
                        str(path),
                        lang.code,
                        digest(path.read_bytes()),
                        package_fingerprint(),
                    )
                    catalog = memoised(cache, key, functools.partial(load_catalog, path, lang.code))
            except PolicyError as exc:
                findings.extend(getattr(exc, "findings", [exc.finding]))
                continue
            findings.extend(catalog.findings)
            loaded[domain] = catalog
        result[lang.code] = LanguageCatalogs(lang, loaded.pop(INTERFACE_DOMAIN, None), loaded)
    raise_if_errors(findings)
    return result


def _listing_digest(folder: Path) -> str:
    """Names, sizes and times of the files beside the documents (images ...): a view that
    checks an image exists must be redone when images come and go. Documents themselves are
    keyed by their text, so editing one policy does not redo the others."""
    if not folder.is_dir():
        return input_key("listing", [])
    entries = sorted(
        f"{path.relative_to(folder).as_posix()}:{info.st_size}:{info.st_mtime_ns}"
        for path, info in files_with_sizes(folder)
        if path.suffix not in (".md", ".markdown")
    )
    return input_key("listing", entries)


@functools.lru_cache(maxsize=1)
def compiled_templates_folder() -> str:
    """Compiled templates are kept per Jinja2 version and environment code (in the package's
    fingerprint): Jinja2 compiles the environment's settings (autoescaping, whitespace) in without
    checking them on loading."""
    key = input_key("templates", package_fingerprint())
    return f"templates-{key[:16]}"
