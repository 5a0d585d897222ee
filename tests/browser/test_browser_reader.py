"""What a reader meets on the way through the site (issue 14): one page per term, no empty
pages, a matrix that works on a 360 px phone, plain menus and page footers."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from tests.browser.conftest import Visit, _visit

pytestmark = pytest.mark.browser

NARROW = {"width": 360, "height": 740}
WALLS = ["見えない", "向き合わない", "実行できない", "付いてこない", "足りない"]


@pytest.fixture
def narrow(browser, site_url: str) -> Iterator[Visit]:
    """A 360 px wide phone tab, the narrowest the issue's readers used."""
    yield from _visit(browser, site_url, NARROW)


def _path(visit: Visit) -> str:
    return visit.page.evaluate("location.pathname + location.hash")


def test_a_wall_badge_in_a_case_leads_to_the_walls_explanation_then_its_cases(
        desktop: Visit) -> None:
    desktop.go("cases/ex-food-wholesale-dx/")
    page = desktop.page
    with page.expect_navigation(url="**/method/walls/tsuitekonai/"):
        page.click(".cb-case-card .cb-badge--wall >> text=付いてこない")
    page.wait_for_load_state()
    assert _path(desktop) == "/method/walls/tsuitekonai/"
    assert page.inner_text("h1").startswith("付いてこない ― 自己変革への壁④")
    article = page.inner_text("article")
    assert article.index("ヒアリングでのサイン") < article.index("「付いてこない」の事例")
    cases = page.locator("#cases-wall-tsuitekonai ~ .cb-cards .cb-card-title")
    assert any("D社" in text for text in cases.all_inner_texts())


def test_a_skill_badge_leads_to_its_column_of_the_dialogue_guide(desktop: Visit) -> None:
    desktop.go("cases/ex-food-wholesale-dx/")
    page = desktop.page
    with page.expect_navigation(url="**/method/dialogue/#cases-skill-keicho"):
        page.click("article .cb-badge--skill >> text=傾聴 >> nth=0")
    page.wait_for_load_state()
    head = page.locator("#cases-skill-keicho")
    assert head.inner_text() == "傾聴"
    top = head.bounding_box()["y"]
    assert 0 <= top < desktop.page.viewport_size["height"], "the column head is not on screen"


def test_the_dialogue_guide_lists_each_case_once_in_one_table(desktop: Visit) -> None:
    desktop.go("method/dialogue/")
    page = desktop.page
    assert page.locator("article .cb-card").count() == 0
    rows = page.locator("table.cb-explained tbody tr")
    names = [row.locator("td >> nth=0").inner_text().split(" ")[0]
             for row in rows.all()]
    assert len(names) >= 5 and len(names) == len(set(names)), names
    height = page.evaluate("document.scrollingElement.scrollHeight")
    assert height < 4500, f"the dialogue guide is {height} px tall"


def test_a_search_for_a_head_count_lands_on_no_empty_page(desktop: Visit) -> None:
    desktop.go()
    results = desktop.search("30人")
    assert results, "the search found nothing: this test would check nothing"
    for result in results:
        desktop.page.goto(desktop.base + result.url.lstrip("/").split("#")[0].split("../")[-1])
        text = desktop.page.inner_text("article")
        assert "該当する事例はまだありません" not in text, f"{result.url} has no case"
    assert desktop.page.request.get(desktop.base + "employees/301-plus/").status == 404


def test_facet_overviews_list_only_terms_with_cases(desktop: Visit) -> None:
    desktop.go("prefectures/")
    page = desktop.page
    links = page.locator("article table a")
    assert 0 < links.count() < 20
    for name in links.all_inner_texts():
        assert name.endswith(("都", "道", "府", "県")), name
    assert "分類の語の一覧" in page.inner_text("article")
    page.click("article >> text=分類の語の一覧")
    page.wait_for_load_state()
    article = page.inner_text("article")
    assert "沖縄県" in article and "北海道" in article  # the whole vocabulary is there


