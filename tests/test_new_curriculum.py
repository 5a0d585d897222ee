"""A trainer's path: `casebook new curriculum` → check → build, and the curriculum schema."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from casebook.editor_schema import CURRICULUM_SCHEMA, curriculum_schema, schema_texts
from casebook.new_curriculum import (
    BODY_GUIDE,
    NOTE_GUIDE,
    QUESTIONS_GUIDE,
    SESSION_PLACEHOLDER,
    TITLE_PLACEHOLDER,
    parse_minutes,
)
from casebook.vocabulary import load_vocabulary
from pipeline.load import load
from pipeline.options import from_mkdocs_yml
from tests.conftest import REPO, Project
from tests.test_authoring import casebook, front_matter, on_a_terminal
from tests.test_curricula import article

GUIDE = "# 伴走支援の考え方\n\n課題設定型の伴走支援を解説します。\n"
WALLS_GUIDE = "# 自己変革への「５つの壁」\n\n5つの壁を解説します。\n"
QUESTION = "\n## 考えてみよう\n\n1. {alias}の社長に、最初にどんな問いかけをしますか。\n"


@pytest.fixture
def trainer(project: Project) -> Project:
    """A project with two guides, two published cases and a draft one."""
    project.write("content/method/index.md", GUIDE)
    project.write("content/method/walls/index.md", WALLS_GUIDE)
    for name, alias, status in (("a-parts", "A社", "published"), ("b-shop", "B社", "published"),
                                ("c-draft", "C社", "draft")):
        path = project.case(name, alias=alias, status=status)
        path.write_text(path.read_text("utf-8") + QUESTION.format(alias=alias), "utf-8")
    return project


GIVEN = ["--title", "壁を見立てる（70分）", "--audience", "着任1年目の経営指導員",
         "--objective", "事例の記述から壁を見立てられる",
         "--objective", "最初の問いかけを考えられる",
         "--session", "導入", "１０分", "--guide", "content/method/walls",
         "--session", "先行事例で見る壁", "1時間",
         "--session-description", "A社とB社を読みます。",
         "--case", "a-parts,B社", "--alternate", "c-draft", "--guide", "伴走支援の考え方",
         "--note", "付箋に壁と根拠を書かせる。",
         "--question", "同じ事例で見立てが分かれたのはなぜでしょうか。"]


def curriculum_file(project: Project, name: str = "kabe-70"):
    return project.root / "content" / "curricula" / f"{name}.md"


# --- the happy path -------------------------------------------------------------------------

def test_new_curriculum_writes_the_values_given_normalised_and_passes_check(
        trainer: Project) -> None:
    result = casebook(trainer, "new", "curriculum", "kabe-70", *GIVEN, "--no-input")
    assert result.returncode == 0, result.stderr
    assert "created content/curricula/kabe-70.md (status: draft)" in result.stdout
    assert "note: case 'c-draft' is a draft: publish it before this curriculum" in result.stdout
    path = curriculum_file(trainer)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n# yaml-language-server: "
                           "$schema=../../schemas/curriculum.schema.json\n")
    meta = front_matter(path)
    assert meta["title"] == "壁を見立てる（70分）"
    assert meta["audience"] == "着任1年目の経営指導員"
    assert meta["objectives"] == ["事例の記述から壁を見立てられる", "最初の問いかけを考えられる"]
    assert meta["status"] == "draft"
    first, second = meta["sessions"]
    assert first == {"title": "導入", "minutes": 10, "guides": ["method/walls/index.md"]}
    assert second == {"title": "先行事例で見る壁", "minutes": 60,
                      "description": "A社とB社を読みます。", "guides": ["method/index.md"],
                      "cases": ["a-parts", "b-shop"], "alternates": ["c-draft"],
                      "teaching_note": "付箋に壁と根拠を書かせる。"}
    # What was not given is left as a commented choice; the choices are listed once.
    assert "# description: " in text
    assert "    # cases: [a-parts]\n" in text
    assert "#   method/walls/index.md  自己変革への「５つの壁」\n" in text
    assert "#   c-draft  C社 属人的経営から組織的経営へ（下書き）\n" in text
    assert "## 討議の問い\n\n1. 同じ事例で見立てが分かれたのはなぜでしょうか。\n" in text
    assert f"```teaching-note\n{NOTE_GUIDE}\n```" in text
    check = casebook(trainer, "check")
    assert check.returncode == 0, check.stderr
    assert "ok: 3 cases (1 drafts), 3 guides, 1 curricula" in check.stdout
    site = trainer.build()  # builds, and leaves the draft out
    assert not (site / "curricula" / "kabe-70").exists()
    assert "壁を見立てる（70分）" not in (site / "curricula" / "index.html").read_text("utf-8")
    # The schema its first line names was written, and the new file satisfies it but for
    # the draft alternate, which the schema (published cases only) does not list.
    schema = json.loads((trainer.root / CURRICULUM_SCHEMA).read_text(encoding="utf-8"))
    errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(meta)]
    assert errors == ["'c-draft' is not one of ['a-parts', 'b-shop']"]


def test_new_curriculum_published_and_built_shows_the_values(trainer: Project) -> None:
    result = casebook(trainer, "new", "curriculum", "kabe-70", *GIVEN, "--no-input")
    assert result.returncode == 0, result.stderr
    path = curriculum_file(trainer)
    text = path.read_text(encoding="utf-8").replace("status: draft", "status: published")
    text = text.replace(BODY_GUIDE, "演習事例から壁を見立てる練習をします。")
    text = text.replace(NOTE_GUIDE, "冒頭で「見えない」と「向き合わない」の違いを聞く。")
    path.write_text(text, encoding="utf-8")
    check = casebook(trainer, "check")
    assert check.returncode == 1
    assert ("alternates: case 'c-draft' is a draft in session 2 「先行事例で見る壁」: a "
            "published curriculum cannot use it") in check.stderr
    path.write_text(text.replace("alternates: [c-draft]", "# alternates: []"), "utf-8")
    check = casebook(trainer, "check")
    assert check.returncode == 0, check.stderr
    trainer.build()
    page = article(trainer.page("curricula/kabe-70"))
    for shown in ("壁を見立てる（70分）", "事例の記述から壁を見立てられる",
                  "最初の問いかけを考えられる", "演習事例から壁を見立てる練習をします。",
                  "同じ事例で見立てが分かれたのはなぜでしょうか。", "A社とB社を読みます。",
                  "解説: 自己変革への「５つの壁」", "解説: 伴走支援の考え方",
                  "A社の社長に、最初にどんな問いかけをしますか。"):
        assert shown in page, shown
    assert re.search(r"1\s+0:00–0:10\s+導入\s+10", page), page
    assert re.search(r"2\s+0:10–1:10\s+先行事例で見る壁\s+60\s+A社・B社", page), page
    assert re.search(r"合計\s*70\s*1時間10分", page), page
    assert "着任1年目の経営指導員" in article(trainer.page("curricula"))
    # Teaching notes stay out of the learner edition.
    site = trainer.root / "site"
    for written in site.rglob("*.html"):
        assert "付箋に壁と根拠" not in written.read_text("utf-8"), written
        assert "向き合わない」の違いを聞く" not in written.read_text("utf-8"), written


def test_publishing_a_curriculum_that_still_holds_the_template_is_an_error(
        trainer: Project) -> None:
    result = casebook(trainer, "new", "curriculum", "raw", "--no-input")
    assert result.returncode == 0, result.stderr
    path = curriculum_file(trainer, "raw")
    text = path.read_text("utf-8")
    assert f"title: {TITLE_PLACEHOLDER}" in text and f"- title: {SESSION_PLACEHOLDER}" in text
    assert casebook(trainer, "check").returncode == 0  # a draft may hold it
    path.write_text(text.replace("status: draft", "status: published"), "utf-8")
    check = casebook(trainer, "check")
    assert check.returncode == 1
    lines = path.read_text("utf-8").split("\n")

    def line_of(start: str) -> int:
        return next(n for n, line in enumerate(lines, start=1) if line.startswith(start))

    assert (f"content/curricula/raw.md:{line_of('title:')}: title: the title is still the "
            "placeholder: give the curriculum its title") in check.stderr
    assert (f"content/curricula/raw.md:{line_of('  - title:')}: title: the session's name "
            "is still the placeholder") in check.stderr
    for guide in (BODY_GUIDE, QUESTIONS_GUIDE, NOTE_GUIDE):
        assert (f"content/curricula/raw.md:{line_of(guide)}: text: the template's guidance "
                "line is still here") in check.stderr


# --- every error path -----------------------------------------------------------------------

def test_unknown_case_and_guide_are_refused_with_the_closest_valid_value(
        trainer: Project) -> None:
    result = casebook(trainer, "new", "curriculum", "kabe-70", "--session", "演習", "30",
                      "--case", "a-part", "--guide", "method/wall", "--alternate", "Z社",
                      "--no-input")
    assert result.returncode == 2
    assert ("casebook new: --case: unknown case 'a-part' in session 1 「演習」 — did you mean "
            "'a-parts'?") in result.stderr
    assert ("casebook new: --guide: unknown guide 'method/wall' in session 1 「演習」 (a path "
            "in the docs folder, such as method/index.md) — did you mean "
            "'method/walls/index.md'?") in result.stderr
    assert "--alternate: unknown case 'Z社' in session 1 「演習」" in result.stderr
    assert "3 problems found" in result.stderr
    assert not curriculum_file(trainer).exists()


def test_a_draft_case_is_refused_for_a_published_curriculum(trainer: Project) -> None:
    result = casebook(trainer, "new", "curriculum", "kabe-70", "--title", "壁", "--status",
                      "公開", "--session", "演習", "30", "--case", "c-draft", "--no-input")
    assert result.returncode == 2
    assert ("casebook new: --case: case 'c-draft' is a draft in session 1 「演習」: a "
            "published curriculum cannot use it (publish the case, or leave the curriculum a "
            "draft)") in result.stderr
    assert not curriculum_file(trainer).exists()
    # Published, with published cases only: no template lines, it builds as it is.
    result = casebook(trainer, "new", "curriculum", "kabe-70", "--title", "壁", "--status",
                      "published", "--session", "演習", "30", "--case", "a-parts",
                      "--no-input")
    assert result.returncode == 0, result.stderr
    assert "(status: published)" in result.stdout
    assert casebook(trainer, "check").returncode == 0
    trainer.build()
    assert "壁" in article(trainer.page("curricula/kabe-70"))


def test_a_published_curriculum_needs_a_title_and_a_session(trainer: Project) -> None:
    result = casebook(trainer, "new", "curriculum", "kabe-70", "--status", "published",
                      "--no-input")
    assert result.returncode == 2
    assert "casebook new: --title: a published curriculum needs its title" in result.stderr
    assert "casebook new: --session: a published curriculum needs at least one session" \
        in result.stderr
    result = casebook(trainer, "new", "curriculum", "kabe-70", "--status", "publish",
                      "--no-input")
    assert "--status: unknown status 'publish' — did you mean 'published'?" in result.stderr
    assert not curriculum_file(trainer).exists()


@pytest.mark.parametrize("minutes, message", [
    ("0", "minutes of session 1 「演習」: must be more than 0, got 0"),
    ("-5", "minutes of session 1 「演習」: expected a whole number of minutes (30, 90分, "
           "1時間30分), got '-5' — did you mean '5'?"),
    ("半日", "minutes of session 1 「演習」: expected a whole number of minutes (30, 90分, "
           "1時間30分), got '半日'"),
    ("30ふん", "got '30ふん' — did you mean '30'?"),
    ("1.5", "got '1.5'"),
])
def test_bad_minutes_are_refused(trainer: Project, minutes: str, message: str) -> None:
    result = casebook(trainer, "new", "curriculum", "kabe-70", "--session", "演習", minutes,
                      "--no-input")
    assert result.returncode == 2
    assert "casebook new: --session: minutes of session 1 「演習」: " in result.stderr
    assert message in result.stderr
    assert not curriculum_file(trainer).exists()


@pytest.mark.parametrize("written, minutes", [
    ("30", 30), ("３０", 30), ("90分", 90), ("1時間", 60), ("1時間30分", 90), ("45 min", 45),
    (20, 20),
])
def test_minutes_are_read_in_the_ways_a_trainer_writes_them(written, minutes: int) -> None:
    assert parse_minutes(written) == (minutes, None, None)


def test_an_existing_curriculum_is_not_overwritten(trainer: Project) -> None:
    path = trainer.write("content/curricula/kabe-70.md", "手で書いたもの\n")
    trainer.write("content/curricula/kabe-70-2.md", "もう一つ\n")
    result = casebook(trainer, "new", "curriculum", "kabe-70", "--no-input")
    assert result.returncode == 2
    assert ("casebook new: id: id 'kabe-70' is already used by content/curricula/kabe-70.md "
            "— did you mean 'kabe-70-3'?") in result.stderr
    assert path.read_text("utf-8") == "手で書いたもの\n"


@pytest.mark.parametrize("raw, message", [
    ("Kabe_70", "id must be lowercase ASCII letters, digits and '-' — did you mean 'kabe-70'?"),
    ("壁", "id must be lowercase ASCII letters, digits and '-'"),
    ("index", "'index' is the name of a page the site makes: choose another id — did you mean "
              "'index-1'?"),
])
def test_a_bad_id_is_refused_with_a_valid_one(trainer: Project, raw: str, message: str) -> None:
    result = casebook(trainer, "new", "curriculum", raw, "--no-input")
    assert result.returncode == 2
    assert f"casebook new: id: {message}" in result.stderr
    assert not (trainer.root / "content" / "curricula").exists()


def test_a_session_option_before_any_session_is_a_usage_error(trainer: Project) -> None:
    result = casebook(trainer, "new", "curriculum", "kabe-70", "--case", "a-parts",
                      "--no-input")
    assert result.returncode == 2
    assert "--case belongs to a session: give --session TITLE MINUTES before it" \
        in result.stderr


def test_a_case_and_alternate_at_once_is_refused(trainer: Project) -> None:
    result = casebook(trainer, "new", "curriculum", "kabe-70", "--session", "演習", "30",
                      "--case", "a-parts", "--alternate", "A社", "--no-input")
    assert result.returncode == 2
    assert ("--alternate: 'a-parts' is both a case and an alternate in session 1 「演習」: "
            "keep one") in result.stderr


# --- asked on a terminal ----------------------------------------------------------------------

ANSWERS = "\n".join([
    "",                    # title: required → asked again
    "壁を見立てる",          # title
    "経営指導員",            # audience
    "",                    # description: skipped
    "壁を見立てられる",       # objective 1
    "",                    # objectives end
    "導入",                 # session 1
    "ゼロ",                 # minutes: wrong → asked again
    "15分",                 # minutes
    "method/wall",         # guide: misspelt → did you mean
    "3",                   # guide by number (method/walls/index.md)
    "",                    # cases: skipped
    "",                    # alternates: skipped
    "",                    # teaching note: skipped
    "演習",                 # session 2
    "",                    # minutes: the default 30
    "",                    # guides: skipped
    "a-part",              # case: misspelt → did you mean
    "a-parts, 3",          # cases by id and by number (c-draft, listed as a draft)
    "a-parts",             # alternate that is already a case → asked again
    "B社",                  # alternate by alias
    "グループで1事例ずつ",     # teaching note
    "",                    # no session 3
    "見立てが分かれた点は",    # question 1
    "",                    # questions end
]) + "\n"


def test_new_curriculum_asks_offering_cases_and_guides(trainer: Project) -> None:
    result = casebook(trainer, "new", "curriculum", "kabe", "--interactive", stdin=ANSWERS)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "   3. method/walls/index.md — 自己変革への「５つの壁」" in out
    assert "   3. c-draft — C社 属人的経営から組織的経営へ（下書き）" in out
    assert "  必須です。" in out
    assert "expected a whole number of minutes (30, 90分, 1時間30分), got 'ゼロ'" in out
    assert "unknown guide 'method/wall' in session 1 「導入」" in out
    assert "did you mean 'method/walls/index.md'?" in out
    assert "unknown case 'a-part' in session 2 「演習」 — did you mean 'a-parts'?" in out
    assert "'a-parts' is already a case of session 2 「演習」: choose another" in out
    meta = front_matter(curriculum_file(trainer, "kabe"))
    assert meta["title"] == "壁を見立てる"
    assert meta["audience"] == "経営指導員"
    assert "description" not in meta
    assert meta["objectives"] == ["壁を見立てられる"]
    assert meta["sessions"] == [
        {"title": "導入", "minutes": 15, "guides": ["method/walls/index.md"]},
        {"title": "演習", "minutes": 30, "cases": ["a-parts", "c-draft"],
         "alternates": ["b-shop"], "teaching_note": "グループで1事例ずつ"}]
    assert "1. 見立てが分かれた点は" in curriculum_file(trainer, "kabe").read_text("utf-8")
    assert casebook(trainer, "check").returncode == 0


def test_new_curriculum_asks_on_a_real_terminal(trainer: Project) -> None:
    """No flag: the command sees a terminal (a pseudo-terminal) and asks."""
    returncode, text = on_a_terminal(trainer, ["new", "curriculum", "kabe-tty"], ANSWERS)
    assert returncode == 0, text
    assert "事例（番号か名前。複数はカンマで区切る・任意・空欄で省略）" in text
    assert "created content/curricula/kabe-tty.md (status: draft)" in text
    sessions = front_matter(curriculum_file(trainer, "kabe-tty"))["sessions"]
    assert [s["title"] for s in sessions] == ["導入", "演習"]
    assert sessions[1]["alternates"] == ["b-shop"]


def test_new_curriculum_ended_mid_questions_writes_nothing(trainer: Project) -> None:
    result = casebook(trainer, "new", "curriculum", "kabe", "--interactive",
                      stdin="壁を見立てる\n経営指導員\n")
    assert result.returncode == 2
    assert "casebook new: stopped: nothing written" in result.stderr
    assert not curriculum_file(trainer, "kabe").exists()


# --- the curriculum schema ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def repository():
    """The repository's cases and guides, as the build reads them."""
    loaded = load(from_mkdocs_yml(REPO / "mkdocs.yml"), drafts=True, search=False)
    assert not loaded.problems
    return ([r.case for r in loaded.results if r.case is not None],
            [r.guide for r in loaded.results if r.guide is not None], loaded.vocabulary)


