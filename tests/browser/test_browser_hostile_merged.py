"""Markup an author wrote into every value the merged site's newer pages show — a drill's
question and feedback, a curriculum, its handout — runs nothing in chromium and reads as text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.conftest import DESKTOP, Visit, _visit, serve
from tests.conftest import MKDOCS_YML, Project

pytestmark = pytest.mark.browser

ALIAS = "Z社<img src=x onerror=window.cbHacked=1>"
TITLE = "題</script><script>window.cbHacked=2</script>"
MARKED = "<b onmouseover=window.cbHacked=3>場当たり的</b>"
CURRICULUM = """\
---
title: '入門<img src=x onerror=window.cbHacked=4>'
audience: '"><svg onload=window.cbHacked=5>'
objectives:
  - '</li><script>window.cbHacked=6</script>'
sessions:
  - title: '<iframe src=javascript:window.parent.cbHacked=7>'
    minutes: 30
    description: '<a href=javascript:window.cbHacked=8>説明</a>'
    cases: [a-parts]
status: published
---
本文
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Iterator[str]:
    project = Project(tmp_path_factory.mktemp("hostile-merged") / "proj")
    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="false"))
    path = project.case(alias=f"'{ALIAS}'", title=f"'{TITLE}'")
    text = path.read_text("utf-8").replace(f"# '{TITLE}'", f"# {TITLE.replace('<', '&lt;')}")
    text = text.replace("[場当たり的]{wall=見えない}", f"[{MARKED}]{{wall=見えない}}")
    text += "\n## 考えてみよう\n\n1. <script>window.cbHacked=9</script>どう聞きますか。\n"
    path.write_text(text, "utf-8")
    project.write("content/curricula/intro.md", CURRICULUM)
    site = project.build()
    yield from serve(site)


@pytest.fixture
def visit(browser, hostile_site: str) -> Iterator[Visit]:
    yield from _visit(browser, hostile_site, DESKTOP)


def nothing_ran(visit: Visit) -> None:
    page = visit.page
    page.wait_for_timeout(200)  # an onerror or onload would have fired by now
    assert page.evaluate("() => window.cbHacked") is None
    assert page.evaluate("() => document.querySelectorAll('article img, article svg[onload], "
                         "article iframe, article b[onmouseover]').length") == 0


def test_a_drill_shows_the_author_s_markup_as_text(visit: Visit) -> None:
    visit.go("practice/wall/")
    page = visit.page
    page.wait_for_selector("[data-cb-question]:not([hidden])")
    assert MARKED in page.inner_text("[data-cb-text]")
    assert page.inner_text("[data-cb-case]").startswith(ALIAS)
    page.get_by_label("見えない", exact=True).check()
    page.get_by_role("button", name="答え合わせ").click()
    assert ALIAS in page.inner_text("[data-cb-feedback]")
    nothing_ran(visit)


@pytest.mark.parametrize("url", ["curricula/", "curricula/intro/", "handouts/intro/",
                                 "cases/a-parts/", "cases/"])
def test_curriculum_handout_and_case_pages_show_the_author_s_markup_as_text(
        visit: Visit, url: str) -> None:
    visit.go(url)
    text = visit.page.inner_text("article")
    nothing_ran(visit)
    if url.startswith(("curricula/intro", "handouts")):
        assert "入門<img src=x onerror=window.cbHacked=4>" in text
        assert "<iframe src=javascript:window.parent.cbHacked=7>" in text
        assert "<script>window.cbHacked=9</script>どう聞きますか。" in text
    if url != "curricula/":
        assert ALIAS in text
