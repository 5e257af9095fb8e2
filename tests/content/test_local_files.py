"""Images and linked files that are not there are named at their line before anything is
rendered; files that are there are published with the policy and listed on its page."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from policypress.cli import cli
from policypress.content.attachments import file_size, find_file, safe_name
from tests.conftest import write

POLICY = "content/behaviour-policy.md"


def add_body(project: Path, text: str) -> None:
    path = project / POLICY
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")


def body_line(project: Path, needle: str) -> int:
    lines = (project / POLICY).read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize("command", [["check"], ["build", "--no-pdf"], ["build"]])
def test_a_missing_raw_html_image_is_named_by_every_command(
    runner: CliRunner, project: Path, command: list[str]
) -> None:
    add_body(project, 'See <img src="images/hall.png" alt="The hall"> here.\n')
    result = runner.invoke(cli, [*command, "-C", str(project)])
    line = body_line(project, "images/hall.png")
    assert result.exit_code == 1
    assert f"{POLICY}:{line}:15: image 'images/hall.png' not found" in result.output
    assert "accessib" not in result.output  # a missing file is not an accessibility problem
    assert "Traceback" not in result.output
    assert not (project / "output").exists()  # nothing rendered, nothing published


def test_a_missing_markdown_image_is_named(runner: CliRunner, project: Path) -> None:
    add_body(project, "![The hall](images/hall.png)\n")
    result = runner.invoke(cli, ["check", "-C", str(project)])
    line = body_line(project, "images/hall.png")
    assert f"{POLICY}:{line}:13: image 'images/hall.png' not found" in result.output
    assert "content/images folder" in result.output


@pytest.mark.parametrize(
    ("text", "target", "col"),
    [
        ("[the form](forms/complaint.docx)", "forms/complaint.docx", 12),
        (
            "[the form](/policies/Formal_Complaint_Form.pdf)",
            "/policies/Formal_Complaint_Form.pdf",
            12,
        ),
        ('<a href="forms/rota.xlsx">the rota</a>', "forms/rota.xlsx", 10),
    ],
)
def test_a_link_to_a_missing_file_is_an_error(
    runner: CliRunner, project: Path, text: str, target: str, col: int
) -> None:
    add_body(project, f"{text}\n")
    result = runner.invoke(cli, ["check", "-C", str(project)])
    line = body_line(project, target)
    assert result.exit_code == 1
    assert f"{POLICY}:{line}:{col}: link target {target!r} not found" in result.output


def test_linked_files_are_published_under_safe_names_and_listed(
    runner: CliRunner, project: Path
) -> None:
    (project / "content" / "forms").mkdir()
    (project / "content" / "forms" / "Formal Complaint Form.docx").write_bytes(b"x" * 24_000)
    write(project / "content" / "Exclusions_Letter.pdf", "%PDF-1.4 a letter\n")
    add_body(
        project,
        "Use the [Complaint form](forms/Formal%20Complaint%20Form.docx), or see\n"
        '<a href="/policies/Exclusions_Letter.pdf">the letter</a>.\n',
    )
    result = runner.invoke(cli, ["build", "-C", str(project), "--no-pdf"])
    assert result.exit_code == 0, result.output
    folder = project / "output" / "site" / "behaviour-policy" / "files"
    assert sorted(p.name for p in folder.iterdir()) == [
        "exclusions-letter.pdf",
        "formal-complaint-form.docx",
    ]
    assert (folder / "formal-complaint-form.docx").read_bytes() == b"x" * 24_000
    html = (project / "output" / "site" / "behaviour-policy" / "index.html").read_text()
    assert 'href="files/formal-complaint-form.docx">Complaint form</a>' in html
    assert 'href="files/exclusions-letter.pdf">the letter</a>' in html
    assert 'Complaint form <span class="file-facts">(Word document, 24 KB)</span>' in html


def test_files_kept_in_the_policys_own_folder_are_published_unlinked(
    runner: CliRunner, project: Path
) -> None:
    own = project / "content" / "behaviour-policy"
    own.mkdir()
    (own / "home_school_agreement.odt").write_bytes(b"odt")
    result = runner.invoke(cli, ["build", "-C", str(project), "--no-pdf"])
    assert result.exit_code == 0, result.output
    site = project / "output" / "site"
    assert (site / "behaviour-policy" / "files" / "home-school-agreement.odt").is_file()
    html = (site / "behaviour-policy" / "index.html").read_text()
    assert "Home school agreement <span" in html
    assert "(OpenDocument text, 3 bytes)" in html


def test_print_links_to_a_file_go_to_its_published_address(project: Path) -> None:
    from policypress.engine.options import BuildOptions
    from policypress.engine.site import open_site

    write(project / "content" / "forms" / "form.pdf", "%PDF")
    site = open_site(project, BuildOptions(output=project / "output"))
    doc = site.project.policies[0]
    web = site.resolve_file(doc, "pl/behaviour-policy/index.html")
    printed = site.resolve_file(doc, "print")
    assert web("forms/form.pdf")[0] == "../../behaviour-policy/files/form.pdf"
    assert printed("forms/form.pdf")[0] == (
        "https://sttests.sch.uk/policies/behaviour-policy/files/form.pdf"
    )


def test_a_link_cannot_reach_outside_the_content_folder(tmp_path: Path) -> None:
    write(tmp_path / "secret.pdf", "%PDF")
    policy = write(tmp_path / "content" / "p.md", "---\ntitle: P\n---\n")
    assert find_file("../secret.pdf", tmp_path / "content", policy) is None
    assert find_file("/../secret.pdf", tmp_path / "content", policy) is None


def test_safe_names_and_sizes() -> None:
    assert safe_name("Formal Complaint Form (v2).DOCX") == "formal-complaint-form-v2.docx"
    assert safe_name("../../évil name.pdf") == "vil-name.pdf"
    assert [file_size(n) for n in (512, 24_400, 3_250_000)] == ["512 bytes", "24 KB", "3.2 MB"]
