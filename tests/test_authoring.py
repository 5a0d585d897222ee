"""An author's path: `casebook new case` → editor schema → `casebook check --fix` → check."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
import yaml

from casebook.editor_schema import CASE_SCHEMA, case_schema, schema_text
from casebook.fixes import propose
from casebook.sources import split_front_matter
from casebook.typed_pattern import typed_pattern
from casebook.vocabulary import load_vocabulary
from pipeline.load import load_library
from tests.conftest import REPO, Project
from tests.test_headcount import HEAD_COUNTS

REQUIRED = ["--wall", "ついてこない", "--approach", "強み発見型", "--theme", "販路拡大,ＤＸ",
            "--industry", "e", "--supporter", "shokokai"]


def casebook(project: Project, *args: str, stdin: str | None = None,
             ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args, "--root",
                           str(project.root)], input=stdin, capture_output=True, text=True,
                          timeout=300)


def front_matter(path: Path) -> dict:
    raw, _, _ = split_front_matter(path.read_text(encoding="utf-8"))
    return yaml.safe_load(raw)


# --- casebook new ---------------------------------------------------------------------------

def test_new_case_normalises_given_values_and_passes_check_as_a_draft(project: Project) -> None:
    result = casebook(project, "new", "case", "ex-bakery", *REQUIRED, "--employees", "６－２０",
                      "--no-input")
    assert result.returncode == 0, result.stderr
    assert "created cases/ex-bakery.md (status: draft)" in result.stdout
    path = project.root / "cases" / "ex-bakery.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n# yaml-language-server: $schema=../schemas/case.schema.json\n")
    meta = front_matter(path)
    assert meta["walls"] == ["付いてこない"]
    assert meta["approaches"] == ["強み発見型アプローチ"]
    assert meta["themes"] == ["販路開拓", "DX・デジタル化"]
    assert meta["industry"] == "製造業"
    assert meta["supporter"] == "商工会"
    assert meta["employees"] == "6-20"
    assert meta["status"] == "draft"
    assert meta["kind"] == "exercise"
    # What was not given is left as a commented choice listing the vocabulary.
    assert "# prefecture: 埼玉県" in text
    assert "# 支援の流れ（任意・1つ以上）: 案件発掘 | 伴走支援開始（課題設定）" in text
    assert "# steps: [案件発掘]" in text
    # Every section, with one line on what goes there.
    for heading, guide in (("## 当初の相談", "（任意）事業者が最初に持ち込んだ相談の内容"),
                           ("## 設定された課題", "対話を通じて設定された課題を書きます"),
                           ("## 支援アプローチ", "支援者がどのように対話し"),
                           ("## 生まれた事業上の変化", "支援の結果として事業に生まれた変化"),
                           ("## 考えてみよう", "（任意）学習者への問い")):
        assert f"{heading}\n\n{guide}" in text
    library = load_library(project.root, drafts=True)
    case = library.case("ex-bakery")
    assert case.is_draft
    assert [t.label for t in case.terms("wall")] == ["付いてこない"]
    check = casebook(project, "check")
    assert check.returncode == 0, check.stderr
    assert "ok: 1 cases (1 drafts)" in check.stdout
    # The schema its first line names was written, and the new file satisfies it.
    schema = json.loads((project.root / CASE_SCHEMA).read_text(encoding="utf-8"))
    jsonschema.validate(meta, schema)


def test_new_precedent_needs_a_source_and_writes_it(project: Project) -> None:
    result = casebook(project, "new", "case", "pre-x", "--kind", "precedent", *REQUIRED,
                      "--no-input")
    assert result.returncode == 2
    assert "casebook new: --source: a precedent must cite its source" in result.stderr
    assert not (project.root / "cases" / "pre-x.md").exists()
    result = casebook(project, "new", "case", " pre-x ", "--kind", "先行事例", *REQUIRED,
                      "--source", "中小企業庁「資料」（令和4年4月）", "--title", "テストの事例",
                      "--no-input")
    assert result.returncode == 0, result.stderr
    path = project.root / "cases" / "pre-x.md"
    assert front_matter(path)["kind"] == "precedent"
    assert front_matter(path)["id"] == "pre-x"
    assert front_matter(path)["source"] == "中小企業庁「資料」（令和4年4月）"
    assert "\n# テストの事例\n" in path.read_text(encoding="utf-8")
    assert casebook(project, "check").returncode == 0


def test_new_case_refuses_a_taken_id_and_suggests_a_free_one(project: Project) -> None:
    project.case("ex-bakery")
    project.case("ex-bakery-2", alias="B社")
    before = (project.root / "cases" / "ex-bakery.md").read_bytes()
    result = casebook(project, "new", "case", "ex-bakery", *REQUIRED, "--no-input")
    assert result.returncode == 2
    assert ("casebook new: id: id 'ex-bakery' is already used by cases/ex-bakery.md — "
            "did you mean 'ex-bakery-3'?") in result.stderr
    assert (project.root / "cases" / "ex-bakery.md").read_bytes() == before


def test_new_case_refuses_a_bad_id_with_the_closest_valid_one(project: Project) -> None:
    result = casebook(project, "new", "case", "Ex_Bakery", *REQUIRED, "--no-input")
    assert result.returncode == 2
    assert ("casebook new: id: id must be lowercase ASCII letters, digits and '-' — "
            "did you mean 'ex-bakery'?") in result.stderr
    result = casebook(project, "new", "case", "index", *REQUIRED, "--no-input")
    assert "'index' is the name of a page the site makes" in result.stderr
    assert list((project.root / "cases").iterdir()) == []


def test_new_case_reports_every_unknown_value_with_a_suggestion(project: Project) -> None:
    result = casebook(project, "new", "case", "ex-x", "--wall", "見えな", "--industry", "製造行",
                      "--kind", "exercize", "--no-input")
    assert result.returncode == 2
    assert "--wall: unknown wall '見えな' — did you mean '見えない'?" in result.stderr
    assert "--industry: unknown industry '製造行' — did you mean '製造業'?" in result.stderr
    assert "--kind: unknown kind 'exercize' — did you mean 'exercise'?" in result.stderr
    assert not (project.root / "cases" / "ex-x.md").exists()


def test_new_case_without_a_terminal_lists_the_required_choices(project: Project) -> None:
    result = casebook(project, "new", "case", "ex-x", stdin="")
    assert result.returncode == 2
    assert ("casebook new: --wall: walls is required: give one of 見えない, 向き合わない, "
            "実行できない, 付いてこない, 足りない") in result.stderr
    assert "--approach: approaches is required" in result.stderr
    assert not (project.root / "cases" / "ex-x.md").exists()


ANSWERS = "\n".join([
    "2",                 # kind: exercise
    "焼き菓子の事例",      # title
    "",                  # alias: A社
    "せいぞう",           # industry: unknown → asked again
    "E",                 # industry by its code
    "埼玉",               # prefecture by its short name
    "",                  # employees: skipped
    "よろず",             # supporter by a synonym
    "2, 販路拡大",         # themes: a number and a synonym
    "見えな",             # wall: misspelt → did you mean
    "ついてこない、1",      # walls: synonym and number
    "傾聴型",             # approach
    "",                  # steps: skipped
    "",                  # source: the exercise default
]) + "\n"


def test_new_case_asks_offering_labels_and_descriptions(project: Project) -> None:
    result = casebook(project, "new", "case", "ex-asked", "--interactive", stdin=ANSWERS)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "  1. 見えない — 自己変革への「５つの壁」の一つ目。" in out
    assert "   5. E 製造業 — 日本標準産業分類 大分類E。" in out
    assert "unknown industry 'せいぞう'" in out
    assert "unknown wall '見えな' — did you mean '見えない'?" in out
    meta = front_matter(project.root / "cases" / "ex-asked.md")
    assert meta["title"] == "焼き菓子の事例"
    assert meta["alias"] == "A社"
    assert meta["industry"] == "製造業"
    assert meta["prefecture"] == "埼玉県"
    assert "employees" not in meta
    assert meta["supporter"] == "よろず支援拠点"
    assert meta["themes"] == ["経営改善・事業再生", "販路開拓"]
    assert meta["walls"] == ["付いてこない", "見えない"]
    assert meta["approaches"] == ["傾聴型ギャップアプローチ"]
    assert meta["source"] == "演習用に作成した架空の事例"
    assert casebook(project, "check").returncode == 0


def on_a_terminal(project: Project, args: list[str], answers: str) -> tuple[int, str]:
    """Run `casebook …` with a pseudo-terminal as its input and output, typing `answers`;
    its exit code and everything it printed."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", *args, "--root", str(project.root)],
        stdin=terminal, stdout=terminal, stderr=terminal,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"}, close_fds=True)
    os.close(terminal)
    os.write(controller, answers.encode("utf-8"))
    seen = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 1)
        if ready:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the command ended and closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        elif process.poll() is not None:
            break
    process.wait(timeout=60)
    os.close(controller)
    return process.returncode, seen.decode("utf-8", "replace")


