"""Profile of the "pages + related" stage of a site build: where its CPU goes, by function.

    .venv/bin/python bench/profile_pages.py /tmp/bench/casebook-10000/mkdocs.yml

Builds the project (Pagefind off, the Whoosh index into a temporary folder) with cProfile
switched on only while the pages are made: the related-case finder, `site_pages`, the
curriculum pages and the link and address checks. Prints the top functions by cumulative and
by own time. The stage grows faster than the number of cases (bench/README.md, 2026-12-04).
"""

from __future__ import annotations

import cProfile
import functools
import os
import pstats
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # after bench/ (first on the path): bench/search.py shadows search

import pipeline.build as build_module  # noqa: E402
from tests.building import build_site  # noqa: E402

PROFILED = ("site_pages", "curriculum_pages", "check_links", "check_addresses")


def profiled(profile: cProfile.Profile, function):
    @functools.wraps(function)
    def run(*args, **kwargs):
        profile.enable()
        try:
            return function(*args, **kwargs)
        finally:
            profile.disable()
    return run


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    profile = cProfile.Profile()
    for name in PROFILED:
        setattr(build_module, name, profiled(profile, getattr(build_module, name)))
    build_module.Build.related_finder = profiled(profile, build_module.Build.related_finder)
    with tempfile.TemporaryDirectory(prefix="casebook-profile-") as work:
        os.environ["CASEBOOK_INDEX_DIR"] = str(Path(work) / "index")
        build_site(Path(sys.argv[1]), site_dir=Path(work) / "site", search_pagefind=False)
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
