"""Reading an author's file safely: bytes to text, front matter to values, every fault located.

    text = decode(data, "cases/x.md", problems)            # None if it is not UTF-8
    raw, body, body_line = split_front_matter(text)
    meta = load_front_matter(raw, "cases/x.md", problems)  # FrontMatter: values and lines

What authors get wrong here is reported as a `Problem` (file, line, field, value), never a
traceback: a file that is not UTF-8, a byte-order mark, control characters, broken YAML,
YAML anchors and aliases (one front-matter value copied into another, or an alias bomb),
duplicate keys. Values are only constructed after all of that has been ruled out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from casebook.problems import Problem

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)

# libyaml's parser when PyYAML was built with it (the PyPI wheels are).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# C0 controls but tab and line feed, DEL, C1 controls: invisible in an editor, and an ESC in a
# title would be sent to every terminal that prints it. Bidirectional overrides and isolates
# too: they make a reader see text in another order than it is written (and checked). And the
# noncharacters U+FDD0–FDEF, U+FFFE and U+FFFF: no text, and not allowed in XML (Moodle XML).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                     "\ufdd0-\ufdef\ufffe\uffff]")


def decode(data: bytes, display: str, problems: list[Problem]) -> str | None:
    """The file's text (UTF-8, a leading BOM dropped, line ends as \\n); None if not UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(Problem(
            display, line, "encoding",
            f"the file is not UTF-8 (byte 0x{data[error.start]:02x} at column {column}): "
            "save it as UTF-8", f"0x{data[error.start]:02x}"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def control_characters(text: str, display: str, problems: list[Problem], *,
                       first_line: int = 1, field_name: str = "text") -> None:
    """Report every line holding a control character (ESC, BEL, NUL …)."""
    if not CONTROL.search(text):
        return
    for number, line in enumerate(text.split("\n"), start=first_line):
        found = CONTROL.search(line)
        if found:
            problems.append(Problem(
                display, number, field_name,
                f"control character U+{ord(found.group()):04X} ({_name(found.group())}) "
                f"at column {found.start() + 1}: remove it", repr(found.group())))


def _name(char: str) -> str:
    if "\ufdd0" <= char <= "\ufdef" or char in "\ufffe\uffff":
        return "noncharacter"
    return {"\x1b": "ESC", "\x07": "BEL", "\x00": "NUL", "\x08": "BS", "\x7f": "DEL"}.get(
        char, unicodedata.name(char, "control").lower())


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (front matter YAML or None, body, 1-based line where the body starts)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return None, text, 1
    return match.group(1) or "", text[match.end():], match.group(0).count("\n") + 1


@dataclass
class FrontMatter:
    """Front-matter values and the line each key (and list item, and sub-key) is on."""

    values: dict = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    present: bool = False  # the file has a '---' block at all

    def line(self, key: str, default: int = 1) -> int:
        return self.lines.get(key, default)

    def get(self, key: str, default: object = None) -> object:
        return self.values.get(key, default)

    def __contains__(self, key: str) -> bool:
        return key in self.values


def load_yaml(raw: str, display: str, problems: list[Problem], *, first_line: int = 1,
              field_name: str = "YAML") -> tuple[object, yaml.Node | None]:
    """Parse YAML text into (value, node); None and a Problem for anything unsafe or broken.

    `first_line` is the file line of the YAML's first line (2 for front matter after '---').
    """
    before = len(problems)
    try:
        loader = _Loader(raw)
        try:
            while loader.check_event():
                event = loader.get_event()
                anchor = getattr(event, "anchor", None)
                if isinstance(event, yaml.AliasEvent) or anchor is not None:
                    kind = "alias *" if isinstance(event, yaml.AliasEvent) else "anchor &"
                    problems.append(Problem(
                        display, event.start_mark.line + first_line, field_name,
                        f"YAML {kind}{anchor} is not allowed: write each value out in full",
                        f"{kind.split()[-1]}{anchor}"))
                    return None, None
        finally:
            loader.dispose()
        loader = _Loader(raw)
        try:
            node = loader.get_single_node()
            _duplicate_keys(node, display, problems, first_line)
            if len(problems) > before:
                return None, None
            value = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + first_line if mark is not None else first_line
        reason = getattr(error, "problem", None) or str(error)
        problems.append(Problem(display, line, field_name, f"broken YAML: {reason}"))
        return None, None
    return value, node


# Deeper than this, YAML is no longer front matter (and nesting a thousand lists deep would
# exhaust Python's recursion when the values are built).
MAX_DEPTH = 20


def _duplicate_keys(root: yaml.Node | None, display: str, problems: list[Problem],
                    first_line: int) -> None:
    """Report keys given twice in one mapping, and values nested too deeply."""
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            problems.append(Problem(display, node.start_mark.line + first_line, "YAML",
                                    f"values nested more than {MAX_DEPTH} levels deep"))
            return
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = str(key_node.value)
                line = key_node.start_mark.line + first_line
                if key in seen:
                    problems.append(Problem(
                        display, line, key,
                        f"duplicate key '{key}' (first on line {seen[key]}): keep one", key))
                else:
                    seen[key] = line
                stack.append((value_node, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)


def load_front_matter(raw: str | None, display: str, problems: list[Problem]) -> FrontMatter:
    """Parse YAML front matter (after the opening '---' on line 1)."""
    if raw is None:
        return FrontMatter()
    data, node = load_yaml(raw, display, problems, first_line=2, field_name="front matter")
    if data is None:
        return FrontMatter(present=True)
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        problems.append(Problem(display, 2, "front matter", "expected 'key: value' lines"))
        return FrontMatter(present=True)
    lines = node_lines(node, first_line=2)
    for key, value in data.items():
        _control_in_value(value, str(key), lines.get(str(key), 2), display, problems)
    return FrontMatter({str(k): v for k, v in data.items()}, lines, present=True)


def node_lines(node: yaml.MappingNode, *, first_line: int) -> dict[str, int]:
    """Each key's line, and `key[i]` / `key.sub` for list items and sub-keys, at any depth
    (`sessions[0].cases[1]`)."""
    lines: dict[str, int] = {}
    stack: list[tuple[str, yaml.Node]] = []
    for key_node, value_node in node.value:
        key = str(key_node.value)
        lines[key] = key_node.start_mark.line + first_line
        stack.append((key, value_node))
    while stack:
        path, value_node = stack.pop()
        if isinstance(value_node, yaml.SequenceNode):
            for index, item in enumerate(value_node.value):
                lines[f"{path}[{index}]"] = item.start_mark.line + first_line
                stack.append((f"{path}[{index}]", item))
        elif isinstance(value_node, yaml.MappingNode):
            for sub_key, sub_value in value_node.value:
                lines[f"{path}.{sub_key.value}"] = sub_key.start_mark.line + first_line
                stack.append((f"{path}.{sub_key.value}", sub_value))
    return lines


def _control_in_value(value: object, key: str, line: int, display: str,
                      problems: list[Problem]) -> None:
    if isinstance(value, str):
        found = CONTROL.search(value)
        if found:
            problems.append(Problem(
                display, line, key,
                f"control character U+{ord(found.group()):04X} ({_name(found.group())}) "
                "in the value: remove it", repr(found.group())))
    elif isinstance(value, list):
        for item in value:
            _control_in_value(item, key, line, display, problems)
    elif isinstance(value, dict):
        for sub_key, item in value.items():
            _control_in_value(item, f"{key}.{sub_key}", line, display, problems)
