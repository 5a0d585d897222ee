"""Practice drills on real builds in tmp_path: the questions a learner gets, what never becomes
one (drafts, teaching notes), ids that survive edits, the output gate, and 解答の手がかり."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.building import build_site
from tests.conftest import MKDOCS_YML, Project
from tests.test_build import text_of

PRACTICE = Path("assets") / "casebook" / "practice"


def drill(site: Path, name: str) -> list[dict]:
    """The drill's questions from all its parts, each with its case filled in."""
    found = []
    for path in sorted((site / PRACTICE).glob(f"{name}-*.json")):
        data = json.loads(path.read_text("utf-8"))
        found += [{**q, "case": data["cases"][q["case"]]} for q in data["questions"]]
    return found


def every_practice_file(site: Path) -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted((site / PRACTICE).glob("*.json")))


def test_wall_span_becomes_a_question_with_the_sentence_and_the_one_before(
        project: Project) -> None:
    project.case()
    path = project.root / "cases" / "a-parts.md"
    path.write_text(path.read_text("utf-8").replace(
        "- 改革を進めると社員との軋轢が生じた。",
        "- 経営者は改革を急いだ。[改革を進めると社員との軋轢が生じた]{wall=付いてこない}。"),
        "utf-8")
    site = project.build()
    walls = drill(site, "wall")
    assert [q["answers"] for q in walls] == [["mienai"], ["tsuitekonai"]]
    first, second = walls
    assert first["text"] == "人の管理や資金繰りへの対応は場当たり的だった。"
    assert first["text"][slice(*first["mark"])] == "場当たり的"
    assert first["case"] == {"alias": "A社", "title": "属人的経営から組織的経営へ",
                             "url": "cases/a-parts/"}
    assert second["text"] == "改革を進めると社員との軋轢が生じた。"
    assert second["context"] == [{"text": "経営者は改革を急いだ。"}]
    assert "{wall" not in every_practice_file(site) and "badge" not in every_practice_file(site)


def test_supporter_dialogue_line_becomes_a_skill_question_with_the_lines_before(
        project: Project) -> None:
    project.case()
    path = project.root / "cases" / "a-parts.md"
    path.write_text(path.read_text("utf-8").replace(
        "経営者: 社員が自分で考えて動く会社です。\n",
        "経営者: 社員が自分で考えて動く会社です。\n支援者[共感]: それは素敵な姿ですね。\n"),
        "utf-8")
    site = project.build()
    lines = [q for q in drill(site, "skill") if q.get("speaker")]
    assert [(q["text"], q["answers"]) for q in lines] == [
        ("5年後、どんな会社になっていたいですか。", ["toikake"]),
        ("それは素敵な姿ですね。", ["kyokan"])]
    assert lines[1]["context"] == [
        {"speaker": "支援者", "text": "5年後、どんな会社になっていたいですか。"},
        {"speaker": "経営者", "text": "社員が自分で考えて動く会社です。"}]
    approaches = drill(site, "approach")
    assert approaches == []  # the fixture annotates no approach in its text


def test_practice_pages_link_the_drills_with_their_counts(project: Project) -> None:
    project.case()
    project.build()
    text = text_of(project.page("practice"))
    assert "壁を見立てる （1 問）" in text or "壁を見立てる（1 問）" in text
    page = project.page("practice/wall")
    assert 'data-cb-data="../../assets/casebook/practice/wall-1.json"' in page
    for label in ("見えない", "向き合わない", "実行できない", "付いてこない", "足りない"):
        assert re.search(rf'<input type="checkbox" name="answer" value="[a-z-]+"[^>]*> {label}'
                         r"</label>", page)
    assert re.search(r'<input type="radio" name="answer"[^>]*> 傾聴</label>',
                     project.page("practice/skill"))
    assert "答え合わせ" in page and "次の問題" in page and "間違えた問題だけ" in page
    assert "記録を書き出す" in project.page("practice/progress")


@pytest.mark.parametrize(("edition", "drafts", "command"), [
    ("learner", "false", "build"), ("trainer", "false", "build"), ("learner", "true", "serve")])
