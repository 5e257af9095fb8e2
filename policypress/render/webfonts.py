"""The site's assets as published: the fonts subset to the characters the stylesheet declares and
compressed as WOFF2, and every font, stylesheet and icon named by a hash of its bytes (so that a
school's web server may cache them for ever without ever serving a stale one).

The stylesheet is the one place that says what each web font holds: an ``@font-face`` whose
``src`` is ``url("fonts/<folder>/<Name>[.<part>].woff2")`` is made from
``assets/fonts/<folder>/<Name>.ttf``, keeping exactly the characters of its ``unicode-range``
(with every layout feature, so Arabic script still joins and stacks). Subsetting a large
Nastaliq font takes minutes, so the results are kept in the build cache, and policypress ships
its own fonts' results beside them (``assets/fonts/webfonts.json``); run ``python -m
policypress.render.webfonts`` after changing a font or a ``unicode-range`` to remake those."""

from __future__ import annotations

import io
import json
import logging
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Protocol

from policypress.errors import PolicyError
from policypress.hashing import digest, input_key
from policypress.layout import DEFAULT_TEMPLATES, find_template_file, template_dirs

log = logging.getLogger(__name__)

STYLESHEET = "assets/site.css"
FONTS = "assets/fonts"
PREBUILT = "assets/fonts/webfonts.json"
# Published under a name with the hash of their bytes; everything else keeps its name.
FINGERPRINTED = (STYLESHEET, "assets/favicon.svg")
# The subsetting recipe: part of every key, so a change of options never reuses old fonts.
SUBSET_OPTIONS: dict[str, object] = {
    "layout_features": ["*"],
    "name_IDs": ["*"],
    "name_languages": ["*"],
    "notdef_outline": True,
    "glyph_names": False,
    "hinting": True,
}

_FACE = re.compile(r"@font-face\s*\{(?P<body>[^}]*)\}")
_FAMILY = re.compile(r"font-family\s*:\s*[\"']?(?P<family>[^;\"']+)[\"']?\s*;")
_WEIGHT = re.compile(r"font-weight\s*:\s*(?P<weight>\d+)")
_SRC = re.compile(r"url\(\s*[\"']?(?P<url>[^\"')]+\.woff2)[\"']?\s*\)")
_RANGE = re.compile(r"unicode-range\s*:\s*(?P<ranges>[^;}]+)")
_URL = re.compile(r"url\(\s*(?P<quote>[\"']?)(?P<url>[^\"')]+)(?P=quote)\s*\)")


@dataclass(frozen=True)
class FontFace:
    """One ``@font-face`` of the stylesheet that points at a web font made from a vendored TTF."""

    family: str
    weight: int
    path: str  # the web font's name in the site, before fingerprinting: assets/fonts/…woff2
    source: str  # the template file it is made from: assets/fonts/…ttf
    unicodes: frozenset[int]

    @property
    def names_only(self) -> bool:
        """A face holding only the names of languages (for the language switcher)."""
        return PurePosixPath(self.path).suffixes[:1] == [".names"]


@dataclass
class WebAssets:
    """What ``publish_assets`` made: the published name of each asset, the files by their
    cache object, and the faces the stylesheet declares."""

    names: dict[str, str] = field(default_factory=dict)  # assets/site.css -> assets/site.1a2b….css
    files: dict[str, str] = field(default_factory=dict)  # published path -> sha256 in the cache
    faces: list[FontFace] = field(default_factory=list)
    handled: set[str] = field(default_factory=set)  # template files not to publish as they are

    def preloads(self, family: str) -> list[str]:
        """The published fonts a page in ``family`` draws its first screen with: the regular
        and bold text faces (never the switcher's names-only faces). A page in another script
        also draws Latin in its header (the school's name, the switcher's "English"): the Latin
        faces are preloaded too, so they arrive before the first paint instead of swapping in
        after it and moving the header (a layout shift of 0.26 on the Urdu page)."""
        families = [family] if family == LATIN_FAMILY else [family, LATIN_FAMILY]
        return [
            self.names[face.path]
            for wanted in families
            for face in self.faces
            if face.family == wanted and not face.names_only and face.path in self.names
        ]


