"""The archive of released versions: ``archive/<policy>/<version>/`` holds the policy, its leaflet,
its translations and the pictures and files they link to (in the folders they have under
``content/``) as they were approved, and ``release.toml``, the record of the release (version,
when and by whom it was approved, a one-line note, major or minor, the files kept). It is plain
files, so the history works without git."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import shutil
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from policypress.content.attachments import find_file, find_image
from policypress.content.model import LeafletDocument, PolicyDocument, Project
from policypress.content.reader import CONTENT_DIR, read_leaflet, read_policy
from policypress.content.rendering import render_markdown
from policypress.errors import Finding, PolicyError
from policypress.i18n.catalog import TRANSLATIONS_DIR, catalog_path, leaflet_domain

ARCHIVE_DIR = "archive"
RECORD = "release.toml"
LEAFLET_FILE = "leaflet.md"
PLACEHOLDER = "PLACEHOLDER"
# Release notes are translated in the policy's own catalog, under this context.
NOTE_CONTEXT = "release-note"
Change = Literal["major", "minor"]
_VERSION_RE = re.compile(r"^\d{1,4}(?:\.\d{1,4}){0,3}$")
_KEYS = (
    "version",
    "released",
    "approved_on",
    "approved_by",
    "note",
    "change",
    "placeholders",
    "files",
)


def version_key(version: str) -> tuple[int, ...]:
    """``"1.10"`` sorts after ``"1.9"``."""
    return tuple(int(part) for part in version.split("."))


def valid_version(version: str) -> bool:
    return bool(_VERSION_RE.match(version))


@dataclass(frozen=True)
class ReleaseRecord:
    """What ``release.toml`` says about one released version."""

    version: str
    released: dt.date  # the day `policypress release` recorded it
    note: str
    change: Change
    approved_on: dt.date | None = None
    approved_by: str = ""
    # Facts the office has not confirmed yet ("approved_on", "approved_by"): shown as they are,
    # and `check` reminds the office until they are confirmed.
    placeholders: tuple[str, ...] = ()
    # The pictures and files kept beside the policy (paths as under content/); None for a
    # version archived before releases kept them, whose pages show the current files.
    files: tuple[str, ...] | None = None

    @property
    def date(self) -> dt.date:
        """The version's date for the history and the feed: approval, else the release."""
        return self.approved_on or self.released


@dataclass(frozen=True)
class ArchivedVersion:
    """One released version of a policy, as it sits in the archive."""

    slug: str
    folder: Path
    record: ReleaseRecord
    policy: PolicyDocument
    leaflet: LeafletDocument | None = None
    # language -> (policy catalog, leaflet catalog), either possibly absent
    translations: dict[str, tuple[Path | None, Path | None]] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return self.record.version

    @property
    def files_folder(self) -> Path | None:
        """Where the pictures and files this version links to are kept (the folders below it
        are those of ``content/``), or None if it was archived before releases kept them."""
        return self.folder if self.record.files is not None else None


def archive_folder(root: Path, slug: str) -> Path:
    return root / ARCHIVE_DIR / slug


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.split("\n"), 1):
        if re.match(rf"^\s*{re.escape(key)}\s*=", line):
            return number
    return None


