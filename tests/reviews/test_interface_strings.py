"""The governors' page, the names of attached files' kinds and the braille transcriber's note go
through the interface catalog, and Polish, Arabic and Urdu translate every one of them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest

from policypress.content.attachments import KINDS
from policypress.i18n.workflow import update_all
from policypress.render.braille import SWITCH_NOTE
from policypress.render.html import ATTACHMENT_KINDS
from tests.conftest import CONFIG, REPO, build, write
from tests.render.test_braille import back_translate

LANGUAGES = ("pl", "ar", "ur")
ARABIC_SCRIPT = ("ar", "ur")


def catalog(lang: str) -> dict[str, polib.POEntry]:
    path = REPO / "translations" / lang / "interface.po"
    return {e.msgid: e for e in polib.pofile(str(path), wrapwidth=0) if not e.obsolete}


def governors_page_msgids() -> list[str]:
    pot = polib.pofile(str(REPO / "translations" / "interface.pot"), wrapwidth=0)
    return [e.msgid for e in pot if any(file == "reviews.html" for file, _ in e.occurrences)]


def test_every_kind_of_attached_file_is_in_the_catalog() -> None:
    assert set(ATTACHMENT_KINDS) == set(KINDS.values())
    pot = {e.msgid for e in polib.pofile(str(REPO / "translations" / "interface.pot"))}
    assert set(KINDS.values()) <= pot
    assert SWITCH_NOTE in pot


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_new_strings_are_translated_in_every_language(lang: str) -> None:
    entries = catalog(lang)
    wanted = [*governors_page_msgids(), *KINDS.values(), SWITCH_NOTE]
    assert len(governors_page_msgids()) >= 23
    for msgid in wanted:
        entry = entries[msgid]
        assert entry.msgstr and "fuzzy" not in entry.flags, msgid
        # Placeholders survive translation.
        assert sorted(re.findall(r"%\(\w+\)s", entry.msgstr)) == sorted(
            re.findall(r"%\(\w+\)s", msgid)
        ), msgid
        # Arabic script (only "PDF" stays Latin), and no Western digits where Arabic has its own.
        if lang in ARABIC_SCRIPT and msgid != "PDF":
            assert re.search("[\u0600-\u06ff]", entry.msgstr), msgid
        if lang == "ar":
            assert not re.search(r"[0-9]", re.sub(r"%\(\w+\)s", "", entry.msgstr)), msgid
    # The catalog says the translations are drafts nobody qualified has checked yet.
    header = polib.pofile(str(REPO / "translations" / lang / "interface.po")).metadata
    assert header["X-Review-Status"] == "unreviewed"


@pytest.fixture(scope="module")
def polish_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project of tests/conftest.py with Polish, a Word form and the reviews page."""
    root = tmp_path_factory.mktemp("polish") / "school"
    write(root / "policypress.toml", CONFIG.replace("languages = []", 'languages = ["pl"]'))
    target = root / "translations" / "pl" / "interface.po"
    target.parent.mkdir(parents=True)
    shutil.copy2(REPO / "translations" / "pl" / "interface.po", target)
    (root / "content" / "forms").mkdir(parents=True)
    (root / "content" / "forms" / "form.docx").write_bytes(b"x" * 24_000)
    write(
        root / "content" / "behaviour-policy.md",
        """\
        ---
        title: Behaviour Policy
        summary: How we help children behave well.
        version: "2"
        last_reviewed: 2026-01-10
        next_review: 2027-01-10
        owner: Headteacher
        ---

        Use the [complaint form](forms/form.docx).
        """,
    )
    # Published in Polish only once translated: the translator's part, a mark on each entry.
    update_all(root)
    for path in (root / "translations" / "pl").glob("behaviour-policy*.po"):
        po = polib.pofile(str(path), wrapwidth=0)
        for entry in po:
            entry.msgstr = entry.msgstr or f"PL: {entry.msgid}"
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save(str(path))
    build(root, pdf_mode="none")
    return root / "output" / "site"


def test_a_polish_page_names_the_kind_of_file_in_polish(polish_site: Path) -> None:
    html = (polish_site / "pl" / "behaviour-policy" / "index.html").read_text()
    assert '<span class="file-facts">(dokument Word, 24 KB)</span>' in html
    english = (polish_site / "behaviour-policy" / "index.html").read_text()
    assert '<span class="file-facts">(Word document, 24 KB)</span>' in english


def test_the_polish_braille_has_its_transcribers_note_in_polish(polish_site: Path) -> None:
    brf = next((polish_site / "pl" / "behaviour-policy").rglob("*.brf")).read_bytes()
    text = back_translate(brf, "pl").casefold()
    assert "uwaga transkrybenta" in text
    assert "transcriber" not in text
