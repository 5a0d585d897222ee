"""From what a supporter types to Whoosh queries: words, AND/OR/bigram plans and filters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from whoosh import query as q

from search.analysis import query_bigrams, query_words
from search.schema import FIELD_BOOSTS

# A query of at least LONG_QUERY_CHUNKS space-separated parts, or LONG_QUERY_WORDS words
# (a sentence typed without spaces), falls back to OR ranking when AND finds fewer than
# MIN_AND_HITS cases: a long description of a situation rarely matches every word. One
# part such as 付いてこない (付く 来る ない) is one thing the user asked for, not three.
LONG_QUERY_CHUNKS = 3
LONG_QUERY_WORDS = 5
MIN_AND_HITS = 3

# A space-separated part of more words than this is a sentence, not one thing asked for.
CHUNK_MAX_WORDS = 4

# Extra weight for a multi-word part (付いてこない → 付く 来る ない, 資金繰り → 資金 繰り) found
# as a phrase: AND alone also matches 付く and 来る far apart. Phrases in the short fields
# count for every match; in body only for the RERANK_DEPTH best, since matching phrases in
# every body is most of a query's time at 10,000 cases (bench/search.py: AND median 660 ms
# with body phrases over all matches, 136 ms without) for the same ranking at the top.
PHRASE_BOOST = 2.0
PHRASE_FIELDS = frozenset({"title", "facets_text"})
RERANK_FIELDS = frozenset({"body"})
RERANK_DEPTH = 50


@dataclass(frozen=True)
class ParsedQuery:
    """A query cut into whitespace-separated chunks, each analysed into index words."""

    text: str
    chunks: tuple[tuple[str, ...], ...]
    bigram_chunks: tuple[tuple[str, ...], ...]

    @property
    def words(self) -> list[str]:
        """Distinct words in the order typed."""
        return list(dict.fromkeys(w for chunk in self.chunks for w in chunk))

    @property
    def is_long(self) -> bool:
        return len(self.chunks) >= LONG_QUERY_CHUNKS or len(self.words) >= LONG_QUERY_WORDS


def parse(text: str) -> ParsedQuery:
    """Cut what the user typed into chunks at whitespace and analyse each chunk."""
    raw = text.split()
    chunks = tuple(c for c in (tuple(query_words(part)) for part in raw) if c)
    bigrams = tuple(c for c in (tuple(query_bigrams(part)) for part in raw) if c)
    return ParsedQuery(text=text, chunks=chunks, bigram_chunks=bigrams)


def word_query(word: str, boosts: Mapping[str, float] = FIELD_BOOSTS) -> q.Query:
    """One word in any of the fields, each weighted by its boost (BM25F-style)."""
    return q.Or([q.Term(field, word, boost=boost) for field, boost in boosts.items()])


def phrase_query(
    parsed: ParsedQuery, boosts: Mapping[str, float], fields: frozenset[str] = PHRASE_FIELDS
) -> q.Query | None:
    """Each multi-word part as a phrase in `fields`; None if there is nothing to look for."""
    phrases = [
        q.Phrase(field, list(chunk), boost=PHRASE_BOOST * boost)
        for chunk in parsed.chunks if len(chunk) > 1
        for field, boost in boosts.items() if field in fields
    ]
    return q.Or(phrases) if phrases else None


def _with_phrases(
    query: q.Query, parsed: ParsedQuery, boosts: Mapping[str, float]
) -> q.Query:
    phrases = phrase_query(parsed, boosts)
    return q.AndMaybe(query, phrases) if phrases else query


def and_query(parsed: ParsedQuery, boosts: Mapping[str, float] = FIELD_BOOSTS) -> q.Query:
    """Every word somewhere in the case; parts found as phrases rank higher."""
    required = q.And([word_query(w, boosts) for w in parsed.words])
    return _with_phrases(required, parsed, boosts)


def or_parts(parsed: ParsedQuery, boosts: Mapping[str, float] = FIELD_BOOSTS) -> list[q.Query]:
    """The parts the user typed, each one thing asked for.

    A part is what stands between spaces: 社員が付いてこない is one part, matched as a whole
    (all of 社員 付く 来る ない) and weighted as one word. A part of more than CHUNK_MAX_WORDS
    words is a sentence, and any of its words match it; so is a query typed without spaces.
    """
    chunks = parsed.chunks if len(parsed.chunks) > 1 else tuple((w,) for w in parsed.words)
    return [
        q.And([word_query(w, boosts) for w in chunk], boost=1 / len(chunk))
        if len(chunk) <= CHUNK_MAX_WORDS
        else q.Or([word_query(w, boosts) for w in chunk], boost=1 / len(chunk))
        for chunk in chunks
    ]


def or_query(parsed: ParsedQuery, boosts: Mapping[str, float] = FIELD_BOOSTS) -> q.Query:
    """Any part of the query; parts found as phrases rank higher."""
    return _with_phrases(q.Or(or_parts(parsed, boosts)), parsed, boosts)


def filter_query(filters: Mapping[str, Sequence[str]]) -> q.Query | None:
    """Slugs OR-ed within a facet, facets AND-ed: wall=見えない|付いてこない AND industry=E."""
    groups = [
        q.Or([q.Term(facet, slug) for slug in slugs])
        for facet, slugs in filters.items()
        if slugs
    ]
    return q.And(groups) if groups else None