def read_record(path: Path) -> ReleaseRecord:
    """Read and validate one ``release.toml``, every problem with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(
            "this archived version has no release.toml",
            path.parent,
            hint="Each folder in archive/<policy>/ is written by `policypress release`; put the "
            "folder back as it was, or delete it if it is not a released version.",
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+), column (\d+)", str(exc))
        line, col = (int(match.group(1)), int(match.group(2))) if match else (None, None)
        raise PolicyError(
            f"this release record cannot be read: {str(exc).split(' (at')[0]}",
            path,
            line,
            col,
            hint='Each line is key = value, text in double quotes ("..."), dates as 2026-11-20.',
        ) from None
    findings: list[Finding] = []

    def problem(key: str, message: str, hint: str) -> None:
        findings.append(Finding("error", message, path, _line_of(text, key), None, hint))

    for key in data:
        if key not in _KEYS:
            problem(key, f"unknown key {key!r} in the release record", f"Use only {_KEYS}.")
    version = data.get("version")
    if not isinstance(version, str) or not valid_version(version):
        problem("version", f"the version {version!r} is not a version number", 'Write it as "1.0".')
        version = "0"
    elif path.parent.name != version:
        problem(
            "version",
            f"the record says version {version} but its folder is {path.parent.name}",
            f"Rename the folder to {version}, or put back the version it was released as.",
        )
    dates: dict[str, dt.date | None] = {}
    for key in ("released", "approved_on"):
        value = data.get(key)
        if value is None and key == "approved_on":
            dates[key] = None
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            dates[key] = value
        else:
            problem(key, f"{key} must be a date such as 2026-11-20, not {value!r}", "Fix the date.")
            dates[key] = None
    texts: dict[str, str] = {}
    for key in ("note", "approved_by"):
        value = data.get(key, "")
        if not isinstance(value, str) or (key == "note" and not value.strip()):
            problem(key, f"{key} must be a line of text", f'Write {key} = "...".')
            value = ""
        texts[key] = value.strip()
    change = data.get("change")
    if change not in ("major", "minor"):
        problem("change", f'change must be "major" or "minor", not {change!r}', "Fix it.")
        change = "minor"
    placeholders = data.get("placeholders", [])
    if not isinstance(placeholders, list) or any(
        p not in ("approved_on", "approved_by") for p in placeholders
    ):
        problem(
            "placeholders",
            "placeholders lists the facts not yet confirmed",
            'Write placeholders = ["approved_on"], or remove the line once confirmed.',
        )
        placeholders = []
    files = data.get("files")
    if files is not None and (
        not isinstance(files, list) or not all(isinstance(f, str) and _kept(f) for f in files)
    ):
        problem(
            "files",
            "files lists the pictures and files kept with this version, as paths such as "
            '"images/hall.png"',
            "Put the list back as `policypress release` wrote it.",
        )
        files = None
    if findings:
        error = PolicyError(findings[0].message, path, findings[0].line, hint=findings[0].hint)
        error.findings = findings  # type: ignore[attr-defined]
        raise error
    released = dates["released"]
    assert released is not None
    assert isinstance(version, str)
    return ReleaseRecord(
        version=version,
        released=released,
        note=texts["note"],
        change="major" if change == "major" else "minor",
        approved_on=dates["approved_on"],
        approved_by=texts["approved_by"],
        placeholders=tuple(placeholders),
        files=tuple(files) if files is not None else None,
    )


def _kept(name: str) -> bool:
    """A path a release may keep: relative, inside the version's folder, not one of its own."""
    parts = name.split("/")
    return (
        bool(name)
        and not name.startswith("/")
        and ".." not in parts
        and parts[0]
        not in (
            RECORD,
            TRANSLATIONS_DIR,
            LEAFLET_FILE,
        )
        and not name.endswith(".md")
    )


def read_version(slug: str, folder: Path) -> ArchivedVersion:
    record = read_record(folder / RECORD)
    source = folder / f"{slug}.md"
    if not source.is_file():
        raise PolicyError(
            f"the archived version {record.version} has no {slug}.md",
            folder,
            hint="The archive keeps the policy as it was released; put the file back "
            "(from a backup), or delete this version's folder.",
        )
    policy = read_policy(source)
    leaflet_path = folder / LEAFLET_FILE
    leaflet = None
    if leaflet_path.is_file():
        leaflet = replace(read_leaflet(leaflet_path), slug=slug)
    translations: dict[str, tuple[Path | None, Path | None]] = {}
    folder_translations = folder / TRANSLATIONS_DIR
    if folder_translations.is_dir():
        for lang_dir in sorted(p for p in folder_translations.iterdir() if p.is_dir()):
            policy_po = catalog_path(folder, lang_dir.name, slug)
            leaflet_po = catalog_path(folder, lang_dir.name, leaflet_domain(slug))
            translations[lang_dir.name] = (
                policy_po if policy_po.is_file() else None,
                leaflet_po if leaflet_po.is_file() else None,
            )
    return ArchivedVersion(slug, folder, record, policy, leaflet, translations)


