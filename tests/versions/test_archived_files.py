"""A released version keeps the pictures and files it linked to: its page, PDFs and EPUB show
them as they were approved after the current ones are replaced or deleted. A version archived
before releases kept them still builds, with today's files, and `check` says so."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from policypress.cli import cli
from policypress.lint import run_checks
from policypress.versions.archive import read_history
from tests.conftest import CONFIG, build, write

SLUG = "visits-policy"
RED, BLUE, GREEN, YELLOW = (200, 30, 30), (30, 30, 200), (30, 160, 30), (220, 200, 20)

POLICY = """\
---
title: Visits Policy
summary: How visitors are welcomed.
version: "{version}"
last_reviewed: 2026-01-10
next_review: 2027-01-10
owner: Headteacher
---

Visitors sign in at the office.

{picture}

Fill in [the visit form](forms/visit-form.docx) before a visit.
"""
PICTURE = "![The school hall](images/hall.png)"

LEAFLET = """\
---
title: Visits in short
---

![The front door](images/door.png)

Sign in at the office.
"""


def png(colour: tuple[int, int, int]) -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(data, format="PNG")
    return data.getvalue()


def release(root: Path, version: str, note: str) -> None:
    args = ["release", SLUG, "--version", version, "--note", note, "--root", str(root)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output


def write_policy(root: Path, version: str, picture: str = PICTURE) -> None:
    text = POLICY.format(version=version, picture=picture)
    (root / "content" / f"{SLUG}.md").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Version 1.0 released with a red hall and the first form; then the hall painted blue and
    the form changed, and version 1.1 released."""
    root = tmp_path_factory.mktemp("archived-files") / "school"
    write(root / "policypress.toml", CONFIG)
    write(root / "content" / "leaflets" / f"{SLUG}.md", LEAFLET)
    (root / "content" / "images").mkdir(parents=True)
    (root / "content" / "images" / "hall.png").write_bytes(png(RED))
    (root / "content" / "images" / "door.png").write_bytes(png(GREEN))
    write(root / "content" / "forms" / "visit-form.docx", "first form")
    write_policy(root, "1.0")
    release(root, "1.0", "First version.")
    (root / "content" / "images" / "hall.png").write_bytes(png(BLUE))
    write(root / "content" / "forms" / "visit-form.docx", "second form, longer")
    write_policy(root, "1.0")
    release(root, "1.1", "The hall is blue.")
    return root


@pytest.fixture
def project(released: Path, tmp_path: Path) -> Path:
    root = tmp_path / "school"
    shutil.copytree(released, root, ignore=shutil.ignore_patterns(".cache"))
    return root


def delete_the_picture(root: Path) -> None:
    """The office deletes the hall picture and releases 1.2 without it."""
    (root / "content" / "images" / "hall.png").unlink()
    write_policy(root, "1.1", picture="")
    release(root, "1.2", "No picture of the hall.")


def page_image(site: Path, page: str, alt: str) -> bytes:
    """The bytes of the picture a built page shows under ``alt``."""
    html = (site / page).read_text(encoding="utf-8")
    src = re.search(rf'<img[^>]*alt="{alt}"[^>]*>', html)
    assert src is not None, html
    found = re.search(r'src="([^"]+)"', src.group(0))
    assert found is not None
    return (site / Path(page).parent / found.group(1)).resolve().read_bytes()


def pdf_colours(pdf: Path) -> list[tuple[int, int, int]]:
    """The colour of each picture embedded in the PDF (top left pixel), in the file's order."""
    import pikepdf

    colours = []
    with pikepdf.open(pdf) as document:
        for item in document.objects:
            if isinstance(item, pikepdf.Stream) and item.get("/Subtype") == "/Image":
                pixel = pikepdf.PdfImage(item).as_pil_image().convert("RGB").getpixel((0, 0))
                assert isinstance(pixel, tuple)
                colours.append((pixel[0], pixel[1], pixel[2]))
    return colours


def test_release_keeps_the_pictures_and_files_with_their_record(released: Path) -> None:
    first, second = read_history(released, SLUG)
    folder = released / "archive" / SLUG / "1.0"
    assert first.record.files == ("forms/visit-form.docx", "images/door.png", "images/hall.png")
    assert (folder / "images" / "hall.png").read_bytes() == png(RED)
    assert (folder / "images" / "door.png").read_bytes() == png(GREEN)
    assert (folder / "forms" / "visit-form.docx").read_text(encoding="utf-8") == "first form"
    assert (second.folder / "images" / "hall.png").read_bytes() == png(BLUE)
    assert 'files = ["forms/visit-form.docx", "images/door.png", "images/hall.png"]' in (
        folder / "release.toml"
    ).read_text(encoding="utf-8")


