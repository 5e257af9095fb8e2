"""Typed options shared by ``policypress.toml`` and front matter (like MkDocs' config_options):
each option knows what it accepts, its default, how to check a value and what to tell the office;
a schema of options validates a whole table at once, with the line of every problem and a "did
you mean" for unknown keys."""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from policypress.errors import Finding, Severity

T = TypeVar("T")


class OptionProblem(Exception):
    """A value an option does not accept: what is wrong and how to write it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class Syntax:
    """How a setting is written in one kind of file, for the hints."""

    name: str
    example: Callable[[str, str], str]


TOML = Syntax("TOML", lambda key, value: f"{key} = {value}")
YAML = Syntax("YAML", lambda key, value: f"{key}: {value.strip(chr(34))}")


@dataclass(frozen=True)
class Option(Generic[T]):
    """One setting: ``check`` turns a raw value into a typed one, or raises OptionProblem."""

    required: bool = False
    default: T | None = None
    hint: str = ""  # said after the standard hint when the value is wrong

    kind = "a value"
    sample = '"..."'

    def check(self, key: str, value: Any, syntax: Syntax) -> T:
        raise NotImplementedError

    def wrong(self, key: str, value: Any, syntax: Syntax) -> OptionProblem:
        hint = f"Write it as {syntax.example(key, self.sample)}."
        if syntax is TOML and isinstance(self, Text):
            hint = f"Put the value in double quotes, e.g. {syntax.example(key, self.sample)}."
        return OptionProblem(
            f"{key} should be {self.kind}, not {_type_name(value)} ({value!r})",
            f"{hint} {self.hint}".strip(),
        )


def _type_name(value: Any) -> str:
    return {
        str: "text",
        int: "a number",
        float: "a number",
        bool: "true/false",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


@dataclass(frozen=True)
class Text(Option[str]):
    """Text on one line (spaces and line breaks run together). ``numbers``: a number is taken
    as its text (a version 2). ``pattern``: the text must match it."""

    numbers: bool = False
    pattern: re.Pattern[str] | None = None
    pattern_problem: str = ""
    pattern_hint: str = ""

    kind = "text"
    sample = '"some words"'

    def check(self, key: str, value: Any, syntax: Syntax) -> str:
        if self.numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise self.wrong(key, value, syntax)
        if self.pattern is not None and not self.pattern.match(value.strip()):
            raise OptionProblem(
                f"{key} should be {self.pattern_problem}, not {value!r}", self.pattern_hint
            )
        return " ".join(value.split())


@dataclass(frozen=True)
class URL(Text):
    """A full web address (http or https)."""

    kind = "a web address"
    sample = '"https://www.example.org/"'

    def check(self, key: str, value: Any, syntax: Syntax) -> str:
        text = super().check(key, value, syntax)
        from urllib.parse import urlsplit

        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
            raise OptionProblem(
                f"{key} is not a web address: {value!r}",
                "Write the full address, starting with https://",
            )
        return text


@dataclass(frozen=True)
class Date(Option[dt.date]):
    """A date written year-month-day."""

    kind = "a date"
    sample = "2026-09-01"

    def check(self, key: str, value: Any, syntax: Syntax) -> dt.date:
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = dt.date.fromisoformat(value.strip())
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date):
            raise OptionProblem(
                f"{key} is not a date: {value!r}",
                "Write dates as year-month-day, e.g. 2026-09-01.",
            )
        return value


@dataclass(frozen=True)
class Number(Option[float]):
    """A number, within ``minimum``..``maximum`` if given."""

    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    range_hint: str = ""

    kind = "a number"
    sample = "18"

    def check(self, key: str, value: Any, syntax: Syntax) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.wrong(key, value, syntax)
        number = float(value)
        low = self.minimum if self.minimum is not None else number
        high = self.maximum if self.maximum is not None else number
        if not low <= number <= high:
            unit = f" {self.unit}" if self.unit else ""
            raise OptionProblem(
                f"{key} {number:g}{unit} is outside {low:g} to {high:g}{unit}",
                self.range_hint,
            )
        return number


@dataclass(frozen=True)
class Flag(Option[bool]):
    """Yes or no."""

    kind = "true or false"
    sample = "true"

    def check(self, key: str, value: Any, syntax: Syntax) -> bool:
        if not isinstance(value, bool):
            raise self.wrong(key, value, syntax)
        return value


@dataclass(frozen=True)
class Choice(Option[str]):
    """One of a few words, e.g. which list of statutory policies applies."""

    choices: tuple[str, ...] = ()

    kind = "one of the choices"
    sample = '"..."'

    def check(self, key: str, value: Any, syntax: Syntax) -> str:
        if value not in self.choices:
            close = difflib.get_close_matches(str(value), self.choices, n=1, cutoff=0.6)
            hint = f"Did you mean {close[0]!r}?" if close else "Choose one of them."
            raise OptionProblem(
                f"{key} should be one of {', '.join(map(repr, self.choices))}, not {value!r}",
                hint,
            )
        return str(value)


@dataclass(frozen=True)
class TextList(Option[tuple[str, ...]]):
    """A list of texts; ``single``: one text on its own counts as a list of one."""

    single: bool = False
    item: Text = field(default_factory=Text)
    list_hint: str = ""

    kind = "a list"
    sample = '["..."]'

    def check(self, key: str, value: Any, syntax: Syntax) -> tuple[str, ...]:
        if self.single and isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise OptionProblem(
                f"{key} should be a list, not {_type_name(value)} ({value!r})",
                self.list_hint or f"Write it as {syntax.example(key, self.sample)}.",
            )
        items = []
        bad = []
        for entry in value:
            try:
                items.append(self.item.check(key, entry, syntax))
            except OptionProblem:
                bad.append(entry)
        if bad:
            raise OptionProblem(
                f"{key} has entries that are not {self.item.pattern_problem or 'text'}: {bad!r}",
                self.item.pattern_hint or self.list_hint,
            )
        return tuple(items)


Schema = Mapping[str, Option[Any]]


def did_you_mean(
    word: str,
    known: Collection[str],
    aliases: Mapping[str, str] = {},
) -> str:
    """The closest known key to ``word`` (also through the names other tools use), or the
    list of known keys."""
    plain = word.strip().lower().replace("-", "_").replace(" ", "_")
    if plain in known and plain != word:
        return f"Did you mean {plain!r}?"
    if plain in aliases:
        return f"Did you mean {aliases[plain]!r}?"
    choices = [*known, *aliases]
    close = difflib.get_close_matches(plain, choices, n=1, cutoff=0.6)
    if close:
        return f"Did you mean {aliases.get(close[0], close[0])!r}?"
    return "Known keys: " + ", ".join(known) + "."


@dataclass
class Validated:
    """The values a schema accepted, and every problem found."""

    values: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def validate(
    schema: Schema,
    data: Mapping[Any, Any],
    *,
    path: Path,
    line_of: Callable[[str], int | None],
    syntax: Syntax,
    unknown: Callable[[str], tuple[Severity, str, str | None]],
    aliases: Mapping[str, str] = {},
    col: int | None = None,
) -> Validated:
    """Check every key of ``data`` against ``schema``. ``unknown(key)`` gives the severity, the
    message and a hint (None: a "did you mean") for a key the schema does not know."""
    result = Validated()
    for raw_key, value in data.items():
        key = str(raw_key)
        line = line_of(key)
        option = schema.get(key)
        if option is None:
            severity, message, hint = unknown(key)
            hint = hint or did_you_mean(key, schema, aliases)
            result.findings.append(Finding(severity, message, path, line, col, hint))
            continue
        try:
            result.values[key] = option.check(key, value, syntax)
        except OptionProblem as problem:
            result.findings.append(
                Finding("error", problem.message, path, line, col, problem.hint or None)
            )
    return result


def missing(schema: Schema, data: Mapping[Any, Any]) -> list[str]:
    """The required keys ``data`` does not give."""
    return [key for key, option in schema.items() if option.required and key not in data]
