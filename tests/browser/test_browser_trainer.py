"""The repository's trainer edition in chromium: its teaching notes are shown in a clearly
styled block, and its pages pass the same axe checks as the learner site (light, dark, phone)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.browser.conftest import DESKTOP, PHONE, _visit, serve
from tests.browser.test_browser_accessibility import report, violations
from tests.conftest import REPO

pytestmark = pytest.mark.browser

PAGES = {"case": "cases/a-precision-parts/", "exercise": "cases/ex-food-wholesale-dx/",
         "curriculum": "curricula/intro-half-day/", "guide": "method/"}


@pytest.fixture(scope="module")
def trainer_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("trainer") / "site-trainer"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", "mkdocs.trainer.yml", "--site-dir",
         str(site)], cwd=REPO, capture_output=True, text=True, timeout=900,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1",
             "CASEBOOK_TRAINER_INDEX_DIR": str(site.parent / "whoosh-index")})
    assert result.returncode == 0, result.stderr[-3000:]
    yield from serve(site)


@pytest.fixture
def desktop(browser, trainer_url: str):
    yield from _visit(browser, trainer_url, DESKTOP)


@pytest.fixture
def phone(browser, trainer_url: str):
    yield from _visit(browser, trainer_url, PHONE)


@pytest.mark.parametrize("kind", ["case", "exercise", "curriculum"])
def test_teaching_note_is_a_visible_styled_block(desktop, kind: str) -> None:
    desktop.go(PAGES[kind])
    note = desktop.page.locator(".cb-teaching-note").first
    assert note.is_visible()
    assert "指導メモ（研修講師用）" in note.inner_text()
    style = note.evaluate("e => [getComputedStyle(e).borderTopStyle, "
                          "getComputedStyle(e).backgroundColor]")
    assert style[0] == "solid" and style[1] not in ("rgba(0, 0, 0, 0)", "transparent")


@pytest.mark.parametrize("kind", list(PAGES))
def test_trainer_page_has_no_serious_violation(desktop, kind: str) -> None:
    desktop.go(PAGES[kind])
    found = violations(desktop)
    assert not found, report(found)


@pytest.mark.parametrize("kind", list(PAGES))
def test_trainer_page_has_no_serious_violation_in_the_dark_scheme(desktop, kind: str) -> None:
    desktop.go(PAGES[kind])
    desktop.page.add_style_tag(content="*, *::before, *::after { transition: none !important }")
    desktop.page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    found = violations(desktop)
    assert not found, report(found)


@pytest.mark.parametrize("kind", list(PAGES))
def test_trainer_page_has_no_serious_violation_on_a_phone(phone, kind: str) -> None:
    phone.go(PAGES[kind])
    found = violations(phone)
    assert not found, report(found)


def test_trainer_site_is_named_as_such(desktop) -> None:
    desktop.go("")
    assert "研修講師版" in desktop.page.title()
