"""The practice drills and the learning record in chromium, on the repository's own site:
answer right and wrong, see the feedback, filter, repeat the missed ones, use only the keyboard,
and find it all on 学習の記録 after a reload; export, clear and import the record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import casebook.practice
from tests.browser.conftest import Visit, _visit, serve
from tests.browser.test_browser_accessibility import report, violations
from tests.building import build_site
from tests.conftest import REPO

pytestmark = pytest.mark.browser

# The repository's site with drills in parts of this many questions, so that each drill is
# fetched in several parts here, as a large site's are (casebook.practice.PART_SIZE).
PART_SIZE = 10


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("practice-site")
    default, casebook.practice.PART_SIZE = casebook.practice.PART_SIZE, PART_SIZE
    try:
        # The site as published: its header, its search.
        build_site(REPO / "mkdocs.yml", site_dir=out, search_pagefind=True,
                   search_index_dir=str(out.parent / "practice-whoosh-index"))
    finally:
        casebook.practice.PART_SIZE = default
    assert len(list((out / "assets" / "casebook" / "practice").glob("skill-*.json"))) > 2
    return out


@pytest.fixture(scope="module")
def site_url(site_dir: Path):
    yield from serve(site_dir)

WALLS = {"mienai": "見えない", "mukiawanai": "向き合わない", "jikko-dekinai": "実行できない",
         "tsuitekonai": "付いてこない", "tarinai": "足りない"}


def questions(site_dir: Path, drill: str) -> list[dict]:
    found = []
    for path in (site_dir / "assets" / "casebook" / "practice").glob(f"{drill}-*.json"):
        data = json.loads(path.read_text("utf-8"))
        found += [{**q, "case": data["cases"][q["case"]]} for q in data["questions"]]
    return found


def open_drill(visit: Visit, drill: str) -> None:
    """Open a drill and wait until every part of it has come in."""
    visit.go(f"practice/{drill}/")
    visit.page.wait_for_selector("[data-cb-question]:not([hidden])")
    visit.page.wait_for_function("() => !document.querySelector('[data-cb-status]')"
                                 ".textContent.includes('読み込んでいます')")


def shown(visit: Visit, site_dir: Path, drill: str) -> dict:
    """The question on screen, found in the drill's data by its text."""
    text = visit.page.inner_text("[data-cb-text]").strip()
    matches = [q for q in questions(site_dir, drill)
               if text.endswith(q["text"].strip()) and
               visit.page.inner_text("[data-cb-case]").startswith(q["case"]["alias"])]
    assert matches, f"the question on screen is not in {drill}.json: {text}"
    return matches[0]


def answer(visit: Visit, labels: list[str]) -> str:
    for label in labels:
        visit.page.get_by_label(label, exact=True).check()
    visit.page.get_by_role("button", name="答え合わせ").click()
    return visit.page.inner_text("[data-cb-feedback]")


def test_a_right_and_a_wrong_answer_show_feedback_and_count_on_the_record(
        desktop: Visit, site_dir: Path) -> None:
    open_drill(desktop, "wall")
    question = shown(desktop, site_dir, "wall")
    right = [WALLS[slug] for slug in question["answers"]]
    feedback = answer(desktop, right)
    assert feedback.startswith("正解")
    assert f"正しい答え: {'・'.join(right)}" in feedback
    guide = desktop.page.locator("[data-cb-feedback] a").first
    assert guide.get_attribute("href").endswith(
        {"mienai": "method/walls/mienai/", "mukiawanai": "method/walls/mukiawanai/",
         "jikko-dekinai": "method/walls/jikko-dekinai/", "tsuitekonai": "method/walls/tsuitekonai/",
         "tarinai": "method/walls/tarinai/"}[question["answers"][0]])
    case = desktop.page.locator("[data-cb-feedback] a").last
    assert case.get_attribute("href").endswith(question["case"]["url"])
    assert question["case"]["alias"] in case.inner_text()

    desktop.page.get_by_role("button", name="次の問題").click()
    second = shown(desktop, site_dir, "wall")
    wrong = next(label for slug, label in WALLS.items() if slug not in second["answers"])
    feedback = answer(desktop, [wrong])
    assert feedback.startswith("不正解")
    assert "正しい答え: " + "・".join(WALLS[s] for s in second["answers"]) in feedback
    desktop.screenshot("practice-wall-feedback-desktop")

    desktop.page.reload()
    desktop.go("practice/progress/")
    record = desktop.page.locator("[data-cb-drill=wall] .cb-progress__count").inner_text()
    assert record == "2 回中 1 回正解（50%）"
    skill = desktop.page.locator("[data-cb-drill=skill] .cb-progress__count").inner_text()
    assert skill == "まだ答えていません"
    wall_questions = len(questions(site_dir, "wall"))
    assert desktop.page.locator("[data-cb-drill=wall] .cb-progress__reach").inner_text() == \
        f"{wall_questions} 問のうち 2 問に答えました"
    assert "最後に練習した日: " in desktop.page.inner_text("[data-cb-progress-last]")
    for slug in set(question["answers"]) | set(second["answers"]):
        assert "回中" in desktop.page.locator(
            f"[data-cb-term='wall:{slug}'] .cb-progress__count").inner_text()
    desktop.screenshot("practice-progress-desktop")