LATIN_FAMILY = "Atkinson Hyperlegible Next"


def parse_unicode_range(text: str) -> frozenset[int]:
    """``U+0600-06FF, U+200C`` -> the code points (``U+06??`` wildcards too)."""
    points: set[int] = set()
    for part in text.split(","):
        part = part.strip().upper()
        if not part:
            continue
        if not part.startswith("U+"):
            raise ValueError(f"not a unicode-range: {part!r}")
        value = part[2:]
        if "?" in value:
            low, high = int(value.replace("?", "0"), 16), int(value.replace("?", "F"), 16)
        elif "-" in value:
            first, last = value.split("-", 1)
            low, high = int(first, 16), int(last, 16)
        else:
            low = high = int(value, 16)
        points.update(range(low, high + 1))
    return frozenset(points)


def font_faces(css: str, css_path: Path | None = None) -> list[FontFace]:
    """The stylesheet's web-font faces, in order."""
    faces = []
    for match in _FACE.finditer(css):
        body = match.group("body")
        src = _SRC.search(body)
        if src is None:
            continue
        family = _FAMILY.search(body)
        ranges = _RANGE.search(body)
        line = css.count("\n", 0, match.start()) + 1
        if family is None or ranges is None:
            raise PolicyError(
                "this @font-face has a WOFF2 font but no font-family or no unicode-range",
                css_path,
                line,
                hint="Give it both: the unicode-range says which characters the font keeps.",
            )
        try:
            unicodes = parse_unicode_range(ranges.group("ranges"))
        except ValueError as exc:
            raise PolicyError(
                f"this @font-face's unicode-range cannot be read: {exc}",
                css_path,
                line,
                hint="Write it as in the CSS standard, e.g. U+0600-06FF, U+200C.",
            ) from None
        weight = _WEIGHT.search(body)
        path = (PurePosixPath("assets") / src.group("url")).as_posix()
        name = PurePosixPath(path).name.split(".", 1)[0]
        source = (PurePosixPath(path).parent / f"{name}.ttf").as_posix()
        faces.append(
            FontFace(
                family.group("family").strip(),
                int(weight.group("weight")) if weight else 400,
                path,
                source,
                unicodes,
            )
        )
    return faces


