"""The EPUB generator: an EPUB 3 of every policy in every language, reused from the cache when
its inputs are unchanged (an unchanged book costs a key, not a rendering)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import ClassVar

from babel import __version__ as babel_version

from policypress.engine.fingerprint import package_fingerprint
from policypress.engine.options import PdfMode
from policypress.engine.outputs import Outputs, Stage
from policypress.engine.site import Site
from policypress.hashing import input_key
from policypress.i18n.catalog import Catalog
from policypress.i18n.view import DocumentView
from policypress.render import urls
from policypress.render.epub import EpubBook, epub_inputs, image_href, render_epub
from policypress.render.pdf import PrintRenderer


@dataclass(frozen=True)
class EpubJob:
    view: DocumentView  # pictures go into the book; links to other policies to their pages
    book: EpubBook
    interface: Catalog | None
    key: str


class EpubGenerator:
    """``<slug>-<lang>.epub`` (kind ``epub``) for every policy in every language it is
    published in."""

    name = "epubs"
    stage = Stage.FILES
    listed: ClassVar[Mapping[str, int]] = {"epub": 3}

    def plan(self, site: Site) -> list[EpubJob]:
        config = site.project.config
        jobs = []
        for lang in site.languages:
            catalogs = site.catalogs[lang.code]
            public_policy = site.public_policy(lang.code)

            for doc in site.policies_in(lang.code):
                catalog = catalogs.documents.get(doc.slug)
                content = site.local_folder(doc)  # an archived version keeps its pictures
                view = site.view(doc, lang, catalog, "epub", image_href(content), public_policy)
                book = EpubBook(
                    root=site.root,
                    school_name=config.school.name,
                    meta=doc.meta,
                    page_url=public_policy(doc.slug)[0],
                    content_dir=content,
                    interface=catalogs.interface,
                )
                inputs = epub_inputs(view, book)
                key = input_key("epub", inputs, package_fingerprint(), babel_version)
                jobs.append(EpubJob(view, book, catalogs.interface, key))
        return jobs

    def emit(self, site: Site, plan: Iterable[EpubJob], outputs: Outputs) -> None:
        for job in plan:
            view = job.view
            sha = site.cache.lookup(job.key)
            if sha is None and site.options.pdf_mode == PdfMode.PREVIOUS:
                # The preview's instant pass renders nothing slow: the background pass does.
                outputs.previous_or_pending(
                    site.options.output,
                    path=urls.epub_file(view.slug, view.lang.code),
                    kind="epub",
                    policy=view.slug,
                    lang=view.lang.code,
                    variant="epub",
                )
                continue
            if sha is None:
                # The same translation notices as the PDFs (they depend only on the key's inputs).
                size = site.project.config.print.large_print_size
                printer = PrintRenderer(site.project, view.lang, job.interface, size)
                notices = tuple(str(notice) for notice in printer.notices_html(view))
                sha = site.cache.put(render_epub(view, replace(job.book, notices=notices)))
                site.cache.remember(job.key, sha)
            path = urls.epub_file(view.slug, view.lang.code)
            outputs.add_object(
                sha, path=path, kind="epub", policy=view.slug, lang=view.lang.code, variant="epub"
            )