def read_history(root: Path, slug: str) -> list[ArchivedVersion]:
    """Every released version of a policy, oldest first (an error names a broken archive).
    Read once per process while the archive's files are unchanged: each page of each language
    shows the history."""
    folder = archive_folder(root, slug)
    if not folder.is_dir():
        return []
    stamp = tuple(
        sorted(
            (str(path), info.st_size, info.st_mtime_ns)
            for path in folder.rglob("*")
            for info in (path.stat(),)
        )
    )
    return list(_read_history(folder, slug, stamp))


@functools.lru_cache(maxsize=32)
def _read_history(
    folder: Path, slug: str, stamp: tuple[tuple[str, int, int], ...]
) -> tuple[ArchivedVersion, ...]:
    versions = []
    findings: list[Finding] = []
    for child in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if not valid_version(child.name):
            findings.append(
                Finding(
                    "error",
                    f"the archive folder {child.name!r} is not a version number",
                    child,
                    hint="Each folder in archive/<policy>/ is one released version, named like "
                    "1.0; move anything else out of archive/.",
                )
            )
            continue
        try:
            versions.append(read_version(slug, child))
        except PolicyError as exc:
            findings.extend(getattr(exc, "findings", [exc.finding]))
    if findings:
        error = PolicyError(findings[0].message, findings[0].path, findings[0].line)
        error.findings = findings  # type: ignore[attr-defined]
        raise error
    return tuple(sorted(versions, key=lambda v: version_key(v.version)))


def project_history(project: Project) -> dict[str, list[ArchivedVersion]]:
    """The released versions of every policy of the project, all problems reported at once."""
    findings: list[Finding] = []
    history: dict[str, list[ArchivedVersion]] = {}
    for doc in project.policies:
        try:
            history[doc.slug] = read_history(project.root, doc.slug)
        except PolicyError as exc:
            findings.extend(getattr(exc, "findings", [exc.finding]))
    if findings:
        error = PolicyError(findings[0].message, findings[0].path, findings[0].line)
        error.findings = findings  # type: ignore[attr-defined]
        raise error
    return history


def superseded(doc: PolicyDocument, versions: list[ArchivedVersion]) -> list[ArchivedVersion]:
    """The released versions that are no longer current (published at their own address)."""
    return [v for v in versions if v.version != doc.meta.version]


def archive_findings(project: Project) -> list[Finding]:
    """`check`'s view of the archive: broken records, a version changed without a release, and
    facts still marked as placeholders."""
    try:
        history = project_history(project)
    except PolicyError as exc:
        return list(getattr(exc, "findings", [exc.finding]))
    findings: list[Finding] = []
    archive = project.root / ARCHIVE_DIR
    slugs = {doc.slug for doc in project.policies}
    if archive.is_dir():
        for folder in sorted(p for p in archive.iterdir() if p.is_dir()):
            if folder.name not in slugs and not folder.name.startswith("."):
                findings.append(
                    Finding(
                        "warning",
                        f"archive/{folder.name}/ belongs to no policy: there is no "
                        f"content/{folder.name}.md, so its versions are not published",
                        folder,
                        hint="Put the policy back under its old file name (its address), or "
                        "move this folder out of archive/ if the policy is withdrawn.",
                    )
                )
    for doc in project.policies:
        versions = history.get(doc.slug, [])
        if not versions:
            continue
        current = doc.meta.version
        released = [v.version for v in versions]
        line = doc.key_lines.get("version", 1)
        if current not in released:
            latest = released[-1]
            findings.append(
                Finding(
                    "error",
                    f"version {current or '(none)'} has not been released: the archive holds "
                    f"{', '.join(released)}, so version {latest} as published is kept but "
                    f"this text is not recorded as a version",
                    doc.path,
                    line,
                    None,
                    f"Put back version: {json.dumps(latest)} and run `policypress release "
                    f'{doc.slug} --version {current or "NEW"} --note "what changed"`, which '
                    "records the new version and sets the version line itself.",
                )
            )
        elif version_key(current) < version_key(released[-1]):
            findings.append(
                Finding(
                    "error",
                    f"version {current} is older than the latest release, {released[-1]}",
                    doc.path,
                    line,
                    None,
                    f"Write version: {json.dumps(released[-1])}, the version last released.",
                )
            )
        findings.extend(_kept_files(project, doc, versions))
        for version in versions:
            for name in version.record.placeholders:
                record = version.folder / RECORD
                text = record.read_text(encoding="utf-8")
                findings.append(
                    Finding(
                        "warning",
                        f"{name} of version {version.version} is a placeholder, not a "
                        "confirmed fact",
                        record,
                        _line_of(text, name) or _line_of(text, "placeholders"),
                        None,
                        "Check it against the governors' minutes, correct it, and take it out "
                        "of the placeholders list.",
                    )
                )
    return findings


