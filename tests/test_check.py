"""Every problem a case author can make is reported with file, line, field, value and a
suggestion."""

from __future__ import annotations

import subprocess
import sys

import pytest
from mkdocs.exceptions import Abort

from casebook.problems import CheckError
from pipeline.load import load_library
from tests.conftest import Project


def problems_of(project: Project) -> str:
    with pytest.raises(CheckError) as caught:
        load_library(project.root)
    return caught.value.report()


def line_of(project: Project, rel: str, needle: str) -> int:
    lines = (project.root / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def test_valid_case_has_no_problems(project: Project) -> None:
    project.case()
    library = load_library(project.root)
    case = library.case("a-parts")
    assert [t.label for t in case.terms("wall")] == ["見えない", "付いてこない"]
    assert [t.label for t in case.terms("skill")] == ["傾聴", "問いかけ"]
    assert case.summary == "人の管理や資金繰りへの対応は場当たり的だった。"


def test_unknown_wall_names_file_line_and_suggestion(project: Project) -> None:
    project.case(walls="見えな, 付いてこない")
    line = line_of(project, "cases/a-parts.md", "見えな,")
    assert (
        f"cases/a-parts.md:{line}: walls: unknown wall '見えな' — did you mean '見えない'?"
        in problems_of(project)
    )


def test_unknown_industry_suggests_closest(project: Project) -> None:
    project.case(industry="製造行")
    report = problems_of(project)
    assert "industry: unknown industry '製造行'" in report
    assert "did you mean '製造業'?" in report


def test_synonym_and_letter_resolve_to_one_industry(project: Project) -> None:
    project.case("a-parts", industry="e")
    project.case("b-shop", industry="卸売業、小売業", alias="B社")
    library = load_library(project.root)
    assert library.case("a-parts").terms("industry")[0].code == "E"
    assert library.case("b-shop").terms("industry")[0].code == "I"


def test_broken_yaml_names_the_line(project: Project) -> None:
    path = project.case()
    text = path.read_text(encoding="utf-8").replace("themes: [組織・人材]", "themes: [組織・人材")
    path.write_text(text, encoding="utf-8")
    assert "cases/a-parts.md:" in problems_of(project)
    assert "front matter: broken YAML" in problems_of(project)


def test_unknown_field_suggests_known_field(project: Project) -> None:
    path = project.case()
    path.write_text(path.read_text(encoding="utf-8").replace("themes:", "theme:"), "utf-8")
    report = problems_of(project)
    line = line_of(project, "cases/a-parts.md", "theme:")
    assert f"cases/a-parts.md:{line}: theme: unknown field — did you mean 'themes'?" in report
    assert "cases/a-parts.md:1: themes: missing required field" in report


def test_missing_required_section_is_reported(project: Project) -> None:
    path = project.case()
    path.write_text(path.read_text(encoding="utf-8").replace("## 生まれた事業上の変化", "## 変化"),
                    "utf-8")
    report = problems_of(project)
    assert "section: missing required section '## 生まれた事業上の変化'" in report
    assert "section: unknown section '## 変化'" in report


def test_unknown_annotation_key_is_reported(project: Project) -> None:
    path = project.case()
    text = path.read_text(encoding="utf-8").replace("{wall=見えない}", "{walls=見えない}")
    path.write_text(text, "utf-8")
    line = line_of(project, "cases/a-parts.md", "{walls=")
    assert (f"cases/a-parts.md:{line}: annotation: unknown annotation key 'walls'"
            in problems_of(project))
    assert "did you mean 'wall'?" in problems_of(project)


def test_unknown_annotation_term_suggests_closest(project: Project) -> None:
    path = project.case()
    text = path.read_text(encoding="utf-8").replace("{skill=傾聴}", "{skill=傾聴した}")
    path.write_text(text, "utf-8")
    line = line_of(project, "cases/a-parts.md", "{skill=傾聴した}")
    assert (f"cases/a-parts.md:{line}: annotation: unknown skill '傾聴した' — did you mean '傾聴'?"
            in problems_of(project))


def test_unknown_dialogue_skill_names_its_line(project: Project) -> None:
    path = project.case()
    text = path.read_text(encoding="utf-8").replace("支援者[問いかけ]", "支援者[問掛け]")
    path.write_text(text, "utf-8")
    line = line_of(project, "cases/a-parts.md", "支援者[問掛け]")
    assert (f"cases/a-parts.md:{line}: dialogue: unknown skill '問掛け' — did you mean '問いかけ'?"
            in problems_of(project))


def test_wall_annotated_but_not_listed(project: Project) -> None:
    project.case(walls="付いてこない")
    line = line_of(project, "cases/a-parts.md", "{wall=見えない}")
    assert (f"cases/a-parts.md:{line}: walls: wall '見えない' is annotated in the text but not "
            "listed in front matter 'walls'" in problems_of(project))


def test_precedent_without_source(project: Project) -> None:
    path = project.case()
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
             if not ln.startswith("source:")]
    path.write_text("\n".join(lines), "utf-8")
    assert "source: a precedent must cite its source" in problems_of(project)


