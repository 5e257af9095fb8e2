"""Markdown as offices, editors and converters write it: the structure meant is the structure
published, and where it is unclear the office is told at the line."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from policypress.content.rendering import RenderedBody, render_markdown


def render(source: str) -> RenderedBody:
    return render_markdown(textwrap.dedent(source), path=Path("p.md"))


def depth_of(html: str, text: str) -> int:
    """How many lists the item with ``text`` sits inside."""
    before = html[: html.index(text)]
    opened = len(re.findall(r"<(?:ul|ol)\b", before))
    closed = len(re.findall(r"</(?:ul|ol)>", before))
    return opened - closed


@pytest.mark.parametrize(
    "indent", ["  ", "   ", "    ", "\t"], ids=["2 spaces", "3 spaces", "4 spaces", "tab"]
)
def test_nested_lists_keep_their_depth_at_any_usual_indent(indent: str) -> None:
    source = f"- top\n{indent}- middle\n{indent * 2}- bottom\n- top again\n"
    out = render(source)
    assert [depth_of(out.html, t) for t in ("top", "middle", "bottom", "top again")] == [
        1,
        2,
        3,
        1,
    ]
    assert not out.findings


def test_numbered_list_nested_by_three_spaces_under_its_number() -> None:
    out = render("1. Phone the office\n   - before 9am\n2. Write a note\n")
    assert depth_of(out.html, "before 9am") == 2
    assert out.html.count("<ol>") == 1
    assert not out.findings


def test_letters_nested_under_a_number_without_a_blank_line() -> None:
    out = render("1. one\n2. how they:\n   a. treat each child;\n   b. offer help.\n3. three\n")
    assert depth_of(out.html, "treat each child") == 2
    assert '<ol type="a">' in out.html
    assert out.html.count("<li>") == 5


def test_a_list_straight_after_a_paragraph_is_a_list() -> None:
    out = render("Parents should:\n- read the policy\n- sign the form\n")
    assert "<p>Parents should:</p>" in out.html
    assert out.html.count("<li>") == 2


def test_a_number_starting_a_line_of_text_does_not_start_a_list() -> None:
    out = render("The policy was written in\n2024. It is reviewed every year.\n")
    assert "<ol" not in out.html


@pytest.mark.parametrize("marker", [".", ")"])
def test_numbers_with_a_full_stop_or_a_bracket(marker: str) -> None:
    out = render(f"1{marker} first\n2{marker} second\n")
    assert "<ol>\n<li>first</li>\n<li>second</li>\n</ol>" in out.html


def test_letters_with_a_bracket_are_a_lettered_list() -> None:
    out = render("a) first\nb) second\n")
    assert '<ol type="a">' in out.html
    assert out.html.count("<li>") == 2


@pytest.mark.parametrize("bullet", ["*", "+", "-"])
def test_every_bullet_character(bullet: str) -> None:
    out = render(f"{bullet} one\n{bullet} two\n")
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in out.html


def test_consecutive_lists_of_different_kinds_stay_apart() -> None:
    out = render("1. one\n2. two\n\na. first\nb. second\n\n- bullet\n\n1. again\n")
    kinds = re.findall(r"<(ul|ol(?: type=\"a\")?)>", out.html)
    assert kinds == ["ol", 'ol type="a"', "ul", "ol"]


def test_a_change_of_list_kind_without_a_blank_line_starts_a_new_list() -> None:
    out = render("1. one\n2. two\n- a bullet\n")
    assert re.findall(r"<(ul|ol)>", out.html) == ["ol", "ul"]


def test_lists_of_the_same_kind_after_a_blank_line_still_join() -> None:
    out = render("1. one\n\n2. two\n")
    assert out.html.count("<ol>") == 1


@pytest.mark.parametrize("end", ["  ", "\\"], ids=["two spaces", "backslash"])
def test_hard_line_breaks(end: str) -> None:
    out = render(f"1 School Lane{end}\nTestville\n")
    assert "<p>1 School Lane<br>\nTestville</p>" in out.html


def test_a_backslash_at_the_end_of_a_paragraph_stays_text() -> None:
    out = render("C:\\folder\\\n")
    assert "<br" not in out.html


def test_the_text_keeps_the_quotes_the_office_typed() -> None:
    out = render('Say "please" and ‘thank you’; it\'s kind.\n')
    assert '<p>Say "please" and ‘thank you’; it\'s kind.</p>' in out.html


@pytest.mark.parametrize("quotes", ['""', "“”", "‘’"])
def test_a_link_title_in_any_quotes(quotes: str) -> None:
    out = render(f"See [the policy](other.md {quotes[0]}Our rules{quotes[1]}).\n")
    assert '<a href="other.md" title="Our rules">the policy</a>' in out.html


def test_typed_quotes_around_a_raw_html_attribute() -> None:
    out = render("<p><a href=“https://example.org/”>the site</a></p>\n")
    assert '<a href="https://example.org/">the site</a>' in out.html


def test_a_one_space_indent_is_reported_not_guessed_silently() -> None:
    out = render("Intro.\n\n- first\n - second\n")
    [finding] = out.findings
    assert finding.severity == "warning"
    assert (finding.line, finding.col) == (4, 1)
    assert "1 space" in finding.message
    assert "2 or 4 spaces" in (finding.hint or "")


def test_mixed_indents_in_one_list_are_reported() -> None:
    out = render("- top\n  - two spaces\n   - three spaces\n")
    [finding] = out.findings
    assert finding.line == 3
    assert "3 spaces" in finding.message
    # Nothing is lost: both items are still inside "top".
    assert depth_of(out.html, "two spaces") == depth_of(out.html, "three spaces") == 2


def test_an_indented_code_block_is_not_taken_for_a_list() -> None:
    out = render("Text.\n\n    - not a list\n")
    assert "<code>- not a list" in out.html
    assert "<ul" not in out.html


def test_a_paragraph_inside_a_list_item_stays_in_it() -> None:
    out = render("- first\n\n  More about the first.\n\n- second\n")
    assert depth_of(out.html, "More about the first.") == 1
    assert out.html.count("<ul>") == 1


def test_lines_keep_their_numbers_for_messages() -> None:
    out = render("Parents should:\n- read [here](x.md)\n")
    [finding] = [f for f in out.findings if "does not say where" in f.message]
    assert finding.line == 2
