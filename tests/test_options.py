"""The plugin's options (plugins/config.py) and the build's (pipeline/options.py) are one set:
the same names and defaults, so `mkdocs build` and the `casebook` command build alike."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from casebook_mkdocs.config import CasebookConfig

from pipeline.options import PLUGIN_OPTIONS, BuildOptions, from_mkdocs_yml
from tests.conftest import Project  # noqa: F401 - the project fixture


def plugin_defaults() -> dict[str, object]:
    config = CasebookConfig()
    config.load_dict({})
    failed, warnings = config.validate()
    assert not failed and not warnings, (failed, warnings)
    return {key: config[key] for key in config if key != "enabled"}


def test_the_plugin_and_the_build_have_the_same_option_names() -> None:
    fields = {f.name for f in dataclasses.fields(BuildOptions)}
    plugin = set(plugin_defaults())
    assert plugin == set(PLUGIN_OPTIONS), (plugin ^ set(PLUGIN_OPTIONS))
    assert set(PLUGIN_OPTIONS) <= fields, set(PLUGIN_OPTIONS) - fields


def test_the_plugin_and_the_build_have_the_same_defaults() -> None:
    build = BuildOptions(root=Path("."))
    differences = {key: (value, getattr(build, key)) for key, value in plugin_defaults().items()
                   if value != getattr(build, key)
                   or type(value) is not type(getattr(build, key))}
    assert not differences, f"option: (plugin default, BuildOptions default): {differences}"


def test_mkdocs_and_the_casebook_command_read_the_same_options(project: Project) -> None:
    """Set in mkdocs.yml, every option reaches the build the same way through either door."""
    from mkdocs.config import load_config

    text = (project.root / "mkdocs.yml").read_text("utf-8")
    set_here = {"cases_dir": "faelle", "related_limit": 3, "related_weights": {"wall": 4},
                "search_pagefind_part_pages": 50, "edition": "trainer",
                "practice_moodle": True, "drafts": True}
    lines = "".join(f"      {key}: {value}\n" for key, value in set_here.items())
    assert "  - casebook:\n" in text, text
    (project.root / "mkdocs.yml").write_text(
        text.replace("  - casebook:\n", "  - casebook:\n" + lines, 1), "utf-8")
    command = from_mkdocs_yml(project.root / "mkdocs.yml")
    plugin = load_config(config_file=str(project.root / "mkdocs.yml")).plugins["casebook"]
    assert {key: getattr(command, key) for key in PLUGIN_OPTIONS} == {
        key: plugin.config[key] for key in PLUGIN_OPTIONS}
    assert {key: getattr(command, key) for key in set_here} == set_here
