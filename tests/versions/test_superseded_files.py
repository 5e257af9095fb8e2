"""A superseded version's files say so first, in their language: the EPUB and the braille of
version 1.0 name the version that replaced it, when, and where the current version is; the
current version's files say nothing of the kind. (The PDFs: test_versions.py, which renders them
once for the history project.)"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from policypress.engine.build import BuildResult
from tests.render.test_braille import back_translate
from tests.render.test_epub import epubcheck, problems
from tests.versions.conftest import MARKS, SLUG

BASE = "https://sttests.sch.uk/policies/"
# What version 1.0 says first (1.1 replaced it on 20 June 2025), and where its text starts.
NOTICE = {
    "en": "This is version 1.0. It was replaced by version 1.1 on 20 June 2025. "
    f"The current version: {BASE}{SLUG}/",
    "pl": "To jest wersja 1.0. Dnia 20 czerwca 2025 zastąpiła ją wersja 1.1. "
    f"Aktualna wersja: {BASE}pl/{SLUG}/",
    "ar": "هذا هو الإصدار ١٫٠. وقد حلّ محله الإصدار ١٫١ في ٢٠ يونيو ٢٠٢٥. "
    f"الإصدار الحالي: {BASE}ar/{SLUG}/",
    "ur": "یہ ورژن 1.0 ہے۔ 20 جون 2025 کو اس کی جگہ ورژن 1.1 نے لے لی۔ "
    f"موجودہ ورژن: {BASE}ur/{SLUG}/",
}
FIRST_WORDS = "This policy explains homework"  # the body's first paragraph (marked in translations)


def folder(site: Path, lang: str, version: str | None) -> Path:
    lang_part = "" if lang == "en" else f"{lang}/"
    return site / f"{lang_part}{SLUG}" / (f"v{version}" if version else "")


def name(lang: str, version: str | None, suffix: str = "") -> str:
    return f"{SLUG}{'-v' + version if version else ''}-{lang}{suffix}"


def words(text: str) -> str:
    return " ".join(text.split())


def epub_text(epub: Path) -> str:
    with zipfile.ZipFile(epub) as book:
        xhtml = book.read("EPUB/text.xhtml").decode("utf-8")
    main = xhtml.split('<main id="text" class="policy-body">', 1)[1]
    return words(re.sub(r"<[^>]+>", "", main))


@pytest.mark.parametrize("lang", list(NOTICE))
def test_an_old_versions_epub_starts_with_the_notice(history_site: Path, lang: str) -> None:
    text = epub_text(folder(history_site / "site", lang, "1.0") / name(lang, "1.0", ".epub"))
    assert text.startswith(NOTICE[lang])
    assert FIRST_WORDS in text
    current = epub_text(folder(history_site / "site", lang, None) / name(lang, None, ".epub"))
    assert NOTICE[lang].split(".", 1)[0] not in current


def test_the_notice_names_the_version_that_replaced_each_one(history_site: Path) -> None:
    text = epub_text(folder(history_site / "site", "en", "1.1") / name("en", "1.1", ".epub"))
    assert text.startswith(
        "This is version 1.1. It was replaced by version 1.2 on 10 January 2026."
    )
    # The web page has its banner instead: the notice is in the files only.
    page = (folder(history_site / "site", "en", "1.0") / "index.html").read_text()
    assert "superseded-note" not in page and "notice-superseded" in page


# The braille, back in print with liblouis: the notice comes after the title page's lines and
# before the text. (liblouis reads back some digits and signs otherwise: Polish "1.0" as "1.j",
# Arabic's decimal separator not at all; the words are compared.)
BRAILLE_WORDS = {
    "en": "This is version 1.0. It was replaced by version 1.1 on 20 June 2025.",
    "pl": "To jest wersja",
    "ar": "هذا هو الإصدار",
    "ur": "کو اس کی جگہ ورڈن",
}


@pytest.mark.parametrize("lang", list(BRAILLE_WORDS))
def test_an_old_versions_braille_starts_with_the_notice(history_site: Path, lang: str) -> None:
    brf = (folder(history_site / "site", lang, "1.0") / name(lang, "1.0", ".brf")).read_bytes()
    text = words(back_translate(brf, lang))
    assert BRAILLE_WORDS[lang] in text
    before = text[: text.index(BRAILLE_WORDS[lang])]
    if lang == "en":
        assert "homework at our school" not in before
    else:  # after the title and the summary (each marked by the fixture's translator), no more
        assert before.count(MARKS[lang]) == 2
    current = (folder(history_site / "site", lang, None) / name(lang, None, ".brf")).read_bytes()
    assert BRAILLE_WORDS[lang] not in words(back_translate(current, lang))


def test_the_unicode_braille_text_has_the_notice_too(history_site: Path) -> None:
    old = folder(history_site / "site", "en", "1.0") / name("en", "1.0", ".braille.txt")
    lines = [line.strip("⠀") for line in old.read_text(encoding="utf-8").splitlines()]
    # UEB grade 2: "version 1.1 on 20 June 2025" ("version" contracted), across a line break.
    assert "⠧⠻⠨⠝⠀⠼⠁⠲⠁⠀⠕⠝⠀⠼⠃⠚⠀⠠⠚⠥⠝⠑⠀⠼⠃⠚⠃⠑" in "⠀".join(lines)


@pytest.mark.slow
def test_old_versions_epubs_with_the_notice_pass_epubcheck(
    history_site: Path, tmp_path: Path
) -> None:
    epubs = [
        folder(history_site / "site", lang, "1.0") / name(lang, "1.0", ".epub")
        for lang in ("en", "ar")
    ]
    results = epubcheck(epubs, tmp_path)
    assert {str(e): problems(results[e]) for e in epubs} == {str(e): [] for e in epubs}


def pdf_text(pdf: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return words(result.stdout)


def pdf_pages(pdf: Path) -> int:
    result = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    found = re.search(r"^Pages:\s+(\d+)$", result.stdout, re.MULTILINE)
    assert found is not None
    return int(found.group(1))


# pdftotext marks the direction of each run of right-to-left text with invisible characters.
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# What the old leaflet says first, as pdftotext gives it back (Arabic: the pieces between the
# full stops, whose place pdftotext moves between runs of different direction: a full stop after
# a number may come out before it, so full stops are left out of the comparison).
LEAFLET_NOTICE = {
    "en": [NOTICE["en"]],
    "ar": [
        "هذا هو الإصدار ١٫٠",
        "وقد حلّ محله الإصدار ١٫١ في ٢٠ يونيو ٢٠٢٥",
        "الإصدار الحالي",
        f"{BASE}ar/{SLUG}/",
    ],
}


def without_full_stops(text: str) -> str:
    return " ".join(text.replace(".", " ").split())


@pytest.mark.slow
@pytest.mark.parametrize("lang", list(LEAFLET_NOTICE))
def test_an_old_leaflet_starts_with_the_notice_and_keeps_to_one_page(
    history_pdfs: tuple[Path, BuildResult], lang: str
) -> None:
    site = history_pdfs[0] / "site"
    old = folder(site, lang, "1.0") / name(lang, "1.0", "-leaflet.pdf")
    assert pdf_pages(old) == 1
    text = without_full_stops(BIDI_MARKS.sub("", pdf_text(old)))
    for piece in map(without_full_stops, LEAFLET_NOTICE[lang]):
        assert piece in text, (piece, text)
        assert text.index(piece) < text.index("Homework is short")  # before the leaflet's text
    current = folder(site, lang, None) / name(lang, None, "-leaflet.pdf")
    assert pdf_pages(current) == 1
    assert LEAFLET_NOTICE[lang][0] not in BIDI_MARKS.sub("", pdf_text(current))


# The banner of an old version's leaflet page, in its language.
BANNER = {
    "en": "This is not the current version of this policy.",
    "ar": "هذا ليس الإصدار الحالي من هذه السياسة.",
}


@pytest.mark.parametrize("lang", list(BANNER))
def test_an_old_leaflets_page_says_it_is_not_the_current_version(
    history_site: Path, lang: str
) -> None:
    page = folder(history_site / "site", lang, "1.0") / "leaflet" / "index.html"
    html = page.read_text(encoding="utf-8")
    banner = html.split('class="notice notice-superseded"', 1)[1].split("</div>", 1)[0]
    assert BANNER[lang] in banner
    assert 'href="../../"' in banner  # the current version's page
    assert html.index(BANNER[lang]) < html.index("Homework is short")
    current = folder(history_site / "site", lang, None) / "leaflet" / "index.html"
    assert BANNER[lang] not in current.read_text(encoding="utf-8")


def test_an_old_leaflets_braille_starts_with_the_notice(history_site: Path) -> None:
    old = folder(history_site / "site", "en", "1.0") / name("en", "1.0", "-leaflet.brf")
    text = words(back_translate(old.read_bytes(), "en"))
    assert BRAILLE_WORDS["en"] in text
    assert text.index(BRAILLE_WORDS["en"]) < text.index("Homework is short")
    current = folder(history_site / "site", "en", None) / name("en", None, "-leaflet.brf")
    assert BRAILLE_WORDS["en"] not in words(back_translate(current.read_bytes(), "en"))