def test_new_case_asks_on_a_real_terminal(project: Project) -> None:
    """No flag: the command sees a terminal (a pseudo-terminal) and asks."""
    returncode, text = on_a_terminal(project, ["new", "case", "ex-tty"], ANSWERS)
    assert returncode == 0, text
    assert "壁（番号か名前。複数はカンマで区切る・必須）" in text
    assert front_matter(project.root / "cases" / "ex-tty.md")["walls"] == ["付いてこない",
                                                                          "見えない"]


# --- the editor's schema ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary(REPO / "content" / "taxonomy.yml")


def test_schema_lists_every_spelling_with_hover_texts(vocabulary) -> None:
    schema = case_schema(vocabulary)
    jsonschema.Draft7Validator.check_schema(schema)
    walls = schema["definitions"]["wall"]
    assert {"見えない", "見えない壁", "mienai", "ついてこない", "付いて来ない"} <= set(
        walls["enum"])
    hover = dict(zip(walls["enum"], walls["enumDescriptions"], strict=True))
    assert hover["見えない"].startswith("見えない — 自己変革への「５つの壁」の一つ目。")
    assert hover["ついてこない"] == "→ 付いてこない"
    industry = schema["definitions"]["industry"]["enum"]
    assert {"製造業", "E", "e-manufacturing", "ものづくり"} <= set(industry)
    assert schema["properties"]["walls"]["items"] == {"$ref": "#/definitions/wall"}
    assert schema["properties"]["industry"]["$ref"] == "#/definitions/industry"
    assert "壁のリスト" in schema["properties"]["walls"]["description"]
    assert set(schema["required"]) == {"id", "title", "alias", "kind", "walls", "approaches",
                                       "themes", "industry", "supporter", "status"}


