"""Related cases: shared facet terms, weighted, plus scaled text similarity."""

from __future__ import annotations

from casebook.model import Case, Document
from casebook.related import DEFAULT_WEIGHTS, related_cases
from casebook.sources import FrontMatter
from casebook.vocabulary import Term

WALL_TSUITE = Term("wall", "tsuitekonai", "付いてこない")
WALL_MIENAI = Term("wall", "mienai", "見えない")
APPROACH_KEICHO = Term("approach", "keicho-gap", "傾聴型ギャップアプローチ")
MANUFACTURING = Term("industry", "e-manufacturing", "製造業", code="E")
RETAIL = Term("industry", "i-wholesale-retail", "卸売業，小売業", code="I")
SAITAMA = Term("prefecture", "saitama", "埼玉県")


def case(case_id: str, *terms: Term, status: str = "published") -> Case:
    facets: dict[str, list[Term]] = {}
    for term in terms:
        facets.setdefault(term.facet, []).append(term)
    doc = Document(path=f"cases/{case_id}.md", uri=f"cases/{case_id}.md", meta=FrontMatter(),
                   title=f"{case_id} の事例", title_line=1, body_line=1)
    return Case(id=case_id, doc=doc, alias=case_id.upper(), kind="precedent", status=status,
                source="", industry_detail="", facets=facets)


HOME = case("a", WALL_TSUITE, MANUFACTURING, SAITAMA)


def ids(found) -> list[str]:
    return [r.case.id for r in found]


def test_a_case_never_relates_to_itself():
    assert ids(related_cases(HOME, [HOME, case("b", WALL_TSUITE)])) == ["b"]


def test_drafts_never_appear():
    draft = case("d", WALL_TSUITE, MANUFACTURING, status="draft")
    assert ids(related_cases(HOME, [draft, case("b", MANUFACTURING)])) == ["b"]


def test_shared_wall_outweighs_shared_industry():
    found = related_cases(HOME, [case("industry", MANUFACTURING), case("wall", WALL_TSUITE)])
    assert ids(found) == ["wall", "industry"]


def test_score_adds_the_weight_of_each_shared_term():
    found = related_cases(HOME, [case("b", WALL_TSUITE, MANUFACTURING, SAITAMA)])
    expected = DEFAULT_WEIGHTS["wall"] + DEFAULT_WEIGHTS["industry"] + DEFAULT_WEIGHTS["prefecture"]
    assert found[0].score == expected


def test_reason_names_the_shared_terms_heaviest_facet_first():
    found = related_cases(HOME, [case("b", MANUFACTURING, WALL_TSUITE, RETAIL)])
    assert found[0].reason == "共通: 付いてこない・製造業"
    assert found[0].shared == [WALL_TSUITE, MANUFACTURING]


def test_cases_with_nothing_in_common_are_left_out():
    assert related_cases(HOME, [case("b", RETAIL, WALL_MIENAI)]) == []


def test_text_similarity_is_scaled_so_the_most_similar_counts_one():
    others = [case("b", RETAIL), case("c", RETAIL)]
    found = related_cases(HOME, others, text_similarity={"b": 40.0, "c": 10.0})
    assert [(r.case.id, r.score) for r in found] == [
        ("b", DEFAULT_WEIGHTS["text"]), ("c", DEFAULT_WEIGHTS["text"] / 4)
    ]


def test_reason_says_when_only_the_text_is_alike():
    found = related_cases(HOME, [case("b", RETAIL)], text_similarity={"b": 3.0})
    assert found[0].reason == "本文の内容が近い"


def test_reason_adds_similar_text_to_shared_terms():
    found = related_cases(HOME, [case("b", WALL_TSUITE)], text_similarity={"b": 3.0})
    assert found[0].reason == "共通: 付いてこない（本文の内容も近い）"


def test_weights_can_switch_a_facet_off():
    weights = {**DEFAULT_WEIGHTS, "industry": 0.0}
    found = related_cases(HOME, [case("b", MANUFACTURING, WALL_TSUITE)], weights)
    assert found[0].shared == [WALL_TSUITE]


def test_limit_keeps_the_best():
    others = [case("b", MANUFACTURING), case("c", WALL_TSUITE), case("d", WALL_TSUITE, SAITAMA)]
    assert ids(related_cases(HOME, others, limit=2)) == ["d", "c"]


def test_reason_leaves_out_light_facets_when_heavier_ones_are_shared():
    found = related_cases(HOME, [case("b", WALL_TSUITE, SAITAMA)])
    assert found[0].reason == "共通: 付いてこない"
    assert found[0].shared == [WALL_TSUITE, SAITAMA]


def test_reason_names_a_light_facet_when_it_is_all_there_is():
    found = related_cases(HOME, [case("b", SAITAMA)])
    assert found[0].reason == "共通: 埼玉県"


def test_a_term_nearly_every_case_shares_counts_for_little():
    skill = Term("skill", "keicho", "傾聴")
    home = case("a", WALL_MIENAI, MANUFACTURING, skill, APPROACH_KEICHO)
    common = [case(f"c{i}", skill, APPROACH_KEICHO) for i in range(9)]
    rare = case("rare", MANUFACTURING)  # the only other manufacturer
    found = related_cases(home, [*common, rare])
    assert ids(found)[0] == "rare"
    assert found[0].score == DEFAULT_WEIGHTS["industry"]  # a term of few cases keeps its weight
    assert found[1].score < 0.2 * (DEFAULT_WEIGHTS["skill"] + DEFAULT_WEIGHTS["approach"])
