"""The merged site attacked as a careless or hostile author would: what `casebook check` says
and what the learner build publishes (curricula, teaching notes, drills, prep data, handouts).

Each test plants one thing into a throwaway project and looks where a user would: the
report of `casebook check`, or the files of a real build.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.conftest import Project
from tests.sitecheck import file_bytes
from tests.test_build import text_of
from tests.test_hostile_authors import add_to_change, check, line_of


def exact_line(path, written: str) -> int:
    lines = path.read_text("utf-8").splitlines()
    return lines.index(written) + 1

# --- teaching notes: a block the parser does not know is published as code -------------------


@pytest.mark.parametrize("written", ["teaching-notes", "Teaching-Note", "teaching_note",
                                     "teachingnote", "指導メモ", "講師メモ", "teachng-note",
                                     "{.teaching-note}"])
def test_a_misspelt_teaching_note_fence_is_a_problem_not_a_code_block(project, capsys,
                                                                       written):
    path = project.case()
    add_to_change(path, f"```{written}\n講師だけが読む鵺笛のメモ\n```")
    code, report = check(project, capsys)
    line = exact_line(path, f"```{written}")
    assert code == 1
    assert (f"cases/a-parts.md:{line}: code block: '```{written}' is not a block the site "
            "knows: it would be published to every reader as code — did you mean "
            "'teaching-note'?") in report, report
    project.build_fails()
    assert not (project.root / "site").exists()


@pytest.mark.parametrize("written", ["dialog", "Dialogue", "dailogue", "対話"])
def test_a_misspelt_dialogue_fence_names_the_block(project, capsys, written):
    path = project.case()
    add_to_change(path, f"```{written}\n支援者[問いかけ]: 何が一番気がかりですか。\n```")
    code, report = check(project, capsys)
    assert code == 1
    assert (f"cases/a-parts.md:{exact_line(path, f'```{written}')}: code block: '```{written}' is "
            "not a block the site knows") in report, report
    assert "did you mean 'dialogue'?" in report


def test_code_in_other_languages_is_still_code(project, capsys):
    path = project.case()
    add_to_change(path, "```text\n記入例\n```\n\n```yaml\nwalls: [見えない]\n```\n\n"
                        "~~~markdown\n# 見出し\n~~~\n\n```\n無名\n```")
    code, report = check(project, capsys)
    assert code == 0, report
    project.build()
    assert '<code class="language-yaml">walls: [見えない]' in project.page("cases/a-parts")


def test_an_indented_teaching_note_fence_is_a_problem(project, capsys):
    path = project.case()
    add_to_change(path, "    ```teaching-note\n    講師だけが読む鵺笛のメモ\n    ```")
    code, report = check(project, capsys)
    assert code == 1
    assert (f"cases/a-parts.md:{line_of(path, '    ```teaching-note')}: code block: "
            "'```teaching-note' is indented as code") in report, report
    project.build_fails()


def test_a_teaching_note_in_a_list_item_or_a_quote_stays_out_of_the_learner_build(project):
    path = project.case()
    add_to_change(path, "- 項目\n\n  ```teaching-note\n  鵺笛の一\n  ```\n\n"
                        "> ```teaching-note\n> 鵺笛の二\n> ```")
    site = project.build()
    assert not [p for p in file_bytes(site) if "鵺笛".encode() in p[1]]


def test_a_misspelt_fence_in_a_guide_or_a_curriculum_is_a_problem(project, capsys):
    project.case()
    guide = project.write("content/method/guide.md",
                          "# 解説\n\n```Teaching-Note\n鵺笛\n```\n")
    curriculum = project.write("content/curricula/intro.md", """\
---
title: 入門
sessions:
  - title: 考え方
    minutes: 30
status: published
---
本文