def test_schema_lists_published_cases_and_guides_with_titles(repository) -> None:
    cases, guides, _ = repository
    schema = curriculum_schema(cases, guides)
    jsonschema.Draft7Validator.check_schema(schema)
    case = schema["definitions"]["case"]
    hover = dict(zip(case["enum"], case["enumDescriptions"], strict=True))
    assert hover["a-precision-parts"].startswith("A社 ")
    assert "ex-farm-sixth-industry" not in hover  # a draft
    assert sorted(hover) == sorted(c.id for c in cases if not c.is_draft)
    guide = schema["definitions"]["guide"]
    titles = dict(zip(guide["enum"], guide["enumDescriptions"], strict=True))
    assert titles["method/walls/index.md"] == "自己変革への「５つの壁」"
    session = schema["properties"]["sessions"]["items"]
    assert session["properties"]["alternates"]["items"] == {"$ref": "#/definitions/case"}
    assert session["required"] == ["title", "minutes"]


def test_committed_curriculum_schema_is_current(repository) -> None:
    cases, guides, vocabulary = repository
    committed = (REPO / CURRICULUM_SCHEMA).read_text(encoding="utf-8")
    assert committed == schema_texts(vocabulary, cases, guides)[CURRICULUM_SCHEMA], \
        "run: casebook schema"


