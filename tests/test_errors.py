"""Bad input never hurts: one readable message naming the place, exit 1, output untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from policypress.cli import cli
from tests.conftest import write


def run_build(runner: CliRunner, root: Path) -> tuple[int, str]:
    result = runner.invoke(cli, ["build", "-C", str(root), "--no-pdf"])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_file_that_is_not_utf8_says_where_the_bad_byte_is(runner: CliRunner, project: Path) -> None:
    (project / "content" / "latin1.md").write_bytes(b"---\ntitle: Caf\xe9\n---\n")
    code, out = run_build(runner, project)
    assert code == 1
    assert "content/latin1.md:2:11: this file is not valid UTF-8: byte 0xe9" in out
    assert "UTF-8" in out.split("\n")[1]


def test_empty_file(runner: CliRunner, project: Path) -> None:
    write(project / "content" / "empty.md", "\n\n")
    code, out = run_build(runner, project)
    assert code == 1
    assert "content/empty.md:1: this file is empty" in out


def test_two_policies_with_the_same_address(runner: CliRunner, project: Path) -> None:
    write(project / "content" / "behaviour-policy.markdown", "---\ntitle: Again\n---\n")
    code, out = run_build(runner, project)
    assert code == 1
    assert "two policies would have the same web address /behaviour-policy/" in out


def test_missing_required_front_matter(runner: CliRunner, project: Path) -> None:
    write(project / "content" / "untitled.md", "---\nsummary: Something\n---\n")
    code, out = run_build(runner, project)
    assert code == 1
    assert "content/untitled.md:1: the front matter has no title" in out


def test_template_syntax_error_names_the_template_and_line(
    runner: CliRunner, project: Path
) -> None:
    write(
        project / "templates" / "home.html",
        '{% extends "base.html" %}\n{% block main %}\n{% if %}\n',
    )
    code, out = run_build(runner, project)
    assert code == 1
    assert "templates/home.html:3: template syntax error" in out


def test_template_unknown_variable_names_the_template_and_line(
    runner: CliRunner, project: Path
) -> None:
    write(
        project / "templates" / "404.html",
        '{% extends "base.html" %}\n{% block main %}\n<p>{{ no_such_thing }}</p>\n{% endblock %}\n',
    )
    code, out = run_build(runner, project)
    assert code == 1
    assert "templates/404.html:3: the template uses something that does not exist" in out
    assert "'no_such_thing' is undefined" in out


def enable_polish(project: Path, po: str) -> None:
    config = project / "policypress.toml"
    config.write_text(config.read_text().replace("languages = []", 'languages = ["pl"]'))
    write(project / "translations" / "pl" / "behaviour-policy.po", po)


PO_HEAD = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"X-Review-Status: unreviewed\\n"\n\n'
)


def test_po_file_that_does_not_parse_gives_its_line(runner: CliRunner, project: Path) -> None:
    enable_polish(project, PO_HEAD + 'msgctxt "rewards"\nmsgid "Rewards"\nmsgstr "Nag"rody"\n')
    code, out = run_build(runner, project)
    assert code == 1
    assert "translations/pl/behaviour-policy.po:8: this translation file cannot be read" in out
    assert "unescaped double quote" in out


def test_translation_that_drops_a_link_is_an_error(runner: CliRunner, project: Path) -> None:
    policy = project / "content" / "behaviour-policy.md"
    policy.write_text(policy.read_text() + "\nSee [the rules](https://x.test/rules).\n")
    enable_polish(
        project,
        PO_HEAD + 'msgctxt "rewards"\nmsgid "See [the rules](https://x.test/rules)."\n'
        'msgstr "Zobacz [zasady](https://evil.test/)."\n',
    )
    code, out = run_build(runner, project)
    assert code == 1
    assert "translations/pl/behaviour-policy.po:6: the translation's links do not match" in out


def test_hostile_translation_markup_is_refused(runner: CliRunner, project: Path) -> None:
    enable_polish(
        project,
        PO_HEAD + 'msgctxt "rewards"\nmsgid "House points"\n'
        'msgstr "Punkty <img src=x onerror=alert(1)>"\n',
    )
    code, out = run_build(runner, project)
    assert code == 1
    assert "HTML tags do not match" in out


def test_every_page_carries_a_content_security_policy(runner: CliRunner, project: Path) -> None:
    assert run_build(runner, project)[0] == 0
    for page in (project / "output" / "site").rglob("*.html"):
        assert 'http-equiv="Content-Security-Policy"' in page.read_text(), page


def test_hostile_markdown_never_reaches_the_page(runner: CliRunner, project: Path) -> None:
    policy = project / "content" / "behaviour-policy.md"
    policy.write_text(
        policy.read_text()
        + '\n<script>alert(1)</script>\n\n<p style="display:none" onmouseover="x()">hi</p>\n\n'
        + "[x](javascript:alert(1)) ![y](data:image/svg+xml;base64,AAAA)\n\n"
        + '<iframe src="https://evil.test"></iframe>\n'
    )
    code, out = run_build(runner, project)
    assert code == 0
    html = (project / "output" / "site" / "behaviour-policy" / "index.html").read_text()
    body = html.split('<div class="policy-body">', 1)[1]
    for bad in ("<script", "onmouseover", "javascript:", "data:image", "<iframe", "display:none"):
        assert bad not in body, bad
    assert "removed unsafe HTML" in out
    assert "removed an unsafe address" in out


@pytest.mark.parametrize("text", ["Déjà vu ☃ \U0001f600"])
def test_check_names_a_character_the_fonts_cannot_show(
    runner: CliRunner, project: Path, text: str
) -> None:
    policy = project / "content" / "behaviour-policy.md"
    policy.write_text(policy.read_text() + f"\n{text}\n")
    result = runner.invoke(cli, ["check", "-C", str(project)])
    assert result.exit_code == 1
    assert "cannot show the character '☃' (U+2603 SNOWMAN)" in result.output
    assert "content/behaviour-policy.md:17:" in result.output


@pytest.mark.slow  # renders every PDF of a translated project
def test_a_leaflet_that_does_not_fit_names_itself_its_language_and_the_overflow(
    runner: CliRunner, project: Path
) -> None:
    runner.invoke(cli, ["build", "-C", str(project), "--no-pdf"])
    before = (project / "output" / "manifest.json").read_bytes()
    long_text = "\n\n".join(
        f"## Part {n}\n\n" + "Please read this carefully. " * 25 for n in range(8)
    )
    write(
        project / "content" / "leaflets" / "behaviour-policy.md",
        f"---\ntitle: Behaviour for parents\n---\n\n{long_text}\n",
    )
    result = runner.invoke(cli, ["build", "-C", str(project)])
    assert result.exit_code == 1
    message = result.output
    assert (
        "content/leaflets/behaviour-policy.md: the leaflet in 'en' does not fit on one A4 page"
        in message
    )
    runs = int(message.split("it runs ", 1)[1].split(" mm", 1)[0])
    assert runs > 100
    assert "never printed smaller than 12 pt" in message
    assert (project / "output" / "manifest.json").read_bytes() == before
