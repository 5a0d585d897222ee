"""MkDocs event hooks, each handing its work to `casebook` objects."""

from __future__ import annotations

import os
from pathlib import Path

from casebook_mkdocs.config import CasebookConfig
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from casebook.pages import CASE_INDEX_URI, MATRIX_URI
from casebook.problems import CheckError
from casebook.reader import ProjectPaths, ReadCache, load_library
from casebook.render import block_anchor_ids, restore_blocks
from casebook.site import Site, SiteOptions
from casebook.timing import Stopwatch
from search.background import InBackground, PagefindFeed, can_fork, search_data, site_texts
from search.errors import SearchError
from search.index import check_replaceable
from search.pagefind import PagefindError, index_site
from search.similarity import KeywordSimilarity

log = get_plugin_logger(__name__)

ASSETS = Path(__file__).parent / "assets"
OVERRIDES = Path(__file__).parent / "overrides"
CSS_URI = "assets/casebook/casebook.css"


class CasebookPlugin(BasePlugin[CasebookConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.site: Site | None = None
        self.timings = Stopwatch()
        self.search_data: InBackground | None = None
        self.blocks: dict[str, dict[str, str]] = {}  # src_uri -> HTML blocks of its page
        # Kept between `mkdocs serve` rebuilds (unchanged files are not parsed or analysed
        # again); a one-off build has nothing to keep them for.
        self.read_cache: ReadCache | None = None
        self.keyword_cache: dict | None = None
        self.pagefind_cache: dict | None = None
        self.pagefind: PagefindFeed | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        if command == "serve":
            self.read_cache, self.keyword_cache, self.pagefind_cache = ReadCache(), {}, {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not self.config.enabled:
            return config
        root = Path(config.config_file_path).parent
        self.paths = ProjectPaths(
            root=root,
            content=os.path.relpath(config.docs_dir, root),
            cases=self.config.cases_dir,
            taxonomy=self.config.taxonomy,
            private_terms=self.config.private_terms,
        )
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        # Our templates come right after the user's custom_dir, before Material's own.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES))
        # Pagefind replaces Material's lunr search, which cannot cut Japanese into words.
        search = config.plugins.get("material/search") if self.config.search_pagefind else None
        if search is not None and search.config.enabled:
            search.config.enabled = False
            log.info("casebook: Material's search plugin is off: Pagefind searches the site")
        return config

    # Read and check before MkDocs cleans site_dir: a failed check leaves the old site intact.
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        self.timings.reset()
        drafts = self.config.drafts if self.config.drafts is not None else self.command == "serve"
        try:
            with self.timings.stage("read+check"):
                library = load_library(self.paths, drafts=drafts, cache=self.read_cache)
        except CheckError as error:
            raise PluginError(error.report()) from None
        options = SiteOptions(self.config.related_limit, dict(self.config.related_weights),
                              directory_urls=config.use_directory_urls)
        # The Whoosh index (next to the site, not in it: `casebook search` reads it) and the
        # spellings Pagefind adds are made by a second process while this one renders the
        # site; on_post_build waits for them.
        self._stop_search_data()
        index_dir = self.paths.root / self.config.search_index_dir
        try:  # the likeliest failure of the index build, found before anything is written
            check_replaceable(index_dir)
        except SearchError as error:
            raise PluginError(f"casebook: search_index_dir: {error}") from None
        # With Pagefind fed page by page (not in `mkdocs serve`), its process collects the
        # other spellings itself.
        feed = self.config.search_pagefind and self.command != "serve" and can_fork()
        self.search_data = InBackground(search_data, library, index_dir,
                                        self.config.search_pagefind and not feed)
        # Related cases need text similarity now: the same keywords, from the parsed cases.
        with self.timings.stage("related keywords"):
            keywords = KeywordSimilarity.from_cases(library.cases, cache=self.keyword_cache)
        self.site = Site(library, options, similarity=keywords.similarity)
        if feed:
            # Pages are respelt for Pagefind on the other core as they are written.
            self.pagefind = PagefindFeed(Path(config.site_dir), library.vocabulary,
                                         site_texts(library), skip=self._unsearched(config))
        log.info("casebook: %d cases, %d guides", len(library.cases), len(library.guides))

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.site is None:
            return files
        for private in (self.paths.taxonomy, self.paths.private_terms):
            unpublished = files.get_file_from_path(os.path.relpath(self.paths.root / private,
                                                                   config.docs_dir))
            if unpublished is not None:
                files.remove(unpublished)
        drafts = {c.src_uri for c in self.site.library.cases if c.is_draft}
        with self.timings.stage("pages+related"):
            pages = self.site.pages()
        self.blocks = {page.src_uri: page.blocks for page in pages if page.blocks}
        for page in pages:
            inclusion = (InclusionLevel.DRAFT if page.src_uri in drafts
                         else InclusionLevel.NOT_IN_NAV)
            files.append(File.generated(config, page.src_uri, content=page.markdown,
                                        inclusion=inclusion))
        files.append(File.generated(config, CSS_URI, abs_src_path=str(ASSETS / "casebook.css")))
        return files

    # Run before other plugins see the Markdown, so they get the rendered annotations.
    @event_priority(50)
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        if self.site is None:
            return markdown
        guide = self.site.guide_page(page.file.src_uri)
        if guide is None:
            return markdown
        if guide.blocks:
            self.blocks[guide.src_uri] = guide.blocks
        return guide.markdown

    # Put our finished HTML where the Markdown had placeholders for it, and tell MkDocs the
    # anchors it holds (links to them are checked across pages).
    @event_priority(50)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        blocks = self.blocks.get(page.file.src_uri)
        if not blocks:
            return html
        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= block_anchor_ids(blocks)
        return restore_blocks(html, blocks)

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_search_data()

    def on_shutdown(self) -> None:
        self._stop_search_data()

    def _stop_search_data(self) -> None:
        if self.search_data is not None:
            self.search_data.cancel()
            self.search_data = None
        if self.pagefind is not None:
            self.pagefind.cancel()
            self.pagefind = None

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        if self.config.enabled:
            server.watch(str(self.paths.path("cases")))
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.site is None:
            return
        out = Path(config.site_dir) / "assets" / "casebook" / "cases.json"
        out.parent.mkdir(parents=True, exist_ok=True)

        def url_of(src_uri: str) -> str:
            stem = src_uri[: -len(".md")]
            return stem + "/" if config.use_directory_urls else stem + ".html"

        out.write_text(self.site.cases_json(url_of), encoding="utf-8")
        if self.config.search_pagefind:
            try:
                with self.timings.stage("pagefind"):
                    if self.pagefind is not None:
                        feed, self.pagefind = self.pagefind, None
                        stats = feed.finish()
                    else:  # `mkdocs serve`: respelt pages are kept from the last rebuild
                        stats = index_site(Path(config.site_dir), self.site.library.vocabulary,
                                           skip=self._unsearched(config),
                                           variants=self._search_data("spellings"),
                                           cache=self.pagefind_cache)
            except PagefindError as error:
                raise PluginError(f"casebook: search index: {error}") from None
            log.info("casebook: Pagefind indexed %d pages (%d other spellings) in %.1f s: %s",
                     stats.pages, stats.variants, stats.seconds, stats.bundle)
        # What the build waits for: the index itself was written on the other core meanwhile.
        with self.timings.stage("whoosh index (wait)"):
            built = self._search_data("index")
        self.search_data = None
        log.info("casebook: Whoosh indexed %d cases in %.1f s (in a second process): %s",
                 built.documents, built.seconds, built.directory)

    def _unsearched(self, config: MkDocsConfig) -> list[str]:
        """Pages (paths in the site) Pagefind leaves out."""
        # The case index and the matrix list every case: hits there would bury the cases.
        # Drafts are built by `mkdocs serve` only, and never searchable even there.
        uris = [CASE_INDEX_URI, MATRIX_URI,
                *(c.src_uri for c in self.site.library.cases if c.is_draft)]
        return [File(uri, config.docs_dir, config.site_dir, config.use_directory_urls).dest_uri
                for uri in uris]

    # Last, so the page handed to Pagefind is the page written.
    @event_priority(-100)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.pagefind is not None:
            self.pagefind.add(page.file.dest_uri, output)
        return output

    def _search_data(self, name: str):
        try:
            return self.search_data.wait(name)
        except SearchError as error:
            self._stop_search_data()
            raise PluginError(f"casebook: {error}") from None
