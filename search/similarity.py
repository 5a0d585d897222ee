"""Text similarity of cases: cosine of their strongest TF-IDF keywords.

    keywords = KeywordSimilarity.from_cases(library.cases)
    keywords.similarity(case, candidates)      # {case id: 0..1}

Each case is reduced once to its KEYWORDS strongest terms, weighted by TF-IDF, so comparing
a case with its candidates is a few dictionary look-ups. The terms are those of the search
index's `body` field (the same analyzer), so a build computes them from the parsed cases
without waiting for the index, and `SearchIndex.similarity` gives the same numbers from the
index's postings.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

from casebook.model import Case

# Keywords kept per case.
KEYWORDS = 40
# A term in more than this share of the cases tells none of them apart (from 20 cases on).
COMMON_TERM = 0.5


class KeywordSimilarity:
    """Unit vectors of each case's strongest keywords, by case id."""

    def __init__(self, frequencies: Mapping[str, Mapping[str, float]]) -> None:
        """`frequencies`: case id -> term -> how often the case's text has the term."""
        total = len(frequencies)
        documents: Counter[str] = Counter()
        for terms in frequencies.values():
            documents.update(terms.keys())
        idf = {}
        for term, frequency in documents.items():
            # A term in one case relates nothing; one in most cases tells nothing apart.
            if frequency < 2 or frequency == total or (
                    total >= 20 and frequency > total * COMMON_TERM):
                continue
            idf[term] = math.log(total / frequency)
        self.vectors: dict[str, dict[str, float]] = {}
        for case_id, terms in frequencies.items():
            weights = [(term, count * idf[term]) for term, count in terms.items() if term in idf]
            if not weights:
                continue
            top = sorted(weights, key=lambda item: (-item[1], item[0]))[:KEYWORDS]
            norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
            self.vectors[case_id] = {term: w / norm for term, w in top}

    @classmethod
    def from_cases(cls, cases: Iterable[Case], *, drafts: bool = False) -> KeywordSimilarity:
        """Analyse each case's text as the index does (Sudachi, normalised, no particles).

        A build does not call this: the processes that read the cases count their terms
        from the analysis they already made (pipeline/load.py); this is for tools and tests.
        """
        from search.schema import case_body

        kept = [case for case in cases if drafts or not case.is_draft]
        return cls({case.id: _term_counts(case_body(case)) for case in kept})

    def similarity(self, case: Case, candidates: Iterable[Case]) -> dict[str, float]:
        """Cosine similarity of the candidates' keywords to `case`'s (0..1), by case id."""
        mine = self.vectors.get(case.id)
        if not mine:
            return {}
        scores = {}
        for other in candidates:
            theirs = self.vectors.get(other.id)
            if theirs:
                # fsum: the same total whatever order the set gives the shared terms in.
                score = math.fsum(mine[t] * theirs[t] for t in mine.keys() & theirs.keys())
                if score > 0:
                    scores[other.id] = score
        return scores


def _term_counts(text: str) -> Counter[str]:
    from search.analysis import index_terms

    return Counter(index_terms(text))