def test_committed_schema_is_current(vocabulary) -> None:
    committed = (REPO / CASE_SCHEMA).read_text(encoding="utf-8")
    assert committed == schema_text(vocabulary), "run: casebook schema"


def test_every_shipped_case_satisfies_the_schema(vocabulary) -> None:
    validator = jsonschema.Draft7Validator(case_schema(vocabulary))
    paths = sorted((REPO / "cases").rglob("*.md"))
    assert len(paths) >= 10
    for path in paths:
        errors = [e.message for e in validator.iter_errors(front_matter(path))]
        assert errors == [], path.name


@pytest.mark.parametrize("field, value, message", [
    ("walls", ["見えな"], "'見えな' is not one of"),
    ("industry", "製造行", "'製造行' is not one of"),
    ("status", "公開", "'公開' is not one of"),
    ("wall", ["見えない"], "Additional properties are not allowed ('wall' was unexpected)"),
])
def test_a_planted_wrong_value_fails_the_schema(vocabulary, field, value, message) -> None:
    meta = front_matter(REPO / "cases" / "ex-retail-ec.md")
    meta[field] = value
    with pytest.raises(jsonschema.ValidationError) as caught:
        jsonschema.validate(meta, case_schema(vocabulary))
    assert message in caught.value.message


def _employees_valid(vocabulary, value: object) -> bool:
    meta = front_matter(REPO / "cases" / "ex-retail-ec.md")
    meta["employees"] = value
    return jsonschema.Draft7Validator(case_schema(vocabulary)).is_valid(meta)


@pytest.mark.parametrize("typed", [t for t, band, _ in HEAD_COUNTS if band is not None])
def test_the_schema_accepts_every_head_count_the_check_accepts(vocabulary, typed: str) -> None:
    assert vocabulary["employees"].get(typed) is not None  # what `casebook check` accepts
    assert _employees_valid(vocabulary, typed)


@pytest.mark.parametrize("typed", ["30代", "たくさん", "見えない", "30人 + 5人", "3O人"])
def test_the_schema_refuses_what_is_no_head_count(vocabulary, typed: str) -> None:
    assert vocabulary["employees"].get(typed) is None
    assert not _employees_valid(vocabulary, typed)


def test_the_schema_takes_a_yaml_number_of_employees_as_the_check_does(vocabulary) -> None:
    assert vocabulary["employees"].get(30).label == "21-50"
    assert _employees_valid(vocabulary, 30)
    assert vocabulary["employees"].get(0) is None
    assert not _employees_valid(vocabulary, 0)


