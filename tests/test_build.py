"""Real MkDocs builds in tmp_path: what a reader of the built site sees."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from search import leftovers
from search.index import open_index
from search.pagefind import COPY_PREFIX, PagefindError, spell
from tests.conftest import MKDOCS_YML, Project


def text_of(html: str) -> str:
    """Visible text of a page, roughly: tags dropped, whitespace collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_case_page_has_header_card_sections_and_badges(project: Project) -> None:
    project.case()
    project.build()
    page = project.page("cases/a-parts")
    assert "<h1" in page and "A社: 属人的経営から組織的経営へ" in page
    assert 'class="cb-case-card"' in page
    assert re.search(r'<a class="cb-badge cb-badge--wall"[^>]*href="\.\./\.\./walls/mienai/"', page)
    assert 'href="../../industries/e-manufacturing/"' in page
    text = text_of(page)
    for heading in ("設定された課題", "支援アプローチ", "生まれた事業上の変化"):
        assert heading in text
    assert "出典: 中小企業庁" in text


def test_annotation_renders_as_marked_text_with_badge(project: Project) -> None:
    project.case()
    project.build()
    page = project.page("cases/a-parts")
    assert re.search(
        r'<mark class="cb-annot cb-annot--wall">場当たり的</mark>'
        r'<a class="cb-badge cb-badge--wall cb-badge--in-text" '
        r'href="\.\./\.\./walls/mienai/">見えない</a>', page)
    assert "{wall=" not in page


def test_dialogue_renders_turns_with_skill_badges(project: Project) -> None:
    project.case()
    project.build()
    page = project.page("cases/a-parts")
    assert 'class="cb-dialogue"' in page
    turn = re.search(r'<p class="cb-turn cb-turn--supporter">(.*?)</p>', page, re.S).group(1)
    assert '<strong class="cb-speaker">支援者</strong>' in turn
    assert 'href="../../skills/toikake/">問いかけ</a>' in turn
    assert "5年後、どんな会社になっていたいですか。" in turn
    assert "```dialogue" not in page


def test_facet_overview_lists_terms_with_cases_and_links_the_full_vocabulary(
        project: Project) -> None:
    project.case("a-parts")
    project.case("b-shop", alias="B社", walls="付いてこない, 見えない", industry="小売業")
    site = project.build()
    text = text_of(project.page("walls"))
    assert re.search(r"見えない .*? 2 ", text)
    assert re.search(r"付いてこない .*? 2 ", text)
    assert "足りない" not in text  # no case: not listed, no page of its own
    assert not (site / "walls" / "tarinai").exists()
    assert "事例のまだない壁（3語）も含めた一覧は 分類の語の一覧 にあります。" in text
    assert 'href="../vocabulary/#vocabulary-wall"' in project.page("walls")
    vocabulary = text_of(project.page("vocabulary"))
    assert re.search(r"足りない 足りない壁、たりない 0 ", vocabulary)
    assert re.search(r"付いてこない ついてこない、付いて来ない、.*? 2 ", vocabulary)


def test_term_pages_speak_to_readers_not_authors(project: Project) -> None:
    project.case("a-parts")
    project.build()
    text = text_of(project.page("walls/mienai"))
    assert "表記ゆれ" not in text and "見えていない" not in text
    assert "front matter" not in text_of(project.page("industries"))


def test_term_page_shows_cards_with_summary(project: Project) -> None:
    project.case("a-parts")
    project.case("b-shop", alias="B社", walls="付いてこない", industry="小売業",
                 title="小売の事例")
    # b-shop annotates 見えない in its body, so list it in walls to stay valid
    path = project.root / "cases" / "b-shop.md"
    path.write_text(path.read_text("utf-8").replace("{wall=見えない}", ""), "utf-8")
    project.build()
    page = project.page("walls/mienai")
    text = text_of(page)
    assert "事例（1件）" in text
    assert "A社 属人的経営から組織的経営へ" in text
    assert "B社" not in text
    assert "人の管理や資金繰りへの対応は場当たり的だった。" in text


def test_matrix_counts_lead_to_one_line_per_case(project: Project) -> None:
    project.case("a-parts")
    project.case("b-parts", alias="B社", title="別の製造業の事例")
    project.build()
    page = project.page("matrix")
    assert re.search(r'<a href="#cell-e-manufacturing-mienai"[^>]*>2</a>', page)
    cell = re.search(r'<dt id="cell-e-manufacturing-mienai">(.*?)</dt>\s*<dd>(.*?)</dd>',
                     page, re.S)
    assert cell and text_of(cell.group(1)).strip() == "製造業 × 見えない（2件）"
    lines = re.findall(r"<li>(.*?)</li>", cell.group(2), re.S)
    assert [text_of(line).strip() for line in lines] == [
        "A社 属人的経営から組織的経営へ", "B社 別の製造業の事例"]
    assert 'href="../cases/b-parts/"' in cell.group(2)
    assert "cb-card" not in page  # the page no longer repeats every case as a card


