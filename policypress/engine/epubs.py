"""The EPUB phase: an EPUB 3 of every policy in every language, reused from the cache when its
inputs are unchanged (an unchanged book costs a key, not a rendering)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from babel import __version__ as babel_version

from policypress.content.reader import CONTENT_DIR
from policypress.engine.fingerprint import package_fingerprint
from policypress.hashing import input_key
from policypress.render import urls
from policypress.render.epub import EpubBook, epub_inputs, image_href, render_epub
from policypress.render.pdf import PrintRenderer

if TYPE_CHECKING:
    from policypress.engine.build import SiteBuild


def add_epubs(site: SiteBuild) -> None:
    """Add ``<slug>-<lang>.epub`` (kind ``epub``) for every policy and language of the build."""
    config = site.project.config
    content = site.root / CONTENT_DIR
    renderer_code = package_fingerprint()
    for lang in site.languages:
        catalogs = site.catalogs[lang.code]

        def public_policy(slug: str, code: str = lang.code) -> str:
            return urls.public_url(config.site.base_url, urls.policy_page(slug, code))

        for doc in site.project.policies:
            catalog = catalogs.documents.get(doc.slug)
            # Pictures go into the book; links to other policies go to their web pages.
            view = site.view(doc, lang, catalog, "epub", image_href(content), public_policy)
            book = EpubBook(
                root=site.root,
                school_name=config.school.name,
                meta=doc.meta,
                page_url=public_policy(doc.slug),
                content_dir=content,
                interface=catalogs.interface,
            )
            key = input_key("epub", epub_inputs(view, book), renderer_code, babel_version)
            sha = site.cache.lookup(key)
            if sha is None:
                # The same translation notices as the PDFs (they depend only on the key's inputs).
                size = config.print.large_print_size
                printer = PrintRenderer(site.project, lang, catalogs.interface, size)
                notices = tuple(str(notice) for notice in printer.notices(view))
                sha = site.cache.put(render_epub(view, replace(book, notices=notices)))
                site.cache.remember(key, sha)
            path = urls.epub_file(doc.slug, lang.code)
            site.add_object(path, sha, "epub", doc.slug, lang.code, "epub")