def test_every_shipped_curriculum_satisfies_the_schema() -> None:
    validator = jsonschema.Draft7Validator(
        json.loads((REPO / CURRICULUM_SCHEMA).read_text(encoding="utf-8")))
    paths = sorted((REPO / "content" / "curricula").glob("*.md"))
    assert len(paths) >= 2
    for path in paths:
        assert [e.message for e in validator.iter_errors(front_matter(path))] == [], path.name


@pytest.mark.parametrize("plant, message", [
    (lambda m: m["sessions"][1].update(cases=["a-precision-part"]),
     "'a-precision-part' is not one of"),
    (lambda m: m["sessions"][1].update(cases=["ex-farm-sixth-industry"]),
     "'ex-farm-sixth-industry' is not one of"),
    (lambda m: m["sessions"][0].update(guides=["method/wall.md"]),
     "'method/wall.md' is not one of"),
    (lambda m: m["sessions"][0].update(minutes=0), "0 is less than the minimum of 1"),
    (lambda m: m["sessions"][0].update(minutes="30分"), "'30分' is not of type 'integer'"),
    (lambda m: m["sessions"][0].pop("minutes"), "'minutes' is a required property"),
    (lambda m: m.update(objective=["x"]),
     "Additional properties are not allowed ('objective' was unexpected)"),
])
def test_a_planted_wrong_value_fails_the_curriculum_schema(plant, message: str) -> None:
    schema = json.loads((REPO / CURRICULUM_SCHEMA).read_text(encoding="utf-8"))
    meta = front_matter(REPO / "content" / "curricula" / "kabe-workshop-90.md")
    plant(meta)
    with pytest.raises(jsonschema.ValidationError) as caught:
        jsonschema.validate(meta, schema)
    assert message in caught.value.message


