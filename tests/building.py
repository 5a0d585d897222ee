"""A site built as `mkdocs build` builds it, for tests and benchmarks.

    site = build_site(root / "mkdocs.yml", search_index_dir=str(tmp / "index"))

The plugins' startup and shutdown events are sent as the command line sends them (the casebook
plugin ends its background work in on_shutdown). Keyword arguments set the casebook plugin's
options for this build only, as a test wants them (e.g. `search_pagefind=True`).
"""

from __future__ import annotations

from pathlib import Path


def build_site(config_file: Path, *, site_dir: Path | None = None, command: str = "build",
               **casebook: object) -> Path:
    """Build the project of `config_file`; the folder the site was written to. With
    `command="serve"`, the one build `mkdocs serve` makes first (drafts included)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    overrides = {"site_dir": str(site_dir)} if site_dir is not None else {}
    config = load_config(config_file=str(config_file), **overrides)
    options = config.plugins["casebook"].config
    for name, value in casebook.items():
        setattr(options, name, value)
    config.plugins.on_startup(command=command, dirty=False)
    try:
        build(config, serve_url="http://127.0.0.1:8000/" if command == "serve" else None)
    finally:
        config.plugins.on_shutdown()
    return Path(config.site_dir)