def stylesheet_faces(root: Path) -> list[FontFace]:
    css_file = find_template_file(root, STYLESHEET)
    return _faces_of(css_file, css_file.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _faces_of(css_file: Path, mtime: int) -> list[FontFace]:
    return font_faces(css_file.read_text(encoding="utf-8"), css_file)


@lru_cache(maxsize=64)
def face_key(face: FontFace, ttf_digest: str) -> str:
    """Everything a web font depends on: its source font, the characters kept, the recipe."""
    return input_key("webfont", ttf_digest, sorted(face.unicodes), SUBSET_OPTIONS)


def file_digest(path: Path) -> str:
    info = path.stat()
    return _file_digest(path, info.st_size, info.st_mtime_ns)


@lru_cache(maxsize=64)
def _file_digest(path: Path, size: int, mtime: int) -> str:
    """A file's sha256, hashed once per process while its size and time stay the same."""
    return digest(path.read_bytes())


def make_web_font(ttf: bytes, unicodes: Iterable[int]) -> bytes:
    """``ttf`` subset to the ``unicodes`` it has, as WOFF2; the same bytes every time (the
    fonts' own dates are kept, not replaced by today's)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    for name, value in SUBSET_OPTIONS.items():
        setattr(options, name, value)
    options.flavor = "woff2"
    font = TTFont(io.BytesIO(ttf), recalcTimestamp=False)
    wanted = set(unicodes) & set(font.getBestCmap())
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(wanted))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out, reorderTables=True)
    return out.getvalue()


def kept_characters(root: Path, face: FontFace) -> frozenset[int]:
    """The characters a web font holds: those of its source font within its unicode-range."""
    return face.unicodes & _cmap(find_template_file(root, face.source))


@lru_cache(maxsize=16)
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def _prebuilt(key: str) -> bytes | None:
    """The shipped result for ``key``, if policypress ships one."""
    listing = DEFAULT_TEMPLATES / PREBUILT
    try:
        shipped: dict[str, str] = json.loads(listing.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for name, shipped_key in shipped.items():
        if shipped_key == key:
            try:
                return (DEFAULT_TEMPLATES / name).read_bytes()
            except OSError:
                return None
    return None


class ObjectStore(Protocol):
    """What the assets need of the build's cache (the engine's content-addressed store): objects
    put by their bytes, and an input key remembered to point at one."""

    def put(self, data: bytes) -> str: ...

    def lookup(self, key: str) -> str | None: ...

    def remember(self, key: str, sha: str) -> None: ...


def web_font(cache: ObjectStore, face: FontFace, source: Path) -> str:
    """The cache object of ``face``'s web font: from the cache, from policypress's shipped
    fonts, or (once, slowly) made now from ``source``."""
    key = face_key(face, file_digest(source))
    sha = cache.lookup(key)
    if sha is None:
        data = _prebuilt(key)
        if data is None:
            log.info("making the web font %s (once; it is kept in the cache)", face.path)
            data = make_web_font(source.read_bytes(), face.unicodes)
        sha = cache.put(data)
        cache.remember(key, sha)
    return sha


def fingerprinted(path: str, sha: str) -> str:
    """``assets/site.css`` -> ``assets/site.1a2b3c4d.css``."""
    pure = PurePosixPath(path)
    stem = pure.name.split(".", 1)[0]
    rest = pure.name[len(stem) :]
    return (pure.parent / f"{stem}.{sha[:8]}{rest}").as_posix()


def rewrite_urls(css: str, names: Mapping[str, str], base: str = "assets") -> str:
    """Point the stylesheet's url()s at the published (fingerprinted) names."""

    def replace(match: re.Match[str]) -> str:
        url = match.group("url")
        target = (PurePosixPath(base) / url).as_posix()
        if target not in names:
            return match.group(0)
        new = PurePosixPath(names[target]).relative_to(base).as_posix()
        return f'url("{new}")'

    return _URL.sub(replace, css)


def publish_assets(root: Path, cache: ObjectStore) -> WebAssets:
    """The web fonts and the fingerprinted stylesheet and icon, stored in ``cache``."""
    result = WebAssets()
    result.faces = stylesheet_faces(root)
    for face in result.faces:
        sha = web_font(cache, face, find_template_file(root, face.source))
        result.names[face.path] = fingerprinted(face.path, sha)
        result.files[result.names[face.path]] = sha
    for name in FINGERPRINTED:
        try:
            file = find_template_file(root, name)
        except PolicyError:
            continue
        data = file.read_bytes()
        if name == STYLESHEET:
            data = rewrite_urls(data.decode("utf-8"), result.names).encode("utf-8")
        sha = cache.put(data)
        result.names[name] = fingerprinted(name, sha)
        result.files[result.names[name]] = sha
    # The TrueType fonts are for the PDFs; pages get the WOFF2 subsets made from them.
    result.handled = set(FINGERPRINTED) | {PREBUILT}
    for folder in template_dirs(root):
        fonts = folder / FONTS
        if fonts.is_dir():
            for file in fonts.rglob("*"):
                if file.suffix in (".ttf", ".otf", ".woff2"):
                    result.handled.add(file.relative_to(folder).as_posix())
    return result


def remake_shipped_fonts() -> list[str]:
    """Remake policypress's shipped web fonts and their listing (after a font or a
    unicode-range changed). Returns the files written."""
    faces = stylesheet_faces(DEFAULT_TEMPLATES.parent)
    listing: dict[str, str] = {}
    written = []
    for face in faces:
        ttf = (DEFAULT_TEMPLATES / face.source).read_bytes()
        key = face_key(face, digest(ttf))
        target = DEFAULT_TEMPLATES / face.path
        old = _prebuilt(key)
        if old is None or not target.is_file():
            target.write_bytes(make_web_font(ttf, face.unicodes))
            written.append(face.path)
        listing[face.path] = key
    (DEFAULT_TEMPLATES / PREBUILT).write_text(
        json.dumps(listing, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return written


if __name__ == "__main__":
    for name in remake_shipped_fonts():
        sys.stdout.write(f"made {name}\n")
