"""Pagefind with Casebook's character-pair spelling against Pagefind's own Japanese words.

    .venv/bin/python bench/pagefind_spelling.py                      # the judged site only
    .venv/bin/python bench/pagefind_spelling.py --big /tmp/bench10k/casebook-10000/site

search/pagefind.py indexes a re-spelt copy of each page (every kanji and kana as a pair with
its successor) because Pagefind's Japanese words are cut one way when indexing and another
when searching. This measures what that costs and what it buys, on the same pages:

  pairs   Casebook's bundle: the copies Pagefind reads, in parts of PART_PAGES pages
  native  Pagefind's own (--force-language ja, Lindera) over the built pages, in the same
          parts, searched by the same page script with the query words left as typed

For each: distinct words, bundle bytes, the binary's time, CPU and peak memory (each part in
its own process, so the peak is that part's), and — in chromium — hit@3 and MRR over the judged
queries of tests/test_search_quality.py (the shipped site plus tests/fixtures/search/cases).
With --big (a built site inside its project, as `bench/build.py --keep` leaves it; the pairs
are made from the project again, as its build made them), the same costs at that size
and what one query downloads: the bytes fetched for the query after the bundle is open, and
for opening it, median over a few queries, each in a fresh browser.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
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

SKIP = ("cases/index.html", "matrix/index.html")  # as the build leaves them out
QUERIES_FOR_BYTES = ["資金繰り", "後継者", "付いてこない", "先代と後継者の対立",
                     "人手不足で離職が続く", "荷主に運賃の値上げを言い出せない"]


# --- one indexing run, in its own process (so its peak memory is its own) -----------------

def _index(kind: str, site: Path, out: Path, part_pages: int) -> dict:
    from search.pagefind import EXCLUDED_SELECTORS, _count, _run, extended_binary

    if kind == "pairs":
        # As a build makes them: the pipeline's own pages, copied and respelt. The project's
        # files are read and checked again for that, in this process; the respelling and
        # Pagefind are measured in a forked child, so only their time and memory count.
        from pipeline.build import Build
        from pipeline.options import from_mkdocs_yml

        build = Build(from_mkdocs_yml(site.parent / "mkdocs.yml"))
        build.prepare()
        return _forked(lambda: _index_pairs(build, site, out, part_pages))
    started = time.perf_counter()
    pages = sorted(p for p in site.rglob("*.html")
                   if not p.relative_to(site).as_posix().startswith("pagefind")
                   and p.relative_to(site).as_posix() not in SKIP
                   and "data-pagefind-body" in p.read_text("utf-8"))
    chunks = [pages[i:i + part_pages] for i in range(0, len(pages), part_pages)]
    words = indexed = 0
    bundle = out / "pagefind-ja"
    for number, chunk in enumerate(chunks, 1):
        with tempfile.TemporaryDirectory() as scratch:
            for page in chunk:
                target = Path(scratch) / page.relative_to(site)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(page, target)
            target = bundle if number == 1 else bundle / f"part-{number}"
            command = [str(extended_binary()), "--site", scratch, "--output-path",
                       str(target), "--force-language", "ja"]
            for selector in EXCLUDED_SELECTORS:
                command += ["--exclude-selectors", selector]
            output = _run(command, site)
            words += _count(output, "word")
            indexed += _count(output, "page")
    (bundle / "casebook-parts.json").write_text(json.dumps(
        {"parts": [f"part-{n}/" for n in range(2, len(chunks) + 1)]}), "utf-8")
    return _usage(started, indexed, words, len(chunks))


def _index_pairs(build, site: Path, out: Path, part_pages: int) -> dict:
    from search.pagefind import BUNDLE_DIR, SiteIndexer, SpellingVariants

    started = time.perf_counter()
    vocabulary = build.library.vocabulary
    indexer = SiteIndexer(site, vocabulary, from_disk=False, part_pages=part_pages,
                          variants=SpellingVariants.build(vocabulary, pairs=build.noun_pairs()))
    for path, copy in build.search_copies():
        indexer.add(path, copy)
    stats = indexer.finish(bundle=out / BUNDLE_DIR)
    return _usage(started, stats.pages, stats.words, stats.parts)


def _usage(started: float, pages: int, words: int, parts: int) -> dict:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {"wall": time.perf_counter() - started, "pages": pages, "words": words,
            "parts": parts,
            "cpu": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
            "binary_peak_mb": children.ru_maxrss / 1024}


def _forked(work) -> dict:
    """`work()` in a forked child: its CPU and its children's peak memory are its own."""
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(reading)
        try:
            os.write(writing, json.dumps(work()).encode())
        finally:
            os._exit(0)
    os.close(writing)
    with os.fdopen(reading, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    if not data:
        raise SystemExit("the indexing child failed")
    return json.loads(data)


def index_in_child(kind: str, site: Path, out: Path, part_pages: int) -> dict:
    run = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--site", str(site), "--out", str(out),
         "--part-pages", str(part_pages)], capture_output=True, text=True, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if run.returncode != 0:
        raise SystemExit(f"{kind} indexing failed:\n{run.stderr[-3000:]}")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    bundle = out / ("pagefind" if kind == "pairs" else "pagefind-ja")
    result["bundle_mb"] = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file()) / 1e6
    result["index_mb"] = sum(f.stat().st_size for f in bundle.rglob("*")
                             if f.is_file() and "/index/" in f.as_posix()) / 1e6
    return result


# --- the browser side --------------------------------------------------------------------

OPEN = """async ([bundle, spelt]) => {
  window.benchEngine = await window.casebookSearch.openEngine(
      new URL(bundle, location.href), { spelt }); return true; }"""