def test_draft_is_left_out_of_build_pages_and_counts(project: Project) -> None:
    project.case("a-parts")
    project.case("z-draft", alias="Z社", status="draft", title="下書きの事例")
    site = project.build()
    assert not (site / "cases" / "z-draft").exists()
    assert "Z社" not in project.page("walls/mienai")
    assert "Z社" not in project.page("cases")
    assert "下書きの事例" not in (site / "sitemap.xml").read_text("utf-8")
    assert re.search(r"見えない .*? 1 ", text_of(project.page("walls")))


def test_a_term_with_a_guide_has_one_page_the_guide(project: Project) -> None:
    project.case()
    project.write("content/method/mienai.md",
                  "---\nexplains: {wall: 見えない}\n---\n# 見えない壁\n\n"
                  "[見えない]{wall=見えない}壁とは。\n")
    project.build()
    page = project.page("method/mienai")
    assert page.index("壁とは。") < page.index('<h2 id="cases-wall-mienai"')  # explanation first
    assert "「見えない」の事例（1件）" in text_of(page)
    assert 'href="../../cases/a-parts/"' in page
    assert '<mark class="cb-annot cb-annot--wall">見えない</mark>' in page
    # the term's own address sends the reader on to the guide
    moved = project.page("walls/mienai")
    assert '<meta http-equiv="refresh" content="0; url=../../method/mienai/">' in moved
    assert "「見えない」の解説と事例は 見えない壁 にあります。" in text_of(moved)
    # the wall overview links the wall to that address
    assert 'href="mienai/">見えない</a>' in project.page("walls")


def test_the_sitemap_lists_real_pages_and_no_forwarding_addresses(project: Project) -> None:
    project.write("mkdocs.yml", "site_url: https://example.org/book/\n"
                  + MKDOCS_YML.format(pagefind="false"))
    project.case()
    project.write("content/method/mienai.md",
                  "---\nexplains: {wall: 見えない}\n---\n# 見えない壁\n\n"
                  "[見えない]{wall=見えない}壁とは。\n")
    site = project.build()
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    for name, data in (("sitemap.xml", (site / "sitemap.xml").read_bytes()),
                       ("sitemap.xml.gz", gzip.decompress((site / "sitemap.xml.gz").read_bytes()))):
        listed = {loc.text.removeprefix("https://example.org/book/") for loc in
                  ElementTree.fromstring(data).iterfind("s:url/s:loc", namespace)}
        # The guide and the case are listed; the wall's old address only forwards to the guide.
        assert {"method/mienai/", "cases/a-parts/", "walls/"} <= listed, (name, listed)
        assert "walls/mienai/" not in listed, name
        forwarders = [u for u in listed if 'http-equiv="refresh"' in
                      (site / u / "index.html").read_text("utf-8")]
        assert forwarders == [], (name, forwarders)
    assert 'http-equiv="refresh"' in project.page("walls/mienai")  # the forwarder still works


def test_a_guide_explaining_several_terms_lists_each_case_once(project: Project) -> None:
    project.case("a-parts")  # its dialogue tags 傾聴 and 問いかけ
    project.case("b-parts", alias="B社", title="別の事例")
    project.write("content/method/dialogue.md",
                  "---\nexplains: {skill: [傾聴, 共感, 問いかけ, 提案]}\n---\n# 対話\n\n本文。\n")
    project.build()
    page = project.page("method/dialogue")
    assert "cb-card" not in page
    table = re.search(r'<table class="cb-explained">(.*?)</table>', page, re.S).group(1)
    head = [text_of(th).strip() for th in re.findall(r"<th[^>]*>(.*?)</th>", table)]
    assert head == ["事例", "傾聴", "共感", "問いかけ", "提案"]
    rows = re.findall(r"<tr><td>(.*?)</tr>", table, re.S)
    assert [text_of(r).split("✓")[0].strip() for r in rows] == [
        "A社 属人的経営から組織的経営へ", "B社 別の事例"]
    assert "この解説に関わる事例（2件）" in text_of(page)
    # a skill's address leads to its column of the table
    assert 'id="cases-skill-toikake"' in table
    assert 'url=../../method/dialogue/#cases-skill-toikake"' in project.page("skills/toikake")


def test_japanese_headings_get_readable_anchors(project: Project) -> None:
    project.case()
    project.build()
    assert 'id="設定された課題"' in project.page("cases/a-parts")


