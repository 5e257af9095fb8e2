"""The translators' workflow: extract templates (.pot), update and start catalogs (.po), and
report how complete and how checked each language is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import polib
from babel.messages.catalog import Catalog as BabelCatalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from policypress import __version__
from policypress.content.model import LeafletDocument, PolicyDocument, Project
from policypress.content.reader import read_project
from policypress.content.rendering import render_markdown
from policypress.errors import PolicyError
from policypress.i18n.availability import has_translation
from policypress.i18n.catalog import (
    INTERFACE_DOMAIN,
    META_CONTEXT,
    REVIEW_HEADER,
    UNREVIEWED,
    available_languages,
    catalog_path,
    leaflet_domain,
    load_catalog,
    template_path,
)
from policypress.i18n.languages import language
from policypress.layout import template_dirs

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# Fixed header dates keep the templates byte-identical from one extraction to the next.
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _document_entries(doc: PolicyDocument | LeafletDocument, root: Path) -> list[polib.POEntry]:
    relative = doc.path.relative_to(root).as_posix()
    entries: dict[tuple[str, str], polib.POEntry] = {}
    meta_lines = getattr(doc, "key_lines", {})
    for field in ("title", "summary", "owner"):
        value = getattr(doc.meta, field)
        if value:
            entries[(META_CONTEXT, value)] = polib.POEntry(
                msgctxt=META_CONTEXT,
                msgid=value,
                msgstr="",
                occurrences=[(relative, str(meta_lines.get(field, 1)))],
                comment=f"The policy's {field}.",
            )
    body = render_markdown(doc.body, body_line=doc.body_line, path=doc.path)
    for block in body.blocks:
        key = (block.context, block.msgid)
        line = str(block.line or "")
        if key in entries:
            entries[key].occurrences.append((relative, line))
            continue
        entries[key] = polib.POEntry(
            msgctxt=block.context,
            msgid=block.msgid,
            msgstr="",
            occurrences=[(relative, line)],
            comment=_kind_comment(block.kind),
        )
    return list(entries.values())


def _kind_comment(kind: str) -> str:
    names = {
        "p": "Paragraph.",
        "li": "List item.",
        "th": "Table header cell.",
        "td": "Table cell.",
    }
    if kind.startswith("h"):
        return "Heading. Keep it short."
    keep = " Keep [links](...), [^notes], {names} and **bold** as they are."
    return names.get(kind, "Text.") + keep


def _new_pot(domain: str) -> polib.POFile:
    pot = polib.POFile(wrapwidth=0)
    pot.metadata = {
        "Project-Id-Version": f"{domain}",
        "POT-Creation-Date": "2000-01-01 00:00+0000",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Generated-By": f"policypress {__version__}",
    }
    return pot


def interface_entries(root: Path) -> list[polib.POEntry]:
    """Every string the templates and renderers show: skip link, headings, notices, labels."""
    found: dict[str, polib.POEntry] = {}
    sources = []
    for folder in template_dirs(root):
        sources.append(
            extract_from_dir(
                str(folder),
                method_map=[("**.html", "jinja2.ext:babel_extract")],
                options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
            )
        )
    sources.append(
        extract_from_dir(
            str(PACKAGE_DIR),
            method_map=[
                ("render/**.py", "python"),
                ("engine/**.py", "python"),
                ("versions/**.py", "python"),
            ],
            keywords={"_": None, "gettext": None},
        )
    )
    for source in sources:
        for filename, _lineno, message, _comments, _context in source:
            if not isinstance(message, str) or not message:
                continue
            entry = found.get(message)
            # The file only, not its line: a line number changes whenever a template does, and
            # every language's catalog would change with it (and clash on merges).
            place = (Path(filename).as_posix(), "")
            if entry is None:
                found[message] = polib.POEntry(msgid=message, msgstr="", occurrences=[place])
                if "%(" in message:
                    found[message].flags.append("python-format")
            elif place not in entry.occurrences:
                entry.occurrences.append(place)
    return [found[key] for key in sorted(found)]


def release_note_entries(root: Path, slug: str) -> list[polib.POEntry]:
    """The notes and approvers of the policy's released versions (its change history)."""
    from policypress.versions.archive import NOTE_CONTEXT, RECORD, read_history

    entries: dict[str, polib.POEntry] = {}
    for version in read_history(root, slug):
        place = ((version.folder / RECORD).relative_to(root).as_posix(), "1")
        for text in (version.record.note, version.record.approved_by):
            if text and text not in entries:
                entries[text] = polib.POEntry(
                    msgctxt=NOTE_CONTEXT,
                    msgid=text,
                    msgstr="",
                    occurrences=[place],
                    comment="The change history: a release note, or who approved a version.",
                )
    return list(entries.values())


def templates_for(project: Project) -> dict[str, list[polib.POEntry]]:
    root = project.root
    domains: dict[str, list[polib.POEntry]] = {INTERFACE_DOMAIN: interface_entries(root)}
    for doc in project.policies:
        domains[doc.slug] = _document_entries(doc, root) + release_note_entries(root, doc.slug)
        leaflet = project.leaflets.get(doc.slug)
        if leaflet is not None:
            domains[leaflet_domain(doc.slug)] = _document_entries(leaflet, root)
    return domains


def extract_all(root: Path) -> list[tuple[Path, int]]:
    """Write translations/<domain>.pot for the interface, each policy and each leaflet."""
    project = read_project(root)
    written = []
    for domain, entries in templates_for(project).items():
        pot = _new_pot(domain)
        for entry in entries:
            pot.append(entry)
        path = template_path(root, domain)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(pot.__unicode__(), encoding="utf-8")
        written.append((path.relative_to(root), len(entries)))
    return written


