"""Ranking time of `casebook prep` and of the /prep/ page, and the bytes the page downloads.

    .venv/bin/python bench/prep.py                    # 1,000 cases
    .venv/bin/python bench/prep.py --sizes 200        # a quick look
    .venv/bin/python bench/prep.py --corpus           # synthetic cases (bench/corpus.py) instead

The ranking reads only `PrepIndex` (the published cases' folded texts and facet slugs), so a
large corpus is made by repeating the repository's published cases under new ids rather than
by writing and checking thousands of files: the texts, and so the work per case, are real.
Repeated texts make the pair parts unusually compact (every pair recurs every dozen cases), so
`--corpus` reads and checks the repository plus that many synthetic cases instead, whose
sentences vary (casebook/prep_data.py's sizes at a more realistic spread of pairs; the
ranking's judged profiles then find synthetic cases, which is fine for timing).

The repository's site is built once (12 cases, no Pagefind); for each size its /prep/ data
(casebook/prep_data.py: prep-data.js and the parts) is replaced and the page is timed in
Debian's chromium on 127.0.0.1, each profile in a fresh browser context (a first visit):
from opening the address to the sheet on screen, the same address again (scripts and parts
from the browser's cache), and the ranking alone (window.casebookPrep.rank, parts loaded).
The bytes: what opening the page downloads (no profile), and what one sheet downloads on top
(the parts it loads). The CLI
column is casebook/prep.py's rank() in this process (the command adds reading and checking the
project, which `bench/build.py` measures).
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[0:0] = [str(REPO)]
sys.path.append(str(BENCH))  # serving.py, corpus.py (bench/search.py would shadow search/)

import serving  # noqa: E402

from casebook.prep import PrepIndex, make_profile, prep_index, rank  # noqa: E402
from casebook.prep_data import PARTS_DIR, PREP_DATA, prep_files  # noqa: E402
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
    from tests.building import build_site

    return build_site(REPO / "mkdocs.yml", site_dir=work / "site",
                      search_index_dir=str(work / "index"))


def browser_ms(site: Path, profiles: list[dict]) -> dict:
    """Per profile: open-to-sheet ms (first visit), rank() ms, the bytes of the parts the sheet
    loaded; and the bytes opening the page downloads."""
    from playwright.sync_api import sync_playwright

    found: dict = {"loads": [], "again": [], "ranks": [], "sheet_bytes": []}
    with serving.served(site) as base, sync_playwright() as playwright:
        base += "prep/"
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox"], headless=True)

        def visit(address: str) -> tuple[object, dict[str, int], float]:
            context = browser.new_context()
            page = context.new_page()
            sizes: dict[str, int] = {}

            def count(response) -> None:
                try:
                    sizes[response.url] = len(response.body() or b"")
                except Exception:  # noqa: BLE001 - a redirect has no body
                    pass

            page.on("response", count)
            start = time.perf_counter()
            page.goto(address)
            if "?" in address:
                page.wait_for_selector("#cb-prep-sheet h2")
            else:
                page.wait_for_load_state("networkidle")
            return page, sizes, (time.perf_counter() - start) * 1000

        page, sizes, _ = visit(base)
        found["open_bytes"] = sum(sizes.values())
        found["open_data"] = sum(n for u, n in sizes.items() if u.endswith(PREP_DATA))
        for url, size in sorted(sizes.items(), key=lambda item: -item[1])[:8]:
            print(f"  {size / 1024:7.1f} KB  {url.removeprefix(base)}", file=sys.stderr)
        page.context.close()
        for profile in profiles:
            page, sizes, ms = visit(base + "?" + params(profile))
            found["loads"].append(ms)
            found["sheet_bytes"].append(sum(
                n for u, n in sizes.items() if f"/{PARTS_DIR}/" in urlsplit(u).path))
            start = time.perf_counter()  # the same sheet again: from the browser's cache
            page.reload()
            page.wait_for_selector("#cb-prep-sheet h2")
            found["again"].append((time.perf_counter() - start) * 1000)
            found["ranks"].append(page.evaluate(
                """async p => { const t = performance.now(); await window.casebookPrep.rank(p, 5);
                                return performance.now() - t; }""", params(profile)))
            page.context.close()
        browser.close()
    return found


def write_data(site: Path, index: PrepIndex) -> dict[str, str]:
    """The /prep/ data of `index` in place of the site's."""
    shutil.rmtree(site / PARTS_DIR, ignore_errors=True)
    files = prep_files(index)
    for path, text in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, "utf-8")
    return files


def row(size: int, py: list[float], found: dict, files: dict[str, str]) -> str:
    def ms(samples: list[float]) -> str:
        return f"{statistics.median(samples):.1f} / {max(samples):.1f}"

    def kb(value: float) -> str:
        return f"{value / 1024:,.0f}"

    def part(kind: str) -> str:
        sizes = [len(t.encode()) for p, t in files.items() if f"/{kind}-" in p]
        return f"{kind} {kb(sum(sizes))} in {len(sizes)}"

    # No gzip size: repeated cases compress far better than real ones would.
    return (f"| {size:,} | {ms(py)} | {ms(found['ranks'])} | {ms(found['loads'])} "
            f"| {ms(found['again'])} | {kb(len(files[PREP_DATA].encode()))} "
            f"| {kb(found['open_bytes'])} "
            f"| {kb(statistics.median(found['sheet_bytes']))} / {kb(max(found['sheet_bytes']))} "
            f"| {part('pairs')}, {part('cases')} |")


def corpus_index(work: Path, size: int, directory_urls: bool) -> PrepIndex:
    """The repository's published cases and `size` synthetic ones, read and checked."""
    from corpus import write_corpus

    from pipeline.load import load_library
    from pipeline.options import BuildOptions

    root = work / f"project-{size}"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "cases", root / "cases")
    write_corpus(root / "cases", size - 12)
    return prep_index(load_library(BuildOptions(root)), directory_urls)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000")
    parser.add_argument("--corpus", action="store_true",
                        help="synthetic cases (bench/corpus.py) instead of repeated real ones")
    args = parser.parse_args(argv)
    profiles = judged()
    options = from_mkdocs_yml(REPO / "mkdocs.yml")
    options.drafts = False
    build = Build(options, command="check")
    build.prepare()
    base = prep_index(build.library, options.use_directory_urls)
    print("| cases | CLI rank ms (median / max) | browser rank ms | open → sheet ms, first "
          "visit | same sheet again ms | prep-data.js KB | opening the page downloads KB | "
          "a sheet downloads KB (median / max) | parts: KB in files |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as work:
        site = built_site(Path(work))
        for size in (int(s) for s in args.sizes.split(",")):
            index = (corpus_index(Path(work), size, options.use_directory_urls) if args.corpus
                     else grown(base, size))
            py = python_ms(index, profiles)
            files = write_data(site, index)
            print(row(len(index.cases), py, browser_ms(site, profiles), files), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
