"""Split the YAML front matter from a policy's Markdown and validate it into PolicyMeta."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from policypress.content.options import (
    YAML,
    Date,
    Flag,
    Option,
    OptionProblem,
    Schema,
    Syntax,
    Text,
    TextList,
    validate,
)
from policypress.errors import Finding, PolicyError, Severity, raise_if_errors


@dataclass(frozen=True)
class PolicyMeta:
    """What the front matter says about a policy."""

    title: str
    summary: str = ""
    version: str = ""
    adopted: dt.date | None = None
    last_reviewed: dt.date | None = None
    next_review: dt.date | None = None
    owner: str = ""
    language: str = "en"
    editorial_notes: tuple[str, ...] = ()
    review_cycle: ReviewCycle | None = None
    approved_by: str = ""
    approved_on: dt.date | None = None
    statutory: bool | None = None  # None: not said (the statutory list may still name it)
    statutory_name: str = ""  # the entry of the statutory list this policy is, if not its title


@dataclass(frozen=True, order=True)
class ReviewCycle:
    """How often a policy is reviewed: ``1y``, ``2y``, ``3y``, or months such as ``6m``."""

    months: int

    @property
    def text(self) -> str:
        return f"{self.months // 12}y" if self.months % 12 == 0 else f"{self.months}m"

    def after(self, day: dt.date) -> dt.date:
        """The date one cycle after ``day`` (31 August + 6m is 28 or 29 February)."""
        month_index = day.month - 1 + self.months
        year, month = day.year + month_index // 12, month_index % 12 + 1
        return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_CYCLE_RE = re.compile(r"^\s*(\d{1,3})\s*([ym])\s*$", re.IGNORECASE)
MAX_CYCLE_MONTHS = 10 * 12


def parse_review_cycle(value: object) -> ReviewCycle | None:
    """``1y``, ``2y``, ``18m`` ... as a ReviewCycle, or None if it is not one."""
    if not isinstance(value, str):
        return None
    match = _CYCLE_RE.match(value)
    if match is None:
        return None
    months = int(match.group(1)) * (12 if match.group(2).lower() == "y" else 1)
    return ReviewCycle(months) if 1 <= months <= MAX_CYCLE_MONTHS else None


@dataclass(frozen=True)
class Cycle(Option[ReviewCycle]):
    """How often a policy is reviewed (``review_cycle: 1y``)."""

    kind = "a number of years or months"
    sample = "1y"

    def check(self, key: str, value: Any, syntax: Syntax) -> ReviewCycle:
        cycle = parse_review_cycle(value)
        if cycle is None:
            raise OptionProblem(
                f"{key} should be a number of years or months, not {value!r}",
                f"Write {key}: 1y (every year), 2y, 3y, or months such as 6m "
                f"(at most {MAX_CYCLE_MONTHS // 12}y).",
            )
        return cycle


_LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
FRONT_MATTER: Schema = {
    "title": Text(required=True),
    "summary": Text(),
    "version": Text(numbers=True),
    "adopted": Date(),
    "last_reviewed": Date(),
    "next_review": Date(),
    "owner": Text(),
    "language": Text(
        pattern=_LANGUAGE_RE,
        pattern_problem="a language code",
        pattern_hint='Write a code such as "en", "pl" or "en-GB", or leave the line out for '
        "English.",
    ),
    "editorial_notes": TextList(
        single=True, list_hint="Write each note on its own line starting with '  - '."
    ),
    "review_cycle": Cycle(),
    "approved_by": Text(),
    "approved_on": Date(),
    "statutory": Flag(
        hint="Write statutory: true if the law requires the school to have this policy, "
        "else statutory: false."
    ),
    "statutory_name": Text(),
}
KNOWN_KEYS = tuple(FRONT_MATTER)
# What other site generators and templates call our keys: the "did you mean" for each.
ALIASES = {
    "review_date": "next_review",
    "next_review_date": "next_review",
    "review_due": "next_review",
    "due_for_review": "next_review",
    "adopted_date": "adopted",
    "date_adopted": "adopted",
    "adoption_date": "adopted",
    "last_review": "last_reviewed",
    "last_review_date": "last_reviewed",
    "reviewed": "last_reviewed",
    "reviewed_date": "last_reviewed",
    "date_reviewed": "last_reviewed",
    "author": "owner",
    "policy_owner": "owner",
    "lang": "language",
    "description": "summary",
    "excerpt": "summary",
}
# Keys other site generators need and policypress does not: how to read them.
_DECIDED_HERE = (
    "policypress decides each page's layout and web address itself; you can delete this line."
)
OTHER_GENERATORS = {
    "layout": _DECIDED_HERE,
    "permalink": _DECIDED_HERE,
    "slug": "The web address comes from the file name; rename the file to change it.",
    "url": _DECIDED_HERE,
    "date": "Write the dates policypress shows as adopted, last_reviewed and next_review.",
}


# Front matter is a handful of 'key: value' lines: nothing needs more nesting than a list of
# notes, and nothing needs aliases (one alias can expand to gigabytes: "billion laughs").
MAX_DEPTH = 8


class _FrontMatterProblem(yaml.MarkedYAMLError):
    """Something valid YAML allows that front matter does not (aliases, deep nesting)."""


class _Loader(yaml.SafeLoader):
    """YAML that leaves dates as text, so a bad date gets our message, not a crash; that refuses
    aliases and deep nesting before they cost time, memory or the stack."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event: yaml.AliasEvent = self.peek_event()  # type: ignore[no-untyped-call]
            raise _FrontMatterProblem(
                problem=f"front matter cannot use YAML aliases (*{event.anchor})",
                problem_mark=event.start_mark,  # type: ignore[arg-type]
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _FrontMatterProblem(
                    problem=f"the front matter is nested more than {MAX_DEPTH} levels deep",
                    problem_mark=self.peek_event().start_mark,  # type: ignore[no-untyped-call]
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _date_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(node.value)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _date_as_text)


@dataclass(frozen=True)
class FrontMatter:
    meta: PolicyMeta
    body: str
    body_line: int  # the 1-based line in the file where the body starts
    key_lines: dict[str, int]
    findings: tuple[Finding, ...] = ()  # warnings: keys kept but not used


def split_front_matter(text: str, path: Path) -> tuple[str | None, str, int]:
    """Return (yaml text or None, body, first body line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    raise PolicyError(
        "the front matter is not closed",
        path,
        1,
        hint="Add a line with only --- after the last front matter line (title, dates ...).",
    )


def parse_front_matter(text: str, path: Path, *, require_title: bool = True) -> FrontMatter:
    block, body, body_line = split_front_matter(text, path)
    if block is None:
        if require_title:
            raise PolicyError(
                "this policy has no front matter",
                path,
                1,
                hint="Start the file with three lines: ---, title: The policy's title, ---",
            )
        return FrontMatter(PolicyMeta(title=""), body, body_line, {})
    loader: _Loader | None = None
    try:
        loader = _Loader(block)  # it checks for unprintable characters at once
        node = loader.get_single_node()
        _refuse_duplicate_keys(node, path)
        data = loader.construct_document(node) if node is not None else None
    except _FrontMatterProblem as exc:
        mark = exc.problem_mark
        raise PolicyError(
            str(exc.problem),
            path,
            mark.line + 2 if mark is not None else 2,
            mark.column + 1 if mark is not None else None,
            hint="Write each value in full: front matter is a few 'key: value' lines, with "
            "editorial notes as a list ('  - a note').",
        ) from None
    except yaml.reader.ReaderError as exc:
        before = block[: exc.position]
        raise PolicyError(
            f"the front matter has a character that cannot be used: U+{exc.character:04X}",
            path,
            before.count("\n") + 2,
            exc.position - (before.rfind("\n") + 1) + 1,
            hint="Delete the character (it is invisible in most editors: retype the line).",
        ) from None
    except yaml.YAMLError as exc:
        quote = _unclosed_quote(block, getattr(exc, "problem_mark", None))
        if quote is not None:
            raise PolicyError(
                "this quote is not closed on its line, so the rest of the front matter is read "
                "as part of the quoted text",
                path,
                quote.line + 2,
                quote.column + 1,
                hint="Add the closing quote at the end of the line, or remove the opening one.",
            ) from None
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        col = mark.column + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise PolicyError(
            f"the front matter is not valid YAML: {problem}",
            path,
            line,
            col,
            hint="Each line is 'key: value'. Put text containing a colon in quotes.",
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PolicyError(
            "the front matter should be a list of 'key: value' lines",
            path,
            2,
            hint="Write, for example, title: Social Media Policy",
        )
    key_lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _value in node.value:
            key_lines[str(key_node.value)] = key_node.start_mark.line + 2
    meta, warnings = _validate(data, path, key_lines, require_title)
    return FrontMatter(meta, body, body_line, key_lines, tuple(warnings))


def _unclosed_quote(block: str, problem: yaml.Mark | None) -> yaml.Mark | None:
    """Where a quote opens that its line does not close, if that is why YAML cannot read the
    front matter: YAML reads on to the next quote mark and reports the problem where that one
    ends, lines later, which would send the office to the wrong line."""
    try:
        for token in yaml.scan(block, Loader=_Loader):
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in ("'", '"')
                and token.start_mark.line != token.end_mark.line
                and problem is not None
                and token.end_mark.line == problem.line
            ):
                start: yaml.Mark = token.start_mark
                return start
    except yaml.YAMLError as exc:
        if getattr(exc, "context", None) == "while scanning a quoted scalar":
            mark: yaml.Mark | None = getattr(exc, "context_mark", None)
            return mark
    return None


def _refuse_duplicate_keys(node: yaml.Node | None, path: Path) -> None:
    """YAML keeps the last of two equal keys without a word; the office should hear of it."""
    findings: list[Finding] = []
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            first: dict[str, int] = {}
            for key_node, value_node in current.value:
                stack.append(value_node)
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                line = key_node.start_mark.line + 2
                key = str(key_node.value)
                if key in first:
                    findings.append(
                        Finding(
                            "error",
                            f"the front matter gives {key!r} twice (first on line {first[key]})",
                            path,
                            line,
                            key_node.start_mark.column + 1,
                            "Keep one of the two lines and delete the other.",
                        )
                    )
                else:
                    first[key] = line
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    raise_if_errors(findings)


def _unknown_key(key: str) -> tuple[Severity, str, str | None]:
    """A key policypress does not know is a warning, never an error: front matter written for
    another site generator still builds, and the line stays in the file."""
    message = f"unknown front matter key {key!r}: it is kept in the file but not used"
    plain = key.lower().replace("-", "_")
    if plain in OTHER_GENERATORS:
        return "warning", message, OTHER_GENERATORS[plain]
    return "warning", message, None


def _validate(
    data: dict[Any, Any], path: Path, key_lines: dict[str, int], require_title: bool
) -> tuple[PolicyMeta, list[Finding]]:
    checked = validate(
        FRONT_MATTER,
        data,
        path=path,
        line_of=key_lines.get,
        syntax=YAML,
        unknown=_unknown_key,
        aliases=ALIASES,
        col=1,
    )
    findings = checked.findings
    values = checked.values
    if (
        require_title
        and "title" not in values
        and not any(f.message.startswith("title") for f in findings)
    ):
        findings.append(
            Finding(
                "error",
                "the front matter has no title",
                path,
                1,
                None,
                "Add a line such as: title: Social Media Policy",
            )
        )
    raise_if_errors([f for f in findings if f.severity == "error"])
    values.setdefault("title", "")
    cycle, reviewed = values.get("review_cycle"), values.get("last_reviewed")
    if "next_review" not in values and cycle is not None and reviewed is not None:
        values["next_review"] = cycle.after(reviewed)
    return PolicyMeta(**values), [f for f in findings if f.severity != "error"]
