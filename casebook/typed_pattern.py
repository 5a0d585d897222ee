"""A regular expression over NFKC-folded text, rewritten to match the text as it is typed.

`casebook check` folds a value (NFKC: ３０ → 30, ～ → ~) before matching it against a grammar
such as casebook/headcount.py's HEAD_COUNT; an editor validating with a JSON Schema `pattern`
sees the value as typed. `typed_pattern(HEAD_COUNT.pattern)` is that grammar with every literal
character and class widened to the characters NFKC folds into it, written in the syntax both
Python's `re` and ECMA-262 (with or without the `u` flag) read, so the schema is generated from
the one grammar rather than copied from it.

Only the few constructs such a grammar uses are understood: literals, `[…]` classes with
ranges, `(…)`, `(?:…)`, `|`, `?`, `*`, `+`, `{m,n}` and `\\s`; anything else is refused (a
ValueError), so a grammar that grows past them fails the schema's tests rather than a reader.
A character NFKC folds into several (⑳ → 20) and characters outside the Basic Multilingual
Plane (which ECMA-262 without `u` reads as two) are not added: the schema accepts slightly
less than the check there, and the check stays the judge.
"""

from __future__ import annotations

import unicodedata
from functools import cache

# Pattern syntax passed through as it is (a group's '(?:' is handled on its own).
_SYNTAX = frozenset("()|?*+{},0123456789")
# Characters that must be escaped to stand for themselves outside and inside a class.
_ESCAPE = frozenset("\\^$.*+?()[]{}|/")
_ESCAPE_IN_CLASS = frozenset("\\]^-[")


@cache
def _typed_forms() -> dict[str, tuple[str, ...]]:
    """For each character, the other BMP characters NFKC folds into it alone (0 ← ０ ⁰ ①)."""
    forms: dict[str, list[str]] = {}
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char)
        if len(folded) == 1 and folded != char:
            forms.setdefault(folded, []).append(char)
    return {folded: tuple(chars) for folded, chars in forms.items()}


def typed_pattern(pattern: str) -> str:
    """`pattern` (over NFKC-folded text) as a pattern over the unfolded text."""
    out: list[str] = []
    at = 0
    in_braces = False
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            escaped = pattern[at + 1:at + 2]
            if escaped == "s":
                out.append("\\s")
            elif escaped and not escaped.isalnum():
                out.append(_class({escaped}))
            else:
                raise ValueError(f"typed_pattern: escape '\\{escaped}' is not supported")
            at += 2
        elif char == "[":
            end = pattern.find("]", at + 2)  # a ']' right after '[' would be a member
            if end < 0:
                raise ValueError("typed_pattern: unclosed '['")
            out.append(_class(_members(pattern[at + 1:end])))
            at = end + 1
        elif pattern.startswith("(?", at):
            if not pattern.startswith("(?:", at):
                raise ValueError(f"typed_pattern: group '{pattern[at:at + 3]}' is not supported")
            out.append("(?:")
            at += 3
        elif char in _SYNTAX and (in_braces or not char.isdigit() and char != ","):
            in_braces = (in_braces or char == "{") and char != "}"
            out.append(char)
            at += 1
        elif char in "^$.":
            raise ValueError(f"typed_pattern: '{char}' is not supported")
        else:
            out.append(_class({char}))
            at += 1
    return "".join(out)


def _members(body: str) -> set[str]:
    """The characters a class body ('0-9', '-〜~') holds."""
    if body.startswith("^"):
        raise ValueError("typed_pattern: a negated class is not supported")
    chars: list[str] = []
    at = 0
    while at < len(body):
        if body[at] == "\\":
            escaped = body[at + 1:at + 2]
            if not escaped or escaped.isalnum():
                raise ValueError(f"typed_pattern: escape '\\{escaped}' in a class is not "
                                 "supported")
            chars.append(escaped)
            at += 2
        elif body[at] == "-" and chars and at + 1 < len(body):
            high = body[at + 2] if body[at + 1] == "\\" else body[at + 1]
            chars.extend(chr(code) for code in range(ord(chars[-1]) + 1, ord(high) + 1))
            at += 3 if body[at + 1] == "\\" else 2
        else:
            chars.append(body[at])
            at += 1
    return set(chars)


def _class(chars: set[str]) -> str:
    """A class of `chars` and every character NFKC folds into one of them, ranges merged."""
    forms = _typed_forms()
    codes = sorted({ord(c) for char in chars for c in (char, *forms.get(char, ()))})
    if len(codes) == 1:
        char = chr(codes[0])
        return "\\" + char if char in _ESCAPE else char
    runs: list[tuple[int, int]] = []
    for code in codes:
        if runs and code == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], code)
        else:
            runs.append((code, code))

    def shown(code: int) -> str:
        char = chr(code)
        return "\\" + char if char in _ESCAPE_IN_CLASS else char

    return "[" + "".join(shown(low) if low == high else
                         shown(low) + ("-" if high > low + 1 else "") + shown(high)
                         for low, high in runs) + "]"