def test_matrix_fits_a_360px_phone_and_its_numbers_lead_to_the_cases(narrow: Visit) -> None:
    narrow.go("matrix/")
    page = narrow.page
    narrow.screenshot("matrix-360", full_page=False)
    width = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1], f"the matrix page is {width[0]} px wide on a 360 px phone"
    table = page.locator("table.cb-matrix").bounding_box()
    assert table["x"] >= 0 and table["x"] + table["width"] <= 360
    heads = page.locator("table.cb-matrix thead th.cb-matrix-wall")
    assert heads.all_inner_texts() == WALLS or \
        [t.replace("\n", "") for t in heads.all_inner_texts()] == WALLS
    for box in (h.bounding_box() for h in heads.all()):
        assert 0 <= box["x"] and box["x"] + box["width"] <= 360
    height = page.evaluate("document.scrollingElement.scrollHeight")
    assert height < 4000, f"the matrix page is {height} px tall"
    number = page.locator("table.cb-matrix td a").first
    target = number.get_attribute("href")
    count = int(number.inner_text())
    number.click()
    page.wait_for_function("h => location.hash === h", arg=target)
    entry = page.locator(f"dt{target} + dd li")
    assert entry.count() == count
    with page.expect_navigation(url="**/cases/**"):
        entry.first.locator("a").click()
    assert page.locator(".cb-case-card").count() == 1


def test_the_menu_names_the_model_overview_and_guides_have_next_links(desktop: Visit) -> None:
    desktop.go("method/dialogue/")
    page = desktop.page
    nav = page.locator(".md-nav--primary")
    assert nav.locator("a >> text=モデルの全体像").count() >= 1
    footer = page.locator("nav.md-footer__inner")
    assert footer.inner_text().startswith("前\n")  # Material's Japanese 前へ / 次へ labels
    assert "モデルの全体像" in footer.locator(".md-footer__link--prev").inner_text()


def test_the_five_walls_overview_gives_each_wall_one_meaning(desktop: Visit) -> None:
    desktop.go("method/walls/")
    rows = desktop.page.locator("article table >> nth=0").locator("tbody tr")
    assert rows.count() == 5
    for wall, row in zip(WALLS, rows.all(), strict=True):
        cells = row.locator("td").all_inner_texts()
        assert cells[1] == wall and len(cells[2]) >= 8, cells
    article = desktop.page.inner_text("article")
    assert "未検証" not in article and "編集部注" in article


# Every badge in a case's text that closing punctuation follows: the badge's last line box and
# the punctuation's first character, as [label, top of badge, top of punctuation].
_BADGE_THEN_PUNCTUATION = """() => {
  const out = [];
  for (const badge of document.querySelectorAll("article mark.cb-annot + .cb-badge")) {
    const next = badge.nextSibling;
    if (!next || next.nodeType !== 3 || !/^[。、」）]/.test(next.textContent)) continue;
    const range = document.createRange();
    range.setStart(next, 0);
    range.setEnd(next, 1);
    const boxes = badge.getClientRects();
    out.push([badge.textContent, Math.round(boxes[boxes.length - 1].top),
              Math.round(range.getBoundingClientRect().top)]);
  }
  return out;
}"""


@pytest.mark.parametrize("case", ["ex-restaurant-cashflow", "ex-food-wholesale-dx",
                                  "ex-care-staffing"])
@pytest.mark.parametrize("device", ["narrow", "desktop"])
def test_closing_punctuation_stays_on_the_line_of_its_badge(
        request: pytest.FixtureRequest, device: str, case: str) -> None:
    visit: Visit = request.getfixturevalue(device)
    visit.go(f"cases/{case}/")
    found = visit.page.evaluate(_BADGE_THEN_PUNCTUATION)
    assert found, "no badge followed by punctuation: this test would check nothing"
    stranded = [(label, badge, mark) for label, badge, mark in found if abs(badge - mark) > 4]
    assert not stranded, f"punctuation starts a new line after badges {stranded}"


def test_the_case_index_is_cards_on_a_phone(narrow: Visit) -> None:
    narrow.go("cases/")
    page = narrow.page
    narrow.screenshot("case-index-360", full_page=False)
    assert not page.locator("table.cb-case-index thead").first.is_visible()
    row = page.locator("table.cb-case-index tbody tr").first
    box = row.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    title = row.locator("td >> nth=0").bounding_box()
    assert title["width"] > 280, f"the title has {title['width']} px: wrapped every few characters"
    labels = row.evaluate("""tr => [...tr.querySelectorAll('td[data-label]')].map(
        td => getComputedStyle(td, '::before').content)""")
    assert labels == ['"業種："', '"壁："', '"アプローチ："']