def test_the_head_count_pattern_reads_the_same_in_an_editor_s_javascript(vocabulary) -> None:
    # yaml-language-server tests `pattern` with JavaScript's RegExp (with and without 'u').
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    pattern = case_schema(vocabulary)["definitions"]["head_count"]["anyOf"][0]["pattern"]
    accepted = [t for t, band, _ in HEAD_COUNTS if band is not None]
    script = ("const [p, ok, no] = JSON.parse(process.argv[1]);"
              "for (const f of ['', 'u']) { const r = new RegExp(p, f); console.log("
              "JSON.stringify([ok.filter(s => !r.test(s)), no.filter(s => r.test(s))]))}")
    given = json.dumps([pattern, accepted, ["30代", "たくさん"]])
    done = subprocess.run([node, "-e", script, given], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[[],[]]", "[[],[]]"]


@pytest.mark.parametrize(("grammar", "refused"), [
    (r"\d+人", "escape '\\d' is not supported"),  # ECMA's \d is ASCII, Python's is not
    (r"(?P<n>[0-9]+)", "group '(?P' is not supported"),
    (r"[^0-9]", "a negated class is not supported")])
def test_a_grammar_the_schema_pattern_cannot_carry_is_refused(grammar: str,
                                                              refused: str) -> None:
    with pytest.raises(ValueError, match=re.escape(refused)):
        typed_pattern(grammar)


def test_a_precedent_without_source_fails_the_schema(vocabulary) -> None:
    meta = front_matter(REPO / "cases" / "a-precision-parts.md")
    del meta["source"]
    with pytest.raises(jsonschema.ValidationError, match="'source' is a required property"):
        jsonschema.validate(meta, case_schema(vocabulary))


def test_schema_command_writes_it_and_check_reports_it_when_stale(project: Project) -> None:
    project.case()
    result = casebook(project, "schema")
    assert result.returncode == 0 and "wrote schemas/case.schema.json" in result.stdout
    assert "up to date: schemas/case.schema.json" in casebook(project, "schema").stdout
    taxonomy = project.root / "content" / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text("utf-8").replace(
        "synonyms: [見えない壁, 見えていない]", "synonyms: [見えない壁, 見えていない, みえない]"),
        "utf-8")
    check = casebook(project, "check")
    assert check.returncode == 1
    assert ("schemas/case.schema.json: schema: out of date with content/taxonomy.yml: run "
            "'casebook schema'") in check.stderr


def test_site_build_rewrites_a_stale_schema(project: Project) -> None:
    project.case()
    (project.root / "schemas").mkdir()
    (project.root / CASE_SCHEMA).write_text("{}\n", encoding="utf-8")
    project.build()
    written = json.loads((project.root / CASE_SCHEMA).read_text(encoding="utf-8"))
    assert "見えない" in written["definitions"]["wall"]["enum"]


# --- casebook check --fix ---------------------------------------------------------------------

MESSY = """\
---
# 先頭のコメント（残る）
id: "a-parts "
title: 属人的経営から組織的経営へ
alias: A社
kind: precedent
industry: e   # 記号で書いた
employees: １－５
supporter: 'shokokai'
themes: [ＤＸ,   販路拡大]
walls:
  - ついてこない   # 行末のコメント
approaches: [傾聴型]
source: 中小企業庁「令和4年度 よろず支援拠点事業の運営について」（令和4年4月）
status: published
---
# 属人的経営から組織的経営へ

## 設定された課題

- 人の管理や資金繰りへの対応は[場当たり的]{wall=見えない}だった。
- [幹部が育っていなかった]{wall=たりない}。

## 支援アプローチ

経営者の考えを[傾聴し]{skill=傾聴}、目標を共有した。

## 生まれた事業上の変化

目標年商を達成した。
"""

FIXED = MESSY.replace('id: "a-parts "', "id: a-parts").replace(
    "industry: e   #", "industry: 製造業   #").replace(
    "employees: １－５", "employees: 1-5").replace(
    "supporter: 'shokokai'", "supporter: 商工会").replace(
    "themes: [ＤＸ,   販路拡大]", "themes: [DX・デジタル化,   販路開拓]").replace(
    "  - ついてこない   # 行末のコメント\n",
    "  - 付いてこない   # 行末のコメント\n  - 見えない\n  - 足りない\n").replace(
    "approaches: [傾聴型]", "approaches: [傾聴型ギャップアプローチ]")


