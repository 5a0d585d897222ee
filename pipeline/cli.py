"""The `casebook` command: check the project, write the search index, search it, relate cases.

It reads the project's `mkdocs.yml` (the casebook plugin's options: folders, index, related-case
weights) and runs the same pipeline as the site build, so `casebook related` lists what a case
page lists and `casebook check` finds what a build would stop on. Heavy imports (Whoosh,
Sudachi) happen inside the commands, so `casebook --help` is quick.

Exit codes: 0 done, 1 the project has problems (each printed as file:line: field: …),
2 the command was used wrongly (an unknown filter value, a missing index …).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import unicodedata
from pathlib import Path

from casebook.facets import BROWSER_FILTERS, FILTERABLE
from pipeline.authoring import add_commands, add_fix_options, proposal_lines, run_fixes
from pipeline.options import CONFIG, from_arguments

# Facets a search can be narrowed by, as --wall 見えない --industry E …
FILTER_OPTIONS = FILTERABLE
MODE_NOTES = {
    "or": "すべての語を含む事例が少ないため、いずれかの語を含む事例も表示しています",
    "bigram": "語として一致する事例がないため、文字の並びが一致する事例を表示しています",
}

def _count(text: str) -> int:
    """--limit: a whole number of 1 or more (-1 listed all but one; 0 printed 0 件)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value

def printable(text: str) -> str:
    """Text safe to print on a terminal: control characters shown as escapes, never sent."""
    from casebook.sources import CONTROL

    return CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


def say(text: str = "", *, error: bool = False) -> None:
    print(printable(text), file=sys.stderr if error else sys.stdout)


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="casebook", description="伴走支援ケースブック: check, index and search case studies")
    sub = main_parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="check every case and guide without building the site")
    _common(check)
    add_fix_options(check)
    check.set_defaults(run=run_check)
    add_commands(sub, _common, say)

    index = sub.add_parser("index", help="rebuild the search index (no site build)")
    _common(index)
    index.add_argument("--index", default=None, help="index folder (default: mkdocs.yml's)")
    index.add_argument("--drafts", action="store_true", help="include status: draft cases")
    index.add_argument("--procs", type=int, default=1,
                       help="writer processes (2 halves the build of thousands of cases)")
    index.set_defaults(run=run_index)

    search = sub.add_parser("search", help="search the cases, e.g. 資金繰り 場当たり")
    _common(search)
    search.add_argument("--index", default=None, help="index folder (default: mkdocs.yml's)")
    search.add_argument("query", nargs="*", help="words to search for (all must match)")
    for facet in FILTER_OPTIONS:
        search.add_argument(f"--{facet}", action="append", default=[], metavar="TERM",
                            help=f"only cases with this {facet} (label, code or synonym; "
                                 "repeat for either of several)")
    search.add_argument("--limit", type=_count, default=10, help="how many cases to show")
    search.add_argument("--json", action="store_true", help="print the hits as a JSON array")
    search.set_defaults(run=run_search)

    related = sub.add_parser("related", help="cases related to a case, with the reason")
    _common(related)
    related.add_argument("case_id", metavar="ID", help="the case's id, e.g. a-precision-parts")
    related.add_argument("--limit", type=_count, default=None,
                         help="how many cases to show (default: as many as a case page)")
    related.add_argument("--json", action="store_true", help="print them as a JSON array")
    related.set_defaults(run=run_related)

    prep = sub.add_parser("prep", help="before a hearing: similar precedents, likely walls, "
                                       "what to ask (e.g. --industry 卸売 \"研修講師を…\")")
    _common(prep)
    prep.add_argument("text", nargs="*", help="the owner's request, in their own words")
    prep.add_argument("--industry", help="業種 (label, JSIC code or synonym: 卸売, I …)")
    prep.add_argument("--employees", help="従業員規模 (21-50, or a head count: 30)")
    prep.add_argument("--prefecture", help="都道府県 (新潟県, 新潟 …)")
    prep.add_argument("--theme", action="append", default=[], metavar="THEME",
                      help="相談テーマ (repeat for several)")
    prep.add_argument("--wall", action="append", default=[], metavar="WALL",
                      help="a wall you already suspect (repeat for several)")
    prep.add_argument("--limit", type=_count, default=5, help="how many precedents to show")
    shape = prep.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print the sheet as JSON")
    shape.add_argument("--markdown", action="store_true",
                       help="print the sheet as Markdown, to paste or print")
    prep.set_defaults(run=run_prep)
    return main_parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", default=".", help="project folder (holds mkdocs.yml)")
    parser.add_argument("-f", "--config-file", default=None,
                        help=f"the site's configuration (default: <root>/{CONFIG})")


def _prepared(args: argparse.Namespace, *, drafts: bool | None = None,
              command: str = "check"):
    """A `Build` that has read and checked the project; None (problems printed) if it fails."""
    from casebook.problems import CheckError
    from pipeline.build import Build

    options = from_arguments(args)
    if drafts is not None:
        options.drafts = drafts
    build = Build(options, command=command)
    try:
        build.prepare()
    except CheckError as error:
        say(error.report(), error=True)
        if command == "check":
            for line in proposal_lines(error.problems, options.root):
                say(line, error=True)
        return None
    for warning in build.warnings:
        say(f"warning: {warning}", error=True)
    return build


def _fail(command: str, message: str) -> int:
    say(f"casebook {command}: {message}", error=True)
    return 2


def run_check(args: argparse.Namespace) -> int:
    if args.fix and not run_fixes(args, say):
        return 1
    build = _prepared(args)
    if build is None:
        return 1
    library = build.library
    drafts = sum(1 for c in library.cases if c.is_draft)
    say(f"ok: {len(library.cases)} cases ({drafts} drafts), {len(library.guides)} guides, "
        f"{len(library.curricula)} curricula, no problems found")
    return 0