def test_schema_command_writes_both_and_check_reports_a_stale_curriculum_schema(
        trainer: Project) -> None:
    result = casebook(trainer, "schema")
    assert result.returncode == 0, result.stderr
    assert "wrote schemas/curriculum.schema.json" in result.stdout
    written = json.loads((trainer.root / CURRICULUM_SCHEMA).read_text("utf-8"))
    assert written["definitions"]["case"]["enum"] == ["a-parts", "b-shop"]
    assert casebook(trainer, "check").returncode == 0
    # Publishing a case makes the committed schema stale: check warns (publishing a case must
    # not fail the check), a build rewrites it.
    draft = trainer.root / "cases" / "c-draft.md"
    draft.write_text(draft.read_text("utf-8").replace("status: draft", "status: published"),
                     "utf-8")
    check = casebook(trainer, "check")
    assert check.returncode == 0, check.stderr
    assert ("warning: schemas/curriculum.schema.json: out of date with the published cases and "
            "guides: run 'casebook schema'") in check.stderr
    trainer.build()
    written = json.loads((trainer.root / CURRICULUM_SCHEMA).read_text("utf-8"))
    assert written["definitions"]["case"]["enum"] == ["a-parts", "b-shop", "c-draft"]
    assert casebook(trainer, "check").returncode == 0


