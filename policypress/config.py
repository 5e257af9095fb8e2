"""Read ``policypress.toml`` into a typed, validated Config, reporting every problem at once."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from policypress.content.options import (
    TOML,
    URL,
    Choice,
    Flag,
    Number,
    Schema,
    Text,
    TextList,
    did_you_mean,
    missing,
    validate,
)
from policypress.errors import Finding, PolicyError, Severity, raise_if_errors
from policypress.variants import LARGE_PRINT_DEFAULT, LARGE_PRINT_MAX, LARGE_PRINT_MIN

CONFIG_NAME = "policypress.toml"
PLACEHOLDER_MARK = "PLACEHOLDER"
_PLACEHOLDER_HOSTS = {"example.org", "www.example.org", "example.com", "www.example.com"}


@dataclass(frozen=True)
class SchoolSettings:
    name: str
    short_name: str
    address: str
    phone: str
    email: str
    website: str


@dataclass(frozen=True)
class SiteSettings:
    base_url: str
    complaints_policy_url: str
    accessibility_contact: str
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class PrintSettings:
    large_print_size: float = LARGE_PRINT_DEFAULT


STATUTORY_LISTS = ("maintained", "academy")


@dataclass(frozen=True)
class ReviewSettings:
    # Which of the Department for Education's lists of statutory policies applies (None: none).
    statutory_list: str | None = None
    # Link the governors' review page from every page's navigation (and let it be indexed).
    public: bool = False


@dataclass(frozen=True)
class Config:
    root: Path
    path: Path
    school: SchoolSettings
    site: SiteSettings
    print: PrintSettings = field(default_factory=PrintSettings)
    reviews: ReviewSettings = field(default_factory=ReviewSettings)
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def placeholders(self) -> list[Finding]:
        """Settings the office still has to fill in (warnings, not errors)."""
        found = []
        for section, values in (("school", self.school), ("site", self.site)):
            for key, value in vars(values).items():
                if isinstance(value, str) and is_placeholder(value):
                    found.append(
                        Finding(
                            "warning",
                            f"[{section}] {key} is still a placeholder: {value!r}",
                            self.path,
                            self.lines.get(f"{section}.{key}"),
                            hint="Replace it with the school's real details before publishing.",
                        )
                    )
        return found


def is_placeholder(value: str) -> bool:
    if PLACEHOLDER_MARK in value.upper():
        return True
    host = urlsplit(value).hostname if "://" in value else None
    if host in _PLACEHOLDER_HOSTS:
        return True
    return bool(re.search(r"@example\.(org|com)$", value))


_LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# Every known setting, by section: the same option types as front matter (content/options.py).
SCHEMA: dict[str, Schema] = {
    "school": {
        "name": Text(required=True),
        "short_name": Text(),
        "address": Text(required=True),
        "phone": Text(required=True),
        "email": Text(required=True),
        "website": URL(),
    },
    "site": {
        "base_url": URL(required=True),
        "complaints_policy_url": URL(required=True),
        "accessibility_contact": Text(required=True),
        "languages": TextList(
            item=Text(
                pattern=_LANG_RE,
                pattern_problem="language tags",
                pattern_hint='Use short codes such as "pl", "ur", "ar".',
            ),
            list_hint='Write a list in square brackets, e.g. languages = ["pl", "ur"].',
        ),
    },
    "print": {
        "large_print_size": Number(
            minimum=LARGE_PRINT_MIN,
            maximum=LARGE_PRINT_MAX,
            unit="pt",
            range_hint=f"Large print is at least {LARGE_PRINT_MIN} pt (UKAAF); "
            f"{LARGE_PRINT_DEFAULT:g} pt is the usual size.",
        )
    },
    "reviews": {"statutory_list": Choice(choices=STATUTORY_LISTS), "public": Flag()},
}


def key_lines(text: str) -> dict[str, int]:
    """Map ``section.key`` to its line in the TOML text, so errors can point at it."""
    lines: dict[str, int] = {}
    section = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = re.match(r"^\[\s*([A-Za-z0-9_.-]+)\s*\]", line)
        if header:
            section = header.group(1)
            lines.setdefault(section, number)
            continue
        key = re.match(r"^([A-Za-z0-9_-]+)\s*=", line)
        if key:
            lines.setdefault(f"{section}.{key.group(1)}" if section else key.group(1), number)
    return lines


def load_config(root: Path) -> Config:
    """Read and validate ``ROOT/policypress.toml``."""
    path = root / CONFIG_NAME
    if not path.is_file():
        raise PolicyError(
            f"there is no {CONFIG_NAME} in this folder",
            path,
            hint="Run the command from the project folder, or name it with -C/--root DIR.",
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PolicyError(
            f"this file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            path,
            line,
            hint="Save the file as UTF-8 in your editor.",
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        toml_line = int(match.group(1)) if match else None
        col = int(match.group(2)) if match else None
        message = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        raise PolicyError(
            f"this is not valid TOML: {message}",
            path,
            toml_line,
            col,
            hint='Each setting is written key = "value", with text in double quotes.',
        ) from None
    return _validate(root, path, data, key_lines(text))


def _line_in(lines: dict[str, int], section: str) -> Callable[[str], int | None]:
    return lambda key: lines.get(f"{section}.{key}")


def _unknown_in(section: str) -> Callable[[str], tuple[Severity, str, str | None]]:
    """A setting policypress does not know is an error: a misspelt one would be lost."""
    return lambda key: ("error", f"unknown setting {key!r} in [{section}]", None)


def _validate(root: Path, path: Path, data: dict[str, Any], lines: dict[str, int]) -> Config:
    findings: list[Finding] = []
    values: dict[str, dict[str, Any]] = {name: {} for name in SCHEMA}
    for section, content in data.items():
        if section not in SCHEMA:
            findings.append(
                Finding(
                    "error",
                    f"unknown section [{section}]",
                    path,
                    lines.get(section),
                    hint=did_you_mean(section, SCHEMA),
                )
            )
            continue
        if not isinstance(content, dict):
            findings.append(
                Finding("error", f"{section} must be a [{section}] table", path, lines.get(section))
            )
            continue
        checked = validate(
            SCHEMA[section],
            content,
            path=path,
            line_of=_line_in(lines, section),
            syntax=TOML,
            unknown=_unknown_in(section),
        )
        findings.extend(checked.findings)
        values[section] = checked.values
        for key in missing(SCHEMA[section], content):
            findings.append(
                Finding(
                    "error",
                    f"[{section}] is missing the setting {key!r}",
                    path,
                    lines.get(section),
                    hint=f'Add a line such as {key} = "..." under [{section}].',
                )
            )
    for section, schema in SCHEMA.items():
        if section not in data and missing(schema, {}):
            findings.append(
                Finding(
                    "error",
                    f"the [{section}] section is missing",
                    path,
                    None,
                    hint=f"Add a [{section}] section; see the README for an example.",
                )
            )
    raise_if_errors(findings)
    school = values["school"]
    school.setdefault("short_name", school["name"])
    school.setdefault("website", "")
    site = values["site"]
    if not site["base_url"].endswith("/"):
        site["base_url"] += "/"
    return Config(
        root=root,
        path=path,
        school=SchoolSettings(**school),
        site=SiteSettings(**site),
        print=PrintSettings(**values["print"]),
        reviews=ReviewSettings(**values["reviews"]),
        lines=lines,
    )
