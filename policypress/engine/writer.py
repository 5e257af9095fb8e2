"""The only code that touches the output folder: it assembles a complete new build beside it and
swaps it in at the end, so a failed or interrupted build leaves the last good one as it was.

It replaces or deletes only a folder that is provably a build of this project: one holding the
mark it writes (``.policypress-build``: the project's id, kept in its cache, and a hash of the
project folder's path), an empty folder, or an untouched build by an earlier version (whose
``manifest.json`` lists exactly the files there, with their hashes). Anything else, a web
root's own ``manifest.json`` included, is refused and left as it is. The callers hold the
output's lock (:mod:`policypress.engine.lock`) while they use these functions."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from policypress import __version__
from policypress.engine.cache import ObjectCache, file_has_digest
from policypress.errors import PolicyError
from policypress.hashing import digest
from policypress.render.files import BuiltFile

SITE_DIR = "site"
MANIFEST = "manifest.json"
MARKER = ".policypress-build"


@dataclass(frozen=True)
class BuildMark:
    """What makes a build this project's: its id, and a hash of where it lives (so a build
    stays the project's when the cache is deleted, and when the project is moved)."""

    project: str
    root: str

    def as_bytes(self, generator: str) -> bytes:
        data = {"generator": generator, "project": self.project, "root": self.root}
        return (json.dumps(data, indent=2) + "\n").encode("ascii")

    def matches(self, folder: Path) -> bool:
        """Whether ``folder`` holds this project's mark."""
        marker = folder / MARKER
        if marker.is_symlink() or not marker.is_file():
            return False
        try:
            data = json.loads(marker.read_bytes())
        except (OSError, ValueError):
            return False
        if not isinstance(data, dict) or not str(data.get("generator", "")).startswith(
            "policypress"
        ):
            return False
        return data.get("project") == self.project or data.get("root") == self.root


def project_mark(cache: ObjectCache, root: Path) -> BuildMark:
    root_name = str(root.resolve()).encode("utf-8", "surrogateescape")
    return BuildMark(cache.project_id(), digest(b"policypress project\0" + root_name))


def manifest_bytes(
    files: Mapping[str, BuiltFile], generator: str, versions: Mapping[str, str] | None = None
) -> bytes:
    """``versions``: each policy's current version (the manifest says every file's version)."""
    data = {
        "generator": generator,
        "files": [files[path].as_json(versions) for path in sorted(files)],
    }
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def claim_output(output: Path, mark: BuildMark, action: Literal["replace", "delete"]) -> None:
    """Raise a PolicyError, changing nothing, unless ``output`` may be replaced or deleted: it
    does not exist, is empty, holds this project's mark, or is an untouched earlier build."""
    if not output.exists() and not output.is_symlink():
        return
    if action == "replace":
        keep = (
            "Nothing was changed. Build into an empty or new folder instead (-o/--output), "
            "or, if you are sure nothing in it is needed, move or delete the folder yourself."
        )
    else:
        keep = (
            "Nothing was deleted. If you are sure nothing in it is needed, delete the folder "
            "yourself."
        )
    if output.is_symlink() or not output.is_dir():
        raise PolicyError(
            f"the output must be a folder of its own, and this is "
            f"{'a link' if output.is_symlink() else 'a file'}; policypress will not {action} it",
            output,
            hint=keep,
        )
    if mark.matches(output) or not any(output.iterdir()):
        return
    problem = _earlier_build_problem(output)
    if problem is None:
        return
    if (output / MARKER).is_file():
        raise PolicyError(
            f"this folder holds a build of another policypress project (or its mark was "
            f"damaged); this project will not {action} it",
            output,
            hint=f"Nothing was {'changed' if action == 'replace' else 'deleted'}. Give this "
            "project a folder of its own (-o/--output; the default is output/ inside the "
            "project), or, if that build is no longer needed, delete the folder yourself.",
        )
    raise PolicyError(
        f"this folder holds files that policypress did not make ({problem}); policypress will "
        f"not {action} it",
        output,
        hint=keep,
    )


def _earlier_build_problem(output: Path) -> str | None:
    """None if ``output`` is a complete, untouched build by an earlier policypress (which wrote
    no mark): exactly the files its manifest lists, with their sizes and hashes; otherwise
    what shows it is not."""
    try:
        data = json.loads((output / MANIFEST).read_bytes())
    except FileNotFoundError:
        return f"no {MARKER} mark"
    except (OSError, ValueError):
        return f"its {MANIFEST} is not one policypress wrote"
    if not isinstance(data, dict) or not str(data.get("generator", "")).startswith("policypress"):
        return f"its {MANIFEST} is not one policypress wrote"
    try:
        listed = {f"{SITE_DIR}/{entry['path']}": entry for entry in data["files"]}
    except (KeyError, TypeError):
        return f"its {MANIFEST} is not one policypress wrote"
    found = {
        path.relative_to(output).as_posix(): path
        for path in output.rglob("*")
        if path.is_symlink() or not path.is_dir()
    }
    found.pop(MANIFEST)
    for name, path in sorted(found.items()):
        entry = listed.get(name)
        if entry is None or path.is_symlink():
            return f"{name} is not in its {MANIFEST}"
        data_bytes = path.read_bytes()
        if len(data_bytes) != entry.get("size") or digest(data_bytes) != entry.get("sha256"):
            return f"{name} differs from its {MANIFEST}"
    missing = sorted(set(listed) - set(found))
    if missing:
        return f"{missing[0]} from its {MANIFEST} is missing"
    return None