def test_the_skill_drill_shows_the_dialogue_before_the_line(desktop: Visit,
                                                            site_dir: Path) -> None:
    open_drill(desktop, "skill")
    for _ in range(10):  # until a dialogue line comes up
        question = shown(desktop, site_dir, "skill")
        if question.get("speaker"):
            break
        desktop.page.get_by_role("button", name="次の問題").click()
    assert question.get("speaker"), "no dialogue line in ten questions"
    context = desktop.page.inner_text("[data-cb-context]")
    for line in question["context"]:
        assert line["text"] in context
    labels = {"keicho": "傾聴", "kyokan": "共感", "toikake": "問いかけ", "teian": "提案"}
    feedback = answer(desktop, [labels[question["answers"][0]]])
    assert feedback.startswith("正解")
    assert "method/dialogue/" in desktop.page.locator(
        "[data-cb-feedback] a").first.get_attribute("href")


def test_filter_by_wall_asks_only_that_walls_questions(desktop: Visit, site_dir: Path) -> None:
    open_drill(desktop, "wall")
    desktop.page.get_by_label("壁で絞り込む").select_option(label="付いてこない")
    expected = [q for q in questions(site_dir, "wall") if "tsuitekonai" in q["answers"]]
    status = desktop.page.inner_text("[data-cb-status]")
    assert f"/ {len(expected)}" in status and "「付いてこない」で絞り込み" in status
    for _ in range(len(expected)):
        assert "tsuitekonai" in shown(desktop, site_dir, "wall")["answers"]
        desktop.page.get_by_role("button", name="次の問題").click()


def test_missed_only_mode_repeats_the_questions_answered_wrong(desktop: Visit,
                                                               site_dir: Path) -> None:
    open_drill(desktop, "approach")
    missed = shown(desktop, site_dir, "approach")
    labels = {"keicho-gap": "傾聴型ギャップアプローチ",
              "strength-discovery": "強み発見型アプローチ",
              "problem-inspection": "問題点検型アプローチ"}
    wrong = next(label for slug, label in labels.items() if slug not in missed["answers"])
    assert answer(desktop, [wrong]).startswith("不正解")
    desktop.page.get_by_role("button", name="次の問題").click()
    right = shown(desktop, site_dir, "approach")
    assert answer(desktop, [labels[right["answers"][0]]]).startswith("正解")

    desktop.page.get_by_label("間違えた問題だけ").check()
    assert desktop.page.inner_text("[data-cb-status]").startswith("問題 1 / 1")
    assert shown(desktop, site_dir, "approach")["id"] == missed["id"]
    # Answered right now, it leaves the missed ones.
    assert answer(desktop, [labels[missed["answers"][0]]]).startswith("正解")
    desktop.page.get_by_label("間違えた問題だけ").uncheck()
    desktop.page.get_by_label("間違えた問題だけ").check()
    assert desktop.page.inner_text("[data-cb-status]").startswith("間違えた問題はありません")


