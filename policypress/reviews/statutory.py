"""The Department for Education's lists of statutory policies (shipped as ``statutory.toml``), and
which entries of the list a project has chosen it has not published."""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from policypress.config import STATUTORY_LISTS
from policypress.content.frontmatter import ReviewCycle, parse_review_cycle
from policypress.content.model import PolicyDocument, Project

DATA = Path(__file__).with_name("statutory.toml")
LIST_NAMES = {
    "maintained": "maintained schools",
    "academy": "academy trusts",
}


@dataclass(frozen=True)
class StatutoryEntry:
    """One policy a list says a school must have."""

    name: str
    list: str  # "maintained" or "academy": the kind of school it applies to
    approved_by: str
    review: ReviewCycle | None  # None: the source does not say
    source: str
    read_on: dt.date
    source_date: dt.date | None = None  # the source's own date, where it gives one
    note: str = ""  # says so where the source is secondary (not GOV.UK), or is uncertain


@functools.lru_cache(maxsize=1)
def statutory_entries() -> tuple[StatutoryEntry, ...]:
    """Every entry of the shipped data file (a broken file is a bug in policypress, not the
    school's: it fails loudly)."""
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    entries = []
    for item in data["policy"]:
        if item["list"] not in STATUTORY_LISTS:
            raise ValueError(f"{DATA.name}: unknown list {item['list']!r} for {item['name']!r}")
        review = parse_review_cycle(item["review"]) if "review" in item else None
        if "review" in item and review is None:
            raise ValueError(f"{DATA.name}: bad review {item['review']!r} for {item['name']!r}")
        entries.append(
            StatutoryEntry(
                name=item["name"],
                list=item["list"],
                approved_by=item["approved_by"],
                review=review,
                source=item["source"],
                read_on=item["read_on"],
                source_date=item.get("source_date"),
                note=item.get("note", ""),
            )
        )
    return tuple(entries)


def entries_for(list_name: str | None) -> tuple[StatutoryEntry, ...]:
    if list_name is None:
        return ()
    return tuple(e for e in statutory_entries() if e.list == list_name)


_FILLER = {"policy", "policies", "procedure", "procedures", "statement", "the", "of", "for"}


def normalise_name(text: str) -> str:
    """A policy's name as compared with a list entry: "Behaviour Policy" matches "Behaviour",
    "Charging & Remissions" matches "Charging and remissions"."""
    words = re.sub(r"[^\w]+", " ", text.casefold().replace("&", " and ").replace("’", "'"))
    return " ".join(w for w in words.split() if w not in _FILLER)


def matched_entry(doc: PolicyDocument, entries: Sequence[StatutoryEntry]) -> StatutoryEntry | None:
    """The list entry this policy is: the one its ``statutory_name`` names, else the one its
    title names."""
    wanted = normalise_name(doc.meta.statutory_name or doc.meta.title)
    return next((e for e in entries if normalise_name(e.name) == wanted), None)


def missing_entries(project: Project) -> list[StatutoryEntry]:
    """The entries of the project's list that none of its policies is."""
    entries = entries_for(project.config.reviews.statutory_list)
    published = {matched_entry(doc, entries) for doc in project.policies}
    return [e for e in entries if e not in published]
