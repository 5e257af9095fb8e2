"""``policypress build`` with nothing changed since the last build: it says so, in a new
process, without importing the libraries a build renders with, and leaves the output as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from policypress.cli import cli
from tests.conftest import REPO, copy_repo_project

HEAVY = ("jinja2", "markdown", "babel", "weasyprint", "polib", "nh3", "fontTools", "pydyf")
UP_TO_DATE = "Nothing has changed since the last build"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A copy of the shipped project built once by ``policypress build --no-pdf``, and what
    that build printed to stderr (its warnings)."""
    root = copy_repo_project(tmp_path_factory.mktemp("cli-noop") / "school", archive=True)
    result = CliRunner().invoke(cli, ["build", "-C", str(root), "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert "Built 22 pages" in result.stdout
    return root, result.stderr


def snapshot(output: Path) -> dict[str, tuple[bytes, int]]:
    return {
        path.relative_to(output).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(output.rglob("*"))
        if path.is_file()
    }


def run(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-X", "importtime", *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )


def imported(stderr: str) -> set[str]:
    """The modules ``-X importtime`` reports."""
    return {
        line.rsplit("|", 1)[1].strip()
        for line in stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def messages(stderr: str) -> str:
    return "\n".join(line for line in stderr.splitlines() if not line.startswith("import time:"))


@pytest.mark.parametrize(
    "command",
    [("-m", "policypress", "build"), ("build.py", "build")],
    ids=["policypress", "build.py"],
)
def test_a_second_build_says_nothing_changed_without_heavy_imports(
    built: tuple[Path, str], command: tuple[str, ...]
) -> None:
    root, warnings = built
    before = snapshot(root / "output")
    result = run(*command, "-C", str(root), "--no-pdf", cwd=REPO)
    assert result.returncode == 0, result.stderr[-2000:]
    assert UP_TO_DATE in result.stdout
    assert "7 warnings: run 'policypress check' for details." in result.stdout
    assert messages(result.stderr) == warnings.rstrip("\n")  # the same warnings, again
    assert not set(HEAVY) & imported(result.stderr)
    assert "policypress.engine.buildstamp" in imported(result.stderr)  # the check did run
    assert snapshot(root / "output") == before


def test_another_flag_builds(built: tuple[Path, str]) -> None:
    root, _ = built
    result = run("-m", "policypress", "build", "-C", str(root), "--no-pdf", "-j", "1", cwd=REPO)
    assert result.returncode == 0, result.stderr[-2000:]
    assert UP_TO_DATE not in result.stdout
    assert "Built 22 pages" in result.stdout
    assert {"jinja2", "markdown"} <= imported(result.stderr)


def test_debug_always_builds(built: tuple[Path, str]) -> None:
    root, _ = built
    result = CliRunner().invoke(cli, ["--debug", "build", "-C", str(root), "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert UP_TO_DATE not in result.stdout
    assert "Built 22 pages" in result.stdout
