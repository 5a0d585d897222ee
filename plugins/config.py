"""Options of the `casebook` MkDocs plugin (the same names as pipeline.options.BuildOptions)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class CasebookConfig(Config):
    enabled = c.Type(bool, default=True)
    """Turn the plugin off without removing it from mkdocs.yml."""

    cases_dir = c.Type(str, default="cases")
    """Folder of case files, relative to mkdocs.yml."""
    taxonomy = c.Type(str, default="content/taxonomy.yml")
    """The controlled vocabulary, relative to mkdocs.yml."""
    private_terms = c.Type(str, default="content/private-terms.txt")
    """Deny-list of real names that must never be published (the file itself never is)."""

    drafts = c.Optional(c.Type(bool))
    """Include `status: draft` files; unset means only in `mkdocs serve`. `mkdocs build` and
    `casebook check` refuse `true` while there are drafts (pipeline/build.py)."""
    edition = c.Choice(("learner", "trainer"), default="learner")
    """`trainer` also publishes teaching notes (```teaching-note blocks)."""

    related_limit = c.Type(int, default=5)
    """How many related cases a case page lists."""
    related_weights = c.DictOfItems(c.Type((int, float)), default={})
    """Weight of a shared term per facet, e.g. {wall: 3, approach: 2}; merged over the defaults."""

    search_index_dir = c.Type(str, default=".casebook-index")
    """Whoosh index written next to the site (not inside it), relative to mkdocs.yml."""
    search_pagefind = c.Type(bool, default=True)
    """Index the built site with Pagefind for in-browser search."""
    search_pagefind_part_pages = c.Type(int, default=500)
    """Pages Pagefind indexes at once (its memory grows with them); more are indexed in parts."""

    practice_moodle = c.Type(bool, default=False)
    """Also publish each practice drill as Moodle XML, linked from /practice/ (13 MB at 1,000
    cases)."""
