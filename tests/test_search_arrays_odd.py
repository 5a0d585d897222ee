"""search/arrays.py with what a careless user types: nothing, only particles, one character,
a pasted page of text, full- and half-width spellings, filters that match nothing — the
same answers as Whoosh's own scoring, and no crash."""

from __future__ import annotations

import numpy as np
import pytest
from whoosh import query as q

from search import query as queries
from search.arrays import QueryArrays
from search.schema import FIELD_BOOSTS
from search.searcher import EmptyQuery
from tests.test_search_arrays import (  # noqa: F401
    array_ranking,
    assert_same,
    one_segment,
    segments,
    whoosh_ranking,
)
from tests.test_search_quality import library as library  # noqa: F401 (the fixture)

LONG = ("資金繰りが苦しく、社員が付いてこない。後継者の育成も見えない。" * 200)[:5000]
ODD = ["の", "がをにはで", "資", "ア", "a", "ＤＸ", "DX", "ｄｘ", "ｼｷﾝｸﾞﾘ", "シキングリ",
       "資金繰り　後継者", "  資金繰り  ", "!!!", "？", "\u3000", LONG, "資金繰り " * 300,
       "ｶﾞ", "ガ", "が", "１０人", "10人"]

FINDS = {"ＤＸ", "DX", "ｄｘ", "資金繰り　後継者", "  資金繰り  ", LONG, "資金繰り " * 300}


def shapes(text: str):
    parsed = queries.parse(text)
    if not parsed.words:
        return
    yield "and", queries.and_query(parsed)
    yield "or", queries.or_query(parsed)
    for number, part in enumerate(queries.or_parts(parsed)):
        yield f"part {number}", part
    phrases = queries.phrase_query(parsed, FIELD_BOOSTS, queries.PHRASE_FIELDS)
    if phrases is not None:
        yield "phrases", phrases


@pytest.mark.parametrize("name", ["one_segment", "segments"])
@pytest.mark.parametrize("text", ODD, ids=lambda t: t[:12])
def test_odd_queries_score_as_whoosh(name, text, request):
    index = request.getfixturevalue(name)
    arrays = QueryArrays(index._searcher)
    found = 0
    for shape, query in shapes(text):
        found += len(whoosh_ranking(index, query))
        assert_same(whoosh_ranking(index, query), array_ranking(arrays, query),
                    f"{text[:20]} ({shape})")
        # `within` only says where positions are read: inside it, exactly Whoosh's.
        some = np.zeros(arrays.size, dtype=bool)
        some[::2] = True
        inside = [(d, s) for d, s in whoosh_ranking(index, query) if some[d]]
        assert_same(inside, [(d, s) for d, s in array_ranking(arrays, query, some) if some[d]],
                    f"{text[:20]} ({shape}, every other case)")
    if text in FINDS:
        assert found, "the comparison is not of nothings"
    # A query for a word the index does not hold.
    absent = q.Term("body", "存在しない語ですよ")
    assert whoosh_ranking(index, absent) == array_ranking(arrays, absent) == []


@pytest.mark.parametrize("text", ODD, ids=lambda t: t[:12])
def test_odd_queries_do_not_crash_the_search(one_segment, text):  # noqa: F811
    if not text.strip():
        with pytest.raises(EmptyQuery):
            one_segment.search(text)
        return
    results = one_segment.search(text)
    assert results.total == len(results.hits) or len(results.hits) == 10
    nothing = one_segment.search(text, filters={"industry": ["E"], "prefecture": ["沖縄県"]})
    assert nothing.total == 0 and nothing.hits == []
