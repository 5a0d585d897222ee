"""A curriculum's handout printed to PDF in chromium: A4, several pages, one session per page
break, the case texts there, and nothing of the site's navigation, header or search."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import SCREENSHOTS, Visit

pytestmark = pytest.mark.browser

HANDOUT = "handouts/intro-half-day/"
# Chrome of the site that must not print: header, tabs, sidebars, footer, search, permalinks.
CHROME = (".md-header", ".md-sidebar", ".md-footer", ".md-tabs", ".md-search", ".headerlink",
          ".cb-search")
A4_POINTS = (595, 842)


def _pages(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's size in points, from the PDF's page objects (chromium writes them plainly)."""
    boxes = re.findall(rb"/Type\s*/Page\b(?!s).*?/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)",
                       pdf, re.S)
    if not boxes:  # the MediaBox written before the /Type
        boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\][^>]*?/Type\s*"
                           rb"/Page\b(?!s)", pdf, re.S)
    return [(float(w), float(h)) for w, h in boxes]


def test_handout_prints_on_a4_one_session_per_page_break(desktop: Visit) -> None:
    desktop.go(HANDOUT)
    page = desktop.page
    page.emulate_media(media="print")
    sessions = page.locator(".cb-handout-session")
    count = sessions.count()
    assert count == 7
    breaks = page.eval_on_selector_all(
        ".cb-handout-session", "els => els.map(e => getComputedStyle(e).breakBefore)")
    assert breaks == ["page"] * count
    pdf = page.pdf(format="A4", print_background=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "handout-intro-half-day.pdf").write_bytes(pdf)
    pages = _pages(pdf)
    # The plan on the first page, then every session from a new page (some run longer).
    assert len(pages) > count, f"{len(pages)} pages for {count} sessions"
    assert all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2 for w, h in pages), \
        pages[:3]


def test_printed_handout_has_the_case_texts_and_no_site_chrome(desktop: Visit) -> None:
    desktop.go(HANDOUT)
    page = desktop.page
    page.emulate_media(media="print")
    for selector in CHROME:
        visible = page.eval_on_selector_all(
            selector, "els => els.filter(e => getComputedStyle(e).display !== 'none'"
                      " && e.getClientRects().length > 0).length")
        assert visible == 0, f"{selector} would print"
    text = page.inner_text("body")
    for expected in ("A社: 場当たり的な経営から", "B社: 属人的経営から組織的経営へ",
                     "C社: 「鶏と卵」の状態を越えて", "考えてみよう", "設定された課題",
                     "時間配分", "合計"):
        assert expected in text, expected
    # Navigation labels of the site (its sections and the search) are not in the print.
    for label in ("分類から探す", "事例の書き方", "検索"):
        assert label not in text, label
    assert "指導メモ" not in text


def test_handout_on_screen_links_back_and_hides_navigation(desktop: Visit) -> None:
    desktop.go(HANDOUT)
    page = desktop.page
    assert page.is_visible("text=カリキュラムのページに戻る")
    assert not page.is_visible(".md-sidebar--primary .md-nav__list")
