"""A hostile author's page, found through the header search in chromium: nothing runs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from search.pagefind import MARKER, _base36
from tests.browser.conftest import DESKTOP, Visit, _visit, serve
from tests.conftest import MKDOCS_YML, Project

pytestmark = pytest.mark.browser


def spelt(char: str) -> str:
    """How the index spells one character: the marker, its code and its successor's (none)."""
    return MARKER + _base36(ord(char)) + "0000"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Iterator[str]:
    project = Project(tmp_path_factory.mktemp("hostile") / "proj")
    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="true"))
    path = project.case()
    # Body text that spells <img src=x onerror=…> in the index's own words: decoded, it
    # would become markup in the search results if the page script did not escape it.
    planted = (f"{spelt('<')}img src=x onerror=window.cbHacked=1 {spelt('>')}"
               f" 警戒語の合図")
    text = path.read_text("utf-8").replace("目標年商を達成した。",
                                           f"目標年商を達成した。{planted}")
    path.write_text(text, "utf-8")
    site = project.build()
    yield from serve(site)


@pytest.fixture
def visit(browser, hostile_site: str) -> Iterator[Visit]:
    yield from _visit(browser, hostile_site, DESKTOP)


def test_a_page_cannot_write_index_words_that_the_search_box_decodes(visit: Visit) -> None:
    visit.go()
    results = visit.search("警戒語の合図")
    assert any(r.is_case("A社") for r in results), [r.title for r in results]
    page = visit.page
    assert page.evaluate("() => window.cbHacked") is None
    assert page.evaluate("() => document.querySelectorAll('.cb-search__results img').length") \
        == 0
    # The page's own marker letters are dropped before it is spelt for the index, so nothing
    # of it comes back decoded.
    assert "<img src=x onerror" not in page.inner_text(".cb-search__results")


def test_decoded_index_words_are_escaped_before_they_are_shown(visit: Visit) -> None:
    visit.go()
    shown = visit.page.evaluate(
        "w => window.casebookSearch.readable(w, '')",
        f"{spelt('<')}img src=x onerror=alert(1){spelt('>')}")
    assert shown == "&lt;img src=x onerror=alert(1)&gt;"
