"""One error family for everything the office can get wrong, each carrying its file and line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class Finding:
    """One problem found in the input: an error stops a build, a warning does not (``--strict``
    makes it one), a note is an editorial reminder that ``policypress check`` lists."""

    severity: Severity
    message: str
    path: Path | None = None
    line: int | None = None
    col: int | None = None
    hint: str | None = None

    def location(self, root: Path | None = None) -> str:
        if self.path is None:
            return ""
        path = self.path
        if root is not None:
            try:
                path = self.path.resolve().relative_to(root.resolve())
            except ValueError:
                path = self.path
        parts = [path.as_posix()]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def format(self, root: Path | None = None) -> str:
        where = self.location(root)
        head = f"{where}: " if where else ""
        label = "" if self.severity == "error" else f"{self.severity}: "
        text = f"{head}{label}{self.message}"
        if self.hint:
            text += f"\n    {self.hint}"
        return text


class PolicyError(Exception):
    """An input problem the office can fix: it names the file, line and column, and the fix."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        path: Path | None = None,
        line: int | None = None,
        col: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.finding = Finding("error", message, path, line, col, hint)

    @property
    def message(self) -> str:
        return self.finding.message

    @property
    def path(self) -> Path | None:
        return self.finding.path

    @property
    def line(self) -> int | None:
        return self.finding.line

    def format(self, root: Path | None = None) -> str:
        return self.finding.format(root)

    @classmethod
    def from_finding(cls, finding: Finding) -> PolicyError:
        return cls(finding.message, finding.path, finding.line, finding.col, finding.hint)


class PolicyErrors(PolicyError):
    """Several problems reported together, so the office can fix them all in one go."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings = [f for f in findings if f.severity == "error"]
        first = self.findings[0] if self.findings else Finding("error", "the build failed")
        super().__init__(first.message, first.path, first.line, first.col, first.hint)

    def format(self, root: Path | None = None) -> str:
        lines = [f.format(root) for f in self.findings]
        count = len(self.findings)
        lines.append(f"{count} error{'s' if count != 1 else ''}: nothing was written.")
        return "\n".join(lines)


def raise_if_errors(findings: Iterable[Finding]) -> None:
    """Raise all the errors in ``findings`` at once, if there are any."""
    errors = [f for f in findings if f.severity == "error"]
    if len(errors) == 1:
        raise PolicyError.from_finding(errors[0])
    if errors:
        raise PolicyErrors(errors)
