"""A translator's interface string is text: it cannot add attributes, comments or tags to a page,
`check` names the PO file and line of one that tries, and the pages keep their navigation."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from policypress.cli import cli
from policypress.render.templating import catalog_text, make_environment
from tests.conftest import write

PO_HEAD = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"X-Review-Status: unreviewed\\n"\n\n'
)


def enable_polish_interface(project: Path, entries: dict[str, str]) -> Path:
    config = project / "policypress.toml"
    config.write_text(config.read_text().replace("languages = []", 'languages = ["pl"]'))
    body = "".join(
        f"msgid {quote(msgid)}\nmsgstr {quote(msgstr)}\n\n" for msgid, msgstr in entries.items()
    )
    return write(project / "translations" / "pl" / "interface.po", PO_HEAD + body)


def quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


@pytest.mark.parametrize(
    ("msgid", "msgstr", "what"),
    [
        ("Site", 'Witryna" hidden onfocus="alert(1)" x="', "['onfocus=', 'x=']"),
        ("Back to top", "Powrót <!-- ", "['<!--']"),
        ("Policies", "Polityki <img src=x onerror=alert(1)>", "HTML tags"),
    ],
)
def test_check_names_the_po_line_of_a_string_that_adds_markup(
    runner: CliRunner, project: Path, msgid: str, msgstr: str, what: str
) -> None:
    enable_polish_interface(project, {"Contents": "Spis treści", msgid: msgstr})
    result = runner.invoke(cli, ["check", "-C", str(project)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    # The hostile entry is the second one: its msgid is on line 9 of the file.
    assert "translations/pl/interface.po:9: the translation's" in result.output
    assert what in result.output
    build = runner.invoke(cli, ["build", "-C", str(project), "--no-pdf"])
    assert build.exit_code == 1
    assert not (project / "output").exists()


def test_quotes_and_angle_brackets_in_a_string_are_shown_as_text(
    runner: CliRunner, project: Path
) -> None:
    # Nothing here looks like markup to check, so it is published: as text.
    enable_polish_interface(
        project,
        {
            "Site": 'Witryna" hidden autofocus x',
            "Back to top": "Powrót < na górę >",
            "Complaints Policy": "Skargi & zażalenia",
        },
    )
    # The policy is published in Polish once its catalog translates something.
    write(
        project / "translations" / "pl" / "behaviour-policy.po",
        PO_HEAD + 'msgctxt "meta"\nmsgid "Behaviour Policy"\nmsgstr "Polityka zachowania"\n',
    )
    result = runner.invoke(cli, ["build", "-C", str(project), "--no-pdf"])
    assert result.exit_code == 0, result.output
    page = (project / "output" / "site" / "pl" / "behaviour-policy" / "index.html").read_text()
    parsed = parse(page)
    [nav] = [attrs for tag, attrs in parsed.tags if tag == "nav" and "site-nav" in str(attrs)]
    assert nav == {"class": "site-nav", "aria-label": 'Witryna" hidden autofocus x'}
    assert not any("hidden" in attrs for _, attrs in parsed.tags)
    assert "Powrót &lt; na górę &gt;" in page
    assert "Skargi &amp; zażalenia" in page
    # The footer is all there: contacts and the link to the Complaints Policy.
    assert any(
        tag == "a" and attrs.get("href") == "https://sttests.sch.uk/policies/complaints/"
        for tag, attrs in parsed.tags
    )
    assert "office@sttests.sch.uk" in page.split("<footer", 1)[1]


def test_a_template_string_is_escaped_in_attributes_and_text(project: Path) -> None:
    hostile = {"Site": 'Witryna" onfocus="alert(1)', "Home": "Start <!-- "}
    templates = make_environment(
        project, "pl", lambda s: hostile.get(s, s), lambda s, p, n: hostile.get(s, s)
    )
    source = (
        "<nav aria-label=\"{{ _('Site') }}\"><p>{{ _('Home') }}</p>"
        "<p>{{ ngettext('Home', 'Homes', 1) }}</p></nav>"
    )
    html = templates.env.from_string(source).render(templates.context({}))
    parsed = parse(html)
    assert parsed.tags[0] == ("nav", {"aria-label": 'Witryna" onfocus="alert(1)'})
    assert parsed.comments == []
    assert html.count("Start &lt;!-- ") == 2


def test_markup_passes_only_where_the_english_has_the_same() -> None:
    english = 'Read <a href="%(url)s">the rules</a>'
    assert catalog_text(english, 'Czytaj <a href="%(url)s">zasady</a>') == (
        'Czytaj <a href="%(url)s">zasady</a>'
    )
    # Different markup: the English is shown instead.
    assert catalog_text(english, 'Czytaj <a href="%(url)s" onclick="x()">zasady</a>') == english
    assert catalog_text("Site", "<b>Witryna</b>") == "&lt;b&gt;Witryna&lt;/b&gt;"
