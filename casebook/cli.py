"""The `casebook` command: check the project, and (with the search package) index and search it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from casebook.problems import CheckError
from casebook.reader import load_library


def _check(args: argparse.Namespace) -> int:
    try:
        library = load_library(Path(args.root), drafts=True)
    except CheckError as error:
        print(error.report(), file=sys.stderr)
        return 1
    drafts = sum(1 for c in library.cases if c.is_draft)
    print(f"ok: {len(library.cases)} cases ({drafts} drafts), {len(library.guides)} guides, "
          "no problems found")
    return 0


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="casebook", description="伴走支援ケースブック: check, index and search case studies"
    )
    sub = main_parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check every case and guide without building the site")
    check.add_argument("--root", default=".", help="project folder (holds cases/ and content/)")
    check.set_defaults(run=_check)
    from search.cli import register  # index, search, related

    register(sub)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