RANK = """async ([query]) => {
  const ranked = await window.casebookSearch.rank(query, {}, window.benchEngine);
  return { mode: ranked.mode,
           urls: await window.casebookSearch.urls(query, {}, window.benchEngine) }; }"""


def judged(browser, url: str, bundle: str, spelt: bool) -> tuple[float, float, list[str]]:
    from tests.test_search_quality import evaluate

    page = browser.new_page()
    page.goto(url)
    page.evaluate(OPEN, [bundle, spelt])
    case = re.compile(r"/cases/([^/]+)/")

    def ranked(query: str) -> tuple[list[str], str]:
        found = page.evaluate(RANK, [query])
        return [m.group(1) for u in found["urls"] if (m := case.search(u))], found["mode"]

    result = evaluate(ranked)
    page.close()
    return result


def downloads(browser, url: str, bundle: str, spelt: bool) -> tuple[float, float]:
    """Median KB fetched opening the bundle, and for one query after it is open."""
    opening, querying = [], []
    for query in QUERIES_FOR_BYTES:
        context = browser.new_context()
        page = context.new_page()
        fetched: list[int] = []

        def count(response, fetched=fetched) -> None:
            if "/pagefind" in response.url:
                try:
                    fetched.append(len(response.body()))
                except Exception:  # noqa: BLE001 - a redirect or an aborted fetch
                    pass

        page.on("response", count)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        fetched.clear()
        page.evaluate(OPEN, [bundle, spelt])
        page.wait_for_load_state("networkidle")
        opening.append(sum(fetched))
        fetched.clear()
        page.evaluate(RANK, [query])
        page.wait_for_load_state("networkidle")
        querying.append(sum(fetched))
        context.close()
    return statistics.median(opening) / 1024, statistics.median(querying) / 1024


def build_judged_site(work: Path) -> Path:
    from tests.building import build_site
    from tests.test_search_quality import FIXTURE_CASES

    root = work / "judged"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "cases", root / "cases")
    for path in FIXTURE_CASES.glob("*.md"):
        shutil.copy(path, root / "cases")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return build_site(root / "mkdocs.yml", search_index_dir=str(work / "judged-index"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--big", type=Path, help="a built Casebook site to measure at size")
    parser.add_argument("--part-pages", type=int, default=None)
    parser.add_argument("--child", choices=["pairs", "native"], help=argparse.SUPPRESS)
    parser.add_argument("--site", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    from search.pagefind import PART_PAGES

    part_pages = args.part_pages or PART_PAGES
    if args.child:
        print(json.dumps(_index(args.child, args.site, args.out, part_pages)))
        return 0

    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    work = Path(tempfile.mkdtemp(prefix="casebook-spelling-"))
    sites = {"judged": build_judged_site(work)}
    if args.big:
        sites["big"] = args.big
    rows, quality, bytes_rows = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for name, site in sites.items():
            out = work / f"{name}-bundles"
            out.mkdir()
            costs = {kind: index_in_child(kind, site, out, part_pages)
                     for kind in ("pairs", "native")}
            # Both bundles beside the site's pages, so the page script can open either.
            served = work / f"{name}-served"
            shutil.copytree(site, served, ignore=shutil.ignore_patterns("pagefind"),
                            copy_function=os.link)
            # This checkout's page script (a kept site may have been built with an older one).
            script = served / "assets" / "casebook" / "search.js"
            script.unlink()
            shutil.copy(REPO / "plugins" / "overrides" / "assets" / "casebook" / script.name,
                        script)
            shutil.copytree(out / "pagefind", served / "pagefind")
            shutil.copytree(out / "pagefind-ja", served / "pagefind-ja")
            with serving.served(served) as url:
                for kind, bundle, spelt in (("pairs", "pagefind/", True),
                                            ("native", "pagefind-ja/", False)):
                    cost = costs[kind]
                    rows.append([name, kind, f"{cost['pages']:,}", str(cost["parts"]),
                                 f"{cost['words']:,}", f"{cost['bundle_mb']:.1f}",
                                 f"{cost['index_mb']:.1f}", f"{cost['wall']:.1f}",
                                 f"{cost['cpu']:.1f}", f"{cost['binary_peak_mb']:.0f}"])
                    if name == "judged":
                        hit, mrr, lines = judged(browser, url, bundle, spelt)
                        quality.append([kind, f"{hit:.3f}", f"{mrr:.3f}"])
                        print(f"{kind}:\n" + "\n".join(lines), file=sys.stderr)
                    else:
                        opening, query = downloads(browser, url, bundle, spelt)
                        bytes_rows.append([name, kind, f"{opening:.0f}", f"{query:.0f}"])
        browser.close()
    shutil.rmtree(work, ignore_errors=True)
    print(f"Command: `python bench/pagefind_spelling.py "
          f"{' '.join(argv if argv is not None else sys.argv[1:])}`\n")
    print("### Cost of each spelling (binary: Pagefind alone, parts one after another; "
          "peak = largest part)\n")
    print(table(["site", "spelling", "pages", "parts", "distinct words (sum of parts)",
                 "bundle MB", "index MB", "wall s", "CPU s", "binary peak MB"], rows))
    print("\n### Judged queries in chromium (same page script, same ranking)\n")
    print(table(["spelling", "hit@3", "MRR"], quality))
    if bytes_rows:
        print("\n### What the browser downloads (KB, median over "
              f"{len(QUERIES_FOR_BYTES)} queries, each in a fresh browser)\n")
        print(table(["site", "spelling", "opening the bundle", "one query"], bytes_rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
