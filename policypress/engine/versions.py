"""The versions generator: every superseded version of a policy, in every language and format,
at its permanent address; each released version's "What changed" page; and ``feed.xml`` per
language. Superseded versions go through the same views, generators and cache as the current
ones, so they are rendered once and then reused."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from markupsafe import Markup

from policypress.content.lang_spans import catalog_html
from policypress.content.model import LeafletDocument, PolicyDocument, Project
from policypress.engine.fingerprint import package_fingerprint
from policypress.engine.leaflets import add_leaflet_qr
from policypress.engine.memo import memoised
from policypress.engine.outputs import Outputs, Stage
from policypress.engine.site import ImageResolver, PolicyResolver, Site, open_site
from policypress.engine.stamp import files_with_sizes
from policypress.errors import raise_if_errors
from policypress.hashing import digest, input_key
from policypress.i18n.catalog import Catalog, leaflet_domain, load_catalog
from policypress.i18n.languages import Language
from policypress.i18n.view import DocumentView
from policypress.render import urls
from policypress.render.html import SiteRenderer
from policypress.render.templating import format_day, format_version
from policypress.versions.archive import (
    ArchivedVersion,
    archive_findings,
    project_history,
    superseded,
)
from policypress.versions.diff import compare
from policypress.versions.feed import FeedEntry, render_feed
from policypress.versions.pages import (
    ArchivedSiteRenderer,
    CurrentVersion,
    changes_page,
    note_translations,
    translate_note,
)

History = dict[str, list[ArchivedVersion]]


class VersionsGenerator:
    name = "versions"
    listed: ClassVar[Mapping[str, int]] = {}
    # Last: the sitemap (before it in this stage) leaves out old versions, which are noindex.
    stage = Stage.INDEX

    def plan(self, site: Site) -> History:
        raise_if_errors([f for f in archive_findings(site.project) if f.severity == "error"])
        return project_history(site.project)

    def emit(self, site: Site, plan: Iterable[object], outputs: Outputs) -> None:
        history: History = plan  # type: ignore[assignment]
        old = [
            version
            for doc in site.project.policies
            for version in superseded(doc, history.get(doc.slug, []))
        ]
        if old:
            _add_superseded(site, old, outputs, history)
        _add_changes_pages(site, history, outputs)
        _add_feeds(site, history, outputs)


def _catalog(site: Site, path: Path | None, lang: str) -> Catalog | None:
    if path is None:
        return None
    key = input_key("catalog", str(path), lang, digest(path.read_bytes()), package_fingerprint())
    return memoised(site.cache, key, functools.partial(load_catalog, path, lang))


def _path(catalog: Catalog | None) -> Path | None:
    return catalog.path if catalog is not None else None


def _name(version: ArchivedVersion) -> str:
    return urls.versioned(version.slug, version.version)


def _documents(
    version: ArchivedVersion,
) -> tuple[PolicyDocument, LeafletDocument | None]:
    name = _name(version)
    leaflet = replace(version.leaflet, slug=name) if version.leaflet else None
    return replace(version.policy, slug=name), leaflet


def _archived_catalogs(site: Site, version: ArchivedVersion, lang: str) -> dict[str, Catalog]:
    policy_po, leaflet_po = version.translations.get(lang, (None, None))
    found = {}
    policy = _catalog(site, policy_po, lang)
    if policy is not None:
        found[_name(version)] = policy
    leaflet = _catalog(site, leaflet_po, lang)
    if leaflet is not None:
        found[leaflet_domain(_name(version))] = leaflet
    return found


def _superseded_notice(
    site: Site, version: ArchivedVersion, history: History, lang: Language
) -> Markup:
    """What an old version's PDFs, EPUB and braille say first: which version this is, which one
    replaced it and when, and where the current one is, in the document's language."""
    interface = site.catalogs[lang.code].interface
    gettext = interface.gettext if interface else (lambda s: s)
    code = lang.code
    doc = site.project.policy(version.slug)
    versions = history.get(version.slug, [])
    later = versions[versions.index(version) + 1 :] if version in versions else []
    base = site.project.config.site.base_url
    address = urls.public_url(base, urls.policy_page(version.slug, code))
    values = {
        "version": format_version(version.version, code),
        "address": Markup('<bdi dir="ltr"><a href="{0}">{0}</a></bdi>').format(address),
    }
    if later:
        text = gettext(
            "This is version %(version)s. It was replaced by version %(next)s on %(date)s. "
            "The current version: %(address)s"
        )
        values |= {
            "next": format_version(later[0].version, code),
            "date": format_day(later[0].record.date, code),
        }
    else:
        text = gettext(
            "This is version %(version)s. It was replaced by version %(next)s. "
            "The current version: %(address)s"
        )
        values["next"] = format_version(doc.meta.version if doc else "", code)
    return Markup('<p class="superseded-note"><strong>{}</strong></p>\n').format(
        catalog_html(text) % values
    )


def _with_notice(view: DocumentView, notice: Markup) -> DocumentView:
    return replace(view, body=replace(view.body, html=str(notice) + view.body.html))


