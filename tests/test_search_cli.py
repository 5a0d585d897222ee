"""`casebook index`, `casebook search` and `casebook related` as a user runs them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.conftest import Project  # noqa: F401 - the project fixture

FIXTURE = Path(__file__).parent / "fixtures" / "search" / "unit"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    project = tmp_path / "proj"
    shutil.copytree(FIXTURE, project)
    return project


@pytest.fixture
def indexed(root: Path, capsys) -> Path:
    assert main(["index", "--root", str(root)]) == 0
    capsys.readouterr()
    return root


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_index_reports_what_it_wrote(root, capsys):
    code, out, _ = run(capsys, "index", "--root", str(root))
    assert code == 0
    assert out.startswith(f"indexed 3 cases into {root / '.casebook-index'}")


def test_index_goes_where_asked(root, tmp_path, capsys):
    code, _, _ = run(capsys, "index", "--root", str(root), "--index", str(tmp_path / "ix"))
    assert code == 0 and (tmp_path / "ix" / "casebook-index.json").is_file()


def test_search_without_index_says_how_to_build_it(root, capsys):
    code, out, err = run(capsys, "search", "--root", str(root), "資金繰り")
    assert code == 2 and out == ""
    assert "no search index" in err and "casebook index" in err


def test_search_prints_table_with_marked_snippet(indexed, capsys):
    code, out, _ = run(capsys, "search", "--root", str(indexed), "資金繰り", "場当たり")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "「資金繰り 場当たり」: 1 件"
    assert any(line.startswith("A社") and "属人的経営から組織的経営へ" in line for line in lines)
    assert "人の管理や【資金繰り】への対応は【場当たり】的だった。" in out


def test_search_table_names_matched_facets(indexed, capsys):
    _, out, _ = run(capsys, "search", "--root", str(indexed), "付いてこない", "製造業")
    row = next(line for line in out.splitlines() if line.startswith("A社"))
    assert row.endswith("付いてこない・製造業")


def test_search_says_when_it_fell_back_to_or(indexed, capsys):
    _, out, _ = run(capsys, "search", "--root", str(indexed), "後継者", "大学", "粗利")
    assert "いずれかの語を含む事例も表示" in out


def test_search_json_lists_hits(indexed, capsys):
    code, out, _ = run(capsys, "search", "--root", str(indexed), "--json", "付いてこない")
    hits = json.loads(out)
    assert code == 0 and {h["id"] for h in hits} == {"a-parts", "c-grocer"}
    assert set(hits[0]) >= {"id", "alias", "title", "url", "score", "snippet"}
    assert hits[0]["url"].startswith("cases/")


def test_search_filter_takes_code_label_or_synonym(indexed, capsys):
    for value in ("I", "小売業", "卸売業，小売業"):
        _, out, _ = run(capsys, "search", "--root", str(indexed), "--json", "--industry", value,
                        "社員")
        assert [h["id"] for h in json.loads(out)] == ["c-grocer"], value


def test_repeated_filter_is_either_term(indexed, capsys):
    _, out, _ = run(capsys, "search", "--root", str(indexed), "--json", "--wall", "見えない",
                    "--wall", "実行できない", "社員")
    assert {h["id"] for h in json.loads(out)} == {"a-parts", "c-grocer"}


def test_unknown_filter_term_suggests_the_closest(indexed, capsys):
    code, out, err = run(capsys, "search", "--root", str(indexed), "--wall", "見えな", "社員")
    assert code == 2 and out == ""
    assert "unknown wall '見えな' — did you mean '見えない'?" in err


def test_empty_query_is_an_error(indexed, capsys):
    code, _, err = run(capsys, "search", "--root", str(indexed), " ")
    assert code == 2 and "empty query" in err


def test_related_prints_cases_with_the_reason(root, capsys):
    code, out, _ = run(capsys, "related", "--root", str(root), "a-parts")
    assert code == 0
    assert out.splitlines()[0] == "A社 属人的経営から組織的経営へ に関連する事例: 2 件"
    assert "  B社  外部の知見で新製品開発を立て直す" in out
    assert "      共通: 製造業・問いかけ\n" in out
    assert "C社" in out and "D社" not in out


def test_related_unknown_id_suggests_the_closest(root, capsys):
    code, out, err = run(capsys, "related", "--root", str(root), "a-part")
    assert code == 2 and out == ""
    assert "no case 'a-part'" in err and "did you mean 'a-parts'" in err


def test_related_needs_no_index_and_lists_what_the_case_page_lists(project, capsys):
    project.case("a-parts")
    project.case("b-shop", alias="B社", industry="小売業", walls="付いてこない, 見えない")
    project.case("c-farm", alias="C社", industry="農業", walls="見えない")
    project.write("mkdocs.yml", (project.root / "mkdocs.yml").read_text("utf-8").replace(
        "      search_pagefind: false", "      search_pagefind: false\n      related_limit: 1"))
    project.build()
    page = project.page("cases/a-parts")
    listed = re.findall(r'<ul class="cb-related">(.*?)</ul>', page, re.S)[0]
    code, out, _ = run(capsys, "related", "--root", str(project.root), "a-parts", "--json")
    found = json.loads(out)
    assert code == 0 and len(found) == 1  # related_limit from mkdocs.yml, as on the page
    assert f"<strong>{found[0]['alias']}</strong> {found[0]['title']}" in listed
    assert found[0]["reason"] in listed


def test_a_head_count_searches_the_cases_of_its_band(indexed, capsys):
    code, out, _ = run(capsys, "search", "--root", str(indexed), "従業員３０名")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "「従業員３０名」: 2 件"
    assert [line[:2] for line in lines if re.match(r"^[A-Z]社", line)] == ["A社", "B社"]


def test_a_head_count_narrows_the_other_words(indexed, capsys):
    _, everywhere, _ = run(capsys, "search", "--root", str(indexed), "資金繰り")
    _, narrowed, _ = run(capsys, "search", "--root", str(indexed), "10人 資金繰り")
    assert "C社" in everywhere and "A社" in everywhere
    assert narrowed.splitlines()[0] == "「10人 資金繰り」: 1 件"
    assert re.search(r"^C社", narrowed, re.M) and not re.search(r"^A社", narrowed, re.M)
