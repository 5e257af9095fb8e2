"""A pre-school's policies written for another static site generator (Jekyll-style front
matter, links to /policies/... files, lists nested by two spaces) check and build with
warnings only."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from policypress.cli import cli

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "elsewhere"
POLICIES = ["admissions", "complaints", "fees", "mobile-phones", "safeguarding"]


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "little-acorns"))


def test_it_checks_with_warnings_only(runner: CliRunner, elsewhere: Path) -> None:
    result = runner.invoke(cli, ["check", "-C", str(elsewhere)])
    assert result.exit_code == 0, result.output
    assert "0 error(s), 27 warning(s)" in result.output
    for name in POLICIES:
        path = f"content/{name}-policy.md"
        assert f"{path}:5:1: warning: unknown front matter key 'adpoted_date'" in result.output
        assert f"{path}:6:1: warning: unknown front matter key 'review_date'" in result.output
    assert result.output.count("Did you mean 'adopted'?") == 5
    assert result.output.count("Did you mean 'next_review'?") == 5


def test_it_builds_its_pages_lists_and_files(runner: CliRunner, elsewhere: Path) -> None:
    result = runner.invoke(cli, ["build", "-C", str(elsewhere), "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert "27 warnings" in result.output
    site = elsewhere / "output" / "site"
    complaints = (site / "complaints-policy" / "index.html").read_text(encoding="utf-8")
    # Nested by two spaces, 1) numbering, backslash line breaks: all kept.
    assert re.search(r"at this stage\.<ul>\s*<li>We keep a record", complaints)
    body = complaints[complaints.index('class="policy-body"') :]
    assert body.count("<ol>") == 1
    assert "The address of Ofsted is:<br>" in complaints
    # The /policies/... link goes to the form, published with the policy.
    assert 'href="files/formal-complaint-form.pdf">Formal Complaint Form</a>' in complaints
    assert (site / "complaints-policy" / "files" / "formal-complaint-form.pdf").read_bytes() == (
        (elsewhere / "content" / "Formal_Complaint_Form.pdf").read_bytes()
    )
    admissions = (site / "admissions-policy" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'how they:<ol type="a">\s*<li>treat each child', admissions)
    assert 'registration form <span class="file-facts">(Word document, 39 bytes)' in admissions
    phones = (site / "mobile-phones-policy" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"children\.<ul>\s*<li>Only the setting", phones)  # nested by a tab


@pytest.mark.slow
def test_it_builds_its_pdfs(runner: CliRunner, elsewhere: Path) -> None:
    result = runner.invoke(cli, ["build", "-C", str(elsewhere)])
    assert result.exit_code == 0, result.output
    pdfs = sorted((elsewhere / "output" / "site").rglob("*.pdf"))
    made = [p for p in pdfs if "files" not in p.parts]
    assert len(made) == 3 * len(POLICIES)