GLOSSARY = ["課題設定型", "腹落ち", "自走化", "内発的動機づけ", "官民合同チーム",
            "ロカベン（ローカルベンチマーク）"]


def test_the_glossary_quotes_the_source_and_links_each_explanation(desktop: Visit) -> None:
    desktop.go()
    page = desktop.page
    page.click(".md-nav--primary a >> text=用語集")
    page.wait_for_load_state()
    headings = page.locator("article h2").all_inner_texts()
    terms = [h.rstrip("¶").strip() for h in headings]
    assert set(GLOSSARY) <= set(terms), terms
    for term in terms:
        section = page.evaluate("""t => { const h = [...document.querySelectorAll('article h2')]
            .find(e => e.textContent.replace('¶', '').trim() === t);
          const out = []; let e = h.nextElementSibling;
          while (e && e.tagName !== 'H2') { out.push(e.outerHTML); e = e.nextElementSibling; }
          return out.join(''); }""", term)
        assert "解説:" in section and "<a href=" in section, term
        if term.startswith("ロカベン"):  # not in the source: said so
            assert "編集部注" in section
        else:
            assert "「" in section or "<blockquote>" in section, term
    for link in page.locator("article a:not(.headerlink)").all():
        href = link.get_attribute("href")
        assert page.request.get(page.url.split("#")[0] + href).ok, href


def test_the_about_page_names_its_sources_and_how_to_report_an_error(desktop: Visit) -> None:
    desktop.go()
    page = desktop.page
    page.click(".md-nav--primary a >> text=このサイトについて")
    page.wait_for_load_state()
    article = page.inner_text("article")
    assert "令和4年度 よろず支援拠点事業の運営について" in article
    assert "誤りを見つけたら" in article and "匿名化の漏れ" in article


def test_hide_walls_switch_hides_the_walls_and_is_remembered(desktop: Visit) -> None:
    desktop.go("cases/ex-restaurant-cashflow/")
    page = desktop.page
    switch = page.locator(".cb-hide-walls")
    assert switch.is_visible() and switch.get_attribute("aria-pressed") == "false"
    walls = page.locator("article .cb-badge--wall")
    assert walls.count() > 2 and walls.first.is_visible()
    assert "向き合わない" in page.inner_text("article")
    switch.click()
    assert switch.get_attribute("aria-pressed") == "true"
    # The case as it reads down to its related cases (their titles may name a wall).
    case_text = page.evaluate("""() => {
      const parts = [];
      for (const e of document.querySelector("#related").parentElement.children) {
        if (e.id === "related") break;
        // innerText of an element that is not rendered is its whole text: skip those.
        if (e.getClientRects().length) parts.push(e.innerText || "");
      }
      return parts.join("\\n"); }""")
    assert len(case_text) > 1000  # the case itself still reads
    for wall in WALLS:
        assert wall not in case_text, f"{wall} still shows with the walls hidden"
    assert not page.locator(".cb-related-reason").first.is_visible()
    desktop.go("cases/a-precision-parts/")  # remembered on the next case
    assert page.locator(".cb-hide-walls").get_attribute("aria-pressed") == "true"
    assert not page.locator(".cb-case-card dt.cb-facet--wall").is_visible()
    page.locator(".cb-hide-walls").click()
    page.reload()
    assert page.locator(".cb-case-card dt.cb-facet--wall").is_visible()


def _pdf_pages(visit: Visit) -> list[str]:
    """The page printed to A4 by chromium, as the text of each PDF page."""
    pdf = PdfReader(io.BytesIO(visit.page.pdf(format="A4", print_background=True)))
    return [unicodedata.normalize("NFKC", page.extract_text()) for page in pdf.pages]


def _lines(text: str) -> list[str]:
    return [line.replace(" ", "") for line in text.splitlines() if line.strip()]


