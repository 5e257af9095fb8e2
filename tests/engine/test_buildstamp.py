"""The whole-build stamp: a build with nothing changed does nothing and leaves the output as it
was; a change to any input, option, the date, the package or the output makes the next build
work again, and its output is right."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from policypress.engine import build as engine_build
from policypress.engine import buildstamp
from policypress.engine.options import BuildOptions
from policypress.errors import PolicyError
from policypress.layout import DEFAULT_TEMPLATES
from tests.conftest import build, copy_repo_project

SITE = Path("output") / "site"
POLICY = SITE / "social-media-policy" / "index.html"
POLISH = SITE / "pl" / "social-media-policy" / "index.html"


@pytest.fixture
def school(tmp_path: Path) -> Path:
    """A copy of the shipped project: policy, leaflet, Polish translation, an archived
    version's record, and a home page template of the school's own (as yet the default's)."""
    root = copy_repo_project(tmp_path / "school", archive=True)
    shutil.copy2(DEFAULT_TEMPLATES / "home.html", root / "templates" / "home.html")
    return root


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The projects each build read (a build the stamp spares reads none)."""
    calls: list[Path] = []
    real = engine_build.open_site

    def counting(root: Path, options: BuildOptions, *args: object) -> engine_build.Site:
        calls.append(root)
        return real(root, options, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(engine_build, "open_site", counting)
    return calls


def web(root: Path, **options: object) -> engine_build.BuildResult:
    """A build without PDFs, in English and Polish (enough languages to test, quick)."""
    options.setdefault("languages", ("pl",))
    return build(root, pdf_mode="none", **options)


def snapshot(output: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in ``output``: its bytes and its time."""
    return {
        path.relative_to(output).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(output.rglob("*"))
        if path.is_file()
    }


def replace_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_build_with_nothing_changed_does_nothing_and_leaves_output_as_it_was(
    school: Path, opened: list[Path]
) -> None:
    first = web(school)
    before = snapshot(school / "output")
    again = web(school)
    assert len(opened) == 1  # the second build read nothing
    assert snapshot(school / "output") == before
    assert (again.changed, again.rendered) == (False, 0)
    assert again.files == first.files
    assert again.warnings == first.warnings  # the CLI prints them again


# Each edit: what to change, and what the rebuilt output then says.
EDITS: dict[str, tuple[Callable[[Path], None], Path, str]] = {
    "a policy's text": (
        lambda root: replace_text(
            root / "content" / "social-media-policy.md", "## Aims", "## Our aims"
        ),
        POLICY,
        ">Our aims</h2>",
    ),
    "a template of the school's own": (
        lambda root: replace_text(
            root / "templates" / "home.html",
            "{% block main %}",
            "{% block main %}<p>Our own home page</p>",
        ),
        SITE / "index.html",
        "<p>Our own home page</p>",
    ),
    "a translation": (
        lambda root: replace_text(
            root / "translations" / "pl" / "social-media-policy.po",
            'msgstr "Cele"',
            'msgstr "Nasze cele"',
        ),
        POLISH,
        ">Nasze cele</h2>",
    ),
    "the settings": (
        lambda root: replace_text(
            root / "policypress.toml",
            'name = "Kettleshulme St James CE (VA) Primary School"',
            'name = "Kettleshulme St James Church School"',
        ),
        SITE / "index.html",
        "Kettleshulme St James Church School",
    ),
    "an archived version's record": (
        lambda root: replace_text(
            root / "archive" / "social-media-policy" / "1.0" / "release.toml",
            "First version published on the school website.",
            "The first version on the website.",
        ),
        POLICY,
        "The first version on the website.",
    ),
}


# make test-fast tries two kinds of input; make test tries them all.
FAST_EDITS = ("a policy's text", "a translation")


@pytest.mark.parametrize(
    "edit",
    [pytest.param(e, marks=() if e in FAST_EDITS else pytest.mark.slow) for e in EDITS],
    ids=list(EDITS),
)
def test_an_edited_input_is_built_again(school: Path, opened: list[Path], edit: str) -> None:
    change, page, expected = EDITS[edit]
    web(school)
    assert expected not in (school / page).read_text(encoding="utf-8")
    change(school)
    web(school)
    assert len(opened) == 2
    assert expected in (school / page).read_text(encoding="utf-8")
    web(school)
    assert len(opened) == 2  # and then it is up to date again


def test_an_edit_that_keeps_the_size_and_time_is_still_seen(
    school: Path, opened: list[Path]
) -> None:
    web(school)
    policy = school / "content" / "social-media-policy.md"
    info = policy.stat()
    replace_text(policy, "## Aims", "## AIMS")  # same size
    os.utime(policy, ns=(info.st_atime_ns, info.st_mtime_ns))  # and the old time put back
    web(school)
    assert len(opened) == 2
    assert ">AIMS</h2>" in (school / POLICY).read_text(encoding="utf-8")


def test_a_deleted_output_file_is_made_again(school: Path, opened: list[Path]) -> None:
    web(school)
    before = snapshot(school / "output")
    (school / POLISH).unlink()
    web(school)
    assert len(opened) == 2
    assert {name: data for name, (data, _) in snapshot(school / "output").items()} == {
        name: data for name, (data, _) in before.items()
    }


def test_an_output_file_edited_in_place_is_put_right(school: Path, opened: list[Path]) -> None:
    web(school)
    page = school / POLICY
    good = page.read_bytes()
    info = page.stat()
    page.write_bytes(good.replace(b"Social Media Policy", b"Social Media Polic!"))  # same size
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))
    web(school)
    assert len(opened) == 2
    assert page.read_bytes() == good


