"""What a build needs to know, and reading it from `mkdocs.yml` without MkDocs.

The MkDocs plugin fills `BuildOptions` from its validated config; the `casebook` command
reads the same `mkdocs.yml` here (`from_mkdocs_yml`), so both use the same folders, index
and related-case weights. Options are those of the plugin (`plugins: - casebook: …`) plus
the few site settings the build reads (docs_dir, site_dir, use_directory_urls, site_url).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from casebook.problems import closest


@dataclass
class BuildOptions:
    """One build's settings; paths relative to `root` (the folder holding mkdocs.yml)."""

    root: Path
    docs_dir: str = "content"
    site_dir: str = "site"
    use_directory_urls: bool = True
    site_url: str | None = None
    # Printed by the theme into every page as they are (Material does not escape them).
    site_name: str = ""
    site_description: str | None = None
    # --- the casebook plugin's options (plugins/config.py, same names and defaults)
    cases_dir: str = "cases"
    taxonomy: str = "content/taxonomy.yml"
    private_terms: str = "content/private-terms.txt"
    drafts: bool | None = None
    related_limit: int = 5
    related_weights: dict[str, float] = field(default_factory=dict)
    search_index_dir: str = ".casebook-index"
    search_pagefind: bool = True
    search_pagefind_part_pages: int = 500
    edition: str = "learner"
    practice_moodle: bool = False

    def path(self, relative: str) -> Path:
        return self.root / relative

    @property
    def trainer(self) -> bool:
        return self.edition == "trainer"


CONFIG = "mkdocs.yml"  # the site's configuration, in the project folder

PLUGIN_OPTIONS = ("cases_dir", "taxonomy", "private_terms", "drafts", "related_limit",
                  "related_weights", "search_index_dir", "search_pagefind",
                  "search_pagefind_part_pages", "edition", "practice_moodle")
SITE_OPTIONS = ("docs_dir", "site_dir", "use_directory_urls", "site_url", "site_name",
                "site_description")


class OptionsError(Exception):
    """mkdocs.yml could not be read, or names an option the build does not have."""


class _Loader(yaml.SafeLoader):
    """mkdocs.yml may hold tags for Python objects and !ENV: read them as plain values."""


def _environment(loader: _Loader, node: yaml.Node) -> object:
    """MkDocs' `!ENV NAME` / `!ENV [NAME, OTHER, default]`: the first variable set, else the
    last item (a default)."""
    names = ([loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode)
             else loader.construct_sequence(node))
    for name in names[:-1] if len(names) > 1 else names:
        if str(name) in os.environ:
            return os.environ[str(name)]
    return names[-1] if len(names) > 1 else None


def _any_tag(loader: _Loader, suffix: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_Loader.add_constructor("!ENV", _environment)
_Loader.add_multi_constructor("", _any_tag)


def _read(path: Path, seen: tuple[Path, ...] = ()) -> dict:
    if path in seen:
        raise OptionsError(f"{path}: INHERIT loops back to itself")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except OSError as error:
        raise OptionsError(f"cannot read {path}: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise OptionsError(f"{path}: broken YAML: {error}") from None
    if not isinstance(data, dict):
        raise OptionsError(f"{path}: expected 'key: value' lines")
    parent = data.pop("INHERIT", None)
    if parent:
        base = _read((path.parent / str(parent)).resolve(), (*seen, path))
        data = _merge(base, data)
    return data


def _merge(base: dict, child: dict) -> dict:
    """MkDocs' INHERIT: mappings merge key by key, everything else is replaced."""
    out = dict(base)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _plugin_options(plugins: object) -> dict | None:
    """The casebook entry of `plugins:` (a list of names or one-key mappings, or a mapping)."""
    entries = plugins.items() if isinstance(plugins, dict) else (
        (next(iter(p.items())) if isinstance(p, dict) and p else (p, {}))
        for p in plugins or ())
    for name, options in entries:
        if name == "casebook":
            return dict(options or {})
    return None


# What the plugin's config (plugins/config.py) accepts, so that `casebook check` refuses what
# the build would: a check that passes must not be followed by a build that stops. The types
# are read from BuildOptions' annotations (no third place to list an option in).
_CHOICES = {"edition": ("learner", "trainer")}
_ANNOTATIONS = {"str": (str, "text"), "int": (int, "a whole number"),
                "bool": (bool, "true or false"), "bool | None": ((bool, type(None)), "true or "
                                                                 "false"),
                "dict[str, float]": (dict, "a mapping")}


def _option_problem(key: str, value: object) -> str | None:
    if key in _CHOICES and value not in _CHOICES[key]:
        hint = closest(str(value).lower(), list(_CHOICES[key]))
        return (f"expected one of {', '.join(_CHOICES[key])}, got '{value}'"
                + (f" — did you mean '{hint}'?" if hint else ""))
    annotation = next((str(f.type) for f in dataclasses.fields(BuildOptions) if f.name == key),
                      None)
    expected, word = _ANNOTATIONS.get(annotation, (object, ""))
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        return f"expected {word}, got '{value}'"
    return None


def from_mkdocs_yml(path: Path) -> BuildOptions:
    """The build options `mkdocs build -f path` would use (OptionsError if it cannot tell)."""
    path = Path(path).resolve()
    data = _read(path)
    plugin = _plugin_options(data.get("plugins"))
    if plugin is None:
        raise OptionsError(f"{path}: the casebook plugin is not in 'plugins:'")
    known = {f.name for f in dataclasses.fields(BuildOptions)}
    values: dict[str, object] = {}
    for key, value in plugin.items():
        if key == "enabled":
            continue
        if key not in PLUGIN_OPTIONS:
            hint = closest(key, list(PLUGIN_OPTIONS))
            raise OptionsError(f"{path}: unknown casebook option '{key}'"
                               + (f" — did you mean '{hint}'?" if hint else ""))
        problem = _option_problem(key, value)
        if problem:
            raise OptionsError(f"{path}: casebook option '{key}': {problem}")
        values[key] = value
    for key in SITE_OPTIONS:
        if key in data and key in known:
            values[key] = data[key]
    return BuildOptions(root=path.parent, **values)


def from_arguments(args: argparse.Namespace) -> BuildOptions:
    """The build options of a `casebook` command: its --root and -f/--config-file give the
    mkdocs.yml to read (defaults where the project has none)."""
    root = Path(args.root)
    config = Path(args.config_file) if args.config_file else root / CONFIG
    if config.is_file():
        return from_mkdocs_yml(config)
    if args.config_file:
        raise FileNotFoundError(f"no such file: {config}")
    return BuildOptions(root=root.resolve())
