"""Preview benchmark: how long after saving a case an author sees it under `mkdocs serve`.

    .venv/bin/python bench/preview.py                     # 1,000 cases, 5 edits per site
    .venv/bin/python bench/preview.py --sizes 100,1000 --edits 3 --keep /tmp/preview

For each size, the Casebook site and the plain Material site of bench/build.py (same case
files) are served by a real `mkdocs serve` on 127.0.0.1. Once the first build is served, one
case's title is changed, as an author saving the file does, and the served site is polled
every 20 ms over HTTP:

  page    the case's own page shows the new title (issue 12's goal: within 2 s at 1,000 cases)
  list    a page that lists the case shows it (Casebook: the case index; plain: the 壁 tag
          listing): the whole rebuild is served
  search  the browser search's index has changed (Casebook: pagefind-entry.json; plain:
          search_index.json holds the new title)

Times are from the write to the first response that has the change (the median of --edits
edits, a different case each, each after the previous one is fully served). The server's
own log is kept beside the project (serve-<site>.log).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from functools import partial
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

from build import casebook_project, make_corpus, plain_project, table  # noqa: E402

POLL = 0.02
GOAL_SECONDS = 2.0
GOAL_SIZE = 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def wait_for(check, timeout: float) -> float | None:
    """Poll `check()` until true; the monotonic time it first was, or None on timeout."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return time.monotonic()
        time.sleep(POLL)
    return None


class Server:
    """`mkdocs serve` of a project, as a child process with its own log."""

    def __init__(self, project: Path, name: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.log_path = project.parent / f"serve-{name}.log"
        self.log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
               "CASEBOOK_INDEX_DIR": str(project / ".casebook-index")}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", str(project / "mkdocs.yml"),
             "-a", f"127.0.0.1:{self.port}"],
            cwd=project, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def get(self, path: str) -> str | None:
        return fetch(self.base + path)

    def shows(self, path: str, text: str) -> bool:
        return text in (self.get(path) or "")

    def changed(self, path: str, before: str | None) -> bool:
        now = self.get(path)
        return now is not None and now != before

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGINT)
            self.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def retitle(path: Path, marker: str) -> None:
    """Put `marker` into the case's title (and its H1, which must match), as an author
    saving the file does."""
    text = path.read_text(encoding="utf-8")
    title = next(line for line in text.split("\n") if line.startswith("title:"))[6:].strip()
    path.write_text(text.replace(title, f"{title}（{marker}）"), encoding="utf-8")


MARKERS = ["改訂一", "改訂二", "改訂三", "改訂四", "改訂五", "改訂六", "改訂七", "改訂八",
           "改訂九", "改訂十"]


def measure(project: Path, name: str, cases: Path, edits: int, plain: bool) -> list[dict]:
    """Edit `edits` cases one after another while the site is served; times per edit."""
    server = Server(project, name)
    files = sorted(cases.glob("bench-*.md"))
    listing = "walls/" if plain else "cases/"
    search = "search/search_index.json" if plain else "pagefind/pagefind-entry.json"
    results = []
    try:
        first = files[0].stem
        if wait_for(lambda: server.get(f"cases/{first}/") is not None, 1800) is None:
            raise SystemExit(f"{name}: the site was not served within 30 min "
                             f"(see {server.log_path})")
        time.sleep(1.0)  # the search index of the first build may still be arriving
        for number in range(edits):
            path = files[(number + 1) * len(files) // (edits + 1)]
            marker = MARKERS[number % len(MARKERS)]
            page_url = f"cases/{path.stem}/"
            before = server.get(search)
            retitle(path, marker)
            written = time.monotonic()
            page = wait_for(partial(server.shows, page_url, marker), 600)
            listed = wait_for(partial(server.shows, listing, marker), 600)
            if plain:  # Material writes the index with \uXXXX escapes
                found = wait_for(partial(server.shows, search, json.dumps(marker)[1:-1]), 600)
            else:
                found = wait_for(partial(server.changed, search, before), 600)
            results.append({key: (value - written if value is not None else None)
                            for key, value in (("page", page), ("list", listed),
                                               ("search", found))})
            print(f"  {name} edit {number + 1}: " + ", ".join(
                f"{k} {v:.2f} s" if v is not None else f"{k} timed out"
                for k, v in results[-1].items()), file=sys.stderr)
            time.sleep(1.0)
    finally:
        server.stop()
    return results


def median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if len(known) == len(values) and known else None


def seconds(value: float | None) -> str:
    return "timed out" if value is None else f"{value:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000", help="comma-separated case counts")
    parser.add_argument("--edits", type=int, default=5, help="edits per site (median)")
    parser.add_argument("--keep", type=Path, help="work folder to keep (default: temporary)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    import tempfile

    work = args.keep or Path(tempfile.mkdtemp(prefix="casebook-preview-"))
    work.mkdir(parents=True, exist_ok=True)
    rows, goals = [], []
    for size in [int(s) for s in args.sizes.split(",")]:
        real = len(list((REPO / "cases").glob("*.md")))
        corpus = make_corpus(work, size, real, args.seed)
        measured = {}
        for name in ("casebook", "plain"):
            root = work / f"{name}-{size}"
            if name == "casebook":
                project = casebook_project(root, corpus, True)
                cases = project / "cases"
            else:
                project = plain_project(root, corpus, True)
                cases = project / "content" / "cases"
            print(f"{name} {size}: serving", file=sys.stderr)
            measured[name] = measure(project, name, cases, args.edits, name == "plain")
        for name, runs in measured.items():
            rows.append([f"{size:,}", name, *(seconds(median([r[k] for r in runs]))
                                              for k in ("page", "list", "search")),
                         str(len(runs))])
        ours = median([r["page"] for r in measured["casebook"]])
        plain = median([r["page"] for r in measured["plain"]])
        if size >= GOAL_SIZE:
            met = ours is not None and ours <= GOAL_SECONDS and (plain is None or ours < plain)
            goals.append([f"{size:,}", f"edited case page within {GOAL_SECONDS:.0f} s, "
                          "sooner than plain Material", f"{seconds(ours)} s (plain "
                          f"{seconds(plain)} s)", "**met**" if met else "**missed**"])
    command = "python bench/preview.py " + " ".join(argv if argv is not None else sys.argv[1:])
    print(f"Command: `{command.strip()}`\n")
    print("### `mkdocs serve`: seconds from saving a case to the served site showing it "
          "(median)\n")
    print(table(["cases", "site", "case page", "listing page", "search index", "edits"], rows,
                right={2, 3, 4, 5}))
    if goals:
        print("\n### Goal\n")
        print(table(["cases", "goal", "measured", ""], goals, right={2}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