def test_fix_normalize_edits_only_the_values_and_reports_each(project: Project) -> None:
    path = project.write("cases/a-parts.md", MESSY)
    before = casebook(project, "check")
    assert before.returncode == 1
    result = casebook(project, "check", "--fix", "normalize")
    assert path.read_text(encoding="utf-8") == FIXED
    assert result.returncode == 0, result.stderr
    for line in ("fixed cases/a-parts.md:3: id: 'a-parts ' → 'a-parts'",
                 "fixed cases/a-parts.md:7: industry: 'e' → '製造業'",
                 "fixed cases/a-parts.md:8: employees: '１－５' → '1-5'",
                 "fixed cases/a-parts.md:9: supporter: 'shokokai' → '商工会'",
                 "fixed cases/a-parts.md:10: themes: 'ＤＸ' → 'DX・デジタル化'",
                 "fixed cases/a-parts.md:10: themes: '販路拡大' → '販路開拓'",
                 "fixed cases/a-parts.md:12: walls: 'ついてこない' → '付いてこない'",
                 "fixed cases/a-parts.md:13: walls: added '見えない'",
                 "fixed cases/a-parts.md:14: walls: added '足りない'",
                 "fixed cases/a-parts.md:15: approaches: '傾聴型' → '傾聴型ギャップアプローチ'",
                 "normalize: 10 changes", "ok: 1 cases"):
        assert line in result.stdout
    again = casebook(project, "check", "--fix", "normalize")
    assert "normalize: 0 changes" in again.stdout
    assert path.read_text(encoding="utf-8") == FIXED


def test_fix_normalize_adds_walls_to_a_flow_list_and_keeps_crlf_and_bom(
        project: Project) -> None:
    text = MESSY.replace("walls:\n  - ついてこない   # 行末のコメント\n",
                         "walls: [付いてこない]  # 一行で\n")
    path = project.root / "cases" / "a-parts.md"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    result = casebook(project, "check", "--fix", "normalize")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n")
    assert data.count(b"\r\n") == data.count(b"\n")
    assert "walls: [付いてこない, 見えない, 足りない]  # 一行で\r\n" in data.decode("utf-8")
    assert "fixed cases/a-parts.md:11: walls: added '見えない'" in result.stdout
    assert result.returncode == 0, result.stderr


def test_fix_normalize_writes_lf_for_cr_only_line_ends_and_fixes_the_values(
        project: Project) -> None:
    path = project.root / "cases" / "a-parts.md"
    path.write_bytes(MESSY.replace("\n", "\r").encode("utf-8"))  # an old Mac editor's file
    result = casebook(project, "check", "--fix", "normalize")
    assert path.read_text(encoding="utf-8") == FIXED
    assert "fixed cases/a-parts.md:1: line ends: 'CR ×30' → 'LF'" in result.stdout
    assert "fixed cases/a-parts.md:7: industry: 'e' → '製造業'" in result.stdout
    assert "fixed cases/a-parts.md:14: walls: added '足りない'" in result.stdout
    assert "normalize: 11 changes" in result.stdout
    assert result.returncode == 0, result.stderr


def test_fix_normalize_writes_lf_for_mixed_line_ends_even_with_nothing_else_to_fix(
        project: Project) -> None:
    path = project.case()
    lines = path.read_text(encoding="utf-8").split("\n")
    # Lines pasted from elsewhere: CRLF from line 3, a lone CR on line 5, LF elsewhere.
    mixed = "\n".join(lines[:2]) + "\n" + "\r\n".join(lines[2:4]) + "\r\n" + lines[4] + \
        "\r" + "\n".join(lines[5:])
    path.write_bytes(mixed.encode("utf-8"))
    result = casebook(project, "check", "--fix", "normalize")
    assert "fixed cases/a-parts.md:3: line ends: 'CR ×1, CRLF ×2, LF ×" in result.stdout
    assert "' → 'LF'" in result.stdout
    data = path.read_bytes()
    assert b"\r" not in data
    assert data.decode("utf-8") == "\n".join(lines).replace("industry: E\n",
                                                             "industry: 製造業\n")
    assert result.returncode == 0, result.stderr
    again = casebook(project, "check", "--fix", "normalize")
    assert "normalize: 0 changes" in again.stdout
    assert "line ends" not in again.stdout


def test_fix_normalize_leaves_unknown_values_for_the_check(project: Project) -> None:
    path = project.case(walls="見えな, ついてこない")
    before = path.read_text(encoding="utf-8")
    result = casebook(project, "check", "--fix", "normalize")
    assert result.returncode == 1
    assert "walls: 'ついてこない' → '付いてこない'" in result.stdout
    assert "walls: unknown wall '見えな' — did you mean '見えない'?" in result.stderr
    assert path.read_text(encoding="utf-8") == before.replace(
        "ついてこない", "付いてこない").replace("industry: E\n", "industry: 製造業\n")


IDENTIFYING = "山田社長は 048-123-4567 に電話をくれた。2023年4月5日に訪問した。鈴木さんも同席した。"


