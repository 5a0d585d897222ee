"""The header search, as a reader uses it: Japanese typed into Pagefind's UI in chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from search.pagefind import GAP, MARKER, bigram_words, spell
from tests.browser.conftest import Visit
from tests.conftest import REPO

pytestmark = pytest.mark.browser

# query → a case it must find (by alias), and why the query is hard for a naive search.
QUERIES = [
    ("資金繰り", "E社", "a compound the index must not cut into 資金 + 繰り"),
    ("資金繰り", "M社", "found in the body, not the title"),
    ("承継", "F社", "inside 事業承継"),
    ("後継", "F社", "a prefix of 後継者"),
    ("付いてこない", "A社", "a wall: verb, auxiliary and okurigana"),
    ("付いてこない", "D社", "D社 writes ついてこない"),
    ("ついてこない", "D社", "the kana spelling itself"),
    ("ついてこない", "A社", "A社 writes 付いてこない"),
    ("ついてこない", "G社", "G社 writes 付いて来ない"),
    ("引き継ぎ", "M社", "M社 writes 引継ぎ"),
    ("ＤＸ", "D社", "full-width letters"),
]


@pytest.mark.parametrize(("query", "alias", "why"), QUERIES,
                         ids=[f"{q}-{a}" for q, a, _ in QUERIES])
def test_header_search_finds_case(desktop: Visit, query: str, alias: str, why: str) -> None:
    desktop.go()
    results = desktop.search(query)
    titles = [r.title for r in results]
    assert any(r.is_case(alias) for r in results), f"{query} ({why}) did not find {alias}: {titles}"


def _article_text(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    body = html.split("data-pagefind-body", 1)[1].split('<div class="md-source-file"', 1)[0]
    return re.sub(r"<[^>]+>", "", body)


def test_partial_word_does_not_match_other_words_sharing_a_kanji(desktop: Visit,
                                                                  site_dir: Path) -> None:
    # lunr turned 後継 into 後*, which matched 六十日後, 5年後 and every other 〜後.
    only_go = {
        "/" + page.parent.relative_to(site_dir).as_posix() + "/"
        for page in site_dir.glob("cases/*/index.html")
        if "後" in (text := _article_text(page)) and "後継" not in text
    }
    assert only_go, "no case page has 後 without 後継: the test needs one to mean anything"
    desktop.go()
    results = desktop.search("後継")
    assert any(r.is_case("F社") for r in results)
    false_hits = sorted({r.url for r in results} & only_go)
    assert not false_hits, f"後継 matched pages that only have other 〜後 words: {false_hits}"


def test_wall_filter_narrows_results(desktop: Visit) -> None:
    desktop.go()
    before = desktop.search("資金繰り")
    assert any(r.is_case("A社") for r in before) and any(r.is_case("E社") for r in before)
    page = desktop.page
    page.locator(".cb-search__filter", has=page.locator("legend", has_text="壁")).get_by_label(
        re.compile("^向き合わない")).check()
    page.wait_for_function(
        "n => document.querySelectorAll('.cb-search__result').length < n", arg=len(before))
    after = desktop.results()
    assert any(r.is_case("E社") for r in after), [r.title for r in after]
    assert not any(r.is_case("A社") for r in after), "A社 has no 向き合わない wall"
    assert all(r.url.startswith("/cases/") for r in after), "only cases carry the 壁 filter"


def test_drafts_are_neither_built_nor_found(desktop: Visit, site_dir: Path) -> None:
    from casebook.urls import page_url
    from pipeline.load import load_library

    drafts = load_library(REPO).drafts
    assert drafts, "no draft case in cases/: the test needs one to mean anything"
    desktop.go()
    for case in drafts:
        assert not (site_dir / page_url(case.src_uri)).exists(), f"draft {case.id} was built"
        words = max(re.findall(r"[\w・]+", case.title), key=len)
        found = desktop.search(words)
        assert not any(case.id in r.url for r in found), f"draft {case.id} found by {words}"


def test_result_links_work_from_a_deep_page(desktop: Visit) -> None:
    desktop.go("cases/a-precision-parts/")
    results = desktop.search("承継")
    assert results
    desktop.page.click(".cb-search__result-link >> nth=0")
    desktop.page.wait_for_load_state()
    assert desktop.page.url.rstrip("/").endswith(results[0].url.rstrip("/"))
    assert "404" not in desktop.page.title()


def test_slash_opens_search_and_escape_closes_it(desktop: Visit) -> None:
    desktop.go("walls/")
    page = desktop.page
    page.keyboard.press("/")
    page.wait_for_function(
        "() => document.activeElement?.id === 'cb-search-input'")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('[data-cb-search]').open")


def test_closing_search_returns_focus_to_its_button(desktop: Visit) -> None:
    desktop.go("method/walls/mienai/")
    page = desktop.page
    page.focus("[data-cb-search-open]")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.activeElement?.id === 'cb-search-input'")
    page.click("[data-cb-search-close]")
    assert page.evaluate("document.activeElement?.hasAttribute('data-cb-search-open')")


SAMPLES = [
    "資金繰りが苦しい。", "A社の後継者", "ｶﾀｶﾅとＤＸ", "付いてこない 壁", "𠮷野家々", "六十日後",
    "ローカルベンチマーク（ロカベン）", "plain ascii only", "",
]


def test_query_spelling_in_the_page_matches_the_index(desktop: Visit) -> None:
    desktop.go()
    in_browser = desktop.page.evaluate(
        "samples => samples.map(s => window.casebookSearch.spellText(s))", SAMPLES)
    # Pagefind splits on whitespace, so only the words have to agree.
    assert [s.split() for s in in_browser] == [spell(s).split() for s in SAMPLES]


# Kanji, kana (hira-, kata-, half-width), mixed with letters and digits, full-width letters
# and spaces, a lone character, characters outside the BMP, the spelling's own letters.
QUERIES = [
    "資金繰り", "ついてこない", "カタカナ", "ｶﾀｶﾅ", "付いてこない壁", "A社の後継者", "ＤＸ推進",
    "ＤＸ", "DX", "2023年4月", "社", "々", "資金　繰り", "  資金繰り   付いて来ない ",
    "𠮷野家", "ローカルベンチマーク（ロカベン）", f"売{MARKER}上{GAP}高", "", "   ",
]


def index_words_of_query(query: str) -> list[str]:
    """What a query must be spelt as, from the index's own spelling (search/pagefind.py): a run
    of kanji and kana as the bigram words spell() indexes it with, less the run's last word
    (its character and "no next character", which a query word ending there must not need);
    a lone character as the start every bigram from it shares (Pagefind matches prefixes)."""
    words, run = [], []
    for word in spell(query).split():
        if word == GAP:
            continue
        if not word.startswith(MARKER):
            words.append(word)
            continue
        run.append(word)
        if word == bigram_words(chr(int(word[1:5], 36)))[0]:  # ends the run
            words += [run[0][:5]] if len(run) == 1 else run[:-1]
            run = []
    assert not run, (query, run)
    return words


def test_query_words_in_the_page_are_the_index_words_python_writes(desktop: Visit) -> None:
    """search.js's spellQuery against search/pagefind.py's spell: what the box asks Pagefind
    for is made of the words the index holds for the same text."""
    desktop.go()
    in_browser = desktop.page.evaluate(
        "queries => queries.map(q => window.casebookSearch.spellQuery(q))", QUERIES)
    differences = [f"{q!r}: page {b.split()} ≠ index {index_words_of_query(q)}"
                   for q, b in zip(QUERIES, in_browser, strict=True)
                   if b.split() != index_words_of_query(q)]
    assert not differences, "\n".join(differences)
    assert index_words_of_query("資金繰り") == bigram_words("資金繰り")[:-1]
    assert index_words_of_query("社") == [bigram_words("社")[0][:5]]


def test_every_filter_shows_before_typing_and_narrows_alone(phone: Visit) -> None:
    phone.go()
    page = phone.page
    page.click("[data-cb-search-open]")
    phone.wait_for_status("キーワードを入力するか")
    # results come before the (folded) filters on a phone
    results = page.locator("[data-cb-search-results]").bounding_box()
    filters = page.locator("[data-cb-search-filters]").bounding_box()
    assert results["y"] < filters["y"]
    page.click(".cb-search__filters summary")
    legends = page.locator(".cb-search__filter legend").all_inner_texts()
    for name in ("種別", "壁", "業種", "従業員規模", "都道府県", "支援機関"):
        assert name in legends, legends
    group = page.locator(".cb-search__filter", has=page.locator("legend", has_text="都道府県"))
    group.get_by_label(re.compile("^新潟県")).check()
    page.wait_for_function("() => document.querySelectorAll('.cb-search__result').length > 0")
    found = phone.results()
    assert found and all(r.url.startswith("/cases/") for r in found), found
    assert any(r.is_case("D社") for r in found), found


@pytest.mark.parametrize("query", ["30人", "従業員30人", "社員３０名"])
def test_a_head_count_finds_the_cases_of_its_band(desktop: Visit, query: str) -> None:
    desktop.go()
    found = desktop.search(query)
    band = {"D社", "F社", "J社", "M社"}  # the cases of 21-50 employees
    assert {r.title.split(":")[0] for r in found} == band, found
    assert "従業員規模「21-50」" in desktop.page.inner_text("[data-cb-search-status]")


def test_a_head_count_narrows_the_other_words(desktop: Visit) -> None:
    desktop.go()
    everywhere = desktop.search("資金繰り")
    narrowed = desktop.search("従業員30人 資金繰り")
    assert narrowed and len(narrowed) < len(everywhere)
    assert all(r.title.split(":")[0] in {"D社", "F社", "J社", "M社"} for r in narrowed), narrowed
