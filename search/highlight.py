"""Snippets: the line of a case where the query words are, with the hits marked.

Case bodies are bullets and short paragraphs, so the unit is a line: the line holding the most
distinct query words (the first such), cut to SNIPPET_CHARS around its first hit. Lines are
analysed with the index's own analyzer, one at a time, stopping at a line that holds every
word — Sudachi runs on a few lines per hit, not on the whole case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from casebook.html import Markup, escape, html
from search.analysis import KEPT_AUXILIARIES, bigram_analyzer, japanese_analyzer

SNIPPET_CHARS = 120
# Context kept before the first hit when a line is cut.
LEAD_CHARS = 30
# Hits this close are marked as one span: 【付いて来ない】, not 【付い】て【来】【ない】.
MERGE_GAP = 1
_JOINER = re.compile(r"[ぁ-ゖ]*")  # particles and okurigana between two hits


class Snippet(NamedTuple):
    plain: str  # hits in 【】, for terminals
    html: str  # hits in <mark>, text escaped


def snippets(text: str, words: Iterable[str], *, bigrams: bool = False) -> Snippet:
    """The best passage of `text` for `words`; empty strings when no word occurs."""
    terms = frozenset(words)
    if not text or not terms:
        return Snippet("", "")
    analyzer = bigram_analyzer() if bigrams else japanese_analyzer()
    best: tuple[int, str, list[tuple[int, int]]] | None = None
    for line in text.splitlines():
        if not line.strip():
            continue
        found, spans = _hits(analyzer, line, terms)
        if found and (best is None or len(found) > best[0]):
            best = (len(found), line, spans)
            if len(found) == len(terms):
                break
    if best is None:
        return Snippet("", "")
    _, line, spans = best
    return _format(line, _merged(spans, line))


def _hits(analyzer, line: str, terms: frozenset[str]) -> tuple[set[str], list[tuple[int, int]]]:
    """Query terms found in one line and their character spans.

    A negation (ない) counts only right after another hit: 付いて来【ない】 yes, 見え【ない】 for
    a query about 付いてこない no.
    """
    found: set[str] = set()
    spans: list[tuple[int, int]] = []
    previous_pos, previous_hit = None, False
    for t in analyzer(line, positions=True, chars=True, mode="index"):
        hit = t.text in terms
        if hit and t.text in KEPT_AUXILIARIES:
            hit = previous_hit and previous_pos is not None and t.pos == previous_pos + 1
        previous_hit = hit or (previous_hit and t.pos == previous_pos)
        previous_pos = t.pos
        if hit:
            found.add(t.text)
            spans.append((t.startchar, t.endchar))
    if found and found <= KEPT_AUXILIARIES:
        return set(), []
    return found, spans


def _merged(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if merged:
            last = merged[-1]
            if start - last[1] <= MERGE_GAP and _JOINER.fullmatch(text[last[1] : max(start,
                                                                                 last[1])]):
                last[1] = max(last[1], end)
                continue
        merged.append([start, end])
    return [(start, end) for start, end in merged]


def _format(line: str, spans: list[tuple[int, int]]) -> Snippet:
    start = 0
    if len(line) > SNIPPET_CHARS:
        start = max(0, min(spans[0][0] - LEAD_CHARS, len(line) - SNIPPET_CHARS))
    end = min(len(line), start + SNIPPET_CHARS)
    plain, marked = [], []
    index = start
    for span_start, span_end in spans:
        if span_start < index or span_start >= end:
            continue
        span_end = min(span_end, end)
        plain += [line[index:span_start], "【", line[span_start:span_end], "】"]
        marked.append(html("{}<mark>{}</mark>", line[index:span_start],
                           line[span_start:span_end]))
        index = span_end
    plain.append(line[index:end])
    marked.append(escape(line[index:end]))
    before = "…" if start > 0 else ""
    after = "…" if end < len(line) else ""
    return Snippet(before + "".join(plain).strip() + after,
                   before + str(Markup("").join(marked)).strip() + after)
