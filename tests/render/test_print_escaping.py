"""The print HTML handed to WeasyPrint: text in its stylesheet (running heads, page footers) cannot
end the <style> element and add markup, and its links within the site are absolute."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from policypress.engine.build import BuildOptions, PdfMode
from policypress.engine.site import open_site
from policypress.i18n.languages import language
from policypress.render.pdf import PrintRenderer


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.starts: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append((tag, dict(attrs)))


def print_html(project: Path) -> str:
    site = open_site(project, BuildOptions(output=project / "output", pdf_mode=PdfMode.NONE))
    site = site.with_views()
    assert not [f for f in site.findings if f.severity == "error"]
    view = site.views[("behaviour-policy", "en")]
    return PrintRenderer(site.project, language("en"), None, 18).policy_document(view, "standard")


def test_a_school_name_cannot_end_the_print_stylesheet(project: Path) -> None:
    config = project / "policypress.toml"
    config.write_text(
        config.read_text().replace(
            'name = "St Test\'s Primary School"',
            'name = "St Test\'s</style><a href=\\"javascript:alert(1)\\">x</a><style>"',
        )
    )
    html = print_html(project)
    parser = _Elements()
    parser.feed(html)
    assert [tag for tag, _ in parser.starts].count("style") == 1
    assert not [attrs for tag, attrs in parser.starts if tag == "a" and "javascript" in str(attrs)]
    assert "St Test's\\3C /style\\3E " in html  # the name, as CSS text


def test_print_links_within_the_site_are_absolute(project: Path) -> None:
    policy = project / "content" / "behaviour-policy.md"
    policy.write_text(
        policy.read_text() + "\nSee [all formats](../formats/) and [rewards](#rewards).\n"
    )
    parser = _Elements()
    parser.feed(print_html(project))
    hrefs = [attrs.get("href") for tag, attrs in parser.starts if tag == "a"]
    assert "https://sttests.sch.uk/policies/formats/" in hrefs
    assert "#rewards" in hrefs
    assert not [href for href in hrefs if href and href.startswith("../")]
