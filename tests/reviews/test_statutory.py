"""The statutory lists shipped as data: the file parses, every entry has its source, and a
project's policies are matched to entries by statutory_name or by title."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from policypress.config import load_config
from policypress.content.reader import read_project
from policypress.errors import PolicyError
from policypress.reviews.statutory import (
    DATA,
    entries_for,
    missing_entries,
    normalise_name,
    statutory_entries,
)


def test_the_data_file_parses_and_every_entry_has_a_source() -> None:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    assert len(data["policy"]) == 47
    for item in data["policy"]:
        assert set(item) >= {"name", "list", "approved_by", "source", "read_on"}, item
        assert item["source"].startswith("https://"), item
        assert isinstance(item["read_on"], dt.date)
        assert item["list"] in ("maintained", "academy")
        if not item["source"].startswith("https://www.gov.uk/guidance/"):
            # a secondary source says so, and when it was written where it says
            assert item["note"].startswith("Secondary source:"), item
            assert isinstance(item.get("source_date", dt.date.min), dt.date)
    entries = statutory_entries()
    assert len(entries) == len(data["policy"])
    names = [(e.list, normalise_name(e.name)) for e in entries]
    assert len(names) == len(set(names)), "an entry is listed twice"


def test_each_list_has_its_own_entries() -> None:
    maintained = {e.name for e in entries_for("maintained")}
    academy = {e.name for e in entries_for("academy")}
    assert "Governors’ allowances" in maintained and "Governors’ allowances" not in academy
    assert "School food" in academy and "School food" not in maintained
    assert entries_for(None) == ()
    assert (len(maintained), len(academy)) == (25, 22)
    assert "Teachers’ pay" in maintained and "Teachers’ pay" not in academy


@pytest.mark.parametrize(
    ("title", "entry"),
    [
        ("Charging & Remissions Policy", "Charging and remissions"),
        ("Health and Safety Policy", "Health and safety"),
        ("Policy for School Attendance", "School attendance"),
    ],
)
def test_titles_match_entries_without_policy_and_punctuation(title: str, entry: str) -> None:
    assert normalise_name(title) == normalise_name(entry)


def test_missing_follows_the_project_list(school: Path) -> None:
    project = read_project(school)
    missing = {e.name for e in missing_entries(project)}
    assert "Admissions arrangements" in missing
    assert "Charging and remissions" not in missing  # by title
    assert "Behaviour and written statement of principles" not in missing  # by statutory_name
    config = school / "policypress.toml"
    config.write_text(config.read_text().replace('"maintained"', '"academy"'))
    missing = {e.name for e in missing_entries(read_project(school))}
    assert "School food" in missing and "Behaviour" in missing


def test_an_unknown_list_is_refused_with_its_line(school: Path) -> None:
    config = school / "policypress.toml"
    config.write_text(config.read_text().replace('"maintained"', '"maintaned"'))
    with pytest.raises(PolicyError) as caught:
        load_config(school)
    assert caught.value.message.startswith("statutory_list should be one of 'maintained'")
    assert (
        caught.value.line
        == config.read_text().splitlines().index('statutory_list = "maintaned"') + 1
    )
    assert caught.value.finding.hint == "Did you mean 'maintained'?"


def test_public_must_be_true_or_false(school: Path) -> None:
    config = school / "policypress.toml"
    config.write_text(config.read_text() + 'public = "yes"\n')
    with pytest.raises(PolicyError) as caught:
        load_config(school)
    assert caught.value.message == "public should be true or false, not text ('yes')"


def test_the_reviews_table_is_optional(project: Path) -> None:
    settings = load_config(project).reviews
    assert (settings.statutory_list, settings.public) == (None, False)
