"""The translators' workflow, on a private copy of the shipped project."""

from __future__ import annotations

from pathlib import Path

import polib
from click.testing import CliRunner

from policypress.cli import cli
from tests.conftest import copy_repo_project

PARAGRAPH = "Employees should be aware that there are many more examples of social media"


def fuzzy_entries(path: Path) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(path)) if e.fuzzy and not e.obsolete]


def test_extract_writes_one_entry_per_block_with_context_and_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    root = copy_repo_project(tmp_path / "school")
    result = runner.invoke(cli, ["translations", "extract", "-C", str(root)])
    assert result.exit_code == 0, result.output
    pot = polib.pofile(str(root / "translations" / "social-media-policy.pot"))
    entry = next(e for e in pot if e.msgid.startswith(PARAGRAPH))
    assert entry.msgctxt == "definition-of-social-media"
    assert entry.occurrences[0][0] == "content/social-media-policy.md"
    assert int(entry.occurrences[0][1]) > 20
    interface = polib.pofile(str(root / "translations" / "interface.pot"))
    assert {
        "Skip to main content",
        "Contents",
        "Download other formats",
        "Page %(page)s of %(pages)s",
    } <= {e.msgid for e in interface}
    # Interface strings name their template or module, not its line (which moves with every
    # edit and would change each language's catalog).
    skip = next(e for e in interface if e.msgid == "Skip to main content")
    assert skip.occurrences == [("base.html", "")]
    assert "#: base.html\n" in (root / "translations" / "interface.pot").read_text()


def test_an_english_edit_turns_exactly_that_entry_fuzzy_and_shows_it_in_english(
    runner: CliRunner, tmp_path: Path
) -> None:
    root = copy_repo_project(tmp_path / "school")
    po = root / "translations" / "pl" / "social-media-policy.po"
    assert (
        runner.invoke(cli, ["translations", "update", "-C", str(root), "--lang", "pl"]).exit_code
        == 0
    )
    before = fuzzy_entries(po)
    policy = root / "content" / "social-media-policy.md"
    policy.write_text(
        policy.read_text().replace(PARAGRAPH, PARAGRAPH.replace("many more", "countless"))
    )
    result = runner.invoke(cli, ["translations", "update", "-C", str(root), "--lang", "pl"])
    assert result.exit_code == 0, result.output
    after = fuzzy_entries(po)
    assert len(after) == len(before) + 1
    changed = next(e for e in after if e not in before)
    assert changed.msgid.startswith("Employees should be aware that there are countless examples")
    assert changed.msgstr  # the old translation is kept as a starting point

    status = runner.invoke(cli, ["translations", "status", "-C", str(root)])
    assert "pl" in status.output and "yes" in status.output

    build = runner.invoke(cli, ["build", "-C", str(root), "--no-pdf", "--lang", "pl"])
    assert build.exit_code == 0, build.output
    page = (root / "output" / "site" / "pl" / "social-media-policy" / "index.html").read_text()
    assert (
        '<p class="fallback" dir="ltr" lang="en">Employees should be aware that there are countless'
        in page
    )
    assert "notice-stale" in page

    strict = runner.invoke(cli, ["build", "-C", str(root), "--no-pdf", "--lang", "pl", "--strict"])
    assert strict.exit_code == 1
    assert "(--strict)" in strict.output