@pytest.mark.parametrize(
    "options",
    [
        {"languages": ("pl", "ur")},
        pytest.param({"jobs": 1}, marks=pytest.mark.slow),  # make test-fast tries two
        pytest.param({"large_print_size": 20.0}, marks=pytest.mark.slow),
        {"output": Path("elsewhere")},
    ],
    ids=["--lang", "-j", "--large-print-size", "-o"],
)
def test_different_options_build_again(
    school: Path, opened: list[Path], options: dict[str, object]
) -> None:
    web(school)
    if "output" in options:
        options["output"] = school / "elsewhere"
    result = web(school, **options)
    assert len(opened) == 2
    if "languages" in options:
        assert (school / SITE / "ur" / "social-media-policy" / "index.html").is_file()
    if "output" in options:
        assert result.changed
        assert (school / "elsewhere" / "site" / "index.html").is_file()


def test_strict_is_an_option_too(school: Path) -> None:
    web(school)  # the shipped settings still hold placeholders: warnings
    with pytest.raises(PolicyError, match="--strict"):
        web(school, strict=True)


def test_another_day_builds_again(
    school: Path, opened: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLICYPRESS_TODAY", "2026-11-26")
    web(school)
    web(school)
    assert len(opened) == 1
    monkeypatch.setenv("POLICYPRESS_TODAY", "2026-11-27")
    web(school)
    assert len(opened) == 2


def test_midnight_builds_again(
    school: Path, opened: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    web(school)
    web(school)
    assert len(opened) == 1

    tomorrow = dt.date.today() + dt.timedelta(days=1)
    monkeypatch.setattr(buildstamp, "today", lambda: tomorrow)
    web(school)
    assert len(opened) == 2


def test_a_change_to_policypress_itself_builds_again(
    school: Path, opened: list[Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    package = tmp_path / "package"
    shutil.copytree(buildstamp.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(buildstamp, "PACKAGE", package)
    web(school)
    web(school)
    assert len(opened) == 1
    (package / "render" / "html.py").write_text("# upgraded\n", encoding="utf-8")
    web(school)
    assert len(opened) == 2


def stamp_of(school: Path) -> Path:
    """Where the stamp of ``web(school)``'s output is kept."""
    return buildstamp.stamp_path(
        BuildOptions(output=school / "output", cache_dir=school / ".cache"), school
    )


def test_a_failed_build_leaves_no_stamp(school: Path, opened: list[Path]) -> None:
    web(school)
    stamp = stamp_of(school)
    assert stamp.is_file()
    (school / "content" / "bad.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    with pytest.raises(PolicyError):
        web(school)
    assert not stamp.exists()
    (school / "content" / "bad.md").unlink()
    web(school)
    assert len(opened) == 3


def test_a_damaged_stamp_means_a_real_build(school: Path, opened: list[Path]) -> None:
    web(school)
    stamp = stamp_of(school)
    stamp.write_text("{not json", encoding="utf-8")
    web(school)
    assert len(opened) == 2
    web(school)
    assert len(opened) == 2


def test_the_previews_builds_never_take_the_shortcut(school: Path, opened: list[Path]) -> None:
    build(school, pdf_mode="previous", languages=("pl",))
    build(school, pdf_mode="previous", languages=("pl",))
    build(school, pdf_mode="cached", languages=("pl",))
    assert len(opened) == 3


def test_a_file_too_recent_to_judge_by_its_times_is_judged_by_its_bytes(
    school: Path, opened: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(buildstamp, "FINE_WINDOW_NS", 3600 * 10**9)  # every file is recent
    web(school)
    stamp = stamp_of(school)
    record = json.loads(stamp.read_text(encoding="utf-8"))
    policy = str((school / "content" / "social-media-policy.md").resolve())
    assert policy in record["inputs"]["recent"]
    web(school)
    assert len(opened) == 1  # the bytes are as they were
    # The same size and times, other bytes (as a second save within one tick of the clock).
    record["inputs"]["recent"][policy] = "0" * 64
    stamp.write_text(json.dumps(record), encoding="utf-8")
    web(school)
    assert len(opened) == 2
