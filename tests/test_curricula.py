"""Curricula: a file with the issue's keys builds into a list, a page and a handout; every
mistake a trainer can make in one is reported with file, line, field, value and the closest
valid value, all at once, with nothing written."""

from __future__ import annotations

import re

import pytest

from tests.conftest import Project
from tests.test_build import text_of

GUIDE = "# 伴走支援の考え方\n\n課題設定型の伴走支援を解説します。\n"

CURRICULUM = """\
---
title: 課題設定型伴走支援 入門（半日）
audience: 着任1年目のコーディネーター・経営指導員
objectives:
  - 課題「解決」型と課題「設定」型の違いを、事例を使って説明できる
sessions:
  - title: 伴走支援の考え方
    minutes: 30
    guides: [method/index.md]
  - title: 壁を見立てる
    minutes: 60
    cases: [a-parts, b-shop]
    alternates: [c-farm]
status: published
---
本文（ねらい、進め方の説明）
"""

QUESTIONS = "\n## 考えてみよう\n\n- {alias}の経営者に、最初にどんな問いかけをしますか。\n"


def article(html: str) -> str:
    """The visible text of a page's article (not its navigation or table of contents)."""
    return text_of(html[html.index("data-pagefind-body"):html.index("cb-pagefind-body-end")])


def _project(project: Project) -> Project:
    project.write("content/method/index.md", GUIDE)
    for name, alias, walls in (("a-parts", "A社", "見えない, 付いてこない"),
                               ("b-shop", "B社", "見えない"),
                               ("c-farm", "C社", "見えない, 足りない")):
        path = project.case(name, alias=alias, walls=walls)
        path.write_text(path.read_text("utf-8") + QUESTIONS.format(alias=alias), "utf-8")
    project.write("content/curricula/intro.md", CURRICULUM)
    return project


@pytest.fixture
def built(project: Project) -> Project:
    _project(project).build()
    return project


def test_the_issue_example_builds_a_listed_curriculum(built: Project) -> None:
    listing = text_of(built.page("curricula"))
    assert "課題設定型伴走支援 入門（半日）" in listing
    assert "着任1年目のコーディネーター・経営指導員" in listing
    row = re.search(r"入門（半日）(.*?)印刷用", listing, re.S).group(1)
    assert "1時間30分" in row and re.search(r"\b2\b", row), row  # total time, two cases


def test_curriculum_page_has_objectives_and_a_time_plan_with_start_times(built: Project) -> None:
    page = article(built.page("curricula/intro"))
    assert "課題「解決」型と課題「設定」型の違いを、事例を使って説明できる" in page
    assert "本文（ねらい、進め方の説明）" in page
    plan = re.search(r"時間配分(.*?)合計\s*90\s*1時間30分", page, re.S)
    assert plan, page
    assert re.search(r"1\s+0:00–0:30\s+伴走支援の考え方\s+30", plan.group(1))
    assert re.search(r"2\s+0:30–1:30\s+壁を見立てる\s+60\s+A社・B社", plan.group(1))


def test_sessions_show_guides_cards_alternates_and_gathered_questions(built: Project) -> None:
    html = built.page("curricula/intro")
    page = article(html)
    assert "解説: 伴走支援の考え方" in page
    session = page[page.index("2. 壁を見立てる"):page.index("扱う壁・アプローチ")]
    assert "A社" in session and "B社" in session
    alternates = re.search(r'<div class="cb-alternates">(.*?)</div>\s*</div>', html, re.S)
    assert alternates and "C社" in text_of(alternates.group(1))
    assert "代替事例（差し替え用）" in text_of(alternates.group(1))
    questions = session[session.index("考えてみよう"):]
    assert "A社の経営者に、最初にどんな問いかけをしますか。" in questions
    assert "B社の経営者に" in questions
    assert "C社の経営者に" not in questions  # an alternate's questions are not gathered


def test_coverage_names_what_the_cases_cover_and_what_they_do_not(built: Project) -> None:
    page = article(built.page("curricula/intro"))
    table = page[page.index("扱う壁・アプローチ・対話の技法"):]
    assert re.search(r"壁\s+見えない\s*（A社・B社）\s+付いてこない\s*（A社）", table), table
    # 足りない is only in the alternate, so the curriculum does not cover it
    assert "このカリキュラムで扱わない壁: 向き合わない、実行できない、足りない" in table


def test_a_case_page_lists_the_curricula_that_use_it(built: Project) -> None:
    assert "入門（半日） — 2. 壁を見立てる" in text_of(built.page("cases/a-parts"))
    assert "入門（半日） — 2. 壁を見立てる（代替事例）" in text_of(built.page("cases/c-farm"))
    assert "この事例を使う研修カリキュラム" not in text_of(
        built.page("method")) + text_of(built.page("walls/mienai"))