def linked_files(doc: PolicyDocument | LeafletDocument, content: Path) -> list[Path]:
    """The pictures and files in ``content`` a document shows or links to (and those kept in
    its own folder), each once, in a fixed order."""
    body = render_markdown(
        doc.body,
        body_line=doc.body_line,
        path=doc.path,
        resolve_image=lambda src: (src, find_image(src, content)),
        resolve_file=lambda href: (href, find_file(href, content, doc.path)),
    )
    return sorted({*body.images, *(item.file for item in body.attachments)})


def _kept_files(
    project: Project, doc: PolicyDocument, versions: list[ArchivedVersion]
) -> list[Finding]:
    """An error for each file a release kept that has gone from the archive; a note for each
    superseded version archived before releases kept pictures and files, if it links to any:
    its pages show today's copies, or break when they are deleted."""
    content = (project.root / CONTENT_DIR).resolve()
    findings = []
    for version in versions:
        for name in version.record.files or ():
            if not (version.folder / name).is_file():
                findings.append(
                    Finding(
                        "error",
                        f"version {version.version} kept {name} when it was released, but the "
                        "file is no longer in its archive folder",
                        version.folder / name,
                        hint="Put the file back from a backup (the version's pages and PDFs "
                        "show it as it was approved), or restore the whole folder.",
                    )
                )
    for version in superseded(doc, versions):
        record = version.folder / RECORD
        if version.files_folder is not None:
            continue
        documents: list[PolicyDocument | LeafletDocument] = [version.policy]
        if version.leaflet is not None:
            documents.append(version.leaflet)
        names = sorted(
            {
                file.relative_to(content).as_posix()
                for document in documents
                for file in linked_files(document, content)
            }
        )
        if not names:
            continue
        listed = ", ".join(f"content/{name}" for name in names)
        findings.append(
            Finding(
                "note",
                f"version {version.version} was archived before releases kept pictures and "
                f"files, so its pages and PDFs show today's {listed} (and break if they are "
                "deleted)",
                record,
                hint=f"To show them as they were approved, copy them as they were then (from a "
                f"backup) into archive/{doc.slug}/{version.version}/, in the same folders as "
                f"under content/, and add this line to {RECORD}: "
                f"files = {json.dumps(names, ensure_ascii=False)}",
            )
        )
    return findings


