"""Whoosh queries evaluated over numpy arrays: the same matches and BM25F scores, faster.

    arrays = QueryArrays(searcher)
    found = arrays.evaluate(whoosh_query)      # found.mask[docnum], found.scores[docnum]

Whoosh scores a query one posting at a time through a tree of Python matchers: at 10,000
cases a word in half of them costs hundreds of milliseconds (bench/README.md). Here each
posting list is read once per opened index into arrays (document numbers, term weights and,
for phrase fields, the encoded positions), and a query is a few array operations over all
documents at once: a Term is BM25F over its arrays, And/Or/AndMaybe combine masks and add
scores as Whoosh's matchers do, a Phrase checks positions only in the documents that can
still match. Scores are computed with Whoosh's own statistics (idf, average field length,
the byte-encoded field lengths) and formula, so rankings are Whoosh's
(tests/test_search_arrays.py compares them query by query).

Only the query shapes search/query.py builds are understood (Term, And, Or, AndMaybe,
Phrase, NullQuery); anything else raises TypeError rather than scoring differently.
Posting blocks and length columns are read through the internals of Whoosh-Reloaded 2.7.5's
W3 codec (the version pyproject.toml pins); another matcher is read one posting at a time,
another length column one document at a time.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from itertools import chain
from pickle import loads

import numpy as np
from whoosh import query as q
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.formats import Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

# Postings kept per opened index, in all lists together (least recently used lists dropped
# first). A query at 10,000 cases reads a few dozen lists of up to 10,000 postings; a posting
# with its encoded positions takes about 100 bytes, so this holds up to about 100 MB.
CACHED_POSTINGS = 1_000_000

_BYTE_TO_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


@dataclass(frozen=True)
class Found:
    """Which documents match (`mask`) and their scores (0.0 where they do not)."""

    mask: np.ndarray
    scores: np.ndarray


# A phrase checked in fewer documents than this decodes their positions one by one; in more,
# it decodes (once, then kept) every position of its words and compares them as arrays.
FEW_CANDIDATES = 64

# Positions are compared as document * POSITION_STRIDE + position (fields are shorter).
POSITION_STRIDE = 1 << 24


@dataclass
class Postings:
    """One term's posting list in one field, over the whole index."""

    docs: np.ndarray  # int64 document numbers, ascending
    weights: np.ndarray  # float64 term frequencies (Whoosh's weights)
    values: tuple  # encoded positions per posting (fields with positions), else ()
    _flat: np.ndarray | None = None

    def positions(self, docnum: int, field_format) -> list[int]:
        """The term's positions in one document that has it."""
        index = int(np.searchsorted(self.docs, docnum))
        return field_format.decode_positions(self.values[index])

    def flat_positions(self, field_format) -> np.ndarray:
        """Every occurrence as document * POSITION_STRIDE + position, ascending."""
        if self._flat is None:
            if type(field_format) is Positions:
                # Positions.decode_positions without its Python loop: each value is a
                # count and a pickled list of gaps (its final STOP byte maybe left off).
                lists = [loads(v[4:] if v[-1:] == b"." else v[4:] + b".") for v in self.values]
                counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
                gaps = np.fromiter(chain.from_iterable(lists), dtype=np.int64,
                                   count=int(counts.sum()))
                running = np.cumsum(gaps)
                ends = np.cumsum(counts)
                before = np.concatenate([[0], running[ends[:-1] - 1]]) if len(ends) else ends
                positions = running - np.repeat(before, counts)
            else:
                lists = [field_format.decode_positions(value) for value in self.values]
                counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
                positions = np.fromiter(chain.from_iterable(lists), dtype=np.int64,
                                        count=int(counts.sum()))
            self._flat = np.repeat(self.docs, counts) * POSITION_STRIDE + positions
        return self._flat


