"""The shared Markdown extensions, input by input."""

from __future__ import annotations

import textwrap
from pathlib import Path

from policypress.content.rendering import render_markdown
from policypress.i18n.catalog import Catalog


def render(source: str, **kwargs: object):  # type: ignore[no-untyped-def]
    return render_markdown(textwrap.dedent(source), path=Path("p.md"), **kwargs)  # type: ignore[arg-type]


def test_lettered_items_become_a_lower_alpha_list_with_nested_bullets() -> None:
    out = render(
        """\
        a. first group:
            - one
            - two
        b. second group
        """
    )
    assert '<ol type="a">' in out.html
    assert "<li>first group:<ul>" in out.html
    assert out.html.count("<li>") == 4


def test_headings_get_stable_ids_from_their_english_text() -> None:
    out = render("## Parent/Carer’s Responsibility\n\n## Aims\n\n## Aims\n")
    assert [h.id for h in out.headings] == ["parent-carers-responsibility", "aims", "aims-2"]


def test_body_h1_is_demoted_so_the_page_keeps_one_h1() -> None:
    out = render("# Part one\n\n## Detail\n")
    assert [h.level for h in out.headings] == [2, 3]


def test_blocks_carry_their_source_line_and_section() -> None:
    out = render("Intro.\n\n## Aims\n\n- first\n- second\n")
    assert [(b.context, b.msgid, b.line) for b in out.blocks] == [
        ("intro", "Intro.", 1),
        ("aims", "Aims", 3),
        ("aims", "first", 5),
        ("aims", "second", 6),
    ]


def test_missing_translation_is_shown_in_english_and_marked() -> None:
    catalog = Catalog(path=Path("pl.po"), lang="pl", entries={("aims", "Aims"): "Cele"})
    out = render("## Aims\n\nUntranslated paragraph.\n", translator=catalog)
    assert '<h2 id="aims">Cele</h2>' in out.html
    assert '<p class="fallback" dir="ltr" lang="en">Untranslated paragraph.</p>' in out.html
    assert out.fallback_blocks == 1


def test_translation_keeps_inline_markup() -> None:
    catalog = Catalog(
        path=Path("pl.po"),
        lang="pl",
        entries={("intro", "Ask the **Headteacher**."): "Zapytaj **dyrektora**."},
    )
    out = render("Ask the **Headteacher**.\n", translator=catalog)
    assert "<strong>dyrektora</strong>" in out.html


def test_image_without_alt_text_is_an_error_with_its_line(tmp_path: Path) -> None:
    out = render("Text.\n\n![](hall.jpg)\n")
    errors = [f for f in out.findings if f.severity == "error"]
    assert errors and "no alt text" in errors[0].message
    assert errors[0].line == 3


def test_explicit_empty_alt_marks_a_decorative_image() -> None:
    out = render('![""](border.png)\n')
    assert 'alt=""' in out.html
    assert not [f for f in out.findings if "alt" in f.message]


def test_vague_link_text_is_a_warning() -> None:
    out = render("For more, [click here](https://example.com/).\n")
    assert any("does not say where" in f.message for f in out.findings)


def test_javascript_links_are_removed_and_reported() -> None:
    out = render("[Report](javascript:alert(1))\n")
    assert "javascript:" not in out.html
    assert any("unsafe address" in f.message for f in out.findings)


def test_raw_html_is_cleaned_with_what_went_reported() -> None:
    out = render('<div onclick="steal()">Hi<script>alert(1)</script></div>\n')
    assert "<script" not in out.html and "onclick" not in out.html
    assert any("removed unsafe HTML" in f.message for f in out.findings)


def test_tables_get_header_scope_and_a_focusable_scroll_region() -> None:
    out = render("| Name | Role |\n|---|---|\n| Ann | Head |\n")
    assert '<th scope="col">Name</th>' in out.html
    assert 'class="table-wrap" role="region" tabindex="0"' in out.html


def test_footnotes_become_a_titled_section() -> None:
    out = render("Claim.[^1]\n\n[^1]: The source.\n")
    assert '<section aria-labelledby="notes" class="footnotes">' in out.html
    assert '<h2 id="notes">Notes</h2>' in out.html


def test_links_to_other_policies_are_resolved_and_recorded() -> None:
    out = render(
        "See [the other policy](other.md#aims).\n", resolve_policy=lambda s: (f"../{s}/", None)
    )
    assert 'href="../other/#aims"' in out.html
    assert out.links[0].target == "other" and out.links[0].anchor == "aims"


def test_school_details_are_filled_in() -> None:
    out = render(
        "Call {phone} or see {policy_url}\n",
        variables={"phone": "01234", "policy_url": "https://x.test/p/"},
    )
    assert "Call 01234" in out.html
    assert 'href="https://x.test/p/"' in out.html


def test_web_and_email_addresses_read_left_to_right_in_any_text() -> None:
    out = render(
        "See <https://example.org/policies/a-b/> or write to <office@example.org>, or read "
        "[the policy](https://example.org/p/).\n"
    )
    assert '<a dir="ltr" href="https://example.org/policies/a-b/">' in out.html
    assert out.html.count('dir="ltr"') == 2  # the addresses, not the words "the policy"