def test_handout_has_every_case_text_and_question_one_session_per_section(
        built: Project) -> None:
    html = built.page("handouts/intro")
    sessions = re.findall(r'<section class="cb-handout-session">(.*?)</section>', html, re.S)
    assert len(sessions) == 2
    second = text_of(sessions[1])
    for alias in ("A社", "B社"):
        assert f"{alias}: 属人的経営から組織的経営へ" in second
        assert f"{alias}の経営者に、最初にどんな問いかけをしますか。" in second
    assert "目標年商を達成した。" in second and "5年後、どんな会社になっていたいですか。" in second
    assert "代替事例（差し替え用）: C社" in second
    assert "本文（ねらい、進め方の説明）" in text_of(html[:html.index("cb-handout-session")])


def test_a_draft_curriculum_is_not_built(project: Project) -> None:
    _project(project)
    project.write("content/curricula/intro.md",
                  CURRICULUM.replace("status: published", "status: draft"))
    site = project.build()
    assert not (site / "curricula" / "intro").exists()
    assert not (site / "handouts").exists()
    assert "入門（半日）" not in text_of(project.page("curricula"))
    assert "この事例を使う" not in text_of(project.page("cases/a-parts"))


BROKEN = """\
---
title: 壊れたカリキュラム
objective: [目標]
sessions:
  - title: 考え方
    minutes: 30
    guides: [method/indx.md]
  - title: 壁
    minutes: 0
    cases: [a-part, z-draft]
  - title: 演習
    case: [a-parts]
  - title: まとめ
    minutes: 三十
status: published
---
本文
"""


def test_every_mistake_is_reported_at_once_with_line_field_and_suggestion(
        project: Project, caplog: pytest.LogCaptureFixture) -> None:
    _project(project)
    project.case("z-draft", alias="Z社", status="draft")
    project.write("content/curricula/broken.md", BROKEN)
    project.build_fails()
    log = caplog.text
    path = "content/curricula/broken.md"
    expected = [
        f"{path}:3: objective: unknown field — did you mean 'objectives'?",
        f"{path}:7: guides: unknown guide 'method/indx.md' in session 1 「考え方」 (a path in "
        "the docs folder, such as method/index.md) — did you mean 'method/index.md'?",
        f"{path}:9: minutes: must be more than 0 in session 2 「壁」, got 0",
        f"{path}:10: cases: unknown case 'a-part' in session 2 「壁」 — did you mean 'a-parts'?",
        f"{path}:10: cases: case 'z-draft' is a draft in session 2 「壁」",
        f"{path}:11: minutes: missing in session 3 「演習」",
        f"{path}:12: case: unknown field in session 3 — did you mean 'cases'?",
        f"{path}:14: minutes: expected a whole number of minutes in session 4 「まとめ」, "
        "got '三十'",
    ]
    for line in expected:
        assert line in log, f"missing: {line}\n{log}"
    assert "8 problems found" in log
    assert not (project.root / "site").exists()  # nothing written


def test_a_curriculum_file_named_index_is_refused(project: Project,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    _project(project)
    project.write("content/curricula/index.md", CURRICULUM)
    project.build_fails()
    assert "content/curricula/index.md:1: file: 'index' is the list of curricula" in caplog.text


def test_the_check_command_reports_curriculum_problems(project: Project) -> None:
    import subprocess

    from tests.conftest import REPO

    _project(project)
    project.write("content/curricula/intro.md", CURRICULUM.replace("a-parts, b-shop",
                                                                   "a-parts, b-shopp"))
    done = subprocess.run([str(REPO / ".venv/bin/casebook"), "check"], cwd=project.root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert ("content/curricula/intro.md:12: cases: unknown case 'b-shopp' in session 2 "
            "「壁を見立てる」 — did you mean 'b-shop'?") in done.stdout + done.stderr


# --- each other mistake, read as `casebook check` reads it (no build) -------------------------


def _problems(project: Project, text: str, name: str = "intro") -> list[str]:
    from pipeline.load import load
    from pipeline.options import BuildOptions

    _project(project)
    project.write(f"content/curricula/{name}.md", text)
    loaded = load(BuildOptions(project.root.resolve()), search=False)
    assert loaded.library is None or not loaded.problems
    return [str(p) for p in loaded.problems]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("status: published", "status: publish",
     "intro.md:14: status: unknown status 'publish' — did you mean 'published'?"),
    ("  - title: 伴走支援の考え方\n    minutes: 30\n",
     "  - title: 伴走支援の考え方\n    minutes: 30\n    minutes_: 5\n",
     "intro.md:9: minutes_: unknown field in session 1 — did you mean 'minutes'?"),
    ("    minutes: 60\n", "    minutes: 7.5\n",
     "intro.md:11: minutes: expected a whole number of minutes in session 2 「壁を見立てる」, "
     "got '7.5'"),
    ("    minutes: 60\n", "    minutes: -15\n",
     "intro.md:11: minutes: must be more than 0 in session 2 「壁を見立てる」, got -15"),
    ("    cases: [a-parts, b-shop]", "    cases: a-parts",
     "intro.md:12: cases: expected a list such as [a-parts] in session 2 「壁を見立てる」"),
    ("    alternates: [c-farm]", "    alternates: [c-farm, b-shop]",
     "intro.md:13: alternates: 'b-shop' is both a case and an alternate in session 2"),
    ("objectives:\n  - 課題", "objectives: 課題",
     "intro.md:4: objectives: expected a list such as [課題"),
    ("sessions:\n", "sessions: 3\nsessions_old:\n",
     "intro.md:6: sessions: expected a list of sessions"),
    ("---\n本文", "---\n# 別の題\n\n本文",
     "intro.md:2: title: the title differs from the H1 on line 16"),
    ("  - title: 伴走支援の考え方\n", "  - minutes_only: true\n",
     "intro.md:7: title: session 1 has no title"),
])
def test_each_curriculum_mistake_names_file_line_field_and_value(
        project: Project, old: str, new: str, expected: str) -> None:
    assert old in CURRICULUM
    found = _problems(project, CURRICULUM.replace(old, new, 1))
    assert any(expected in line for line in found), "\n".join(found)
    assert all(line.startswith("content/curricula/intro.md:") for line in found), found


