"""Related cases: scored by the facet terms two cases share, plus how alike their text is.

In the spirit of Hugo's related content: each facet has a weight, a shared term adds its
facet's weight, and text similarity (cosine of the cases' keywords, counted from the one
analysis of their text and scaled to 0..1) adds up to the "text" weight. Walls weigh most
because a supporter preparing a hearing looks for cases stuck at the same wall; the industry
or the prefecture alone says little.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from casebook.facets import related_weights
from casebook.model import Case
from casebook.vocabulary import Term

# Weight of a shared term per facet, and of text similarity ("text"): casebook/facets.py.
DEFAULT_WEIGHTS: dict[str, float] = related_weights()

# A term shared by more than this share of the cases counts less the more cases share it.
COMMON = 0.2

# Text similarity below this is not worth naming as a reason.
SIMILAR_TEXT = 0.5
# Shared terms of lighter facets (employees, supporter, prefecture …) count in the score but
# are named in the reason only when nothing heavier is shared.
REASON_MIN_WEIGHT = 1.0


@dataclass(frozen=True)
class Related:
    """Another case worth reading next, and why."""

    case: Case
    score: float
    shared: list[Term]
    reason: str


# How many cases, best by shared facets, have their text compared: text similarity re-ranks
# these. Comparing every pair of texts is quadratic (Whoosh more_like per case took 450 s of
# a 1,000-case profile); facet scores for all pairs are one matrix product.
CANDIDATES = 50

# Rows of the facet-score matrix multiplied at once when every case's candidates are wanted.
BLOCK_ROWS = 256


# Text similarity of candidate cases to a case, by case id (any non-negative score).
TextSimilarity = Callable[[Case, list[Case]], Mapping[str, float]]


class RelatedFinder:
    """Related cases for every case of a library, facet scores computed as one matrix product."""

    def __init__(
        self,
        cases: Iterable[Case],
        weights: Mapping[str, float] = DEFAULT_WEIGHTS,
        text_similarity: TextSimilarity | None = None,
    ) -> None:
        self.cases = [c for c in cases if not c.is_draft]
        self.weights = weights
        self.text_similarity = text_similarity
        keys = sorted({(facet, t.slug) for c in self.cases for facet, terms in c.facets.items()
                       if weights.get(facet, 0.0) > 0 for t in terms})
        self._column = {key: i for i, key in enumerate(keys)}
        self._matrix = np.zeros((len(self.cases), len(keys)), dtype=np.float32)
        for row, case in enumerate(self.cases):
            self._matrix[row] = self._vector(case)
        # A shared term counts its facet's weight times how rare it is: a skill nearly every
        # case shows says little, a wall or an industry few cases share says a lot.
        rarity = _rarity(self._matrix.sum(axis=0), len(self.cases))
        self._weight = np.array([weights[facet] for facet, _ in keys], dtype=np.float32) * rarity
        self.term_weight = {key: float(self._weight[i]) for key, i in self._column.items()}
        self._row = {c.id: i for i, c in enumerate(self.cases)}
        self._top_rows: tuple[np.ndarray, np.ndarray] | None = None
        self._keys = {c.id: _term_keys(c) for c in self.cases}

    def _vector(self, case: Case) -> np.ndarray:
        vector = np.zeros(len(self._column), dtype=np.float32)
        for facet, terms in case.facets.items():
            for term in terms:
                column = self._column.get((facet, term.slug))
                if column is not None:
                    vector[column] = 1.0
        return vector

    def candidates(self, case: Case, count: int = CANDIDATES) -> list[Case]:
        """The `count` cases sharing the most facet weight with `case`, itself excluded."""
        if not self.cases:
            return []
        count = min(count, len(self.cases))
        own = self._row.get(case.id)
        if own is not None and count == min(CANDIDATES, len(self.cases)):
            top, positive = self._top()
            return [self.cases[i] for i, keep in zip(top[own], positive[own], strict=True)
                    if keep]
        scores = self._matrix @ (self._vector(case) * self._weight)
        if own is not None:
            scores[own] = -1.0
        top = np.argpartition(-scores, count - 1)[:count]
        return [self.cases[i] for i in top if scores[i] > 0]

    def _top(self) -> tuple[np.ndarray, np.ndarray]:
        """Every case's candidates at once: a few hundred rows per matrix product.

        One product per case made the whole library cost N² × terms multiplications in
        N separate calls (44 s of a 10,000-case build); in blocks, the same arithmetic is a
        handful of matrix-matrix products, which BLAS does many times faster.
        """
        if self._top_rows is None:
            count = min(CANDIDATES, len(self.cases))
            weighted_t = (self._matrix * self._weight).T
            top = np.empty((len(self.cases), count), dtype=np.int64)
            positive = np.empty((len(self.cases), count), dtype=bool)
            for start in range(0, len(self.cases), BLOCK_ROWS):
                block = self._matrix[start:start + BLOCK_ROWS] @ weighted_t
                rows = np.arange(block.shape[0])
                block[rows, rows + start] = -1.0  # never a case itself
                chosen = np.argpartition(-block, count - 1, axis=1)[:, :count]
                top[start:start + len(rows)] = chosen
                positive[start:start + len(rows)] = np.take_along_axis(block, chosen, 1) > 0
            self._top_rows = (top, positive)
        return self._top_rows

    def related(self, case: Case, limit: int = 5,
                extra: Mapping[str, float] | None = None) -> list[Related]:
        """The `limit` cases most related to `case`, best first; never itself or a draft."""
        candidates = self.candidates(case)
        similarity = dict(extra or {})
        if self.text_similarity is not None and self.weights.get("text", 0.0) > 0:
            similarity.update(self.text_similarity(case, candidates))
        known = {c.id for c in candidates}
        candidates += [self.cases[self._row[case_id]] for case_id in similarity
                       if case_id not in known and case_id in self._row]
        return _ranked(case, candidates, self.weights, similarity, limit, self._keys,
                       self.term_weight)


def _rarity(counts: np.ndarray, total: int) -> np.ndarray:
    """How much of its facet's weight each term keeps, by how many of `total` cases have it
    (BM25's idf): a term of a fifth of the cases or fewer keeps all of it, a term every case
    has a few percent."""
    if total == 0:
        return counts

    def idf(count: np.ndarray | float) -> np.ndarray:
        return np.log1p((total - count + 0.5) / (count + 0.5))

    return np.minimum(1.0, idf(counts) / idf(max(1.0, COMMON * total))).astype(np.float32)


def related_cases(
    case: Case,
    cases: Iterable[Case],
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
    text_similarity: Mapping[str, float] | None = None,
    limit: int = 5,
) -> list[Related]:
    """The `limit` published cases most related to `case`, best first; never itself or a draft.

    `text_similarity` maps case ids to any non-negative score; it is scaled so the most
    similar case counts 1.0. A case with nothing in common and no text similarity is left out.
    For a whole library, build one `RelatedFinder` instead of calling this per case.
    """
    return RelatedFinder(cases, weights).related(case, limit, extra=text_similarity)


def _ranked(
    case: Case,
    candidates: Iterable[Case],
    weights: Mapping[str, float],
    text_similarity: Mapping[str, float],
    limit: int,
    term_keys: Mapping[str, frozenset[tuple[str, str]]] | None = None,
    term_weight: Mapping[tuple[str, str], float] | None = None,
) -> list[Related]:
    similarity = _scaled(text_similarity)
    text_weight = weights.get("text", 0.0)
    mine = [(t.facet, t.slug, (term_weight or {}).get((t.facet, t.slug),
                                                      weights.get(t.facet, 0.0)))
            for terms in case.facets.values() for t in terms]
    scored: list[tuple[float, Case, float]] = []
    for other in candidates:
        if other.id == case.id or other.is_draft:
            continue
        theirs = term_keys[other.id] if term_keys and other.id in term_keys else _term_keys(other)
        text = similarity.get(other.id, 0.0)
        score = sum(w for facet, slug, w in mine if w > 0 and (facet, slug) in theirs)
        score += text_weight * text
        if score > 0:
            scored.append((round(score, 4), other, text))
    scored.sort(key=lambda item: (-item[0], item[1].alias, item[1].id))
    # Shared terms and the reason only for the cases shown: most candidates are not.
    found = []
    for score, other, text in scored[:limit]:
        shared = shared_terms(case, other, weights)
        found.append(Related(other, score, shared, _reason(shared, text, weights)))
    return found


def _term_keys(case: Case) -> frozenset[tuple[str, str]]:
    return frozenset((t.facet, t.slug) for terms in case.facets.values() for t in terms)


def shared_terms(case: Case, other: Case, weights: Mapping[str, float]) -> list[Term]:
    """Terms both cases are tagged with in weighted facets, heaviest facet first."""
    shared: list[Term] = []
    for facet, terms in case.facets.items():
        if weights.get(facet, 0.0) <= 0:
            continue
        theirs = {t.slug for t in other.terms(facet)}
        shared.extend(t for t in terms if t.slug in theirs)
    return sorted(shared, key=lambda t: -weights.get(t.facet, 0.0))


def _scaled(scores: Mapping[str, float]) -> dict[str, float]:
    best = max(scores.values(), default=0.0)
    if best <= 0:
        return {}
    return {key: max(value, 0.0) / best for key, value in scores.items()}


def _reason(shared: list[Term], text: float, weights: Mapping[str, float]) -> str:
    """「共通: 付いてこない・製造業」, with the text similarity when it is worth saying."""
    named = [t for t in shared if weights.get(t.facet, 0.0) >= REASON_MIN_WEIGHT] or shared
    labels = "・".join(dict.fromkeys(t.label for t in named))
    if labels and text >= SIMILAR_TEXT:
        return f"共通: {labels}（本文の内容も近い）"
    if labels:
        return f"共通: {labels}"
    return "本文の内容が近い"
