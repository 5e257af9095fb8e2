"""A school with three policies whose review dates sit around a fixed "today" (1 March 2027,
given to the commands through POLICYPRESS_TODAY)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CONFIG, write

TODAY = "2027-03-01"

POLICIES = {
    # Overdue: due on 10 January 2027, 50 days before "today".
    "behaviour-policy": """\
        ---
        title: Behaviour Policy
        last_reviewed: 2026-01-10
        next_review: 2027-01-10
        owner: Headteacher
        approved_by: Full Governing Body
        approved_on: 2026-01-15
        statutory: true
        statutory_name: Behaviour and written statement of principles
        ---

        We expect everyone to be kind.
        """,
    # Due in 31 days, and named on the statutory list by its title.
    "charging-policy": """\
        ---
        title: Charging & Remissions Policy
        last_reviewed: 2026-04-01
        review_cycle: 1y
        next_review: 2027-04-01
        owner: School Business Manager
        ---

        Trips are voluntary.
        """,
    # Next review worked out from last_reviewed + review_cycle: 1 June 2028.
    "social-media-policy": """\
        ---
        title: Social Media Policy, Staff; Parents
        last_reviewed: 2026-06-01
        review_cycle: 2y
        owner: Headteacher
        statutory: false
        ---

        Think before you post.
        """,
}


@pytest.fixture
def school(tmp_path: Path) -> Path:
    root = tmp_path / "school"
    write(root / "policypress.toml", CONFIG + '\n[reviews]\nstatutory_list = "maintained"\n')
    for slug, text in POLICIES.items():
        write(root / "content" / f"{slug}.md", text)
    return root


@pytest.fixture
def on_today(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("POLICYPRESS_TODAY", TODAY)
    return TODAY