def test_duplicate_id_names_both_files(project: Project) -> None:
    # Ids match file names, so a duplicate is the same name in two folders of cases/.
    project.case("a-parts")
    project.write("cases/2024/a-parts.md", (project.root / "cases/a-parts.md").read_text("utf-8")
                  .replace("alias: A社", "alias: B社"))
    assert ("cases/a-parts.md:2: id: duplicate id 'a-parts' (also used by cases/2024/a-parts.md)"
            in problems_of(project)) or (
        "cases/2024/a-parts.md:2: id: duplicate id 'a-parts' (also used by cases/a-parts.md)"
        in problems_of(project))


def test_id_must_be_the_file_name(project: Project) -> None:
    project.case("a-parts-copy", id="a-parts")
    assert ("cases/a-parts-copy.md:2: id: id 'a-parts' differs from the file name "
            "'a-parts-copy': make them the same — did you mean 'a-parts-copy'?"
            in problems_of(project))


def test_all_problems_of_a_run_are_reported_together(project: Project) -> None:
    project.case("a-parts", walls="見えな")
    project.case("b-shop", alias="B社", industry="製造行")
    report = problems_of(project)
    # a-parts: the bad wall, and 見えない annotated but (so) not listed; b-shop: the industry
    assert report.startswith("3 problems found:")
    assert "cases/a-parts.md" in report and "cases/b-shop.md" in report


def test_guide_explains_unknown_term(project: Project) -> None:
    project.write("content/guide.md", "---\nexplains: {wall: 見えなく}\n---\n# 解説\n")
    assert ("content/guide.md:2: explains.wall: unknown wall '見えなく' — did you mean '見えない'?"
            in problems_of(project))


def test_check_command_exits_nonzero_with_same_messages(project: Project) -> None:
    project.case(walls="見えな, 付いてこない")
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "check", "--root", str(project.root)],
        capture_output=True, text=True,
    )
    assert result.returncode == 1
    assert "walls: unknown wall '見えな' — did you mean '見えない'?" in result.stderr


def test_check_command_reports_ok(project: Project) -> None:
    project.case()
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "check", "--root", str(project.root)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "ok: 1 cases" in result.stdout


def test_failed_build_writes_nothing_and_keeps_old_site(project: Project, caplog) -> None:
    project.case()
    site = project.build()
    assert (site / "cases" / "a-parts" / "index.html").exists()
    project.case("b-shop", alias="B社", walls="見えな")
    with pytest.raises(Abort):
        project.build()
    assert "walls: unknown wall '見えな' — did you mean '見えない'?" in caplog.text
    assert (site / "cases" / "a-parts" / "index.html").exists()
    assert not (site / "cases" / "b-shop").exists()