def test_an_old_page_shows_its_own_pictures_after_they_are_replaced_and_deleted(
    project: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out"
    build(project, output, pdf_mode="none")
    site = output / "site"
    old_page = f"{SLUG}/v1.0/index.html"
    assert page_image(site, old_page, "The school hall") == png(RED)
    assert page_image(site, f"{SLUG}/index.html", "The school hall") == png(BLUE)
    assert page_image(site, f"{SLUG}/v1.0/leaflet/index.html", "The front door") == png(GREEN)
    # The form as it was, in the version's folder, linked from its page.
    old_html = (site / old_page).read_text(encoding="utf-8")
    assert 'href="files/visit-form.docx"' in old_html
    assert (site / SLUG / "v1.0" / "files" / "visit-form.docx").read_text() == "first form"
    assert (site / SLUG / "files" / "visit-form.docx").read_text() == "second form, longer"

    delete_the_picture(project)
    build(project, output, pdf_mode="none")
    assert page_image(site, old_page, "The school hall") == png(RED)
    assert page_image(site, f"{SLUG}/v1.1/index.html", "The school hall") == png(BLUE)
    assert "The school hall" not in (site / SLUG / "index.html").read_text(encoding="utf-8")
    assert not (site / "media" / "images" / "hall.png").exists()
    with zipfile.ZipFile(site / SLUG / "v1.0" / f"{SLUG}-v1.0-en.epub") as book:
        assert book.read("EPUB/media/images/hall.png") == png(RED)


@pytest.mark.slow
def test_an_old_pdf_embeds_its_own_picture(project: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    build(project, output)
    site = output / "site"
    assert pdf_colours(site / SLUG / "v1.0" / f"{SLUG}-v1.0-en.pdf") == [RED]
    assert pdf_colours(site / SLUG / f"{SLUG}-en.pdf") == [BLUE]
    leaflet = pdf_colours(site / SLUG / "v1.0" / f"{SLUG}-v1.0-en-leaflet.pdf")
    assert GREEN in leaflet

    # A picture replaced under the same name: the current PDFs are rendered again (their HTML
    # names the picture by its path only); the old version's, from the cache, keep theirs.
    (project / "content" / "images" / "hall.png").write_bytes(png(YELLOW))
    repainted = build(project, output)
    assert repainted.rendered == 3, repainted.rendered  # the current policy's 3 variants
    assert pdf_colours(site / SLUG / f"{SLUG}-en-large-print.pdf") == [YELLOW]
    assert pdf_colours(site / SLUG / "v1.0" / f"{SLUG}-v1.0-en-large-print.pdf") == [RED]

    delete_the_picture(project)
    again = build(project, output)
    assert pdf_colours(site / SLUG / "v1.0" / f"{SLUG}-v1.0-en.pdf") == [RED]
    assert pdf_colours(site / SLUG / "v1.1" / f"{SLUG}-v1.1-en.pdf") == [BLUE]
    assert pdf_colours(site / SLUG / f"{SLUG}-en.pdf") == []
    # 1.0 is unchanged, so its PDFs come from the cache.
    assert again.rendered == 8, again.rendered  # 1.1 and 1.2: 3 variants and the leaflet


def test_a_version_archived_before_files_were_kept_uses_the_current_ones(
    project: Path, tmp_path: Path
) -> None:
    folder = project / "archive" / SLUG / "1.0"
    record = folder / "release.toml"
    record.write_text(
        "".join(
            line
            for line in record.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith("files =")
        ),
        encoding="utf-8",
    )
    shutil.rmtree(folder / "images")
    shutil.rmtree(folder / "forms")
    output = tmp_path / "out"
    build(project, output, pdf_mode="none")
    assert page_image(output / "site", f"{SLUG}/v1.0/index.html", "The school hall") == png(BLUE)
    notes = [f for f in run_checks(project) if "archived before releases kept" in f.message]
    assert [(f.severity, f.path) for f in notes] == [("note", record)]
    assert "content/images/hall.png" in notes[0].message
    assert (
        'files = ["forms/visit-form.docx", "images/door.png", "images/hall.png"]' in notes[0].hint
    )


def test_a_kept_file_gone_from_the_archive_is_an_error(project: Path, tmp_path: Path) -> None:
    (project / "archive" / SLUG / "1.0" / "images" / "hall.png").unlink()
    result = CliRunner().invoke(cli, ["check", "-C", str(project)])
    assert result.exit_code == 1
    assert (
        f"archive/{SLUG}/1.0/images/hall.png: version 1.0 kept images/hall.png when it "
        "was released, but the file is no longer in its archive folder"
    ) in result.output
    assert "Put the file back from a backup" in result.output
    output = tmp_path / "out"
    built = CliRunner().invoke(cli, ["build", "--no-pdf", "-C", str(project), "-o", str(output)])
    assert built.exit_code == 1
    assert "no longer in its archive folder" in built.output
    assert "Traceback" not in built.output
