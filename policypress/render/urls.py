"""Where every output lives in the site, and relative links between them, so the site works
from whatever folder of a web server it is uploaded to."""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

from policypress.i18n.languages import SOURCE_LANGUAGE
from policypress.variants import BY_NAME, VariantName

# A superseded version of a policy is built as the document "<slug>@<version>": every path below
# puts it in its own folder, /<slug>/v<version>/, with the version in each file's name.
VERSION_MARK = "@"


def lang_prefix(lang: str) -> str:
    return "" if lang == SOURCE_LANGUAGE else f"{lang}/"


def versioned(slug: str, version: str) -> str:
    """The document name of ``version`` of the policy ``slug``."""
    return f"{slug}{VERSION_MARK}{version}"


def split_version(name: str) -> tuple[str, str | None]:
    """(policy slug, version or None) of a document name."""
    slug, mark, version = name.partition(VERSION_MARK)
    return slug, (version if mark else None)


def _folder(name: str) -> str:
    slug, version = split_version(name)
    return slug if version is None else f"{slug}/v{version}"


def _stem(name: str) -> str:
    slug, version = split_version(name)
    return slug if version is None else f"{slug}-v{version}"


def version_page(slug: str, version: str, lang: str) -> str:
    """The permanent address of a superseded version's page."""
    return policy_page(versioned(slug, version), lang)


def changes_page(slug: str, version: str, lang: str) -> str:
    """What changed in ``version`` since the version before it."""
    return f"{lang_prefix(lang)}{slug}/v{version}/changes/index.html"


def feed_file(lang: str) -> str:
    return f"{lang_prefix(lang)}feed.xml"


def home_page(lang: str) -> str:
    return f"{lang_prefix(lang)}index.html"


def policy_page(slug: str, lang: str) -> str:
    return f"{lang_prefix(lang)}{_folder(slug)}/index.html"


def leaflet_page(slug: str, lang: str) -> str:
    return f"{lang_prefix(lang)}{_folder(slug)}/leaflet/index.html"


def statement_page(lang: str) -> str:
    return f"{lang_prefix(lang)}accessibility/index.html"


def formats_page(lang: str) -> str:
    return f"{lang_prefix(lang)}formats/index.html"


def top_folder(page: str, lang: str) -> str:
    """The folder of the site (below the language's) that ``page`` is in: a policy's slug for
    its page, leaflet, versions and files; "" for a page at the top, such as the home page."""
    inside = page[len(lang_prefix(lang)) :]
    folder, slash, _rest = inside.partition("/")
    return folder if slash else ""


def _file(slug: str, lang: str, suffix: str) -> str:
    """A file beside the policy's page: ``<slug>[-v<version>]-<lang><suffix>``."""
    return f"{lang_prefix(lang)}{_folder(slug)}/{_stem(slug)}-{lang}{suffix}"


def pdf_file(slug: str, lang: str, variant: VariantName) -> str:
    return _file(slug, lang, f"{BY_NAME[variant].file_suffix}.pdf")


def leaflet_pdf(slug: str, lang: str) -> str:
    return _file(slug, lang, "-leaflet.pdf")


def braille_file(slug: str, lang: str, text: bool = False) -> str:
    """The policy in braille: ``.brf`` to emboss, or (``text``) Unicode braille to read."""
    return _file(slug, lang, ".braille.txt" if text else ".brf")


def leaflet_braille(slug: str, lang: str, text: bool = False) -> str:
    return _file(slug, lang, "-leaflet.braille.txt" if text else "-leaflet.brf")


def epub_file(slug: str, lang: str) -> str:
    return _file(slug, lang, ".epub")


def attachment_file(slug: str, name: str) -> str:
    """A form or document published with a policy (one copy for every language); a superseded
    version's own copy is in its folder."""
    return f"{_folder(slug)}/files/{name}"


def leaflet_qr(slug: str, lang: str) -> str:
    return f"{lang_prefix(lang)}{_folder(slug)}/leaflet/qr-code.svg"


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
