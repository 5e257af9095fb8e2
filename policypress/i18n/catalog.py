"""Translation catalogs: PO files read with polib into look-ups for blocks and interface strings."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import polib

from policypress.content.source import read_text
from policypress.errors import Finding, PolicyError, raise_if_errors

TRANSLATIONS_DIR = "translations"
INTERFACE_DOMAIN = "interface"
REVIEW_HEADER = "X-Review-Status"
REVIEWED = "reviewed"
UNREVIEWED = "unreviewed"
META_CONTEXT = "meta"

_LINK_RE = re.compile(r"\]\(([^)\s]+)")
_FOOTNOTE_RE = re.compile(r"\[\^([^\]]+)\]")
# Any conversion, not only %(name)s: a translator's %(school)d must differ from the English.
_PLACEHOLDER_RE = re.compile(r"%\([a-z_]+\)[a-zA-Z]|\{[a-z_]+\}")
_FORMAT_NAME_RE = re.compile(r"%\(([^)]*)\)")
_PO_KEYWORD_RE = re.compile(r"^(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)(?=[\s\"])\s*")
_PO_STRING_RE = re.compile(r'^"(?:[^"\\]|\\.)*"$')
_PO_STRING_START_RE = re.compile(r'^"(?:[^"\\]|\\.)*"')
_HTML_TAG_RE = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
# HTML that is not a tag name: comments and declarations, and attributes (name=" anywhere, or
# name= inside a tag), which would break out of a template's attribute or hide the page.
_HTML_OTHER_RE = re.compile(r"""<!--|-->|<[!?]|([A-Za-z_:][-\w:.]*)\s*=\s*["'`]""")
_TAG_ATTRIBUTE_RE = re.compile(r"""\s([A-Za-z_:][-\w:.]*)\s*=(?!\s*["'`])""")


def _html_other(text: str) -> list[str]:
    found = [m.group(1) + "=" if m.group(1) else m.group(0) for m in _HTML_OTHER_RE.finditer(text)]
    for tag in re.findall(r"<[a-zA-Z][^>]*>?", text):
        found += [name + "=" for name in _TAG_ATTRIBUTE_RE.findall(tag)]
    return sorted(found)


def leaflet_domain(slug: str) -> str:
    return f"{slug}.leaflet"


def template_path(root: Path, domain: str) -> Path:
    return root / TRANSLATIONS_DIR / f"{domain}.pot"


def catalog_path(root: Path, lang: str, domain: str) -> Path:
    return root / TRANSLATIONS_DIR / lang / f"{domain}.po"


def markup_signature(text: str) -> dict[str, list[str]]:
    """What a translation must keep from the English: links, notes, placeholders, tags, bold."""
    return {
        "links": sorted(_LINK_RE.findall(text)),
        "footnotes": sorted(_FOOTNOTE_RE.findall(text)),
        "placeholders": sorted(_PLACEHOLDER_RE.findall(text)),
        "tags": sorted(_HTML_TAG_RE.findall(text)),
        "html": _html_other(text),
        "bold": ["**"] * (text.count("**") // 2),
    }


_WHAT = {
    "links": "links",
    "footnotes": "footnote references",
    "placeholders": "placeholders",
    "tags": "HTML tags",
    "html": "HTML attributes and comments",
    "bold": "bold markers (**)",
}


def markup_mismatch(msgid: str, msgstr: str) -> str | None:
    """Describe how the translation's markup differs from the English, or None."""
    source, target = markup_signature(msgid), markup_signature(msgstr)
    for key, wanted in source.items():
        if target[key] != wanted:
            return (
                f"the translation's {_WHAT[key]} do not match the English: "
                f"expected {wanted or 'none'}, found {target[key] or 'none'}"
            )
    return None


@dataclass
class Catalog:
    """One PO file: translated entries (fuzzy ones count as missing) and its review status."""

    path: Path
    lang: str
    entries: dict[tuple[str, str], str] = field(default_factory=dict)
    fuzzy: set[tuple[str, str]] = field(default_factory=set)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)
    review_status: str = UNREVIEWED
    translator: str = ""
    findings: list[Finding] = field(default_factory=list)
    source_digest: str = ""  # sha256 of the PO file, for cache keys

    @property
    def reviewed(self) -> bool:
        return self.review_status == REVIEWED

    def lookup(self, context: str, msgid: str) -> str | None:
        return self.entries.get((context, msgid))

    def gettext(self, message: str) -> str:
        return self.entries.get(("", message)) or message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        text = self.entries.get(("", singular))
        if text:
            return text
        return singular if n == 1 else plural


