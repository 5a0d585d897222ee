"""Build benchmark: a Casebook site against a plain Material site with tags, same case files.

    .venv/bin/python bench/build.py                            # 100, 1,000 and 10,000 cases
    .venv/bin/python bench/build.py --sizes 100,1000 --repeat 3 --keep /tmp/bench
    .venv/bin/python bench/build.py --sizes 1000 --profile /tmp/prof  # + cProfile of Casebook

For each size a synthetic corpus (bench/corpus.py, plus the real cases/) is built twice:

  casebook  the repo's mkdocs.yml and content/ (guides, taxonomy) with the `casebook` plugin;
            its stages (read+check, pages, search indexes …) come from the plugin's Stopwatch.
  plain     the same theme, Markdown extensions, guides and case files under content/cases/,
            with Material's `search` plugin and three `tags` instances (walls, approaches,
            industries; front matter mapped to label lists) and a tags listing page each.

Every build runs in a fresh interpreter, so its peak memory is its own. Cases are not in the
nav in either site. Then, for issue 12's goals table: the Whoosh index each Casebook build
wrote is queried (bench/search.py: p95 latency, `casebook search` cold start); at
--serve-size cases both sites run under a real `mkdocs serve` and one case is saved three
times (bench/preview.py: seconds until the served page shows it); and the judged queries
of tests/test_search_quality.py run in chromium and in the CLI (bench/pagefind_spelling.py).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for path in (REPO, BENCH):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

RESULT_MARK = "CASEBOOK-BENCH-RESULT "
# Stopwatch stages that build a search index; the rest is "the pages".
SEARCH_WORDS = ("whoosh", "pagefind", "search")
# Goals from the issue, at 1,000 cases and more.
GOAL_PAGES = 1.25
GOAL_WHOLE = 2.0
GOAL_FROM = 1000
# Facets the plain site tags, as (front-matter property, casebook facet).
PLAIN_TAGS = (("walls", "wall"), ("approaches", "approach"), ("industries", "industry"))


# --- projects on disk -----------------------------------------------------------------------

def _blocks(text: str) -> list[tuple[str | None, str]]:
    """Split mkdocs.yml into top-level blocks (key, text) so a few can be swapped."""
    blocks: list[tuple[str | None, str]] = []
    for line in text.splitlines(keepends=True):
        match = re.match(r"([A-Za-z_]+):", line)
        if match or not blocks:
            blocks.append((match.group(1) if match else None, line))
        else:
            key, old = blocks[-1]
            blocks[-1] = (key, old + line)
    return blocks


def mkdocs_yml(replace: dict[str, str], repo: Path = REPO) -> str:
    """The repo's mkdocs.yml with whole top-level blocks replaced (or added)."""
    blocks = _blocks((repo / "mkdocs.yml").read_text(encoding="utf-8"))
    out = []
    for key, text in blocks:
        out.append(replace.pop(key) if key in replace else text)
    out += list(replace.values())
    return "".join(block if block.endswith("\n") else block + "\n" for block in out)


def repo_nav(repo: Path = REPO) -> list:
    import yaml

    blocks = dict(_blocks((repo / "mkdocs.yml").read_text(encoding="utf-8")))
    return yaml.safe_load(blocks.get("nav", "nav: []"))["nav"]


def filter_nav(nav: list, keep: Callable[[str], bool]) -> list:
    """The nav with pages `keep` rejects left out, and sections left empty dropped."""
    out: list = []
    for item in nav:
        if isinstance(item, str):
            if keep(item):
                out.append(item)
        elif isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, list):
                    inner = filter_nav(value, keep)
                    if inner:
                        out.append({title: inner})
                elif isinstance(value, str) and keep(value):
                    out.append({title: value})
    return out


def nav_block(nav: list) -> str:
    import yaml

    return yaml.safe_dump({"nav": nav}, allow_unicode=True, sort_keys=False)


def copy_cases(corpus: Path, target: Path, real_cases: bool,
               transform: Callable[[str], str] | None = None, repo: Path = REPO) -> int:
    target.mkdir(parents=True, exist_ok=True)
    sources = sorted(corpus.glob("*.md"))
    if real_cases:
        sources += sorted((repo / "cases").glob("*.md"))
    for source in sources:
        text = source.read_text(encoding="utf-8")
        (target / source.name).write_text(transform(text) if transform else text,
                                          encoding="utf-8")
    return len(sources)


