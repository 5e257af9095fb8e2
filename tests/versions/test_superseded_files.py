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