def test_identifying_detail_fails_the_check_with_line_and_text(project: Project) -> None:
    path = project.case()
    path.write_text(path.read_text("utf-8").replace(
        "目標年商を達成した。", "目標年商を達成した。田中社長は 048-123-4567 まで連絡をくれた。"),
        "utf-8")
    line = line_of(project, "cases/a-parts.md", "田中社長")
    report = problems_of(project)
    assert f"cases/a-parts.md:{line}: anonymization: possible personal name" in report
    assert "'田中社長'" in report and "'048-123-4567'" in report


def test_check_spread_over_processes_reports_the_same_problems_in_file_order(
        project: Project, monkeypatch) -> None:
    # From MIN_ITEMS files on, the anonymisation scan runs in worker processes.
    for name in ("a-parts", "b-shop", "c-farm", "d-inn"):
        project.case(name, alias=f"{name[0].upper()}社")
    for name, detail in (("b-shop", "048-123-4567 に電話した。"), ("d-inn", "鈴木様と話した。")):
        path = project.root / "cases" / f"{name}.md"
        path.write_text(path.read_text("utf-8").replace("目標年商を達成した。", detail), "utf-8")
    project.write("cases/c-farm.md", (project.root / "cases/c-farm.md").read_text("utf-8")
                  .replace("walls: [見えない, 付いてこない]", "walls: [見えな, 付いてこない]"))
    in_this_process = problems_of(project)
    monkeypatch.setattr("pipeline.workers.MIN_ITEMS", 2)
    spread = problems_of(project)
    assert spread == in_this_process
    assert spread.index("b-shop.md") < spread.index("c-farm.md") < spread.index("d-inn.md")
    assert "'048-123-4567'" in spread and "'鈴木様'" in spread and "'見えな'" in spread


def test_inline_anon_marker_allows_exactly_that_text(project: Project) -> None:
    path = project.case()
    path.write_text(path.read_text("utf-8").replace(
        "目標年商を達成した。",
        '[関東経済産業局]{anon="公的機関名（公開資料に記載）"}の支援で目標年商を達成した。'),
        "utf-8")
    load_library(project.root)  # no CheckError
    path.write_text(path.read_text("utf-8").replace("の支援で", "と東北経済産業局の支援で"),
                    "utf-8")
    assert "'東北経済産業局'" in problems_of(project)


def test_private_term_in_any_width_or_kana_fails(project: Project) -> None:
    project.write("content/private-terms.txt", "# 実在の取引先\nヤマダ精機\n")
    path = project.case()
    path.write_text(path.read_text("utf-8").replace("目標年商を達成した。",
                                                    "やまだ精機との取引が増えた。"), "utf-8")
    assert "'やまだ精機'" in problems_of(project)


def test_read_cache_reads_changed_files_again_and_keeps_reporting_problems(
        project: Project) -> None:
    from pipeline.load import ReadCache

    cache = ReadCache()
    path = project.case()
    project.case("b-shop", alias="B社")
    first = load_library(project.root, cache=cache)
    bad = path.read_text("utf-8").replace("walls: [見えない, 付いてこない]",
                                          "walls: [見えな, 付いてこない]")
    path.write_text(bad, "utf-8")
    for _ in range(2):  # reported again when nothing changed: problems are cached too
        with pytest.raises(CheckError, match="unknown wall '見えな' — did you mean '見えない'"):
            load_library(project.root, cache=cache)
    path.write_text(bad.replace("見えな,", "見えない,"), "utf-8")
    again = load_library(project.root, cache=cache)
    assert again.case("b-shop").doc is first.case("b-shop").doc  # unchanged: not parsed again
    assert again.case("a-parts").doc is not first.case("a-parts").doc
    project.write("content/private-terms.txt", "B社長の実名\n付いてこない\n")
    with pytest.raises(CheckError, match="private"):  # new deny-list: every file scanned again
        load_library(project.root, cache=cache)


# --- drafts: true in mkdocs.yml ----------------------------------------------------------------

