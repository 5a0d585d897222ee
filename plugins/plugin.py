"""MkDocs event hooks, each handing its work to the build pipeline (pipeline/build.py).

MkDocs contributes the theme, the navigation, serving and writing files; every page's content
comes finished from the pipeline, which MkDocs only wraps in the theme's template.

When MkDocs gets a page's HTML (`mkdocs build`): MkDocs renders every page before it writes
the first, so the pipeline's pages stay compressed (casebook/packed.py) and a page's HTML is
set as `page.content` only in on_page_context, just before that page is written, and dropped
in on_post_page once written. Until then `page.content` is "". Another plugin or `hooks:`
file reading it in on_page_context or later sees the article; one with on_page_content
would see "" and have its change replaced, so when there is one, each page's HTML is handed
over in on_page_content instead (`others_read_content`; tests/test_other_plugins.py), at
the memory cost the late hand-over saves. `mkdocs serve` always hands it over at once.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from casebook_mkdocs.config import CasebookConfig
from casebook_mkdocs.pages import set_meta, toc
from casebook_mkdocs.preview import Preview, Superseded
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.utils import CountHandler

from casebook.problems import CheckError
from pipeline.build import BUNDLE_DIR, Build, Caches, OutputError
from pipeline.options import PLUGIN_OPTIONS, BuildOptions
from pipeline.sitedir import StagedSite

log = get_plugin_logger("casebook")

ASSETS = Path(__file__).parent / "assets"
OVERRIDES = Path(__file__).parent / "overrides"
CSS_URI = "assets/casebook/casebook.css"
# Sites with this many pages or more log how many are written, at each quarter.
PROGRESS_FROM = 400


class CasebookPlugin(BasePlugin[CasebookConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.dirty = False
        self.caches: Caches | None = None
        self.build: Build | None = None
        self.pages: dict = {}
        self.unwritten: set[str] = set()  # pages whose HTML MkDocs gets when it writes them
        self.late = False  # this build hands each page's HTML over when it is written
        self.staged: StagedSite | None = None
        self.preview: Preview | None = None  # `mkdocs serve` only
        self.warnings = CountHandler()  # the count MkDocs' strict mode aborts on
        self.warnings.setLevel(logging.WARNING)

    @property
    def timings(self):  # bench/build.py reads the stages of the last build here
        return self.build.timings if self.build is not None else None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command, self.dirty = command, dirty
        # MkDocs keeps one instance of a plugin with on_startup for every config loaded in the
        # process (its plugin_cache): nothing from an earlier command may carry over.
        self.caches, self.preview, self.build = None, None, None
        if command == "serve":  # kept between rebuilds: unchanged files are not read again
            self.caches = Caches()
            self.preview = Preview(self)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not self.config.enabled:
            return config
        root = Path(config.config_file_path).parent
        self.options = BuildOptions(
            root=root, docs_dir=os.path.relpath(config.docs_dir, root),
            site_dir=config.site_dir, use_directory_urls=config.use_directory_urls,
            site_url=config.site_url, site_name=config.site_name,
            site_description=config.site_description,
            **{key: self.config[key] for key in PLUGIN_OPTIONS})
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        # Our templates come right after the user's custom_dir, before Material's own.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES))
        # Pagefind replaces Material's lunr search, which cannot cut Japanese into words.
        search = config.plugins.get("material/search") if self.config.search_pagefind else None
        if search is not None and search.config.enabled:
            search.config.enabled = False
        # A build writes into a folder next to site_dir, swapped in when it succeeds (under
        # `mkdocs serve` too: the served site stays whole while the next is written).
        if not self.dirty:
            self.staged = StagedSite(Path(config.site_dir))
            config.site_dir = str(self.staged.folder)
        return config

    # Everything is read and checked before MkDocs touches site_dir.
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        if self.build is not None:
            self.build.cancel()
        self.build = Build(self.options, command=self.command, caches=self.caches,
                           progress=lambda message: log.info(message))
        try:
            pages = self.build.prepare(Path(config.site_dir))
        except CheckError as error:
            raise PluginError(error.report()) from None
        for warning in self.build.warnings:
            log.warning(warning)
        self.pages = {page.src_uri: page for page in pages}
        self.unwritten = set()
        self.late = self.command == "build" and not self.others_read_content(config)
        self.warnings.counts.clear()
        logging.getLogger("mkdocs").addHandler(self.warnings)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.build is None:
            return files
        # From the docs folder MkDocs publishes only what the pipeline approved: its pages
        # come from the pipeline, assets as they are; anything else it found (inside a
        # symbolic link, say) is dropped.
        docs = os.path.abspath(config.docs_dir) + os.sep
        approved = set(self.build.loaded.assets)
        for file in list(files):
            source = file.abs_src_path
            if source is None or not os.path.abspath(source).startswith(docs):
                continue  # the theme's own files
            if file.src_uri not in approved:
                files.remove(file)
        guides = {g.src_uri for g in self.build.library.guides}
        for page in self.pages.values():
            inclusion = (InclusionLevel.DRAFT if page.draft else
                         InclusionLevel.UNDEFINED if page.src_uri in guides
                         else InclusionLevel.NOT_IN_NAV)
            files.append(File.generated(config, page.src_uri, content="", inclusion=inclusion))
        files.append(File.generated(config, CSS_URI, abs_src_path=str(ASSETS / "casebook.css")))
        return files

    # The page's Markdown is the pipeline's finished HTML: MkDocs converts nothing.
    @event_priority(50)
    def on_page_markdown(self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig,
                         files: Files) -> str:
        ours = self.pages.get(page.file.src_uri)
        if ours is None:
            return markdown
        set_meta(page, ours)
        return ""

    @event_priority(50)
    def on_page_content(self, html: str, *, page: MkDocsPage, config: MkDocsConfig,
                        files: Files) -> str:
        ours = self.pages.get(page.file.src_uri)
        if ours is None:
            return html
        page.toc = toc(ours)
        if self.late:
            # MkDocs reads every page before it writes the first: given now, every article
            # would be held unpacked at once (casebook/packed.py). Given when the page is
            # written (on_page_context), let go of once it is (on_post_page). Not when
            # another plugin or hook reads on_page_content (others_read_content).
            self.unwritten.add(page.file.src_uri)
            return ""
        return ours.hand_over()

    def others_read_content(self, config: MkDocsConfig) -> bool:
        """Whether another plugin or a `hooks:` file has on_page_content: it runs after ours
        and must see the article (and what it returns must be what is written), so this
        build hands each page's HTML over at once, at the memory cost of holding them all."""
        for method in config.plugins.events["page_content"]:
            owner = getattr(method, "__self__", None)  # a hook file's function has none
            if owner is self:
                continue
            options = getattr(owner, "config", None)
            if owner is None or not hasattr(options, "get") or options.get("enabled", True):
                return True
        return False

    # First: other plugins' on_page_context see the page's HTML.
    @event_priority(100)
    def on_page_context(self, context, *, page: MkDocsPage, config: MkDocsConfig, nav):
        if page.file.src_uri in self.unwritten:
            self.unwritten.discard(page.file.src_uri)
            page.content = self.pages[page.file.src_uri].hand_over()
        return context

    # Last, so the output gate reads each page as written, after every other plugin's change.
    @event_priority(-100)
    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        if self.preview is not None and self.preview.superseded():
            raise Superseded  # `mkdocs serve`: a newer edit is waiting; start over with it
        if self.build is not None:
            self.build.page_written(page.file.dest_uri, output)
            if self.command == "build" and page.file.src_uri in self.pages:
                page.content = None  # written and checked: MkDocs needs it no more
            written, total = self.build.written, len(self.pages)
            # A long build says how far it is: at each quarter of the pages.
            if total >= PROGRESS_FROM and written * 4 // total > \
                    (written - 1) * 4 // total and written < total:
                log.info("wrote %s of %s pages", f"{written:,}", f"{total:,}")
        return output

    # What `mkdocs serve` needs to write one page again on its own (Preview).
    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        if self.preview is not None:
            self.preview.nav = nav
        return nav

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        if self.preview is not None:
            self.preview.kept(config, files, env)
        return env

    # Last: the site is complete when this runs, and it may be swapped into place.
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.build is None:
            return
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        try:
            for message in self.build.finish(Path(config.site_dir)):
                log.info(message)
        except CheckError as error:
            raise PluginError(error.report()) from None
        except OutputError as error:
            raise PluginError(f"casebook: {error}") from None
        if config.strict and self.warnings.get_counts():
            return  # MkDocs aborts next: nothing of this build may replace the last one
        serving = self.command == "serve"
        if self.staged is not None:
            self.staged.commit(carry=[BUNDLE_DIR] if serving else [])
            config.site_dir = str(self.staged.final)
        self.build.commit()
        if serving:
            self.build.search_in_background(
                Path(config.site_dir),
                lambda lines: [log.info(line) for line in lines])

    def on_build_error(self, *, error: Exception) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if self.build is not None:
            self.build.cancel()
        if self.staged is not None:
            self.staged.discard()

    def on_shutdown(self) -> None:
        if self.build is not None:
            self.build.cancel()
        if self.staged is not None:
            self.staged.discard()

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        if self.config.enabled:
            server.watch(str(self.options.path(self.options.cases_dir)))
            if self.preview is not None:
                self.preview.attach(server)
        return server