def test_fix_normalize_rewrites_a_stale_committed_schema(trainer: Project) -> None:
    assert casebook(trainer, "schema").returncode == 0
    draft = trainer.root / "cases" / "c-draft.md"
    draft.write_text(draft.read_text("utf-8").replace("status: draft", "status: published"),
                     "utf-8")
    result = casebook(trainer, "check", "--fix", "normalize")
    assert result.returncode == 0, result.stderr
    assert "fixed schemas/curriculum.schema.json: rewritten (it was out of date)" \
        in result.stdout
    assert "normalize: 4 changes" in result.stdout  # and industry E → 製造業 in each case
    written = json.loads((trainer.root / CURRICULUM_SCHEMA).read_text("utf-8"))
    assert written["definitions"]["case"]["enum"] == ["a-parts", "b-shop", "c-draft"]
    again = casebook(trainer, "check", "--fix", "normalize")
    assert "normalize: 0 changes" in again.stdout


def test_schema_command_in_a_project_with_problems_lists_what_it_could_read(
        trainer: Project) -> None:
    trainer.case("d-broken", alias="D社", walls="見えな")
    result = casebook(trainer, "schema")
    assert result.returncode == 0, result.stderr
    assert "note: the project has 2 problem(s) (run 'casebook check')" in result.stderr
    written = json.loads((trainer.root / CURRICULUM_SCHEMA).read_text("utf-8"))
    assert written["definitions"]["case"]["enum"] == ["a-parts", "b-shop"]


