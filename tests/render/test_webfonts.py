"""The web fonts and fingerprinted assets: subsets that are the same bytes every time, shipped
results that match the shipped fonts and stylesheet, pages that point at what was published, and
a check that notices text the web fonts no longer hold."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from click.testing import CliRunner
from fontTools.ttLib import TTFont

from policypress.cli import cli
from policypress.hashing import digest
from policypress.layout import DEFAULT_TEMPLATES
from policypress.render.webfonts import (
    PREBUILT,
    face_key,
    fingerprinted,
    make_web_font,
    parse_unicode_range,
    rewrite_urls,
    stylesheet_faces,
)
from tests.conftest import build

ATKINSON = (
    DEFAULT_TEMPLATES
    / "assets/fonts/atkinson-hyperlegible-next/AtkinsonHyperlegibleNext-Regular.ttf"
)


def test_unicode_ranges_are_read_as_in_css() -> None:
    assert parse_unicode_range("U+0041-0043, U+00E9,U+26??") == frozenset(
        {0x41, 0x42, 0x43, 0xE9, *range(0x2600, 0x2700)}
    )


def test_a_web_font_is_the_same_bytes_every_time_and_keeps_the_fonts_dates() -> None:
    ttf = ATKINSON.read_bytes()
    first = make_web_font(ttf, range(0x41, 0x5B))
    assert first == make_web_font(ttf, range(0x41, 0x5B))
    assert first[:4] == b"wOF2"
    subset = TTFont(io.BytesIO(first))
    source = TTFont(ATKINSON)
    assert subset["head"].modified == source["head"].modified
    assert subset["head"].created == source["head"].created
    assert set(subset.getBestCmap()) == set(range(0x41, 0x5B))
    assert len(first) < len(ttf) / 4


def test_the_shipped_web_fonts_match_the_shipped_fonts_and_stylesheet() -> None:
    """Remake them with `python -m policypress.render.webfonts` if this fails."""
    listing = json.loads((DEFAULT_TEMPLATES / PREBUILT).read_text(encoding="utf-8"))
    faces = stylesheet_faces(DEFAULT_TEMPLATES.parent)
    assert {face.path for face in faces} == set(listing)
    for face in faces:
        ttf = (DEFAULT_TEMPLATES / face.source).read_bytes()
        assert listing[face.path] == face_key(face, digest(ttf)), face.path
        woff2 = TTFont(DEFAULT_TEMPLATES / face.path)
        assert set(woff2.getBestCmap()) == face.unicodes & set(
            TTFont(io.BytesIO(ttf)).getBestCmap()
        )


def test_fingerprinted_names_and_stylesheet_urls() -> None:
    assert fingerprinted("assets/site.css", "4b1e0c9a77") == "assets/site.4b1e0c9a.css"
    names = {"assets/fonts/a/B-Regular.woff2": "assets/fonts/a/B-Regular.12345678.woff2"}
    css = 'src: url("fonts/a/B-Regular.woff2") format("woff2"); background: url(x.png);'
    assert rewrite_urls(css, names) == (
        'src: url("fonts/a/B-Regular.12345678.woff2") format("woff2"); background: url(x.png);'
    )


def test_pages_use_the_published_names_and_no_truetype_is_published(project: Path) -> None:
    build(project, pdf_mode="none")
    site = project / "output" / "site"
    assert not list(site.rglob("*.ttf"))
    html = (site / "behaviour-policy" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<link rel="(stylesheet|preload|icon)" href="([^"]+)"', html)
    assert {rel for rel, _ in links} == {"stylesheet", "preload", "icon"}
    for _, href in links:
        assert re.search(r"\.[0-9a-f]{8}\.", href), href
        assert (site / "behaviour-policy" / href).resolve().is_file(), href
    (css,) = (site / "assets").glob("site.*.css")
    for url in re.findall(r'url\("([^"]+)"\)', css.read_text(encoding="utf-8")):
        assert re.search(r"\.[0-9a-f]{8}\.", url), url
        assert (css.parent / url).is_file(), url
    # The OFL licences travel with the fonts.
    assert (site / "assets/fonts/noto-nastaliq-urdu/OFL.txt").is_file()


def test_check_finds_a_character_the_web_font_no_longer_keeps(project: Path) -> None:
    """A school's own stylesheet narrows the Latin font to ASCII: "é" is in the font, but no
    longer in what the pages download, and check says so (the site uses the school's CSS)."""
    css = (DEFAULT_TEMPLATES / "assets/site.css").read_text(encoding="utf-8")
    narrowed = css.replace("U+0000-02FF, U+0300-036F,", "U+0000-007F, U+0300-036F,")
    assert narrowed != css
    (project / "templates" / "assets").mkdir(parents=True)
    (project / "templates" / "assets" / "site.css").write_text(narrowed, encoding="utf-8")
    policy = project / "content" / "behaviour-policy.md"
    runner = CliRunner()
    assert runner.invoke(cli, ["check", "-C", str(project)]).exit_code == 0
    policy.write_text(policy.read_text(encoding="utf-8") + "\nDéjà vu.\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", "-C", str(project)])
    assert result.exit_code == 1
    assert "cannot show the character 'é' (U+00E9" in result.output
    assert "unicode-range" in result.output


def test_arabic_script_pages_preload_the_latin_faces_of_their_header(shipped_web: Path) -> None:
    """The header's school name is Latin: its faces arrive before the first paint, so they do
    not swap in after it and move the page (Lighthouse measured a layout shift of 0.26)."""
    preloads = {}
    for lang in ("en", "ur", "ar"):
        prefix = "" if lang == "en" else f"{lang}/"
        html = (shipped_web / "site" / prefix / "social-media-policy" / "index.html").read_text(
            encoding="utf-8"
        )
        preloads[lang] = re.findall(r'<link rel="preload" href="[./]*assets/fonts/([^/]+)/', html)
    assert preloads["en"] == ["atkinson-hyperlegible-next"] * 2
    assert preloads["ur"] == ["noto-nastaliq-urdu"] * 2 + ["atkinson-hyperlegible-next"] * 2
    assert preloads["ar"] == ["noto-naskh-arabic"] * 2 + ["atkinson-hyperlegible-next"] * 2
