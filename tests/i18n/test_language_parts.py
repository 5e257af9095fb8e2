"""Language of parts: [words]{lang=en} in Markdown, translations and interface strings, and the
check that finds English (or Arabic-script) words a translator has not marked."""

from __future__ import annotations

import textwrap
from pathlib import Path

from policypress.checks import unmarked_language_parts
from policypress.content.lang_spans import catalog_html, plain
from policypress.content.rendering import render_markdown
from policypress.i18n.catalog import Catalog
from policypress.lint import run_checks
from tests.conftest import REPO, copy_repo_project


def test_a_marked_run_becomes_a_span_with_its_language_and_direction() -> None:
    html = render_markdown("The [Chair of Governors]{lang=en} and [مدرسة]{lang=ar} agree.").html
    assert '<span dir="ltr" lang="en">Chair of Governors</span>' in html
    assert '<span dir="rtl" lang="ar">مدرسة</span>' in html


def test_emphasis_and_links_still_work_inside_a_span_and_brackets_stay_brackets() -> None:
    html = render_markdown(
        "See [the **Code** of [Conduct](https://example.org/c)]{lang=en}, [not a span] here."
    ).html
    assert (
        '<span dir="ltr" lang="en">the <strong>Code</strong> of '
        '<a href="https://example.org/c">Conduct</a></span>'
    ) in html
    assert "[not a span] here." in html


def test_a_translation_may_mark_english_words() -> None:
    catalog = Catalog(path=Path("ar.po"), lang="ar")
    catalog.entries[("intro", "The Governing Body decides.")] = (
        "يقرر مجلس الأمناء ([Governing Body]{lang=en})."
    )
    html = render_markdown("The Governing Body decides.", translator=catalog).html
    assert '(<span dir="ltr" lang="en">Governing Body</span>)' in html


def test_interface_strings_stay_text_with_only_the_language_mark_as_markup() -> None:
    html = catalog_html('<b>x</b> & "q" [qualified]{lang=en} [y]{lang=en" onclick="z}')
    assert html == (
        "&lt;b&gt;x&lt;/b&gt; &amp; &#34;q&#34; <span lang='en' dir='ltr'>qualified</span> "
        "[y]{lang=en&#34; onclick=&#34;z}"
    )
    assert plain("اہل ([qualified]{lang=en}) مترجم") == "اہل (qualified) مترجم"


def po_file(path: Path, msgstr: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        textwrap.dedent(
            f"""\
            msgid ""
            msgstr ""
            "Content-Type: text/plain; charset=UTF-8\\n"

            msgctxt "intro"
            msgid "The Chair of Governors and the PDF at %(url)s."
            msgstr "{msgstr}"
            """
        ),
        encoding="utf-8",
    )
    return path


def test_check_warns_on_unmarked_english_in_arabic_with_the_entrys_line(tmp_path: Path) -> None:
    path = po_file(tmp_path / "ar" / "x.po", "رئيس Chair of Governors وملف PDF في %(url)s.")
    [finding] = unmarked_language_parts({"ar": [path]})
    assert finding.severity == "warning"
    assert (finding.path, finding.line) == (path, 5)
    assert "'Chair of Governors'" in finding.message
    assert "[Chair of Governors]{lang=en}" in (finding.hint or "")


def test_marked_words_capitals_placeholders_and_addresses_pass(tmp_path: Path) -> None:
    path = po_file(
        tmp_path / "ur" / "x.po",
        "[Chair of Governors]{lang=en} اور PDF، %(url)s اور https://example.org/page",
    )
    assert unmarked_language_parts({"ur": [path]}) == []


def test_check_warns_on_arabic_script_in_a_latin_translation(tmp_path: Path) -> None:
    path = po_file(tmp_path / "pl" / "x.po", "Przewodniczący rady (رئيس المجلس) i PDF.")
    [finding] = unmarked_language_parts({"pl": [path]})
    assert "'رئيس المجلس'" in finding.message
    assert "{lang=ar}" in (finding.hint or "")


def test_the_shipped_translations_mark_every_run() -> None:
    catalogs = {
        code: sorted((REPO / "translations" / code).glob("*.po")) for code in ("pl", "ar", "ur")
    }
    assert unmarked_language_parts(catalogs) == []


def test_policypress_check_reports_an_unmarked_run(tmp_path: Path) -> None:
    root = copy_repo_project(tmp_path / "school")
    po = root / "translations" / "ar" / "social-media-policy.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace(
            "[Chair of Governors]{lang=en}", "Chair of Governors"
        ),
        encoding="utf-8",
    )
    found = [f for f in run_checks(root) if "not marked with their language" in f.message]
    assert len(found) == 1
    assert found[0].path is not None and found[0].path.name == "social-media-policy.po"
    assert found[0].line is not None
    lines = po.read_text(encoding="utf-8").split("\n")
    assert "Chair of Governors" in "\n".join(lines[found[0].line - 1 : found[0].line + 3])
