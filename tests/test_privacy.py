"""Nothing private leaves the project: internal fields and drafts are in no file of a build.

One build with both search indexes on (Pagefind in the site, Whoosh next to it) is read byte
by byte, gzip unpacked (sitemap.xml.gz, Pagefind's fragments, word index and filters). Every
planted text is unique: a rare kanji (鵺) pair and a made-up Latin word. Pagefind indexes the
Japanese re-spelt as bigram words (search/pagefind.py), so that spelling is looked for too.
Whoosh keeps stored fields compressed, so its terms and stored fields are also read through
Whoosh. A public marker planted the same way must be found in every store, so a search that
finds nothing proves something.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from search.pagefind import bigram_words
from tests.conftest import MKDOCS_YML, Project
from tests.sitecheck import file_bytes, find_bytes, whoosh_contents
from tests.test_build import text_of

WHOOSH_DIR = "whoosh-index"
SITE_URL = "https://example.org/casebook/"
RARE = "鵺"  # in no page of the site but the planted texts


@dataclass(frozen=True)
class Planted:
    """A unique text: a run of kanji and kana and a Latin word, written as one value."""

    japanese: str
    latin: str

    @property
    def value(self) -> str:
        return f"{self.japanese} {self.latin}"

    @property
    def pagefind_spelling(self) -> str:
        """How Pagefind's copy of a page spells the Japanese (search/pagefind.py)."""
        return " ".join(bigram_words(self.japanese))

    @property
    def rare_word(self) -> str:
        """The bigram word of 鵺 and its successor: a word of Pagefind's index by itself."""
        return bigram_words(self.japanese)[self.japanese.index(RARE)]

    @property
    def rare_pair(self) -> str:
        """鵺 and its successor: a term of Whoosh's character-bigram field."""
        at = self.japanese.index(RARE)
        return self.japanese[at:at + 2]

    @property
    def needles(self) -> tuple[str, ...]:
        return (self.japanese, self.latin, self.rare_pair, self.pagefind_spelling, self.rare_word)


INTERNAL = {
    "internal_notes": Planted("社長の持病は鵺胆症で通院中", "zqxnoteleak"),
    "contact": Planted("窓口は鵺沼経理課の内線", "zqxcontactleak"),
    "client_name": Planted("鵺鍛冶屋", "zqxclientleak"),
}
PUBLIC = Planted("公開確認用の鵺苺", "zqxpublicmark")
DRAFT_ID = "zqxdraftid"
DRAFT_TITLE = Planted("鵺下書き事例", "zqxdrafttitle")
DRAFT_BODY = Planted("本文に鵺繭の話", "zqxdraftbody")


@dataclass(frozen=True)
class Build:
    project: Project
    site: Path
    index: Path  # the Whoosh index, next to the site

    @property
    def outputs(self) -> tuple[Path, Path]:
        return self.site, self.index


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    project = Project(tmp_path_factory.mktemp("privacy") / "proj")
    # site_url, or MkDocs writes an empty sitemap and looking in it would prove nothing.
    project.write("mkdocs.yml", f"site_url: {SITE_URL}\n" + MKDOCS_YML.format(
        pagefind="true").replace(
        "search_pagefind: true", f"search_pagefind: true\n      search_index_dir: {WHOOSH_DIR}"))
    published = project.case("a-parts")
    internal = "".join(f"\n{name}: {planted.value}" for name, planted in INTERNAL.items())
    _replace(published, "status: published", "status: published" + internal)
    _replace(published, "目標年商を達成した。", f"目標年商を達成した。{PUBLIC.value}。")
    project.case("b-shop", alias="B社", industry="小売業")
    # The draft shares its walls with both published cases (so it would be their closest
    # related case and raise the walls' counts) and alone has 漁業 and 沖縄県.
    draft = project.case(DRAFT_ID, alias="Z社", industry="漁業", status="draft",
                         title=DRAFT_TITLE.value)
    _replace(draft, "prefecture: 埼玉県", "prefecture: 沖縄県")
    _replace(draft, "目標年商を達成した。", f"目標年商を達成した。{DRAFT_BODY.value}。")
    site = project.build()
    return Build(project, site, project.root / WHOOSH_DIR)


def leaks(build: Build, needles: tuple[str, ...]) -> list[str]:
    """Where any needle is: any file of the site or the Whoosh index, any term or stored field."""
    found = [f"{path.relative_to(build.project.root)}: {needle!r}"
             for path, needle in find_bytes(build.outputs, needles)]
    found += [f"{WHOOSH_DIR}, {where}: {needle!r}"
              for where, text in whoosh_contents(build.index)
              for needle in needles if needle in text]
    return found


def test_planted_text_is_in_the_sources(build: Build) -> None:
    published = (build.project.root / "cases" / "a-parts.md").read_text("utf-8")
    for name, planted in INTERNAL.items():
        assert f"{name}: {planted.value}\n" in published
    assert PUBLIC.value in published
    draft = (build.project.root / "cases" / f"{DRAFT_ID}.md").read_text("utf-8")
    assert f"title: {DRAFT_TITLE.value}\n" in draft and DRAFT_BODY.value in draft
    assert "status: draft" in draft


