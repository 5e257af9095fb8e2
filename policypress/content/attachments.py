"""Files a policy links to or keeps beside it (forms, PDFs, Word files, spreadsheets): where each
is on disk, the safe name it is published under, and how it is described to a reader."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

# What a reader is told each kind of file is, so they know which program opens it.
KINDS = {
    ".pdf": "PDF",
    ".doc": "Word document",
    ".docx": "Word document",
    ".odt": "OpenDocument text",
    ".rtf": "Rich Text document",
    ".txt": "text file",
    ".xls": "Excel spreadsheet",
    ".xlsx": "Excel spreadsheet",
    ".ods": "OpenDocument spreadsheet",
    ".csv": "CSV spreadsheet",
    ".ppt": "PowerPoint presentation",
    ".pptx": "PowerPoint presentation",
    ".odp": "OpenDocument presentation",
    ".zip": "ZIP archive",
}


@dataclass(frozen=True)
class Attachment:
    """One file published with a policy."""

    label: str  # the link's text, or a name made from the file name
    href: str  # its address, as seen from the document
    file: Path
    name: str  # the safe file name it is published under
    kind: str  # "Word document", "PDF" ...
    size: int  # bytes

    def describe(self) -> str:
        """ "Word document, 24 KB", for the list on the policy page."""
        return f"{self.kind}, {file_size(self.size)}"


def file_size(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{round(size / 1000)} KB"
    return f"{size / 1_000_000:.1f} MB"


def is_file_link(href: str) -> bool:
    """A link within the site to a document file (not a page or a policy)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return False
    return PurePosixPath(unquote(parts.path)).suffix.lower() in KINDS


def safe_name(name: str) -> str:
    """``Formal Complaint Form (v2).DOCX`` -> ``formal-complaint-form-v2.docx``: lower-case
    letters, digits and hyphens, safe in any web address and on any server."""
    path = PurePosixPath(name)
    stem = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "file"
    return stem[:80] + path.suffix.lower()


def label_for(file: Path) -> str:
    """A readable name for a file nobody linked to: ``complaint_form.docx`` -> "Complaint form"."""
    words = re.sub(r"[-_.]+", " ", file.stem).strip()
    return (words[:1].upper() + words[1:]) if words else file.name


def find_file(href: str, content: Path, document: Path) -> Path | None:
    """The file a link means, inside the content folder, or None: relative to the policy's
    folder; an address from the site root (``/policies/Form.pdf``, as other site generators
    write them) in the content folder; and failing both, the only file of that name in it."""
    path = unquote(urlsplit(href).path)
    if not path:
        return None
    content = content.resolve()
    candidates = []
    if path.startswith("/"):
        parts = PurePosixPath(path).parts[1:]
        candidates += [content.joinpath(*parts[i:]) for i in range(len(parts))]
    else:
        candidates.append(document.parent / path)
    for candidate in candidates:
        found = _inside(candidate, content)
        if found is not None:
            return found
    name = PurePosixPath(path).name
    matches = sorted(p for p in content.rglob(name) if p.is_file()) if name else []
    if len(matches) == 1:
        return _inside(matches[0], content)
    return None


def find_image(src: str, content: Path) -> Path | None:
    """The picture an image's address (relative to the content folder) means, or None if it
    is outside that folder or not there."""
    return _inside(content / src, content.resolve())


def _inside(candidate: Path, content: Path) -> Path | None:
    try:
        resolved = candidate.resolve()
        resolved.relative_to(content)
    except (ValueError, OSError):
        return None
    return resolved if resolved.is_file() else None


def beside(document: Path, slug: str) -> list[Path]:
    """The files kept in the policy's own folder, ``content/<slug>/``, published with it."""
    folder = document.parent / slug
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in KINDS)


def attachment(file: Path, label: str, href: str) -> Attachment:
    return Attachment(
        label=label,
        href=href,
        file=file,
        name=safe_name(file.name),
        kind=KINDS[file.suffix.lower()],
        size=file.stat().st_size,
    )
