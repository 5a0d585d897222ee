"""`casebook index`, `casebook search` and `casebook related`: subcommands for casebook's CLI.

Heavy imports (Whoosh, Sudachi, the reader) happen inside the handlers, so that `casebook
check` and `casebook --help` do not pay for them.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

INDEX_DIR = ".casebook-index"
# Facets a search can be narrowed by, as --wall 見えない --industry E …
FILTER_OPTIONS = ("wall", "approach", "theme", "industry", "supporter", "prefecture",
                  "employees", "skill", "step", "kind")
MODE_NOTES = {
    "or": "すべての語を含む事例が少ないため、いずれかの語を含む事例も表示しています",
    "bigram": "語として一致する事例がないため、文字の並びが一致する事例を表示しています",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the search subcommands to the `casebook` command."""
    index = subparsers.add_parser("index", help="rebuild the search index (no site build)")
    _common(index)
    index.add_argument("--drafts", action="store_true", help="include status: draft cases")
    index.add_argument("--procs", type=int, default=1,
                       help="writer processes (2 halves the build of thousands of cases)")
    index.set_defaults(run=run_index)

    search = subparsers.add_parser("search", help="search the cases, e.g. 資金繰り 場当たり")
    _common(search)
    search.add_argument("query", nargs="*", help="words to search for (all must match)")
    for facet in FILTER_OPTIONS:
        search.add_argument(f"--{facet}", action="append", default=[], metavar="TERM",
                            help=f"only cases with this {facet} (label, code or synonym; "
                                 "repeat for either of several)")
    search.add_argument("--limit", type=int, default=10, help="how many cases to show")
    search.add_argument("--json", action="store_true", help="print the hits as a JSON array")
    search.set_defaults(run=run_search)

    related = subparsers.add_parser("related", help="cases related to a case, with the reason")
    _common(related)
    related.add_argument("case_id", metavar="ID", help="the case's id, e.g. a-parts")
    related.add_argument("--limit", type=int, default=5, help="how many cases to show")
    related.add_argument("--json", action="store_true", help="print them as a JSON array")
    related.set_defaults(run=run_related)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", default=".", help="project folder (holds cases/ and content/)")
    parser.add_argument("--index", default=None,
                        help=f"index folder (default: <root>/{INDEX_DIR})")


def _index_dir(args: argparse.Namespace) -> Path:
    return Path(args.index) if args.index else Path(args.root) / INDEX_DIR


def _fail(command: str, message: str) -> int:
    print(f"casebook {command}: {message}", file=sys.stderr)
    return 2


def run_index(args: argparse.Namespace) -> int:
    from casebook.problems import CheckError
    from casebook.reader import load_library
    from search import SearchError, build_index

    try:
        library = load_library(Path(args.root), drafts=args.drafts)
    except CheckError as error:
        print(error.report(), file=sys.stderr)
        return 1
    try:
        stats = build_index(library.cases, _index_dir(args), drafts=args.drafts,
                            procs=args.procs)
    except SearchError as error:
        return _fail("index", str(error))
    print(f"indexed {stats.documents} cases into {stats.directory} "
          f"({stats.size_bytes / 1024:.0f} KB, {stats.seconds:.1f} s)")
    return 0


def _vocabulary(root: Path):
    """The project's vocabulary if it can be read, else None (filters then take slugs)."""
    from casebook.problems import CheckError
    from casebook.reader import ProjectPaths
    from casebook.vocabulary import load_vocabulary

    paths = ProjectPaths(root)
    try:
        return load_vocabulary(paths.path("taxonomy"), display=paths.taxonomy)
    except CheckError:
        return None


def run_search(args: argparse.Namespace) -> int:
    from search import SearchError, open_index

    text = " ".join(args.query)
    if not text.strip():
        return _fail("search", "empty query: give words to search for, "
                               "e.g. casebook search 資金繰り 場当たり")
    filters = {facet: getattr(args, facet) for facet in FILTER_OPTIONS if getattr(args, facet)}
    vocabulary = _vocabulary(Path(args.root))
    try:
        with open_index(_index_dir(args), vocabulary) as index:
            results = index.search(text, filters=filters, limit=args.limit)
            labels = index.labels
    except SearchError as error:
        return _fail("search", str(error))
    if args.json:
        print(json.dumps([h.to_dict() for h in results.hits], ensure_ascii=False, indent=1))
        return 0
    print(_results_table(results, vocabulary, labels))
    return 0


def _results_table(results, vocabulary, labels) -> str:
    head = f"「{results.query}」: {results.total} 件"
    if results.total > len(results.hits):
        head += f"（上位 {len(results.hits)} 件を表示）"
    lines = [head]
    if results.mode in MODE_NOTES:
        lines.append(f"※ {MODE_NOTES[results.mode]}")
    if not results.hits:
        return "\n".join(lines)
    rows = [("事例", "タイトル", "該当する分類")]
    rows += [(h.alias, h.title, "・".join(m.label for m in h.matched)) for h in results.hits]
    widths = [max(_width(row[i]) for row in rows) for i in range(2)]
    lines.append("")
    for number, row in enumerate(rows):
        cells = [_pad(row[0], widths[0]), _pad(row[1], widths[1]), row[2]]
        lines.append("  ".join(cells).rstrip())
        if number:
            lines.append(" " * (widths[0] + 2) + results.hits[number - 1].snippet)
    counts = _counts_line(results.facet_counts, vocabulary, labels)
    if counts:
        lines += ["", counts]
    return "\n".join(lines)


def _counts_line(counts, vocabulary, labels) -> str:
    parts = []
    for facet in ("wall", "approach", "industry", "theme"):
        if facet not in counts:
            continue
        name = vocabulary[facet].label if vocabulary and facet in vocabulary else facet
        names = labels.get(facet, {})
        terms = " ".join(f"{names.get(slug, slug)}({n})" for slug, n in counts[facet].items())
        parts.append(f"{name}: {terms}")
    return "絞り込み — " + " / ".join(parts) if parts else ""


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def run_related(args: argparse.Namespace) -> int:
    from casebook.problems import CheckError
    from casebook.reader import load_library
    from casebook.related import DEFAULT_WEIGHTS, RelatedFinder
    from search import IndexMissing, open_index

    try:
        library = load_library(Path(args.root))
    except CheckError as error:
        print(error.report(), file=sys.stderr)
        return 1
    try:
        case = library.case(args.case_id)
    except KeyError as error:
        return _fail("related", error.args[0])
    try:
        index = open_index(_index_dir(args))
    except IndexMissing as error:
        print(f"casebook related: comparing tags only ({error})", file=sys.stderr)
        index = None
    finder = RelatedFinder(library.cases, DEFAULT_WEIGHTS, index.similarity if index else None)
    found = finder.related(case, args.limit)
    if index is not None:
        index.close()
    if args.json:
        print(json.dumps([
            {"id": r.case.id, "alias": r.case.alias, "title": r.case.title, "url": r.case.url,
             "score": r.score, "shared": [{"facet": t.facet, "slug": t.slug, "label": t.label}
                                          for t in r.shared], "reason": r.reason}
            for r in found
        ], ensure_ascii=False, indent=1))
        return 0
    print(f"{case.alias} {case.title} に関連する事例: {len(found)} 件")
    for r in found:
        print(f"  {r.case.alias}  {r.case.title}  ({r.score:g})\n      {r.reason}")
    return 0