def test_fix_anonymize_without_a_terminal_proposes_and_changes_nothing(
        project: Project) -> None:
    path = project.case()
    path.write_text(path.read_text("utf-8").replace("目標年商を達成した。", IDENTIFYING), "utf-8")
    before = path.read_bytes()
    result = casebook(project, "check", "--fix", "anonymize", stdin="y\ny\ny\n")
    assert result.returncode == 1
    assert path.read_bytes() == before
    assert "nothing was changed" in result.stderr
    assert "「山田社長」→「社長」" in result.stderr
    assert "「048-123-4567」→ 削除" in result.stderr
    assert "「2023年4月5日」→「2023年4月」" in result.stderr
    assert "no safe replacement, rewrite by hand: cases/a-parts.md:" in result.stderr
    assert "'鈴木さん'" in result.stderr


def test_fix_anonymize_applies_only_what_the_author_confirms(project: Project) -> None:
    path = project.case()
    path.write_text(path.read_text("utf-8").replace("目標年商を達成した。", IDENTIFYING), "utf-8")
    result = casebook(project, "check", "--fix", "anonymize", "--interactive",
                      stdin="y\nn\ny\n")
    text = path.read_text(encoding="utf-8")
    assert "社長は 048-123-4567 に電話をくれた。2023年4月に訪問した。鈴木さんも同席した。" in text
    assert "山田" not in text
    assert "anonymize: 2 replacements applied" in result.stdout
    assert result.returncode == 1  # the phone number and 鈴木さん are still there
    assert "possible phone number 電話番号 '048-123-4567'" in result.stderr
    assert "'山田社長'" not in result.stderr


@pytest.mark.parametrize("kind, text, alias, expected", [
    ("person", "山田社長", "", "社長"),
    ("person", "代表取締役 山田太郎", "", "代表取締役"),
    ("person", "鈴木さん", "", None),
    ("phone", "048-123-4567", "", ""),
    ("email", "a@example.jp", "", ""),
    ("date", "2023年4月5日", "", "2023年4月"),
    ("date", "令和5年4月5日", "", "令和5年4月"),
    ("date", "2023/4/5", "", "2023年4月"),
    ("company", "株式会社山田製作所", "A社", "A社"),
    ("private-term", "やまだ", "A社", None),
    ("place", "川口市", "", None),
])
def test_proposals(kind: str, text: str, alias: str, expected: str | None) -> None:
    assert propose(kind, text, alias) == expected


# --- for teams: the pre-commit hook ------------------------------------------------------------

def test_pre_commit_hooks_run_casebook_in_the_repository(project: Project) -> None:
    import re
    import tomllib

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    assert {h["id"] for h in hooks} == {"casebook-check", "casebook-normalize"}
    project.case(walls="見えな, 付いてこない")
    for hook in hooks:
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        assert re.search(hook["files"], "cases/a-parts.md")
        command, *args = hook["entry"].split()
        assert command in scripts  # the console script pip installs into the hook's env
        # pre-commit runs the entry at the root of the team's repository.
        result = subprocess.run([sys.executable, "-m", "pipeline.cli", *args],
                                cwd=project.root, capture_output=True, text=True, timeout=300)
        assert result.returncode == 1
        assert "walls: unknown wall '見えな' — did you mean '見えない'?" in result.stderr
    project.case()
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "check"], cwd=project.root,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


# --- the whole path, as a new author walks it --------------------------------------------------

