"""Searching an opened index: ranked hits with snippets, facet filters and counts, similar cases."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
from whoosh.index import Index

from casebook.headcount import head_count_band
from casebook.html import escape
from casebook.model import Case
from casebook.problems import closest
from casebook.vocabulary import Vocabulary
from search import query as queries
from search.analysis import fold_bigram_text, query_words
from search.arrays import QueryArrays
from search.errors import (
    EmptyQuery,
    UnknownCase,
    UnknownFacetTerm,
    UnknownField,
    did_you_mean,
)
from search.highlight import snippets
from search.schema import FACET_FIELDS, FIELD_BOOSTS, SEARCHABLE_FIELDS
from search.similarity import KeywordSimilarity

# How many key terms of a case's body `similar` (more_like_this) searches with. Every term is
# a posting list scored over the whole index: 25 terms cost 130 ms a case at 1,000 cases;
# 12 still name what a case is about. (Related cases on the site do not use this: their text
# similarity comes from the keyword counts a build already has, search/similarity.py.)
SIMILAR_TERMS = 12


@dataclass(frozen=True)
class MatchedTerm:
    """A facet term of a hit that the query or a filter named."""

    facet: str
    slug: str
    label: str


@dataclass
class Hit:
    """One case found, as a result list shows it."""

    id: str
    alias: str
    title: str
    url: str
    score: float
    snippet: str
    snippet_html: str
    matched: list[MatchedTerm] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SearchResults:
    """Hits of one search, how they were found, and per-facet counts over all of them."""

    query: str
    # "and": every word matched; "or": too few cases did, ranked by how many of the typed
    # parts match;
    # "bigram": no word matched, character pairs did; "none": nothing found.
    mode: str
    hits: list[Hit]
    total: int
    # facet -> slug -> number of found cases with that term (whole result set, not one page)
    facet_counts: dict[str, dict[str, int]]
    filters: dict[str, list[str]] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.hits)

    def __iter__(self):
        return iter(self.hits)

    @property
    def ids(self) -> list[str]:
        return [h.id for h in self.hits]


@dataclass(frozen=True)
class Ranked:
    """Every document found, best first: document numbers and their scores."""

    docs: np.ndarray
    scores: np.ndarray

    @classmethod
    def of(cls, pairs: Sequence[tuple[int, float]]) -> Ranked:
        return cls(np.array([d for d, _ in pairs], dtype=np.int64),
                   np.array([s for _, s in pairs], dtype=np.float64))

    def __len__(self) -> int:
        return len(self.docs)

    def head(self, count: int) -> list[tuple[int, float]]:
        return [(int(d), float(s)) for d, s in zip(self.docs[:count], self.scores[:count],
                                                      strict=True)]


class SearchIndex:
    """An opened index. Keep one per process: opening costs far more than a query."""

    def __init__(
        self,
        index: Index,
        vocabulary: Vocabulary | None = None,
        labels: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        self._index = index
        self._searcher = index.searcher()
        # Matching and BM25F scoring over arrays: Whoosh's results at array speed.
        self._arrays = QueryArrays(self._searcher)
        self.vocabulary = vocabulary
        # facet -> slug -> label, for counts and filters when no vocabulary is at hand
        self.labels = {facet: dict(terms) for facet, terms in (labels or {}).items()}
        # Every (document, facet term) pair as two arrays, and the terms in index order.
        self._doc_terms: tuple[np.ndarray, np.ndarray, list[tuple[str, str]]] | None = None
        # docnum -> folded stored text, read as the bigram fallback first needs each case
        self._texts: dict[int, str] = {}
        self._keywords: KeywordSimilarity | None = None

    def probe(self) -> None:
        """Read a little of every kind of file the index has (an error if one is damaged)."""
        reader = self._searcher.reader()
        for docnum, _ in zip(reader.all_doc_ids(), range(1), strict=False):
            self._searcher.stored_fields(docnum)
        for name in ("id", "body", "wall"):
            if name in reader.schema:
                for term in list(reader.field_terms(name))[:1]:
                    list(reader.postings(name, term).all_ids())

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._searcher.close()

    @property
    def documents(self) -> int:
        return self._searcher.doc_count()

    def ids(self) -> list[str]:
        return list(self._searcher.reader().field_terms("id"))

    def search(
        self,
        query: str,
        filters: Mapping[str, Sequence[str]] | None = None,
        limit: int = 10,
        within: str | None = None,
    ) -> SearchResults:
        """Cases matching every word; failing that, the most parts; failing that, bigrams.

        `filters` maps a facet to terms (label, code, synonym or slug), OR-ed within a facet
        and AND-ed across facets. `within` searches one field only, e.g. "approach_text"
        (支援アプローチ); by default title, alias, facet labels, 設定された課題 and the body.
        """
        if not query or not query.strip():
            raise EmptyQuery("empty query: type a word to search for, e.g. 資金繰り")
        boosts = self._boosts(within)
        typed, filters = query, dict(filters or {})
        if not filters.get("employees") and self.vocabulary is not None \
                and "employees" in self.vocabulary:
            band = head_count_band(query, self.vocabulary["employees"].terms)
            if band is not None:  # 「30人」: the cases of the 21-50 band
                filters["employees"] = [band[0].slug]
                query = band[1]
        parsed = queries.parse(query)
        slugs = self.resolve_filters(filters)
        only = queries.filter_query(slugs)
        allowed = self._arrays.docs(only)
        mode, ranked = "none", Ranked.of([])
        if not query.strip() and only is not None:
            mode = "filters"
            docs = np.flatnonzero(allowed)
            ranked = Ranked(docs, np.ones(len(docs)))
        if parsed.words:
            ranked = self._reranked(self._ranked(queries.and_query(parsed, boosts), allowed),
                                    parsed, boosts)
            mode = "and" if len(ranked) else "none"
            if not len(ranked) or (parsed.is_long and len(ranked) < queries.MIN_AND_HITS):
                more = self._or_ranked(parsed, allowed, boosts)
                if len(more) > len(ranked):
                    mode, ranked = "or", more
        words = parsed.words
        if not len(ranked) and parsed.bigram_chunks:
            for require_all in (True, False):
                ranked = Ranked.of(self._bigram_ranked(parsed, allowed, require_all))
                if len(ranked):
                    mode = "bigram"
                    words = [g for chunk in parsed.bigram_chunks for g in chunk]
                    break
        hits = [self._hit(docnum, score, parsed, words, mode, slugs)
                for docnum, score in ranked.head(limit)]
        return SearchResults(
            query=typed, mode=mode, hits=hits, total=len(ranked),
            facet_counts=self._counts(ranked.docs), filters=slugs, words=words,
        )

    def _bigram_ranked(self, parsed: queries.ParsedQuery, allowed: np.ndarray,
                       require_all: bool) -> list[tuple[int, float]]:
        """Cases whose text holds the character pairs of every part (or of any part), by how
        many pairs: the fallback for words Sudachi cut differently in the query and the text.

        The pairs are looked for in the cases' stored text (title, alias, facet names, body),
        not in an index of their own: a fallback is rare, and that index was half of all the
        postings an index build wrote.
        """
        ranked = []
        for docnum in np.flatnonzero(allowed).tolist():
            text = self._folded_text(docnum)
            found = [sum(1 for pair in chunk if pair in text) for chunk in parsed.bigram_chunks]
            complete = [count == len(chunk)
                        for count, chunk in zip(found, parsed.bigram_chunks, strict=True)]
            if all(complete) if require_all else any(complete):
                ranked.append((docnum, float(sum(found))))
        ranked.sort(key=lambda hit: (-hit[1], hit[0]))
        return ranked

    def _folded_text(self, docnum: int) -> str:
        """A case's title, alias, facet names and body, folded (read once, when first asked:
        a filtered fallback reads only the cases the filters let through)."""
        text = self._texts.get(docnum)
        if text is None:
            stored = self._searcher.stored_fields(docnum)
            names = [name for _, _, label, synonyms in stored.get("terms", ())
                     for name in (label, *synonyms)]
            text = self._texts[docnum] = fold_bigram_text("\n".join(
                [stored.get("title", ""), stored.get("alias", ""), *names,
                 stored.get("body", "")]))
        return text

    def _ranked(self, whoosh_query, allowed: np.ndarray) -> Ranked:
        """Every match, best first (score, then document number, as Whoosh orders them).

        The facet counts and the total need every match, so every match is scored: over
        arrays (search/arrays.py), which Whoosh's matchers took hundreds of ms for at
        10,000 cases.
        """
        found = self._arrays.evaluate(whoosh_query, within=allowed)
        docs = np.flatnonzero(found.mask & allowed)
        scores = found.scores[docs]
        order = np.lexsort((docs, -scores))
        return Ranked(docs[order], scores[order])

    @staticmethod
    def _boosts(within: str | None) -> Mapping[str, float]:
        if within is None:
            return FIELD_BOOSTS
        if within not in SEARCHABLE_FIELDS:
            hint = closest(within, list(SEARCHABLE_FIELDS))
            raise UnknownField(f"cannot search within '{within}'{did_you_mean(hint)}")
        return {within: 1.0}

    def _or_ranked(
        self, parsed: queries.ParsedQuery, allowed: np.ndarray, boosts: Mapping[str, float]
    ) -> Ranked:
        """Cases matching any part of the query: most parts matched first, then by score.

        Whoosh's own coordination bonus (Or(scale=…)) counts matched terms per field and
        barely moves a ranking over nine fields; counting the parts the user typed does.
        """
        ranked = self._ranked(queries.or_query(parsed, boosts), allowed)
        parts = np.zeros(self._arrays.size, dtype=np.int64)
        for part in queries.or_parts(parsed, boosts):
            parts += self._arrays.evaluate(part).mask
        # Most parts first, then by score; ties keep the score order (a stable sort).
        order = np.argsort(-parts[ranked.docs], kind="stable")
        ranked = Ranked(ranked.docs[order], ranked.scores[order])
        return self._reranked(ranked, parsed, boosts,
                              key=lambda hit: (-parts[hit[0]], -hit[1]))

    def _reranked(self, ranked: Ranked, parsed: queries.ParsedQuery,
                  boosts: Mapping[str, float], key=lambda hit: -hit[1]) -> Ranked:
        """The best RERANK_DEPTH hits re-scored with the phrase bonus in the body."""
        phrases = queries.phrase_query(parsed, boosts, queries.RERANK_FIELDS)
        if phrases is None or not len(ranked):
            return ranked
        depth = queries.RERANK_DEPTH
        within = np.zeros(self._arrays.size, dtype=bool)
        within[ranked.docs[:depth]] = True
        found = self._arrays.evaluate(phrases, within=within)
        top = sorted(((d, s + float(found.scores[d]) if found.mask[d] else s)
                      for d, s in ranked.head(depth)), key=key)
        return Ranked(np.concatenate([np.array([d for d, _ in top], dtype=np.int64),
                                      ranked.docs[depth:]]),
                      np.concatenate([np.array([s for _, s in top]), ranked.scores[depth:]]))

    def resolve_filters(self, filters: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
        """Filter values (label, slug, code or synonym) as slugs; unknown ones raise."""
        resolved: dict[str, list[str]] = {}
        for facet, values in filters.items():
            if facet not in FACET_FIELDS:
                raise UnknownFacetTerm(
                    f"unknown facet '{facet}'{did_you_mean(closest(facet, list(FACET_FIELDS)))}"
                )
            for value in values:
                resolved.setdefault(facet, []).append(self._slug(facet, str(value)))
        return resolved

    def _slug(self, facet: str, value: str) -> str:
        if self.vocabulary is not None and facet in self.vocabulary:
            terms = self.vocabulary[facet]
            term = terms.get(value)
            if term is None:
                raise UnknownFacetTerm(
                    f"unknown {facet} '{value}'{did_you_mean(terms.suggest(value))}"
                )
            return term.slug
        known = self.labels.get(facet, {})
        if value in known:
            return value
        by_label = {label: slug for slug, label in known.items()}
        if value in by_label:
            return by_label[value]
        if facet == "kind" and value:
            return value
        hint = closest(value, list(by_label) + list(known))
        raise UnknownFacetTerm(f"unknown {facet} '{value}'{did_you_mean(hint)}")

    def _hit(self, docnum: int, score: float, parsed: queries.ParsedQuery, words: list[str],
             mode: str, filters: Mapping[str, Sequence[str]]) -> Hit:
        stored = self._searcher.stored_fields(docnum)
        bigrams = mode == "bigram"
        text, marked = snippets(stored.get("body", ""), words, bigrams=bigrams)
        if not text:
            text = stored.get("summary", "")
            marked = str(escape(text))
        return Hit(
            id=stored["id"],
            alias=stored.get("alias", ""),
            title=stored.get("title", ""),
            url=stored.get("url", ""),
            score=round(score, 4),
            snippet=text,
            snippet_html=marked,
            matched=_matched_terms(stored.get("terms", ()), parsed, filters),
        )

    def _counts(self, docnums: np.ndarray) -> dict[str, dict[str, int]]:
        """facet -> slug -> how many of `docnums` (best first) have the term.

        Most found first; a tie in the order the ranked documents first show the terms
        (what counting them hit by hit, most_common, gave).
        """
        pair_docs, pair_terms, terms = self._terms_by_doc()
        rank = np.full(self._arrays.size, len(docnums), dtype=np.int64)
        rank[docnums] = np.arange(len(docnums))
        chosen = rank[pair_docs] < len(docnums)
        found_terms = pair_terms[chosen]
        tally = np.bincount(found_terms, minlength=len(terms))
        first = np.full(len(terms), len(docnums), dtype=np.int64)
        np.minimum.at(first, found_terms, rank[pair_docs[chosen]])
        present = np.flatnonzero(tally)
        order = present[np.lexsort((present, first[present], -tally[present]))]
        counts: dict[str, dict[str, int]] = {}
        for number in order:
            facet, slug = terms[number]
            counts.setdefault(facet, {})[slug] = int(tally[number])
        return counts

    def _terms_by_doc(self) -> tuple[np.ndarray, np.ndarray, list[tuple[str, str]]]:
        # Built once per opened index from the keyword postings, not from stored fields
        # (which would read every body). Terms are numbered facet by facet, slugs in index
        # order: the order in which a document lists its terms.
        if self._doc_terms is None:
            reader = self._searcher.reader()
            terms: list[tuple[str, str]] = []
            docs, numbers = [], []
            for facet in FACET_FIELDS:
                if facet not in reader.schema:
                    continue
                for slug in reader.field_terms(facet):
                    postings = self._arrays.postings(facet, slug)
                    if postings is None:
                        continue
                    docs.append(postings.docs)
                    numbers.append(np.full(len(postings.docs), len(terms), dtype=np.int64))
                    terms.append((facet, slug))
            empty = np.zeros(0, dtype=np.int64)
            self._doc_terms = (np.concatenate(docs) if docs else empty,
                               np.concatenate(numbers) if numbers else empty, terms)
        return self._doc_terms

    def similar(self, case_id: str, limit: int = 5) -> list[tuple[str, float]]:
        """Cases whose body text is most like this case's (Whoosh more_like_this), best first."""
        docnum = self._docnum(case_id)
        results = self._searcher.more_like(docnum, "body", top=limit, numterms=SIMILAR_TERMS)
        return [(hit["id"], hit.score) for hit in results]

    def similarity(self, case: Case, candidates: Iterable[Case]) -> dict[str, float]:
        """Cosine similarity of the candidates' body keywords to `case`'s (0..1).

        The same numbers as `KeywordSimilarity.from_cases` gives, from the index's postings.
        """
        if self._keywords is None:
            reader = self._searcher.reader()
            ids = {docnum: fields["id"] for docnum, fields in reader.iter_docs()}
            frequencies: dict[str, dict[str, float]] = {case_id: {} for case_id in ids.values()}
            for term in reader.field_terms("body"):
                for docnum, weight in reader.postings("body", term).items_as("weight"):
                    frequencies[ids[docnum]][term] = weight
            self._keywords = KeywordSimilarity(frequencies)
        return self._keywords.similarity(case, candidates)

    def _docnum(self, case_id: str) -> int:
        docnum = self._searcher.document_number(id=case_id)
        if docnum is None:
            hint = closest(case_id, self.ids())
            raise UnknownCase(f"no case '{case_id}' in the index{did_you_mean(hint)}")
        return docnum


def _matched_terms(
    terms: Sequence[tuple[str, str, str, tuple[str, ...]]],
    parsed: queries.ParsedQuery,
    filters: Mapping[str, Sequence[str]],
) -> list[MatchedTerm]:
    """Terms of a hit named by a filter, or whose label or synonym the query contains."""
    words = set(parsed.words)
    found: list[MatchedTerm] = []
    for facet, slug, label, synonyms in terms:
        named = slug in filters.get(facet, ())
        if not named and words:
            for name in (label, *synonyms):
                said = set(query_words(name))
                if said and said <= words:
                    named = True
                    break
        if named:
            found.append(MatchedTerm(facet, slug, label))
    return found
