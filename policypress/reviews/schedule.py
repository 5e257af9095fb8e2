"""When each policy is next due for review, as the office's ``status`` table and as findings
for ``check``; "today" can be fixed with POLICYPRESS_TODAY (for tests and rehearsals)."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from policypress.content.frontmatter import ReviewCycle
from policypress.content.model import Project
from policypress.errors import Finding, PolicyError
from policypress.reviews.statutory import (
    LIST_NAMES,
    StatutoryEntry,
    entries_for,
    matched_entry,
    missing_entries,
)

TODAY_ENV = "POLICYPRESS_TODAY"
DUE_SOON_DAYS = 60


def today() -> dt.date:
    """Today's date, or the one POLICYPRESS_TODAY gives (YYYY-MM-DD): tests use it to judge
    dates relative to a fixed day."""
    value = os.environ.get(TODAY_ENV, "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PolicyError(
            f"{TODAY_ENV} is not a date: {value!r}",
            hint=f"Write it as year-month-day, e.g. {TODAY_ENV}=2026-09-01, or unset it.",
        ) from None


@dataclass(frozen=True)
class ReviewRow:
    """One policy as the review schedule sees it."""

    slug: str
    title: str
    path: Path
    owner: str
    last_reviewed: dt.date | None
    next_review: dt.date | None
    next_review_line: int | None  # where next_review is written (None: computed or absent)
    review_cycle: ReviewCycle | None
    approved_by: str
    approved_on: dt.date | None
    statutory: bool
    entry: StatutoryEntry | None  # the statutory list entry it is, if any
    days_left: int | None  # None without a next review date; negative when overdue

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def due_soon(self) -> bool:
        return self.days_left is not None and 0 <= self.days_left <= DUE_SOON_DAYS


@dataclass(frozen=True)
class ReviewStatus:
    rows: tuple[ReviewRow, ...]
    missing: tuple[StatutoryEntry, ...]  # statutory policies the school has not published
    list_name: str | None  # the statutory list chosen in policypress.toml

    @property
    def overdue(self) -> tuple[ReviewRow, ...]:
        return tuple(row for row in self.rows if row.overdue)


def review_status(project: Project, on: dt.date | None) -> ReviewStatus:
    """Every policy, soonest review first (those without a date last), and the statutory
    policies missing. ``on`` None leaves days_left out (the built pages must not depend on the
    day they are built)."""
    entries = entries_for(project.config.reviews.statutory_list)
    rows = []
    for doc in project.policies:
        meta = doc.meta
        entry = matched_entry(doc, entries)
        due = meta.next_review
        rows.append(
            ReviewRow(
                slug=doc.slug,
                title=meta.title,
                path=doc.path,
                owner=meta.owner,
                last_reviewed=meta.last_reviewed,
                next_review=due,
                next_review_line=doc.key_lines.get("next_review"),
                review_cycle=meta.review_cycle,
                approved_by=meta.approved_by,
                approved_on=meta.approved_on,
                statutory=meta.statutory if meta.statutory is not None else entry is not None,
                entry=entry,
                days_left=(due - on).days if due is not None and on is not None else None,
            )
        )
    rows.sort(key=lambda r: (r.next_review is None, r.next_review or dt.date.min, r.slug))
    return ReviewStatus(
        tuple(rows), tuple(missing_entries(project)), project.config.reviews.statutory_list
    )


def review_findings(project: Project, on: dt.date, *, strict: bool = False) -> list[Finding]:
    """For ``check``: a warning 60 days before a review is due, a warning (an error with
    ``strict``) once it is overdue, and a warning where next_review disagrees with
    last_reviewed + review_cycle. Each points at the next_review line."""
    findings = []
    entries = entries_for(project.config.reviews.statutory_list)
    for doc in project.policies:
        meta = doc.meta
        if meta.statutory_name and entries and matched_entry(doc, entries) is None:
            names = [e.name for e in entries]
            close = difflib.get_close_matches(meta.statutory_name, names, n=1, cutoff=0.5)
            findings.append(
                Finding(
                    "warning",
                    f"statutory_name {meta.statutory_name!r} is not on the statutory list for "
                    f"{LIST_NAMES[project.config.reviews.statutory_list or '']}",
                    doc.path,
                    doc.key_lines.get("statutory_name"),
                    1,
                    f"Did you mean {close[0]!r}?"
                    if close
                    else "Write the name as `policypress status` lists it.",
                )
            )
        due = meta.next_review
        line = doc.key_lines.get("next_review") or doc.key_lines.get("review_cycle")
        if due is None:
            continue
        days = (due - on).days
        if days < 0:
            findings.append(
                Finding(
                    "error" if strict else "warning",
                    f"this policy was due for review on {due.isoformat()} ({_days(-days)} ago)",
                    doc.path,
                    line,
                    1,
                    "Review the policy, then update last_reviewed and next_review (or "
                    "review_cycle).",
                )
            )
        elif days <= DUE_SOON_DAYS:
            findings.append(
                Finding(
                    "warning",
                    f"this policy is due for review on {due.isoformat()}, in {_days(days)}",
                    doc.path,
                    line,
                    1,
                    "Put the review on the governors' agenda; afterwards update last_reviewed "
                    "and next_review.",
                )
            )
        cycle, reviewed = meta.review_cycle, meta.last_reviewed
        given = "next_review" in doc.key_lines
        if given and cycle is not None and reviewed is not None and cycle.after(reviewed) != due:
            findings.append(
                Finding(
                    "warning",
                    f"next_review is {due.isoformat()}, but last_reviewed "
                    f"{reviewed.isoformat()} + review_cycle {cycle.text} is "
                    f"{cycle.after(reviewed).isoformat()}",
                    doc.path,
                    line,
                    1,
                    "Correct one of the three, or delete the next_review line to have it "
                    "worked out from the other two.",
                )
            )
    return findings


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def cycle_words(cycle: ReviewCycle) -> str:
    """ "every year", "every 2 years", "every 6 months"."""
    if cycle.months == 12:
        return "every year"
    if cycle.months % 12 == 0:
        return f"every {cycle.months // 12} years"
    return f"every {cycle.months} months" if cycle.months != 1 else "every month"


def due_text(row: ReviewRow) -> str:
    if row.days_left is None:
        return "no date" if row.next_review is None else ""
    if row.days_left < 0:
        return f"{_days(-row.days_left)} overdue"
    if row.days_left == 0:
        return "due today"
    return f"in {_days(row.days_left)}"


def format_status(status: ReviewStatus, width: int = 80) -> str:
    """The table for the office, at most ``width`` columns wide (long titles wrap)."""
    headers = ("Policy", "Owner", "Last reviewed", "Next review", "Due", "Statutory")
    cells = [
        (
            row.title,
            row.owner or "-",
            row.last_reviewed.isoformat() if row.last_reviewed else "-",
            row.next_review.isoformat() if row.next_review else "-",
            due_text(row),
            "yes" if row.statutory else "no",
        )
        for row in status.rows
    ]
    gap = 2
    widths = [
        max([len(h) for h in headers[i].split()] + [len(c[i]) for c in cells]) for i in range(6)
    ]
    widths[1] = min(widths[1], 12)
    fixed = sum(widths[1:]) + gap * 5
    widths[0] = max(12, min(widths[0], width - fixed))
    lines: list[str] = []

    def emit(row: Sequence[str]) -> None:
        wrapped = [
            textwrap.wrap(text, w, break_long_words=True) or [""]
            for text, w in zip(row, widths, strict=True)
        ]
        for index in range(max(len(w) for w in wrapped)):
            parts = [
                (w[index] if index < len(w) else "").ljust(width_)
                for w, width_ in zip(wrapped, widths, strict=True)
            ]
            lines.append((" " * gap).join(parts).rstrip())

    emit(headers)
    lines.append((" " * gap).join("-" * w for w in widths))
    for row in cells:
        emit(row)
    if not cells:
        lines.append("(no policies in content/)")
    lines.append("")
    overdue = len(status.overdue)
    soon = sum(1 for row in status.rows if row.due_soon)
    lines.append(
        f"{overdue} overdue, {soon} due within {DUE_SOON_DAYS} days, "
        f"{len(status.rows)} polic{'y' if len(status.rows) == 1 else 'ies'} in all."
    )
    if status.list_name is None:
        lines.append(
            'No statutory list chosen: add [reviews] statutory_list = "maintained" or '
            '"academy" to policypress.toml to see which statutory policies are missing.'
        )
    elif status.missing:
        lines.append(
            f"Statutory policies for {LIST_NAMES[status.list_name]} not published "
            f"({len(status.missing)}, from the Department for Education's list):"
        )
        for entry in status.missing:
            review = cycle_words(entry.review) if entry.review else "not stated"
            text = f"- {entry.name}. Approved by: {entry.approved_by}. Review: {review}."
            lines.extend(textwrap.wrap(text, width, subsequent_indent="  "))
    else:
        lines.append(
            f"Every statutory policy on the list for {LIST_NAMES[status.list_name]} is published."
        )
    return "\n".join(textwrap.fill(line, width) if len(line) > width else line for line in lines)
