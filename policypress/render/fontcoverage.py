"""Prove, before rendering, that the vendored fonts can draw every character of every language.

A check on the site's fonts, given plain data (the project's folder, its languages and the files
whose text the pages show), so ``check`` can run it without the build engine."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from policypress.errors import Finding
from policypress.i18n.languages import FONT_FILES, SOURCE_LANGUAGE, Language
from policypress.layout import find_template_file

# Characters a renderer handles without a glyph (spaces, joiners, direction marks).
_IGNORED = {
    "\n",
    "\t",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\ufeff",
    "\u00ad",
}


@lru_cache(maxsize=16)
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def coverage_for(root: Path, lang: Language) -> frozenset[int]:
    """The characters the pages of ``lang`` can show: those its web fonts keep (the stylesheet's
    unicode-ranges of the vendored fonts), which the PDFs' whole fonts have too."""
    from policypress.render.webfonts import kept_characters, stylesheet_faces

    faces = stylesheet_faces(root)
    covered: set[int] = set()
    for family in lang.fonts:
        family_faces = [f for f in faces if f.family == family and not f.names_only]
        if family_faces:
            for face in family_faces:
                covered |= kept_characters(root, face)
        else:  # a school's stylesheet without web fonts: the pages use the whole fonts
            for weight in ("Regular", "Bold"):
                covered |= _cmap(find_template_file(root, f"{FONT_FILES[family]}-{weight}.ttf"))
    return frozenset(covered)


def autonym_coverage(root: Path, languages: Sequence[Language]) -> list[Finding]:
    """Each language's name must be in the small font that draws it on other languages' pages
    (the language switcher), or it would be drawn letter by letter from another font."""
    from policypress.render.webfonts import STYLESHEET, kept_characters, stylesheet_faces

    findings = []
    faces = stylesheet_faces(root)
    for lang in languages:
        names = [f for f in faces if f.names_only and f.family.startswith(lang.fonts[0])]
        if not names:
            continue
        kept = frozenset().union(*(kept_characters(root, face) for face in names))
        missing = sorted({char for char in lang.autonym if ord(char) not in kept})
        if missing:
            points = ", ".join(f"U+{ord(char):04X}" for char in missing)
            findings.append(
                Finding(
                    "error",
                    f"the language name {lang.autonym!r} ({lang.english_name}) has letters that "
                    f"the font {names[0].family!r} does not keep: {points}",
                    find_template_file(root, STYLESHEET),
                    None,
                    None,
                    f"Add {points} to that @font-face's unicode-range.",
                )
            )
    return findings


def missing_characters(text: str, covered: frozenset[int]) -> list[tuple[int, str]]:
    """(offset, character) for each character the fonts cannot draw."""
    return [
        (index, char)
        for index, char in enumerate(text)
        if char not in _IGNORED and ord(char) not in covered and not char.isspace()
    ]


def font_coverage(
    root: Path,
    languages: Sequence[Language],
    sources: Sequence[Path],
    catalogs: Mapping[str, Sequence[Path]],
) -> list[Finding]:
    """Every character the fonts cannot draw, at its file:line:col: in ``sources`` (the English
    Markdown: policies and leaflets) for the source language, and in the ``msgstr`` lines of
    each other language's catalog files (``catalogs``, by language code)."""
    findings = autonym_coverage(root, languages)
    seen: set[tuple[str, str]] = set()
    for lang in languages:
        covered = coverage_for(root, lang)
        files = sources if lang.code == SOURCE_LANGUAGE else catalogs.get(lang.code, ())
        for path, text in ((path, path.read_text(encoding="utf-8")) for path in files):
            lines = text.split("\n")
            for number, line in enumerate(lines, start=1):
                if lang.code != SOURCE_LANGUAGE and not line.startswith("msgstr"):
                    continue
                for col, char in missing_characters(line, covered):
                    key = (str(path), char)
                    if key in seen:
                        continue
                    seen.add(key)
                    name = unicodedata.name(char, "unnamed character")
                    findings.append(
                        Finding(
                            "error",
                            f"the fonts for {lang.english_name} cannot show the character "
                            f"{char!r} (U+{ord(char):04X} {name})",
                            path,
                            number,
                            col + 1,
                            "Replace it with a character the fonts have (e.g. a plain quote or "
                            "dash), or, if the font has it, add it to the unicode-range of the "
                            "font's @font-face in templates/assets/site.css (the web fonts keep "
                            "only those characters).",
                        )
                    )
    return findings