```teaching_note
鵺笛
```
""")
    code, report = check(project, capsys)
    assert code == 1
    assert (f"content/method/guide.md:{line_of(guide, '```Teaching-Note')}: code block: "
            "'```Teaching-Note' is not a block") in report, report
    assert (f"content/curricula/intro.md:{line_of(curriculum, '```teaching_note')}: code block: "
            "'```teaching_note' is not a block") in report, report


# --- casebook new: what it writes must read back as what was given ----------------------------

NEW_REQUIRED = ["--industry", "E", "--supporter", "商工会", "--theme", "資金繰り",
                "--wall", "見えない", "--approach", "傾聴型ギャップアプローチ", "--no-input"]


def new_case(project: Project, capsys, *args: str) -> tuple[int, str]:
    code = main(["new", "case", *args, *NEW_REQUIRED, "--root", str(project.root)])
    out, err = capsys.readouterr()
    return code, out + err


@pytest.mark.parametrize(("option", "value", "shown"), [
    ("--title", "一行目\n---\nstatus: published", "一行目\\u000a---\\u000astatus: published"),
    ("--alias", "A社\x1b[31m", "A社\\u001b[31m"),
    ("--source", "資料\u2028二行目", "資料\\u2028二行目"),
])
def test_new_refuses_a_value_that_is_not_one_line(project, capsys, option, value, shown):
    code, report = new_case(project, capsys, "ex-bakery", option, value)
    assert code == 2
    assert f"casebook new: {option}: expected one line of text, got U+" in report, report
    assert f"in '{shown}'" in report
    assert not (project.root / "cases" / "ex-bakery.md").exists()


def test_new_refuses_an_id_too_long_for_a_file_name(project, capsys):
    code, report = new_case(project, capsys, "a" * 300)
    assert code == 2 and "Traceback" not in report
    assert ("casebook new: id: id is 300 characters long: it names the file and the page's "
            f"address, use at most 80 — did you mean '{'a' * 80}'?") in report, report
    assert not list((project.root / "cases").iterdir())


def test_new_writes_quotes_and_markup_that_read_back_and_are_escaped(project, capsys):
    code, report = new_case(project, capsys, "ex-bakery", "--title",
                            '題"><script>alert(1)</script>', "--alias", "a: b #c")
    assert code == 0, report
    code, report = check(project, capsys)
    assert code == 0, report


# --- curricula --------------------------------------------------------------------------------

CURRICULUM = """\
---
title: 入門
audience: 経営指導員
sessions:
  - title: 考え方
    minutes: 30
    cases: [a-parts]
