"""policypress.toml: wrong types, unknown keys and bad addresses are reported with their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from policypress.config import load_config
from policypress.errors import PolicyError
from tests.conftest import CONFIG, write


def test_the_shipped_settings_load_and_report_their_placeholders() -> None:
    from tests.conftest import REPO

    config = load_config(REPO)
    assert config.school.name == "Kettleshulme St James CE (VA) Primary School"
    assert {f.message.split(" is ")[0] for f in config.placeholders()} >= {
        "[school] address",
        "[school] phone",
    }


def test_unknown_key_suggests_the_closest(tmp_path: Path) -> None:
    write(tmp_path / "policypress.toml", CONFIG.replace("phone =", "phnoe ="))
    with pytest.raises(PolicyError) as info:
        load_config(tmp_path)
    text = info.value.format()
    assert "unknown setting 'phnoe'" in text and "Did you mean 'phone'?" in text
    assert "policypress.toml:5" in text


def test_wrong_type(tmp_path: Path) -> None:
    write(tmp_path / "policypress.toml", CONFIG + '\n[print]\nlarge_print_size = "big"\n')
    with pytest.raises(PolicyError, match="should be a number"):
        load_config(tmp_path)


def test_bad_url(tmp_path: Path) -> None:
    write(
        tmp_path / "policypress.toml",
        CONFIG.replace('"https://sttests.sch.uk/policies/"', '"sttests.sch.uk"'),
    )
    with pytest.raises(PolicyError, match="not a web address") as info:
        load_config(tmp_path)
    assert info.value.line == 9
