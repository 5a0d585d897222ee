"""Each kind of page in chromium: nothing loads from another host, and phones get no sideways
scrolling. Screenshots of every page land in <tmp>/casebook-screenshots/ for a person to look at."""

from __future__ import annotations

import pytest

from tests.browser.conftest import KEY_PAGES, Visit

pytestmark = pytest.mark.browser

PAGES = {
    **KEY_PAGES,
    "case-index": "cases/",
    "industries": "industries/",
    "themes": "themes/",
    "vocabulary": "vocabulary/",
    "glossary": "glossary/",
    "about": "about/",
}


def _search(visit: Visit) -> None:
    visit.go()
    results = visit.search("資金繰り")
    assert results, "the search found nothing"
    visit.page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("kind", [*PAGES, "search"])
def test_no_request_leaves_the_site(desktop: Visit, kind: str) -> None:
    # Material asks Google Fonts unless `font: false`; a Mermaid diagram would load a CDN.
    if kind == "search":
        _search(desktop)
    else:
        desktop.go(PAGES[kind], until="networkidle")
    assert desktop.requests, "no request was recorded: the recorder is broken"
    assert desktop.outside_requests() == []


@pytest.mark.parametrize("kind", list(PAGES))
def test_page_fits_a_phone_without_sideways_scrolling(phone: Visit, kind: str) -> None:
    phone.go(PAGES[kind])
    phone.screenshot(f"{kind}-phone")
    width = phone.page.evaluate(
        "() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1] + 1, f"{PAGES[kind]} is {width[0]} px wide on a {width[1]} px phone"


@pytest.mark.parametrize("kind", list(PAGES))
def test_desktop_screenshot(desktop: Visit, kind: str) -> None:
    desktop.go(PAGES[kind])
    assert desktop.screenshot(f"{kind}-desktop").stat().st_size > 10_000


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_search_dialog_fits_the_screen(request: pytest.FixtureRequest, device: str) -> None:
    visit: Visit = request.getfixturevalue(device)
    _search(visit)
    visit.page.evaluate("document.querySelector('.cb-search__body').scrollTop = 0")
    visit.screenshot(f"search-{device}", full_page=False)
    box = visit.page.locator("[data-cb-search]").bounding_box()
    viewport = visit.page.viewport_size
    assert box is not None and box["x"] >= 0 and box["y"] >= 0
    assert box["x"] + box["width"] <= viewport["width"] + 1
    assert box["y"] + box["height"] <= viewport["height"] + 1
