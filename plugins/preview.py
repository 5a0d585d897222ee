"""`mkdocs serve`: an edited case or guide shows in the browser before the whole rebuild."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

from casebook_mkdocs.pages import set_meta, toc
from mkdocs.commands.build import _build_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import _timestamp
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files, InclusionLevel

if TYPE_CHECKING:
    from casebook_mkdocs.plugin import CasebookPlugin

log = get_plugin_logger("casebook")


class Superseded(Exception):
    """`mkdocs serve` was rebuilding when another edit came: the rebuild stops for it."""


class Preview:
    """`mkdocs serve`: an edited case or guide is in the browser before the whole rebuild.

    MkDocs' server calls its builder after every change and reloads the browsers when the
    whole site is rebuilt: with 1,000 cases that takes many seconds. Its builder is wrapped:
    the pipeline first remakes only the edited pages from the last build (Build.preview),
    they are written through the theme with the last build's navigation, and the browsers
    reload; then the whole site is rebuilt and they reload again, with the pages that list
    the case. A rebuild that another edit overtakes stops, and the new edit is shown first.

    This leans on MkDocs 1.6's server (`builder`, `_want_rebuild`, `_epoch_cond`,
    `_visible_epoch`, `_wanted_epoch`) and its page writer (`_build_page`); mkdocs is pinned
    below 2, and tests/test_serve.py runs a real `mkdocs serve` to catch a change.
    """

    def __init__(self, plugin: CasebookPlugin) -> None:
        self.plugin = plugin
        self.server = None
        self.nav = None
        self._kept: tuple | None = None
        self._rebuild = None

    def attach(self, server) -> None:
        """Take over the server's builder (from the first rebuild on)."""
        self.server = server
        self._rebuild = server.builder
        server.builder = self._build

    def kept(self, config: MkDocsConfig, files: Files, env) -> None:
        self._kept = (config, files, env)

    def superseded(self) -> bool:
        return bool(getattr(self.server, "_want_rebuild", False))

    def _build(self) -> None:
        started = time.monotonic()
        try:
            shown = self._show_edited()
        except Exception as error:  # the preview is a shortcut: the rebuild says what failed
            log.debug("no preview: %s", error)
            shown = []
        server = self.server
        with server._epoch_cond:
            if shown:  # the browsers reload, to the edited page
                server._visible_epoch = _timestamp()
                log.info("showing %s (%.2f s); rebuilding the rest",
                         ", ".join(shown), time.monotonic() - started)
            if shown or not self.plugin.dirty:
                # MkDocs holds every request until the rebuild is done, as its site is half
                # written meanwhile; ours is written beside the served one, which stays whole.
                server._wanted_epoch = server._visible_epoch
            server._epoch_cond.notify_all()
        try:
            self._rebuild()
        except Superseded:
            log.info("another edit came: rebuilding for it")
            return
        # A newer epoch: the loop then reloads the browsers with the rebuilt site.
        server._wanted_epoch = _timestamp()

    def _show_edited(self) -> list[str]:
        build = self.plugin.build
        if build is None or self._kept is None or self.nav is None:
            return []
        pages = build.preview()
        if not pages:
            return []
        config, files, env = self._kept
        # The last build wrote into a staged folder that is the served site now.
        staged = self.plugin.staged
        site_dir = str(staged.final) if staged is not None else config.site_dir
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        shown = []
        for ours in pages:
            file = files.get_file_from_path(ours.src_uri)
            if file is None or file.page is None:
                return shown
            file.abs_dest_path = os.path.normpath(os.path.join(site_dir, file.dest_uri))
            page = file.page
            self.plugin.pages[ours.src_uri] = ours
            set_meta(page, ours)
            page.toc = toc(ours)
            page.content = ours.hand_over()
            _build_page(page, config, doc_files, self.nav, env)
            shown.append(file.url or "/")
        return shown