def load_catalog(path: Path, lang: str) -> Catalog:
    """Read one PO file; a syntax error becomes a PolicyError with the PO file's line."""
    text = read_text(path)
    try:
        po = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise PolicyError(
            f"this translation file cannot be read: {exc}",
            path,
            int(match.group(1)) if match else None,
            hint="Check the quotes on this line: every msgid and msgstr is one line of text "
            'in double quotes, and a " inside the text is written \\".',
        ) from None
    raise_if_errors(syntax_problems(text, path))  # what polib reads without a word
    catalog = Catalog(path=path, lang=lang)
    catalog.source_digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    catalog.review_status = po.metadata.get(REVIEW_HEADER, UNREVIEWED).strip().lower()
    catalog.translator = po.metadata.get("Last-Translator", "").strip()
    if catalog.review_status not in (REVIEWED, UNREVIEWED):
        catalog.findings.append(
            Finding(
                "error",
                f"{REVIEW_HEADER} should be 'reviewed' or 'unreviewed', not "
                f"{catalog.review_status!r}",
                path,
                _header_line(text),
                hint="Set it to reviewed only once a qualified translator has checked the "
                "translation.",
            )
        )
    for entry in po:
        if entry.obsolete:
            continue
        key = (entry.msgctxt or "", entry.msgid)
        catalog.lines[key] = entry.linenum
        if not entry.msgstr.strip():
            continue
        if entry.fuzzy:
            catalog.fuzzy.add(key)
            continue
        problem = markup_mismatch(entry.msgid, entry.msgstr)
        if problem is None and path.stem == INTERFACE_DOMAIN:
            problem = format_problem(entry.msgid, entry.msgstr)
        if problem:
            catalog.findings.append(
                Finding(
                    "error",
                    problem,
                    path,
                    entry.linenum,
                    hint="Keep every [text](address), [^note], %(name)s and **bold** of the "
                    "English; only the words around them change.",
                )
            )
            continue
        catalog.entries[key] = entry.msgstr
    return catalog


def syntax_problems(text: str, path: Path) -> list[Finding]:
    """Lines a PO reader would misread without a word (polib reads ``msgstr "Witryna`` as
    "Witryn"): every line is a comment, a keyword with a quoted string, or a quoted string."""
    findings = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        keyword = _PO_KEYWORD_RE.match(stripped)
        rest = stripped[keyword.end() :] if keyword else stripped
        if _PO_STRING_RE.match(rest):
            continue
        closed = _PO_STRING_START_RE.match(rest)
        if not rest.startswith('"'):
            message = "this line is not part of a translation entry"
            hint = (
                'Each line is a comment (#), msgid "..." or msgstr "...", or more text in '
                "double quotes; put this text inside the quotes of the line above."
            )
        elif closed is None:
            message = "the text on this line is not closed with a double quote"
            hint = 'Add a " at the end of the line.'
        elif '"' in rest[closed.end() :]:
            message = "this line has a double quote inside the text"
            hint = 'Write a " inside the text as \\", or use typographic quotes (“ ”).'
        else:
            message = "this line has text after the closing double quote"
            hint = "Move the text inside the quotes, or delete it."
        findings.append(Finding("error", message, path, number, None, hint))
    return findings


def format_problem(msgid: str, msgstr: str) -> str | None:
    """Why an interface translation cannot be filled in as the English is (every interface
    string is %-formatted, with the English's %(name)s values), or None."""
    values = dict.fromkeys(_FORMAT_NAME_RE.findall(msgid), "")
    try:
        msgstr % values  # only whether it can be formatted matters
    except KeyError as exc:
        return f"the translation has a placeholder the English does not: %({exc.args[0]})s"
    except (TypeError, ValueError) as exc:
        return f"the translation's % signs cannot be filled in: {exc}"
    return None


def _header_line(text: str) -> int | None:
    for number, line in enumerate(text.split("\n"), start=1):
        if REVIEW_HEADER in line:
            return number
    return None


def available_languages(root: Path) -> list[str]:
    folder = root / TRANSLATIONS_DIR
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and any(p.glob("*.po")))
