"""The review keys of the front matter: review_cycle, approved_by, approved_on, statutory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from policypress.content.frontmatter import ReviewCycle, parse_front_matter, parse_review_cycle
from policypress.errors import PolicyError


def meta(tmp_path: Path, lines: str) -> object:
    text = f"---\ntitle: A Policy\n{lines}\n---\n\nBody.\n"
    return parse_front_matter(text, tmp_path / "a-policy.md").meta


@pytest.mark.parametrize(
    ("text", "months"), [("1y", 12), ("2y", 24), ("3y", 36), ("6m", 6), ("18M", 18), (" 2 y", 24)]
)
def test_review_cycles_in_years_or_months(text: str, months: int) -> None:
    assert parse_review_cycle(text) == ReviewCycle(months)


@pytest.mark.parametrize("text", ["yearly", "0y", "1w", "11y", "1.5y", "", "y"])
def test_what_is_not_a_review_cycle(text: str) -> None:
    assert parse_review_cycle(text) is None


def test_a_cycle_ends_on_the_same_day_or_the_last_day_of_a_shorter_month() -> None:
    assert ReviewCycle(12).after(dt.date(2026, 9, 1)) == dt.date(2027, 9, 1)
    assert ReviewCycle(12).after(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)
    assert ReviewCycle(6).after(dt.date(2026, 8, 31)) == dt.date(2027, 2, 28)
    assert ReviewCycle(18).after(dt.date(2026, 11, 30)) == dt.date(2028, 5, 30)


def test_all_the_review_keys_are_read(tmp_path: Path) -> None:
    got = meta(
        tmp_path,
        "last_reviewed: 2026-09-01\nnext_review: 2027-09-01\nreview_cycle: 1y\n"
        "approved_by: Full Governing Body\napproved_on: 2026-09-10\nstatutory: true\n"
        "statutory_name: Charging and remissions",
    )
    assert got.review_cycle == ReviewCycle(12)  # type: ignore[attr-defined]
    assert got.approved_by == "Full Governing Body"  # type: ignore[attr-defined]
    assert got.approved_on == dt.date(2026, 9, 10)  # type: ignore[attr-defined]
    assert got.statutory is True  # type: ignore[attr-defined]
    assert got.statutory_name == "Charging and remissions"  # type: ignore[attr-defined]


def test_next_review_is_worked_out_when_not_given(tmp_path: Path) -> None:
    got = meta(tmp_path, "last_reviewed: 2026-09-01\nreview_cycle: 3y")
    assert got.next_review == dt.date(2029, 9, 1)  # type: ignore[attr-defined]


def test_a_given_next_review_is_kept_as_written(tmp_path: Path) -> None:
    got = meta(tmp_path, "last_reviewed: 2026-09-01\nreview_cycle: 3y\nnext_review: 2027-01-01")
    assert got.next_review == dt.date(2027, 1, 1)  # type: ignore[attr-defined]


def test_no_next_review_without_both_last_reviewed_and_a_cycle(tmp_path: Path) -> None:
    assert meta(tmp_path, "review_cycle: 3y").next_review is None  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("review_cycle: every year", "review_cycle should be a number of years or months"),
        ("statutory: yes please", "statutory should be true or false"),
        ("approved_on: last Tuesday", "approved_on is not a date"),
        ("approved_by: 3", "approved_by should be text"),
    ],
)
def test_bad_review_keys_are_named_with_their_line(tmp_path: Path, line: str, message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        meta(tmp_path, f"owner: Headteacher\n{line}")
    assert caught.value.line == 4
    assert caught.value.message.startswith(message)
    assert caught.value.finding.hint


def test_a_misspelt_review_key_gets_a_suggestion(tmp_path: Path) -> None:
    """Unknown keys are warnings (kept and ignored), with the key meant."""
    text = "---\ntitle: A Policy\nreveiw_cycle: 1y\n---\n\nBody.\n"
    parsed = parse_front_matter(text, tmp_path / "a-policy.md")
    (finding,) = parsed.findings
    assert finding.severity == "warning"
    assert finding.line == 3
    assert "Did you mean 'review_cycle'?" in (finding.hint or "")
    assert parsed.meta.review_cycle is None