class QueryArrays:
    """Array evaluation of Whoosh queries over one opened searcher."""

    def __init__(self, searcher) -> None:
        self._searcher = searcher
        self._reader = searcher.reader()
        self._schema = searcher.schema
        self.size = self._reader.doc_count_all()
        weighting = searcher.weighting
        if type(weighting) is not BM25F:
            raise TypeError(f"array scoring reproduces BM25F only, not {weighting!r}")
        self._weighting = weighting
        self._leaves = searcher.subsearchers or [(searcher, 0)]
        alive = np.ones(self.size, dtype=bool)
        for leaf, offset in self._leaves:
            for docnum in _deleted(leaf.reader()):
                alive[offset + docnum] = False
        self.alive = alive
        self._postings: OrderedDict[tuple[str, bytes], Postings] = OrderedDict()
        self._cached = 0  # postings in self._postings
        self._lengths: dict[str, np.ndarray] = {}

    # --- evaluation -------------------------------------------------------------------------

    def evaluate(self, query: q.Query, within: np.ndarray | None = None) -> Found:
        """Matches and scores of `query`, as Whoosh's matchers give them.

        `within` (a mask) says which documents the caller will look at: positions are read
        only there. Outside it a phrase may be missed; everywhere inside it is exact.
        """
        kind = type(query)
        if kind is q.Term:
            return self._term(query.fieldname, query.text, query.boost)
        if query is q.NullQuery or kind is type(q.NullQuery):
            return self._empty()
        if kind in (q.And, q.Or):
            subs = query.subqueries
            if not subs:
                return self._empty()
            if len(subs) == 1:  # Whoosh uses the one subquery's matcher, without the boost
                return self.evaluate(subs[0], within)
            if kind is q.Or and (query.scale or query.minmatch):
                raise TypeError(f"array scoring does not support {query!r}")
            if kind is q.And:
                found = [self.evaluate(subs[0], within)]
                mask = found[0].mask.copy()
                for sub in subs[1:]:
                    found.append(self.evaluate(sub, mask if within is None else mask & within))
                    mask &= found[-1].mask
            else:
                found = [self.evaluate(sub, within) for sub in subs]
                mask = np.logical_or.reduce([f.mask for f in found])
            scores = np.add.reduce([f.scores for f in found])
            if query.boost != 1.0:
                scores = scores * query.boost
            return Found(mask, np.where(mask, scores, 0.0))
        if kind is q.AndMaybe:
            required = self.evaluate(query.a, within)
            optional = self.evaluate(
                query.b, required.mask if within is None else required.mask & within)
            return Found(required.mask, required.scores + np.where(required.mask,
                                                                   optional.scores, 0.0))
        if kind is q.Phrase:
            return self._phrase(query, within)
        raise TypeError(f"array scoring does not support {type(query).__name__}: {query!r}")

    def docs(self, query: q.Query | None) -> np.ndarray:
        """Mask of the live documents matching `query` (every live one for None)."""
        if query is None:
            return self.alive.copy()
        return self.evaluate(query).mask & self.alive

    def _empty(self) -> Found:
        return Found(np.zeros(self.size, dtype=bool), np.zeros(self.size))

    def _term(self, field: str, text: str, boost: float) -> Found:
        postings = self.postings(field, text)
        mask = np.zeros(self.size, dtype=bool)
        scores = np.zeros(self.size)
        if postings is None:
            return Found(mask, scores)
        mask[postings.docs] = True
        scores[postings.docs] = self._term_scores(field, text, postings)
        if boost != 1.0:
            scores *= boost
        return Found(mask, scores)

    def _term_scores(self, field: str, text: str, postings: Postings) -> np.ndarray:
        """Whoosh's BM25FScorer._score for each posting (WeightScorer if not scorable)."""
        if not self._schema[field].scorable:
            return postings.weights
        weighting = self._weighting
        b = weighting._field_B.get(field, weighting.B)
        k1 = weighting.K1
        idf = self._searcher.idf(field, self._schema[field].to_bytes(text))
        avgfl = self._searcher.avg_field_length(field) or 1
        tf = postings.weights
        fl = self.lengths(field)[postings.docs]
        # bm25() in whoosh/scoring.py, operation for operation (the same floats).
        return idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))

    def _phrase(self, query: q.Phrase, within: np.ndarray | None) -> Found:
        """Words at consecutive positions (Whoosh's Phrase: SpanNear2, slop 1, ordered)."""
        if query.slop != 1:
            raise TypeError(f"array scoring supports phrases of slop 1 only: {query!r}")
        field, words = query.fieldname, list(query.words)
        field_format = self._schema[field].format
        if not field_format.supports("positions"):
            # Whoosh raises QueryError here; say the same thing in our terms.
            raise TypeError(f"phrase search in {field!r}, which has no positions")
        lists = [self.postings(field, word) for word in words]
        if any(p is None for p in lists):
            return self._empty()
        terms = [self._term(field, word, 1.0) for word in words]
        candidates = np.logical_and.reduce([t.mask for t in terms])
        if within is not None:
            candidates &= within
        mask = np.zeros(self.size, dtype=bool)
        found = np.flatnonzero(candidates)
        if len(found) < FEW_CANDIDATES:
            for docnum in found:
                spots = [set(p.positions(docnum, field_format)) for p in lists]
                if any(all(start + i in spots[i] for i in range(1, len(spots)))
                       for start in spots[0]):
                    mask[docnum] = True
        else:
            # Start positions of the phrase: word i at start + i for every i.
            starts = lists[0].flat_positions(field_format)
            starts = starts[candidates[starts // POSITION_STRIDE]]
            for i, postings in enumerate(lists[1:], start=1):
                starts = np.intersect1d(starts, postings.flat_positions(field_format) - i,
                                        assume_unique=True)
            mask[starts // POSITION_STRIDE] = True
        scores = np.add.reduce([t.scores for t in terms])
        if query.boost != 1.0:
            scores = scores * query.boost
        return Found(mask, np.where(mask, scores, 0.0))

    # --- reading the index ------------------------------------------------------------------

    def postings(self, field: str, text: str) -> Postings | None:
        """The term's postings over all segments (deleted documents left out), or None."""
        if field not in self._schema:
            return None
        try:
            btext = self._schema[field].to_bytes(text)
        except ValueError:
            return None
        key = (field, btext)
        cached = self._postings.get(key)
        if cached is not None:
            self._postings.move_to_end(key)
            return cached
        if key not in self._reader:
            return None
        with_values = self._schema[field].format.supports("positions")
        docs, weights, values = [], [], []
        for leaf, offset in self._leaves:
            reader = leaf.reader()
            if (field, btext) not in reader:
                continue
            ids, ws, vs = _read_postings(reader.postings(field, btext), with_values)
            docs.append(ids + offset)
            weights.append(ws)
            values.extend(vs)
        found = Postings(np.concatenate(docs), np.concatenate(weights), tuple(values))
        if not self.alive.all():
            keep = self.alive[found.docs]
            found = Postings(found.docs[keep], found.weights[keep],
                             tuple(v for v, k in zip(found.values, keep, strict=False) if k))
        self._postings[key] = found
        self._cached += len(found.docs)
        while self._cached > CACHED_POSTINGS and len(self._postings) > 1:
            _, dropped = self._postings.popitem(last=False)
            self._cached -= len(dropped.docs)
        return found

    def lengths(self, field: str) -> np.ndarray:
        """Each document's length in `field` as Whoosh's scorer sees it (1 if it has none)."""
        if field not in self._lengths:
            parts = [_leaf_lengths(leaf.reader(), field) for leaf, _ in self._leaves]
            self._lengths[field] = np.concatenate(parts) if parts else np.ones(0)
        return self._lengths[field]


def _read_postings(matcher, with_values: bool) -> tuple[np.ndarray, np.ndarray, list]:
    """Document numbers, weights and (if asked) values of a segment's posting list.

    Whoosh's W3 postings are read block by block (a block's ids, weights and values are
    one pickled tuple); any other matcher one posting at a time.
    """
    if isinstance(matcher, FilterMatcher):
        # Deletions: the caller drops them with its alive mask. The filter has already moved
        # its child past any deleted first postings: start the child again.
        matcher = matcher.child
        matcher.reset()
    if type(matcher) is W3LeafMatcher and not matcher._byteids:
        ids, weights, values = [], [], []
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            ids.append(np.cumsum(np.asarray(matcher._data[0], dtype=np.int64)))
            # As W3LeafMatcher._read_weights: None is all 1.0, one float is every weight.
            stored = matcher._data[1]
            if stored is None or isinstance(stored, float):
                weights.append(np.full(matcher._blocklength, 1.0 if stored is None
                                       else float(np.float32(stored))))  # array("f")
            else:
                weights.append(np.asarray(stored, dtype=np.float64))
            if with_values:
                matcher._read_values()
                values.extend(matcher._values)
            matcher._next_block()
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros(0), values
        return np.concatenate(ids), np.concatenate(weights), values
    ids, weights, values = [], [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if with_values:
            values.append(matcher.value())
        matcher.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64), values


def _deleted(reader) -> list[int]:
    """Deleted document numbers of one segment."""
    if not reader.has_deletions():
        return []
    found = getattr(reader, "deleted_docs_set", None)
    if found is not None:
        return sorted(found)
    return [d for d in range(reader.doc_count_all()) if reader.is_deleted(d)]


def _leaf_lengths(reader, field: str) -> np.ndarray:
    """One segment's field lengths, decoded from its length column in one read."""
    count = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None)
    column = None
    if perdoc is not None and hasattr(perdoc, "_cached_reader"):
        column = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None or not hasattr(column, "_dbfile"):
        return np.array([reader.doc_field_length(d, field, 1) or 1 for d in range(count)],
                        dtype=np.float64)
    stored = min(column._count, count)
    raw = np.zeros(count, dtype=np.uint8)
    if stored:
        raw[:stored] = np.frombuffer(column._dbfile.get(column._basepos, stored), dtype=np.uint8)
    lengths = _BYTE_TO_LENGTH[raw]
    # Whoosh's doc_field_length gives None for a zero byte and the scorer's default (1)
    # only when the column is missing; documents without the field have no postings in it,
    # so their length is never used.
    lengths[raw == 0] = 1.0
    return lengths
