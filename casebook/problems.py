"""Problems found in user files, reported together with file, line, field and a suggestion."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one place: `cases/x.md:11: walls: unknown wall '見えな' — …`."""

    path: str
    line: int
    field: str
    message: str
    value: str = ""
    suggestion: str | None = None
    # What a tool acting on the problem needs, apart from the wording of the message: for an
    # anonymisation finding, its kind ("phone", "person" …) and the 1-based column of `value`
    # on its line in the file (casebook/fixes.py proposes replacements from these).
    kind: str = ""
    column: int = 0

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f"{self.field}: {self.message}" if self.field else self.message
        if self.suggestion:
            what += f" — did you mean '{self.suggestion}'?"
        return f"{where}: {what}"


class CheckError(Exception):
    """Raised with every problem of a run, so the user can fix them all at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


def closest(value: str, candidates: list[str]) -> str | None:
    """The candidate nearest to `value`, or None if nothing is reasonably close."""
    if not value or not candidates:
        return None
    matches = difflib.get_close_matches(value, candidates, n=1, cutoff=0.5)
    if matches:
        return matches[0]
    # Short Japanese words differ by a kana or two: fall back to a shared-prefix match.
    prefixed = [c for c in candidates if c.startswith(value) or value.startswith(c)]
    return min(prefixed, key=len) if prefixed else None


def type_name(value: object) -> str:
    """How an error message names the YAML type of a wrong value."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return type(value).__name__
