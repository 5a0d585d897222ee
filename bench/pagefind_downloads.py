"""What the site's search box downloads and how long a first query takes, on built sites.

    .venv/bin/python bench/pagefind_downloads.py /tmp/a/casebook-10000/site /tmp/b/…/site

For each built site (as `bench/build.py --keep` leaves them), served over HTTP with this
checkout's search.js: the KB fetched opening the Pagefind bundle and for one query after it is
open (median over the queries of `pagefind_spelling.py`, each in a fresh browser), and the
time each of those queries takes in the page once the bundle is open (median / max). Compares
bundles cut into parts of different sizes (`search_pagefind_part_pages`): every part read
costs a query one index chunk.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))  # first: bench/search.py is not the search package

import serving  # noqa: E402
from build import table  # noqa: E402
from pagefind_spelling import OPEN, QUERIES_FOR_BYTES, RANK, downloads  # noqa: E402

SEARCH_JS = REPO / "plugins" / "overrides" / "assets" / "casebook" / "search.js"


def main() -> None:
    sites = [Path(arg) for arg in sys.argv[1:]]
    if not sites:
        sys.exit(__doc__)
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    rows = []
    with tempfile.TemporaryDirectory(prefix="casebook-downloads-") as work, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for number, site in enumerate(sites):
            served = Path(work) / str(number)
            shutil.copytree(site, served, copy_function=os.link)
            script = served / SEARCH_JS.relative_to(SEARCH_JS.parents[2])
            script.unlink()
            shutil.copy(SEARCH_JS, script)
            parts_file = served / "pagefind" / "casebook-parts.json"
            parts = len(json.loads(parts_file.read_text()).get("parts", [])) \
                if parts_file.is_file() else 1
            with serving.served(served) as url:
                opening, query = downloads(browser, url, "pagefind/", True)
                context = browser.new_context()
                page = context.new_page()
                page.goto(url)
                page.evaluate(OPEN, ["pagefind/", True])
                times = []
                for text in QUERIES_FOR_BYTES:
                    started = time.perf_counter()
                    page.evaluate(RANK, [text])
                    times.append((time.perf_counter() - started) * 1000)
                context.close()
            rows.append([str(site), str(parts), f"{opening:,.0f}", f"{query:,.0f}",
                         f"{statistics.median(times):.0f} / {max(times):.0f}"])
        browser.close()
    print(table(["site", "parts", "opening KB", "one query KB", "query ms (median / max)"],
                rows))


if __name__ == "__main__":
    main()
