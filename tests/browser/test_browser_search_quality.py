"""The header search in chromium, judged on the same queries as `casebook search`.

The site is the shipped content and cases plus tests/fixtures/search/cases, as in
tests/test_search_quality.py. Each query goes through the page's own ranking
(`window.casebookSearch.urls`, what the search box lists, in its order); hit@3 and MRR are
printed beside the CLI's for the same queries, and both must reach issue 12's bars.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from search import memory_index
from search.pagefind import PARTS_FILE
from tests.browser.conftest import DESKTOP, Visit, _visit, serve
from tests.building import build_site
from tests.conftest import REPO
from tests.test_search_quality import (
    FIXTURE_CASES,
    JUDGED,
    MIN_HIT_AT_3,
    MIN_MRR,
    cli_ranked,
    evaluate,
)

pytestmark = pytest.mark.browser

CASE_URL = re.compile(r"/cases/([^/]+)/")


# One bundle, and the same site indexed in parts of a dozen pages, as a site of many
# thousand cases is (search/pagefind.py, PART_PAGES): the parts must search as one.
PART_SIZES = {"one-bundle": 1000, "in-parts": 12}


@pytest.fixture(scope="module", params=list(PART_SIZES.values()), ids=list(PART_SIZES))
def judged_site(request, tmp_path_factory) -> Iterator[tuple[Path, str]]:
    """(project root, URL): the shipped site plus the judged fixture cases, served."""

    root = tmp_path_factory.mktemp("judged") / "proj"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "cases", root / "cases")
    for path in FIXTURE_CASES.glob("*.md"):
        shutil.copy(path, root / "cases")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    build_site(root / "mkdocs.yml", search_pagefind=True,
               search_pagefind_part_pages=request.param,
               search_index_dir=str(root / "whoosh-index"))
    parts = json.loads((root / "site" / "pagefind" / PARTS_FILE).read_text("utf-8"))["parts"]
    assert (len(parts) > 1) == (request.param < 100), parts
    for url in serve(root / "site"):
        yield root, url


@pytest.fixture
def visit(browser, judged_site) -> Iterator[Visit]:
    yield from _visit(browser, judged_site[1], DESKTOP)


def browser_ranked(visit: Visit):
    """What the search box lists for a query: case ids in order, and how it matched."""
    def ranked(query: str) -> tuple[list[str], str]:
        found = visit.page.evaluate(
            """async q => { const ranked = await window.casebookSearch.rank(q);
                            return { mode: ranked.mode,
                                     urls: await window.casebookSearch.urls(q) }; }""", query)
        ids = [m.group(1) for url in found["urls"] if (m := CASE_URL.search(url))]
        return ids, found["mode"]
    return ranked


def test_browser_search_is_as_good_as_the_cli(visit: Visit, judged_site, capsys) -> None:
    from pipeline.load import load_library

    visit.go()
    in_browser = evaluate(browser_ranked(visit))
    library = load_library(judged_site[0])
    with memory_index(library.cases, library.vocabulary) as index:
        in_cli = evaluate(cli_ranked(index))
    report = ["browser:", *in_browser[2], "CLI:", *in_cli[2],
              f"{'':<10} {'hit@3':>6} {'MRR':>6}   ({len(JUDGED)} queries)",
              f"{'browser':<10} {in_browser[0]:>6.3f} {in_browser[1]:>6.3f}",
              f"{'CLI':<10} {in_cli[0]:>6.3f} {in_cli[1]:>6.3f}"]
    text = "\n".join(report)
    with capsys.disabled():
        print("\n" + text)
    assert in_browser[0] >= MIN_HIT_AT_3 and in_browser[1] >= MIN_MRR, text
    assert in_cli[0] >= MIN_HIT_AT_3 and in_cli[1] >= MIN_MRR, text


@pytest.mark.parametrize("query", [q for q, why, _ in JUDGED if why.startswith("sentence")])
def test_a_sentence_finds_cases_in_the_search_box(visit: Visit, query: str) -> None:
    relevant = next(r for q, _, r in JUDGED if q == query)
    visit.go()
    results = visit.search(query)
    status = visit.page.inner_text("[data-cb-search-status]")
    assert "ありませんでした" not in status, status
    shown = [m.group(1) for r in results if (m := CASE_URL.search(r.url))]
    assert set(shown[:3]) & relevant, f"{query}: {shown[:5]} (want one of {relevant})"


def test_filters_cover_every_part(visit: Visit, judged_site) -> None:
    from pipeline.load import load_library

    library = load_library(judged_site[0])
    walls = {term.label for case in library.published for term in case.terms("wall")}
    visit.go()
    visit.page.click("[data-cb-search-open]")
    visit.page.wait_for_selector(".cb-search__filter legend")
    group = visit.page.locator(".cb-search__filter", has=visit.page.locator(
        "legend", has_text="壁"))
    shown = {re.sub(r"\d+$", "", text).strip() for text in group.locator("label").all_inner_texts()}
    assert shown == walls


def test_cases_come_before_term_and_guide_pages(visit: Visit) -> None:
    visit.go()
    results = visit.search("資金繰り")
    kinds = ["case" if CASE_URL.search(r.url) else "other" for r in results]
    assert "case" in kinds and "other" in kinds, [r.url for r in results]
    assert kinds == sorted(kinds), f"a guide or term page before a case: {[r.url for r in results]}"
    headings = visit.page.locator(".cb-search__group-title").all_inner_texts()
    assert headings[0].startswith("事例"), headings
