"""policypress as a school installs it: a wheel built with ``python -m build``, installed in a new
virtual environment in a temporary folder outside the repository, runs ``new``, ``check``,
``build``, ``serve`` and ``translations`` with nothing read from the repository."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import threading
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

# What a release is built from; everything else in the repository must not matter.
SOURCES = ("pyproject.toml", "README.md", "policypress")


@dataclass
class Installed:
    bin: Path
    work: Path
    env: dict[str, str]

    def run(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            cwd=cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )


def _copy_sources(dest: Path) -> None:
    for name in SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / name)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the sources (so the build writes nothing in the repo)."""
    work = tmp_path_factory.mktemp("wheel")
    (work / "src").mkdir()
    _copy_sources(work / "src")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(work / "dist"), "."],
        cwd=work / "src",
        check=True,
        capture_output=True,
        timeout=600,
    )
    (found,) = (work / "dist").glob("policypress-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Installed:
    """A new venv holding the wheel. Its dependencies come from this test run's environment (a
    path file pointing at its site-packages, so nothing is downloaded), but not policypress: the
    editable install's own path files there are not read, and the wheel is installed in the new
    venv's site-packages, which come first."""
    work = tmp_path_factory.mktemp("installed")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(purelib) / "test-environment.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        timeout=300,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PYTHONUNBUFFERED"] = "1"
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return Installed(venv / "bin", work, env)


@pytest.fixture(scope="module")
def school(installed: Installed) -> Path:
    """``policypress new school && cd school && policypress check && policypress build``."""
    made = installed.run("policypress", "new", "school", cwd=installed.work)
    assert made.returncode == 0, made.stderr
    root = installed.work / "school"
    checked = installed.run("policypress", "check", cwd=root)
    assert checked.returncode == 0, checked.stderr
    assert "0 error(s)" in checked.stdout
    built = installed.run("policypress", "build", cwd=root)
    assert built.returncode == 0, built.stderr
    return root


def test_the_wheel_holds_the_templates_fonts_licences_and_starter(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (
        "policypress/templates/policy.html",
        "policypress/templates/assets/site.css",
        "policypress/templates/assets/fonts/webfonts.json",
        "policypress/templates/assets/fonts/atkinson-hyperlegible-next/OFL.txt",
        "policypress/starter/policypress.toml",
        "policypress/starter/gitignore",
        "policypress/starter/content/mobile-phone-policy.md",
    ):
        assert name in names, name
    assert not [name for name in names if name.startswith(("tests/", "content/", "bench/"))]


def test_the_installed_package_is_the_wheel_not_the_repository(installed: Installed) -> None:
    found = subprocess.run(
        [str(installed.bin / "python"), "-c", "import policypress; print(policypress.__file__)"],
        cwd=installed.work,
        env=installed.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(found).is_relative_to(installed.work / "venv")


def test_new_check_and_build_make_the_site_pdfs_and_manifest(school: Path) -> None:
    site = school / "output" / "site"
    assert (site / "index.html").is_file()
    assert "Mobile Phone Policy" in (site / "mobile-phone-policy" / "index.html").read_text("utf-8")
    pdfs = sorted(site.rglob("*.pdf"))
    assert len(pdfs) >= 4  # standard, large print, dyslexia-friendly and the leaflet
    assert all(pdf.read_bytes().startswith(b"%PDF-") for pdf in pdfs)
    manifest = json.loads((school / "output" / "manifest.json").read_text(encoding="utf-8"))
    listed = json.dumps(manifest)
    for pdf in pdfs:
        assert pdf.name in listed
    # The web fonts and stylesheet came from the installed package's templates.
    assert list((site / "assets").glob("site.*.css"))
    assert list(site.rglob("*.woff2"))


def test_translations_run_on_the_new_project(installed: Installed, school: Path) -> None:
    extracted = installed.run("policypress", "translations", "extract", cwd=school)
    assert extracted.returncode == 0, extracted.stderr
    assert (school / "translations" / "mobile-phone-policy.pot").is_file()
    interface = (school / "translations").glob("*.pot")
    assert any("Skip to" in path.read_text("utf-8") for path in interface)  # template strings
    started = installed.run("policypress", "translations", "init", "pl", cwd=school)
    assert started.returncode == 0, started.stderr
    updated = installed.run("policypress", "translations", "update", cwd=school)
    assert updated.returncode == 0, updated.stderr
    status = installed.run("policypress", "translations", "status", cwd=school)
    assert status.returncode == 0, status.stderr
    assert "pl" in status.stdout


def _lines(stream: object) -> Iterator[str]:
    yield from iter(stream.readline, "")  # type: ignore[attr-defined]


def test_serve_answers_over_http_and_stops(installed: Installed, school: Path) -> None:
    server = subprocess.Popen(
        [str(installed.bin / "policypress"), "serve", "--port", "0"],
        cwd=school,
        env=installed.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(x) for x in _lines(server.stdout)])
    reader.start()
    try:
        address = None
        deadline = time.monotonic() + 120
        seen = []
        while address is None and time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                assert server.poll() is None, "serve ended early:\n" + "".join(seen)
                continue
            seen.append(line)
            match = re.search(r"Previewing at (http://\S+)", line)
            address = match.group(1) if match else None
        assert address, "serve printed no address:\n" + "".join(seen)
        with urllib.request.urlopen(address + "mobile-phone-policy/", timeout=30) as response:
            assert response.status == 200
            assert "Mobile Phone Policy" in response.read().decode("utf-8")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        reader.join(timeout=10)
        assert server.stdout is not None
        server.stdout.close()
    assert server.returncode in (0, 130, -signal.SIGINT)
