"""The braille generator: a BRF file and its Unicode-braille text for every policy and leaflet in
every language with a braille code, reused from the cache while their inputs are unchanged."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from policypress.engine.fingerprint import package_fingerprint
from policypress.engine.memo import memoised
from policypress.engine.options import PdfMode
from policypress.engine.outputs import Outputs, Stage
from policypress.engine.site import Site
from policypress.hashing import input_key
from policypress.i18n.view import DocumentView
from policypress.render import urls
from policypress.render.braille import (
    SWITCH_NOTE,
    BrailleUnavailable,
    braille_code,
    liblouis_version,
    render_braille,
)

log = logging.getLogger(__name__)

INSTALL_HINT = (
    "install Debian's liblouis20 and liblouis-data (scripts/install-system-deps.sh build, "
    "or: apt-get install liblouis20 liblouis-data)"
)


@functools.lru_cache(maxsize=1)
def _say_skipped(reason: str) -> None:
    """Said once per process: the preview rebuilds many times."""
    log.warning("Braille (BRF) files are skipped: %s. To make them, %s.", reason, INSTALL_HINT)


@dataclass(frozen=True)
class BrailleJob:
    view: DocumentView
    leaflet: bool
    url: str  # the document's web page, printed in the file
    key: str
    note: str  # the transcriber's note on English runs, in the document's language


class BrailleGenerator:
    """``<slug>-<lang>.brf`` and ``.braille.txt`` for each policy and leaflet view in every
    language with a braille code (none, with a warning, where liblouis is missing)."""

    name = "braille"
    stage = Stage.FILES
    listed: ClassVar[Mapping[str, int]] = {"braille": 6, "leaflet-braille": 7}

    def plan(self, site: Site) -> list[BrailleJob]:
        try:
            version = liblouis_version()
        except BrailleUnavailable as exc:
            _say_skipped(str(exc))
            return []
        config = site.project.config
        documents = [(view, False) for view in site.views.values()]
        documents += [(view, True) for view in site.leaflet_views.values()]
        jobs = []
        for view, leaflet in documents:
            braille = braille_code(view.lang.code)
            if braille is None:
                continue  # a language liblouis has no table for here: no braille for it
            lang = view.lang.code
            page = (urls.leaflet_page if leaflet else urls.policy_page)(view.slug, lang)
            url = urls.public_url(config.site.base_url, page)
            interface = site.catalogs[lang].interface
            note = interface.gettext(SWITCH_NOTE) if interface else SWITCH_NOTE
            key = input_key(
                "braille",
                view.kind,
                view.title,
                view.summary,
                view.body.html,
                lang,
                repr(braille),
                config.school.name,
                url,
                note,
                version,
                package_fingerprint(),
            )
            jobs.append(BrailleJob(view, leaflet, url, key, note))
        return jobs

    def emit(self, site: Site, plan: Iterable[BrailleJob], outputs: Outputs) -> None:
        school = site.project.config.school.name
        for job in plan:
            view, lang = job.view, job.view.lang.code
            if site.options.pdf_mode == PdfMode.PREVIOUS and site.cache.lookup(job.key) is None:
                # The preview's instant pass renders nothing slow: the background pass does.
                path = urls.leaflet_braille if job.leaflet else urls.braille_file
                variant = "leaflet-braille" if job.leaflet else "braille"
                for text, suffix in ((False, ""), (True, "-text")):
                    outputs.previous_or_pending(
                        site.options.output,
                        path=path(view.slug, lang, text=text),
                        kind="braille",
                        policy=view.slug,
                        lang=lang,
                        variant=variant + suffix,
                    )
                continue
            try:
                document = memoised(
                    site.cache,
                    job.key,
                    functools.partial(
                        render_braille,
                        view,
                        school_name=school,
                        public_url=job.url,
                        switch_note=job.note,
                    ),
                )
            except BrailleUnavailable as exc:  # liblouis without its tables
                _say_skipped(str(exc))
                return
            path = urls.leaflet_braille if job.leaflet else urls.braille_file
            variant = "leaflet-braille" if job.leaflet else "braille"
            outputs.add(
                document.brf,
                path=path(view.slug, lang),
                kind="braille",
                policy=view.slug,
                lang=lang,
                variant=variant,
            )
            outputs.add(
                document.text.encode("utf-8"),
                path=path(view.slug, lang, text=True),
                kind="braille",
                policy=view.slug,
                lang=lang,
                variant=f"{variant}-text",
            )
