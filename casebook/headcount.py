"""A head count someone types (「30人」「従業員30名」「約30人」「21〜50人」) → the 従業員規模 band.

One grammar for every reader of a head count: a value of the 従業員規模 facet wherever one is
looked up (Facet.get: a case's `employees:`, `casebook new`, `casebook prep --employees`) and a
head count inside a search query (search/searcher.py).
The browser repeats it once, in plugins/overrides/assets/casebook/headcount.js, which the
search box (search.js) and /prep/ (prep.js) both read; tests/test_headcount.py holds the one
table of inputs that Python and both pages are checked against. The editor schema's pattern is
generated from HEAD_COUNT (casebook/typed_pattern.py), not copied.

A head count is a range: 「30人」 is 30 to 30, 「5人以下」 1 to 5, 「301人以上」 301 and
up. Its band is the one that holds the whole range, so 「300人以上」 and 「20〜30人」,
which straddle two bands, have none. In a query the unit (人/名) is required, since 「30代」
「2024年」 are no head counts; a field holds nothing else, so a bare 「30」 is one. The bands
are the vocabulary's own labels, read by the same grammar ("21-50", "301+", "1-20人",
"301人以上"), so a new band needs no code.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # vocabulary.py reads head counts with this module
    from casebook.vocabulary import Term

# Groups: 1 low, 2 high (a range), 3 unit, 4 bound. Text folded by NFKC first (３０ → 30,
# ～ → ~). headcount.js carries the same pattern. Every \s* is followed by a token it
# needs, so a long run of spaces costs linear time (no two \s* can share the same spaces).
HEAD_COUNT = re.compile(
    r"(?:(?:従業員|社員|職員|スタッフ)数?\s*)?(?:(?:約|およそ|ほぼ)\s*)?([0-9]+)"
    r"(?:\s*[-〜~]\s*([0-9]+))?(?:\s*(人|名))?(?:\s*(以上|以下|未満|\+))?"
    r"(?:規模|程度|ほど|くらい|ぐらい|前後)?")


def counts_heads(terms: Iterable[Term]) -> bool:
    """Whether a facet's terms are head-count bands, so that a head count is one of its values
    (the editor schema then accepts one: casebook/editor_schema.py)."""
    return any(HEAD_COUNT.fullmatch(unicodedata.normalize("NFKC", t.label).strip())
               for t in terms)


def band_of_value(value: str, bands: Iterable[Term]) -> Term | None:
    """The band of a field value that is a head count (30, 30名, 約30人, 21〜50人); else None."""
    match = HEAD_COUNT.fullmatch(unicodedata.normalize("NFKC", value).strip())
    return _band(match, bands) if match else None


def head_count_band(text: str, bands: Iterable[Term]) -> tuple[Term, str] | None:
    """The band holding the first head count (with 人/名) in `text`, and the text without it."""
    folded = unicodedata.normalize("NFKC", text)
    match = next((m for m in HEAD_COUNT.finditer(folded) if m.group(3)), None)
    if match is None:
        return None
    term = _band(match, bands)
    if term is None:
        return None
    return term, " ".join(f"{folded[:match.start()]} {folded[match.end():]}".split())


def _band(match: re.Match[str], bands: Iterable[Term]) -> Term | None:
    low, high = _range(match)
    if low > high:
        return None
    for term in bands:
        band = HEAD_COUNT.fullmatch(unicodedata.normalize("NFKC", term.label).strip())
        if band is None:
            continue
        band_low, band_high = _range(band)
        if band_low <= low and high <= band_high:
            return term
    return None


def _range(match: re.Match[str]) -> tuple[int, float]:
    """The head counts a match stands for, lowest and highest (inf: no upper end); none
    (low > high) for a number of more than 9 digits, which no business employs."""
    if len(match.group(1)) > 9 or len(match.group(2) or "") > 9:
        return 1, 0
    low = int(match.group(1))
    high: float = int(match.group(2)) if match.group(2) else low
    bound = match.group(4)
    if bound in ("以上", "+"):
        high = math.inf
    elif bound == "以下":
        low = 1
    elif bound == "未満":
        low, high = 1, high - 1
    return low, high
