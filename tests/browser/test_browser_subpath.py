"""The site published under a sub-path of an ordinary static host, with `site_url` set.

Served the way GitHub Pages, Netlify or a plain web server with `ErrorDocument 404` serve a
folder: files under /handbook/, and 404.html (with status 404) for any address that has no
file. The 404 page must look like the site and its search must work from any depth; the
sitemap must list every page at its full address.
"""

from __future__ import annotations

import functools
import http.server
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import DESKTOP, Visit, _visit
from tests.conftest import MKDOCS_YML, Project

pytestmark = pytest.mark.browser

SITE_URL = "https://example.org/handbook/"
PREFIX = "/handbook/"


class _StaticHost(http.server.SimpleHTTPRequestHandler):
    """Files of the site under PREFIX; 404.html, status 404, for anything else."""

    site: Path

    def log_message(self, format: str, *args: object) -> None:
        pass

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith(PREFIX):
            return str(self.site / "no-such-file")
        return super().translate_path("/" + path[len(PREFIX):])

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = self.site / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Iterator[tuple[Path, str]]:
    """(site folder, its address on the test host)."""
    project = Project(tmp_path_factory.mktemp("subpath") / "proj")
    project.write("mkdocs.yml", f"site_url: {SITE_URL}\n" + MKDOCS_YML.format(pagefind="true"))
    project.case()
    project.case("b-shop", alias="B社", title="小売店の値付けと資金繰り", industry="I")
    site = project.build()
    handler = type("Host", (_StaticHost,), {"site": site})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield site, f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def visit(browser, published) -> Iterator[Visit]:
    yield from _visit(browser, published[1], DESKTOP)


def test_sitemap_lists_every_page_at_its_full_address(published) -> None:
    site = published[0]
    # Every page but the forwarding addresses (a term's old address sends on to its guide).
    pages = {"/".join(p.relative_to(site).parts[:-1]) for p in site.rglob("index.html")
             if not p.relative_to(site).parts[0].startswith(("pagefind", "assets", "search"))
             and 'http-equiv="refresh"' not in p.read_text("utf-8")}
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = [loc.text for loc in ET.parse(site / "sitemap.xml").getroot().iterfind(
        "s:url/s:loc", namespace)]
    assert all(url.startswith(SITE_URL) for url in listed), listed[:5]
    listed_pages = {url[len(SITE_URL):].rstrip("/") for url in listed}
    assert pages <= listed_pages, sorted(pages - listed_pages)[:10]
    assert "cases/a-parts" in listed_pages and "cases/b-shop" in listed_pages
    assert listed_pages <= pages | {""}, sorted(listed_pages - pages)[:10]


def test_a_missing_address_gets_the_sites_404_page_with_its_look_and_search(
        visit: Visit) -> None:
    failed: list[str] = []
    visit.page.on("response", lambda r: failed.append(r.url)
                  if r.status >= 400 and "no/such" not in r.url else None)
    visit.go("cases/no/such/page/")
    page = visit.page
    assert "404" in page.inner_text("article")
    # Material's stylesheet applied: the header is laid out, not a bare list of links.
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed")
    results = visit.search("資金繰り")
    assert any(r.is_case("B社") for r in results), [r.title for r in results]
    assert all(r.url.startswith(PREFIX) for r in results), [r.url for r in results]
    page.click(".cb-search__result-link >> nth=0")
    page.wait_for_load_state()
    assert "404" not in page.title()
    assert failed == [], failed
    assert visit.outside_requests() == []


def test_a_drill_loads_its_questions_and_links_under_the_sub_path(visit: Visit) -> None:
    failed: list[str] = []
    visit.page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    visit.go("practice/wall/")
    page = visit.page
    page.wait_for_selector("[data-cb-question]:not([hidden])")
    page.get_by_label("見えない", exact=True).check()
    page.get_by_role("button", name="答え合わせ").click()
    assert page.inner_text("[data-cb-feedback]").startswith("正解")
    links = page.eval_on_selector_all("[data-cb-feedback] a", "els => els.map(a => a.href)")
    assert len(links) == 2 and all(urlsplit(url).path.startswith(PREFIX) for url in links)
    case = urlsplit(links[-1]).path
    assert case in (f"{PREFIX}cases/a-parts/", f"{PREFIX}cases/b-shop/")
    page.locator("[data-cb-feedback] a").last.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == case
    visit.go("practice/progress/")
    assert page.locator("[data-cb-drill=wall] .cb-progress__count").inner_text() == \
        "1 回中 1 回正解（100%）"
    assert failed == [], failed
