"""The search package: Japanese analysis, ranking and fallbacks, filters, snippets, the index."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from pipeline.load import load_library
from search import (
    EmptyQuery,
    IndexMissing,
    UnknownCase,
    UnknownFacetTerm,
    UnknownField,
    build_index,
    memory_index,
    open_index,
)
from search.analysis import BigramTokenizer, SudachiTokenizer, japanese_analyzer, query_words
from search.analysis import index_terms as fast_index_terms
from search.schema import case_body
from search.similarity import KeywordSimilarity

FIXTURE = Path(__file__).parent / "fixtures" / "search" / "unit"


def index_terms(text: str) -> list[tuple[str, int]]:
    return [(t.text, t.pos) for t in japanese_analyzer()(text, positions=True, mode="index")]


@pytest.fixture(scope="module")
def library():
    return load_library(FIXTURE, drafts=True)


@pytest.fixture(scope="module")
def index(library):
    with memory_index(library.cases, library.vocabulary) as opened:
        yield opened


# --- analysis -------------------------------------------------------------------------------


def test_compound_is_indexed_with_its_pieces_at_one_position():
    assert index_terms("後継者") == [("後継者", 0), ("後継", 0), ("者", 0)]


def test_query_keeps_compound_whole():
    assert query_words("後継者 育成") == ("後継者", "育成")


def test_okurigana_variants_analyse_alike():
    assert query_words("引継ぎ") == query_words("引き継ぎ")
    assert query_words("ついてこない") == query_words("付いて来ない") == ("付く", "来る", "ない")


def test_full_width_letters_fold_to_lowercase_ascii():
    assert query_words("ＤＸ") == query_words("DX") == ("dx",)


def test_particles_auxiliaries_and_symbols_are_dropped_but_negation_kept():
    assert query_words("資金繰りが、苦しいです。") == ("資金", "繰り", "苦しい")
    assert query_words("見えない") == ("見える", "ない")


def test_positions_close_up_over_dropped_words():
    # が and て are dropped; what is left must be consecutive for phrase queries.
    assert index_terms("社員が付いて来ない") == [("社員", 0), ("付く", 1), ("来る", 2), ("ない", 3)]


def test_character_offsets_are_set_only_when_asked():
    plain = next(iter(SudachiTokenizer()("社員")))
    assert not hasattr(plain, "startchar")
    token = next(iter(SudachiTokenizer()("の社員", chars=True, start_char=10)))
    assert (token.startchar, token.endchar) == (10, 11)


def test_tokenizer_reuses_one_token():
    tokens = SudachiTokenizer()("後継者の育成")
    assert len({id(t) for t in tokens}) == 1


def test_analyzer_pickles_without_the_dictionary():
    analyzer = japanese_analyzer()
    data = pickle.dumps(analyzer)
    assert len(data) < 1000
    assert pickle.loads(data) == analyzer
    assert [t.text for t in pickle.loads(data)("社員")] == ["社員"]


def test_tokenizers_with_other_settings_differ():
    assert SudachiTokenizer(pieces=False) != SudachiTokenizer()
    assert BigramTokenizer() == BigramTokenizer()


def test_very_long_line_is_cut_for_sudachi():
    words = query_words("資金繰りの改善。" * 8000)
    assert words.count("資金") == 8000


def test_bigrams_fold_width_and_stop_at_spaces():
    assert [t.text for t in BigramTokenizer()("ＤＸ 推進")] == ["dx", "推進"]


# --- ranking and fallbacks ------------------------------------------------------------------


def test_partial_word_finds_the_compound(index):
    assert index.search("後継").ids == ["a-parts"]


def test_okurigana_variant_finds_the_other_spelling(index):
    # a-parts writes 引継ぎ; c-grocer writes ついてこない, a-parts 付いて来ない.
    assert index.search("引き継ぎ").ids == ["a-parts"]
    assert set(index.search("付いてこない").ids) == {"a-parts", "c-grocer"}


def test_full_width_query_finds_half_width_text(index):
    assert index.search("ＤＸ推進").ids == ["b-analyzer"]


def test_metadata_only_words_are_searchable(index):
    assert set(index.search("製造業").ids) == {"a-parts", "b-analyzer"}
    assert index.search("茨城県").ids == ["b-analyzer"]


def test_all_words_must_match_by_default(index):
    results = index.search("資金繰り 粗利")
    assert (results.mode, results.ids) == ("and", ["c-grocer"])


def test_long_query_with_too_few_full_matches_falls_back_to_or(index):
    results = index.search("後継者 育成 社員が付いてこない 製造業 大学")
    assert results.mode == "or"
    assert results.ids[0] == "a-parts"
    assert "b-analyzer" in results.ids


def test_bigram_fallback_only_when_no_word_matches(index):
    # 試作品 is indexed as 試作品/試作/品; the query's 作品 is none of them.
    results = index.search("作品")
    assert (results.mode, results.ids) == ("bigram", ["b-analyzer"])
    assert "試【作品】" in results.hits[0].snippet


def test_nothing_found_is_an_empty_result(index):
    results = index.search("ゴルフ場")
    assert (results.mode, results.ids, results.total) == ("none", [], 0)


def test_empty_query_is_an_error(index):
    with pytest.raises(EmptyQuery, match="empty query"):
        index.search("  ")


def test_drafts_are_not_indexed(index):
    assert "d-draft" not in index.search("資金繰り").ids
    assert index.documents == 3


# --- filters and counts ---------------------------------------------------------------------


def test_filters_are_or_within_a_facet(index):
    results = index.search("社員", filters={"wall": ["見えない", "実行できない"]})
    assert set(results.ids) == {"a-parts", "c-grocer"}


def test_filters_are_and_across_facets(index):
    filters = {"wall": ["見えない", "実行できない"], "industry": ["I"]}
    assert index.search("社員", filters=filters).ids == ["c-grocer"]


def test_filter_accepts_label_code_synonym_and_slug(index):
    for value in ("製造業", "E", "e-manufacturing"):
        assert set(index.search("社員", filters={"industry": [value]}).ids) == {"a-parts"}
    assert index.search("開発", filters={"prefecture": ["茨城"]}).ids == ["b-analyzer"]


def test_unknown_filter_term_suggests_the_closest(index):
    with pytest.raises(UnknownFacetTerm, match="unknown wall '見えな' — did you mean '見えない'"):
        index.search("社員", filters={"wall": ["見えな"]})


def test_unknown_facet_suggests_the_closest(index):
    with pytest.raises(UnknownFacetTerm, match="unknown facet 'walls' — did you mean 'wall'"):
        index.search("社員", filters={"walls": ["見えない"]})


def test_filters_without_vocabulary_take_slugs_and_labels(library):
    with memory_index(library.cases) as bare:
        assert bare.search("社員", filters={"wall": ["mienai"]}).ids == ["a-parts"]
        assert bare.search("社員", filters={"wall": ["見えない"]}).ids == ["a-parts"]
        with pytest.raises(UnknownFacetTerm, match="did you mean '見えない'"):
            bare.search("社員", filters={"wall": ["見えな"]})


def test_facet_counts_cover_every_hit_not_just_the_page(index):
    results = index.search("社員", limit=1)
    assert len(results.hits) == 1 and results.total == 2
    assert results.facet_counts["wall"] == {"mienai": 1, "tsuitekonai": 1, "jikkou-dekinai": 1}
    assert results.facet_counts["industry"] == {"e-manufacturing": 1, "i-wholesale-retail": 1}


def test_hit_names_the_facets_the_query_matched(index):
    hit = index.search("付いてこない 製造業").hits[0]
    # In the order of the facet table (casebook/facets.py): walls first.
    assert [(m.facet, m.label) for m in hit.matched] == [
        ("wall", "付いてこない"), ("industry", "製造業")
    ]


def test_hit_names_the_facets_a_filter_matched(index):
    hit = index.search("資金繰り", filters={"wall": ["実行できない"]}).hits[0]
    assert [m.label for m in hit.matched] == ["実行できない"]


# --- snippets -------------------------------------------------------------------------------


def test_snippet_marks_the_hit_for_terminal_and_html(index):
    hit = index.search("資金繰り").hits[0]
    assert "【資金繰り】" in hit.snippet
    assert "<mark>資金繰り</mark>" in hit.snippet_html


def test_snippet_marks_a_verb_phrase_as_one_span(index):
    hit = next(h for h in index.search("付いてこない").hits if h.id == "a-parts")
    assert "社員が【付いて来ない】" in hit.snippet


def test_snippet_marks_the_partial_word_inside_the_compound(index):
    assert "【後継】者" in index.search("後継").hits[0].snippet


def test_snippet_falls_back_to_summary_when_only_metadata_matched(index):
    hit = index.search("茨城県").hits[0]
    assert hit.snippet == "新製品の開発に必要なソフトウェアの知見が足りない。DX推進の担当もいない。"


# --- similar cases --------------------------------------------------------------------------


def test_similar_never_returns_the_case_itself(index):
    found = index.similar("a-parts", limit=5)
    assert found and "a-parts" not in [case_id for case_id, _ in found]


def test_similarity_is_cosine_of_keywords(index, library):
    grocer = library.case("c-grocer")
    others = [c for c in library.cases if c.id != "c-grocer"]
    scores = index.similarity(grocer, others)
    assert scores and all(0 < s <= 1.0 + 1e-6 for s in scores.values())
    assert index.similarity(grocer, [grocer])["c-grocer"] > max(scores.values())


def test_keywords_a_build_counts_match_the_index(index, library):
    # A site build takes related-case keywords from the term counts the processes reading
    # the cases made (pipeline/load.py), not from the index: both must agree.
    from pipeline.load import load
    from pipeline.options import BuildOptions

    loaded = load(BuildOptions(root=FIXTURE))
    from_build = KeywordSimilarity({r.case.id: r.search.terms for r in loaded.results
                                    if r.case is not None and not r.case.is_draft})
    for case in library.cases:
        others = [c for c in library.cases if c.id != case.id]
        expected = index.similarity(case, others)
        found = from_build.similarity(case, others)
        assert found.keys() == expected.keys()
        assert all(abs(found[k] - expected[k]) < 1e-9 for k in expected)


def test_fast_index_terms_are_the_analyzers_terms(library):
    analyzer = japanese_analyzer()
    for case in library.cases:
        text = case_body(case)
        assert list(fast_index_terms(text)) == [t.text for t in analyzer(text)]


def test_similar_unknown_id_suggests_the_closest(index):
    with pytest.raises(UnknownCase, match="no case 'a-part' .*did you mean 'a-parts'"):
        index.similar("a-part")


# --- the index on disk ----------------------------------------------------------------------


def test_open_missing_index_says_how_to_build_it(tmp_path):
    with pytest.raises(IndexMissing, match="casebook index"):
        open_index(tmp_path / ".casebook-index")


def test_rebuild_replaces_the_index_and_leaves_no_temporary_folders(tmp_path, library):
    target = tmp_path / ".casebook-index"
    build_index(library.cases[:1], target)
    with open_index(target) as first:
        assert first.documents == 1
    stats = build_index(library.cases, target)
    assert stats.documents == 3 and stats.size_bytes > 0
    with open_index(target) as second:
        assert second.search("茨城県").ids == ["b-analyzer"]
    assert [p.name for p in tmp_path.iterdir()] == [".casebook-index"]


def test_failed_build_keeps_the_old_index(tmp_path, library):
    target = tmp_path / ".casebook-index"
    build_index(library.cases, target)

    def broken():
        yield library.cases[0]
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        build_index(broken(), target)
    with open_index(target) as index:
        assert index.documents == 3
    assert [p.name for p in tmp_path.iterdir()] == [".casebook-index"]


def test_build_refuses_to_replace_a_folder_that_is_not_an_index(tmp_path, library):
    (tmp_path / "notes.txt").write_text("大事なメモ", encoding="utf-8")
    with pytest.raises(IndexMissing, match="not a casebook search index"):
        build_index(library.cases, tmp_path)
    assert (tmp_path / "notes.txt").exists()


def test_index_of_another_schema_version_asks_for_a_rebuild(tmp_path, library):
    target = tmp_path / "ix"
    build_index(library.cases, target)
    manifest = target / "casebook-index.json"
    manifest.write_text(manifest.read_text().replace('"schema_version": ', '"schema_version": 9'))
    with pytest.raises(IndexMissing, match="another version.*casebook index"):
        open_index(target)


def test_index_on_disk_survives_copying(tmp_path, library):
    # The schema (with our analyzers) is pickled into the index: it must load anywhere.
    build_index(library.cases, tmp_path / "a")
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    with open_index(tmp_path / "b", library.vocabulary) as index:
        assert index.search("後継").ids == ["a-parts"]


def test_within_searches_one_section_only(index):
    # 資金繰り is in c-grocer's 当初の相談 and 支援アプローチ, in a-parts' 設定された課題 only.
    assert set(index.search("資金繰り").ids) >= {"a-parts", "c-grocer"}
    assert index.search("資金繰り", within="challenge").ids == ["a-parts"]
    assert set(index.search("資金繰り").ids) == {"a-parts", "c-grocer"}


def test_within_an_unknown_field_suggests_one(index):
    with pytest.raises(UnknownField, match="did you mean 'challenge'"):
        index.search("資金繰り", within="challeng")


def test_negation_is_part_of_the_query(tmp_path):
    # e-positive says its staff now 付いてくる (and has ない elsewhere): it may match all the
    # words, but the cases where staff 付いて来ない / ついてこない rank above it.
    shutil.copytree(FIXTURE, tmp_path / "proj")
    positive = (FIXTURE / "cases" / "b-analyzer.md").read_text(encoding="utf-8")
    positive = positive.replace("id: b-analyzer", "id: e-positive").replace(
        "大学との共同開発が始まり、試作品が完成した。", "社員が付いてくるようになった。")
    (tmp_path / "proj" / "cases" / "b-analyzer.md").unlink()
    (tmp_path / "proj" / "cases" / "e-positive.md").write_text(positive, encoding="utf-8")
    changed = load_library(tmp_path / "proj")
    with memory_index(changed.cases, changed.vocabulary) as index:
        assert index.search("社員が付いてこない").ids[:2] == ["a-parts", "c-grocer"]


def test_whoosh_remembers_that_a_field_has_no_length_column(index, monkeypatch):
    # search/index.py patches Whoosh so a field without lengths (ids, keywords) is looked up
    # on disk once, not once per posting while a segment is written (a sixth of a build).
    reader = index._searcher.reader()
    perdoc = reader._perdoc
    looked_up: list[str] = []
    has_column = type(perdoc).has_column
    monkeypatch.setattr(type(perdoc), "has_column",
                        lambda self, name: looked_up.append(name) or has_column(self, name))
    for _ in range(3):
        assert perdoc.doc_field_length(0, "kind") == 0
    assert looked_up == ["_kind_len"]
