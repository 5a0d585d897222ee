"""The /prep/ page's data, in parts a browser loads only when a sheet needs them.

prep.js ranks the published cases as casebook/prep.py's `rank()` does. What it needs for that,
and what it downloads when:

- opening the page: `prep-data.js` — weights, limits, vocabulary, wall guides, the seven steps,
  the checklist, and each case's facets as numbers (its terms' places in the vocabulary);
  about 20 bytes a case;
- making a sheet: the **pair parts** holding the request's character pairs, and the **case
  parts** holding the display text (alias, title, one line of 設定された課題 …) of the top
  hits.

The text similarity only asks whether a character pair of the request occurs in a case's
folded 当初の相談 or 設定された課題 (prep.py: `_Query`), so a pair part is an inverted index:
for each pair, the cases whose texts hold it and in which of the two. A one-character request
asks whether that character occurs at all: it does if a pair starts with it or the text ends
with it, so each text's last character is indexed too, and a pair's part is chosen by its
first character (the code point modulo the number of parts), which puts everything a
one-character request needs in one part.

A case list is written compactly: each case as the gap from the previous case in the list
(its place in the index minus the previous one's, minus one) times three plus where the pair
occurs (0 当初の相談, 1 設定された課題, 2 both), as a base-32 number whose last digit comes
from TERMINAL and the others from MORE — so it needs no separator. prep.js decodes the same.

Every part is a script calling `window.casebookPrepPart(name, data)`, so the page works from
file:// (where it cannot fetch JSON) and parts load by adding a script element.
"""

from __future__ import annotations

import hashlib
import json

from casebook.prep import PROFILE_FACETS, PrepCase, PrepIndex
from casebook.prep_page import PREP_DATA

PARTS_DIR = "assets/casebook/prep"
# The pair parts: about this many bytes each, at most this many parts. A 30-character
# request touches some 25 parts.
PAIR_PART_BYTES = 8_000
MAX_PAIR_PARTS = 1024
# Display text of this many cases (in index order) per case part.
CASE_PART_SIZE = 25

TERMINAL = "0123456789abcdefghijklmnopqrstuv"
MORE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%&*"
IN_REQUEST, IN_CHALLENGE = 1, 2


def pair_part_uri(number: int) -> str:
    return f"{PARTS_DIR}/pairs-{number}.js"


def case_part_uri(number: int) -> str:
    return f"{PARTS_DIR}/cases-{number}.js"


def number_text(value: int) -> str:
    """A number ≥ 0 as base-32 digits, the last from TERMINAL, the others from MORE."""
    digits = [TERMINAL[value % 32]]
    value //= 32
    while value:
        digits.append(MORE[value % 32])
        value //= 32
    return "".join(reversed(digits))


def read_numbers(text: str) -> list[int]:
    """The numbers of `number_text`s written one after another (the tests' and bench's check)."""
    numbers, value = [], 0
    for char in text:
        if char in MORE:
            value = value * 32 + MORE.index(char)
        else:
            numbers.append(value * 32 + TERMINAL.index(char))
            value = 0
    return numbers


def keys(folded: str) -> set[str]:
    """What a folded text is indexed under: its character pairs and its last character."""
    if not folded:
        return set()
    return {folded[i:i + 2] for i in range(len(folded) - 1)} | {folded[-1]}


def postings(cases: list[PrepCase]) -> dict[str, str]:
    """Each key, and the cases (by place in the index) whose texts hold it, encoded."""
    found: dict[str, list[tuple[int, int]]] = {}
    for order, case in enumerate(cases):
        request, challenge = keys(case.request), keys(case.challenge)
        for key in request | challenge:
            where = (IN_REQUEST if key in request else 0) | (IN_CHALLENGE if key in challenge
                                                                else 0)
            found.setdefault(key, []).append((order, where))
    encoded = {}
    for key in sorted(found):
        previous, text = -1, []
        for order, where in found[key]:
            text.append(number_text((order - previous - 1) * 3 + where - 1))
            previous = order
        encoded[key] = "".join(text)
    return encoded


def pair_part_count(total_bytes: int) -> int:
    """A power of two, so that parts are about PAIR_PART_BYTES."""
    count = 1
    while count < MAX_PAIR_PARTS and total_bytes / count > PAIR_PART_BYTES:
        count *= 2
    return count


def pair_part(key: str, parts: int) -> int:
    """The part holding a key: its first character's code point modulo the part count."""
    return ord(key[0]) % parts


def _script(call: str, *arguments: object) -> str:
    # ensure_ascii=False keeps Japanese at 3 bytes a character; json escapes "<" nowhere,
    # which is safe in a script file (never inline in a page).
    return f"{call}(" + ",".join(json.dumps(a, ensure_ascii=False, separators=(",", ":"))
                                  for a in arguments) + ");\n"


def _facets(index: PrepIndex) -> dict[str, list]:
    """Each case's terms as places in the vocabulary's term lists (-1: none), by facet."""
    place = {name: {t.slug: i for i, t in enumerate(index.vocabulary[name].terms)}
             for name in PROFILE_FACETS}
    return {
        "industry": [place["industry"].get(c.industry, -1) for c in index.cases],
        "employees": [place["employees"].get(c.employees, -1) for c in index.cases],
        "prefecture": [place["prefecture"].get(c.prefecture, -1) for c in index.cases],
        "theme": [[place["theme"][s] for s in c.themes] for c in index.cases],
        "wall": [[place["wall"][s] for s in c.walls] for c in index.cases],
    }


def prep_files(index: PrepIndex) -> dict[str, str]:
    """Every file of the /prep/ page's data, by path in the site."""
    encoded = postings(index.cases)
    total = sum(len(k.encode()) + len(v) + 6 for k, v in encoded.items())
    parts = pair_part_count(total)
    pair_parts: list[dict[str, str]] = [{} for _ in range(parts)]
    for key, text in encoded.items():
        pair_parts[pair_part(key, parts)][key] = text
    case_parts = [index.cases[start:start + CASE_PART_SIZE]
                  for start in range(0, len(index.cases), CASE_PART_SIZE)]
    data = index.to_data()
    data["count"] = len(index.cases)
    data["facets"] = _facets(index)
    files = {}
    for number, part in enumerate(pair_parts):
        files[pair_part_uri(number)] = _script("casebookPrepPart", f"pairs-{number}", part)
    for number, cases in enumerate(case_parts):
        files[case_part_uri(number)] = _script("casebookPrepPart", f"cases-{number}", [
            [c.id, c.alias, c.title, c.kind, c.url, c.summary, c.change, c.questions]
            for c in cases])
    # The parts' addresses carry a digest of them all (?v=…): a browser that kept parts of
    # an earlier build fetches this build's, which match this prep-data.js.
    digest = hashlib.sha256()
    for path, text in files.items():
        digest.update(f"{path}\0{text}\0".encode())
    data["parts"] = {"dir": PARTS_DIR, "pairs": parts, "cases": CASE_PART_SIZE,
                     "version": digest.hexdigest()[:12], "terminal": TERMINAL, "more": MORE}
    return {PREP_DATA: "window.casebookPrepData = " + json.dumps(
        data, ensure_ascii=False, separators=(",", ":")) + ";\n", **files}