def test_a_question_can_be_answered_with_the_keyboard_alone(desktop: Visit,
                                                            site_dir: Path) -> None:
    open_drill(desktop, "wall")
    question = shown(desktop, site_dir, "wall")
    page = desktop.page
    page.focus("[data-cb-missed]")
    wanted = {WALLS[slug] for slug in question["answers"]}
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => [document.activeElement.tagName, "
                                "document.activeElement.parentElement.textContent.trim(), "
                                "document.activeElement.textContent.trim()]")
        if focused[0] == "INPUT" and focused[1] in wanted:
            page.keyboard.press("Space")
        if focused[0] == "BUTTON" and focused[2] == "答え合わせ":
            page.keyboard.press("Enter")
            break
    feedback = page.inner_text("[data-cb-feedback]")
    assert feedback.startswith("正解"), feedback
    assert page.evaluate("() => document.activeElement.matches('[data-cb-feedback]')")
    # From the feedback, past its links (guide, case), to the next question.
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('[data-cb-next]')"):
            break
    page.keyboard.press("Enter")
    assert page.inner_text("[data-cb-status]").startswith("問題 2 /")
    assert page.evaluate("() => document.activeElement.matches('input[name=answer]')")


def test_export_clear_and_import_restore_the_record(desktop: Visit, site_dir: Path,
                                                    tmp_path: Path) -> None:
    open_drill(desktop, "wall")
    question = shown(desktop, site_dir, "wall")
    assert answer(desktop, [WALLS[s] for s in question["answers"]]).startswith("正解")
    page = desktop.page
    desktop.go("practice/progress/")
    count = page.locator("[data-cb-drill=wall] .cb-progress__count")
    assert count.inner_text() == "1 回中 1 回正解（100%）"
    with page.expect_download() as download:
        page.get_by_role("button", name="記録を書き出す").click()
    saved = tmp_path / "record.json"
    download.value.save_as(saved)
    assert question["id"] in json.loads(saved.read_text("utf-8"))["questions"]

    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="記録を消す").click()
    assert count.inner_text() == "1 回中 1 回正解（100%）"  # asked first, and told no
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="記録を消す").click()
    assert count.inner_text() == "まだ答えていません"

    # A record from an older build: a question no longer in the site still counts.
    record = json.loads(saved.read_text("utf-8"))
    record["questions"]["w-gone-from-the-site"] = {
        "drill": "wall", "terms": ["tarinai"], "answered": 3, "correct": 1,
        "lastCorrect": False, "at": "2026-01-05"}
    saved.write_text(json.dumps(record), "utf-8")
    page.set_input_files("[data-cb-import]", str(saved))
    page.wait_for_function("() => document.querySelector('[data-cb-progress-message]')"
                           ".textContent.includes('読み込みました')")
    assert count.inner_text() == "4 回中 2 回正解（50%）"
    # 足りない: the gone question's 1 of 3, and the question answered above if it was one
    # (the order is shuffled, so it may have been).
    weak = "50%" if "tarinai" in question["answers"] else "33%"
    assert f"足りない（正答率 {weak}）" in page.inner_text("[data-cb-progress-weak]")

    broken = tmp_path / "broken.json"
    broken.write_text("{not json", "utf-8")
    page.set_input_files("[data-cb-import]", str(broken))
    page.wait_for_function("() => document.querySelector('[data-cb-progress-message]')"
                           ".textContent.includes('読めませんでした')")
    assert count.inner_text() == "4 回中 2 回正解（50%）"


def test_case_answer_boxes_keep_what_was_written_and_hints_stay_closed(desktop: Visit) -> None:
    desktop.go("cases/ex-retail-ec/")
    page = desktop.page
    box = page.get_by_label("あなたの考え（1）")
    box.fill("見えない壁のサイン")
    hints = page.locator("details.cb-hints")
    assert hints.count() == 1
    assert not hints.evaluate("d => d.open")
    assert not page.locator(".cb-hints__body").is_visible()
    page.reload()
    assert page.get_by_label("あなたの考え（1）").input_value() == "見えない壁のサイン"
    page.get_by_text("自分の考えを書いてから開く").click()
    assert page.locator(".cb-hints__body").is_visible()
    page.locator("#考えてみよう").scroll_into_view_if_needed()
    desktop.screenshot("practice-case-hints-desktop", full_page=False)


@pytest.fixture
def narrow_phone(browser, site_url: str):
    """A 360 px wide phone, the narrowest the issue names."""
    yield from _visit(browser, site_url, {"width": 360, "height": 740})


@pytest.mark.parametrize("path", ["practice/", "practice/wall/", "practice/skill/",
                                  "practice/progress/", "cases/ex-retail-ec/"])
