"""Whether a font's glyphs carry their own letters (a candidate for SELF_READING_FONTS in
policypress/engine/pdftext.py), printed (not a test: it asserts nothing). Usage:

    python bench/self_reading.py ur FONT.ttf [FONT.ttf ...]   # or ar; after `policypress build`

For each font, on the distinct Arabic-script words of the language's policy and leaflet web
pages (output/site/LANG/...):

- with uharfbuzz installed (``pip install uharfbuzz``; not a dependency of policypress), each
  word is shaped and its glyphs are given text as pdftext does for a self-reading font; printed:
  the glyphs that stand for more than one text, the clusters drawn with more glyphs than they
  have characters (dots drawn as marks), and the share of words whose glyphs' text alone reads
  back as the word;
- the policy page's text is set in the font by WeasyPrint, as if the font were one of
  SELF_READING_FONTS (no reading layer but for words with vowel marks), and pdfminer.six (which
  reads only the glyphs' text) is asked for it: the share of the page's words it finds,
  unordered, each read right to left.

Fonts in WOFF2 (npm's @fontsource packages) are read as they are. Measured 2026-11 (distinct
words right from ToUnicode alone; pdfminer.six on the policy page): Arabic, IBM Plex Sans Arabic
91.6%, 95.9% (the shipped PDF's figure too); Noto Naskh Arabic 12.7%, 14.0%. Urdu, Noto
Nastaliq Urdu 3.007 (also @fontsource 5.3.0's) 14.6%, 22.0%; Gulzar 1.000 31.3%, 42.5%; SIL
Awami Nastaliq 2.200 (Debian; Graphite only, which Pango's HarfBuzz uses) -, 44.6%."""

from __future__ import annotations

import collections
import html
import io
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from policypress.engine.pdftext import glyph_texts, has_right_to_left  # noqa: E402
from tests.render.test_pdf_text import as_read, web_text, web_words, words  # noqa: E402


def pages(lang: str) -> list[Path]:
    """The language's policy pages, then their leaflets' pages."""
    site = REPO / "output" / "site" / lang
    policies = [p for p in sorted(site.glob("*/index.html")) if "policy-body" in p.read_text()]
    return policies + sorted(site.glob("*/leaflet/index.html"))


def shaped(font_path: Path, distinct: list[str]) -> None:
    """The HarfBuzz measure (see the module's notes)."""
    try:
        import uharfbuzz as hb
    except ImportError:
        print("  (uharfbuzz is not installed: no shaping measure)")
        return
    from fontTools.ttLib import TTFont

    parsed = TTFont(io.BytesIO(font_path.read_bytes()))
    if "GSUB" not in parsed:
        print("  HarfBuzz: no OpenType shaping (GSUB) in this font: no shaping measure")
        return
    parsed.flavor = None  # HarfBuzz reads TrueType, not WOFF2
    sfnt = io.BytesIO()
    parsed.save(sfnt)
    font = hb.Font(hb.Face(hb.Blob(sfnt.getvalue())))
    nominal = {code: parsed.getGlyphID(name) for code, name in parsed.getBestCmap().items()}
    to_unicode: dict[int, str] = {}
    texts: dict[int, set[str]] = collections.defaultdict(set)
    glyphs_of: dict[str, list[int]] = {}
    crowded = clusters = 0
    for word in distinct:
        encoded = word.encode()
        buffer = hb.Buffer()
        buffer.add_utf8(encoded)
        buffer.guess_segment_properties()
        hb.shape(font, buffer, {})
        ids = [info.codepoint for info in buffer.glyph_infos]
        starts = [info.cluster for info in buffer.glyph_infos]
        bounds = sorted({*starts, len(encoded)})
        members: dict[int, list[int]] = {}
        for glyph, start in zip(ids, starts, strict=True):
            members.setdefault(start, []).append(glyph)
        for begin, group in members.items():
            text = encoded[begin : bounds[bounds.index(begin) + 1]].decode()
            said = glyph_texts(text, group, nominal, rtl=True)  # Arabic script
            clusters += 1
            crowded += len(group) > len(text)
            for glyph, chars in said.items():
                to_unicode.setdefault(glyph, chars)
                texts[glyph].add(chars)
        glyphs_of[word] = ids
    right = [w for w, ids in glyphs_of.items() if as_read("".join(to_unicode[g] for g in ids)) == w]
    shared = [glyph for glyph, said in texts.items() if len(said) > 1]
    print(
        f"  HarfBuzz: {len(to_unicode)} glyphs, {len(shared)} standing for several texts; "
        f"{crowded} of {clusters} clusters with more glyphs than characters; "
        f"{len(right) / len(distinct):.1%} of distinct words right from ToUnicode alone"
    )


def extracted(font_path: Path, lang: str, page: Path) -> None:
    """The WeasyPrint and pdfminer.six measure (see the module's notes)."""
    import weasyprint
    from pdfminer.high_level import extract_text
    from weasyprint.text.fonts import FontConfiguration

    from policypress.engine import pdftext

    # The text the glyphs would carry if the font were one of SELF_READING_FONTS.
    pdftext.install()
    pdftext._is_self_reading = lambda font: True  # type: ignore[assignment]

    lines = re.split(r"\s{2,}", web_text(page))
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in lines if line.strip())
    fonts = FontConfiguration()
    face = f'@font-face {{ font-family: Candidate; src: url("{font_path.resolve().as_uri()}") }}'
    css = weasyprint.CSS(
        string=face + "body { font: 12pt/2.2 Candidate, 'Atkinson Hyperlegible Next' }",
        font_config=fonts,
    )
    document = f'<html lang="{lang}" dir="rtl"><body>{paragraphs}</body></html>'
    pdf = weasyprint.HTML(string=document).write_pdf(stylesheets=[css], font_config=fonts)
    expected = collections.Counter(w for w in web_words(page) if has_right_to_left(w))
    found = collections.Counter(map(as_read, words(extract_text(io.BytesIO(pdf)))))
    share = (expected & found).total() / expected.total()
    print(f"  pdfminer.six, {page.relative_to(REPO / 'output')}: {share:.1%} of its words")


def main() -> None:
    lang, *fonts = sys.argv[1:]
    found = pages(lang)
    if not found:
        sys.exit(f"no web pages in output/site/{lang}: run `policypress build --no-pdf` first")
    order = [w for page in found for w in web_words(page) if has_right_to_left(w)]
    distinct = list(dict.fromkeys(order))
    print(f"{lang}: {len(distinct)} distinct words ({len(order)} in all) in {len(found)} pages")
    for name in fonts:
        print(Path(name).name)
        shaped(Path(name), distinct)
        extracted(Path(name), lang, found[0])


if __name__ == "__main__":
    main()
