"""search/arrays.py: queries scored over arrays give Whoosh's own matches, order and scores.

`casebook search` ranks with QueryArrays instead of Whoosh's matchers (bench/README.md: the
matchers took 600-800 ms a query at 10,000 cases). These tests hold the two to the same
answers, query by query, on the shipped cases and the search fixtures, in one segment and in
two segments with a deleted case (a build with procs > 1 writes several segments; deletions
are what any Whoosh index may hold).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from whoosh import query as q
from whoosh.filedb.filestore import RamStorage

from search import memory_index
from search import query as queries
from search.arrays import FEW_CANDIDATES, QueryArrays
from search.index import _write, index_entries_of
from search.schema import FIELD_BOOSTS, POSITIONS_FIELDS, case_document, case_schema
from search.searcher import SearchIndex
from tests.test_search_quality import JUDGED
from tests.test_search_quality import library as library  # noqa: F401 (the fixture)

# Words that are in many cases (long posting lists, many phrase candidates) and in few.
EXTRA_QUERIES = ["資金繰り", "社員 付いてこない", "後継者 育成", "事業承継", "ＤＸ 受注",
                 "価格転嫁", "見えない", "問いかけ 傾聴", "製造業 茨城県", "ない"]
DELETED = "ex-trucking-crisis"


@pytest.fixture(scope="module")
def one_segment(library):  # noqa: F811
    with memory_index(library.cases, library.vocabulary) as opened:
        yield opened


@pytest.fixture(scope="module")
def segments(library):  # noqa: F811
    """The same cases in two segments, one case deleted after it was written."""
    index = RamStorage().create_index(case_schema())
    cases = list(library.cases)
    half = len(cases) // 2
    _, labels = _write(index, index_entries_of(cases[:half]))
    writer = index.writer()
    for case in cases[half:]:
        writer.add_document(**case_document(case))
    writer.commit(merge=False)
    writer = index.writer()
    writer.delete_by_term("id", DELETED)
    writer.commit(merge=False)
    assert len(index.reader().leaf_readers() if not index.reader().is_atomic() else [0]) > 1
    with SearchIndex(index, library.vocabulary, labels) as opened:
        yield opened


def whoosh_ranking(index: SearchIndex, query) -> list[tuple[int, float]]:
    results = index._searcher.search(query, limit=None)
    return [(docnum, score) for score, docnum in results.top_n]


def array_ranking(arrays: QueryArrays, query, within=None) -> list[tuple[int, float]]:
    found = arrays.evaluate(query, within)
    docs = np.flatnonzero(found.mask & arrays.alive)
    order = np.lexsort((docs, -found.scores[docs]))
    return [(int(docs[i]), float(found.scores[docs[i]])) for i in order]


def built_queries():
    """Every query shape search/query.py builds, for the judged and the extra queries."""
    for text in [query for query, _, _ in JUDGED] + EXTRA_QUERIES:
        parsed = queries.parse(text)
        if not parsed.words:
            continue
        yield text, "and", queries.and_query(parsed)
        yield text, "or", queries.or_query(parsed)
        for number, part in enumerate(queries.or_parts(parsed)):
            yield text, f"part {number}", part
        for fields in (queries.PHRASE_FIELDS, queries.RERANK_FIELDS, POSITIONS_FIELDS):
            phrases = queries.phrase_query(parsed, FIELD_BOOSTS, fields)
            if phrases is not None:
                yield text, f"phrases in {sorted(fields)}", phrases


def assert_same(whoosh: list[tuple[int, float]], arrays: list[tuple[int, float]], label: str):
    assert [d for d, _ in arrays] == [d for d, _ in whoosh], label
    for (docnum, expected), (_, got) in zip(whoosh, arrays, strict=True):
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-12), f"{label}: doc {docnum}"


@pytest.mark.parametrize("name", ["one_segment", "segments"])
def test_every_built_query_matches_and_scores_as_whoosh(name, request):
    index = request.getfixturevalue(name)
    arrays = QueryArrays(index._searcher)
    compared = 0
    for text, shape, query in built_queries():
        whoosh = whoosh_ranking(index, query)
        assert_same(whoosh, array_ranking(arrays, query), f"{text} ({shape})")
        compared += bool(whoosh)
    assert compared >= 100  # the queries find something: the comparison is not of nothings


def test_phrases_decoded_one_by_one_and_as_arrays_agree(one_segment):
    """Few candidates read positions case by case; many compare position arrays."""
    arrays = QueryArrays(one_segment._searcher)
    phrase = q.Phrase("body", ["社員", "付く", "来る", "ない"])
    whoosh = whoosh_ranking(one_segment, phrase)
    assert whoosh, "the shipped cases say 社員が付いてこない"
    everywhere = np.ones(arrays.size, dtype=bool)
    few = np.zeros(arrays.size, dtype=bool)
    few[[d for d, _ in whoosh][: FEW_CANDIDATES - 1]] = True
    few[0] = True  # and one case that may not have the phrase
    assert_same(whoosh, array_ranking(arrays, phrase, everywhere), "as arrays")
    in_few = [(d, s) for d, s in whoosh if few[d]]
    assert_same(in_few, [(d, s) for d, s in array_ranking(arrays, phrase, few) if few[d]],
                "one by one")


def test_filters_match_the_cases_whoosh_finds(segments):
    arrays = QueryArrays(segments._searcher)
    for filters in ({"wall": ["見えない"]}, {"wall": ["見えない", "付いてこない"]},
                    {"wall": ["見えない"], "industry": ["E"]}, {"kind": ["exercise"]}):
        only = queries.filter_query(segments.resolve_filters(filters))
        expected = set(segments._searcher.docs_for_query(only))
        assert expected, filters
        assert set(np.flatnonzero(arrays.docs(only)).tolist()) == expected, filters


def test_deleted_case_is_neither_found_nor_counted(segments, one_segment):
    results = segments.search("運送", limit=100)
    whole = one_segment.search("運送", limit=100)
    assert DELETED in whole.ids and DELETED not in results.ids
    assert results.total == whole.total - 1
    industry = next(iter(whole.facet_counts["industry"]))
    assert sum(results.facet_counts["industry"].values()) == \
        sum(whole.facet_counts["industry"].values()) - 1, industry


@pytest.mark.parametrize("text,filters", [
    ("資金繰り", None), ("社員 付いてこない", None), ("見えない", {"industry": ["E"]}),
    ("先代と後継者の対立", None), ("しきんぐりひょう", None), ("30人", None),
])
def test_total_and_facet_counts_count_every_case_found(one_segment, text, filters):
    """Counted from the match mask, they equal counting the stored terms of every hit."""
    results = one_segment.search(text, filters=filters, limit=1000)
    assert results.total == len(results.hits) > 0
    tally: Counter[tuple[str, str]] = Counter()
    for docnum in range(one_segment._searcher.doc_count_all()):
        stored = one_segment._searcher.stored_fields(docnum)
        if stored["id"] in set(results.ids):
            tally.update((facet, slug) for facet, slug, _, _ in stored["terms"]
                         if facet in results.facet_counts or facet == "kind")
    expected: dict[str, dict[str, int]] = {}
    for (facet, slug), count in tally.items():
        expected.setdefault(facet, {})[slug] = count
    expected.pop("kind", None)
    counted = {facet: dict(slugs) for facet, slugs in results.facet_counts.items()
               if facet != "kind"}
    assert counted == expected
    for slugs in results.facet_counts.values():  # most found first
        assert list(slugs.values()) == sorted(slugs.values(), reverse=True)


def test_fallbacks_still_run_in_order(one_segment):
    assert one_segment.search("社員 付いてこない").mode == "and"
    assert one_segment.search("荷主に運賃の値上げを言い出せない").mode == "or"
    # The bigram fallback: tests/test_search.py::test_bigram_fallback_only_when_no_word_matches


def test_a_query_shape_it_does_not_know_is_refused_not_scored_differently(one_segment):
    arrays = QueryArrays(one_segment._searcher)
    with pytest.raises(TypeError, match="Prefix"):
        arrays.evaluate(q.Prefix("body", "資金"))
    with pytest.raises(TypeError, match="slop"):
        arrays.evaluate(q.Phrase("body", ["資金", "繰り"], slop=3))


def test_bigram_text_folds_width_and_case_one_character_for_one():
    """The fallback's text table folds as BigramTokenizer does, keeping offsets."""
    from search.analysis import fold_bigram_text

    text = "ＤＸ化を進めるＡＢＣ　ｶﾀｶﾅ ㈱ １２３ ﬁ Ⅻ"
    folded = fold_bigram_text(text)
    assert folded == "dx化を進めるabc カタカナ ㈱ 123 ﬁ ⅻ"
    assert len(folded) == len(text)


