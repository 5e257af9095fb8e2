"""The command line, as the office uses it: build, check, clean, and what a mistake looks like."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from policypress.cli import cli
from tests.conftest import write


def test_build_writes_the_site_and_a_manifest(runner: CliRunner, project: Path) -> None:
    result = runner.invoke(cli, ["build", "-C", str(project), "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert "Built 6 pages, 0 PDFs, 0 leaflets, 1 braille file and 1 EPUB into" in result.output
    site = project / "output" / "site"
    assert (site / "behaviour-policy" / "index.html").is_file()
    assert (site / "404.html").is_file() and (site / "sitemap.xml").is_file()
    manifest = json.loads((project / "output" / "manifest.json").read_text())
    entry = next(f for f in manifest["files"] if f["path"] == "behaviour-policy/index.html")
    assert entry["kind"] == "page" and entry["policy"] == "behaviour-policy"
    assert entry["language"] == "en" and len(entry["sha256"]) == 64


def test_build_py_is_the_same_command_group() -> None:
    import runpy

    namespace = runpy.run_path(
        str(Path(__file__).resolve().parent.parent / "build.py"), run_name="not_main"
    )
    from policypress.cli import main

    assert namespace["main"] is main


def test_a_policy_with_only_a_title_builds(runner: CliRunner, project: Path) -> None:
    write(project / "content" / "uniform.md", "---\ntitle: Uniform Policy\n---\n")
    result = runner.invoke(cli, ["build", "-C", str(project), "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert (project / "output" / "site" / "uniform" / "index.html").is_file()


def test_a_broken_file_gives_file_line_and_hint_without_traceback(
    runner: CliRunner, project: Path
) -> None:
    runner.invoke(cli, ["build", "-C", str(project), "--no-pdf"])
    before = (project / "output" / "manifest.json").read_bytes()
    write(project / "content" / "broken.md", "---\ntitle: Broken\nadopted: someday\n---\n")
    result = runner.invoke(cli, ["build", "-C", str(project), "--no-pdf"])
    assert result.exit_code == 1
    assert "content/broken.md:3:1: adopted is not a date: 'someday'" in result.output
    assert "Write dates as year-month-day" in result.output
    assert "Traceback" not in result.output
    assert (project / "output" / "manifest.json").read_bytes() == before


def test_debug_shows_the_traceback(runner: CliRunner, project: Path) -> None:
    write(project / "content" / "broken.md", "---\ntitle: Broken\nadopted: someday\n---\n")
    result = runner.invoke(cli, ["--debug", "build", "-C", str(project), "--no-pdf"])
    assert result.exit_code == 1
    assert result.exception is not None


def test_check_reports_errors_and_warnings_and_exits_1(runner: CliRunner, project: Path) -> None:
    write(
        project / "content" / "trips.md",
        """\
        ---
        title: Trips
        next_review: 2020-01-01
        ---

        ## Paying

        #### Too deep

        ![](bus.jpg)

        [Click here](https://example.com/) and [see rewards](behaviour-policy.md#prizes).
        """,
    )
    result = runner.invoke(cli, ["check", "-C", str(project)])
    assert result.exit_code == 1
    out = result.output
    assert "content/trips.md:8:1: the heading 'Too deep' skips a level" in out
    assert "content/trips.md:10:5: this image has no alt text" in out
    assert "content/trips.md:12:54" in out and "section that does not exist" in out
    assert "warning: the link text 'click here'" in out
    assert "warning: this policy was due for review on 2020-01-01" in out


def test_check_passes_with_warnings_only(runner: CliRunner, project: Path) -> None:
    result = runner.invoke(cli, ["check", "-C", str(project)])
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


def test_check_shows_editorial_notes_of_the_shipped_policy(runner: CliRunner) -> None:
    from tests.conftest import REPO

    result = runner.invoke(cli, ["check", "-C", str(REPO)])
    assert "note: Parent/Carer's Responsibility, third paragraph" in result.output
    assert "[school] address is still a placeholder" in result.output


def test_clean_removes_output_and_cache(runner: CliRunner, project: Path) -> None:
    runner.invoke(cli, ["build", "-C", str(project), "--no-pdf"])
    assert (project / "output").is_dir()
    result = runner.invoke(cli, ["clean", "-C", str(project)])
    assert result.exit_code == 0
    assert not (project / "output").exists()


def test_unsafe_file_name_is_refused(runner: CliRunner, project: Path) -> None:
    write(project / "content" / "Our Policy!.md", "---\ntitle: X\n---\n")
    result = runner.invoke(cli, ["build", "-C", str(project), "--no-pdf"])
    assert result.exit_code == 1
    assert "would make an unsafe web address" in result.output
    assert "Rename the file to our-policy.md" in result.output


def test_usage_error_exits_2(runner: CliRunner, project: Path) -> None:
    result = runner.invoke(cli, ["build", "--jobs", "0", "-C", str(project)])
    assert result.exit_code == 2