@dataclasses.dataclass(frozen=True)
class _ArchivedSite(Site):
    """The superseded versions' site: each version shows the pictures and links to the files
    its release kept (a version archived before releases kept them shows the current ones),
    published in its own folder, ``<slug>/v<version>/media/``, whatever became of them since."""

    folders: dict[str, Path] = dataclasses.field(default_factory=dict)  # document name: folder

    def local_folder(self, doc: PolicyDocument | LeafletDocument) -> Path:
        return self.folders.get(doc.slug) or super().local_folder(doc)

    def media_path(self, doc: PolicyDocument | LeafletDocument, relative: str) -> str:
        return f"{posixpath.dirname(urls.policy_page(doc.slug, 'en'))}/media/{relative}"

    def version_media(self) -> list[tuple[str, Path]]:
        """The pictures the versions' pages show, by site path."""
        documents = {doc.slug: doc for doc in self.project.policies}
        found: dict[str, Path] = {}
        for views, kind in ((self.views, "policy"), (self.leaflet_views, "leaflet")):
            for (name, _code), view in views.items():
                doc = documents[name] if kind == "policy" else self.project.leaflets[name]
                folder = self.local_folder(doc).resolve()
                for image in view.body.images:
                    relative = image.resolve().relative_to(folder).as_posix()
                    found.setdefault(self.media_path(doc, relative), image)
        return sorted(found.items())


@dataclasses.dataclass(frozen=True)
class _SupersededFiles(_ArchivedSite):
    """The superseded versions' site as their PDFs, EPUBs and braille see it: each document's
    text (the policy's and the leaflet's) starts with its notice (the web pages have their
    banner instead)."""

    notices: dict[tuple[str, str], Markup] = dataclasses.field(default_factory=dict)

    def view(
        self,
        doc: PolicyDocument | LeafletDocument,
        lang: Language,
        catalog: Catalog | None,
        purpose: str,
        resolve_image: ImageResolver,
        resolve_policy: PolicyResolver,
    ) -> DocumentView:
        view = super().view(doc, lang, catalog, purpose, resolve_image, resolve_policy)
        notice = self.notices.get((doc.slug, lang.code))
        return view if notice is None else _with_notice(view, notice)


def _add_superseded(
    site: Site, versions: list[ArchivedVersion], outputs: Outputs, history: History
) -> None:
    """Open the superseded versions as a site of their own (documents named
    ``<slug>@<version>``, which the URL scheme puts at ``/<slug>/v<version>/``), run on it the
    generators of the files a policy's page lists (PDFs, braille, EPUB), then write its policy
    and leaflet pages, marked as not current."""
    from policypress.engine.attachments import AttachmentGenerator
    from policypress.engine.build import generate
    from policypress.engine.registry import GENERATORS

    policies, leaflets = [], {}
    for version in versions:
        policy, leaflet = _documents(version)
        policies.append(policy)
        if leaflet is not None:
            leaflets[policy.slug] = leaflet
    project = Project(site.project.config, tuple(policies), leaflets)
    opened = open_site(site.root, site.options, project)
    folders = {_name(version): version.files_folder for version in versions if version.files_folder}
    # A view is kept while its inputs are unchanged: the archive's files are among them.
    listing = input_key(
        "archived-files", opened.content_listing, [_listing(version) for version in versions]
    )
    old: _ArchivedSite = _ArchivedSite(
        **{f.name: getattr(opened, f.name) for f in dataclasses.fields(opened)}
        | {"content_listing": listing},
        folders=folders,
    )
    catalogs = {}
    for code, found in old.catalogs.items():
        documents: dict[str, Catalog] = {}
        if code != "en":
            for version in versions:
                documents |= _archived_catalogs(site, version, code)
        catalogs[code] = dataclasses.replace(found, documents=documents)
    # The text as it was released: its findings were the office's to fix then, not now. A
    # superseded version is published in the languages its policy now is (the policy's change
    # history links each version in the page's language).
    old = dataclasses.replace(old, catalogs=catalogs, translated=site.translated).with_views()
    listed = [g for g in GENERATORS if g.stage == Stage.FILES and g.listed]
    # Each format starts by saying it is not the current version (the pages have their banner).
    by_name = {_name(version): version for version in versions}
    notices = {
        (name, lang.code): _superseded_notice(site, by_name[name], history, lang)
        for name in by_name
        for lang in old.languages
    }
    fields = {f.name: getattr(old, f.name) for f in dataclasses.fields(old)}
    fields["views"] = {key: _with_notice(view, notices[key]) for key, view in old.views.items()}
    fields["leaflet_views"] = {
        key: _with_notice(view, notices[key]) for key, view in old.leaflet_views.items()
    }
    generate(_SupersededFiles(**fields, notices=notices), outputs, [*listed, AttachmentGenerator()])
    for path, image in old.version_media():
        outputs.add(image.read_bytes(), path=path, kind="asset")
    base = site.project.config.site.base_url
    for lang in old.languages:
        code = lang.code
        renderer = ArchivedSiteRenderer(
            project,
            lang,
            old.catalogs[code].interface,
            old.languages,
            site.web_assets,
            site.unpublished,
        )
        renderer.current = {
            doc.slug: CurrentVersion(doc.meta.version, site.views[(doc.slug, code)].title)
            for doc in site.policies_in(code)
        }
        for policy in old.policies_in(code):
            name = policy.slug
            view = old.views[(name, code)]
            leaflet_view = old.leaflet_views.get((name, code))
            if leaflet_view is not None:
                add_leaflet_qr(old, outputs, base, name, code)
                html = renderer.leaflet_page(
                    leaflet_view, outputs.for_document(name, code), view.title
                )
                outputs.add(
                    html.encode(),
                    path=urls.leaflet_page(name, code),
                    kind="page",
                    policy=name,
                    lang=code,
                    variant="leaflet-page",
                )
            html = renderer.policy_page(view, outputs.for_document(name, code))
            outputs.add(
                html.encode(),
                path=urls.policy_page(name, code),
                kind="page",
                policy=name,
                lang=code,
                variant="page",
            )