def test_taxonomy_and_private_terms_are_not_published(project: Project) -> None:
    project.write("content/private-terms.txt", "山田精機\n")
    project.case()
    site = project.build()
    assert not (site / "taxonomy.yml").exists()
    assert not (site / "private-terms.txt").exists()


def test_cases_json_has_public_fields_only(project: Project) -> None:
    path = project.case()
    path.write_text(path.read_text("utf-8").replace(
        "status: published", "status: published\ninternal_notes: 社長の持病について"), "utf-8")
    site = project.build()
    records = json.loads((site / "assets/casebook/cases.json").read_text("utf-8"))
    assert records[0]["id"] == "a-parts" and records[0]["url"] == "cases/a-parts/"
    for file in site.rglob("*"):
        if file.is_file() and file.suffix in (".html", ".json", ".xml", ".js"):
            assert "持病" not in file.read_text("utf-8", errors="ignore"), file


def test_no_outside_host_in_built_pages(project: Project) -> None:
    project.case()
    site = project.build()
    for html in site.rglob("*.html"):
        text = html.read_text("utf-8")
        assert "fonts.googleapis.com" not in text, html
        assert not re.search(r'<(script|link)[^>]+(src|href)="https?://', text), html


# --- the search data a build makes in a second process ---------------------------------------


def test_build_writes_the_whoosh_index_next_to_the_site(project: Project) -> None:
    project.case()
    project.case("b-shop", alias="B社", title="小売店の値付け", industry="I",
                 walls="見えない, 足りない")
    project.build()
    with open_index(project.root / ".casebook-index") as index:
        assert sorted(index.ids()) == ["a-parts", "b-shop"]
        assert index.search("値付け").ids == ["b-shop"]


def test_a_folder_in_the_index_place_stops_the_build_before_the_site_is_touched(
        project: Project, caplog) -> None:
    project.case()
    project.build()
    (project.root / "site" / "marker.txt").write_text("old site", encoding="utf-8")
    shutil.rmtree(project.root / ".casebook-index")  # someone's own folder in its place
    project.write(".casebook-index/notes.txt", "my notes")
    with pytest.raises(Abort):
        project.build()
    assert re.search(r"search_index_dir: \S+/\.casebook-index exists and is not a casebook "
                     r"search index; choose another --index folder", caplog.text)
    assert (project.root / "site" / "marker.txt").exists()  # the old site was left as it was
    assert (project.root / ".casebook-index" / "notes.txt").read_text() == "my notes"


def test_a_failure_in_the_index_process_fails_the_build_with_its_error(
        project: Project, monkeypatch, caplog) -> None:
    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("pipeline.build.index_entries", disk_full)  # the forked child's too
    project.case()
    with pytest.raises(Abort):
        project.build()
    assert ("building the search index failed: OSError: [Errno 28] No space left on device"
            in caplog.text)


def test_serve_rebuild_shows_an_edited_case_in_pages_and_both_searches(project: Project) -> None:
    """`mkdocs serve` keeps what it read between rebuilds; an edit must still show everywhere."""
    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="true"))
    path = project.case()
    project.case("b-shop", alias="B社", title="小売店の値付け", industry="I",
                 walls="見えない, 足りない")
    site = project.root / "site"

    def serve_build():
        config = load_config(config_file=str(project.root / "mkdocs.yml"), site_dir=str(site))
        build(config, serve_url="http://127.0.0.1:8000/")
        # `mkdocs serve` brings the search indexes up to date after the site is served.
        build_of = config.plugins["casebook"].build
        assert build_of is None or build_of.wait_for_search(timeout=120)
        return config

    first = serve_build()
    first.plugins.on_startup(command="serve", dirty=False)  # as `mkdocs serve` starts
    first = serve_build()
    try:
        path.write_text(path.read_text("utf-8").replace(
            "目標年商を達成した。", "目標年商を達成し、蔵元との取引が始まった。"), "utf-8")
        again = serve_build()
        assert again.plugins["casebook"] is first.plugins["casebook"]  # same plugin, caches kept
        assert "蔵元との取引が始まった" in project.page("cases/a-parts")
        fragments = [gzip.decompress(f.read_bytes()).decode("utf-8", "replace")
                     for f in (site / "pagefind" / "fragment").iterdir()]
        assert any(spell("蔵元")[1:-1].split()[0] in text for text in fragments)
        with open_index(project.root / ".casebook-index") as index:
            assert index.search("蔵元").ids == ["a-parts"]
    finally:
        first.plugins.on_shutdown()


