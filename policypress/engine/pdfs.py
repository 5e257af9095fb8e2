"""The PDF generator: print HTML for every (policy, language, variant) and leaflet, reused from
the cache when its inputs are unchanged, otherwise rendered by worker processes while the other
generators run. The build's ``PdfMode`` says which of these it wants."""

from __future__ import annotations

import base64
import functools
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

from policypress.content.reader import CONTENT_DIR
from policypress.engine.fingerprint import package_fingerprint, templates_fingerprint
from policypress.engine.options import PdfMode
from policypress.engine.outputs import Outputs, Pending, Stage
from policypress.engine.pdf_worker import PdfResult
from policypress.engine.site import Site
from policypress.engine.workers import Workers
from policypress.errors import PolicyError
from policypress.hashing import input_key
from policypress.i18n.catalog import leaflet_domain
from policypress.i18n.view import DocumentView
from policypress.render import urls
from policypress.render.files import FileKind
from policypress.render.pdf import PrintRenderer
from policypress.variants import PDF_VARIANTS

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PdfJob:
    path: str
    kind: FileKind  # "pdf" or "leaflet"
    policy: str
    lang: str
    variant: str
    html: str
    key: str
    source: Path
    one_page: bool = False
    alternatives: tuple[str, ...] = ()  # tighter layouts to try if a one-page document overflows
    # Makes ``alternatives`` when the document is to be rendered (not for a cache hit: its key
    # names the sizes, and the largest layout's HTML holds everything else they are made from).
    tighter: Callable[[], tuple[str, ...]] | None = None
    cost: float = 0.0  # a guess at its render time: the longest start first, so none is left last
    sizes: tuple[float, ...] = ()  # a leaflet's body sizes: its own and its tighter layouts'

    def ready(self) -> PdfJob:
        """The job with its tighter layouts made, to hand to a worker."""
        if self.tighter is None:
            return self
        return replace(self, alternatives=self.tighter(), tighter=None)

    def add_to(self, outputs: Outputs, sha: str, *, rendered: bool = False) -> None:
        outputs.add_object(
            sha,
            path=self.path,
            kind=self.kind,
            policy=self.policy,
            lang=self.lang,
            variant=self.variant,
            rendered=rendered,
            reused=not rendered,
        )


def plan_pdfs(site: Site, fonts_css: str) -> Iterator[PdfJob]:
    """Every PDF of the site (each policy in each language it is published in), with its print
    HTML and cache key, the slowest first."""
    project = site.project
    size = site.large_print_size
    # The fonts are loaded by address, so the templates folder they are in is part of the key.
    engine_version = (package_fingerprint(), templates_fingerprint())
    # The slowest script first: its documents are the longest, and are best started early.
    for lang in sorted(site.languages, key=lambda language: -language.layout_cost):
        catalogs = site.catalogs[lang.code]
        printer = PrintRenderer(project, lang, catalogs.interface, size)
        public_policy = site.public_policy(lang.code)

        for doc in site.policies_in(lang.code):
            view = site.view(
                doc,
                lang,
                catalogs.documents.get(doc.slug),
                "print",
                site.print_images(doc),
                public_policy,
            )
            printer.titles[doc.slug] = view.title
            for variant in (v.name for v in PDF_VARIANTS):
                html = printer.policy_document(view, variant)
                yield PdfJob(
                    urls.pdf_file(doc.slug, lang.code, variant),
                    "pdf",
                    doc.slug,
                    lang.code,
                    variant,
                    html,
                    input_key("pdf", html, fonts_css, engine_version, pictures(view)),
                    doc.path,
                    cost=len(html) * lang.layout_cost,
                )
            leaflet = project.leaflets.get(doc.slug)
            if leaflet is None:
                continue
            lview = site.view(
                leaflet,
                lang,
                catalogs.documents.get(leaflet_domain(doc.slug)),
                "print",
                site.print_images(leaflet),
                public_policy,
            )
            qr = site.qr_code(public_policy(doc.slug)[0])
            qr_src = "data:image/svg+xml;base64," + base64.b64encode(qr).decode("ascii")
            largest_size, *smaller = printer.leaflet_sizes()
            largest = printer.leaflet_document(lview, qr_src, largest_size)
            yield PdfJob(
                urls.leaflet_pdf(doc.slug, lang.code),
                "leaflet",
                doc.slug,
                lang.code,
                "leaflet",
                largest,
                input_key("leaflet", largest, smaller, fonts_css, engine_version, pictures(lview)),
                leaflet.path,
                one_page=True,
                tighter=functools.partial(printer.leaflet_documents, lview, qr_src, smaller),
                cost=len(largest) * lang.layout_cost,
                sizes=(largest_size, *smaller),
            )


