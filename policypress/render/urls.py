"""Where every output lives in the site, and relative links between them, so the site works
from whatever folder of a web server it is uploaded to."""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

from policypress.i18n.languages import SOURCE_LANGUAGE
from policypress.variants import BY_NAME, VariantName


def lang_prefix(lang: str) -> str:
    return "" if lang == SOURCE_LANGUAGE else f"{lang}/"


def home_page(lang: str) -> str:
    return f"{lang_prefix(lang)}index.html"


def policy_page(slug: str, lang: str) -> str:
    return f"{lang_prefix(lang)}{slug}/index.html"


def leaflet_page(slug: str, lang: str) -> str:
    return f"{lang_prefix(lang)}{slug}/leaflet/index.html"


def statement_page(lang: str) -> str:
    return f"{lang_prefix(lang)}accessibility/index.html"


def formats_page(lang: str) -> str:
    return f"{lang_prefix(lang)}formats/index.html"


def pdf_file(slug: str, lang: str, variant: VariantName) -> str:
    return f"{lang_prefix(lang)}{slug}/{slug}-{lang}{BY_NAME[variant].file_suffix}.pdf"


def leaflet_pdf(slug: str, lang: str) -> str:
    return f"{lang_prefix(lang)}{slug}/{slug}-{lang}-leaflet.pdf"


def braille_file(slug: str, lang: str, text: bool = False) -> str:
    """The policy in braille: ``.brf`` to emboss, or (``text``) Unicode braille to read."""
    return f"{lang_prefix(lang)}{slug}/{slug}-{lang}.{'braille.txt' if text else 'brf'}"


def leaflet_braille(slug: str, lang: str, text: bool = False) -> str:
    return f"{lang_prefix(lang)}{slug}/{slug}-{lang}-leaflet.{'braille.txt' if text else 'brf'}"


def epub_file(slug: str, lang: str) -> str:
    return f"{lang_prefix(lang)}{slug}/{slug}-{lang}.epub"


def attachment_file(slug: str, name: str) -> str:
    """A form or document published with a policy (one copy for every language)."""
    return f"{slug}/files/{name}"


def leaflet_qr(slug: str, lang: str) -> str:
    return f"{lang_prefix(lang)}{slug}/leaflet/qr-code.svg"


def relative(from_page: str, target: str) -> str:
    """A link from the page at ``from_page`` to ``target`` (``x/index.html`` becomes ``x/``)."""
    start = posixpath.dirname(from_page) or "."
    directory_link = target.endswith("index.html")
    if directory_link:
        target = posixpath.dirname(target) or "."
    rel = posixpath.relpath(target, start)
    if directory_link:
        return "./" if rel == "." else rel + "/"
    return rel


def public_url(base_url: str, target: str) -> str:
    """The address of ``target`` once the site is published at ``base_url``."""
    if target.endswith("index.html"):
        target = target[: -len("index.html")]
    return base_url.rstrip("/") + "/" + target


def site_path(base_url: str) -> str:
    """The path the site is published under, e.g. "/policies/"."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def rooted(prefix: str, target: str) -> str:
    """``target`` as a link from the server's root, for pages served at any depth."""
    if target.endswith("index.html"):
        target = target[: -len("index.html")]
    return prefix + target
