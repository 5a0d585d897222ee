"""A build whose Pagefind or Whoosh process is killed while it is fed: the build fails, says
which output failed, and publishes nothing — the previous site and index stay as they were."""

from __future__ import annotations

import pytest

from tests.conftest import MKDOCS_YML, Project
from tests.test_faults import _mkdocs_build, _tree, built_with_hook

HOOK = """\
import os
import signal

import pipeline.build as build

# Loaded with mkdocs.yml, before the build forks its children: each child, once it has taken
# its first item, is killed as the kernel's OOM killer would.
_index_entries, _add = build.index_entries, build.SiteIndexer.add


def _die():
    os.kill(os.getpid(), signal.SIGKILL)


def index_entries(entries, *args, **kwargs):
    def first_then_die():
        for number, entry in enumerate(entries):
            if number == 1:
                _die()
            yield entry
    return _index_entries(first_then_die(), *args, **kwargs)


def add(self, *args, **kwargs):
    _die()


if os.environ.get("CB_KILL") == "index":
    build.index_entries = index_entries
if os.environ.get("CB_KILL") == "pagefind":
    build.SiteIndexer.add = add
"""


@pytest.fixture
def built(project: Project) -> Project:
    return built_with_hook(project, HOOK)


@pytest.mark.parametrize("child,said", [
    ("pagefind", "search index: the process ended without a result (killed by SIGKILL"),
    ("index", "building the search index failed: the process ended without a result "
              "(killed by SIGKILL, as the system does when memory runs out)")])
def test_a_child_killed_mid_build_publishes_nothing(built: Project, child: str, said: str):
    site = built.root / "site"
    before = _tree(site)
    index = _tree(built.root / ".casebook-index")
    assert index, "the first build wrote a Whoosh index"
    path = built.root / "cases" / "a-parts.md"
    path.write_text(path.read_text("utf-8").replace("目標年商を達成した。", "新しい一文。"),
                    "utf-8")
    done = _mkdocs_build(built, CB_KILL=child)
    assert done.returncode != 0, f"{child} killed, yet the build succeeded"
    assert said in done.stderr, done.stderr
    assert _tree(site) == before
    assert _tree(built.root / ".casebook-index") == index
    assert not list(built.root.glob(".site.new-*"))


@pytest.mark.parametrize("pagefind", [True, False], ids=["forked", "in this process"])
def test_a_private_term_only_in_pagefind_s_copy_stops_the_build(
        project: Project, monkeypatch: pytest.MonkeyPatch, caplog, pagefind: bool) -> None:
    """Pagefind indexes a copy of each page, not the page written; the output gate reads
    the copy too (the bundle is respelt and compressed: no scan of it finds a term)."""
    import pipeline.build

    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="true"))
    project.write("content/private-terms.txt", "秘密商事\n")
    project.case()
    real = pipeline.build.page_copy

    def leaky(title, article, terms=""):
        # On the case page's copy only (a bug that joined a value the page does not show).
        return real(title, article, terms + "\n秘密商事" if "属人的経営" in title else terms)

    monkeypatch.setattr(pipeline.build, "page_copy", leaky)
    if not pagefind:
        monkeypatch.setattr(pipeline.build, "can_fork", lambda: False)
    project.build_fails()
    assert ("cases/a-parts/index.html (Pagefind's copy): published file: private term "
            "'秘密商事' in what was written") in caplog.text, caplog.text
    assert not (project.root / "site").exists()