def test_a_printed_case_is_the_case_alone_with_no_stranded_heading(desktop: Visit) -> None:
    desktop.go("cases/ex-restaurant-cashflow/")
    page = desktop.page
    headings = {unicodedata.normalize("NFKC", h.rstrip("¶")).replace(" ", "").strip()
                for h in page.locator("article :is(h2, h3)").all_inner_texts()}
    assert "設定された課題" in headings
    pages = _pdf_pages(desktop)
    assert 1 < len(pages) <= 4, f"{len(pages)} pages"
    printed = "".join(pages)
    for navigation in ("分類から探す", "目次", "壁を伏せて読む", "この事例を読み解く解説"):
        assert navigation not in printed, f"{navigation} is printed"
    for number, text in enumerate(pages[:-1], 1):
        assert _lines(text)[-1] not in headings, f"page {number} ends with a heading"
    last = _lines(pages[-1])
    related = [line for line in last if line.startswith(tuple("ABCDEFGHIJKLM"))]
    assert not related or "関連する事例" in "".join(last) or len(related) > 1, \
        "a page holds a stray related-case line"
    shown = printed.count("向き合わない")
    page.click(".cb-hide-walls")
    hidden = "".join(_pdf_pages(desktop))
    assert shown >= 3 and hidden.count("向き合わない") == 0, (shown, hidden.count("向き合わない"))
    page.click(".cb-hide-walls")


def test_the_printed_matrix_fits_one_a4_page(desktop: Visit) -> None:
    desktop.go("matrix/")
    rows = desktop.page.locator("table.cb-matrix tbody th").all_inner_texts()
    first = "".join(_lines(_pdf_pages(desktop)[0]))
    for name in [*WALLS, *(unicodedata.normalize("NFKC", r).replace(" ", "") for r in rows)]:
        assert name in first, f"{name} is not on the first printed page"


@pytest.mark.parametrize(("query", "alias", "garbled"), [
    ("聴いた", "D社", "聴いた傾聴"),  # a skill badge after the marked words
    ("現場で話を聴く", "D社", "壁を伏せて読む"),  # a button is not text
    ("現場で話を聴く", "J社", "支援者 傾聴"),  # a dialogue turn's skill badge
])
def test_search_excerpts_read_as_the_case_was_written(
        desktop: Visit, query: str, alias: str, garbled: str) -> None:
    desktop.go()
    results = desktop.search(query)
    assert any(r.is_case(alias) for r in results), results
    excerpts = desktop.page.locator(".cb-search__result-excerpt").all_inner_texts()
    assert excerpts and not any(garbled in e for e in excerpts), excerpts


def test_related_cases_favour_what_few_cases_share(desktop: Visit) -> None:
    # D社: staff will not use the new ordering system (付いてこない). Every case shares the
    # dialogue skills; the case whose staff will not follow a new tablet rota comes first.
    desktop.go("cases/ex-food-wholesale-dx/")
    related = desktop.page.locator(".cb-related li > a").all_inner_texts()
    assert related[0].startswith("G社"), related
    assert "付いてこない" in desktop.page.locator(".cb-related-reason").first.inner_text()


EDITOR_WORDS = ("表記ゆれ", "front matter", "未検証")


@pytest.mark.parametrize("path", ["method/dialogue/", "method/approaches/", "method/walls/",
                                  "method/walls/tsuitekonai/", "industries/", "walls/",
                                  "industries/e-manufacturing/", "employees/"])
def test_reader_pages_use_no_editor_vocabulary(desktop: Visit, path: str) -> None:
    desktop.go(path)
    article = desktop.page.inner_text("article")
    assert not [w for w in EDITOR_WORDS if w in article], path
    assert "問題点点検型アプローチ（" not in article and "付いて来ない" not in article


def test_a_case_page_says_when_it_last_changed(desktop: Visit) -> None:
    desktop.go("cases/a-precision-parts/")
    fact = desktop.page.locator(".md-source-file__fact").first.inner_text()
    assert re.fullmatch(r"最終更新: \d{4}年\d{1,2}月\d{1,2}日", fact.strip()), fact


def test_in_print_the_case_card_and_matrix_stay_within_the_paper(desktop: Visit) -> None:
    page = desktop.page
    page.set_viewport_size({"width": 718, "height": 1000})  # A4 less the margins, at 96 dpi
    page.emulate_media(media="print")
    try:
        for path, selector in (("cases/a-precision-parts/", ".cb-case-card"),
                               ("matrix/", "table.cb-matrix")):
            desktop.go(path)
            box = page.locator(selector).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 718, (path, box)
            assert not page.locator(".md-sidebar--primary").is_visible()
            width = page.evaluate("document.scrollingElement.scrollWidth")
            assert width <= 718, f"{path} is {width} px wide in print"
    finally:
        page.emulate_media(media="screen")
