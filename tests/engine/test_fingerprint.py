"""Cache keys hold a fingerprint of the whole package: editing any module, even one no list
names, makes the next build render afresh instead of serving what the old code made."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policypress.engine.fingerprint import PACKAGE, folder_digest


def test_the_digest_changes_with_any_file_and_ignores_compiled_bytecode(tmp_path: Path) -> None:
    package = tmp_path / "package"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    first = folder_digest(package)
    cache = package / "i18n" / "__pycache__"
    cache.mkdir()
    (cache / "languages.cpython-311.pyc").write_bytes(b"compiled")
    assert folder_digest(package) == first
    languages = package / "i18n" / "languages.py"
    languages.write_text(languages.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert folder_digest(package) != first


def build(root: Path, packages: Path) -> tuple[int, int, set[str]]:
    """Build ``root`` in a new process running the package copy under ``packages``: the PDFs
    rendered and reused, and the cache keys afterwards. With --debug, a build with nothing
    changed still does its work (the build stamp would skip it), so the cache shows."""
    result = subprocess.run(
        [sys.executable, "-m", "policypress", "--debug", "build", "-C", str(root), "--jobs", "1"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(packages)},
        cwd=packages,
        check=True,
    )
    counts = re.search(r"PDFs: (\d+) rendered, (\d+) reused", result.stdout)
    assert counts, result.stdout
    keys = {p.name for p in (root / ".policypress-cache" / "keys").rglob("*") if p.is_file()}
    return int(counts[1]), int(counts[2]), keys


@pytest.mark.slow  # builds in new processes, from a copy of the package
def test_editing_a_module_no_list_names_misses_the_cache(project: Path, tmp_path: Path) -> None:
    packages = tmp_path / "packages"
    shutil.copytree(PACKAGE, packages / "policypress", ignore=shutil.ignore_patterns("__pycache__"))

    rendered, reused, keys = build(project, packages)
    assert rendered > 0
    assert reused == 0
    assert build(project, packages) == (0, rendered, keys)  # nothing changed: all from the cache

    # render/urls.py was in none of the hand-kept lists the cached views were keyed on.
    urls = packages / "policypress" / "render" / "urls.py"
    urls.write_text(urls.read_text(encoding="utf-8") + "# an edit\n", encoding="utf-8")
    again, reused, edited_keys = build(project, packages)
    assert (again, reused) == (rendered, 0)  # every PDF rendered again
    # The views (page and print) and the PDFs were looked up under new keys and made anew.
    assert len(edited_keys - keys) >= rendered + 2