def test_teaching_notes_and_drafts_never_become_questions(project: Project, edition: str,
                                                          drafts: str, command: str) -> None:
    # drafts: true is what `mkdocs serve` does: the draft's page is shown, still no question.
    # (A site build refuses the option while there are drafts: tests/test_check.py.)
    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="false")
                  + f"      edition: {edition}\n      drafts: {drafts}\n")
    project.case()
    project.case("z-draft", alias="Z社", status="draft", title="下書きZZZ事例")
    path = project.root / "cases" / "a-parts.md"
    path.write_text(path.read_text("utf-8").replace("## 生まれた事業上の変化", (
        "```teaching-note\n"
        "講師メモQQQ: [指導用の注釈QQQ]{wall=見えない}を読ませる。\n\n"
        "```\n\n## 生まれた事業上の変化")), "utf-8")
    draft = project.root / "cases" / "z-draft.md"
    draft.write_text(draft.read_text("utf-8").replace("場当たり的", "下書きだけの記述ZZZ"), "utf-8")
    site = build_site(project.root / "mkdocs.yml", command=command)
    data = every_practice_file(site)
    assert "場当たり的" in data  # the published case is there
    assert "QQQ" not in data and "講師メモ" not in data
    assert "ZZZ" not in data and "Z社" not in data and "z-draft" not in data
    assert "QQQ" not in text_of(project.page("practice/wall"))
    # The trainer edition shows the note on the case page; it is still no question.
    assert ("講師メモQQQ" in project.page("cases/a-parts")) == (edition == "trainer")
    # With drafts the draft is in the library (listed on term pages), and still no question.
    assert ("Z社" in project.page("walls/mienai")) == (drafts == "true")


def test_question_ids_survive_an_edit_elsewhere_in_the_case_and_a_new_case(
        project: Project) -> None:
    project.case()
    site = project.build()
    before = {q["text"]: q["id"] for name in ("wall", "skill") for q in drill(site, name)}
    path = project.root / "cases" / "a-parts.md"
    path.write_text(path.read_text("utf-8").replace(
        "# 属人的経営から組織的経営へ\n",
        "# 属人的経営から組織的経営へ\n\n前置きの段落を足した。[新しい注釈]{wall=付いてこない}。\n")
        .replace("目標年商を達成した。", "目標年商を二年で達成した。"), "utf-8")
    project.case("b-more", alias="B社")
    site = project.build()
    after = {(q["case"]["alias"], q["text"]): q["id"]
             for name in ("wall", "skill") for q in drill(site, name)}
    for text, old_id in before.items():
        assert after[("A社", text)] == old_id
    assert after[("B社", "人の管理や資金繰りへの対応は場当たり的だった。")] != \
        before["人の管理や資金繰りへの対応は場当たり的だった。"]
    assert len(set(after.values())) == len(after)


def test_a_private_term_in_practice_data_stops_the_build_naming_the_file(
        project: Project, monkeypatch: pytest.MonkeyPatch, caplog) -> None:
    import pipeline.build

    project.case()
    project.write("content/private-terms.txt", "秘密商事\n")
    real = pipeline.build.practice_files

    def leaky(*args, **kwargs):
        files = real(*args, **kwargs)
        files["assets/casebook/practice/wall-1.json"] += "秘密商事"
        return files

    monkeypatch.setattr(pipeline.build, "practice_files", leaky)
    project.build_fails()
    assert ("assets/casebook/practice/wall-1.json: published file: private term '秘密商事' "
            "in what was written") in caplog.text
    assert not (project.root / "site").exists()  # nothing half-built published


HINTS_CASE_TAIL = """
## 考えてみよう

1. 最初の問い。
2. 二つ目の問い。

## 解答の手がかり

{hints}
"""


def with_hints(project: Project, hints: str) -> Path:
    path = project.case()
    path.write_text(path.read_text("utf-8") + HINTS_CASE_TAIL.format(hints=hints), "utf-8")
    return path


def test_hints_are_closed_behind_a_summary_and_each_question_gets_an_answer_box(
        project: Project) -> None:
    with_hints(project, "1. 一つ目の手がかり。\n2. 二つ目の手がかり。")
    project.build()
    page = project.page("cases/a-parts")
    assert re.search(r'<details class="cb-hints"><summary>自分の考えを書いてから開く</summary>'
                     r'.*一つ目の手がかり。.*二つ目の手がかり。.*</details>', page, re.S)
    assert "<details open" not in page
    boxes = re.findall(r'<label for="(cb-answer-\d)">あなたの考え（\d）</label>'
                       r'<textarea id="(cb-answer-\d)"', page)
    assert boxes == [("cb-answer-1", "cb-answer-1"), ("cb-answer-2", "cb-answer-2")]


