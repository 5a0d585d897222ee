"""The build's background processes: forked early, fed their data, failing plainly.

A child forked late keeps most of the build's heap as its own (bench/README.md: ~950 MB each
at 10,000 cases), so the Whoosh and Pagefind processes are forked before anything is read and
fed what they need through a pipe. What must hold: a fed child sees only what it is fed, an
error on either side of the pipe fails the build with a message saying what went wrong, and
no process outlives a build that failed.
"""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest
from mkdocs.exceptions import Abort

from pipeline.workers import Background, WorkerError
from tests.building import build_site
from tests.conftest import MKDOCS_YML, Project

MADE_AFTER_THE_FORK: list[str] = []


def _report(items, label: str):
    received = list(items)
    yield "seen", (label, received, list(MADE_AFTER_THE_FORK), os.getpid())


def _never_done(items):
    for _ in items:
        os._exit(3)  # dies on the first item, as a child killed by the kernel would
    yield "never", None


def test_a_fed_child_sees_what_it_is_fed_and_nothing_made_after_it_started() -> None:
    work = Background(_report, "label", fed=True)
    MADE_AFTER_THE_FORK.append("the library")  # the build goes on after the fork
    try:
        work.feed(iter(["doc 1", "doc 2", "doc 3"]))
        label, received, seen, pid = work.wait("seen")
    finally:
        MADE_AFTER_THE_FORK.clear()
    assert (label, received) == ("label", ["doc 1", "doc 2", "doc 3"])
    assert seen == []  # forked before: the parent's later objects are not in its heap
    assert pid != os.getpid()


def test_a_fed_child_takes_items_as_they_are_made_one_at_a_time() -> None:
    made: list[int] = []

    def lazily():
        for number in range(200):
            made.append(number)
            yield "x" * 100_000  # 100 kB each: more than a pipe holds

    work = Background(_report, "big", fed=True)
    work.feed(lazily())
    _, received, _, _ = work.wait("seen")
    assert len(received) == 200 and made == list(range(200))


def test_an_error_making_the_data_fails_the_child_with_that_error() -> None:
    def broken():
        yield "first"
        raise KeyError("a-parts")

    work = Background(_report, "label", fed=True)
    work.feed(broken())
    with pytest.raises(WorkerError, match=r"making this process's data failed: "
                                          r"KeyError: 'a-parts'"):
        work.wait("seen")


def test_a_child_that_dies_while_fed_is_reported_and_the_feed_stops() -> None:
    sent: list[int] = []

    def endless():
        for number in range(10_000):
            sent.append(number)
            yield "x" * 100_000

    work = Background(_never_done, fed=True)
    work.feed(endless())
    with pytest.raises(WorkerError, match=r"the process ended without a result \(exit code 3\)"):
        work.wait("never")
    assert len(sent) < 100  # the feed stopped when the child died, it did not run on


def test_a_child_never_fed_is_ended_by_cancel() -> None:
    work = Background(_report, "label", fed=True)
    children = multiprocessing.active_children()
    assert children
    work.cancel()
    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not multiprocessing.active_children()
    with pytest.raises(WorkerError, match="cancelled"):
        work.wait("seen")


# --- in a build -------------------------------------------------------------------------------


def test_a_site_build_forks_its_children_before_it_reads_a_file(project: Project,
                                                                 monkeypatch) -> None:
    import pipeline.build

    real_load = pipeline.build.load
    running: list[list[str]] = []

    def load(*args, **kwargs):
        running.append(sorted(p.name for p in multiprocessing.active_children()))
        return real_load(*args, **kwargs)

    monkeypatch.setattr(pipeline.build, "load", load)
    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="true"))
    project.case()
    project.build()
    assert running == [["casebook-_write_index", "casebook-pagefind"]]
    assert "A社" in project.page("cases/a-parts")
    assert (project.root / "site" / "pagefind" / "pagefind-entry.json").is_file()
    assert (project.root / ".casebook-index" / "casebook-index.json").is_file()


def test_a_build_lets_go_of_what_it_has_handed_to_its_children(project: Project) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="true"))
    project.case()
    project.case("b-shop", alias="B社", title="小売店の値付け", industry="I")
    # MkDocs reuses a plugin instance for every config loaded in a process: a `serve` before
    # (its read cache keeps everything for the next rebuild) must not carry over into `build`.
    build_site(project.root / "mkdocs.yml", site_dir=project.root / "served", command="serve")
    config = load_config(config_file=str(project.root / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    build = config.plugins["casebook"].build
    cases = [r for r in build.loaded.results if r.case is not None]
    assert build.command == "build" and build.caches is None
    assert cases and all(r.search.index_document is None for r in cases)
    assert all(r.search.nouns == frozenset() for r in cases)
    assert build.noun_pairs()  # the union Pagefind was given is kept
    assert all(str(page.search_html) == "" for page in build.pages if page.searchable)
    # … and what was handed over arrived: both searches find the second case.
    from search.index import open_index

    with open_index(project.root / ".casebook-index") as index:
        assert index.search("値付け").ids == ["b-shop"]


def test_a_build_that_fails_its_check_leaves_no_child_running(project: Project,
                                                               caplog) -> None:
    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="true"))
    project.case(walls="見えな")
    with pytest.raises(Abort):
        project.build()
    assert "unknown wall '見えな'" in caplog.text
    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not multiprocessing.active_children()


# --- page HTML held compressed until written (casebook/packed.py) ------------------------------


def test_packed_markup_gives_back_the_same_html_wherever_html_is_used() -> None:
    from casebook.html import Markup, html
    from casebook.packed import PackedMarkup, packed_pages, packing
    from casebook.pages import PageWriter

    article = Markup('<p>資金繰り &amp; <a href="../b/">B社</a></p>\n') * 50
    packed = PackedMarkup(article)
    assert str(packed) == article and Markup(packed) == article
    assert html("<div>{}</div>", packed) == f"<div>{article}</div>"  # markup, not escaped
    assert len(packed._data) < len(article.encode("utf-8")) / 4
    writer = PageWriter("cases/a.md", True)
    writer.add(article)
    assert isinstance(writer.page("A").html, Markup)  # only a site build packs
    with packed_pages():
        assert packing()
        page = writer.page("A")
    assert not packing()
    assert isinstance(page.html, PackedMarkup)
    assert page.hand_over() == article and str(page.html) == ""
    assert str(page.search_html) == article


def test_other_plugins_see_each_page_html_when_it_is_written(project: Project) -> None:
    """MkDocs gets a page's HTML only when it writes it: a plugin reading it then (Material's
    search indexes page.content in on_page_context) still finds every page's text."""
    import json

    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="false").replace(
        "plugins:\n", "plugins:\n  - search\n"))
    project.case()
    project.build()
    index = json.loads((project.root / "site" / "search" / "search_index.json")
                       .read_text("utf-8"))
    texts = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith(
        "cases/a-parts/"))
    assert "目標年商を達成した" in texts
    assert "目標年商を達成した" in project.page("cases/a-parts")
