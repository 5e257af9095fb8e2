"""A broken translation is an error at its PO file's line, from check and build alike, and a
language folder is either built or reported; never a truncated string or a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from policypress.cli import cli
from tests.conftest import build, copy_repo_project, write

INTERFACE = Path("translations") / "pl" / "interface.po"


def edit(root: Path, old: str, new: str) -> int:
    """Replace ``old`` in the Polish interface catalog; return its line number."""
    path = root / INTERFACE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def outputs(runner: CliRunner, root: Path) -> list[tuple[int, str]]:
    """What check and a web-only build say."""
    results = []
    for args in (["check"], ["build", "--no-pdf"]):
        result = runner.invoke(cli, [*args, "-C", str(root)])
        results.append((result.exit_code, result.output))
    return results


@pytest.fixture
def school(tmp_path: Path) -> Path:
    return copy_repo_project(tmp_path / "school")


def test_an_unterminated_quote_is_an_error_at_its_line(runner: CliRunner, school: Path) -> None:
    line = edit(school, 'msgstr "Witryna"\n', 'msgstr "Witryna\n')
    for code, output in outputs(runner, school):
        assert code == 1
        assert f"{INTERFACE.as_posix()}:{line}: the text on this line is not closed" in output
    assert not (school / "output").exists()  # nothing published with "Witryn"


def test_a_stray_quote_inside_the_text_is_an_error(runner: CliRunner, school: Path) -> None:
    line = edit(school, 'msgstr "Witryna"\n', 'msgstr "Witryna" hidden"\n')
    for code, output in outputs(runner, school):
        assert code == 1
        assert f"{INTERFACE.as_posix()}:{line}: " in output
        assert "unescaped double quote" in output  # polib's own words, which it finds itself


def test_a_wrong_placeholder_conversion_is_an_error(runner: CliRunner, school: Path) -> None:
    edit(school, 'msgstr "%(school)s zobowi', 'msgstr "%(school)d zobowi')
    for code, output in outputs(runner, school):
        assert code == 1
        assert "translations/pl/interface.po:" in output
        assert "expected ['%(school)s'], found ['%(school)d']" in output
        assert "unexpected problem" not in output


def test_a_lone_percent_sign_in_an_interface_string_is_an_error(
    runner: CliRunner, school: Path
) -> None:
    edit(school, 'msgstr "Witryna"\n', 'msgstr "Witryna 100%"\n')
    for code, output in outputs(runner, school):
        assert code == 1
        assert "the translation's % signs cannot be filled in" in output
        assert "unexpected problem" not in output


def test_a_percent_sign_in_a_policy_translation_is_text(runner: CliRunner, school: Path) -> None:
    """Policy blocks are not %-formatted: a percent sign there is allowed."""
    path = school / "translations" / "pl" / "social-media-policy.po"
    text = path.read_text(encoding="utf-8")
    start = text.index('msgstr "', text.index("msgctxt"))
    path.write_text(text[: start + 8] + "100% " + text[start + 8 :], encoding="utf-8")
    result = runner.invoke(cli, ["check", "-C", str(school)])
    assert "% signs" not in result.output
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("code", ["en-GB", "zh-Hant"])
def test_a_region_or_script_folder_is_built_as_its_language(
    runner: CliRunner, school: Path, code: str
) -> None:
    (school / "translations" / "pl").rename(school / "translations" / code)
    result = runner.invoke(cli, ["build", "--no-pdf", "-C", str(school)])
    assert result.exit_code == 0, result.output
    page = (school / "output" / "site" / code / "social-media-policy" / "index.html").read_text()
    assert f'<html lang="{code}"' in page
    assert "Witryna" in page  # the Polish catalog, filed under the new name


@pytest.mark.slow  # renders every PDF of two languages
def test_a_region_folder_builds_its_pdfs(project: Path) -> None:
    write(
        project / "translations" / "en-GB" / "interface.po",
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n',
    )
    # The policy is published in en-GB once its catalog there translates something.
    write(
        project / "translations" / "en-GB" / "behaviour-policy.po",
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgctxt "meta"\nmsgid "Behaviour Policy"\nmsgstr "Behaviour Policy (UK)"\n',
    )
    result = build(project)
    assert result.count("pdf") == 6
    assert (project / "output" / "site" / "en-GB" / "behaviour-policy").is_dir()


def test_an_unknown_language_folder_is_an_error_naming_it(runner: CliRunner, school: Path) -> None:
    (school / "translations" / "pl").rename(school / "translations" / "xx-nonsense")
    for code, output in outputs(runner, school):
        assert code == 1
        assert "translations/xx-nonsense: 'xx-nonsense' is not a language policypress knows" in (
            output
        )
        assert "unexpected problem" not in output


@pytest.mark.parametrize("lang", ["de", "../evil"])
def test_build_lang_must_be_a_language_of_the_project(
    runner: CliRunner, school: Path, lang: str
) -> None:
    first = runner.invoke(cli, ["build", "--no-pdf", "-C", str(school)])
    assert first.exit_code == 0, first.output
    before = sorted(p.name for p in (school / "output" / "site").iterdir())
    result = runner.invoke(cli, ["build", "--no-pdf", "--lang", lang, "-C", str(school)])
    assert result.exit_code == 2
    assert f"Invalid value for '--lang': {lang!r} is not one of this project's languages" in (
        result.output
    )
    assert "en, ar, pl, ur" in result.output
    assert sorted(p.name for p in (school / "output" / "site").iterdir()) == before
    assert {"pl", "ur", "ar"} <= set(before)


def test_build_lang_with_a_known_language(runner: CliRunner, school: Path) -> None:
    result = runner.invoke(cli, ["build", "--no-pdf", "--lang", "pl", "-C", str(school)])
    assert result.exit_code == 0, result.output
    assert (school / "output" / "site" / "pl").is_dir()
    assert not (school / "output" / "site" / "ur").exists()


@pytest.mark.parametrize("code", ["../evil", "pl/../../x", "en-GB/x", "", "p"])
def test_a_code_that_is_not_a_language_tag_is_refused(code: str) -> None:
    from policypress.errors import PolicyError
    from policypress.i18n.languages import language

    with pytest.raises(PolicyError, match="is not a language policypress knows"):
        language(code)


def test_translations_init_refuses_a_path(runner: CliRunner, school: Path) -> None:
    result = runner.invoke(cli, ["translations", "init", "../evil", "-C", str(school)])
    assert result.exit_code == 1
    assert "'../evil' is not a language policypress knows" in result.output
    assert not (school / "evil").exists()


def test_text_after_the_closing_quote_is_an_error() -> None:
    from policypress.i18n.catalog import syntax_problems

    text = 'msgid "Site"\nmsgstr "Witryna" x\n"more"\nmsgstr[0] "a"\n# "comment\n'
    problems = syntax_problems(text, Path("p.po"))
    assert [(p.line, p.message) for p in problems] == [
        (2, "this line has text after the closing double quote")
    ]