def _with_drafts_option(project: Project, option: str) -> None:
    from tests.conftest import MKDOCS_YML

    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="false") + option)
    project.case()
    project.case("z-draft", alias="Z社", status="draft", title="下書きZZZ事例")


DRAFTS_REFUSED = ("mkdocs.yml: drafts: 'drafts: true' in the casebook plugin's options would "
                  "publish 1 draft (status: draft) in this learner build: cases/z-draft.md. "
                  "Remove the option (`mkdocs serve` shows drafts without it) or set status: "
                  "published in each file that is ready")


def test_drafts_option_in_a_site_build_is_refused_naming_the_drafts(project: Project,
                                                                     caplog) -> None:
    _with_drafts_option(project, "      drafts: true\n")
    with pytest.raises(Abort):
        project.build()
    assert DRAFTS_REFUSED in caplog.text
    assert not (project.root / "site").exists()


def test_check_reports_the_drafts_option_the_build_would_refuse(project: Project) -> None:
    _with_drafts_option(project, "      drafts: true\n")
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "check", "--root", str(project.root)],
        capture_output=True, text=True)
    assert result.returncode == 1
    assert DRAFTS_REFUSED in result.stderr


def test_drafts_option_without_drafts_builds(project: Project) -> None:
    from tests.conftest import MKDOCS_YML

    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="false") + "      drafts: true\n")
    project.case()
    project.build()
    assert "A社" in project.page("walls/mienai")


def test_drafts_at_the_top_of_mkdocs_yml_is_not_an_option_and_publishes_nothing(
        project: Project, caplog) -> None:
    # MkDocs has no `drafts` setting (its own is `draft_docs`, for files in docs_dir): it
    # warns and ignores it, and the draft stays out of the site.
    from tests.conftest import MKDOCS_YML

    project.write("mkdocs.yml", "drafts: true\n" + MKDOCS_YML.format(pagefind="false"))
    project.case()
    project.case("z-draft", alias="Z社", status="draft", title="下書きZZZ事例")
    site = project.build()
    assert "Unrecognised configuration name: drafts" in caplog.text
    assert "Z社" not in project.page("walls/mienai")
    assert "z-draft" not in (site / "cases" / "index.html").read_text(encoding="utf-8")


# --- one H1 per case ----------------------------------------------------------------------------

def test_second_h1_written_for_a_section_names_line_heading_and_the_section(
        project: Project) -> None:
    path = project.case()
    path.write_text(path.read_text("utf-8").replace("## 支援アプローチ", "# 支援アプローチ"),
                    "utf-8")
    title = line_of(project, "cases/a-parts.md", "# 属人的経営から組織的経営へ")
    line = line_of(project, "cases/a-parts.md", "# 支援アプローチ")
    report = problems_of(project)
    assert (f"cases/a-parts.md:{line}: heading: a second H1 '# 支援アプローチ' (the title is the "
            f"H1 on line {title}): a case has one H1; write sections as '## …' and headings "
            "inside them as '### …' — did you mean '## 支援アプローチ'?") in report, report


def test_second_h1_with_no_section_like_it_is_reported_without_a_guess(project: Project) -> None:
    path = project.case()
    path.write_text(path.read_text("utf-8") + "\n# 補足メモ\n\n後日談。\n", "utf-8")
    line = line_of(project, "cases/a-parts.md", "# 補足メモ")
    report = problems_of(project)
    assert (f"cases/a-parts.md:{line}: heading: a second H1 '# 補足メモ' (the title is the H1 "
            "on line 16): a case has one H1; write sections as '## …' and headings inside "
            "them as '### …'\n") in report + "\n", report
    assert "did you mean" not in report


def test_a_hash_line_in_a_code_block_is_no_second_h1(project: Project) -> None:
    path = project.case()
    path.write_text(path.read_text("utf-8") + "\n```text\n# 設定ファイルの例\n```\n", "utf-8")
    assert load_library(project.root).case("a-parts").title == "属人的経営から組織的経営へ"
