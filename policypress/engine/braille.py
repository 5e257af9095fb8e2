"""The braille phase: a BRF file and its Unicode-braille text for every policy and leaflet in
every language with a braille code, reused from the cache while their inputs are unchanged."""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING

from policypress.engine.fingerprint import package_fingerprint
from policypress.engine.memo import memoised
from policypress.hashing import input_key
from policypress.render import urls
from policypress.render.braille import (
    BrailleUnavailable,
    braille_code,
    liblouis_version,
    render_braille,
)

if TYPE_CHECKING:
    from policypress.engine.build import SiteBuild

log = logging.getLogger(__name__)

INSTALL_HINT = (
    "install Debian's liblouis20 and liblouis-data (scripts/install-system-deps.sh build, "
    "or: apt-get install liblouis20 liblouis-data)"
)


@functools.lru_cache(maxsize=1)
def _say_skipped(reason: str) -> None:
    """Said once per process: the preview rebuilds many times."""
    log.warning("Braille (BRF) files are skipped: %s. To make them, %s.", reason, INSTALL_HINT)


def add_braille(site: SiteBuild) -> None:
    """Add ``<slug>-<lang>.brf`` and ``.braille.txt`` for each policy and leaflet view."""
    try:
        version = liblouis_version()
    except BrailleUnavailable as exc:
        _say_skipped(str(exc))
        return
    code = package_fingerprint()
    config = site.project.config
    documents = [(view, False) for view in site.views.values()]
    documents += [(view, True) for view in site.leaflet_views.values()]
    for view, leaflet in documents:
        braille = braille_code(view.lang.code)
        if braille is None:
            continue  # a language liblouis has no table for here: no braille for it
        lang = view.lang.code
        page = urls.leaflet_page(view.slug, lang) if leaflet else urls.policy_page(view.slug, lang)
        url = urls.public_url(config.site.base_url, page)
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
            version,
            code,
        )
        try:
            document = memoised(
                site.cache,
                key,
                functools.partial(
                    render_braille, view, school_name=config.school.name, public_url=url
                ),
            )
        except BrailleUnavailable as exc:  # liblouis without its tables
            _say_skipped(str(exc))
            return
        path = urls.leaflet_braille if leaflet else urls.braille_file
        variant = "leaflet-braille" if leaflet else "braille"
        site.add(path(view.slug, lang), document.brf, "braille", view.slug, lang, variant)
        site.add(
            path(view.slug, lang, text=True),
            document.text.encode("utf-8"),
            "braille",
            view.slug,
            lang,
            f"{variant}-text",
        )
