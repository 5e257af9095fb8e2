"""`policypress new DIR`: a starter project for a new school, copied from policypress/starter/
(package data), with an example policy dated today."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from policypress.errors import PolicyError

STARTER = "starter"
# Files kept in the package under another name: a ".gitignore" inside the package would apply
# to policypress's own repository.
_RENAMED = {"gitignore": ".gitignore"}
_DATED_SUFFIX = ".md"


def starter_files(today: dt.date) -> dict[Path, bytes]:
    """The starter project's files, by path relative to the new project's folder."""
    files: dict[Path, bytes] = {}

    def walk(folder: Traversable, relative: Path) -> None:
        for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
            if item.name == "__pycache__":
                continue
            name = _RENAMED.get(item.name, item.name) if relative == Path() else item.name
            if item.is_dir():
                walk(item, relative / name)
            else:
                files[relative / name] = _dated(item.read_bytes(), name, today)

    walk(resources.files("policypress") / STARTER, Path())
    return files


def _dated(data: bytes, name: str, today: dt.date) -> bytes:
    """The example policy is adopted today and due for review in a year."""
    if not name.endswith(_DATED_SUFFIX):
        return data
    try:
        next_review = today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        next_review = today.replace(year=today.year + 1, day=28)
    text = data.decode("utf-8")
    text = text.replace("@ADOPTED@", today.isoformat())
    return text.replace("@NEXT_REVIEW@", next_review.isoformat()).encode("utf-8")


def new_project(target: Path, today: dt.date | None = None) -> list[Path]:
    """Write the starter project into ``target`` (a new or empty folder); return what was
    written. A folder with anything in it is refused, and nothing is written."""
    if target.exists() and not target.is_dir():
        raise PolicyError(
            "this is a file, not a folder",
            target,
            hint="Give the name of a new folder for the project, e.g. policypress new my-school",
        )
    if target.is_dir() and any(target.iterdir()):
        raise PolicyError(
            "this folder is not empty, so no project was made in it",
            target,
            hint="policypress new never overwrites files. Give the name of a new folder (it is "
            "made for you) or of an empty one.",
        )
    files = starter_files(today or dt.date.today())
    written = []
    for relative, data in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written
