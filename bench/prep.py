"""Ranking time of `casebook prep` and of the /prep/ page, and the bytes the page downloads.

    .venv/bin/python bench/prep.py                    # 1,000 and 10,000 cases
    .venv/bin/python bench/prep.py --sizes 200        # a quick look

The ranking reads only `PrepIndex` (the published cases' folded texts and facet slugs), so a
large corpus is made by repeating the repository's published cases under new ids rather than
by writing and checking thousands of files: the texts, and so the work per case, are real.
The repository's site is built once (12 cases, no Pagefind); for each size its prep-data.js is
replaced and the page is timed in Debian's chromium on 127.0.0.1: from opening the address to
the sheet on screen, and `casebook prep`'s ranking alone (window.casebookPrep.rank) per judged
profile. The CLI column is casebook/prep.py's rank() in this process (the command adds reading
and checking the project, which `bench/build.py` measures).
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import http.server
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from casebook.prep import PrepIndex, make_profile, prep_index, rank  # noqa: E402
from pipeline.build import Build  # noqa: E402
from pipeline.options import from_mkdocs_yml  # noqa: E402

PROFILES = REPO / "tests" / "data" / "prep-profiles.yml"


def judged() -> list[dict]:
    import yaml

    return yaml.safe_load(PROFILES.read_text("utf-8"))["profiles"]


def grown(index: PrepIndex, size: int) -> PrepIndex:
    cases = [dataclasses.replace(case, id=f"{case.id}-{n}", url=f"{case.url}#{n}")
             for n in range(size // len(index.cases) + 1) for case in index.cases][:size]
    return dataclasses.replace(index, cases=cases)


def params(profile: dict) -> str:
    pairs = [(key, str(profile[key])) for key in ("industry", "employees", "prefecture")
             if profile.get(key)]
    pairs += [("theme", t) for t in profile.get("themes", [])]
    return urlencode([*pairs, ("text", profile.get("text", ""))])


def python_ms(index: PrepIndex, profiles: list[dict]) -> list[float]:
    samples = []
    for profile in profiles:
        made = make_profile(index.vocabulary, industry=profile.get("industry"),
                            employees=profile.get("employees"),
                            prefecture=profile.get("prefecture"),
                            themes=profile.get("themes", []), text=profile.get("text", ""))
        start = time.perf_counter()
        rank(index, made)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def built_site(work: Path) -> Path:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site = work / "site"
    config = load_config(config_file=str(REPO / "mkdocs.yml"), site_dir=str(site))
    config.plugins["casebook"].config.search_index_dir = str(work / "index")
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return site


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def browser_ms(site: Path, profiles: list[dict]) -> tuple[list[float], list[float], int]:
    """Per profile: open-to-sheet ms, rank() ms; and the bytes the page downloads."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/prep/"
    loads, ranks, downloaded = [], [], 0
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--no-sandbox"], headless=True)
            context = browser.new_context()
            page = context.new_page()
            sizes: dict[str, int] = {}

            def count(response) -> None:
                try:
                    sizes[response.url] = len(response.body() or b"")
                except Exception:  # noqa: BLE001 - a redirect has no body
                    pass

            page.on("response", count)
            page.goto(base, wait_until="networkidle")
            downloaded = sum(sizes.values())
            for url, size in sorted(sizes.items(), key=lambda item: -item[1]):
                print(f"  {size / 1024:7.1f} KB  {url.removeprefix(base)}", file=sys.stderr)
            for profile in profiles:
                start = time.perf_counter()
                page.goto(base + "?" + params(profile))
                page.wait_for_selector("#cb-prep-sheet h2")
                loads.append((time.perf_counter() - start) * 1000)
                ranks.append(page.evaluate(
                    """p => { const t = performance.now(); window.casebookPrep.rank(p, 5);
                              return performance.now() - t; }""", params(profile)))
            browser.close()
    finally:
        server.shutdown()
    return loads, ranks, downloaded


def row(size: int, py: list[float], loads: list[float], ranks: list[float], data: bytes,
        downloaded: int) -> str:
    def ms(samples: list[float]) -> str:
        return f"{statistics.median(samples):.1f} / {max(samples):.1f}"

    # No gzip size: repeated cases compress far better than real ones would.
    return (f"| {size:,} | {ms(py)} | {ms(ranks)} | {ms(loads)} | {len(data) / 1024:,.0f} KB "
            f"| {downloaded / 1024:,.0f} KB |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    args = parser.parse_args(argv)
    profiles = judged()
    options = from_mkdocs_yml(REPO / "mkdocs.yml")
    options.drafts = False
    build = Build(options, command="check")
    build.prepare()
    base = prep_index(build.library, options.use_directory_urls)
    print("| cases | CLI rank ms (median / max) | browser rank ms | page open → sheet ms | "
          "prep-data.js | page downloads (first visit) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as work:
        site = built_site(Path(work))
        for size in (int(s) for s in args.sizes.split(",")):
            index = grown(base, size)
            py = python_ms(index, profiles)
            data = ("window.casebookPrepData = " + json.dumps(
                index.to_data(), ensure_ascii=False, separators=(",", ":")) + ";\n").encode()
            (site / "assets/casebook/prep-data.js").write_bytes(data)
            loads, ranks, downloaded = browser_ms(site, profiles)
            print(row(size, py, loads, ranks, data, downloaded), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
