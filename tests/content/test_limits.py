"""Hostile or runaway input: each ends in a finding with its file and line, quickly, never in a
crash ("unexpected problem") or a build that runs for hours."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from policypress.cli import cli
from policypress.content import markdown_ext
from policypress.content.rendering import render_markdown
from policypress.content.source import MAX_NESTING, MAX_SOURCE_BYTES, MAX_TABLE_ROWS
from policypress.engine.build import BuildOptions, build_site
from tests.conftest import write


def check(runner: CliRunner, root: Path) -> tuple[int, str]:
    result = runner.invoke(cli, ["check", "-C", str(root)])
    return result.exit_code, result.output


def add_policy(root: Path, text: str, name: str = "bad-policy.md") -> Path:
    path = root / "content" / name
    path.write_text(text, encoding="utf-8")
    return path


BILLION_LAUGHS = """\
---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
title: *i
---

Text.
"""


def test_a_billion_laughs_alias_is_refused_at_its_line(runner: CliRunner, project: Path) -> None:
    add_policy(project, BILLION_LAUGHS)
    code, output = check(runner, project)
    assert code == 1
    assert "content/bad-policy.md:3:8: front matter cannot use YAML aliases (*a)" in output
    assert "unexpected problem" not in output


def test_yaml_nested_5000_deep_is_an_error_not_a_recursion_error(
    runner: CliRunner, project: Path
) -> None:
    add_policy(project, "---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\n\nText.\n")
    code, output = check(runner, project)
    assert code == 1
    assert "content/bad-policy.md:2:" in output
    assert "nested more than 8 levels deep" in output
    assert "unexpected problem" not in output


def test_a_markdown_list_500_levels_deep_is_an_error_at_its_line(
    runner: CliRunner, project: Path
) -> None:
    items = "\n".join(" " * (4 * level) + f"- level {level}" for level in range(500))
    add_policy(project, f"---\ntitle: Deep\n---\n\n{items}\n")
    code, output = check(runner, project)
    assert code == 1
    # The list starts on line 5; level 17 (the first too deep) is 17 lines further down.
    assert f"content/bad-policy.md:{5 + MAX_NESTING + 1}:1: lists or quotes are nested" in output
    assert "RecursionError" not in output


def test_quotes_nested_too_deep_are_an_error() -> None:
    rendered = render_markdown(">" * (MAX_NESTING + 1) + " deep", body_line=7)
    assert [(f.severity, f.line) for f in rendered.findings] == [("error", 7)]


def test_nesting_within_the_limit_is_published() -> None:
    items = "\n".join(" " * (4 * level) + f"- level {level}" for level in range(MAX_NESTING))
    rendered = render_markdown(items)
    assert not rendered.findings
    assert rendered.html.count("<ul>") == MAX_NESTING
    assert f"level {MAX_NESTING - 1}" in rendered.html


def table(rows: int) -> str:
    return "| Name | Role |\n|---|---|\n" + "\n".join(
        f"| Person {n} | Governor |" for n in range(rows)
    )


def test_a_10000_row_table_is_an_error_at_its_first_line(runner: CliRunner, project: Path) -> None:
    add_policy(project, f"---\ntitle: Rows\n---\n\nThe governors:\n\n{table(10_000)}\n")
    code, output = check(runner, project)
    assert code == 1
    assert "content/bad-policy.md:7:1: this table has more than 1,000 rows" in output
    assert "separate document" in output


def test_a_table_at_the_limit_is_published() -> None:
    rendered = render_markdown(table(MAX_TABLE_ROWS))
    assert not rendered.findings
    assert rendered.html.count("<tr>") == MAX_TABLE_ROWS + 1  # and the header row


def test_a_5_mb_policy_is_an_error_saying_the_limit(runner: CliRunner, project: Path) -> None:
    paragraph = "The school keeps children safe online. " * 20 + "\n\n"
    add_policy(project, "---\ntitle: Huge\n---\n\n" + paragraph * (5_000_000 // len(paragraph)))
    code, output = check(runner, project)
    assert code == 1
    assert "content/bad-policy.md: this file is 5.0 MB; the limit is 1 MB per document" in output
    assert "Split it into several policies" in output


def test_a_policy_just_under_the_size_limit_is_read(project: Path) -> None:
    paragraph = "The school keeps children safe online. " * 20 + "\n\n"
    body = paragraph * ((MAX_SOURCE_BYTES - 100) // len(paragraph))
    add_policy(project, "---\ntitle: Long\n---\n\n" + body)
    from policypress.content.reader import read_project

    assert len(read_project(project).policies) == 2


def test_identical_headings_get_unique_ids_in_order() -> None:
    rendered = render_markdown("\n\n".join("## Section\n\nText." for _ in range(5000)))
    ids = [h.id for h in rendered.headings]
    assert ids == ["section"] + [f"section-{n}" for n in range(2, 5001)]


def test_numbered_ids_step_around_headings_that_already_have_that_name() -> None:
    rendered = render_markdown("## Section\n\n## Section 2\n\n## Section\n\n## Section")
    assert [h.id for h in rendered.headings] == ["section", "section-2", "section-3", "section-4"]


class CountingSet(set[str]):
    lookups = 0

    def __contains__(self, item: object) -> bool:
        CountingSet.lookups += 1
        return super().__contains__(item)


def test_heading_ids_take_a_fixed_number_of_steps_per_heading() -> None:
    """20,000 identical headings: each new id is found in two look-ups, not by counting up from
    2 again (which took 200 million look-ups)."""
    used = CountingSet()
    numbers: dict[str, int] = {}
    CountingSet.lookups = 0
    ids = [markdown_ext._unique_id("section", used, numbers) for _ in range(20_000)]
    assert len(set(ids)) == 20_000
    assert CountingSet.lookups <= 2 * 20_000


def test_pdf_progress_is_reported_as_documents_are_done(project: Path) -> None:
    write(project / "content" / "uniform.md", "---\ntitle: Uniform Policy\n---\n\nBlue.\n")
    calls: list[tuple[int, int]] = []
    options = BuildOptions(
        output=project / "output",
        cache_dir=project / ".cache",
        jobs=1,
        progress=lambda done, total: calls.append((done, total)),
    )
    build_site(project, options)
    assert calls == [(done, 6) for done in range(7)]  # 2 policies x 3 formats
    calls.clear()
    build_site(project, options)
    assert calls == []  # nothing to render: nothing to report


def test_the_terminal_shows_progress_only_on_a_long_build(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from policypress.cli import PdfProgress

    quiet = PdfProgress(every=3600)
    for done in range(17):
        quiet(done, 16)
    assert capsys.readouterr().err == ""
    eager = PdfProgress(every=0)
    for done in range(17):
        eager(done, 16)
    lines = capsys.readouterr().err.splitlines()
    assert lines == [f"PDFs: {done} of 16 done" for done in range(1, 16)]


def test_the_readme_and_the_statement_state_the_limits(shipped_web: Path) -> None:
    from tests.conftest import REPO

    size = f"{MAX_SOURCE_BYTES // 1_000_000} MB"
    rows = f"{MAX_TABLE_ROWS:,} rows"
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert f"at most {size}" in readme and f"at most {rows}" in readme
    assert f"at most {MAX_NESTING} levels deep" in readme
    statement = (shipped_web / "site" / "accessibility" / "index.html").read_text(encoding="utf-8")
    assert f"at most {size} of text" in statement and f"at most {rows}" in statement