status: published
---
本文
"""


def curriculum(project: Project, old: str, new: str) -> Path:
    project.case()
    assert old in CURRICULUM
    return project.write("content/curricula/intro.md", CURRICULUM.replace(old, new))


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("title: 入門", "title: |\n  入門\n  </title>",
     "title: expected one line of text, got 2 lines"),
    ("audience: 経営指導員", "audience: |\n  経営指導員\n  二行目",
     "audience: expected one line of text, got 2 lines"),
    ("  - title: 考え方", "  - title: \"考え方\\n二行目\"",
     "title: expected one line of text in session 1, got 2 lines"),
    ("minutes: 30", "minutes: 99999999999999999999999",
     "minutes: must be at most 1440 (one day) in session 1 「考え方」, got 9999999999"),
    ("cases: [a-parts]", "cases: [a-parts, a-parts]",
     "cases: 'a-parts' is listed twice in session 1 「考え方」: keep one"),
])
def test_a_curriculum_value_that_would_print_wrongly_is_named(project, capsys, old, new,
                                                              expected):
    path = curriculum(project, old, new)
    code, report = check(project, capsys)
    line = line_of(path, new.split("\n")[0].strip())
    assert code == 1
    assert f"content/curricula/intro.md:{line}: {expected}" in report, report


# --- the reader's site ------------------------------------------------------------------------


def test_a_guide_named_in_japanese_shows_when_it_last_changed(project):
    project.case()
    project.write("content/method/対話の例.md", "# 対話の例\n\n本文。\n")
    when = "2024-04-01T09:00:00"
    env = {**os.environ, "GIT_AUTHOR_NAME": "編集部", "GIT_AUTHOR_EMAIL": "e@example.org",
           "GIT_COMMITTER_NAME": "編集部", "GIT_COMMITTER_EMAIL": "e@example.org",
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "first"]):
        subprocess.run(["git", "-C", str(project.root), *args], check=True,
                       capture_output=True, env=env)
    project.build()
    assert "最終更新: 2024年4月1日" in text_of(project.page("method/対話の例"))


# --- dialogue ---------------------------------------------------------------------------------


def test_full_width_brackets_around_a_skill_are_read_as_the_skill(project):
    path = project.case()
    path.write_text(path.read_text("utf-8").replace(
        "支援者[問いかけ]: 5年後、どんな会社になっていたいですか。",
        "支援者［問いかけ］：5年後、どんな会社になっていたいですか。"), "utf-8")
    project.build()
    page = project.page("cases/a-parts")
    turn = page[page.index("5年後、どんな会社") - 600:page.index("5年後、どんな会社")]
    assert "［問いかけ］" not in text_of(page)
    assert "問いかけ</a>" in turn, turn
    drill = (project.root / "site/assets/casebook/practice/skill-1.json").read_text("utf-8")
    assert "5年後、どんな会社になっていたいですか。" in drill


# --- annotations ------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["[売上が落ちた]{wall＝見えない}",
                                     "[売上が落ちた]｛wall=見えない｝",
                                     "［売上が落ちた］｛ｗａｌｌ＝見えない｝",
                                     "[売上が落ちた]{ｗａｌｌ=見えない}"])
def test_an_annotation_typed_in_full_width_is_a_problem_not_text(project, capsys, written):
    path = project.case()
    add_to_change(path, written)
    code, report = check(project, capsys)
    assert code == 1
    assert (f"cases/a-parts.md:{line_of(path, written)}: annotation: '{written}' was not read "
            "as an annotation: write [本文]{wall=見えない} with half-width [ ] { } = and the key "
            "in English (wall, approach, skill, anon)") in report, report


def test_an_annotation_of_no_text_is_a_problem_not_an_empty_drill_question(project, capsys):
    path = project.case()
    add_to_change(path, "[]{wall=見えない}売上が落ちた。")
    code, report = check(project, capsys)
    assert code == 1
    assert (f"cases/a-parts.md:{line_of(path, '[]{wall=')}: annotation: the annotation marks no "
            "text") in report, report


# --- drafts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["drafts", "internal", "private", "wip"])
def test_a_guide_status_that_is_not_draft_is_reported_not_published(project, capsys, status):
    project.case()
    project.write("content/method/wip.md",
                  f"---\nstatus: {status}\n---\n# 書きかけ\n\n鵺笛の下書き。\n")
    code, report = check(project, capsys)
    assert code == 1
    assert (f"content/method/wip.md:2: status: unknown status '{status}' (draft keeps the guide "
            "out of the build; new and deprecated are the theme's marks)") in report, report
    project.build_fails()
    assert not (project.root / "site").exists()


@pytest.mark.parametrize("status", ["new", "deprecated", "published"])
def test_a_guide_may_carry_the_theme_s_marks(project, capsys, status):
    project.case()
    project.write("content/method/g.md", f"---\nstatus: {status}\n---\n# 解説\n\n本文。\n")
    code, report = check(project, capsys)
    assert code == 0, report


@pytest.mark.parametrize("written", ["## 指導メモ\n\n講師は鵺笛の話をする。",
                                     "### 指導メモ（講師用）\n\n講師は鵺笛の話をする。",
                                     "**指導メモ**: 講師は鵺笛の話をする。",
                                     "> 講師用メモ：講師は鵺笛の話をする。",
                                     "研修講師ノート: 鵺笛の話をする。"])
def test_a_note_labelled_for_trainers_outside_a_teaching_note_block_is_a_problem(
        project, capsys, written):
    project.case()
    guide = project.write("content/method/g.md", f"# 解説\n\n本文。\n\n{written}\n")
    code, report = check(project, capsys)
    label = written.split("\n")[0].lstrip("#> *").split("*")[0].split("：")[0]
    assert code == 1
    assert (f"content/method/g.md:{line_of(guide, label)}: teaching note: '{label}") in report, \
        report
    assert ("is published to every reader: write notes for trainers in a ```teaching-note "
            "block (shown in the trainer edition only)") in report


def test_a_session_description_labelled_for_trainers_is_a_problem(project, capsys):
    path = curriculum(project, "    minutes: 30\n",
                      "    minutes: 30\n    description: 講師用メモ：鵺笛\n")
    code, report = check(project, capsys)
    assert code == 1
    assert (f"content/curricula/intro.md:{line_of(path, 'description: 講師用メモ')}: description: "
            "'講師用メモ：鵺笛' is published to every reader: write notes for trainers in the "
            "session's teaching_note:") in report, report


def test_writing_about_teaching_notes_is_not_a_teaching_note(project, capsys):
    project.case()
    project.write("content/method/g.md", "# 解説\n\n## 指導メモを書く（講師版だけに表示）\n\n"
                                         "指導メモ（`teaching-note` のコードブロック）の書き方。\n")
    code, report = check(project, capsys)
    assert code == 0, report


# --- encodings --------------------------------------------------------------------------------


@pytest.mark.parametrize("character", ["\ufffe", "\uffff", "\ufdd0"])
def test_a_noncharacter_is_reported_not_written_into_moodle_xml(project, capsys, character):
    path = project.case()
    add_to_change(path, f"[売上が落ち{character}た]{{wall=見えない}}。")
    code, report = check(project, capsys)
    assert code == 1
    assert (f"cases/a-parts.md:{line_of(path, '[売上が落ち')}: text: control character "
            f"U+{ord(character):04X} (noncharacter) at column 7: remove it") in report, report


# --- links ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "scheme"), [
    ("[資料](javascript:alert(1))", "javascript"), ("[資料](JaVaScRiPt:alert(1))", "JaVaScRiPt"),
    ("![図](data:image/svg+xml,%3Csvg%20onload=alert(1)%3E)", "data"),
    ("[資料](vbscript:msgbox(1))", "vbscript"),
    ("[資料][r]\n\n[r]: javascript:alert(1)", "javascript"),
])
def test_a_link_address_markdown_refuses_is_a_problem_not_text(project, capsys, written,
                                                               scheme):
    path = project.case()
    add_to_change(path, written)
    code, report = check(project, capsys)
    line = line_of(path, f"{scheme}:")
    assert code == 1
    assert (f"cases/a-parts.md:{line}: link: a '{scheme}:' address is no link a page can have "
            "(it is shown as text)") in report, report


def test_a_link_without_an_address_is_a_problem(project, capsys):
    path = project.case()
    add_to_change(path, "[資料]()を参照。")
    code, report = check(project, capsys)
    assert code == 1
    assert f"cases/a-parts.md:{line_of(path, '[資料]()')}: link: the link has no address" in report


# --- site settings ----------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "value"), [
    ("site_name", "ケースブック<script>alert(1)</script>"),
    ("site_description", '説明"><img src=x onerror=alert(1)>'),
])
def test_markup_in_a_site_setting_the_theme_prints_raw_is_a_problem(project, capsys, key,
                                                                   value):
    project.case()
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(f"{key}: テスト\n", "")
                      + f"{key}: '{value}'\n", "utf-8")
    code, report = check(project, capsys)
    assert code == 1
    assert f"mkdocs.yml: {key}: '<' in '{value}': the theme prints this value" in report or \
        f"mkdocs.yml: {key}: '\"' in '{value}': the theme prints this value" in report, report
    project.build_fails()
    assert not (project.root / "site").exists()


def test_a_handout_leaves_the_hints_to_the_site(project):
    curriculum(project, "status: published", "status: published")
    case = project.root / "cases" / "a-parts.md"
    case.write_text(case.read_text("utf-8") + "\n## 考えてみよう\n\n1. 最初に何を聞きますか。\n\n"
                    "## 解答の手がかり\n\n1. 鵺笛の手がかり。\n", "utf-8")
    project.build()
    handout = text_of(project.page("handouts/intro"))
    assert "最初に何を聞きますか。" in handout
    assert "鵺笛の手がかり" not in handout
    assert "解答の手がかりは、 サイトの事例ページ で自分の考えを書いてから開けます。" in handout
    assert "鵺笛の手がかり" in text_of(project.page("cases/a-parts"))


def test_a_curriculum_gathers_only_the_list_items_of_考えてみよう_as_questions(project):
    curriculum(project, "status: published", "status: published")
    case = project.root / "cases" / "a-parts.md"
    case.write_text(case.read_text("utf-8") + "\n## 考えてみよう\n\n1. 最初に何を聞きますか。\n"
                    "2. 次に何を聞きますか。\n\n> **編集部注**　問いは鵺笛の資料から。\n\n"
                    "```text\n記入欄\n```\n", "utf-8")
    project.build()
    page = project.page("curricula/intro")
    questions = re.findall(r"<li>(.*?)</li>", page[page.index('class="cb-questions"'):])
    assert questions[:2] == ["最初に何を聞きますか。", "次に何を聞きますか。"], questions
    assert not [q for q in questions if "鵺笛" in q or "記入欄" in q], questions


# --- assets -----------------------------------------------------------------------------------

SVG = '<svg xmlns="http://www.w3.org/2000/svg">{}</svg>'


@pytest.mark.parametrize(("body", "expected"), [
    (SVG.format('<a href="&#106;avascript:alert(1)"><text>図</text></a>'),
     "an SVG with a script or an event handler"),
    ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "&#60;script&#62;alert(1)&#60;/script'
     '&#62;">]>' + SVG.format("&x;"), "an SVG with a DOCTYPE or entity declarations"),
    (SVG.format('<image href="https://tracker.example/x.png"/>'),
     "an SVG that loads from another host"),
    (SVG.format("<style>@import url(//tracker.example/x.css);</style>"),
     "an SVG that loads from another host"),
])
def test_an_svg_that_runs_or_calls_out_when_opened_is_refused(project, capsys, body, expected):
    project.case()
    project.write("content/img/chart.svg", body)
    code, report = check(project, capsys)
    assert code == 1
    assert f"content/img/chart.svg: file: {expected}" in report, report


def test_a_plain_svg_is_published(project, capsys):
    project.case()
    project.write("content/img/chart.svg", SVG.format('<rect width="10" height="10"/>'
                                                      '<use href="#a"/><text>売上</text>'))
    code, report = check(project, capsys)
    assert code == 0, report
    assert (project.build() / "img" / "chart.svg").is_file()


@pytest.mark.parametrize("body", [
    SVG.format('<text aria-label="青嵐堂の売上">図</text>'),  # read aloud by a screen reader
    SVG.format('<image href="青&#23888;堂.png"/>'),  # a file name, as a character reference
])
def test_a_private_term_in_an_svg_attribute_is_refused(project, capsys, body):
    project.case()
    project.write("content/private-terms.txt", "青嵐堂\n")
    project.write("content/img/chart.svg", body)
    code, report = check(project, capsys)
    assert code == 1
    assert ("content/img/chart.svg: file: private term 非公開語 '青嵐堂' in an attribute of the "
            "SVG") in report, report
    project.build_fails()
    assert not (project.root / "site").exists()


# --- interrupted writes -----------------------------------------------------------------------


def test_a_failed_write_of_fix_anonymize_leaves_the_case_as_it_was(project, capsys,
                                                                   monkeypatch):
    path = project.case()
    add_to_change(path, "山田社長が来た。")
    before = path.read_bytes()

    def disk_full(self, data):  # half the file reaches the disk, then the disk is full
        with open(self, "wb") as out:
            out.write(data[:len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    monkeypatch.setattr(Path, "write_bytes", disk_full)
    code = main(["check", "--fix", "anonymize", "--interactive", "--root", str(project.root)])
    out, err = capsys.readouterr()
    assert path.read_bytes() == before
    assert "not applied: cannot write cases/a-parts.md: No space left on device; the file is " \
           "as it was" in err, out + err
    assert code == 1
    assert not [p.name for p in path.parent.iterdir() if p.name != "a-parts.md"]


def test_a_failed_write_of_fix_normalize_leaves_the_case_as_it_was(project, capsys,
                                                                   monkeypatch):
    path = project.case(walls="見えない壁, 付いてこない")
    before = path.read_bytes()

    def disk_full(self, data):
        with open(self, "wb") as out:
            out.write(data[:len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    main(["check", "--fix", "normalize", "--root", str(project.root)])
    out, err = capsys.readouterr()
    assert path.read_bytes() == before
    assert "not fixed: cannot write cases/a-parts.md: No space left on device; the file is as " \
           "it was" in err, out + err
    assert not [p.name for p in path.parent.iterdir() if p.name != "a-parts.md"]


@pytest.mark.parametrize(("option", "expected"), [
    ("edition: trainers", "casebook option 'edition': expected one of learner, trainer, got "
                          "'trainers' — did you mean 'trainer'?"),
    ("practice_moodle: 'yes'", "casebook option 'practice_moodle': expected true or false, "
                               "got 'yes'"),
    ("related_limit: 'five'", "casebook option 'related_limit': expected a whole number, "
                              "got 'five'"),
])
def test_check_refuses_a_plugin_option_the_build_would_refuse(project, capsys, option,
                                                              expected):
    project.case()
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + f"      {option}\n", "utf-8")
    code, report = check(project, capsys)
    assert code == 2
    assert f"mkdocs.yml: {expected}" in report, report
    project.build_fails()


# --- front matter -----------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "field"), [
    ("alias: A社", "alias: |\n  A社\n  B社", "alias"),
    ("source: 中小企業庁", "source: |\n  中小企業庁\n  二行目", "source"),
    ("alias: A社", 'alias: "A\\L社"', "alias"),
])
def test_a_case_value_of_two_lines_is_reported(project, capsys, old, new, field):
    path = project.case()
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    code, report = check(project, capsys)
    assert code == 1
    assert (f"cases/a-parts.md:{line_of(path, new.split(chr(10))[0])}: {field}: expected one "
            "line of text, got 2 lines") in report, report


def test_a_guide_title_of_two_lines_is_reported(project, capsys):
    project.case()
    project.write("content/method/g.md", "---\ntitle: |\n  一行目\n  二行目\n---\n# 解説\n")
    code, report = check(project, capsys)
    assert code == 1
    assert "content/method/g.md:2: title: expected one line of text, got 2 lines" in report


# --- commands ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["related", "a-parts"], ["search", "資金繰り"],
                                     ["prep", "資金繰り"]])
@pytest.mark.parametrize("limit", ["-1", "0"])
def test_a_limit_below_one_is_refused(project, capsys, command, limit):
    project.case()
    with pytest.raises(SystemExit) as stopped:
        main([command[0], "--limit", limit, "--root", str(project.root), *command[1:]])
    _, err = capsys.readouterr()
    assert stopped.value.code == 2
    assert f"argument --limit: must be 1 or more, got {limit}" in err


@pytest.mark.parametrize("name", ["assets/casebook/search.js", "assets/casebook/casebook.css",
                                  "assets/javascripts/bundle.js", "pagefind/pagefind.js"])
def test_a_file_in_the_folders_of_the_site_s_own_scripts_is_refused(project, capsys, name):
    project.case()
    project.write(f"content/{name}", "window.cbHacked = 1;\n")
    code, report = check(project, capsys)
    folder = name.rsplit("/", 1)[0] + "/"
    assert code == 1
    assert (f"content/{name}: file: '{folder}' holds the site's own scripts and styles: put "
            "this file in another folder") in report, report
    project.build_fails()
    assert not (project.root / "site").exists()


@pytest.mark.parametrize(("name", "title"), [
    ("matrix.md", "壁 × 業種"), ("walls/mienai.md", "見えない"),
    ("cases/a-parts.md", "A社: 属人的経営から組織的経営へ"), ("practice/index.md", "練習")])
def test_a_guide_at_the_address_of_a_page_the_site_makes_is_reported(project, capsys, name,
                                                                     title):
    project.case()
    project.write(f"content/{name}", "# 私の解説\n\n本文。\n")
    code, report = check(project, capsys)
    assert code == 1
    assert (f"content/{name}:1: file: the site makes its own page '{title}' at this address "
            f"({name}): rename the file or move it to another folder") in report, report


def test_a_blank_braille_pattern_inside_a_private_term_is_ignored(project, capsys):
    project.write("content/private-terms.txt", "青嵐堂\n")
    path = project.case()
    add_to_change(path, "取引先は青\u2800嵐堂です。")
    code, report = check(project, capsys)
    assert code == 1 and "private term 非公開語 '青\u2800嵐堂'" in report, report


@pytest.mark.parametrize(("term", "written"), [("櫻花堂", "桜花堂"), ("髙嶺堂", "高嶺堂"),
                                               ("高嶺堂", "髙嶺堂"), ("𠮷祥堂", "吉祥堂"),
                                               ("ABC", "АВС")])  # Cyrillic А, В, С
def test_a_private_term_in_another_form_of_its_kanji_or_in_look_alike_letters_fails(
        project, capsys, term, written):
    project.write("content/private-terms.txt", f"{term}\n")
    path = project.case()
    add_to_change(path, f"取引先は{written}です。")
    code, report = check(project, capsys)
    assert code == 1 and f"private term 非公開語 '{written}'" in report, report


@pytest.mark.parametrize("written", ["<!-- 未確認: 売上の数字は推測 -->",
                                     "本文。<!-- 講師へ: 鵺笛 -->続き。",
                                     "<!--\n複数行のメモ\n-->"])
def test_an_html_comment_is_a_problem_not_hidden_text(project, capsys, written):
    path = project.case()
    add_to_change(path, written)
    code, report = check(project, capsys)
    assert code == 1
    assert (f"cases/a-parts.md:{line_of(path, '<!--')}: text: an HTML comment is shown to every "
            "reader as text") in report, report


def test_every_plugin_option_has_a_type_casebook_check_knows():
    import dataclasses

    from pipeline.options import _ANNOTATIONS, PLUGIN_OPTIONS, BuildOptions

    types = {f.name: str(f.type) for f in dataclasses.fields(BuildOptions)}
    assert not [key for key in PLUGIN_OPTIONS if types[key] not in _ANNOTATIONS]


@pytest.mark.parametrize(("args", "shown"), [
    (["--title", "一行目\n---\nstatus: published"], "--title: expected one line of text, got "
                                                   "U+000A at column 4"),
    (["--session", "考え方\n---", "30"], "--session: expected one line of text, got U+000A"),
    (["--session", "考え方", "30", "--note", "メモ\x1b[31m"],
     "--note: expected one line of text, got U+001B"),
])
def test_new_curriculum_refuses_a_value_that_is_not_one_line(project, capsys, args, shown):
    project.case()
    code = main(["new", "curriculum", "intro", *args, "--no-input",
                 "--root", str(project.root)])
    out, err = capsys.readouterr()
    assert code == 2
    assert f"casebook new: {shown}" in out + err, out + err
    assert not (project.root / "content" / "curricula" / "intro.md").exists()
