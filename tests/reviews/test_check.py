"""`check`: a warning 60 days before a review is due, an error once overdue with --strict, each
at the file and line of next_review."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner

from policypress.cli import cli
from policypress.content.reader import read_project
from policypress.reviews.schedule import review_findings
from tests.conftest import REPO
from tests.reviews.conftest import TODAY


def check(runner: CliRunner, root: Path, *args: str, today: str = TODAY) -> tuple[int, str]:
    result = runner.invoke(cli, ["check", "-C", str(root), *args], env={"POLICYPRESS_TODAY": today})
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_a_review_due_within_60_days_is_a_warning_at_next_review(
    runner: CliRunner, school: Path
) -> None:
    code, out = check(runner, school)
    assert code == 0, out
    assert (
        "content/charging-policy.md:5:1: warning: this policy is due for review on 2027-04-01, "
        "in 31 days" in out
    )


def test_61_days_ahead_is_not_yet_a_warning(runner: CliRunner, school: Path) -> None:
    _code, out = check(runner, school, today="2027-01-30")
    assert "charging-policy.md:5:1: warning: this policy is due" not in out
    _code, out = check(runner, school, today="2027-01-31")
    assert "charging-policy.md:5:1: warning: this policy is due for review" in out


def test_an_overdue_review_is_a_warning_and_with_strict_an_error(
    runner: CliRunner, school: Path
) -> None:
    code, out = check(runner, school)
    assert code == 0
    assert (
        "content/behaviour-policy.md:4:1: warning: this policy was due for review on 2027-01-10 "
        "(50 days ago)" in out
    )
    code, out = check(runner, school, "--strict")
    assert code == 1
    assert "content/behaviour-policy.md:4:1: this policy was due for review on 2027-01-10" in out
    # Due soon is not overdue: still a warning under --strict.
    assert "charging-policy.md:5:1: warning: this policy is due for review" in out


def test_next_review_that_disagrees_with_the_cycle_is_a_warning(
    runner: CliRunner, school: Path
) -> None:
    path = school / "content" / "charging-policy.md"
    path.write_text(path.read_text().replace("next_review: 2027-04-01", "next_review: 2027-05-01"))
    _code, out = check(runner, school)
    assert (
        "content/charging-policy.md:5:1: warning: next_review is 2027-05-01, but last_reviewed "
        "2026-04-01 + review_cycle 1y is 2027-04-01" in out
    )


def test_a_statutory_name_not_on_the_list_is_a_warning_with_a_suggestion(
    runner: CliRunner, school: Path
) -> None:
    path = school / "content" / "behaviour-policy.md"
    path.write_text(
        path.read_text().replace(
            "statutory_name: Behaviour and written statement of principles",
            "statutory_name: Behavior and written statement of principles",
        )
    )
    _code, out = check(runner, school)
    assert (
        "content/behaviour-policy.md:9:1: warning: statutory_name 'Behavior and written "
        "statement of principles' is not on the statutory list for maintained schools" in out
    )
    assert "Did you mean 'Behaviour and written statement of principles'?" in out


def test_the_shipped_policy_has_consistent_review_dates() -> None:
    project = read_project(REPO)
    [policy] = project.policies
    assert policy.meta.review_cycle is not None
    assert policy.meta.statutory is False
    # Long before the review is due, check has nothing to say about it.
    assert review_findings(project, dt.date(2026, 11, 26)) == []