def test_a_draft_guide_in_a_published_curriculum_is_reported(project: Project) -> None:
    project.write("content/method/draft.md", "---\nstatus: draft\n---\n# 下書き\n\n本文。\n")
    found = _problems(project, CURRICULUM.replace("[method/index.md]", "[method/draft.md]"))
    assert ("content/curricula/intro.md:9: guides: guide 'method/draft.md' is a draft in "
            "session 1 「伴走支援の考え方」: a published curriculum cannot use it") in found


def test_a_draft_curriculum_may_use_a_draft_case(project: Project) -> None:
    project.case("z-draft", alias="Z社", status="draft")
    text = CURRICULUM.replace("[c-farm]", "[z-draft]").replace("status: published",
                                                                "status: draft")
    assert _problems(project, text) == []


def test_a_curriculum_in_a_subfolder_or_with_a_bad_name_is_refused(project: Project) -> None:
    found = _problems(project, CURRICULUM, name="2024/Intro")
    assert any("curricula/2024/Intro.md:1: file: the file name 'Intro'" in f for f in found)
    assert any("a curriculum must be directly in curricula/" in f for f in found)


def test_identifying_details_in_a_curriculum_are_found_teaching_notes_included(
        project: Project) -> None:
    text = CURRICULUM.replace(
        "    minutes: 30\n",
        "    minutes: 30\n    description: 連絡は 03-1234-5678 へ\n"
        "    teaching_note: 講師の連絡先は 090-1234-5678\n", 1)
    found = _problems(project, text)
    assert any(f.startswith("content/curricula/intro.md:9: anonymization:") and "03-1234-5678"
               in f for f in found), found
    assert any(f.startswith("content/curricula/intro.md:10: anonymization:") and
               "in a teaching note" in f for f in found), found


def test_a_broken_case_file_is_not_also_reported_as_unknown(project: Project) -> None:
    _project(project)
    broken = project.root / "cases" / "b-shop.md"
    broken.write_text(broken.read_text("utf-8").replace("walls: [見えない]", "walls: [見えな]"),
                      "utf-8")
    from pipeline.load import load
    from pipeline.options import BuildOptions

    found = [str(p) for p in load(BuildOptions(project.root.resolve()), search=False).problems]
    assert any("cases/b-shop.md" in f and "見えな" in f for f in found), found
    assert not any("unknown case 'b-shop'" in f for f in found), found


def test_the_authoring_page_example_is_a_valid_curriculum_of_this_repository(
        tmp_path) -> None:
    """A trainer who copies the example from 事例の書き方 gets a curriculum that builds."""
    import shutil

    from pipeline.build import Build
    from pipeline.options import BuildOptions
    from tests.conftest import REPO

    authoring = (REPO / "content" / "authoring.md").read_text("utf-8")
    part = authoring[authoring.index("## 研修カリキュラムを書く"):]
    example = re.search(r"```yaml\n(---\n.*?\n---\n.*?)\n```", part, re.S).group(1)
    root = tmp_path / "repo"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "cases", root / "cases")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "content" / "curricula" / "from-the-authoring-page.md").write_text(example, "utf-8")
    build = Build(BuildOptions(root, search_index_dir=str(tmp_path / "index")), command="check")
    pages = {page.src_uri: page for page in build.prepare()}
    page = pages["curricula/from-the-authoring-page.md"]
    assert "課題設定型伴走支援 入門（半日）" in page.title
    assert "代替事例（差し替え用）" in text_of(str(page.html))