def _staging_prefix(output: Path) -> str:
    return f".{output.name}.staging-"


def _old_prefix(output: Path) -> str:
    return f".{output.name}.old-"


def clear_leftovers(output: Path, mark: BuildMark) -> None:
    """Remove the half-built and half-deleted folders an interrupted build left beside the
    output: only those that carry this project's mark (or are empty), never anyone else's."""
    parent = output.parent
    if not parent.is_dir():
        return
    for child in parent.iterdir():
        if not child.name.startswith((_staging_prefix(output), _old_prefix(output))):
            continue
        if child.is_symlink() or not child.is_dir():
            continue
        if mark.matches(child):
            shutil.rmtree(child, ignore_errors=True)
        elif not any(child.iterdir()):
            child.rmdir()


def publish(
    output: Path,
    files: Mapping[str, BuiltFile],
    cache: ObjectCache,
    generator: str,
    root: Path,
    versions: Mapping[str, str] | None = None,
) -> bool:
    """Make ``output`` hold exactly ``files`` plus the manifest and the mark. Returns False
    when the output already held this very build (nothing is touched then). Published files
    are copies, independent of the cache, each checked against its hash as it is copied."""
    mark = project_mark(cache, root)
    claim_output(output, mark, "replace")
    manifest = manifest_bytes(files, generator, versions)
    if mark.matches(output) and _holds(output, files, manifest):
        return False
    clear_leftovers(output, mark)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(output), dir=output.parent))
    try:
        (staging / MARKER).write_bytes(mark.as_bytes(generator))  # first: it is ours to clear
        staging.chmod(0o755)  # mkdtemp makes it private; the web server must read it
        for path, facts in sorted(files.items()):
            data = cache.read(facts.sha256)
            if data is None or len(data) != facts.size:
                raise PolicyError(
                    f"the build cache lost or damaged {path} while this build ran",
                    cache.folder,
                    hint="Nothing was changed. Build again: the file will be made afresh.",
                )
            target = staging / SITE_DIR / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (staging / MANIFEST).write_bytes(manifest)
        _swap(staging, output, mark, generator)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return True


def _holds(output: Path, files: Mapping[str, BuiltFile], manifest: bytes) -> bool:
    """Whether ``output`` is exactly this build: the same manifest, and the published files
    byte for byte (hashed: an edit in place that keeps the size and time still shows)."""
    try:
        if (output / MANIFEST).read_bytes() != manifest:
            return False
    except OSError:
        return False
    site = output / SITE_DIR
    found: set[str] = set()
    for folder, dirs, names in os.walk(site):
        for name in names + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            found.add(Path(folder, name).relative_to(site).as_posix())
    if found != set(files):
        return False
    return all(
        not (site / path).is_symlink() and file_has_digest(site / path, facts.sha256)
        for path, facts in files.items()
    )


def _swap(staging: Path, output: Path, mark: BuildMark, generator: str) -> None:
    old: Path | None = None
    if output.is_dir() and not any(output.iterdir()):
        output.rmdir()  # fails, changing nothing, if a file arrived meanwhile
    elif output.exists():
        if not mark.matches(output):
            # An untouched build by an earlier version (claim_output checked it): marked now,
            # so that if this process dies before it is deleted, the next build clears it.
            (output / MARKER).write_bytes(mark.as_bytes(generator))
        old = output.parent / f"{_old_prefix(output)}{os.getpid()}-{secrets.token_hex(4)}"
        os.rename(output, old)
    os.rename(staging, output)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def remove_output(output: Path, mark: BuildMark) -> bool:
    """Delete the output folder (``clean``), if it is this project's build; False if there was
    none. It is moved aside first, so a delete cut short leaves no half-deleted build."""
    claim_output(output, mark, "delete")
    clear_leftovers(output, mark)
    if not output.exists():
        return False
    if not any(output.iterdir()):
        output.rmdir()
        return True
    if not mark.matches(output):
        (output / MARKER).write_bytes(mark.as_bytes(f"policypress {__version__}"))
    old = output.parent / f"{_old_prefix(output)}{os.getpid()}-{secrets.token_hex(4)}"
    os.rename(output, old)
    shutil.rmtree(old, ignore_errors=True)
    return True
