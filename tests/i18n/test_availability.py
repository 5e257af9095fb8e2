"""A policy with no translation in a language is not published under that language's address:
the language's home page lists it as available in English, linking to the English page.
Built for real (no PDFs) from the pre-school's policies written for another generator, with
Polish and Arabic configured and only the fees policy translated into Polish."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from policypress.cli import cli
from policypress.engine.build import BuildOptions, PdfMode, generate
from policypress.engine.outputs import Outputs, Stage
from policypress.engine.registry import GENERATORS
from policypress.engine.site import open_site
from tests.conftest import REPO, build

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "elsewhere"
UNTRANSLATED = ["admissions-policy", "complaints-policy", "mobile-phones-policy"]
FEES_TITLE_PL = "Zasady dotyczące opłat"


def _set_languages(root: Path, codes: list[str]) -> None:
    toml = root / "policypress.toml"
    listed = ", ".join(f'"{code}"' for code in codes)
    text = toml.read_text(encoding="utf-8").replace("languages = []", f"languages = [{listed}]")
    toml.write_text(text, encoding="utf-8")


def little_acorns(root: Path) -> Path:
    """The fixture with pl and ar: the fees policy's title translated into Polish, the
    admissions catalog holding only a fuzzy entry, every other catalog empty, as `translations
    update` leaves them (so nothing is in Arabic)."""
    shutil.copytree(FIXTURE, root)
    fees = root / "content" / "fees-policy.md"
    fees.write_text(
        fees.read_text(encoding="utf-8")
        + "\nComplaints about fees follow the [complaints policy](complaints-policy.md).\n",
        encoding="utf-8",
    )
    _set_languages(root, ["pl", "ar"])
    for code in ("pl", "ar"):
        result = CliRunner().invoke(cli, ["translations", "init", "-C", str(root), code])
        assert result.exit_code == 0, result.output
        shutil.copy2(
            REPO / "translations" / code / "interface.po",
            root / "translations" / code / "interface.po",
        )
    po = polib.pofile(str(root / "translations" / "pl" / "fees-policy.po"), wrapwidth=0)
    for entry in po:
        if entry.msgid == "Fees Policy":
            entry.msgstr = FEES_TITLE_PL
    po.save()
    po = polib.pofile(str(root / "translations" / "pl" / "admissions-policy.po"), wrapwidth=0)
    entry = next(e for e in po if e.msgid == "Admissions Policy")
    entry.msgstr = "Zasady przyjęć"
    entry.flags.append("fuzzy")
    po.save()
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = little_acorns(tmp_path_factory.mktemp("availability") / "little-acorns")
    build(root, pdf_mode=PdfMode.NONE)
    return root


def _manifest(root: Path) -> list[dict[str, object]]:
    files: list[dict[str, object]] = json.loads(
        (root / "output" / "manifest.json").read_text(encoding="utf-8")
    )["files"]
    return files


def test_untranslated_policies_have_no_pages_or_files_in_that_language(built: Path) -> None:
    site = built / "output" / "site"
    assert (site / "pl" / "fees-policy" / "index.html").is_file()
    for slug in UNTRANSLATED:
        assert (site / slug / "index.html").is_file()
        assert not (site / "pl" / slug).exists()
    for slug in [*UNTRANSLATED, "fees-policy", "safeguarding-policy"]:
        assert not (site / "ar" / slug).exists()
    published = {(f["policy"], f["language"]) for f in _manifest(built) if f["policy"]}
    assert ("fees-policy", "pl") in published
    assert not [pair for pair in published if pair[1] == "ar"]
    assert not [pair for pair in published if pair[1] == "pl" and pair[0] != "fees-policy"]
    # The translated policy has its EPUB and braille in Polish.
    assert (site / "pl" / "fees-policy" / "fees-policy-pl.epub").is_file()


def test_the_language_home_lists_them_as_available_in_english(built: Path) -> None:
    home = (built / "output" / "site" / "pl" / "index.html").read_text(encoding="utf-8")
    listed, english_only = home.split('id="english-only"')
    assert f'href="fees-policy/">{FEES_TITLE_PL}</a>' in listed
    assert "complaints-policy" not in listed
    assert "Dostępne tylko po angielsku" in english_only
    for slug in [*UNTRANSLATED, "safeguarding-policy"]:
        assert re.search(
            rf'<a href="\.\./{slug}/" hreflang="en" lang="en" dir="ltr">[^<]+</a>', english_only
        )
    assert "fees-policy" not in english_only
    arabic = (built / "output" / "site" / "ar" / "index.html").read_text(encoding="utf-8")
    assert arabic.count('hreflang="en" lang="en" dir="ltr"') == 5


def test_links_and_switchers_lead_only_to_pages_that_exist(built: Path) -> None:
    site = built / "output" / "site"
    fees = (site / "pl" / "fees-policy" / "index.html").read_text(encoding="utf-8")
    # A link to an untranslated policy goes to its English page.
    assert 'href="../../complaints-policy/" hreflang="en">complaints policy</a>' in fees
    complaints = (site / "complaints-policy" / "index.html").read_text(encoding="utf-8")
    assert 'hreflang="pl"' not in complaints.split("</head>")[0]  # no alternate in Polish
    # Its language switcher offers the Polish site's home, where the policy is listed.
    assert re.search(r'<a href="\.\./pl/" lang="pl" dir="ltr" hreflang="pl">', complaints)
    english_fees = (site / "fees-policy" / "index.html").read_text(encoding="utf-8")
    assert re.search(
        r'<link rel="alternate" hreflang="pl" href="[^"]+/pl/fees-policy/">', english_fees
    )
    assert 'hreflang="ar" href' not in english_fees
    formats = (site / "pl" / "formats" / "index.html").read_text(encoding="utf-8")
    assert "pl/complaints-policy" not in formats and "complaints-policy/leaflet" not in formats
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for href in re.findall(r'href="(\.[^"#?]*/)"', html):
            assert (page.parent / href / "index.html").resolve().is_file(), (page, href)


def test_the_sitemap_has_no_alternates_for_them(built: Path) -> None:
    sitemap = (built / "output" / "site" / "sitemap.xml").read_text(encoding="utf-8")
    entries = re.findall(r"<url>.*?</url>", sitemap, re.S)
    complaints = next(e for e in entries if "/policies/complaints-policy/</loc>" in e)
    assert "xhtml:link" not in complaints
    fees = next(e for e in entries if "/policies/fees-policy/</loc>" in e)
    assert 'hreflang="pl"' in fees and 'hreflang="ar"' not in fees
    assert "/pl/complaints-policy/" not in sitemap


def test_check_and_status_say_which_policies_are_english_only(tmp_path: Path) -> None:
    root = little_acorns(tmp_path / "little-acorns")
    runner = CliRunner()
    result = runner.invoke(cli, ["check", "-C", str(root)])
    assert result.exit_code == 0, result.output
    for slug in UNTRANSLATED:
        assert f"of '{slug}' are not translated" not in result.output
    assert (
        "note: 4 policies are published in English only in Polish (pl): admissions-policy, "
        "complaints-policy, mobile-phones-policy, safeguarding-policy"
    ) in result.output
    assert "note: 5 policies are published in English only in Arabic (ar)" in result.output
    status = runner.invoke(cli, ["translations", "status", "-C", str(root)])
    assert status.exit_code == 0, status.output
    assert "Published in English only" in status.output
    assert re.search(
        r"pl\s+admissions-policy, complaints-policy, mobile-phones-policy", status.output
    )


def test_the_preview_lists_nothing_being_prepared_for_them(tmp_path: Path) -> None:
    root = little_acorns(tmp_path / "little-acorns")
    options = BuildOptions(root / "output", pdf_mode=PdfMode.PREVIOUS, cache_dir=root / ".c")
    site = open_site(root, options).with_views()
    files = [g for g in GENERATORS if g.stage == Stage.FILES]
    outputs = Outputs(site.cache, files)
    generate(site, outputs, files)
    pending = {(f.policy, f.lang, f.kind) for f in outputs.pending.values()}
    assert {("fees-policy", "pl", kind) for kind in ("pdf", "epub", "braille")} <= pending
    assert not [entry for entry in pending if entry[1] == "ar"]
    assert not [entry for entry in pending if entry[1] == "pl" and entry[0] != "fees-policy"]


def test_a_translated_leaflet_of_an_untranslated_policy_is_not_published(
    tmp_path: Path, project: Path
) -> None:
    _set_languages(project, ["pl"])
    leaflet = project / "content" / "leaflets" / "behaviour-policy.md"
    leaflet.parent.mkdir()
    leaflet.write_text("---\ntitle: Behaviour in brief\n---\n\nBe kind.\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["translations", "init", "-C", str(project), "pl"]).exit_code == 0
    po_path = project / "translations" / "pl" / "behaviour-policy.leaflet.po"
    po = polib.pofile(str(po_path), wrapwidth=0)
    next(e for e in po if e.msgid == "Be kind.").msgstr = "Bądź miły."
    po.save()
    result = runner.invoke(cli, ["check", "-C", str(project)])
    assert "warning: the leaflet of 'behaviour-policy' is translated into Polish (pl)" in (
        result.output
    )
    build(project, pdf_mode=PdfMode.NONE)
    assert not (project / "output" / "site" / "pl" / "behaviour-policy").exists()


def test_pdfs_are_made_only_in_the_languages_a_policy_is_published_in(project: Path) -> None:
    _set_languages(project, ["pl"])
    result = build(project, pdf_mode=PdfMode.ALL)
    pdfs = sorted(path for path, f in result.files.items() if f.kind == "pdf")
    assert len(pdfs) == 3
    assert all(not path.startswith("pl/") for path in pdfs)