def test_practice_pages_have_no_serious_violation_and_fit_a_phone(
        desktop: Visit, narrow_phone: Visit, path: str) -> None:
    desktop.go(path, until="networkidle")
    found = violations(desktop)
    assert not found, report(found)
    desktop.page.add_style_tag(content="*, *::before, *::after { transition: none !important }")
    desktop.page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    found = violations(desktop)
    assert not found, "slate: " + report(found)
    assert desktop.outside_requests() == []
    narrow_phone.go(path, until="networkidle")
    narrow_phone.screenshot("practice-" + path.strip("/").replace("/", "-") + "-phone")
    width = narrow_phone.page.evaluate(
        "() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1] + 1, f"{path} is {width[0]} px wide on a {width[1]} px phone"


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("right", [True, False])
def test_a_question_with_its_feedback_has_no_serious_violation(
        desktop: Visit, site_dir: Path, scheme: str, right: bool) -> None:
    open_drill(desktop, "wall")
    question = shown(desktop, site_dir, "wall")
    labels = [WALLS[s] for s in question["answers"]] if right else \
        [next(label for slug, label in WALLS.items() if slug not in question["answers"])]
    assert answer(desktop, labels).startswith("正解" if right else "不正解")
    desktop.page.add_style_tag(content="*, *::before, *::after { transition: none !important }")
    desktop.page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    found = violations(desktop)
    assert not found, report(found)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory):
    """A case whose annotated sentence and dialogue line are markup that would run."""
    from tests.conftest import MKDOCS_YML, Project

    project = Project(tmp_path_factory.mktemp("hostile-practice") / "proj")
    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="false"))
    path = project.case()
    path.write_text(path.read_text("utf-8")
                    .replace("[場当たり的]", "[場当たり的<img src=x onerror=window.cbHacked=1>]")
                    .replace("5年後、どんな会社になっていたいですか。",
                             "<script>window.cbHacked=2</script>どうですか。"), "utf-8")
    yield from serve(project.build())


def test_markup_in_a_case_is_shown_as_text_in_the_drills(browser, hostile_site: str) -> None:
    for visit in _visit(browser, hostile_site, {"width": 1280, "height": 800}):
        for name, written in (("wall", "<img src=x onerror=window.cbHacked=1>"),
                              ("skill", "<script>window.cbHacked=2</script>")):
            visit.go(f"practice/{name}/")
            page = visit.page
            for _ in range(6):  # the skill drill also asks the fixture's 傾聴 span
                page.wait_for_selector("[data-cb-question]:not([hidden])")
                if written in page.inner_text("[data-cb-text]"):
                    break
                page.get_by_role("button", name="次の問題").click()
            assert written in page.inner_text("[data-cb-text]")
            assert page.locator("[data-cb-text] img, [data-cb-text] script").count() == 0
            assert page.evaluate("() => window.cbHacked") is None


def test_a_missed_question_is_still_missed_after_its_case_is_edited_and_rebuilt(
        browser, tmp_path: Path) -> None:
    from tests.conftest import MKDOCS_YML, Project

    project = Project(tmp_path / "proj")
    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="false"))
    path = project.case()
    path.write_text(path.read_text("utf-8").replace(
        "- 改革を進めると社員との軋轢が生じた。",
        "- [改革を進めると社員との軋轢が生じた]{wall=付いてこない}。"), "utf-8")
    site = project.build()
    for url in serve(site):
        for visit in _visit(browser, url, {"width": 1280, "height": 800}):
            open_drill(visit, "wall")
            first = shown(visit, site, "wall")
            wrong = next(label for slug, label in WALLS.items() if slug not in first["answers"])
            assert answer(visit, [wrong]).startswith("不正解")
            visit.page.get_by_role("button", name="次の問題").click()
            second = shown(visit, site, "wall")
            assert answer(visit, [WALLS[s] for s in second["answers"]]).startswith("正解")

            # Edited elsewhere (a new paragraph, a new annotation, another section) and rebuilt.
            path.write_text(path.read_text("utf-8").replace(
                "## 設定された課題\n", "## 設定された課題\n\n[資金の流れが分からない]"
                "{wall=見えない}まま経営していた。\n\n").replace(
                "目標年商を達成した。", "二年で目標年商を達成した。"), "utf-8")
            project.build()
            open_drill(visit, "wall")
            assert visit.page.inner_text("[data-cb-status]").startswith("問題 1 / 3")
            visit.page.get_by_label("間違えた問題だけ").check()
            assert visit.page.inner_text("[data-cb-status]").startswith("問題 1 / 1")
            again = shown(visit, site, "wall")
            assert (again["text"], again["id"]) == (first["text"], first["id"])