def _languages(root: Path, langs: Iterable[str]) -> list[str]:
    chosen = list(langs) or available_languages(root)
    for code in chosen:
        language(code)  # a clear error for an unknown code
    return chosen


def _read_babel(path: Path, locale: str | None) -> BabelCatalog:
    with path.open("rb") as handle:
        try:
            return read_po(handle, locale=locale, abort_invalid=True)
        except Exception as exc:
            line = getattr(exc, "lineno", None)
            raise PolicyError(
                f"this translation file cannot be read: {exc}",
                path,
                line,
                hint="Fix the quotes on this line, or restore the file from the last good copy.",
            ) from None


def update_all(root: Path, langs: Iterable[str] = ()) -> list[str]:
    """Merge each template into each language's catalog. Changed English becomes fuzzy (the old
    translation kept as a starting point), new entries are added empty, removed ones go obsolete."""
    extract_all(root)
    report = []
    pots = sorted((root / "translations").glob("*.pot"))
    for code in _languages(root, langs):
        for pot_path in pots:
            domain = pot_path.stem
            template = _read_babel(pot_path, None)
            target = catalog_path(root, code, domain)
            exists = target.is_file()
            catalog = _read_babel(target, code) if exists else _new_catalog(code, domain)
            catalog.update(template, update_header_comment=False, update_creation_date=False)
            _write_catalog(target, catalog)
            loaded = load_catalog(target, code)
            untranslated = _count(target) - len(loaded.entries) - len(loaded.fuzzy)
            report.append(
                f"{target.relative_to(root)}: {len(loaded.entries)} translated, "
                f"{len(loaded.fuzzy)} fuzzy, {untranslated} untranslated"
            )
    return report


def _count(path: Path) -> int:
    return len([e for e in polib.pofile(str(path)) if not e.obsolete])


def _new_catalog(code: str, domain: str) -> BabelCatalog:
    catalog = BabelCatalog(
        locale=code.replace("-", "_"),
        domain=domain,
        project=domain,
        version=None,
        creation_date=_EPOCH,
        revision_date=_EPOCH,
        last_translator="",
        fuzzy=False,
    )
    return catalog


def _write_catalog(path: Path, catalog: BabelCatalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    review = UNREVIEWED
    if path.is_file():
        existing = polib.pofile(str(path))
        review = existing.metadata.get(REVIEW_HEADER, UNREVIEWED)
    # Babel wraps the previous English of a fuzzy entry badly, so polib writes it instead.
    previous = {
        (message.context or "", message.id): message.previous_id[0]
        for message in catalog
        if message.id and message.previous_id
    }
    with path.open("wb") as handle:
        write_po(
            handle, catalog, width=0, omit_header=False, sort_output=False, include_previous=False
        )
    # Babel drops headers it does not know: put the review status back.
    po = polib.pofile(str(path), wrapwidth=0)
    for entry in po:
        old = previous.get((entry.msgctxt or "", entry.msgid))
        if old:
            entry.previous_msgid = old
    po.metadata[REVIEW_HEADER] = review
    po.metadata.pop("POT-Creation-Date", None)
    po.metadata.pop("PO-Revision-Date", None)
    po.header = (
        f"{language(catalog.locale_identifier or 'en').english_name} translation of "
        f"{path.stem}.\n"
        f"{REVIEW_HEADER}: 'unreviewed' until a qualified translator has checked every entry, "
        "then 'reviewed'."
    )
    po.save(str(path))


def init_language(root: Path, code: str) -> list[str]:
    language(code)
    folder = root / "translations" / code
    if folder.is_dir() and any(folder.glob("*.po")):
        raise PolicyError(
            f"{code} has already been started",
            folder,
            hint=f"Use: policypress translations update --lang {code}",
        )
    return update_all(root, [code])


def status_table(root: Path) -> str:
    """A table per language: translated, fuzzy, untranslated, percentage, review, fallback;
    then the policies each language publishes in English only (they have no translation)."""
    extract_all(root)
    project = read_project(root)
    policies = [doc.slug for doc in project.policies]
    # The languages the build publishes: those the settings list, or every translations folder.
    codes = [c for c in project.config.site.languages if c != "en"] or available_languages(root)
    translated: set[tuple[str, str]] = set()
    rows = [
        (
            "language",
            "catalog",
            "translated",
            "fuzzy",
            "untranslated",
            "done",
            "review",
            "English shown",
        )
    ]
    pots = sorted((root / "translations").glob("*.pot"))
    for code in codes:
        for pot_path in pots:
            domain = pot_path.stem
            wanted = {(e.msgctxt or "", e.msgid) for e in polib.pofile(str(pot_path))}
            target = catalog_path(root, code, domain)
            if target.is_file():
                loaded = load_catalog(target, code)
                done = len(wanted & set(loaded.entries))
                fuzzy = len(wanted & loaded.fuzzy)
                review = loaded.review_status
                if has_translation(loaded):
                    translated.add((domain, code))
            else:
                done, fuzzy, review = 0, 0, "missing"
            missing = len(wanted) - done - fuzzy
            percent = f"{100 * done // max(1, len(wanted))}%"
            rows.append(
                (
                    code,
                    domain,
                    str(done),
                    str(fuzzy),
                    str(missing),
                    percent,
                    review,
                    "yes" if missing or fuzzy else "no",
                )
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    english_only = [
        (code, [slug for slug in policies if (slug, code) not in translated]) for code in codes
    ]
    english_only = [(code, slugs) for code, slugs in english_only if slugs]
    if english_only:
        lines += [
            "",
            "Published in English only (no translation yet; the language's home page lists them "
            "as available in English):",
        ]
        lines += [f"{code:<8}  {', '.join(slugs)}" for code, slugs in english_only]
    return "\n".join(lines)