def test_a_pagefind_failure_in_its_process_fails_the_build_and_leaves_no_copies(
        project: Project, monkeypatch, caplog) -> None:
    def missing():
        raise PagefindError("Pagefind's binary is missing: /nowhere/pagefind_extended")

    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="true"))
    project.case()
    # This build's own temporary folder: other builds on the machine make copies in the
    # shared one, and they are not this build's leftovers.
    scratch = project.root.parent / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # gettempdir() caches its answer
    made = scratch / "copies-made"
    make = leftovers.make

    def make_and_note(parent, prefix, owner=None):  # a file, seen from the forked process too
        folder = make(parent, prefix, owner)
        with made.open("a", encoding="utf-8") as note:
            note.write(f"{folder}\n")
        return folder

    monkeypatch.setattr(leftovers, "make", make_and_note)
    monkeypatch.setattr("search.pagefind.extended_binary", missing)  # in the forked process too
    with pytest.raises(Abort):
        project.build()
    assert "casebook: search index: Pagefind's binary is missing" in caplog.text
    # The copies were made in this build's folder, and are gone.
    noted = made.read_text("utf-8").split()
    assert any(Path(f).name.startswith(COPY_PREFIX) for f in noted), noted
    assert sorted(p.name for p in scratch.iterdir()) == ["copies-made"]


def test_sudachi_cuts_each_published_text_once_per_build(project: Project, monkeypatch) -> None:
    """The anonymisation check, the related-case keywords, the Whoosh index and Pagefind's other
    spellings all read one analysis (casebook/japanese.py), made before anything forks."""
    import casebook.japanese as japanese

    cut: dict[str, int] = {}
    real = japanese.tokenizer("C")

    class Counting:
        def tokenize(self, text, *args):
            cut[text] = cut.get(text, 0) + 1
            return real.tokenize(text, *args)

    japanese.analyse.cache_clear()
    monkeypatch.setattr(japanese, "tokenizer", lambda mode="C": Counting())
    for module in ("pipeline.workers", "pipeline.build"):  # all in this process, to count
        monkeypatch.setattr(f"{module}.can_fork", lambda: False)
    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="true"))
    project.case()
    project.case("b-shop", alias="B社", title="小売店の値付け", industry="I")
    project.build()
    japanese.analyse.cache_clear()
    assert cut, "nothing was analysed: the count proves nothing"
    assert any("人の管理や資金繰りへの対応は場当たり的だった" in text for text in cut)
    assert {text: n for text, n in cut.items() if n > 1} == {}


def test_a_build_says_what_it_has_done_stage_by_stage(project: Project, monkeypatch,
                                                       caplog) -> None:
    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="true"))
    project.case()
    project.case("b-shop", alias="B社", title="小売店の値付け", industry="I")
    monkeypatch.setattr("casebook_mkdocs.plugin.PROGRESS_FROM", 1)  # a long build's lines
    with caplog.at_level("INFO"):
        project.build()
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("casebook: ")]
    expected = [r"read and checked 2 cases and 1 guides \(\d+\.\d s\)",
                r"made \d+ pages and checked their links \(\d+\.\d s\)",
                r"wrote \d+ of \d+ pages",
                r"Pagefind indexed \d+ pages \([\d,]+ other spellings\) in \d+\.\d s",
                r"Whoosh indexed 2 cases in \d+\.\d s"]
    at = 0
    for pattern in expected:  # in this order
        found = next((i for i, line in enumerate(lines[at:], at) if re.search(pattern, line)),
                     None)
        assert found is not None, f"no line like {pattern!r} after line {at}: {lines}"
        at = found + 1
    assert len(lines) < 15, lines  # a few lines a person reads, not one per page


def test_case_and_guide_pages_show_when_they_last_changed_in_git(project: Project) -> None:
    project.case()
    project.write("content/method/mienai.md",
                  "---\nexplains: {wall: 見えない}\n---\n# 見えない壁\n\n本文。\n")
    env = {**os.environ, "GIT_AUTHOR_NAME": "編集部", "GIT_AUTHOR_EMAIL": "e@example.org",
           "GIT_COMMITTER_NAME": "編集部", "GIT_COMMITTER_EMAIL": "e@example.org"}

    def git(*args: str, when: str = "2024-04-01T09:00:00") -> None:
        subprocess.run(["git", "-C", str(project.root), *args], check=True, capture_output=True,
                       env={**env, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "first")
    project.write("content/method/mienai.md",
                  "---\nexplains: {wall: 見えない}\n---\n# 見えない壁\n\n直した本文。\n")
    git("commit", "-q", "-am", "edit", when="2025-12-24T18:00:00")
    project.build()
    assert "最終更新: 2024年4月1日" in text_of(project.page("cases/a-parts"))
    assert "最終更新: 2025年12月24日" in text_of(project.page("method/mienai"))
    assert "最終更新" not in text_of(project.page("matrix"))  # generated: no file, no date


def test_a_project_outside_git_shows_no_dates(project: Project) -> None:
    project.case()
    project.build()
    assert "最終更新" not in text_of(project.page("cases/a-parts"))
