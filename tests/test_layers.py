"""The shape that keeps the pipeline one pipeline: layer rules, one escaping place, one grammar.

`lint-imports` (import-linter) checks the contracts in pyproject.toml: the domain imports no
site engine, search engine or pipeline; the MkDocs adapter reaches search only through the
pipeline. The other checks read our source for what would bring a second grammar or a second
escaping step back.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = ("casebook", "pipeline", "search", "plugins")


def _lint(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def test_layer_contracts_are_kept() -> None:
    done = _lint()
    assert done.returncode == 0, done.stdout[-3000:]
    assert "4 kept, 0 broken" in done.stdout


def test_a_broken_layer_contract_is_reported(tmp_path: Path) -> None:
    # The same tool with a contract our code does break (the domain reads YAML): it must say so,
    # or the test above would pass whatever the code imports.
    config = tmp_path / "contracts.toml"
    config.write_text('[tool.importlinter]\nroot_packages = ["casebook"]\n'
                      "include_external_packages = true\n\n"
                      "[[tool.importlinter.contracts]]\nname = \"planted\"\n"
                      'type = "forbidden"\nsource_modules = ["casebook"]\n'
                      'forbidden_modules = ["yaml"]\n', encoding="utf-8")
    done = _lint("--config", str(config))
    assert done.returncode != 0
    assert "casebook.sources -> yaml" in done.stdout


def _sources() -> list[Path]:
    return [p for package in PACKAGES for p in (REPO / package).rglob("*.py")]


# A tag in a string that is formatted, concatenated or %-filled: HTML built outside
# casebook/html.py, where a value could go in unescaped.
_TAG = r"<[a-zA-Z/][^\"']*"
_HTML_BY_FORMATTING = re.compile(
    rf"""\bf["'][^"']*{_TAG}"""                         # f"<p>{value}</p>"
    rf"""|["']{_TAG}["']\s*(?:\+|%|\.format\()"""       # "<p>" + value, "<p>%s" % v
    rf"""|(?:\+|%)\s*["']{_TAG}["']"""                   # value + "</p>"
    rf"""|["']{_TAG}["']\s*\.join\(""")                  # "<br>".join(values)


def test_html_is_only_built_through_the_one_escaping_module() -> None:
    offenders = [f"{path.relative_to(REPO)}:{number}: {line.strip()}"
                 for path in _sources() if path.name != "html.py"
                 for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
                 if _HTML_BY_FORMATTING.search(line)]
    assert not offenders, "\n".join(offenders)


def test_html_check_finds_html_built_by_formatting() -> None:
    # The check above must see each way of building HTML it forbids.
    for line in ('x = f"<p>{value}</p>"', "x = '<p>' + value", "x = value + '</p>'",
                 "x = '<b>%s</b>' % value", 'x = "<a href={}>".format(v)',
                 'x = "<br>".join(lines)'):
        assert _HTML_BY_FORMATTING.search(line), line
    for line in ('x = html("<p>{}</p>", value)', "pattern = r'<!--.*?-->'"):
        assert not _HTML_BY_FORMATTING.search(line), line


def test_markdown_is_parsed_in_one_place() -> None:
    # Whoever needs a document's parts reads the Document; only the parser knows the grammar:
    # no other module imports a Markdown library or matches the annotation syntax itself.
    imports = {path.relative_to(REPO).as_posix() for path in _sources()
               if re.search(r"^\s*(from|import) (markdown_it|markdown|mdit_py_plugins)\b",
                            path.read_text("utf-8"), re.M)}
    assert imports == {"casebook/parser.py"}
    grammar = {path.relative_to(REPO).as_posix() for path in _sources()
               if re.search(r"\\\]\\\{|\\\]\s*\\\{", path.read_text("utf-8"))}
    assert grammar <= {"casebook/parser.py"}, grammar