def test_new_author_path_from_new_to_published(project: Project) -> None:
    from tests.test_serve import Served

    result = casebook(project, "new", "case", "ex-walk", "--title", "焼き菓子店の卸売挑戦",
                      "--wall", "見えない", "--approach", "強み発見型", "--theme", "販路開拓",
                      "--industry", "製造", "--supporter", "商工会", "--no-input")
    assert result.returncode == 0, result.stderr
    path = project.root / "cases" / "ex-walk.md"
    text = path.read_text(encoding="utf-8")
    filled = {
        "（事例の概要": "店舗で焼き菓子を製造・販売するA社。",
        "（任意）事業者が最初に持ち込んだ": "山田社長が商工会に補助金の相談をした。",
        "対話を通じて設定された課題": "[強みを把握していなかった]{wall=見えない}。"
                                   "[人手が足りなかった]{wall=たりない}。",
        "支援者がどのように対話し": "[常連客が選ぶ理由を一緒に確かめた]{approach=強み発見型}。",
        "支援の結果として": "土産物店への納品が始まった。",
        "（任意）学習者への問い": "1. 最初の相談をどう広げますか。",
    }
    lines = text.split("\n")
    for start, replacement in filled.items():
        index = next(i for i, line in enumerate(lines) if line.startswith(start))
        lines[index] = replacement
    path.write_text("\n".join(lines), encoding="utf-8")

    check = casebook(project, "check")
    assert check.returncode == 1
    assert "wall '足りない' is annotated in the text but not listed" in check.stderr
    assert "possible personal name 個人名 '山田社長'" in check.stderr
    # The report proposes a replacement; nothing is changed until the author confirms it.
    assert "proposed replacements (confirm each with 'casebook check --fix anonymize'" \
        in check.stderr
    assert "cases/ex-walk.md:" in check.stderr and "「山田社長」→「社長」" in check.stderr

    fixed = casebook(project, "check", "--fix", "normalize")
    assert "walls: added '足りない'" in fixed.stdout
    fixed = casebook(project, "check", "--fix", "anonymize", "--interactive", stdin="y\n")
    assert "fixed cases/ex-walk.md:" in fixed.stdout and "「山田社長」→「社長」" in fixed.stdout
    assert fixed.returncode == 0, fixed.stderr
    assert "ok: 1 cases (1 drafts)" in fixed.stdout

    # `mkdocs serve` shows the draft; a site build leaves it out.
    server = Served(project)
    try:
        server.wait("the draft to be served",
                    lambda: "焼き菓子店の卸売挑戦" in (server.get("cases/ex-walk/") or ""))
        assert "社長が商工会に補助金の相談をした" in server.get("cases/ex-walk/")
    finally:
        server.stop()
    site = project.build()
    assert not (site / "cases" / "ex-walk").exists()

    path.write_text(path.read_text("utf-8").replace("status: draft", "status: published"),
                    "utf-8")
    # The curriculum schema the build wrote lists the published cases: it is now stale.
    check = casebook(project, "check")
    assert check.returncode == 0, check.stderr
    assert "warning: schemas/curriculum.schema.json: out of date" in check.stderr
    assert "wrote schemas/curriculum.schema.json" in casebook(project, "schema").stdout
    assert casebook(project, "check").returncode == 0
    project.build()
    page = project.page("cases/ex-walk")
    assert "焼き菓子店の卸売挑戦" in page and "土産物店への納品が始まった" in page
    meta = front_matter(path)
    assert meta["walls"] == ["見えない", "足りない"]
    jsonschema.validate(meta, json.loads((project.root / CASE_SCHEMA).read_text("utf-8")))


def test_publishing_a_case_that_still_holds_the_template_is_an_error(project: Project) -> None:
    assert casebook(project, "new", "case", "ex-raw", *REQUIRED, "--no-input").returncode == 0
    path = project.root / "cases" / "ex-raw.md"
    path.write_text(path.read_text("utf-8").replace("status: draft", "status: published"),
                    "utf-8")
    check = casebook(project, "check")
    assert check.returncode == 1
    assert "title: the title is still the placeholder" in check.stderr
    line = next(i for i, text in enumerate(path.read_text("utf-8").split("\n"), start=1)
                if text.startswith("対話を通じて設定された課題"))
    assert (f"cases/ex-raw.md:{line}: text: the template's guidance line is still here"
            in check.stderr)


def test_fix_normalize_removes_a_term_listed_twice_under_two_spellings(project: Project) -> None:
    path = project.case()
    text = path.read_text("utf-8").replace("themes: [組織・人材]",
                                           "themes: [DX, デジタル化 ,組織]  # c")
    text = text.replace("walls: [見えない, 付いてこない]",
                        "walls:\n  - 見えない\n  - 見えない壁  # 同じ壁\n  - ついてこない")
    path.write_text(text, "utf-8")
    result = casebook(project, "check", "--fix", "normalize")
    assert result.returncode == 0, result.stderr
    fixed = path.read_text("utf-8")
    assert "themes: [DX・デジタル化 ,組織・人材]  # c\n" in fixed
    assert "walls:\n  - 見えない\n  - 付いてこない\napproaches:" in fixed
    assert "fixed cases/a-parts.md:10: themes: removed 'デジタル化' (listed twice)" in result.stdout
    assert "fixed cases/a-parts.md:13: walls: removed '見えない壁' (listed twice)" in result.stdout
    assert "fixed cases/a-parts.md:13: walls: 'ついてこない' → '付いてこない'" in result.stdout


def test_fix_normalize_edits_only_the_files_the_build_reads(project: Project) -> None:
    """A hidden folder is not part of the site, and a link is reported, not followed: the fix
    leaves both as they are, as the build does."""
    fixed = project.write("cases/a-parts.md", MESSY)
    hidden = project.write("cases/.hidden/h.md", MESSY)
    outside = project.write("elsewhere/b-parts.md", MESSY.replace("a-parts", "b-parts"))
    link = project.root / "cases" / "b-parts.md"
    link.symlink_to(outside)
    result = casebook(project, "check", "--fix", "normalize")
    assert fixed.read_text(encoding="utf-8") == FIXED
    assert hidden.read_text(encoding="utf-8") == MESSY
    assert link.is_symlink() and outside.read_text(encoding="utf-8") == MESSY.replace(
        "a-parts", "b-parts")
    assert "normalize: 10 changes" in result.stdout
    assert ".hidden" not in result.stdout + result.stderr
    assert "b-parts.md:" not in result.stdout
    assert "cases/b-parts.md: file: a symbolic link: copy the file in instead" in result.stderr


