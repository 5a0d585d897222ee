"""Two editions from one source: teaching notes are in no file of the learner build (pages,
Pagefind's fragments and index, the Whoosh index, JSON, sitemaps) and shown in the trainer
build (`mkdocs build -f mkdocs.trainer.yml`, a config that INHERITs mkdocs.yml).

A distinct text is planted in a teaching note of a case, a guide and a curriculum, and in a
curriculum session's `teaching_note:`. The same search is run over both builds: it must find
every planted text in the trainer build, so finding none in the learner build proves something.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.building import build_site
from tests.conftest import MKDOCS_YML, Project
from tests.sitecheck import file_bytes, find_bytes, whoosh_contents
from tests.test_build import text_of
from tests.test_privacy import Planted

SITE_URL = "https://example.org/casebook/"
NOTES = {
    "case": Planted("講師は冒頭で鵺笛の話をする", "zqxcasenote"),
    "guide": Planted("板書は鵺雲の図から始める", "zqxguidenote"),
    "curriculum": Planted("全体の進行は鵺灯の合図で", "zqxcurriculumnote"),
    "session": Planted("このセッションは鵺鈴で区切る", "zqxsessionnote"),
}
PUBLIC = Planted("誰でも読める鵺柿の本文", "zqxlearnertext")

LEARNER_YML = f"site_url: {SITE_URL}\n" + MKDOCS_YML.format(pagefind="true").replace(
    "search_pagefind: true", "search_pagefind: true\n      search_index_dir: learner-index")
TRAINER_YML = """\
INHERIT: mkdocs.yml
site_dir: site-trainer
plugins:
  - casebook:
      edition: trainer
      search_pagefind: true
      search_index_dir: trainer-index
"""


def _note(planted: Planted) -> str:
    return f"\n```teaching-note\n**指導メモ**: {planted.value}。\n```\n"


@dataclass(frozen=True)
class Edition:
    site: Path
    index: Path

    @property
    def outputs(self) -> tuple[Path, Path]:
        return self.site, self.index

    def page(self, url: str) -> str:
        return (self.site / url / "index.html").read_text("utf-8")


def _build(project: Project, config_file: str) -> None:
    build_site(project.root / config_file)


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Edition]:
    project = Project(tmp_path_factory.mktemp("editions") / "proj")
    project.write("mkdocs.yml", LEARNER_YML)
    project.write("mkdocs.trainer.yml", TRAINER_YML)
    case = project.case("a-parts")
    text = case.read_text("utf-8").replace(
        "目標年商を達成した。", f"目標年商を達成した。{PUBLIC.value}。\n{_note(NOTES['case'])}")
    case.write_text(text, "utf-8")
    project.write("content/method/index.md",
                  "# 伴走支援の考え方\n\n課題設定型の伴走支援を解説します。\n"
                  + _note(NOTES["guide"]))
    project.write("content/curricula/intro.md", f"""\
---
title: 入門
audience: 支援者
objectives: [違いを説明できる]
sessions:
  - title: 考え方
    minutes: 30
    guides: [method/index.md]
    teaching_note: {NOTES['session'].value}
  - title: 事例
    minutes: 60
    cases: [a-parts]
status: published
---
進め方の説明。
{_note(NOTES['curriculum'])}""")
    _build(project, "mkdocs.yml")
    _build(project, "mkdocs.trainer.yml")
    root = project.root
    return {"learner": Edition(root / "site", root / "learner-index"),
            "trainer": Edition(root / "site-trainer", root / "trainer-index")}


def _found(edition: Edition, needles: tuple[str, ...]) -> list[str]:
    found = [f"{path.name}: {needle!r}" for path, needle in find_bytes(edition.outputs, needles)]
    found += [f"whoosh {where}: {needle!r}" for where, text in whoosh_contents(edition.index)
              for needle in needles if needle in text]
    return found


def test_both_editions_were_built_with_both_search_indexes(
        editions: dict[str, Edition]) -> None:
    for name, edition in editions.items():
        assert (edition.site / "cases" / "a-parts" / "index.html").is_file(), name
        assert list((edition.site / "pagefind" / "fragment").glob("*.pf_fragment")), name
        assert any(edition.index.iterdir()), name
        assert (edition.site / "sitemap.xml").is_file(), name


def test_public_text_is_found_in_both_editions(editions: dict[str, Edition]) -> None:
    """The search below finds text: the public marker is in both (page, Pagefind, Whoosh)."""
    for name, edition in editions.items():
        found = _found(edition, PUBLIC.needles)
        assert any(".html" in f for f in found), name
        assert any(".pf_" in f for f in found), name
        assert any(f.startswith("whoosh") for f in found), name


@pytest.mark.parametrize("where", sorted(NOTES))
def test_teaching_note_is_in_no_file_of_the_learner_edition(editions: dict[str, Edition],
                                                            where: str) -> None:
    found = _found(editions["learner"], NOTES[where].needles)
    assert not found, f"the {where}'s teaching note reached the learner edition:\n" + \
        "\n".join(found)


@pytest.mark.parametrize(("where", "url"), [("case", "cases/a-parts"), ("guide", "method"),
                                            ("curriculum", "curricula/intro"),
                                            ("session", "curricula/intro")])
def test_teaching_note_is_shown_in_the_trainer_edition(editions: dict[str, Edition],
                                                       where: str, url: str) -> None:
    page = editions["trainer"].page(url)
    assert NOTES[where].value in text_of(page)
    assert 'class="cb-teaching-note"' in page and "指導メモ（研修講師用）" in text_of(page)
    # ... and searchable there, in the trainer's own Pagefind index
    found = [path.suffix for path, data in file_bytes(editions["trainer"].site / "pagefind")
             if NOTES[where].latin.encode() in data]
    assert ".pf_index" in found or ".pf_fragment" in found, found


def test_the_learner_edition_does_not_link_to_the_trainer_edition(
        editions: dict[str, Edition]) -> None:
    found = find_bytes([editions["learner"].site], ("site-trainer", "trainer-index", "研修講師用"))
    assert not found, found


def test_the_handout_has_no_teaching_note_in_either_edition(
        editions: dict[str, Edition]) -> None:
    for edition in editions.values():
        handout = text_of(edition.page("handouts/intro"))
        assert PUBLIC.japanese in handout
        assert not any(note.japanese in handout for note in NOTES.values())
