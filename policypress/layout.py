"""Where a project's files are: its template folders (the school's own, then policypress's
default templates). Project layout, not rendering: every layer may ask."""

from __future__ import annotations

from pathlib import Path

from policypress.errors import PolicyError

DEFAULT_TEMPLATES = Path(__file__).resolve().parent / "templates"


def template_dirs(root: Path) -> list[Path]:
    dirs = [root / "templates"]
    if DEFAULT_TEMPLATES.is_dir() and DEFAULT_TEMPLATES.resolve() != dirs[0].resolve():
        dirs.append(DEFAULT_TEMPLATES)
    return [d for d in dirs if d.is_dir()]


def find_template_file(root: Path, name: str) -> Path:
    """The file a template, stylesheet or font comes from (the school's own copy wins)."""
    for folder in template_dirs(root):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise PolicyError(f"the template file {name!r} is missing", root / "templates")
