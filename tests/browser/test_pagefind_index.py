"""The Pagefind index as the build writes it (no browser needed): failures, spellings, drafts."""

from __future__ import annotations

import gzip
import logging
import re
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

import search.pagefind as pagefind
from casebook.vocabulary import load_vocabulary
from search.pagefind import MARKER, SpellingVariants, spell
from tests.conftest import MKDOCS_YML, REPO, Project


def build_like(project: Project, command: str) -> Path:
    """Build as `mkdocs build` or as `mkdocs serve` does (which includes drafts)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(project.root / "mkdocs.yml"))
    config.plugins.on_startup(command=command, dirty=False)
    try:
        build(config, serve_url="http://127.0.0.1:8000/" if command == "serve" else None)
        # `mkdocs serve` brings the search indexes up to date after the site is served.
        assert config.plugins["casebook"].build.wait_for_search(timeout=120)
    finally:
        config.plugins.on_shutdown()
    return project.root / "site"


def pagefind_project(project: Project) -> Project:
    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="true"))
    return project


def test_missing_pagefind_binary_fails_the_build_naming_it(project: Project, monkeypatch,
                                                            caplog) -> None:
    pagefind_project(project).case()
    monkeypatch.setattr(pagefind, "extended_binary", lambda: Path("/nonexistent/pagefind"))
    with pytest.raises(Abort), caplog.at_level(logging.ERROR):
        project.build()
    assert re.search(r"search index: Pagefind could not index .*/nonexistent/pagefind",
                     caplog.text), caplog.text


def test_site_without_the_theme_override_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html lang=ja><body><p>資金繰り</p></body></html>",
                                         encoding="utf-8")
    with pytest.raises(pagefind.PagefindError, match="data-pagefind-body"):
        pagefind.index_site(tmp_path)


def test_build_writes_the_bundle_and_leaves_the_pages_alone(project: Project) -> None:
    pagefind_project(project).case()
    site = project.build()
    assert (site / "pagefind" / "pagefind.js").is_file()
    page = project.page("cases/a-parts")
    assert "場当たり的" in page and MARKER not in page
    assert 'data-pagefind-filter="壁:見えない"' in page
    assert "data-pagefind-body" in page


@pytest.mark.parametrize("command", ["build", "serve"])
def test_drafts_are_not_indexed(project: Project, command: str) -> None:
    pagefind_project(project).case()
    project.case("z-draft", alias="Z社", title="下書きのゼブラ", status="draft")
    site = build_like(project, command)
    # `mkdocs serve` shows drafts to their authors, but its search still leaves them out.
    assert (site / "cases" / "z-draft").exists() == (command == "serve")
    # Fragments hold each indexed page's spelt text; ゼブ would be in one had the draft been read.
    fragments = [gzip.decompress(f.read_bytes()).decode("utf-8", "replace")
                 for f in (site / "pagefind" / "fragment").iterdir()]
    assert any(spell("場当たり的").split()[0] in text for text in fragments)
    assert not any(spell("ゼブラ").split()[0] in text for text in fragments)


def test_taxonomy_variants_are_the_same_word_spelt_differently() -> None:
    vocabulary = load_vocabulary(REPO / "content" / "taxonomy.yml")
    variants = SpellingVariants.build(vocabulary, [])
    others = variants.of("社員が付いてこない。")
    assert {"ついてこない", "付いて来ない"} <= set(others)
    assert "見えていない" not in variants.of("現状が見えない")  # reads differently


def test_noun_spellings_seen_on_the_site_find_each_other() -> None:
    variants = SpellingVariants.build(None, ["技能の引継ぎ", "番頭への引き継ぎ"])
    assert "引き継ぎ" in variants.of("技能の引継ぎ")
    assert "引継ぎ" in variants.of("番頭への引き継ぎ")
    assert variants.of("とき、まま") == []  # kana nouns are not respelt in kanji