def test_postings_kept_are_bounded_and_dropped_lists_read_again(one_segment, monkeypatch):
    import search.arrays as arrays_module

    arrays = QueryArrays(one_segment._searcher)
    monkeypatch.setattr(arrays_module, "CACHED_POSTINGS", 20)
    query = queries.and_query(queries.parse("社員 付いてこない"))
    whoosh = whoosh_ranking(one_segment, query)
    assert whoosh
    assert_same(whoosh, array_ranking(arrays, query), "first read")
    assert arrays._cached <= 20 or len(arrays._postings) == 1
    assert_same(whoosh, array_ranking(arrays, query), "read again")


@pytest.mark.parametrize("name", ["one_segment", "segments"])
def test_reading_one_posting_and_one_length_at_a_time_gives_the_same(name, request,
                                                                      monkeypatch):
    """The slow paths, for a matcher or length column other than Whoosh 2.7.5's W3 ones."""
    import search.arrays as arrays_module

    index = request.getfixturevalue(name)
    monkeypatch.setattr(arrays_module, "W3LeafMatcher", type("Other", (), {}))
    monkeypatch.setattr(arrays_module, "_lenfield", lambda field: f"_no_such_{field}")
    arrays = QueryArrays(index._searcher)
    for text in ("社員 付いてこない", "資金繰り 見えない", "後継者 育成"):
        parsed = queries.parse(text)
        for query in (queries.and_query(parsed), queries.or_query(parsed)):
            whoosh = whoosh_ranking(index, query)
            assert whoosh, text
            assert_same(whoosh, array_ranking(arrays, query), text)
