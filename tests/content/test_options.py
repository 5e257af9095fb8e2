"""The option types policypress.toml and front matter share: one validator, two syntaxes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from policypress.config import SCHEMA, load_config
from policypress.content.frontmatter import FRONT_MATTER, parse_front_matter
from policypress.content.options import (
    TOML,
    YAML,
    Choice,
    Date,
    Flag,
    Number,
    Option,
    OptionProblem,
    Text,
    did_you_mean,
    validate,
)
from policypress.errors import PolicyError
from tests.conftest import CONFIG, write


def test_both_files_are_described_by_the_same_option_types() -> None:
    options = [*FRONT_MATTER.values()] + [
        o for section in SCHEMA.values() for o in section.values()
    ]
    assert all(isinstance(option, Option) for option in options)
    assert {type(o) for o in FRONT_MATTER.values()} & {
        type(o) for s in SCHEMA.values() for o in s.values()
    }


def test_a_wrong_type_is_explained_in_the_syntax_of_its_file() -> None:
    with pytest.raises(OptionProblem) as toml:
        Text().check("name", 3, TOML)
    with pytest.raises(OptionProblem) as yaml:
        Text().check("owner", 3, YAML)
    assert toml.value.message == "name should be text, not a number (3)"
    assert 'name = "some words"' in toml.value.hint
    assert "owner: some words" in yaml.value.hint


def test_dates_numbers_and_flags() -> None:
    assert Date().check("adopted", "2026-09-01", YAML) == dt.date(2026, 9, 1)
    with pytest.raises(OptionProblem, match="is not a date"):
        Date().check("adopted", "soon", YAML)
    with pytest.raises(OptionProblem, match="size 12 pt is outside 16 to 48 pt"):
        Number(minimum=16, maximum=48, unit="pt").check("size", 12, TOML)
    assert Flag().check("statutory", True, YAML) is True
    with pytest.raises(OptionProblem, match="should be one of 'maintained', 'academy'") as info:
        Choice(choices=("maintained", "academy")).check("statutory_list", "acadmey", TOML)
    assert info.value.hint == "Did you mean 'academy'?"
    with pytest.raises(OptionProblem, match="should be true or false"):
        Flag().check("statutory", "yes please", YAML)


def test_every_problem_of_a_table_is_found_with_its_line() -> None:
    checked = validate(
        {"adopted": Date(), "title": Text()},
        {"adopted": "soon", "title": 5, "colour": "red"},
        path=Path("p.md"),
        line_of={"adopted": 2, "title": 3, "colour": 4}.get,
        syntax=YAML,
        unknown=lambda key: ("warning", f"unknown {key}", None),
    )
    assert [(f.severity, f.line) for f in checked.findings] == [
        ("error", 2),
        ("error", 3),
        ("warning", 4),
    ]


def test_did_you_mean_knows_other_spellings() -> None:
    assert did_you_mean("phnoe", ["name", "phone"]) == "Did you mean 'phone'?"
    assert did_you_mean("Review-Date", ["next_review"], {"review_date": "next_review"}) == (
        "Did you mean 'next_review'?"
    )
    assert did_you_mean("zzz", ["a", "b"]) == "Known keys: a, b."


def test_config_and_front_matter_report_a_bad_date_and_a_bad_size_alike(tmp_path: Path) -> None:
    write(tmp_path / "policypress.toml", CONFIG + "\n[print]\nlarge_print_size = 60\n")
    with pytest.raises(PolicyError) as config_error:
        load_config(tmp_path)
    assert config_error.value.message == "large_print_size 60 pt is outside 16 to 48 pt"
    assert config_error.value.line == len(CONFIG.splitlines()) + 3
    with pytest.raises(PolicyError) as front_error:
        parse_front_matter("---\ntitle: T\nnext_review: soon\n---\n", Path("p.md"))
    assert front_error.value.message == "next_review is not a date: 'soon'"