def pictures(view: DocumentView) -> list[tuple[str, int, int]]:
    """The pictures a document shows, by path, size and time: print HTML names them by path
    only, and a picture replaced under the same name must be rendered again."""
    stats = [(image, image.stat()) for image in view.body.images]
    return [(str(image), info.st_size, info.st_mtime_ns) for image, info in stats]


def fonts_css(site: Site) -> str:
    return PrintRenderer(site.project, site.languages[0], None, site.large_print_size).fonts_css()


class PdfGenerator:
    """The PDFs (standard, large print, dyslexia-friendly) and the leaflets' one-page PDFs."""

    name = "pdfs"
    stage = Stage.FILES
    listed: ClassVar[Mapping[str, int]] = {v.name: v.order for v in PDF_VARIANTS} | {"leaflet": 4}

    def plan(self, site: Site) -> Iterable[PdfJob]:
        if site.options.pdf_mode not in (PdfMode.ALL, PdfMode.CACHED):
            return ()
        return plan_pdfs(site, fonts_css(site))  # lazily: the workers start on the first

    def emit(self, site: Site, plan: Iterable[PdfJob], outputs: Outputs) -> Pending:
        """Reuse what the cache holds, hand the rest to the workers, yield while they render
        (the other generators run meanwhile), then add what they made."""
        if site.options.pdf_mode == PdfMode.PREVIOUS:
            add_previous_pdfs(site, outputs)
            return
            yield  # (a generator function all the same)
        base_url = (site.root / CONTENT_DIR).resolve().as_uri() + "/"
        cached_only = site.options.pdf_mode == PdfMode.CACHED
        todo: list[PdfJob] = []
        with Workers(fonts_css(site), site.options.jobs, base_url) as workers:
            for job in plan:
                sha = site.cache.lookup(job.key)
                if sha is not None:
                    job.add_to(outputs, sha)
                elif not cached_only:
                    # The workers start loading while the rest are planned.
                    workers.submit(job.ready())
                    todo.append(job)
            progress = site.options.progress
            if progress is not None and todo:
                progress(0, len(todo))
            yield
            for done, (job, result) in enumerate(zip(todo, workers.results(), strict=True), 1):
                _check(job, result, site.root)
                sha = site.cache.put(result.data)
                site.cache.remember(job.key, sha)
                job.add_to(outputs, sha, rendered=True)
                if progress is not None:
                    progress(done, len(todo))


def add_previous_pdfs(site: Site, outputs: Outputs) -> None:
    """The preview's instant pass: each PDF as the last build published it, or, where there is
    none yet (a first preview), a placeholder its page lists as being prepared. Nothing is
    rendered: the background pass does that, then the page reloads."""
    for lang in site.languages:
        for doc in site.policies_in(lang.code):
            for variant in PDF_VARIANTS:
                outputs.previous_or_pending(
                    site.options.output,
                    path=urls.pdf_file(doc.slug, lang.code, variant.name),
                    kind="pdf",
                    policy=doc.slug,
                    lang=lang.code,
                    variant=variant.name,
                )
            if doc.slug in site.project.leaflets:
                outputs.previous_or_pending(
                    site.options.output,
                    path=urls.leaflet_pdf(doc.slug, lang.code),
                    kind="leaflet",
                    policy=doc.slug,
                    lang=lang.code,
                    variant="leaflet",
                )


def render_pdfs_into_cache(site: Site) -> None:
    """Render every PDF whose inputs changed into the cache, publishing nothing (the preview
    does this in the background, then publishes with a quick cached build)."""
    generator = PdfGenerator()
    for _ in generator.emit(site, generator.plan(site), Outputs(site.cache)):
        pass


def _check(job: PdfJob, result: PdfResult, root: Path) -> None:
    """A WeasyPrint error, or a leaflet over one page, fails the build."""
    if result.errors:
        raise PolicyError(
            f"the {job.variant} PDF in '{job.lang}' could not be made: " + "; ".join(result.errors),
            job.source,
            hint="Run policypress check: it names missing images and files with their line.",
        )
    for warning in result.warnings:
        log.warning("%s (%s): %s", job.path, job.lang, warning)
    if job.one_page and result.pages > 1:
        raise PolicyError(
            f"the leaflet in '{job.lang}' does not fit on one A4 page: it runs "
            f"{max(1.0, result.overflow_mm):.0f} mm onto a second page",
            job.source,
            hint="Shorten the leaflet's text (it is never printed smaller than 12 pt, RNIB "
            "Clear Print's minimum), or move detail into the full policy.",
        )