def test_more_hints_than_questions_names_file_line_and_number(project: Project,
                                                              caplog) -> None:
    path = with_hints(project, "1. 一つ目。\n2. 二つ目。\n3. 三つ目。")
    project.build_fails()
    line = path.read_text("utf-8").splitlines().index("3. 三つ目。") + 1
    assert (f"cases/a-parts.md:{line}: 解答の手がかり: hint 3 has no question 3 in "
            "'## 考えてみよう' (2 questions) — did you mean '2'?") in caplog.text


def test_hints_without_a_numbered_list_are_reported(project: Project, caplog) -> None:
    with_hints(project, "答えは自分で考えること。")
    project.build_fails()
    assert "'## 解答の手がかり' needs a numbered list (1. …)" in caplog.text


def test_a_drill_is_written_in_parts_each_question_once_and_the_page_lists_them(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    import casebook.practice

    project.case("a-parts")
    project.case("b-parts", alias="B社")
    project.case("c-parts", alias="C社")
    site = project.build()
    whole = sorted(q["id"] for q in drill(site, "skill"))
    monkeypatch.setattr(casebook.practice, "PART_SIZE", 2)
    site = project.build()
    parts = sorted((site / PRACTICE).glob("skill-*.json"))
    assert [p.name for p in parts] == ["skill-1.json", "skill-2.json", "skill-3.json"]
    assert sorted(q["id"] for q in drill(site, "skill")) == whole
    for path in parts:
        data = json.loads(path.read_text("utf-8"))
        assert set(data["cases"]) == {q["case"] for q in data["questions"]}
    urls = re.search(r'data-cb-data="([^"]+)"', project.page("practice/skill")).group(1)
    assert urls.split() == [f"../../assets/casebook/practice/skill-{n}.json" for n in (1, 2, 3)]


def test_practice_js_puts_data_into_pages_as_text_only() -> None:
    # Question texts come from case files: the script must never parse them as HTML.
    from tests.conftest import REPO

    script = (REPO / "plugins" / "overrides" / "assets" / "casebook" / "practice.js").read_text(
        "utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script
    assert "textContent" in script and "createTextNode" in script


def test_every_drill_is_also_written_as_moodle_xml_with_ids_grades_and_links(
        project: Project) -> None:
    import xml.etree.ElementTree as ET

    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="false")
                  + "      practice_moodle: true\nsite_url: https://example.org/handbook/\n")
    project.case()
    site = project.build()
    quiz = ET.parse(site / PRACTICE / "moodle-wall.xml").getroot()
    category, *questions = quiz.findall("question")
    assert category.find("category/text").text == "$course$/伴走支援ケースブック/壁を見立てる"
    assert [q.find("idnumber").text for q in questions] == [q["id"] for q in drill(site, "wall")]
    question = questions[0]
    text = question.find("questiontext/text").text
    assert "<mark>場当たり的</mark>" in text
    case_link = ('<a href="https://example.org/handbook/cases/a-parts/">'
                 "A社 属人的経営から組織的経営へ</a>")
    assert case_link in text
    answers = {a.find("text").text: float(a.get("fraction")) for a in question.findall("answer")}
    assert answers == {"見えない": 100, "向き合わない": -25, "実行できない": -25,
                       "付いてこない": -25, "足りない": -25}
    assert question.find("single").text == "false"
    assert "正しい答え: 見えない" in question.find("generalfeedback/text").text
    skill = ET.parse(site / PRACTICE / "moodle-skill.xml").getroot().findall("question")[1]
    assert skill.find("single").text == "true"
    assert sorted(float(a.get("fraction")) for a in skill.findall("answer")) == [0, 0, 0, 100]
    assert 'href="../assets/casebook/practice/moodle-wall.xml"' in project.page("practice")


def test_moodle_xml_is_only_written_when_asked_for(project: Project) -> None:
    project.case()
    site = project.build()
    assert not list((site / PRACTICE).glob("*.xml"))
    assert "Moodle" not in project.page("practice")