def test_both_search_indexes_were_written(build: Build) -> None:
    assert build.index.is_dir(), (
        f"no Whoosh index in {build.index}: the plugin's search_index_dir is not written")
    assert any(p.is_file() for p in build.index.iterdir()), f"{build.index} is empty"
    assert not (build.site / WHOOSH_DIR).exists()  # next to the site, never in it
    assert list((build.site / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert list((build.site / "pagefind" / "index").glob("*.pf_index"))


def test_sitemaps_list_the_published_cases(build: Build) -> None:
    sitemaps = {path.name: data for path, data in file_bytes(build.site)
                if path.name.startswith("sitemap.xml")}
    assert sorted(sitemaps) == ["sitemap.xml", "sitemap.xml.gz"]
    for name, data in sitemaps.items():
        assert f"<loc>{SITE_URL}cases/a-parts/</loc>".encode() in data, name


def test_public_marker_is_found_in_every_store(build: Build) -> None:
    """The search below can find text: in the page, Pagefind's fragments and index, Whoosh."""
    found: dict[str, set[str]] = {}
    for directory in build.outputs:
        for path, data in file_bytes(directory):
            for needle in PUBLIC.needles:
                if needle.encode() in data:
                    found.setdefault(needle, set()).add(path.suffix or path.name)
    assert ".html" in found.get(PUBLIC.japanese, set())
    assert ".pf_fragment" in found.get(PUBLIC.pagefind_spelling, set())
    assert ".pf_index" in found.get(PUBLIC.latin, set())
    assert ".pf_index" in found.get(PUBLIC.rare_word, set())
    whoosh = {needle: {where.split(" of ")[0] for where, text in whoosh_contents(build.index)
                       if needle in text}
              for needle in PUBLIC.needles}
    assert "stored fields" in whoosh[PUBLIC.japanese]
    assert "term" in whoosh[PUBLIC.latin]
    assert "stored fields" in whoosh[PUBLIC.rare_pair]  # what the character-pair fallback reads


@pytest.mark.parametrize("field", sorted(INTERNAL))
def test_internal_field_is_in_no_file_of_the_build(build: Build, field: str) -> None:
    assert build.index.is_dir(), f"no Whoosh index in {build.index}"
    found = leaks(build, INTERNAL[field].needles)
    assert not found, f"{field} leaked:\n" + "\n".join(found)


def test_draft_text_and_id_are_in_no_file_of_the_build(build: Build) -> None:
    assert build.index.is_dir(), f"no Whoosh index in {build.index}"
    found = leaks(build, (DRAFT_ID, *DRAFT_TITLE.needles, *DRAFT_BODY.needles))
    assert not found, "the draft leaked:\n" + "\n".join(found)


def test_draft_has_no_page_and_is_not_in_cases_json(build: Build) -> None:
    assert not (build.site / "cases" / DRAFT_ID).exists()
    records = json.loads((build.site / "assets/casebook/cases.json").read_text("utf-8"))
    assert sorted(r["id"] for r in records) == ["a-parts", "b-shop"]


def _count_in_overview(html: str, slug: str) -> int:
    row = re.search(rf'<tr>(?:(?!</tr>).)*?href="{slug}/"(?:(?!</tr>).)*</tr>', html, re.S)
    assert row, f"no row linking {slug}/"
    return int(re.findall(r"<td[^>]*>\s*(\d+)\s*</td>", row.group())[-1])


def test_draft_counts_in_no_facet(build: Build) -> None:
    page = build.project.page
    assert _count_in_overview(page("walls"), "mienai") == 2
    # a term whose only case is a draft has no case: not listed, no page of its own
    assert 'href="b-fisheries/"' not in page("industries")
    assert 'href="okinawa/"' not in page("prefectures")
    assert not (build.site / "industries" / "b-fisheries").exists()
    assert "事例（2件）" in text_of(page("walls/mienai"))
    assert "b-fisheries" not in page("matrix")


def test_draft_is_not_a_related_case(build: Build) -> None:
    related = re.search(r'<ul class="cb-related">.*?</ul>', build.project.page("cases/a-parts"),
                        re.S)
    assert related, "cases/a-parts has no related cases"
    assert "b-shop" in related.group()
    assert DRAFT_ID not in related.group()


def test_whoosh_index_holds_published_cases_only(build: Build) -> None:
    from search.index import open_index

    with open_index(build.index) as index:
        assert sorted(index.ids()) == ["a-parts", "b-shop"]


def test_real_names_may_be_kept_in_internal_fields(project: Project) -> None:
    path = project.case()
    _replace(path, "status: published", "status: published\nclient_name: 鵺野鍛冶工業株式会社"
             "\ncontact: 鵺野様 090-1234-5678")
    site = project.build()
    assert not find_bytes([site], ["鵺野"])
