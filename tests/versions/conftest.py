"""A small project with a history: versions 1.0 and 1.1 superseded, 1.2 current, each released
with `policypress release` after the office edited the text and the translators caught up. The
versions are fictional (test fixtures only)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from policypress.cli import cli
from policypress.engine.build import BuildResult
from policypress.i18n.workflow import update_all
from tests.conftest import CONFIG, REPO, build, write

LANGUAGES = ("pl", "ur", "ar")
PDF_LANGUAGES = ("pl", "ar")  # the languages built with PDFs (English is always built)
# A visible, script-appropriate mark stands in for a translator: each language's text differs
# from the English, so each language's "What changed" page is computed on its own words.
MARKS = {"pl": "PL:", "ur": "اردو:", "ar": "عربي:"}

FRONT = """\
---
title: Homework Policy
summary: How much homework children get and how we help.
version: "{version}"
last_reviewed: 2026-01-10
next_review: 2027-01-10
owner: Headteacher
---

"""

V1 = """\
This policy explains homework at our school.

## Amounts

Children in Reception get one reading book a week.

Children in Year 6 get two pieces of homework a week.

## Support

- Homework club on Tuesdays
- Help from the class teacher

## Contact

Speak to the class teacher first.

Then speak to the Headteacher.
"""

# 1.1: one paragraph changed in Amounts and one list item added in Support.
V1_1 = V1.replace("two pieces of homework a week", "three pieces of homework a week").replace(
    "- Help from the class teacher", "- Help from the class teacher\n- Online lessons"
)

# 1.2: a paragraph removed from Contact and a new section, Online safety.
V1_2 = V1_1.replace("\nThen speak to the Headteacher.\n", "") + (
    "\n## Online safety\n\nChildren use only the school's learning platform.\n"
)

LEAFLET = """\
---
title: Homework in short
---

Homework is short. Ask the class teacher if you need help.
"""

RELEASES = [
    ("1.0", V1, "First version.", "2025-01-15", False),
    ("1.1", V1_1, "More homework in Year 6; online lessons.", "2025-06-20", False),
    ("1.2", V1_2, "New section on online safety.", "2026-01-10", True),
]
SLUG = "homework-policy"


def translate_all(root: Path) -> None:
    """Update every catalog and translate every entry (the translators' part)."""
    update_all(root)
    for code in LANGUAGES:
        for path in sorted((root / "translations" / code).glob(f"{SLUG}*.po")):
            catalog = polib.pofile(str(path), wrapwidth=0)
            for entry in catalog:
                if entry.obsolete:
                    continue
                entry.msgstr = f"{MARKS[code]} {entry.msgid}"
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            catalog.save(str(path))


def make_history_project(root: Path) -> Path:
    write(
        root / "policypress.toml",
        CONFIG.replace("languages = []", 'languages = ["pl", "ur", "ar"]'),
    )
    for code in LANGUAGES:
        target = root / "translations" / code / "interface.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / "translations" / code / "interface.po", target)
    write(root / "content" / "leaflets" / f"{SLUG}.md", LEAFLET)
    runner = CliRunner()
    current = "1.0"  # the office edits the text; the version line still says the last release
    for version, body, note, approved, major in RELEASES:
        (root / "content" / f"{SLUG}.md").write_text(
            FRONT.format(version=current) + body, encoding="utf-8"
        )
        translate_all(root)
        args = ["release", SLUG, "--version", version, "--note", note, "--root", str(root)]
        args += ["--approved-by", "Full Governing Body", "--approved-on", approved]
        result = runner.invoke(cli, [*args, *(["--major"] if major else [])])
        assert result.exit_code == 0, result.output
        current = version
    translate_all(root)  # the release notes, in each language
    return root


@pytest.fixture(scope="session")
def history_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_history_project(tmp_path_factory.mktemp("history") / "school")


@pytest.fixture(scope="session")
def history_site(history_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The history project built without PDFs (web pages, braille, EPUB)."""
    output = tmp_path_factory.mktemp("history-out") / "output"
    build(history_project, output, pdf_mode="none")
    return output


@pytest.fixture(scope="session")
def history_pdfs(
    history_project: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, BuildResult]:
    """The history project built with its PDFs in English, Polish and Arabic (a right-to-left
    language), and what that first build did."""
    output = tmp_path_factory.mktemp("history-pdfs") / "output"
    return output, build(history_project, output, languages=PDF_LANGUAGES)


@pytest.fixture
def copy_history(history_project: Path, tmp_path: Path) -> Callable[[], Path]:
    def copy() -> Path:
        target = tmp_path / "school"
        shutil.copytree(history_project, target, ignore=shutil.ignore_patterns(".cache"))
        return target

    return copy