def casebook_project(root: Path, corpus: Path, real_cases: bool, repo: Path = REPO) -> Path:
    """A repo's own site: mkdocs.yml, content/ and the cases, with the casebook plugin
    (`repo`: this checkout, or the baseline's)."""
    from casebook.pages import CASE_INDEX_URI, MATRIX_URI
    from casebook.vocabulary import load_vocabulary

    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(repo / "content", root / "content")
    copy_cases(corpus, root / "cases", real_cases, repo=repo)
    vocabulary = load_vocabulary(REPO / "content" / "taxonomy.yml")
    generated = {CASE_INDEX_URI, MATRIX_URI} | {f"{f.path}/index.md" for f in vocabulary}
    nav = filter_nav(repo_nav(repo),
                     lambda p: p in generated or (root / "content" / p).exists())
    # Not strict: a guide being written may warn; warnings are counted and reported instead.
    text = mkdocs_yml({"strict": "strict: false\n", "nav": nav_block(nav)}, repo)
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    return root


def plain_front_matter(vocabulary) -> Callable[[str], str]:
    """Map a case's front matter to tag lists of labels (what a tags-plugin site would hold)."""
    import yaml

    from casebook.sources import split_front_matter

    def transform(text: str) -> str:
        raw, body, _ = split_front_matter(text)
        meta = yaml.safe_load(raw or "") or {}
        for prop, facet in PLAIN_TAGS:
            source = "industry" if prop == "industries" else prop
            values = meta.get(source) or []
            values = values if isinstance(values, list) else [values]
            terms = [vocabulary[facet].get(v) for v in values]
            meta[prop] = [t.label if t else str(v) for t, v in zip(terms, values, strict=True)]
        dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
        return f"---\n{dumped}---\n{body}"

    return transform


def plain_project(root: Path, corpus: Path, real_cases: bool) -> Path:
    """The same theme, extensions, guides and cases; Material search and 3 tags instances."""
    from casebook.vocabulary import load_vocabulary

    vocabulary = load_vocabulary(REPO / "content" / "taxonomy.yml")
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(REPO / "content", root / "content",
                    ignore=shutil.ignore_patterns("taxonomy.yml", "private-terms.txt"))
    copy_cases(corpus, root / "content" / "cases", real_cases, plain_front_matter(vocabulary))
    plugins = ["plugins:", "  - search"]
    listings = []
    for prop, facet_name in PLAIN_TAGS:
        facet = vocabulary[facet_name]
        plugins += [
            "  - tags:",
            f"      tags_name_property: {prop}",
            f"      listings_directive: tags-{prop}",
            f'      tags_slugify_format: "{facet_name}-{{slug}}"',
            f"      export_file: tags-{prop}.json",
        ]
        page = f"{facet.path}/index.md"
        (root / "content" / page).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / page).write_text(
            f"# {facet.label}\n\n{facet.description}\n\n<!-- tags-{prop} -->\n", encoding="utf-8")
        listings.append(page)
    nav = filter_nav(repo_nav(), lambda p: (root / "content" / p).exists()
                     and p not in listings)
    nav.append({"分類から探す": listings})
    text = mkdocs_yml({
        "strict": "strict: false\n",
        "plugins": "\n".join(plugins) + "\n",
        "nav": nav_block(nav),
        "not_in_nav": "not_in_nav: |\n  /cases/\n",
    })
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    return root


def make_corpus(work: Path, size: int, real: int, seed: int) -> Path:
    from corpus import write_corpus

    directory = work / f"corpus-{size}"
    if not directory.exists():
        started = time.perf_counter()
        write_corpus(directory, max(size - real, 0), seed=seed)
        log(f"corpus {size}: written in {time.perf_counter() - started:.1f} s")
    return directory


# --- the child: one build in a fresh interpreter -------------------------------------------

def _tree_size(directory: Path) -> tuple[int, int]:
    """(bytes, files) under `directory`."""
    total = files = 0
    for dirpath, _, names in os.walk(directory):
        for name in names:
            total += os.lstat(os.path.join(dirpath, name)).st_size
            files += 1
    return total, files


def _adding_time(function, seconds: dict[str, float], key: str):
    """`function`, adding the wall time of each call to `seconds[key]`."""
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[key] = seconds.get(key, 0.0) + time.perf_counter() - started

    return timed


def _time_hooks(plugins, seconds: dict[str, float]) -> None:
    """Wrap every registered event method so its time adds up as `plugin:event`."""
    for event, methods in plugins.events.items():
        for index, method in enumerate(methods):
            origin = plugins._event_origins.get(method, "<unknown>")
            timed = _adding_time(method, seconds, f"{origin}:{event}")
            methods[index] = timed
            plugins._event_origins[timed] = origin


def _time_phases(seconds: dict[str, float]) -> None:
    """Time MkDocs' two page loops (hooks they call included)."""
    from mkdocs.commands import build as build_module

    for name, label in (("_populate_page", "read+convert"), ("_build_page", "render+write")):
        setattr(build_module, name, _adding_time(getattr(build_module, name), seconds, label))