def test_the_vocabulary_alone_makes_no_curriculum_schema() -> None:
    vocabulary = load_vocabulary(REPO / "content" / "taxonomy.yml")
    assert list(schema_texts(vocabulary)) == ["schemas/case.schema.json"]


def test_the_authoring_page_command_makes_a_curriculum_of_this_repository(tmp_path) -> None:
    """A trainer who runs the command shown in 事例の書き方 gets a file that passes check."""
    import shlex
    import shutil
    import subprocess
    import sys

    authoring = (REPO / "content" / "authoring.md").read_text("utf-8")
    part = authoring[authoring.index("### ひな形を作る（`casebook new curriculum`）"):]
    command = re.search(r"```sh\n\.venv/bin/casebook (new curriculum [^\n]*--title.*?)\n```",
                        part, re.S).group(1).replace("\\\n", " ")
    root = tmp_path / "repo"
    for folder in ("content", "cases", "schemas"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pipeline.cli", *args, "--root",
                               str(root)], capture_output=True, text=True, timeout=300)

    result = run(*shlex.split(command), "--no-input")
    assert result.returncode == 0, result.stderr
    meta = front_matter(root / "content" / "curricula" / "kabe-workshop-60.md")
    assert meta["sessions"][0]["guides"] == ["method/walls/index.md"]
    assert meta["sessions"][1]["alternates"] == ["ex-construction-pricing"]
    check = run("check")
    assert check.returncode == 0, check.stderr
