"""A curriculum's handout printed to PDF in chromium: A4, several pages, one session per page
break, the case texts there, and nothing of the site's navigation, header or search."""

from __future__ import annotations

import re
import zlib

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


def _outline(pdf: bytes) -> list[str]:
    """The titles of a tagged PDF's outline (its bookmarks: every heading that was printed),
    read from chromium's compressed object streams."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", match.end())
        try:
            parts.append(zlib.decompress(pdf[match.end():end]))
        except zlib.error:
            continue
    return [bytes.fromhex(m.group(1).decode()).decode("utf-16-be")
            for part in parts for m in re.finditer(rb"/Title\s*<FEFF([0-9A-Fa-f]*)>", part)]


def test_printed_pdf_has_every_case_and_its_sections(desktop: Visit) -> None:
    desktop.go(HANDOUT)
    titles = _outline(desktop.page.pdf(format="A4", outline=True, tagged=True))
    for heading in ("A社: 場当たり的な経営から、5年後の成長目標を社全体で共有する経営へ",
                    "B社: 属人的経営から組織的経営へ ― 次世代の経営チームが中期事業計画を描く",
                    "C社: 「鶏と卵」の状態を越えて、スーパーの本格再開を決断する",
                    "D社: 【演習】受発注のＤＸに現場が付いてこない食品卸売業"):
        assert heading in titles, (heading, titles)
    cases = [t for t in titles if re.match(r"[A-Z]社: ", t)]
    assert len(cases) == 7  # E, M, A, B, C, D, G: the sessions' cases (alternates are only named)
    assert titles.count("設定された課題") == len(cases)
    assert titles.count("考えてみよう") == len(cases)
    assert not any("指導メモ" in t for t in titles)


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
