"""`policypress new DIR`: the starter project a new school begins from."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from policypress.cli import cli
from policypress.engine.build import PdfMode
from policypress.engine.cache import CACHE_DIR
from policypress.lint import run_checks
from policypress.new import new_project
from tests.conftest import build

EXPECTED = {
    ".gitignore",
    "policypress.toml",
    "content/mobile-phone-policy.md",
    "content/leaflets/mobile-phone-policy.md",
    "translations/README.md",
    "templates/README.md",
}


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("new") / "school"
    new_project(root, today=dt.date(2026, 11, 26))
    return root


def test_new_makes_the_starter_project(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["new", str(tmp_path / "school")])
    assert result.exit_code == 0, result.output
    root = tmp_path / "school"
    made = {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}
    assert made == EXPECTED
    assert "Made a new policypress project" in result.output
    assert "policypress check" in result.output


def test_the_example_policy_is_adopted_today_and_reviewed_in_a_year(starter: Path) -> None:
    text = (starter / "content" / "mobile-phone-policy.md").read_text(encoding="utf-8")
    assert "adopted: 2026-11-26\n" in text
    assert "next_review: 2027-11-26\n" in text
    assert "@" not in text.split("---")[1]


def test_a_leap_day_project_is_reviewed_on_the_28th(tmp_path: Path) -> None:
    new_project(tmp_path / "school", today=dt.date(2028, 2, 29))
    text = (tmp_path / "school" / "content" / "mobile-phone-policy.md").read_text("utf-8")
    assert "next_review: 2029-02-28\n" in text


def test_the_starter_checks_with_warnings_only_for_its_placeholders(starter: Path) -> None:
    findings = run_checks(starter, today=dt.date(2026, 11, 26))
    assert [f for f in findings if f.severity == "error"] == []
    warnings = [f for f in findings if f.severity == "warning"]
    assert warnings
    for finding in warnings:
        assert finding.path == starter / "policypress.toml"
        assert "is still a placeholder" in finding.message
    assert {f.message.split("]")[1].split()[0] for f in warnings} >= {"name", "phone", "base_url"}


def test_the_starter_builds_its_web_pages(tmp_path: Path, starter: Path) -> None:
    root = tmp_path / "school"
    shutil.copytree(starter, root)
    result = build(root, pdf_mode=PdfMode.NONE)
    site = root / "output" / "site"
    page = (site / "mobile-phone-policy" / "index.html").read_text(encoding="utf-8")
    assert "Mobile Phone Policy" in page
    assert '<ol type="a"' in page  # the lettered list of the example
    assert (site / "mobile-phone-policy" / "leaflet" / "index.html").is_file()
    assert result.count("page") >= 4


def test_the_gitignore_leaves_out_the_output_and_the_cache(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "school"
    new_project(root)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    ignored = subprocess.run(
        ["git", "-C", str(root), "check-ignore", "output/site/index.html", f"{CACHE_DIR}/x"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ignored.stdout.split() == ["output/site/index.html", f"{CACHE_DIR}/x"]
    kept = subprocess.run(
        ["git", "-C", str(root), "check-ignore", "content/mobile-phone-policy.md"],
        capture_output=True,
        check=False,
    )
    assert kept.returncode == 1  # not ignored


def test_new_refuses_a_folder_with_anything_in_it_and_writes_nothing(
    tmp_path: Path, runner: CliRunner
) -> None:
    root = tmp_path / "school"
    root.mkdir()
    (root / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(cli, ["new", str(root)])
    assert result.exit_code == 1
    assert "is not empty, so no project was made in it" in result.output
    assert "never overwrites files" in result.output
    assert "Traceback" not in result.output
    assert [p.name for p in root.iterdir()] == ["notes.txt"]


def test_new_refuses_a_file(tmp_path: Path, runner: CliRunner) -> None:
    target = tmp_path / "school"
    target.write_text("mine", encoding="utf-8")
    result = runner.invoke(cli, ["new", str(target)])
    assert result.exit_code == 1
    assert "is a file, not a folder" in result.output
    assert target.read_text(encoding="utf-8") == "mine"


def test_new_fills_an_empty_folder(tmp_path: Path, runner: CliRunner) -> None:
    root = tmp_path / "school"
    root.mkdir()
    result = runner.invoke(cli, ["new", str(root)])
    assert result.exit_code == 0, result.output
    assert (root / "policypress.toml").is_file()