def _index_dir(args: argparse.Namespace) -> Path:
    if args.index:
        return Path(args.index)
    options = from_arguments(args)
    return options.path(options.search_index_dir)


def run_index(args: argparse.Namespace) -> int:
    from search import SearchError

    build = _prepared(args, drafts=args.drafts, command="index")
    if build is None:
        return 1
    try:
        stats = build.write_index(_index_dir(args), drafts=args.drafts, procs=args.procs)
    except SearchError as error:
        return _fail("index", str(error))
    except OSError as error:
        return _fail("index", f"cannot write the index in {_index_dir(args)}: "
                              f"{error.strerror}")
    say(f"indexed {stats.documents} cases into {stats.directory} "
        f"({stats.size_bytes / 1024:.0f} KB, {stats.seconds:.1f} s)")
    return 0


def _vocabulary(args: argparse.Namespace):
    """The project's vocabulary if it can be read, else None (filters then take slugs)."""
    from casebook.problems import CheckError
    from casebook.vocabulary import load_vocabulary

    options = from_arguments(args)
    try:
        return load_vocabulary(options.path(options.taxonomy), display=options.taxonomy)
    except CheckError:
        return None


def run_search(args: argparse.Namespace) -> int:
    from search import SearchError, open_index

    text = " ".join(args.query)
    if not text.strip():
        return _fail("search", "empty query: give words to search for, "
                               "e.g. casebook search 資金繰り 場当たり")
    filters = {facet: getattr(args, facet) for facet in FILTER_OPTIONS if getattr(args, facet)}
    vocabulary = _vocabulary(args)
    from search.index import DAMAGE, damaged

    try:
        with open_index(_index_dir(args), vocabulary) as index:
            results = index.search(text, filters=filters, limit=args.limit)
            labels = index.labels
    except SearchError as error:
        return _fail("search", str(error))
    except DAMAGE as error:  # a part the first look did not read
        return _fail("search", str(damaged(_index_dir(args), error)))
    if args.json:
        print(json.dumps([h.to_dict() for h in results.hits], ensure_ascii=False, indent=1))
        return 0
    say(_results_table(results, vocabulary, labels))
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
    for facet in BROWSER_FILTERS:  # the facets the site's search offers as filters
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
    from casebook.urls import page_url

    build = _prepared(args, drafts=False, command="related")
    if build is None:
        return 1
    try:
        case = build.library.case(args.case_id)
    except KeyError as error:
        return _fail("related", error.args[0])
    limit = args.limit if args.limit is not None else build.options.related_limit
    found = build.related_finder().related(case, limit)
    if args.json:
        print(json.dumps([
            {"id": r.case.id, "alias": r.case.alias, "title": r.case.title,
             "url": page_url(r.case.src_uri, build.options.use_directory_urls),
             "score": r.score,
             "shared": [{"facet": t.facet, "slug": t.slug, "label": t.label} for t in r.shared],
             "reason": r.reason}
            for r in found
        ], ensure_ascii=False, indent=1))
        return 0
    say(f"{case.alias} {case.title} に関連する事例: {len(found)} 件")
    for r in found:
        say(f"  {r.case.alias}  {r.case.title}  ({r.score:g})\n      {r.reason}")
    return 0


def run_prep(args: argparse.Namespace) -> int:
    from casebook.prep import ProfileError, make_profile, prep_index, prep_sheet, sheet_markdown

    vocabulary = _vocabulary(args)
    if vocabulary is None:  # the check below reports what is wrong with it
        build = _prepared(args, drafts=False, command="check")
        return 1 if build is None else _fail("prep", "cannot read the vocabulary")
    try:
        profile = make_profile(vocabulary, industry=args.industry, employees=args.employees,
                               prefecture=args.prefecture, themes=args.theme, walls=args.wall,
                               text=" ".join(args.text))
    except ProfileError as error:
        for message in error.messages:
            say(f"casebook prep: {message}", error=True)
        return 2
    if profile.empty:
        return _fail("prep", "describe the client: the request in their words and/or "
                             "--industry, --employees, --theme … (see casebook prep --help)")
    # A check, not a site build: published cases only, no search data.
    build = _prepared(args, drafts=False, command="check")
    if build is None:
        return 1
    index = prep_index(build.library, build.options.use_directory_urls)
    sheet = prep_sheet(index, profile, args.limit)
    # Links that work from a note or a printout when the site's address is known.
    site_url = build.options.site_url or ""
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    if args.json:
        print(json.dumps(sheet.to_dict(site_url), ensure_ascii=False, indent=1))
    elif args.markdown:
        say(sheet_markdown(sheet, site_url).rstrip())
    else:
        say(_prep_text(sheet))
    return 0


def _prep_text(sheet) -> str:
    lines = [f"似ている先行事例: {len(sheet.cases)} 件"]
    for number, hit in enumerate(sheet.cases, 1):
        lines.append(f"{number}. {hit.case.alias}  {hit.case.title}  ({hit.score:g})")
        lines += [f"     - {reason}" for reason in hit.reasons]
    if sheet.walls:
        lines += ["", "背景にありそうな壁:"]
        for wall in sheet.walls:
            lines.append(f"  {wall.guide.label}: {'／'.join(wall.why)}")
    lines += ["", "準備シート全体: --markdown（貼り付け・印刷用）または --json"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from pipeline.options import OptionsError

    try:
        return args.run(args)
    except (OptionsError, FileNotFoundError) as error:
        return _fail(args.command, str(error))
    except BrokenPipeError:  # `casebook search … | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
