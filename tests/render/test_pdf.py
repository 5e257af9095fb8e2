"""The PDFs, opened as a reader's tools open them: pikepdf, pdfplumber and poppler."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from tests.conftest import seed_sentences

pytestmark = pytest.mark.slow  # every test reads the shipped build's 16 PDFs

LANGS = ("en", "pl", "ur", "ar")


def pdfs(shipped: Path) -> list[dict[str, Any]]:
    manifest = json.loads((shipped / "manifest.json").read_text())
    return [f for f in manifest["files"] if f["kind"] in ("pdf", "leaflet")]


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def without_furniture(text: str) -> str:
    """The body text: running heads and footers are page furniture, not reading order."""
    furniture = re.compile(
        r"^(Kettleshulme St James( CE \(VA\) Primary School)?|Social Media Policy|Version [\d.]+|"
        r"Next review: .*|Page \d+ of \d+)$"
    )
    return "\n".join(line for line in text.splitlines() if not furniture.match(line.strip()))


def test_every_pdf_is_tagged_titled_and_in_its_language(shipped: Path) -> None:
    files = pdfs(shipped)
    assert len(files) == 16
    for facts in files:
        with pikepdf.open(shipped / "site" / facts["path"]) as pdf:
            root = pdf.Root
            assert "/StructTreeRoot" in root, facts["path"]
            assert bool(root.MarkInfo.Marked)
            assert str(root.Lang) == facts["language"]
            assert bool(root.ViewerPreferences.DisplayDocTitle)
            assert "/Outlines" in root and int(root.Outlines.Count) != 0
            meta = pdf.open_metadata()
            assert meta.get("pdfuaid:part") == "1"
            assert pdf.docinfo["/Author"] == "Kettleshulme St James CE (VA) Primary School"
            assert str(pdf.docinfo["/Title"])
            for page in pdf.pages:
                for font in page.Resources.Font.values():
                    descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                    descriptor = descendant.FontDescriptor
                    assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_the_structure_tree_has_headings_lists_and_links(shipped: Path) -> None:
    with pikepdf.open(
        shipped / "site" / "social-media-policy" / "social-media-policy-en.pdf"
    ) as pdf:
        tags: set[str] = set()

        def walk(node: Any) -> None:
            if isinstance(node, pikepdf.Dictionary) and "/S" in node:
                tags.add(str(node.S))
            kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
            if isinstance(kids, pikepdf.Array):
                for kid in kids:
                    walk(kid)
            elif isinstance(kids, pikepdf.Dictionary):
                walk(kids)

        walk(pdf.Root.StructTreeRoot)
    assert {"/H1", "/H2", "/P", "/L", "/LI", "/LBody", "/Link", "/Table"} <= tags


@pytest.mark.parametrize("variant", ["", "-large-print", "-dyslexia-friendly"])
def test_every_sentence_of_the_policy_is_in_each_pdf_in_order(shipped: Path, variant: str) -> None:
    path = shipped / "site" / "social-media-policy" / f"social-media-policy-en{variant}.pdf"

    # Compared without white space or hyphens: pdftotext joins "hand-" / "held" into
    # "handheld", breaks lines after "/", and splits widely tracked (dyslexia) letters.
    def squash(value: str) -> str:
        return re.sub(r"[\s-]+", "", value)

    text = squash(without_furniture(pdf_text(path)))
    position = 0
    for sentence in seed_sentences():
        found = text.find(squash(sentence), position)
        assert found >= 0, f"missing or out of order: {sentence!r}"
        position = found


def test_translated_pdfs_hold_their_language_and_no_missing_glyphs(shipped: Path) -> None:
    scripts = {"pl": "[ąęłńóśźż]", "ur": "[\u0600-\u06ff]", "ar": "[\u0600-\u06ff]"}
    for code, pattern in scripts.items():
        for facts in pdfs(shipped):
            if facts["language"] != code:
                continue
            text = pdf_text(shipped / "site" / facts["path"])
            assert re.search(pattern, text), facts["path"]
            assert "\ufffd" not in text and "\x00" not in text


def test_arabic_pdfs_number_pages_versions_and_dates_in_arabic_indic_digits(
    shipped: Path,
) -> None:
    """Dates, the version, the page footers and the contents list's page numbers alike (a
    phone number or web address may keep its Western digits)."""
    for facts in pdfs(shipped):
        if facts["language"] != "ar":
            continue
        # pdftotext marks the direction of each run with control characters, and the reading
        # layer keeps a number's spaces with right-to-left marks: drop them.
        text = re.sub(
            "[\u200e\u200f\u202a-\u202e\u2066-\u2069]",
            "",
            pdf_text(shipped / "site" / facts["path"]),
        )
        assert "١٫٠" in text and not re.search(r"(?<![\d.])1\.0(?![\d.])", text), facts["path"]
        assert "٢٠٢٦" in text and "2026" not in text, facts["path"]
        if facts["kind"] == "pdf":
            # A contents line: the title, a leader of dots, the page number (in either order).
            contents = re.findall(r"([0-9٠-٩]+)\s*\.{4,}|\.{4,}\s*([0-9٠-٩]+)", text)
            numbers = [a or b for a, b in contents]
            assert len(numbers) >= 10, facts["path"]
            assert all(re.fullmatch("[٠-٩]+", number) for number in numbers), numbers


def test_large_print_has_nothing_below_the_body_size_and_no_italics(shipped: Path) -> None:
    import pdfplumber

    path = shipped / "site" / "social-media-policy" / "social-media-policy-en-large-print.pdf"
    with pdfplumber.open(path) as pdf:
        sizes = set()
        fonts = set()
        for page in pdf.pages:
            assert (round(page.width), round(page.height)) == (595, 842)  # A4 portrait
            for char in page.chars:
                sizes.add(round(char["size"], 1))
                fonts.add(char["fontname"])
    assert min(sizes) >= 18
    assert not [f for f in fonts if "Italic" in f or "Oblique" in f]


def test_large_print_size_is_configurable(shipped: Path, tmp_path: Path) -> None:
    import pdfplumber

    from tests.conftest import REPO, build

    out = tmp_path / "out"
    build(REPO, out, large_print_size=24.0, languages=("none",), cache_dir=tmp_path / "c")
    path = out / "site" / "social-media-policy" / "social-media-policy-en-large-print.pdf"
    with pdfplumber.open(path) as pdf:
        assert min(round(c["size"], 1) for p in pdf.pages for c in p.chars) >= 24


def test_dyslexia_friendly_has_cream_paper_and_wide_spacing(shipped: Path) -> None:
    import pdfplumber

    path = shipped / "site" / "social-media-policy" / "social-media-policy-en-dyslexia-friendly.pdf"
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[2]
        colours = {
            tuple(round(c, 2) for c in r["non_stroking_color"])
            for r in page.rects
            if r["width"] > 500
        }
        assert (0.98, 0.96, 0.9) in colours  # #fbf5e6 across the page
        words = page.extract_words(extra_attrs=["size"])
        body = [w for w in words if round(w["size"]) == 12 and len(w["text"]) >= 6]
        chars = [c for c in page.chars if round(c["size"]) == 12]
        gaps = [
            b["x0"] - a["x1"]
            for a, b in itertools.pairwise(chars)
            if 0 < b["x0"] - a["x1"] < 4 and abs(a["top"] - b["top"]) < 1
        ]
        assert body and gaps
        letter_gap = sorted(gaps)[len(gaps) // 2]
        assert letter_gap >= 0.15 * 12  # about 35% of the average letter width
        ink = {tuple(round(v, 2) for v in c["non_stroking_color"]) for c in chars}
        assert (0.0, 0.0, 0.0) not in ink  # dark grey, not pure black


def test_every_leaflet_is_one_page(shipped: Path) -> None:
    leaflets = [f for f in pdfs(shipped) if f["kind"] == "leaflet"]
    assert {f["language"] for f in leaflets} == set(LANGS)
    for facts in leaflets:
        with pikepdf.open(shipped / "site" / facts["path"]) as pdf:
            assert len(pdf.pages) == 1, facts["path"]


def test_pdfs_are_byte_identical_between_builds(shipped: Path, tmp_path: Path) -> None:
    from tests.conftest import REPO, build

    out = tmp_path / "again"
    build(REPO, out, cache_dir=tmp_path / "fresh-cache", languages=("ur",))
    for facts in pdfs(shipped):
        if facts["language"] in ("en", "ur"):
            again = (out / "site" / facts["path"]).read_bytes()
            assert again == (shipped / "site" / facts["path"]).read_bytes(), facts["path"]


def test_page_furniture_is_marked_as_artifacts_not_content(shipped: Path) -> None:
    path = shipped / "site" / "social-media-policy" / "social-media-policy-en.pdf"
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            operations = pikepdf.parse_content_stream(page)
            artifacts = [
                operands
                for operands, operator in operations
                if str(operator) == "BDC" and str(operands[0]) == "/Artifact"
            ]
            assert len(artifacts) >= 3  # running head(s), version and review, page number


def test_pdfs_use_only_the_vendored_fonts(shipped: Path) -> None:
    for facts in pdfs(shipped):
        listing = subprocess.run(
            ["pdffonts", str(shipped / "site" / facts["path"])],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()[2:]
        names = {line.split()[0].split("+", 1)[-1] for line in listing}
        unexpected = {n for n in names if not n.startswith(("Atkinson", "Noto", "IBM-Plex"))}
        assert not unexpected, (facts["path"], unexpected)


SCHOOL = "Kettleshulme St James CE (VA) Primary School"
MM = 72 / 25.4


@pytest.mark.parametrize("lang", LANGS)
def test_running_heads_show_the_school_name_whole_or_not_at_all(shipped: Path, lang: str) -> None:
    """On every page after the first, in every variant: the running head is one line inside
    the printable page, and says the school's full name and the policy's title, or the title
    alone (never a shortened name, which reads as cut off: "Kettleshulme St James")."""
    import pdfplumber

    from policypress.render.pdf import print_style
    from tests.render.test_pdf_text import words

    for facts in pdfs(shipped):
        if facts["language"] != lang or facts["kind"] != "pdf":
            continue
        path = shipped / "site" / facts["path"]
        with pikepdf.open(path) as document:
            title = document.open_metadata().get("dc:title")
        style = print_style(facts["variant"], 18)
        head_bottom = 14 * MM + style.furniture * 1.35 - 4 * MM  # above the 5 mm padding
        with pdfplumber.open(path) as pdf:
            pages = pdf.pages[1:3]
            for number, page in enumerate(pages, start=2):
                text = subprocess.run(
                    ["pdftotext", "-f", str(number), "-l", str(number), "-r", "72", "-x", "0",
                     "-y", "0", "-W", str(int(page.width)), "-H", f"{head_bottom:.0f}",
                     "-enc", "UTF-8", str(path), "-"],
                    capture_output=True, text=True, check=True,
                ).stdout  # fmt: skip
                said = sorted(words(text))
                where = f"{facts['path']} page {number}: {text.strip()!r}"
                assert said in (sorted(words(f"{SCHOOL} {title}")), sorted(words(title))), where
                head = [c for c in page.chars if c["bottom"] <= head_bottom + 1]
                assert min(c["top"] for c in head) > 5 * MM, f"{where} runs off the paper"
                baselines = [c["bottom"] for c in head if c["text"].strip()]
                assert max(baselines) - min(baselines) < 0.6 * style.furniture, where
