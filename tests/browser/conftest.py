"""Real-browser fixtures: the repository's site built once with Pagefind, served on 127.0.0.1,
driven through Playwright in Debian's chromium (never a downloaded browser)."""

from __future__ import annotations

import functools
import http.server
import os
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.building import build_site
from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# For a person to look at; outside the repository, which tests never write into.
SCREENSHOTS = Path(os.environ.get("CASEBOOK_SCREENSHOTS",
                                  Path(tempfile.gettempdir()) / "casebook-screenshots"))
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"

# One page of each kind the issue names for the accessibility check, by kind.
KEY_PAGES = {
    "home": "",
    "facet-overview": "walls/",
    "term": "industries/e-manufacturing/",
    "wall-guide": "method/walls/mienai/",
    "case": "cases/a-precision-parts/",
    "method-guide": "method/dialogue/",
    "matrix": "matrix/",
    # The form with a prep sheet made (the sheet is written by prep.js).
    "prep": "prep/?industry=i-wholesale-retail&theme=dx&text=%E7%A4%BE%E5%93%A1%E3%81%8C"
            "IT%E3%81%AB%E5%BC%B1%E3%81%84",
    "curriculum": "curricula/intro-half-day/",
    "handout": "handouts/intro-half-day/",
}


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own site (content/, cases/), built with the Pagefind index."""
    out = tmp_path_factory.mktemp("site")
    build_site(REPO / "mkdocs.yml", site_dir=out, search_pagefind=True,
               search_index_dir=str(out.parent / "whoosh-index"))  # not the repository's
    assert (out / "pagefind" / "pagefind.js").is_file(), "the build wrote no Pagefind bundle"
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """The built site served over HTTP on a free port of 127.0.0.1."""
    yield from serve(site_dir)


def serve(site_dir: Path) -> Iterator[str]:
    """Serve a folder over HTTP on a free port of 127.0.0.1 while the generator runs."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory):
    """Debian's chromium, headless, with a new empty profile and nothing calling home."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests drive Debian's chromium "
                    f"(install it with `make system-deps` or `apt-get install chromium`)",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass(frozen=True)
class Result:
    """One search result as shown: its title and where it links."""

    title: str
    url: str

    def is_case(self, alias: str) -> bool:
        return self.title.startswith(f"{alias}:")


@dataclass
class Visit:
    """A browser tab and every URL it requested."""

    page: object
    base: str
    requests: list[str] = field(default_factory=list)

    def go(self, path: str = "", *, until: str = "load") -> None:
        """Open a page of the site (`until="networkidle"`: and wait for every late request)."""
        self.page.goto(self.base + path, wait_until=until)

    def outside_requests(self) -> list[str]:
        """Requests to any host but the test server (data: and blob: URLs stay in the page)."""
        return [url for url in self.requests
                if urlsplit(url).scheme not in ("data", "blob", "about")
                and urlsplit(url).hostname != "127.0.0.1"]

    def search(self, query: str) -> list[Result]:
        """Type `query` into the header search and return every result, best first."""
        page = self.page
        if not page.is_visible(".cb-search"):
            page.click("[data-cb-search-open]")
        box = page.wait_for_selector("#cb-search-input")
        box.fill("")
        box.focus()
        page.keyboard.insert_text(query)
        self.wait_for_status(f"「{query.strip()}」")
        return self.results()

    def wait_for_status(self, text: str) -> str:
        """Wait until the search status line says `text` and is done searching; its text."""
        self.page.wait_for_function(
            """t => { const m = document.querySelector("[data-cb-search-status]");
                      return m && m.textContent.includes(t)
                        && !m.textContent.includes("検索しています"); }""", arg=text)
        return self.page.inner_text("[data-cb-search-status]")

    def results(self) -> list[Result]:
        """The results on show, after showing every one of them ("さらに表示")."""
        page = self.page
        while page.is_visible(".cb-search__more"):
            shown = page.locator(".cb-search__result").count()
            page.click(".cb-search__more")
            page.wait_for_function(
                "n => document.querySelectorAll('.cb-search__result').length > n", arg=shown)
        return [Result(link.inner_text().strip(), link.get_attribute("href") or "")
                for link in page.query_selector_all(".cb-search__result-link")]

    def screenshot(self, name: str, *, full_page: bool = True) -> Path:
        """Save a PNG to SCREENSHOTS ($CASEBOOK_SCREENSHOTS or <tmp>/casebook-screenshots/)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


def _visit(browser, site_url: str, viewport: dict) -> Iterator[Visit]:
    context = browser.new_context(viewport=viewport, locale="ja-JP",
                                  is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    page = context.new_page()
    visit = Visit(page, site_url)
    context.on("request", lambda request: visit.requests.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield visit
    finally:
        context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.fixture
def desktop(browser, site_url: str) -> Iterator[Visit]:
    """A 1280 px wide tab."""
    yield from _visit(browser, site_url, DESKTOP)


@pytest.fixture
def phone(browser, site_url: str) -> Iterator[Visit]:
    """A 390 px wide phone tab (touch, mobile viewport)."""
    yield from _visit(browser, site_url, PHONE)