# -- the office's step: release ------------------------------------------------------------------
def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def record_text(record: ReleaseRecord) -> str:
    lines = [
        "# The record of one released version, written by `policypress release`.",
        "# The files beside it are the policy as it was released: do not edit them.",
        f"version = {_toml_string(record.version)}",
        f"released = {record.released.isoformat()}",
    ]
    if record.approved_on is not None:
        lines.append(f"approved_on = {record.approved_on.isoformat()}")
    if record.approved_by:
        lines.append(f"approved_by = {_toml_string(record.approved_by)}")
    lines.append(f"change = {_toml_string(record.change)}")
    lines.append(f"note = {_toml_string(record.note)}")
    if record.placeholders:
        lines.append(f"placeholders = {json.dumps(list(record.placeholders))}")
    if record.files is not None:
        lines.append(f"files = {json.dumps(list(record.files), ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def set_version_line(path: Path, doc: PolicyDocument, version: str) -> None:
    """Change only the ``version:`` line of the front matter, keeping the office's layout."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    line = doc.key_lines.get("version")
    new = f"version: {json.dumps(version)}"
    if line is None:
        title = doc.key_lines.get("title", 2)
        lines.insert(title, new)  # just after the title line
    else:
        old = lines[line - 1]
        indent = old[: len(old) - len(old.lstrip())]
        lines[line - 1] = indent + new
    path.write_text("\n".join(lines), encoding="utf-8")


def release(
    project: Project,
    slug: str,
    version: str,
    note: str,
    *,
    major: bool = False,
    approved_by: str = "",
    approved_on: dt.date | None = None,
    today: dt.date | None = None,
) -> ArchivedVersion:
    """Record the policy as it now is (with its leaflet, translations, and the pictures and
    files they link to) as ``version``: copy it into ``archive/<slug>/<version>/`` with its
    record, then set the front matter's version. Nothing is written if anything is wrong."""
    root = project.root
    doc = project.policy(slug)
    if doc is None:
        names = ", ".join(p.slug for p in project.policies)
        raise PolicyError(
            f"there is no policy called {slug!r}",
            root / CONTENT_DIR,
            hint=f"Give the policy's file name without .md: one of {names}.",
        )
    if not valid_version(version):
        raise PolicyError(
            f"{version!r} is not a version number", hint="Give it as 1.1, or 2.0 for a major one."
        )
    if not note.strip():
        raise PolicyError(
            "a release needs a note", hint='Say in one line what changed: --note "..."'
        )
    versions = read_history(root, slug)
    released = [v.version for v in versions]
    if version in released:
        raise PolicyError(
            f"version {version} of {slug} has already been released",
            archive_folder(root, slug) / version,
            hint="Give the next version number, e.g. " + _next(released[-1]) + ".",
        )
    if released and version_key(version) < version_key(released[-1]):
        raise PolicyError(
            f"version {version} is older than the latest release, {released[-1]}",
            hint=f"Give a number after {released[-1]}, e.g. {_next(released[-1])}.",
        )
    leaflet = project.leaflets.get(slug)
    content = (root / CONTENT_DIR).resolve()
    kept: dict[str, Path] = {}
    for document in (doc, leaflet):
        if document is None:
            continue
        for file in linked_files(document, content):
            name = file.relative_to(content).as_posix()
            if not _kept(name):
                raise PolicyError(
                    f"content/{name} cannot be kept with the released version: the archive "
                    "keeps its own files under that name (translations/, release.toml)",
                    file,
                    hint="Move the file to another folder of content/ (content/images/, "
                    "content/files/ ...), change the link to it, and release again.",
                )
            kept[name] = file
    record = ReleaseRecord(
        version=version,
        released=today or dt.date.today(),
        note=note.strip(),
        change="major" if major else "minor",
        approved_on=approved_on,
        approved_by=approved_by.strip(),
        files=tuple(sorted(kept)),
    )
    folder = archive_folder(root, slug) / version
    staging = folder.with_name(f".{version}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    shutil.copy2(doc.path, staging / f"{slug}.md")
    if doc.meta.version != version:  # the copy says which version it is
        set_version_line(staging / f"{slug}.md", doc, version)
    if leaflet is not None:
        shutil.copy2(leaflet.path, staging / LEAFLET_FILE)
    for name, file in sorted(kept.items()):  # as they are now: later edits do not reach them
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(file, target)
    for po in sorted((root / TRANSLATIONS_DIR).glob(f"*/{slug}.po")) + sorted(
        (root / TRANSLATIONS_DIR).glob(f"*/{leaflet_domain(slug)}.po")
    ):
        target = staging / TRANSLATIONS_DIR / po.parent.name / po.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(po, target)
    (staging / RECORD).write_text(record_text(record), encoding="utf-8")
    staging.rename(folder)
    if doc.meta.version != version:
        set_version_line(doc.path, doc, version)
    return read_version(slug, folder)


def _next(version: str) -> str:
    parts = version.split(".")
    parts[-1] = str(int(parts[-1]) + 1)
    return ".".join(parts)