def _listing(version: ArchivedVersion) -> list[str]:
    """The names, sizes and times of the files a version keeps (its record among them)."""
    return sorted(
        f"{path.relative_to(version.folder).as_posix()}:{info.st_size}:{info.st_mtime_ns}"
        for path, info in files_with_sizes(version.folder)
    )


def _archived_view(site: Site, version: ArchivedVersion, lang: Language) -> DocumentView:
    """A released version's text in a language, as its own translations had it."""
    policy, _leaflet = _documents(version)
    catalog = _archived_catalogs(site, version, lang.code).get(policy.slug)
    page = urls.changes_page(version.slug, version.version, lang.code)
    return site.view(
        policy,
        lang,
        catalog,
        page,
        site.resolve_image(page),
        site.resolve_policy(lang.code, page),
    )


def _renderer(site: Site, lang: Language) -> SiteRenderer:
    interface = site.catalogs[lang.code].interface
    return SiteRenderer(
        site.project, lang, interface, site.languages, site.web_assets, site.unpublished
    )


def _add_changes_pages(site: Site, history: History, outputs: Outputs) -> None:
    for lang in site.languages:
        renderer = _renderer(site, lang)
        for doc in site.policies_in(lang.code):
            versions = history.get(doc.slug, [])
            if len(versions) < 2:
                continue
            title = site.views[(doc.slug, lang.code)].title
            notes = note_translations(_path(site.catalogs[lang.code].documents.get(doc.slug)))
            views = [_archived_view(site, version, lang) for version in versions]
            for index in range(1, len(versions)):
                sections = compare(views[index - 1].body.html, views[index].body.html)
                html = changes_page(
                    renderer,
                    doc.slug,
                    title,
                    versions[index - 1],
                    versions[index],
                    doc.meta.version,
                    sections,
                    notes,
                )
                outputs.add(
                    html.encode(),
                    path=urls.changes_page(doc.slug, versions[index].version, lang.code),
                    kind="changes",
                    # The manifest says the version the page is about (policy and version apart).
                    policy=urls.versioned(doc.slug, versions[index].version),
                    lang=lang.code,
                    variant="changes",
                )


def _add_feeds(site: Site, history: History, outputs: Outputs) -> None:
    config = site.project.config
    base = config.site.base_url
    reviewed = [d.meta.last_reviewed for d in site.project.policies if d.meta.last_reviewed]
    fallback = max(reviewed) if reviewed else dt.date(2000, 1, 1)
    for lang in site.languages:
        code = lang.code
        interface = site.catalogs[code].interface
        _ = interface.gettext if interface else (lambda s: s)
        entries = []
        for doc in site.policies_in(code):
            view = site.views[(doc.slug, code)]
            notes = note_translations(_path(site.catalogs[code].documents.get(doc.slug)))
            versions = history.get(doc.slug, [])
            for index, version in enumerate(versions):
                if index:
                    target = urls.changes_page(doc.slug, version.version, code)
                elif version.version == doc.meta.version:
                    target = urls.policy_page(doc.slug, code)
                else:
                    target = urls.version_page(doc.slug, version.version, code)
                entries.append(
                    FeedEntry(
                        id=urls.public_url(
                            base, urls.version_page(doc.slug, version.version, code)
                        ),
                        title=_("%(title)s, version %(version)s")
                        % {"title": view.title, "version": format_version(version.version, code)},
                        link=urls.public_url(base, target),
                        updated=version.record.date,
                        summary=translate_note(version.record.note, notes),
                    )
                )
        data = render_feed(
            lang=code,
            title=_("New versions of policies") + f" – {config.school.name}",
            feed_url=urls.public_url(base, urls.feed_file(code)),
            home_url=urls.public_url(base, urls.home_page(code)),
            author=config.school.name,
            entries=entries,
            fallback_updated=fallback,
        )
        outputs.add(data, path=urls.feed_file(code), kind="asset", lang=code, variant="feed")
