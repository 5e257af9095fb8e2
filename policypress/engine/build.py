"""The build: read the model once, check it, render every (policy, language, format) that changed,
reuse the rest from the cache, and publish the lot atomically."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from policypress import __version__
from policypress.checks import heading_levels, link_targets, rendering_findings, stale_translations
from policypress.content.model import LeafletDocument, PolicyDocument, Project
from policypress.content.reader import CONTENT_DIR, read_project, skipped_files
from policypress.engine.cache import CACHE_DIR, ObjectCache
from policypress.engine.fingerprint import package_fingerprint
from policypress.engine.lock import output_lock
from policypress.engine.memo import memoised
from policypress.engine.stamp import files_with_sizes
from policypress.engine.writer import MANIFEST, claim_output, project_mark, publish
from policypress.errors import Finding, PolicyError, raise_if_errors
from policypress.hashing import input_key
from policypress.i18n.catalog import (
    INTERFACE_DOMAIN,
    TRANSLATIONS_DIR,
    Catalog,
    available_languages,
    catalog_path,
    leaflet_domain,
    load_catalog,
)
from policypress.i18n.languages import Language, language
from policypress.i18n.view import DocumentView, document_view
from policypress.layout import template_dirs
from policypress.render import urls
from policypress.render.files import BuiltFile, FileKind
from policypress.render.html import SiteRenderer
from policypress.render.templating import cache_compiled_templates, compile_templates
from policypress.variants import PDF_VARIANTS

log = logging.getLogger(__name__)

GENERATOR = f"policypress {__version__}"


@dataclass(frozen=True)
class BuildOptions:
    output: Path
    jobs: int | None = None
    strict: bool = False
    # "all"; "cached": only PDFs already in the cache; "previous": the PDFs of the last build,
    # as they are (the preview's instant rebuild, before the PDFs catch up); "none"
    pdf_mode: str = "all"
    large_print_size: float | None = None
    cache_dir: Path | None = None
    languages: tuple[str, ...] = ()  # build only these (English is always built)
    on_wait: Callable[[str], None] | None = None  # told when another build holds the output
    # Called with (done, total) as PDFs are rendered: the terminal and the preview show it.
    progress: Callable[[int, int], None] | None = None

    def cache_folder(self, root: Path) -> Path:
        return self.cache_dir or root / CACHE_DIR


@dataclass
class BuildResult:
    files: dict[str, BuiltFile]
    rendered: int = 0
    reused: int = 0
    changed: bool = True
    warnings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, kind: str) -> int:
        return sum(1 for f in self.files.values() if f.kind == kind)


@dataclass
class LanguageCatalogs:
    """Every catalog one language has: the interface, and each policy's and leaflet's."""

    lang: Language
    interface: Catalog | None
    documents: dict[str, Catalog]


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
    from policypress.hashing import digest

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


class SiteBuild:
    """One run of the build, holding what every phase shares."""

    def __init__(self, root: Path, options: BuildOptions, project: Project | None = None) -> None:
        self.root = root.resolve()
        self.options = options
        self.project = project or read_project(self.root)
        self.cache = ObjectCache(options.cache_folder(self.root))
        self.languages = project_languages(self.project)
        if options.languages:
            self.languages = [
                lang
                for lang in self.languages
                if lang.code == "en" or lang.code in options.languages
            ]
        self.catalogs = load_catalogs(self.project, self.languages, self.cache)
        cache_compiled_templates(self.root, self.cache.folder / compiled_templates_folder())
        self.content_listing = _listing_digest(self.root / CONTENT_DIR)
        self.files: dict[str, BuiltFile] = {}
        self.rendered = 0
        self.reused = 0
        self.views: dict[tuple[str, str], DocumentView] = {}
        self.leaflet_views: dict[tuple[str, str], DocumentView] = {}
        self.media: dict[str, Path] = {}

    # -- model views -------------------------------------------------------------------------
    def resolve_image(self, lang: str, page: str) -> Callable[[str], tuple[str, Path | None]]:
        content = self.root / CONTENT_DIR

        def resolve(src: str) -> tuple[str, Path | None]:
            file = (content / src).resolve()
            try:
                relative = file.relative_to(content.resolve()).as_posix()
            except ValueError:
                return src, None
            site_path = f"media/{relative}"
            if file.is_file():
                self.media[site_path] = file
            return urls.relative(page, site_path), file

        return resolve

    def resolve_policy(self, lang: str, page: str) -> Callable[[str], str]:
        return lambda slug: urls.relative(page, urls.policy_page(slug, lang))

    def view(
        self,
        doc: PolicyDocument | LeafletDocument,
        lang: Language,
        catalog: Catalog | None,
        purpose: str,
        resolve_image: Callable[[str], tuple[str, Path | None]],
        resolve_policy: Callable[[str], str],
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
            package_fingerprint(),
        )
        view = memoised(
            self.cache,
            key,
            lambda: document_view(
                doc,
                lang,
                catalog,
                resolve_image=resolve_image,
                resolve_policy=resolve_policy,
                labels=labels,
                variables=variables,
            ),
        )
        for image in view.body.images:
            relative = image.resolve().relative_to((self.root / CONTENT_DIR).resolve())
            self.media[f"media/{relative.as_posix()}"] = image
        return view

    def prepare_views(self) -> list[Finding]:
        """Render every document in every language, and gather every problem before writing."""
        findings: list[Finding] = skipped_files(self.root)
        english: dict[str, DocumentView] = {}
        for lang in self.languages:
            catalogs = self.catalogs[lang.code]
            for doc in self.project.policies:
                page = urls.policy_page(doc.slug, lang.code)
                view = self.view(
                    doc,
                    lang,
                    catalogs.documents.get(doc.slug),
                    page,
                    self.resolve_image(lang.code, page),
                    self.resolve_policy(lang.code, page),
                )
                self.views[(doc.slug, lang.code)] = view
                if lang.code == "en":
                    english[doc.slug] = view
                leaflet = self.project.leaflets.get(doc.slug)
                if leaflet is not None:
                    lpage = urls.leaflet_page(doc.slug, lang.code)
                    lview = self.view(
                        leaflet,
                        lang,
                        catalogs.documents.get(leaflet_domain(doc.slug)),
                        lpage,
                        self.resolve_image(lang.code, lpage),
                        self.resolve_policy(lang.code, lpage),
                    )
                    self.leaflet_views[(doc.slug, lang.code)] = lview
                    if lang.code == "en":
                        findings.extend(rendering_findings(lview.body))
        for doc in self.project.policies:
            body = english[doc.slug].body
            findings.extend(rendering_findings(body))
            findings.extend(heading_levels(doc, body))
        findings.extend(link_targets(self.project, {s: v.body for s, v in english.items()}))
        findings.extend(
            stale_translations(list(self.views.values()) + list(self.leaflet_views.values()))
        )
        findings.extend(self.project.config.placeholders())
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

    # -- outputs -----------------------------------------------------------------------------
    def add(
        self,
        path: str,
        data: bytes,
        kind: FileKind,
        policy: str | None = None,
        lang: str | None = None,
        variant: str | None = None,
    ) -> BuiltFile:
        return self.add_object(path, self.cache.put(data), kind, policy, lang, variant)

    def add_object(
        self,
        path: str,
        sha: str,
        kind: FileKind,
        policy: str | None = None,
        lang: str | None = None,
        variant: str | None = None,
    ) -> BuiltFile:
        """Record a file that is already in the cache (a reused or freshly rendered PDF)."""
        if path in self.files:
            raise AssertionError(f"two outputs want the same file: {path}")
        size = self.cache.object_path(sha).stat().st_size
        facts = BuiltFile(path, kind, policy, lang, variant, size, sha)
        self.files[path] = facts
        return facts

    def add_previous_pdfs(self) -> None:
        """Carry over the PDFs the output already has (the preview renders new ones after)."""
        import json

        manifest = self.options.output / MANIFEST
        if not manifest.is_file():
            return
        for entry in json.loads(manifest.read_text(encoding="utf-8"))["files"]:
            if entry["kind"] not in ("pdf", "leaflet"):
                continue
            if self.cache.holds(entry["sha256"]):
                self.add_object(
                    entry["path"],
                    entry["sha256"],
                    entry["kind"],
                    entry["policy"],
                    entry["language"],
                    entry["variant"],
                )
                self.reused += 1

    def add_assets(self) -> None:
        from policypress.render.webfonts import publish_assets

        self.web_assets = publish_assets(self.root, self.cache)
        for path, sha in sorted(self.web_assets.files.items()):
            self.add_object(path, sha, "asset")
        seen = set(self.web_assets.handled)
        for folder in template_dirs(self.root):
            assets = folder / "assets"
            if not assets.is_dir():
                continue
            for file in sorted(assets.rglob("*")):
                if not file.is_file() or file.name.startswith("."):
                    continue
                relative = file.relative_to(folder).as_posix()
                if relative in seen:
                    continue
                seen.add(relative)
                self.add(relative, file.read_bytes(), "asset")
        for site_path, file in sorted(self.media.items()):
            self.add(site_path, file.read_bytes(), "asset")

    def files_for(self, slug: str, lang: str) -> list[BuiltFile]:
        order: dict[str, int] = {variant.name: variant.order for variant in PDF_VARIANTS}
        order |= {
            "epub": 3,
            "leaflet": 4,
            "leaflet-page": 5,
            "braille": 6,
            "leaflet-braille": 7,
        }
        found = [
            f
            for f in self.files.values()
            if f.policy == slug and f.lang == lang and f.variant in order
        ]
        return sorted(found, key=lambda f: order[f.variant or ""])

    def qr_code(self, url: str) -> bytes:
        """The QR code to ``url`` (SVG), made once and then kept in the cache."""
        from policypress.render.qr import qr_svg

        key = input_key("qr", url, package_fingerprint())
        return memoised(self.cache, key, functools.partial(qr_svg, url))

    def prepare_pages(self) -> None:
        """What the pages need besides the PDFs (their sizes are in the links), done while the
        PDF workers render: the templates compiled, the assets stored, the braille and EPUBs
        made."""
        from policypress.engine.braille import add_braille
        from policypress.engine.epubs import add_epubs

        compile_templates(self.root, SiteRenderer.TEMPLATES)
        self.add_assets()
        add_braille(self)
        add_epubs(self)

    def add_pages(self) -> None:
        languages = {lang.code: lang for lang in self.languages}
        for lang in self.languages:
            catalogs = self.catalogs[lang.code]
            site = SiteRenderer(
                self.project,
                lang,
                catalogs.interface,
                self.languages,
                self.web_assets,
            )
            views = [self.views[(doc.slug, lang.code)] for doc in self.project.policies]
            for view in views:
                leaflet = self.leaflet_views.get((view.slug, lang.code))
                if leaflet is not None:
                    policy_url = urls.public_url(
                        self.project.config.site.base_url, urls.policy_page(view.slug, lang.code)
                    )
                    self.add(
                        urls.leaflet_qr(view.slug, lang.code),
                        self.qr_code(policy_url),
                        "asset",
                        view.slug,
                        lang.code,
                        "qr",
                    )
                    html = site.leaflet_page(
                        leaflet, self.files_for(view.slug, lang.code), view.title
                    )
                    self.add(
                        urls.leaflet_page(view.slug, lang.code),
                        html.encode(),
                        "page",
                        view.slug,
                        lang.code,
                        "leaflet-page",
                    )
            for view in views:
                html = site.policy_page(view, self.files_for(view.slug, lang.code))
                self.add(
                    urls.policy_page(view.slug, lang.code),
                    html.encode(),
                    "page",
                    view.slug,
                    lang.code,
                    "page",
                )
            self.add(
                urls.home_page(lang.code),
                site.home_page(views).encode(),
                "page",
                None,
                lang.code,
                "home",
            )
            self.add(
                urls.statement_page(lang.code),
                site.statement_page(self.statement_date()).encode(),
                "page",
                None,
                lang.code,
                "statement",
            )
            groups = []
            for view in views:
                files = [f for code in languages for f in self.files_for(view.slug, code)]
                groups.append((view.slug, view.title, files))
            self.add(
                urls.formats_page(lang.code),
                site.formats_page(groups, languages).encode(),
                "page",
                None,
                lang.code,
                "formats",
            )
            if lang.code == "en":
                self.add("404.html", site.not_found_page().encode(), "page", None, "en", "404")

    def statement_date(self) -> dt.date | None:
        dates = [d.meta.last_reviewed for d in self.project.policies if d.meta.last_reviewed]
        return max(dates) if dates else None

    def add_sitemap(self) -> None:
        from policypress.render.sitemap import render_sitemap

        data = render_sitemap(self.project, self.files, self.languages)
        self.add("sitemap.xml", data, "asset")
        self.add("robots.txt", render_robots(self.project).encode(), "asset")

    def run(self) -> BuildResult:
        """Build and publish; the caller holds the output's lock (see :func:`build_site`)."""
        started = time.perf_counter()
        # Refuse someone else's folder before the work, not after it.
        claim_output(self.options.output, project_mark(self.cache, self.root), "replace")
        findings = self.prepare_views()
        errors = [f for f in findings if f.severity == "error"]
        warnings = [f for f in findings if f.severity == "warning"]
        if self.options.strict and warnings:
            errors += [
                Finding("error", f"(--strict) {w.message}", w.path, w.line, w.col, w.hint)
                for w in warnings
            ]
        raise_if_errors(errors)
        if self.options.pdf_mode in ("all", "cached"):
            from policypress.engine.pdfs import add_pdfs

            add_pdfs(self, self.options.pdf_mode == "cached", meanwhile=self.prepare_pages)
        else:
            if self.options.pdf_mode == "previous":
                self.add_previous_pdfs()
            self.prepare_pages()
        self.add_pages()
        self.add_sitemap()
        changed = publish(self.options.output, self.files, self.cache, GENERATOR, self.root)
        return BuildResult(
            files=dict(self.files),
            rendered=self.rendered,
            reused=self.reused,
            changed=changed,
            warnings=warnings,
            seconds=time.perf_counter() - started,
        )


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


def render_robots(project: Project) -> str:
    base = project.config.site.base_url
    return f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n"


def render_pdfs_into_cache(root: Path, options: BuildOptions) -> None:
    """Render every PDF whose inputs changed into the cache, without publishing anything (the
    preview does this in the background, then publishes with a quick cached build)."""
    from policypress.engine.pdfs import add_pdfs

    site = SiteBuild(root, options)
    raise_if_errors(site.prepare_views())
    add_pdfs(site)


def build_site(root: Path, options: BuildOptions) -> BuildResult:
    """Build everything under ``root`` into ``options.output``, one build of a folder at a
    time (a second one waits, and says so through ``options.on_wait``)."""
    with output_lock(options.output, options.on_wait):
        return SiteBuild(root, options).run()
