"""Files that look meant as policies but are not read are reported, never dropped in silence;
rename hints name a file that is free and short enough."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from policypress.cli import cli
from policypress.content.frontmatter import parse_front_matter
from policypress.errors import PolicyError
from tests.conftest import build, write

POLICY = "---\ntitle: Uniform Policy\n---\n\nBlue jumpers.\n"


def check(runner: CliRunner, root: Path) -> tuple[int, str]:
    result = runner.invoke(cli, ["check", "-C", str(root)])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("name", "message", "hint"),
    [
        ("Policy.MD", "a policy's file name must end in .md", "Rename it to policy.md."),
        ("uniform.md.txt", "a policy's file name must end in .md", "Rename it to uniform.md."),
        (
            "Uniform Policy.docx",
            "policies are written in Markdown files (.md)",
            "uniform-policy.md",
        ),
        (
            "old/uniform.md",
            "policypress reads only the Markdown files in content/",
            "Move it to content/uniform.md",
        ),
        (
            "leaflets/drafts/uniform.md",
            "policypress reads only the Markdown files in content/leaflets/",
            "Move it to content/leaflets/uniform.md",
        ),
    ],
)
def test_a_file_that_is_not_read_is_reported(
    runner: CliRunner, project: Path, name: str, message: str, hint: str
) -> None:
    write(project / "content" / name, POLICY)
    code, output = check(runner, project)
    assert f"content/{name}: warning: this file is not read: {message}" in output
    assert hint in output
    assert code == 0  # a warning: the rest still builds


def test_strict_build_stops_on_a_skipped_policy(project: Path) -> None:
    write(project / "content" / "Policy.MD", POLICY)
    with pytest.raises(PolicyError, match="not read"):
        build(project, pdf_mode="none", strict=True)


def test_images_and_hidden_files_are_not_reported(runner: CliRunner, project: Path) -> None:
    (project / "content" / "images").mkdir()
    (project / "content" / "images" / "hall.jpg").write_bytes(b"\xff\xd8")
    (project / "content" / ".DS_Store").write_bytes(b"\0")
    write(project / "content" / ".drafts" / "new.md", POLICY)
    code, output = check(runner, project)
    assert "not read" not in output
    assert code == 0


def test_a_name_differing_only_in_case_is_told_a_free_name(
    runner: CliRunner, project: Path
) -> None:
    write(project / "content" / "a.md", POLICY)
    write(project / "content" / "A.md", POLICY.replace("Uniform", "Other"))
    code, output = check(runner, project)
    assert code == 1
    assert "content/A.md: the file name 'A.md' would make an unsafe web address" in output
    assert "Rename the file to a-2.md (a.md is another file already)" in output
    assert "Rename the file to a.md:" not in output


def test_a_200_character_name_is_told_a_shorter_one(runner: CliRunner, project: Path) -> None:
    name = ("social-media-policy-" * 10)[:200] + ".md"
    write(project / "content" / name, POLICY)
    code, output = check(runner, project)
    assert code == 1
    assert "is too long for a web address (200 characters; at most 81)" in output
    suggestion = output.split("Rename the file to ")[1].split(":")[0]
    assert suggestion != name
    assert suggestion.endswith(".md") and len(suggestion) <= 81
    assert suggestion.startswith("social-media-policy-social-media-policy")


def test_a_duplicate_front_matter_key_is_an_error_at_the_second() -> None:
    with pytest.raises(PolicyError) as info:
        parse_front_matter("---\ntitle: A\nsummary: S\ntitle: B\n---\n", Path("p.md"))
    assert info.value.message == "the front matter gives 'title' twice (first on line 2)"
    assert info.value.line == 4


def test_a_duplicate_key_inside_a_list_is_an_error() -> None:
    text = "---\ntitle: A\neditorial_notes:\n  - {a: 1, a: 2}\n---\n"
    with pytest.raises(PolicyError, match="'a' twice") as info:
        parse_front_matter(text, Path("p.md"))
    assert info.value.line == 4


@pytest.mark.parametrize("value", ["../../etc", "en/../../x", "<b>", "e"])
def test_a_language_that_is_not_a_code_is_an_error(value: str) -> None:
    with pytest.raises(PolicyError, match="language should be a language code") as info:
        parse_front_matter(f"---\ntitle: A\nlanguage: {value!r}\n---\n", Path("p.md"))
    assert info.value.line == 3


@pytest.mark.parametrize("value", ["en", "pl", "en-GB", "zh-Hant"])
def test_language_codes_are_accepted(value: str) -> None:
    front = parse_front_matter(f"---\ntitle: A\nlanguage: {value}\n---\n", Path("p.md"))
    assert front.meta.language == value


def test_an_unprintable_character_in_front_matter_is_an_error_at_its_place() -> None:
    with pytest.raises(PolicyError, match="U\\+0007") as info:
        parse_front_matter("---\ntitle: T\nsummary: ab\x07c\n---\n", Path("p.md"))
    assert (info.value.line, info.value.finding.col) == (3, 12)
