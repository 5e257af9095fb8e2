"""sitemap.xml: every page, with its language alternates, at its published address."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from xml.sax.saxutils import quoteattr

from policypress.content.model import Project
from policypress.i18n.languages import Language
from policypress.render import urls
from policypress.render.files import BuiltFile


def render_sitemap(
    project: Project,
    files: Mapping[str, BuiltFile],
    languages: Sequence[Language],
    extra: Sequence[str] = (),
) -> bytes:
    """``extra``: English-only pages written after the sitemap (the governors' page, when the
    school makes it public)."""
    base = project.config.site.base_url
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    dates = {doc.slug: doc.meta.last_reviewed for doc in project.policies}
    for path in sorted({*files, *extra}):
        if path not in files:
            loc = _escape(urls.public_url(base, path))
            lines += ["  <url>", f"    <loc>{loc}</loc>", "  </url>"]
            continue
        facts = files[path]
        if facts.kind != "page" or path == "404.html":
            continue
        lines.append("  <url>")
        lines.append(f"    <loc>{_escape(urls.public_url(base, path))}</loc>")
        reviewed = dates.get(facts.policy or "")
        if reviewed:
            lines.append(f"    <lastmod>{reviewed.isoformat()}</lastmod>")
        alternates = [
            (lang.code, other)
            for lang in languages
            if (other := _same_page(path, facts.lang or "en", lang.code)) in files
        ]
        if len(alternates) > 1:  # a page in one language only (not translated) has none
            for code, other in alternates:
                href = quoteattr(urls.public_url(base, other))
                lines.append(f'    <xhtml:link rel="alternate" hreflang="{code}" href={href}/>')
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _same_page(path: str, lang: str, other: str) -> str:
    bare = path[len(urls.lang_prefix(lang)) :]
    return urls.lang_prefix(other) + bare


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_robots(project: Project) -> str:
    """robots.txt: everything may be indexed, and this is where the sitemap is."""
    base = project.config.site.base_url
    return f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n"
