"""The only code that touches the output folder: it assembles a complete new build beside it and
swaps it in at the end, so a failed or interrupted build leaves the last good one as it was."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from policypress.engine.cache import ObjectCache
from policypress.errors import PolicyError
from policypress.render.files import BuiltFile

SITE_DIR = "site"
MANIFEST = "manifest.json"


def manifest_bytes(files: Mapping[str, BuiltFile], generator: str) -> bytes:
    data = {
        "generator": generator,
        "files": [files[path].as_json() for path in sorted(files)],
    }
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _staging_prefix(output: Path) -> str:
    return f".{output.name}.staging-"


def clear_leftovers(output: Path) -> None:
    """Remove half-built folders that an interrupted build left beside the output."""
    parent = output.parent
    if not parent.is_dir():
        return
    for child in parent.iterdir():
        if child.name.startswith((_staging_prefix(output), f".{output.name}.old-")):
            shutil.rmtree(child, ignore_errors=True)


def publish(
    output: Path,
    files: Mapping[str, BuiltFile],
    cache: ObjectCache,
    generator: str,
) -> bool:
    """Make ``output`` hold exactly ``files`` plus the manifest. Returns False when the output
    already held this very build (nothing is touched then)."""
    manifest = manifest_bytes(files, generator)
    current = output / MANIFEST
    if current.is_file() and current.read_bytes() == manifest and _intact(output, files):
        return False
    clear_leftovers(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = output.parent / f"{_staging_prefix(output)}{os.getpid()}"
    try:
        for path, facts in sorted(files.items()):
            target = staging / SITE_DIR / path
            target.parent.mkdir(parents=True, exist_ok=True)
            source = cache.object_path(facts.sha256)
            try:
                os.link(source, target)
            except OSError:
                shutil.copyfile(source, target)
        (staging / MANIFEST).write_bytes(manifest)
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return True


def _intact(output: Path, files: Mapping[str, BuiltFile]) -> bool:
    site = output / SITE_DIR
    for path, facts in files.items():
        try:
            if (site / path).stat().st_size != facts.size:
                return False
        except OSError:
            return False
    return True


def _swap(staging: Path, output: Path) -> None:
    if output.exists() and not (output / MANIFEST).is_file() and any(output.iterdir()):
        raise PolicyError(
            f"the output folder {output} holds files policypress did not make",
            output,
            hint="Choose an empty folder with -o/--output, or move those files away.",
        )
    old = output.parent / f".{output.name}.old-{os.getpid()}"
    if output.exists():
        os.rename(output, old)
    os.rename(staging, output)
    shutil.rmtree(old, ignore_errors=True)