def test_new_case_ignores_ids_of_files_the_build_does_not_read(project: Project) -> None:
    project.write("cases/.hidden/ex-bakery.md", MESSY)
    result = casebook(project, "new", "case", "ex-bakery", "--no-input", *REQUIRED)
    assert result.returncode == 0, result.stderr
    assert (project.root / "cases" / "ex-bakery.md").is_file()


def test_fix_anonymize_takes_no_alias_from_front_matter_the_check_refuses(
        project: Project) -> None:
    """alias written twice: the check refuses it, so no replacement may use either value (plain
    YAML took the last one and proposed the company's own name as its replacement)."""
    path = project.case()
    path.write_text(path.read_text("utf-8").replace(
        "alias: A社", "alias: A社\nalias: 株式会社山田製作所").replace(
        "目標年商を達成した。", "株式会社山田製作所の売上が伸びた。"), "utf-8")
    result = casebook(project, "check", "--fix", "anonymize")
    assert "alias: duplicate key 'alias' (first on line 4): keep one" in result.stderr
    assert "→「株式会社山田製作所」" not in result.stderr
    assert "no safe replacement, rewrite by hand: cases/a-parts.md:" in result.stderr
    assert "'株式会社山田製作所'" in result.stderr


def test_anonymisation_findings_carry_their_kind_and_column_for_the_fixes(
        project: Project) -> None:
    """--fix anonymize reads the finding's kind and column from the problem's fields, not from
    its message: reworded messages still get their proposals."""
    import dataclasses

    from casebook.fixes import proposal_for
    from pipeline.load import load
    from pipeline.options import BuildOptions

    path = project.case()
    path.write_text(path.read_text("utf-8").replace("目標年商を達成した。",
                                                    "その後、" + IDENTIFYING), "utf-8")
    problems = [p for p in load(BuildOptions(project.root), drafts=True, search=False).problems
                if p.field == "anonymization"]
    lines = path.read_text("utf-8").split("\n")
    found = {p.kind: p for p in problems}
    assert set(found) >= {"person", "phone", "date"}, problems
    for problem in problems:  # the column is where the text is written in the file
        line = lines[problem.line - 1]
        assert line[problem.column - 1:].startswith(problem.value), (problem, line)
    reworded = [dataclasses.replace(p, message="言い回しを変えた") for p in problems]
    proposals = {p.kind: p for p in filter(None, (proposal_for(p, {}) for p in reworded))}
    assert proposals["phone"].describe() == "cases/a-parts.md:34: 「048-123-4567」→ 削除"
    assert proposals["date"].column == found["date"].column
    assert proposals["person"].replacement == "社長"


def test_a_head_count_in_a_case_file_is_its_band_and_fix_writes_the_band(
        project: Project) -> None:
    """employees: 30名 once failed the check with "did you mean '301+'?"; it is the band 21-50,
    like any other spelling, and --fix normalize writes the band's label."""
    path = project.case()
    path.write_text(path.read_text("utf-8").replace("employees: 21-50", "employees: ３０名"),
                    "utf-8")
    assert "employees: ３０名" in path.read_text("utf-8")
    check = casebook(project, "check")
    assert check.returncode == 0, check.stderr
    fixed = casebook(project, "check", "--fix", "normalize")
    assert "fixed cases/a-parts.md:8: employees: '３０名' → '21-50'" in fixed.stdout
    assert front_matter(path)["employees"] == "21-50"


def test_a_head_count_straddling_two_bands_is_an_error_naming_the_value(
        project: Project) -> None:
    path = project.case()
    path.write_text(path.read_text("utf-8").replace("employees: 21-50", "employees: 20〜30人"),
                    "utf-8")
    check = casebook(project, "check")
    assert check.returncode == 1
    assert "cases/a-parts.md:8: employees: unknown employees '20〜30人'" in check.stderr


def test_new_case_takes_a_head_count_for_employees(project: Project) -> None:
    result = casebook(project, "new", "case", "ex-bakery", "--no-input", "--employees", "30名",
                      *REQUIRED)
    assert result.returncode == 0, result.stderr
    assert front_matter(project.root / "cases" / "ex-bakery.md")["employees"] == "21-50"
