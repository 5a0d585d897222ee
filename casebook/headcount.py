"""A head count in what someone types (「30人」「従業員30名」) → the 従業員規模 band that holds it.

The bands are the vocabulary's own labels ("21-50", "301+"), so a new band needs no code. The
in-browser search does the same with the bands of its filter values (search.js, headCount).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from casebook.vocabulary import Term

HEAD_COUNT = re.compile(
    r"(?:従業員|社員|職員|スタッフ)?\s*(\d+)\s*(?:人|名)(?:規模|程度|ほど|くらい|ぐらい)?")
_BAND = re.compile(r"(\d+)\s*(?:[-〜~]\s*(\d+)|(\+|人以上))\s*人?")


def head_count_band(text: str, bands: Iterable[Term]) -> tuple[Term, str] | None:
    """The band holding the first head count in `text`, and the text without it; else None."""
    folded = unicodedata.normalize("NFKC", text)
    match = HEAD_COUNT.search(folded)
    if match is None:
        return None
    number = int(match.group(1))
    for term in bands:
        band = _BAND.fullmatch(term.label)
        if band is None:
            continue
        low, high, open_ended = band.groups()
        if number >= int(low) and (open_ended or number <= int(high)):
            rest = f"{folded[:match.start()]} {folded[match.end():]}".strip()
            return term, rest
    return None
