"""`policypress status`: the office's table, exit 0, or 1 with --strict when a review is
overdue; "today" fixed with POLICYPRESS_TODAY."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from policypress.cli import cli
from tests.reviews.conftest import TODAY


def status(runner: CliRunner, root: Path, *args: str, today: str = TODAY) -> tuple[int, str]:
    result = runner.invoke(
        cli, ["status", "-C", str(root), *args], env={"POLICYPRESS_TODAY": today}
    )
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_status_lists_every_policy_soonest_first_with_days_left(
    runner: CliRunner, school: Path
) -> None:
    code, out = status(runner, school)
    assert code == 0, out
    lines = out.splitlines()
    # Titles wrap in their column: each row starts on the line with the title's first word.
    behaviour = next(i for i, line in enumerate(lines) if line.startswith("Behaviour "))
    charging = next(i for i, line in enumerate(lines) if line.startswith("Charging "))
    social = next(i for i, line in enumerate(lines) if line.startswith("Social Media "))
    assert behaviour < charging < social
    assert "2026-01-10  2027-01-10  50 days overdue" in lines[behaviour]
    assert "Headteacher" in lines[behaviour]
    assert lines[behaviour].endswith("yes")
    assert "2027-04-01  in 31 days" in lines[charging]
    assert lines[charging].endswith("yes")  # on the list by its title
    # Worked out from last_reviewed + review_cycle (2y).
    assert "2026-06-01  2028-06-01  in 458 days" in lines[social]
    assert lines[social].endswith("no")
    assert "1 overdue, 1 due within 60 days, 3 policies in all." in out


def test_status_fits_an_80_column_terminal(runner: CliRunner, school: Path) -> None:
    long_title = "The Quite Remarkably Long Title of a Policy About Visits and Trips Abroad"
    (school / "content" / "visits.md").write_text(
        f"---\ntitle: {long_title}\nowner: Educational Visits Coordinator\n"
        "next_review: 2027-06-01\n---\n\nText.\n",
        encoding="utf-8",
    )
    code, out = status(runner, school)
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 80
    # The long title wraps inside its column rather than being cut.
    first_column = " ".join(line.split("  ")[0].strip() for line in out.splitlines())
    assert long_title in first_column


def test_status_names_the_statutory_policies_not_published(runner: CliRunner, school: Path) -> None:
    _code, out = status(runner, school)
    assert "Statutory policies for maintained schools not published" in out
    missing = out.split("not published", 1)[1]
    assert "- Admissions arrangements." in missing
    assert "- Equality objectives." in missing and "every 4 years" in missing
    # Published ones (by statutory_name, and by title) are not missing.
    assert "Behaviour and written statement" not in missing
    assert "Charging and remissions" not in missing


def test_strict_status_exits_1_when_a_review_is_overdue(runner: CliRunner, school: Path) -> None:
    code, out = status(runner, school, "--strict")
    assert code == 1
    assert "50 days overdue" in out


def test_strict_status_exits_0_when_nothing_is_overdue(runner: CliRunner, school: Path) -> None:
    code, out = status(runner, school, "--strict", today="2027-01-10")
    assert code == 0, out
    assert "due today" in out


def test_without_a_statutory_list_status_says_how_to_choose_one(
    runner: CliRunner, project: Path
) -> None:
    code, out = status(runner, project)
    assert code == 0
    assert 'statutory_list = "maintained"' in out


def test_a_bad_today_is_reported_without_a_traceback(runner: CliRunner, school: Path) -> None:
    code, out = status(runner, school, today="1st March")
    assert code == 1
    assert "POLICYPRESS_TODAY is not a date: '1st March'" in out
