"""Front matter: every mistake the office can make gets a file, a line and a fix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from policypress.content.frontmatter import parse_front_matter
from policypress.errors import PolicyError, PolicyErrors

PATH = Path("content/p.md")


def test_valid_front_matter() -> None:
    front = parse_front_matter("---\ntitle: T\nnext_review: 2027-01-01\n---\nBody\n", PATH)
    assert front.meta.title == "T"
    assert front.meta.next_review == dt.date(2027, 1, 1)
    assert front.body_line == 5


def test_unclosed_front_matter() -> None:
    with pytest.raises(PolicyError, match="not closed") as info:
        parse_front_matter("---\ntitle: T\n", PATH)
    assert info.value.line == 1


def test_invalid_yaml_points_at_the_line() -> None:
    with pytest.raises(PolicyError, match="not valid YAML") as info:
        parse_front_matter("---\ntitle: T\nsummary: [oops\n---\n", PATH)
    assert info.value.line is not None and info.value.line >= 3


def test_unknown_key_is_a_warning_that_suggests_the_closest() -> None:
    front = parse_front_matter("---\ntitle: T\nnext_reveiw: 2027-01-01\n---\n", PATH)
    [finding] = front.findings
    assert finding.severity == "warning"
    assert "next_reveiw" in finding.message and "not used" in finding.message
    assert finding.hint == "Did you mean 'next_review'?"
    assert (finding.line, finding.col) == (3, 1)
    assert front.meta.next_review is None  # kept in the file, ignored


@pytest.mark.parametrize(
    ("key", "suggestion"),
    [
        ("review_date", "next_review"),
        ("adpoted_date", "adopted"),
        ("Next-Review", "next_review"),
        ("author", "owner"),
    ],
)
def test_keys_from_other_generators_suggest_ours(key: str, suggestion: str) -> None:
    front = parse_front_matter(f"---\ntitle: T\n{key}: 2024-01-01\n---\n", PATH)
    [finding] = front.findings
    assert finding.hint == f"Did you mean {suggestion!r}?"


def test_layout_and_permalink_are_explained() -> None:
    front = parse_front_matter("---\ntitle: T\nlayout: policy\npermalink: /p/\n---\n", PATH)
    assert [f.line for f in front.findings] == [3, 4]
    assert all("layout and web address itself" in (f.hint or "") for f in front.findings)


def test_a_date_that_is_not_a_date() -> None:
    with pytest.raises(PolicyError, match="is not a date") as info:
        parse_front_matter("---\ntitle: T\nadopted: 2026-13-45\n---\n", PATH)
    assert info.value.line == 3


def test_missing_title() -> None:
    with pytest.raises(PolicyError, match="no title"):
        parse_front_matter("---\nsummary: S\n---\n", PATH)


def test_all_problems_are_reported_together() -> None:
    with pytest.raises(PolicyErrors) as info:
        parse_front_matter("---\ntitel: T\nadopted: soon\n---\n", PATH)
    assert len(info.value.findings) == 2  # bad date, no title (the unknown key is a warning)
