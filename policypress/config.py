"""Read ``policypress.toml`` into a typed, validated Config, reporting every problem at once."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from policypress.errors import Finding, PolicyError, raise_if_errors
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


@dataclass(frozen=True)
class Config:
    root: Path
    path: Path
    school: SchoolSettings
    site: SiteSettings
    print: PrintSettings = field(default_factory=PrintSettings)
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


# (type, required) for every known key, by section.
_SCHEMA: dict[str, dict[str, tuple[type, bool]]] = {
    "school": {
        "name": (str, True),
        "short_name": (str, False),
        "address": (str, True),
        "phone": (str, True),
        "email": (str, True),
        "website": (str, False),
    },
    "site": {
        "base_url": (str, True),
        "complaints_policy_url": (str, True),
        "accessibility_contact": (str, True),
        "languages": (list, False),
    },
    "print": {"large_print_size": (float, False)},
}
_URL_KEYS = {"school.website", "site.base_url", "site.complaints_policy_url"}
_LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


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


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"Did you mean {close[0]!r}?"
    return "Known keys: " + ", ".join(sorted(choices)) + "."


def _check_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


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


def _validate(root: Path, path: Path, data: dict[str, Any], lines: dict[str, int]) -> Config:
    findings: list[Finding] = []
    values: dict[str, dict[str, Any]] = {name: {} for name in _SCHEMA}
    for section, content in data.items():
        if section not in _SCHEMA:
            findings.append(
                Finding(
                    "error",
                    f"unknown section [{section}]",
                    path,
                    lines.get(section),
                    hint=_did_you_mean(section, list(_SCHEMA)),
                )
            )
            continue
        if not isinstance(content, dict):
            findings.append(
                Finding("error", f"{section} must be a [{section}] table", path, lines.get(section))
            )
            continue
        schema = _SCHEMA[section]
        for key, raw_value in content.items():
            value: Any = raw_value
            where = f"{section}.{key}"
            if key not in schema:
                findings.append(
                    Finding(
                        "error",
                        f"unknown setting {key!r} in [{section}]",
                        path,
                        lines.get(where),
                        hint=_did_you_mean(key, list(schema)),
                    )
                )
                continue
            kind, _required = schema[key]
            if kind is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if not isinstance(value, kind) or isinstance(value, bool):
                findings.append(
                    Finding(
                        "error",
                        f"{key} should be {_kind_name(kind)}, not {type(value).__name__} "
                        f"({value!r})",
                        path,
                        lines.get(where),
                        hint=_kind_hint(kind),
                    )
                )
                continue
            if where in _URL_KEYS and not _check_url(str(value)):
                findings.append(
                    Finding(
                        "error",
                        f"{key} is not a web address: {value!r}",
                        path,
                        lines.get(where),
                        hint="Write the full address, starting with https://",
                    )
                )
                continue
            if key == "languages":
                bad = [v for v in raw_value if not (isinstance(v, str) and _LANG_RE.match(v))]
                if bad:
                    findings.append(
                        Finding(
                            "error",
                            f"languages has codes that are not language tags: {bad!r}",
                            path,
                            lines.get(where),
                            hint='Use short codes such as "pl", "ur", "ar".',
                        )
                    )
                    continue
                value = tuple(raw_value)
            if key == "large_print_size" and not LARGE_PRINT_MIN <= value <= LARGE_PRINT_MAX:
                findings.append(
                    Finding(
                        "error",
                        f"large_print_size {value} pt is outside {LARGE_PRINT_MIN} to "
                        f"{LARGE_PRINT_MAX} pt",
                        path,
                        lines.get(where),
                        hint=f"Large print is at least {LARGE_PRINT_MIN} pt (UKAAF); "
                        f"{LARGE_PRINT_DEFAULT:g} pt is the usual size.",
                    )
                )
                continue
            values[section][key] = value
        for key, (_kind, required) in schema.items():
            if required and key not in content:
                findings.append(
                    Finding(
                        "error",
                        f"[{section}] is missing the setting {key!r}",
                        path,
                        lines.get(section),
                        hint=f'Add a line such as {key} = "..." under [{section}].',
                    )
                )
    for section in _SCHEMA:
        if section not in data and any(req for _k, req in _SCHEMA[section].values()):
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
        lines=lines,
    )


def _kind_name(kind: type) -> str:
    return {str: "text in quotes", list: "a list", float: "a number"}.get(kind, kind.__name__)


def _kind_hint(kind: type) -> str:
    return {
        str: 'Put the value in double quotes, e.g. name = "St James Primary".',
        list: 'Write a list in square brackets, e.g. languages = ["pl", "ur"].',
        float: "Write a plain number, e.g. large_print_size = 18.",
    }.get(kind, "")