def _time_stage_cpu() -> None:
    """Make every casebook Stopwatch also keep CPU seconds per stage (in `bench_cpu`).

    The machine may be shared: wall time per stage then swings with the load, CPU time much
    less. The plugin's own numbers (`seconds`) are left as they are.
    """
    from contextlib import contextmanager

    from pipeline.timing import Stopwatch

    wall_stage, wall_reset = Stopwatch.stage, Stopwatch.reset

    @contextmanager
    def stage(self, name):
        started = _cpu_seconds()
        try:
            with wall_stage(self, name):
                yield
        finally:
            cpu = self.__dict__.setdefault("bench_cpu", {})
            cpu[name] = cpu.get(name, 0.0) + _cpu_seconds() - started

    def reset(self):
        wall_reset(self)
        self.__dict__["bench_cpu"] = {}

    Stopwatch.stage, Stopwatch.reset = stage, reset


def _cpu_seconds() -> float:
    """User + system time of this process and of its finished subprocesses (Pagefind)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def child(mode: str, project: Path, profile: Path | None) -> dict:
    """Build `project` once and return what was measured."""
    import logging
    import resource

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    class Warnings(logging.Handler):
        def __init__(self) -> None:
            super().__init__(logging.WARNING)
            self.messages: list[str] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.messages.append(record.getMessage())

    warnings = Warnings()
    logging.getLogger("mkdocs").addHandler(warnings)
    logging.getLogger("mkdocs").propagate = False  # counted here, not printed
    phases: dict[str, float] = {}
    _time_phases(phases)
    _time_stage_cpu()

    def get_config():
        return load_config(config_file=str(project / "mkdocs.yml"))

    def one_build(config) -> dict:
        hooks: dict[str, float] = {}
        _time_hooks(config.plugins, hooks)
        phases.clear()
        profiler = None
        if profile is not None:
            import cProfile

            # CPU time, so that other processes on a shared machine do not skew the profile.
            profiler = cProfile.Profile(time.process_time)
        cpu = _cpu_seconds()
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        build(config)
        seconds = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu
        if profiler:
            profiler.disable()
            profiler.dump_stats(str(profile))
        casebook = config.plugins.get("casebook")
        timings = getattr(casebook, "timings", None)
        stages = dict(timings.seconds) if timings is not None else {}
        stages_cpu = dict(getattr(timings, "bench_cpu", {}))
        return {"seconds": seconds, "cpu_seconds": cpu, "stages": stages,
                "stages_cpu": stages_cpu, "hooks": hooks, "phases": dict(phases),
                "load": os.getloadavg()[0]}

    config = get_config()
    config.plugins.on_startup(command=mode, dirty=False)
    result = {"mode": mode, "first": one_build(config)}
    config.plugins.on_shutdown()

    built = Path(config.site_dir)
    result["site_bytes"], result["site_files"] = _tree_size(built)
    casebook = config.plugins.get("casebook")
    index_dir = getattr(getattr(casebook, "config", None), "search_index_dir", None)
    index = project / index_dir if index_dir else None
    result["index_bytes"] = _tree_size(index)[0] if index and index.is_dir() else 0
    result["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result["children_maxrss_kb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result["warnings"] = len(warnings.messages)
    result["warning_samples"] = warnings.messages[:5]
    return result


def run_child(mode: str, project: Path, profile: Path | None = None,
              code: Path = REPO) -> dict:
    """One build in a fresh interpreter, measured from outside: the CPU time of its whole
    process tree (every forked worker and the Pagefind binary, as the kernel counts them for
    the processes this one waits for) and the peak memory of the tree (PSS, sampled)."""
    import resource

    arguments = ["--child", mode, "--project", str(project)]
    if profile:
        arguments += ["--profile", str(profile)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if code == REPO:
        command = [sys.executable, str(code / "bench" / "build.py"), *arguments]
    else:
        # The baseline's own packages: this checkout's editable install (a finder on
        # sys.meta_path) is taken away before anything of casebook is imported.
        script = str(code / "bench" / "build.py")
        command = [sys.executable, "-c",
                   "import runpy, sys; "
                   "sys.meta_path[:] = [f for f in sys.meta_path "
                   "if 'editable' not in repr(f).lower()]; "
                   f"sys.path[:0] = [{str(code)!r}, {str(code / 'bench')!r}]; "
                   f"sys.argv = [{script!r}, *{arguments!r}]; "
                   f"runpy.run_path({script!r}, run_name='__main__')"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env, cwd=project)
    memory = TreeMemory(process.pid)
    memory.start()
    stdout, stderr = process.communicate()
    memory.stop()
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    marked = [line for line in stdout.splitlines() if line.startswith(RESULT_MARK)]
    if process.returncode != 0 or not marked:
        sys.stderr.write(stdout[-3000:] + stderr[-6000:])
        raise SystemExit(f"{mode} build of {project} failed (exit {process.returncode})")
    result = json.loads(marked[-1][len(RESULT_MARK):])
    result["process_seconds"] = elapsed
    result["tree_cpu_seconds"] = (after.ru_utime - before.ru_utime
                                  + after.ru_stime - before.ru_stime)
    result["tree_peak_mb"] = memory.peak_kb / 1024
    result["tree_peak_parts"] = [(name, round(kb / 1024)) for name, kb in memory.at_peak if kb]
    return result


class TreeMemory:
    """The peak, over time, of the summed PSS of a process and all its descendants.

    PSS divides each shared page among the processes sharing it, so forked workers, which
    share most of their parent's memory, are not counted twice.
    """

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        import threading

        self.pid = pid
        self.interval = interval
        self.peak_kb = 0
        # (process, KB) at the peak: "build", "forked child" or the binary's name
        self.at_peak: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            sizes = [(self._name(p), _pss_kb(p)) for p in _tree(self.pid)]
            total = sum(kb for _, kb in sizes)
            if total > self.peak_kb:
                self.peak_kb, self.at_peak = total, sizes
            self._stop.wait(self.interval)

    def _name(self, pid: int) -> str:
        if pid == self.pid:
            return "build"
        try:
            command = Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:
            return "?"
        return "forked child" if command.startswith("python") else command


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- summarising ----------------------------------------------------------------------------

def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _median_dict(dicts: list[dict[str, float]]) -> dict[str, float]:
    keys = list(dict.fromkeys(k for d in dicts for k in d))
    return {k: statistics.median(d.get(k, 0.0) for d in dicts) for k in keys}


def summarise(runs: list[dict], key: str = "first") -> dict:
    """Medians over repeated runs of one kind of build."""
    builds = [r[key] for r in runs]
    return {
        "seconds": statistics.median(b["seconds"] for b in builds),
        "all_seconds": [round(b["seconds"], 2) for b in builds],
        "cpu_seconds": statistics.median(b.get("cpu_seconds", 0.0) for b in builds),
        "tree_cpu_seconds": statistics.median(r.get("tree_cpu_seconds", 0.0) for r in runs),
        "tree_peak_mb": max(r.get("tree_peak_mb", 0.0) for r in runs),
        "tree_peak_parts": max(runs, key=lambda r: r.get("tree_peak_mb", 0.0)).get(
            "tree_peak_parts", []),
        "stages": _median_dict([b["stages"] for b in builds]),
        "stages_cpu": _median_dict([b.get("stages_cpu", {}) for b in builds]),
        "load": statistics.median(b.get("load", 0.0) for b in builds),
        "hooks": _median_dict([b["hooks"] for b in builds]),
        "phases": _median_dict([b["phases"] for b in builds]),
        "maxrss_mb": statistics.median(r["maxrss_kb"] for r in runs) / 1024,
        "children_maxrss_mb": max(r["children_maxrss_kb"] for r in runs) / 1024,
        "site_mb": runs[-1]["site_bytes"] / 1e6,
        "site_files": runs[-1]["site_files"],
        "index_mb": runs[-1]["index_bytes"] / 1e6,
        "warnings": runs[-1]["warnings"],
        "warning_samples": runs[-1]["warning_samples"],
        "runs": len(runs),
    }


def search_seconds(build: dict, cpu: bool = False) -> tuple[float, str]:
    """Seconds (wall or CPU) Casebook spent on search indexes, and where the number comes from."""
    stages = {k: v for k, v in build["stages_cpu" if cpu else "stages"].items()
              if any(word in k.lower() for word in SEARCH_WORDS)}
    if stages:
        return sum(stages.values()), " + ".join(stages)
    # Until the plugin times its search stages, Pagefind runs untimed in on_post_build.
    post_build = build["hooks"].get("casebook:post_build", 0.0)
    return post_build, "on_post_build hook, wall time (no search stage in the Stopwatch)"


def by_plugin(hooks: dict[str, float]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, seconds in hooks.items():
        plugin = key.rpartition(":")[0]
        out[plugin] = out.get(plugin, 0.0) + seconds
    return out


def table(header: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    right = right if right is not None else set(range(1, len(header)))
    rule = ["---:" if i in right else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _s(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def report(results: dict[int, dict], command: str) -> str:
    out = [f"Command: `{command}`", ""]
    sizes = sorted(results)

    rows = []
    for size in sizes:
        cb, plain = results[size]["casebook"], results[size]["plain"]
        kinds = [("Casebook", cb), ("plain Material + tags", plain)]
        if "baseline" in results[size]:
            kinds.insert(1, ("Casebook before (baseline)", results[size]["baseline"]))
        for name, r in kinds:
            rss = f"{r['maxrss_mb']:.0f}"
            if r["children_maxrss_mb"] > 1:
                rss += f" (+{r['children_maxrss_mb']:.0f} subprocess)"
            rows.append([f"{size:,}", name, f"{_s(r['seconds'])} (n={r['runs']})",
                         _s(r["cpu_seconds"]), _s(r["tree_cpu_seconds"]),
                         f"{r['tree_peak_mb']:.0f}", f"{r['seconds'] / size * 1000:.1f}", rss,
                         f"{r['site_mb']:.1f} ({r['site_files']:,} files)",
                         f"{r['index_mb']:.1f}" if r["index_mb"] else "—", str(r["warnings"])])
        ratio = cb["seconds"] / plain["seconds"]
        cpu_ratio = cb["cpu_seconds"] / plain["cpu_seconds"] if plain["cpu_seconds"] else 0.0
        tree_ratio = cb["tree_cpu_seconds"] / plain["tree_cpu_seconds"]
        rows.append([f"{size:,}", "**Casebook / plain**", f"**{ratio:.2f}×**",
                     f"{cpu_ratio:.2f}×", f"**{tree_ratio:.2f}×**",
                     f"{cb['tree_peak_mb'] / plain['tree_peak_mb']:.2f}×", "",
                     f"{cb['maxrss_mb'] / plain['maxrss_mb']:.2f}×",
                     f"{cb['site_mb'] / plain['site_mb']:.2f}×", "", ""])
        if "baseline" in results[size]:
            base = results[size]["baseline"]
            rows.append([f"{size:,}", "**Casebook / before**",
                         f"{cb['seconds'] / base['seconds']:.2f}×",
                         f"{cb['cpu_seconds'] / base['cpu_seconds']:.2f}×",
                         f"**{cb['tree_cpu_seconds'] / base['tree_cpu_seconds']:.2f}×**",
                         f"{cb['tree_peak_mb'] / base['tree_peak_mb']:.2f}×", "", "", "",
                         "", ""])
    out += ["### Whole build", "",
            table(["cases", "build", "wall s (median)", "CPU s (own)",
                   "CPU s (process tree)", "peak MB (tree PSS)", "ms/case (wall)",
                   "peak RSS MB", "site MB", "Whoosh index MB", "warnings"], rows,
                  right=set(range(2, 11))), "",
            "CPU s (own) is what the build process counts for itself (children it joined "
            "included); CPU s (process tree) is counted from outside, as the kernel adds up "
            "the build and every process under it (forked workers, the Pagefind binary). "
            "Peak MB (tree PSS) is the largest sum, sampled every 0.1 s, of the memory of "
            "the build and all its children, shared pages divided among them.", ""]

    stage_names = list(dict.fromkeys(k for s in sizes for k in results[s]["casebook"]["stages"]))
    rows = []
    for size in sizes:
        cb = results[size]["casebook"]
        cpu = cb["stages_cpu"]
        cells = [f"{_s(cb['stages'].get(n, 0.0))} / {_s(cpu[n])}" if n in cpu
                 else _s(cb["stages"].get(n, 0.0)) for n in stage_names]
        rest = f"{_s(cb['seconds'] - sum(cb['stages'].values()))}"
        if cpu:
            rest += f" / {_s(cb['cpu_seconds'] - sum(cpu.values()))}"
        rows.append([f"{size:,}", *cells, rest, f"{_s(cb['seconds'])} / {_s(cb['cpu_seconds'])}"])
    out += ["### Casebook stages (s, wall / CPU; the plugin's Stopwatch; rest = MkDocs' "
            "read/render/write and untimed hooks)", "",
            table(["cases", *stage_names, "rest (MkDocs)", "total"], rows), ""]

    plugins = {(s, b): by_plugin(results[s][b]["hooks"]) for s in sizes
               for b in ("casebook", "plain")}
    hook_names = list(dict.fromkeys(k for hooks in plugins.values() for k in hooks))
    rows = []
    for size in sizes:
        for build in ("casebook", "plain"):
            r, hooks = results[size][build], plugins[(size, build)]
            rows.append([f"{size:,}", build]
                        + [_s(hooks[n]) if n in hooks else "—" for n in hook_names]
                        + [_s(r["phases"].get("read+convert", 0.0)),
                           _s(r["phases"].get("render+write", 0.0)), _s(r["seconds"])])
    out += ["### Where the time goes (s): plugin hooks by plugin; MkDocs' page loops "
            "(the hooks they call included)", "",
            table(["cases", "build", *[f"hooks: {n}" for n in hook_names],
                   "pages read+convert", "pages render+write", "total"], rows,
                  right=set(range(2, len(hook_names) + 5))), ""]

    events = list(dict.fromkeys(k.rpartition(":")[2] for s in sizes
                                for k in results[s]["casebook"]["hooks"]
                                if k.startswith("casebook:")))
    rows = [[f"{size:,}"] + [_s(results[size]["casebook"]["hooks"].get(f"casebook:{e}", 0.0))
                             for e in events] for size in sizes]
    out += ["### Casebook plugin hooks by event (s)", "",
            table(["cases", *[f"on_{e}" for e in events]], rows), ""]

    rows = []
    source = ""
    previous: dict[str, tuple[int, float, float]] = {}
    for size in sizes:
        cb, plain = results[size]["casebook"], results[size]["plain"]
        cells, growth, met = [], [], []
        for clock, total in (("wall", "seconds"), ("CPU", "cpu_seconds")):
            if not plain[total]:
                cells += ["—", "—"]
                continue
            search, how = search_seconds(cb, cpu=clock == "CPU")
            source = how if clock == "wall" else source
            pages = cb[total] - search
            pages_ratio, whole_ratio = pages / plain[total], cb[total] / plain[total]
            cells += [f"{_s(pages)} / {_s(plain[total])} = {pages_ratio:.2f}×",
                      f"{whole_ratio:.2f}×"]
            met.append(pages_ratio <= GOAL_PAGES and whole_ratio <= GOAL_WHOLE)
            if clock in previous:
                size0, cb0, plain0 = previous[clock]
                scale = size / size0
                growth.append(f"{clock} {cb[total] / cb0 / scale:.2f} / "
                              f"{plain[total] / plain0 / scale:.2f}")
            previous[clock] = (size, cb[total], plain[total])
        verdict = ("—" if size < GOAL_FROM else "met" if all(met)
                   else "**missed**" if not any(met) else "wall and CPU disagree")
        rows.append([f"{size:,}", *cells, "; ".join(growth) or "—",
                     f"{cb['load']:.1f} / {plain['load']:.1f}", verdict])
    out += ["### Goals (at 1,000 cases and more: pages ≤ 1.25× plain, whole build ≤ 2× plain, "
            "linear growth)", "",
            f"Search time taken off for \"pages only\": {source}. CPU time includes Pagefind's "
            "subprocess. Load = 1-minute load average at the end of the build (2 cores).", "",
            table(["cases", "pages only / plain (wall)", "whole / plain (wall)",
                   "pages only / plain (CPU)", "whole / plain (CPU)",
                   "per-case cost vs previous size, Casebook / plain (1.00 = linear)",
                   "load (Casebook / plain)", "goal"], rows), ""]

    return "\n".join(out)


# Issue 12's goals: at 1,000 cases and more.
GOAL_PREVIEW_S = 2.0
GOAL_TREE_CPU = 2.0
GOAL_PEAK_MB = 1500
GOAL_P95_MS = 100
GOAL_COLD_MS = 500
GOAL_HIT3, GOAL_MRR = 0.95, 0.9


def _verdict(met: bool | None) -> str:
    return "—" if met is None else "met" if met else "**missed**"


def goals_report(results: dict[int, dict], preview: dict | None, searches: dict[int, dict],
                 quality: dict | None) -> str:
    """One row per goal and size: the figure measured, the target, met or missed."""
    rows = []
    if preview:
        ours, plain = preview["casebook"], preview["plain"]
        rows.append(["1 preview: saved case shown", f"{preview['size']:,}",
                     f"{ours['page']:.2f} s (plain {plain['page']:.2f} s; listing pages "
                     f"{ours['list']:.1f} s, search {ours['search']:.1f} s)",
                     f"≤ {GOAL_PREVIEW_S:.0f} s and sooner than plain",
                     _verdict(ours["page"] <= GOAL_PREVIEW_S and ours["page"] < plain["page"])])
    previous = None
    for size, builds in sorted(results.items()):
        cb, plain = builds["casebook"], builds["plain"]
        at_goal = size >= GOAL_FROM
        ratio = cb["tree_cpu_seconds"] / plain["tree_cpu_seconds"]
        rows.append(["2 build CPU (process tree) / plain", f"{size:,}",
                     f"{_s(cb['tree_cpu_seconds'])} / {_s(plain['tree_cpu_seconds'])} s = "
                     f"{ratio:.2f}×", f"≤ {GOAL_TREE_CPU:.0f}×",
                     _verdict(ratio <= GOAL_TREE_CPU if at_goal else None)])
        if previous is not None:
            size0, cb0, plain0 = previous
            ours_growth = cb["tree_cpu_seconds"] / cb0 / (size / size0)
            plain_growth = plain["tree_cpu_seconds"] / plain0 / (size / size0)
            rows.append(["2 per-case CPU vs the size before (1.00 = linear)", f"{size:,}",
                         f"{ours_growth:.2f} (plain {plain_growth:.2f})", "≤ plain's",
                         _verdict(ours_growth <= plain_growth * 1.05 if at_goal else None)])
        previous = (size, cb["tree_cpu_seconds"], plain["tree_cpu_seconds"])
        rows.append(["3 peak memory of the build's process tree (PSS)", f"{size:,}",
                     f"{cb['tree_peak_mb']:,.0f} MB (plain {plain['tree_peak_mb']:,.0f} MB)"
                     + _peak_parts(cb.get("tree_peak_parts", [])),
                     f"≤ {GOAL_PEAK_MB:,} MB at 10,000",
                     _verdict(cb["tree_peak_mb"] <= GOAL_PEAK_MB if size >= 10000 else None)])
        found = searches.get(size)
        if found:
            rows.append(["4 Whoosh query p95 (AND / OR / filtered)", f"{size:,}",
                         " / ".join(f"{v:.0f}" for v in found["p95"]) + " ms",
                         f"≤ {GOAL_P95_MS} ms",
                         _verdict(max(found["p95"]) <= GOAL_P95_MS if at_goal else None)])
            rows.append(["4 `casebook search` cold start", f"{size:,}",
                         f"{found['cold_ms']:.0f} ms", f"≤ {GOAL_COLD_MS} ms",
                         _verdict(found["cold_ms"] <= GOAL_COLD_MS if at_goal else None)])
    if quality:
        for engine in ("browser", "CLI"):
            hit, mrr = quality[engine]
            rows.append([f"4 judged queries, {engine} (hit@3 / MRR)", "judged site",
                         f"{hit:.3f} / {mrr:.3f} ({quality['queries']} queries)",
                         f"≥ {GOAL_HIT3} / ≥ {GOAL_MRR}",
                         _verdict(hit >= GOAL_HIT3 and mrr >= GOAL_MRR)])
    rows.append(["5 progress lines, sitemap, 404 under a sub-path", "—",
                 "tests: test_build.py::test_a_build_says_what_it_has_done_stage_by_stage, "
                 "browser/test_browser_subpath.py", "stages and page counts; full sitemap; "
                 "working 404", "tested"])
    return "\n".join(["### Issue 12 goals", "",
                      table(["goal", "cases", "measured", "target", ""], rows, right=set()),
                      ""])


# --- the search goals -----------------------------------------------------------------------

def _bench_search():
    """bench/search.py (its module name would be the search package's)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_search", BENCH / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def whoosh_goals(project: Path) -> dict:
    """p95 ms of AND, OR and filtered queries, and the CLI's cold start, on the built index."""
    import random

    from casebook.vocabulary import load_vocabulary
    from search import open_index

    bench_search = _bench_search()
    vocabulary = load_vocabulary(project / "content" / "taxonomy.yml")
    index_dir = project / ".casebook-index"
    with open_index(index_dir, vocabulary) as index:
        kinds = bench_search.latency_samples(index, vocabulary, random.Random(7))
    return {"p95": [round(bench_search.p95(samples), 1) for samples, _ in kinds.values()],
            "cold_ms": bench_search.cold_start_ms(project, index_dir)}


def judged_quality(work: Path) -> dict:
    """hit@3 and MRR of the judged queries: in chromium (the site's search box) and the CLI."""
    from pagefind_spelling import build_judged_site, judged
    from playwright.sync_api import sync_playwright
    from serving import served

    from pipeline.load import load_library
    from search import memory_index
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.test_search_quality import JUDGED, cli_ranked, evaluate

    site = build_judged_site(work)
    library = load_library(site.parent)
    with memory_index(library.cases, library.vocabulary) as index:
        cli = evaluate(cli_ranked(index))
    with served(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        in_browser = judged(browser, url, "pagefind/", True)
        browser.close()
    return {"browser": in_browser[:2], "CLI": cli[:2], "queries": len(JUDGED)}


# --- main -----------------------------------------------------------------------------------

def checkout(ref: str, work: Path) -> Path:
    """A worktree of another revision, importable as that version of casebook."""
    target = work / f"baseline-code-{ref}"
    if not target.exists():
        subprocess.run(["git", "worktree", "prune"], cwd=REPO, capture_output=True)
        subprocess.run(["git", "worktree", "add", "--detach", str(target), ref], cwd=REPO,
                       check=True, capture_output=True)
        # The plugin package is installed as casebook_mkdocs from plugins/.
        (target / "casebook_mkdocs").symlink_to(target / "plugins")
    return target


def parse_sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def report_only(args: argparse.Namespace, command: str) -> int:
    """The tables of a kept run (`--keep DIR --report-only`), without building again."""
    if args.keep is None or not (args.keep / "results.json").is_file():
        log("--report-only needs --keep DIR holding the results.json of a run")
        return 2
    saved = json.loads((args.keep / "results.json").read_text("utf-8"))
    results = {int(size): builds for size, builds in saved["builds"].items()}
    searches = {int(size): found for size, found in saved["searches"].items()}
    quality = saved.get("quality")
    if quality is None and args.quality:
        quality = judged_quality(args.keep)
        saved["quality"] = quality
        (args.keep / "results.json").write_text(json.dumps(saved, indent=1), "utf-8")
    print(report(results, command))
    print(goals_report(results, saved.get("preview"), searches, quality))
    return 0


def _peak_parts(parts: list) -> str:
    """At the peak: "; build 1,207 + forked child 921 + … MB"."""
    if not parts:
        return ""
    return "; at the peak " + " + ".join(f"{name} {mb:,}" for name, mb in parts) + " MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_sizes, default=[100, 1000, 10000],
                        help="comma-separated corpus sizes (default 100,1000,10000)")
    parser.add_argument("--repeat", type=int,
                        help="builds per size, median reported (default 3; 1 from 10,000)")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--serve-size", type=int, default=1000,
                        help="cases for the `mkdocs serve` preview measurement; 0 skips it")
    parser.add_argument("--no-quality", dest="quality", action="store_false",
                        help="skip the judged queries in chromium and the CLI")
    parser.add_argument("--no-real-cases", dest="real_cases", action="store_false",
                        help="synthetic cases only (default: cases/ counts toward each size)")
    parser.add_argument("--profile", type=Path,
                        help="also profile one Casebook build per size (cProfile) into this folder")
    parser.add_argument("--baseline", metavar="REF",
                        help="also build with this git revision of casebook (a worktree in "
                             "the work folder), to compare before and after in one run")
    parser.add_argument("--report-only", action="store_true",
                        help="with --keep: print the tables of the runs in its results.json "
                             "(measuring the judged queries if that run did not get to them)")
    parser.add_argument("--child", choices=["build"], help=argparse.SUPPRESS)
    parser.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        result = child(args.child, args.project, args.profile)
        print(RESULT_MARK + json.dumps(result, ensure_ascii=False), flush=True)
        return 0

    command = " ".join([".venv/bin/python", "bench/build.py", *sys.argv[1:]])
    if args.report_only:
        return report_only(args, command)
    work = args.keep or Path(tempfile.mkdtemp(prefix="casebook-build-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    real = len(list((REPO / "cases").glob("*.md"))) if args.real_cases else 0
    baseline = checkout(args.baseline, work) if args.baseline else None
    results: dict[int, dict] = {}
    searches: dict[int, dict] = {}
    preview = quality = None
    try:
        for size in args.sizes:
            corpus = make_corpus(work, size, real, args.seed)
            projects = {"casebook": casebook_project(work / f"casebook-{size}", corpus,
                                                     args.real_cases),
                        "plain": plain_project(work / f"plain-{size}", corpus, args.real_cases)}
            if baseline is not None:
                projects["baseline"] = casebook_project(work / f"baseline-{size}", corpus,
                                                        args.real_cases, repo=baseline)
            repeat = args.repeat or (1 if size >= 10000 else 3)
            runs: dict[str, list[dict]] = {name: [] for name in projects}
            for number in range(repeat):
                for name, project in projects.items():  # interleaved, so drift hits both
                    code = baseline if name == "baseline" else REPO
                    result = run_child("build", project, code=code)
                    runs[name].append(result)
                    log(f"{size:>6} {name:<8} run {number + 1}/{repeat}: "
                        f"{result['first']['seconds']:.1f} s, "
                        f"{result['maxrss_kb'] / 1024:.0f} MB, {result['warnings']} warnings "
                        f"{json.dumps(result['first']['stages'])}")
            results[size] = {name: summarise(r) for name, r in runs.items()}
            searches[size] = whoosh_goals(projects["casebook"])
            log(f"{size:>6} Whoosh: p95 {searches[size]['p95']} ms, cold start "
                f"{searches[size]['cold_ms']:.0f} ms")
            if args.profile:
                args.profile.mkdir(parents=True, exist_ok=True)
                target = args.profile.resolve() / f"casebook-{size}.prof"
                run_child("build", projects["casebook"], target)
                log(f"profile written to {target}")
            if args.keep:
                (work / "results.json").write_text(json.dumps(results, indent=1), "utf-8")

        if args.serve_size:
            from preview import measure

            size = args.serve_size
            corpus = make_corpus(work, size, real, args.seed)
            preview = {"size": size}
            for name in ("casebook", "plain"):
                maker = casebook_project if name == "casebook" else plain_project
                project = maker(work / f"preview-{name}-{size}", corpus, args.real_cases)
                cases = project / "cases" if name == "casebook" else project / "content" / "cases"
                edits = measure(project, name, cases, 3, name == "plain")
                preview[name] = {key: statistics.median(e[key] for e in edits)
                                 for key in ("page", "list", "search")}
                log(f"preview {size} {name}: {preview[name]}")
        if args.quality:
            quality = judged_quality(work)
            log(f"judged queries: {quality}")
    finally:
        if args.keep:
            (work / "results.json").write_text(
                json.dumps({"builds": results, "searches": searches, "preview": preview,
                            "quality": quality}, indent=1), "utf-8")
        else:
            shutil.rmtree(work, ignore_errors=True)
            if baseline is not None:
                subprocess.run(["git", "worktree", "prune"], cwd=REPO, capture_output=True)

    for size, builds in results.items():
        for name, r in builds.items():
            for message in r["warning_samples"]:
                log(f"warning ({name}, {size}): {message[:200]}")
    print(report(results, command))
    print(goals_report(results, preview, searches, quality))
    return 0


if __name__ == "__main__":
    sys.exit(main())
