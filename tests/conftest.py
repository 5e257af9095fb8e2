"""Shared fixtures: small projects on disk, and the shipped project built once per session."""

from __future__ import annotations

import re
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from policypress.engine.build import BuildOptions, BuildResult, PdfMode, build_site

REPO = Path(__file__).resolve().parent.parent
# The policy text exactly as the school gave it (a copy of the seed), for word-for-word checks.
SEED = Path(__file__).resolve().parent / "fixtures" / "social-media-policy.txt"

CONFIG = """\
[school]
name = "St Test's Primary School"
short_name = "St Test's"
address = "1 School Lane, Testville, TE1 1ST"
phone = "01234 567890"
email = "office@sttests.sch.uk"

[site]
base_url = "https://sttests.sch.uk/policies/"
complaints_policy_url = "https://sttests.sch.uk/policies/complaints/"
accessibility_contact = "office@sttests.sch.uk"
languages = []
"""


AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def figure(record_property: Any) -> Any:
    """Records a judge's figure (a measure that is reported, not only asserted); every figure is
    printed at the end of the run, also from pytest-xdist's workers, which print nothing."""

    def record(text: str) -> None:
        record_property("figure", text)

    return record


def pytest_terminal_summary(terminalreporter: Any) -> None:
    lines = sorted(
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for name, value in getattr(report, "user_properties", ())
        if name == "figure"
    )
    if lines:
        terminalreporter.section("figures")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A one-policy project of our own, English only."""
    root = tmp_path / "school"
    write(root / "policypress.toml", CONFIG)
    write(
        root / "content" / "behaviour-policy.md",
        """\
        ---
        title: Behaviour Policy
        summary: How we help children behave well.
        version: "2"
        last_reviewed: 2026-01-10
        next_review: 2027-01-10
        owner: Headteacher
        ---

        We expect everyone to be kind.

        ## Rewards

        - House points
        - Certificates
        """,
    )
    return root


def build(root: Path, output: Path | None = None, **options: object) -> BuildResult:
    options.setdefault("cache_dir", root / ".cache")
    return build_site(root, BuildOptions(output=output or root / "output", **options))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own project, built completely (every language and format)."""
    work = tmp_path_factory.mktemp("shipped")
    output = work / "output"
    build_site(REPO, BuildOptions(output=output, cache_dir=work / "cache"))
    return output


@pytest.fixture(scope="session")
def shipped_web(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own project built without PDFs (pages, EPUBs, braille): for the tests
    that read no PDF, so that `make test-fast` renders none."""
    work = tmp_path_factory.mktemp("shipped-web")
    output = work / "output"
    build_site(REPO, BuildOptions(output=output, pdf_mode=PdfMode.NONE, cache_dir=work / "cache"))
    return output


def seed_sentences() -> list[str]:
    """Every sentence of the seed text, as a reader would find it (list markers dropped)."""
    sentences = []
    for raw in SEED.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"^\s*(·|[a-e]\.)\s+", "", raw).strip()
        line = " ".join(line.split())
        if not line:
            continue
        for part in re.split(r"(?<=[.;:!?])\s+(?=[A-Z‘“(])", line):
            if part.strip():
                sentences.append(part.strip())
    return sentences


def normalise(text: str) -> str:
    return " ".join(text.split())


def copy_repo_project(dest: Path, *, archive: bool = False) -> Path:
    """A private copy of the shipped project, for tests that edit it (with ``archive``, also its
    templates folder and released versions)."""
    names = ("content", "translations", "policypress.toml")
    for name in names + (("templates", "archive") if archive else ()):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy2(source, dest / name)
    return dest


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Let go of WeasyPrint's font configurations while its C bindings are still loaded: freed
    at interpreter exit (as in pytest-xdist's workers) they print a TypeError traceback."""
    import gc

    from policypress.engine import pdf_worker

    pdf_worker._state.clear()
    gc.collect()
