"""One build, top to bottom: load → check → library → pages → outputs.

    build = Build(options)
    pages = build.prepare(site_dir)   # read, parse, check, scan; every page; links checked;
                                      # the Whoosh index and Pagefind's copies start meanwhile
    for page in pages: ...            # the site engine writes each page …
        build.page_written(path, html)    # … and hands it back as written
    build.finish(site_dir)            # cases.json, prep-data.js, the drills' JSON (and
                                      # Moodle XML) through the output gate; Pagefind's
                                      # bundle; the index written
    build.commit()                    # the index in place (once the site is)

Every output reads the parsed library; nothing here re-reads a Markdown file. `prepare` raises
`CheckError` with every problem before anything is written. The background processes are the
build's own: `cancel()` ends them (a failed or interrupted build), and they end by themselves if
the build's process dies.

Memory (a 10,000-case build's whole process tree, bench/README.md): the two background
processes are forked before anything is read and fed their data one item at a time (a child
forked later keeps most of the build's heap as its own); each page's HTML is kept compressed
until the site engine writes it (casebook/packed.py); what was handed to a child or is needed
no more (index documents, each file's nouns and keyword counts, search copies) is let go of.

The MkDocs plugin (plugins/plugin.py) calls these from its hooks; the `casebook` command
(pipeline/cli.py) calls `prepare` to check and the index stage to write the Whoosh index.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import json
import logging
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from casebook.curriculum_pages import curriculum_pages
from casebook.html import Markup
from casebook.library import Library
from casebook.links import check_addresses, check_links
from casebook.model import Case
from casebook.moodle import moodle_files
from casebook.packed import packed_pages
from casebook.pages import Cards, Page, case_page, guide_page, site_pages
from casebook.practice import practice_files, practice_pages, practice_questions
from casebook.prep import prep_index
from casebook.prep_data import prep_files
from casebook.problems import CheckError, Problem, closest
from casebook.related import DEFAULT_WEIGHTS, Related, RelatedFinder
from casebook.urls import dest_path, page_url
from pipeline.gate import OutputGate
from pipeline.history import stamp_dates
from pipeline.load import Loaded, ReadCache, load, reread
from pipeline.memory import give_back
from pipeline.options import BuildOptions
from pipeline.sitedir import SWAP_LOCK, replace_folder
from pipeline.timing import Stopwatch
from pipeline.workers import BACKGROUND_NICENESS, Background, Child, WorkerError, can_fork
from search import leftovers
from search.errors import SearchError
from search.index import (
    IndexEntry,
    IndexStats,
    build_index,
    check_replaceable,
    index_entries,
    index_entries_of,
    put_in_place,
    throw_away,
)
from search.pagefind import (
    BUNDLE_DIR,
    PagefindError,
    PagefindStats,
    SiteIndexer,
    SpellingVariants,
    page_copy,
    term_names,
)
from search.similarity import KeywordSimilarity

log = logging.getLogger("casebook")

# `mkdocs serve`: one Pagefind run at a time (a cancelled one may still be running; they share
# the cache of respelt pages).
_PAGEFIND_LOCK = threading.Lock()
# What would be markup in a site setting the theme prints unescaped (site_name and the like).
_MARKUP = re.compile(r"[<>&\"]")

# Every so many pages written, the memory of those let go of is given back (pipeline/memory.py).
GIVE_BACK_PAGES = 500


class OutputError(Exception):
    """An output (the Whoosh index, Pagefind's bundle) could not be written."""


# Where cases.json goes in the site: the public facts of every case, for in-browser tools.
CASES_JSON = "assets/casebook/cases.json"


@dataclass
class Caches:
    """What `mkdocs serve` keeps between rebuilds."""

    read: ReadCache = field(default_factory=ReadCache)
    pagefind: dict = field(default_factory=dict)


class Build:
    """One build of the site (or one check of the project)."""

    def __init__(self, options: BuildOptions, *, command: str = "build",
                 caches: Caches | None = None,
                 progress: Callable[[str], None] | None = None) -> None:
        self.options = options
        self.command = command
        self.caches = caches
        # Told each stage as it ends, in words a person follows a long build by.
        self.progress = progress or (lambda message: None)
        self.timings = Stopwatch()
        self.loaded: Loaded | None = None
        self.pages: list[Page] = []
        self._index: Background | None = None
        self._pagefind: Child | None = None
        self._gate: OutputGate | None = None
        self._staged_index: IndexStats | None = None
        self._related: dict[str, list[Related]] = {}  # each case's, as its page shows them
        self._cancelled: threading.Event | None = None  # serve: stops search_in_background
        self._search_thread: threading.Thread | None = None
        self._practice: dict | None = None  # drill name -> questions (casebook/practice.py)
        self._noun_pairs: list[tuple[str, str]] | None = None
        self.written = 0  # pages the site engine has written (page_written)

    @property
    def drafts(self) -> bool:
        return self.options.drafts if self.options.drafts is not None else \
            self.command in ("serve", "check")

    @property
    def library(self) -> Library:
        assert self.loaded is not None and self.loaded.library is not None
        return self.loaded.library

    @property
    def warnings(self) -> list[str]:
        return self.loaded.warnings if self.loaded is not None else []

    # --- load, check, pages -------------------------------------------------------------

    def prepare(self, site_dir: Path | None = None) -> list[Page]:
        """Read and check everything and make every page; CheckError lists all problems.

        With `site_dir` (a site build), each output starts in the background as soon as what
        it needs is ready: the Whoosh index once the files are read, Pagefind's copies once
        the pages are made.
        """
        self.cancel()
        self.check_options()
        try:
            return self._prepare(site_dir)
        except BaseException:
            self.cancel()  # the children started early, with nothing to do now
            raise

    def _prepare(self, site_dir: Path | None) -> list[Page]:
        self._noun_pairs = None
        if site_dir is not None:
            # Forked now, while this process holds little more than its imports: a child
            # keeps most of the heap it was forked with (pipeline/workers.py).
            self.start_children(Path(site_dir))
        with self.timings.stage("read+check"):
            # A check needs no search data; related cases (`casebook related`) and every
            # output do.
            self.loaded = load(self.options, drafts=self.drafts,
                               search=self.command != "check",
                               cache=self.caches.read if self.caches else None)
            self.loaded.problems += self.schema_upkeep()
            self.loaded.problems += self.drafts_option()
            self.loaded.raise_problems()
        self.progress(f"read and checked {len(self.library.cases):,} cases and "
                      f"{len(self.library.guides):,} guides "
                      f"({self.timings.seconds['read+check']:.1f} s)")
        if site_dir is not None:
            self.feed_index()
            self.noun_pairs()  # the files' own sets let go of before the pages are made
            give_back()
        # A site build holds every page until the site engine writes it: compressed until
        # then (casebook/packed.py). Not in `mkdocs serve`, whose preview is made at once.
        packing = packed_pages() if site_dir is not None and self.command == "build" \
            else contextlib.nullcontext()
        with self.timings.stage("pages+related"), packing:
            finder = self.related_finder()

            def related(case: Case) -> list[Related]:
                self._related[case.id] = self.related(finder, case)
                return self._related[case.id]

            self.pages = site_pages(self.library, related, self.options.use_directory_urls)
            self.pages += self.practice_pages()
            self.pages += curriculum_pages(self.library, Cards(self.library,
                                                               self.options.use_directory_urls),
                                           trainer=self.options.trainer)
            problems = check_links(self.library, self.pages, set(self.loaded.assets))
            problems += check_addresses(self.library, self.pages)
        if site_dir is not None and self.caches is None:
            for result in self.loaded.results:  # the related cases are found: let go of them
                result.search.terms = None
        if site_dir is not None:
            stamp_dates(self.pages, self.library, self.options.root,
                        (self.options.docs_dir, self.options.cases_dir))
        if problems:
            raise CheckError(problems)
        self.progress(f"made {len(self.pages):,} pages and checked their links "
                      f"({self.timings.seconds['pages+related']:.1f} s)")
        if site_dir is not None:
            self.feed_pagefind()
            give_back()
        return self.pages

    def drafts_option(self) -> list[Problem]:
        """`drafts: true` in a site build is refused while there are drafts: they would be
        listed on the term pages, the matrix and the case list of a site anyone may read
        (MkDocs writes no page for a draft, so each would be a dead link). `mkdocs serve`
        shows drafts without the option; `casebook check` reports what the build would."""
        if self.command not in ("build", "check") or not self.options.drafts:
            return []
        drafts = sorted(r.job.display for r in self.loaded.results
                        if any(d is not None and d.is_draft
                               for d in (r.case, r.guide, r.curriculum)))
        if not drafts:
            return []
        shown = ", ".join(drafts[:5]) + (f" and {len(drafts) - 5} more" if len(drafts) > 5
                                         else "")
        count = f"{len(drafts)} draft{'s' if len(drafts) != 1 else ''}"
        return [Problem("mkdocs.yml", 0, "drafts", (
            f"'drafts: true' in the casebook plugin's options would publish {count} "
            f"(status: draft) in this {self.options.edition} build: {shown}. Remove the "
            "option (`mkdocs serve` shows drafts without it) or set status: published in "
            "each file that is ready"), "true")]

    def schema_upkeep(self) -> list[Problem]:
        """The editor's schemas kept current: a site build rewrites them, `casebook check`
        reports a stale one (pipeline/authoring.py). The curriculum's lists the published
        cases and guides, so it is only made from a project without problems."""
        from casebook.editor_schema import CURRICULUM_SCHEMA, schema_texts
        from pipeline.authoring import cases_and_guides, stale_schema, write_schema

        loaded = self.loaded
        if loaded.vocabulary is None:
            return []
        texts = schema_texts(loaded.vocabulary,
                             *(() if loaded.problems else cases_and_guides(loaded)))
        if self.command == "check":
            # A stale case schema means the vocabulary changed under it: an error. The
            # curriculum's goes stale whenever a case is published or retitled; that is a
            # warning, or every new case would fail `check` until the schema is rewritten.
            stale = stale_schema(self.options, texts)
            loaded.warnings += [f"{p.path}: {p.message}" for p in stale
                                if p.path == CURRICULUM_SCHEMA]
            return [p for p in stale if p.path != CURRICULUM_SCHEMA]
        if self.command in ("build", "serve"):
            write_schema(self.options, texts)
        return []

    def preview(self) -> list[Page]:
        """The pages of the cases and guides edited since this build read them, made at once
        from this build's library (`mkdocs serve` shows them before the whole rebuild).

        Empty when nothing was edited, or when something a page alone cannot show changed:
        a file added or removed, the vocabulary, the deny-list, a problem in an edited file.
        The whole rebuild follows in every case and reports what is wrong. The edited page
        shows the related cases of this build; pages that list it follow with the rebuild.
        """
        if self.caches is None or self.loaded is None or self.loaded.library is None:
            return []
        results = reread(self.options, self.caches.read, self.loaded.assets)
        if not results or any(r.problems for r in results):
            return []
        library = self.library
        cases = {c.src_uri: c for c in library.cases}
        guides = {g.src_uri: g for g in library.guides}
        for result in results:
            old = cases.get(result.case.src_uri) if result.case is not None else None
            if old is not None and old.id == result.case.id:
                cases[result.case.src_uri] = result.case
            elif result.guide is not None and result.guide.src_uri in guides:
                guides[result.guide.src_uri] = result.guide
            else:  # a new id, or a page this build did not publish (a draft)
                return []
        library = Library(library.vocabulary, list(cases.values()), list(guides.values()),
                          drafts=library.drafts, curricula=library.curricula)
        directory_urls = self.options.use_directory_urls
        pages = []
        for result in results:
            if result.case is not None:
                pages.append(case_page(result.case, library,
                                       self._related.get(result.case.id, []), directory_urls))
            else:
                pages.append(guide_page(result.guide, library, Cards(library, directory_urls)))
        return pages

    def practice_pages(self) -> list[Page]:
        """The drills' pages; their questions are kept for the JSON `finish` writes."""
        self._practice = practice_questions(self.library)
        return practice_pages(self.library, self.options.use_directory_urls, self._practice,
                              moodle=self.options.practice_moodle)

    def related_finder(self) -> RelatedFinder:
        weights = {**DEFAULT_WEIGHTS, **self.options.related_weights}
        shown = {case.id for case in self.library.cases if not case.is_draft}
        keywords = KeywordSimilarity({
            r.case.id: r.search.terms for r in self.loaded.results
            if r.case is not None and r.case.id in shown and r.search.terms is not None})
        return RelatedFinder(self.library.cases, weights, keywords.similarity)

    def related(self, finder: RelatedFinder, case: Case) -> list[Related]:
        if case.is_draft:
            return []
        return finder.related(case, self.options.related_limit)

    # --- outputs ------------------------------------------------------------------------

    @property
    def index_dir(self) -> Path:
        return self.options.path(self.options.search_index_dir)

    def check_options(self) -> None:
        """What can be known to fail before anything is read or written: an unknown facet in
        related_weights, a folder in the index's place that is not an index."""
        problems = []
        known = list(DEFAULT_WEIGHTS)
        for key in self.options.related_weights:
            if key not in known:
                problems.append(Problem("mkdocs.yml", 0, "related_weights",
                                        f"unknown facet '{key}'", key, closest(key, known)))
        for key in ("site_name", "site_description"):
            value = getattr(self.options, key)
            if isinstance(value, str) and (markup := _MARKUP.search(value)):
                problems.append(Problem("mkdocs.yml", 0, key, f"'{markup.group()}' in "
                                        f"'{value}': the theme prints this value into every "
                                        "page as HTML: write plain text", value))
        try:
            check_replaceable(self.index_dir)
        except SearchError as error:
            problems.append(Problem("mkdocs.yml", 0, "search_index_dir", str(error)))
        if problems:
            raise CheckError(problems)

    def write_index(self, directory: Path | None = None, *, drafts: bool = False,
                    procs: int = 1) -> IndexStats:
        """The Whoosh index alone (`casebook index`), in place at once."""
        documents = {r.case.id: r.search.index_document for r in self.loaded.results
                     if r.case is not None and r.search.index_document is not None}
        cases = self.library.cases if drafts else self.library.published
        return build_index(cases, directory or self.index_dir, drafts=drafts, procs=procs,
                           documents=documents)

    def start_children(self, site_dir: Path) -> None:
        """Fork the background processes of a site build before anything is read; each is
        fed its data once it is made (`feed_index`, `feed_pagefind`)."""
        from casebook.japanese import tokenizer

        tokenizer()  # the dictionary, shared with the children instead of loaded in each
        # A build's at the build's priority: it must be done before Pagefind runs, or its
        # memory adds to Pagefind's at the peak (niced, it ran to the end of a 10,000-case
        # build). `mkdocs serve` keeps it niced: the edited page is shown first.
        self._index = Background(_write_index, self.index_dir, os.getpid(), fed=True,
                                 niceness=0 if self.command == "build" else
                                 BACKGROUND_NICENESS)
        if self.options.search_pagefind and self.command != "serve" and can_fork():
            leftovers.remove_stale(Path(site_dir).parent, ".pagefind.new-")
            self._pagefind = Child(_pagefind_child, Path(site_dir), os.getpid(),
                                   self.options.search_pagefind_part_pages,
                                   name="casebook-pagefind", inbox=True, fed=True)

    def feed_index(self) -> None:
        """Hand the Whoosh index's process its documents, made when the files were read."""
        self._gate = OutputGate(self.loaded.private_terms)
        documents = {r.case.id: r.search.index_document for r in self.loaded.results
                     if r.case is not None and r.search.index_document is not None}
        entries = list(index_entries_of(self.library.published, documents=documents))
        del documents
        if self.caches is None and can_fork():
            # Sent and let go of one at a time; `mkdocs serve` keeps them for its next rebuild.
            for result in self.loaded.results:
                result.search.index_document = None
        if self._index is not None:
            self._index.feed(_drain(entries))

    def feed_pagefind(self) -> None:
        """Hand Pagefind's process every page's copy to respell, while the site engine writes
        the site (the pages are this build's own: Pagefind indexes their articles). Each
        page lets go of its search HTML once its copy is sent: nothing here needs it again."""
        if self._pagefind is None:
            return
        setup = (self.library.vocabulary, self.noun_pairs())
        self._pagefind.feed(itertools.chain([setup], self.search_copies(let_go=True)))

    def search_copies(self, *, let_go: bool = False) -> Iterator[tuple[str, str]]:
        """(file in the site, what Pagefind reads of it) for every page it indexes; with
        `let_go`, each page drops its search HTML once its copy is made."""
        terms = {case.src_uri: term_names(case) for case in self.library.cases}
        for page in self.pages:
            if page.searchable:
                copy = page_copy(page.title, page.search_html, terms.get(page.src_uri, ""))
                if let_go:
                    page.search_html = Markup("")
                path = dest_path(page.src_uri, self.options.use_directory_urls)
                if self._gate is not None:  # raised once Pagefind has read every copy
                    self._gate.check_search_copy(path, copy)
                yield path, copy

    def noun_pairs(self) -> list[tuple[str, str]]:
        """(surface, normalised form) of the nouns of every published text, for Pagefind's
        other spellings. A build keeps only these (the files' own sets were 150 MB at
        10,000 cases); `mkdocs serve` keeps each file's, for its next rebuild."""
        if self._noun_pairs is None:
            drafts = {c.id for c in self.library.drafts}
            pairs: set[tuple[str, str]] = set()
            for result in self.loaded.results:
                if result.case is None or result.case.id not in drafts:
                    pairs |= result.search.nouns
            self._noun_pairs = sorted(pairs)
            if self.caches is None:
                for result in self.loaded.results:
                    result.search.nouns = frozenset()
        return self._noun_pairs

    def page_written(self, path: str, html_text: str) -> None:
        """A page as the site engine wrote it (`path` relative to the site)."""
        if self._gate is not None:
            self._gate.check(path, html_text)
        self.written += 1
        if self.written % GIVE_BACK_PAGES == 0:  # the pages written are let go of
            give_back()

    def finish(self, site_dir: Path) -> list[str]:
        """Write cases.json, finish Pagefind's bundle, wait for the index; lines to log.

        CheckError if a private term got into a written file; OutputError if an output
        could not be written.
        """
        site_dir = Path(site_dir)
        messages = []
        # The drills' questions in parts, and as Moodle XML (casebook/practice.py, moodle.py):
        # from published cases only.
        outputs = {CASES_JSON: self.cases_json(), **self.prep_data()}
        outputs |= practice_files(self.library, self.options.use_directory_urls, self._practice)
        if self.options.practice_moodle:
            outputs |= moodle_files(self.library, self._practice,
                                    self.options.use_directory_urls, self.options.site_url)
        if self._gate is not None:
            for path, data in outputs.items():
                self._gate.check(path, data)
            self._gate.raise_leaks()
        while outputs:  # each let go of once written
            path, data = outputs.popitem()
            out = site_dir / path
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(data, encoding="utf-8")
        data = ""
        give_back()  # before Pagefind's last parts run beside this process
        if self.command == "serve":
            return messages  # the search outputs follow the site: search_in_background
        if self.options.search_pagefind:
            with self.timings.stage("pagefind"):
                stats = self._finish_pagefind(site_dir)
            if self._gate is not None:
                self._gate.raise_leaks()  # the copies Pagefind indexed (search_copies)
            parts = f" in {stats.parts} parts" if stats.parts > 1 else ""
            messages.append(f"Pagefind indexed {stats.pages:,} pages{parts} "
                            f"({stats.variants:,} other spellings) in {stats.seconds:.1f} s")
        with self.timings.stage("whoosh index (wait)"):
            built: IndexStats = self._wait_index()
        self._staged_index = built
        messages.append(f"Whoosh indexed {built.documents:,} cases in {built.seconds:.1f} s "
                        f"(in a second process): {built.directory}")
        return messages

    def _finish_pagefind(self, site_dir: Path) -> PagefindStats:
        try:
            if self._pagefind is not None:
                child, self._pagefind = self._pagefind, None
                child.put(("finish",))
                try:
                    outcome, _, value = child.receive()
                finally:
                    child.close()
                if outcome != "done":
                    raise PagefindError(str(value))
                return value
            return self._index_pages(site_dir / BUNDLE_DIR)
        except (PagefindError, WorkerError) as error:
            self.cancel()
            raise OutputError(f"search index: {error}") from None

    def _index_pages(self, bundle: Path) -> PagefindStats:
        """Pagefind's bundle in this process (the pages respelt last time are kept, in serve)."""
        variants = SpellingVariants.build(self.library.vocabulary, pairs=self.noun_pairs())
        indexer = SiteIndexer(bundle.parent, self.library.vocabulary, variants=variants,
                              cache=self.caches.pagefind if self.caches else None,
                              from_disk=False,
                              part_pages=self.options.search_pagefind_part_pages)
        for path, copy in self.search_copies():
            indexer.add(path, copy)
        return indexer.finish(bundle=bundle)

    def search_in_background(self, site_dir: Path,
                             report: Callable[[list[str]], None]) -> None:
        """`mkdocs serve`: bring both search indexes up to date after the site is served.

        The reload does not wait for them: the served site keeps the last bundle until the
        new one is moved in (under SWAP_LOCK, as the site itself is swapped). `report` gets
        the lines to log, or why the indexes were not updated. A rebuild (cancel) stops it.
        """
        cancelled = threading.Event()
        self._cancelled = cancelled
        self._search_thread = threading.Thread(
            target=self._search_outputs, args=(Path(site_dir), report, cancelled),
            name="casebook-search", daemon=True)
        self._search_thread.start()

    def wait_for_search(self, timeout: float | None = None) -> bool:
        """Wait for `search_in_background` to end; False if it is still running."""
        if self._search_thread is not None:
            self._search_thread.join(timeout)
            return not self._search_thread.is_alive()
        return True

    def _search_outputs(self, site_dir: Path, report: Callable[[list[str]], None],
                        cancelled: threading.Event) -> None:
        messages = []
        index, self._index = self._index, None
        try:
            if self.options.search_pagefind:
                with _PAGEFIND_LOCK:  # one at a time: they share the respelt pages
                    if cancelled.is_set():
                        return
                    scratch = leftovers.make(site_dir.parent, ".pagefind.new-", os.getpid())
                    try:
                        stats = self._index_pages(scratch / BUNDLE_DIR)
                        with SWAP_LOCK:
                            if cancelled.is_set():
                                return
                            replace_folder(stats.bundle, site_dir / BUNDLE_DIR)
                    finally:
                        shutil.rmtree(scratch, ignore_errors=True)
                messages.append(f"Pagefind indexed {stats.pages:,} pages in "
                                f"{stats.seconds:.1f} s")
            if index is not None:
                built: IndexStats = index.wait("index")
                if cancelled.is_set():
                    throw_away(built)
                    return
                put_in_place(built)
                messages.append(f"Whoosh indexed {built.documents:,} cases")
        except (SearchError, WorkerError, OSError) as error:
            if not cancelled.is_set():
                report([f"the search indexes were not updated: {error}"])
            return
        report(messages)

    def _wait_index(self) -> IndexStats:
        try:
            return self._index.wait("index")
        except WorkerError as error:
            self.cancel()
            raise OutputError(f"building the search index failed: {error}") from None
        finally:
            self._index = None

    def commit(self) -> None:
        """Put the outputs written beside their places into place (the site succeeded)."""
        if self._staged_index is not None:
            staged, self._staged_index = self._staged_index, None
            put_in_place(staged)

    def cancel(self) -> None:
        """End the background work (a rebuild started, or the build failed)."""
        if self._cancelled is not None:
            self._cancelled.set()
        if self._staged_index is not None:
            staged, self._staged_index = self._staged_index, None
            throw_away(staged)
        if self._index is not None:
            self._index.cancel()
            self._index = None
        if self._pagefind is not None:
            self._pagefind.terminate()
            self._pagefind = None

    def cases_json(self) -> str:
        """Public facts of every published case, for in-browser tools. Internal fields never."""
        records = []
        for case in self.library.cases:
            if case.is_draft:
                continue
            records.append({
                "id": case.id,
                "alias": case.alias,
                "title": case.title,
                "kind": case.kind,
                "url": page_url(case.src_uri, self.options.use_directory_urls),
                "summary": case.summary,
                "facets": {name: [t.slug for t in terms]
                           for name, terms in case.facets.items() if terms},
            })
        return json.dumps(records, ensure_ascii=False, indent=1)

    def prep_data(self) -> dict[str, str]:
        """The /prep/ page's data, by path: published cases and wall guides, as scripts in
        parts loaded when a sheet needs them (casebook/prep_data.py)."""
        return prep_files(prep_index(self.library, self.options.use_directory_urls))


def _write_index(entries: Iterable[IndexEntry], index_dir: Path,
                 owner: int) -> Iterator[tuple[str, object]]:
    # Staged: the index goes into place with the site, and not at all if the build fails.
    yield "index", index_entries(entries, index_dir, stage=True, owner=owner)


def _drain(items: list) -> Iterator:
    """The items of `items`, first to last, each let go of by the list as it is taken."""
    items.reverse()
    while items:
        yield items.pop()


def _pagefind_child(sender, inbox, items: Iterable, site_dir: Path, owner: int,
                    part_pages: int) -> None:
    """Respell every page as it comes, then run Pagefind and wait for the site to be written.

    The first item is (vocabulary, noun pairs); the others are (path, copy) of each page.
    """
    indexer = None
    try:
        items = iter(items)
        vocabulary, pairs = next(items)
        variants = SpellingVariants.build(vocabulary, pairs=pairs)
        indexer = SiteIndexer(site_dir, vocabulary, variants=variants, from_disk=False,
                              part_pages=part_pages)
        for path, copy in items:
            indexer.add(path, copy)
        # Pagefind runs now, while the site is still being written; its bundle waits beside
        # the site until the build says the site is done.
        waiting = leftovers.make(site_dir.parent, ".pagefind.new-", owner)
        stats = indexer.finish(bundle=waiting / BUNDLE_DIR)
        inbox.get()  # "finish"
        target = site_dir / BUNDLE_DIR
        shutil.rmtree(target, ignore_errors=True)
        os.replace(stats.bundle, target)
        shutil.rmtree(waiting, ignore_errors=True)
        sender.send(("done", "", dataclasses.replace(stats, bundle=target)))
    except PagefindError as error:
        sender.send(("error", "", str(error)))
    finally:
        if indexer is not None:
            indexer.discard()
