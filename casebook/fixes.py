"""Safe fixes to a case file, each reported: `casebook check --fix normalize|anonymize`.

`normalize_case()` rewrites front-matter values to the vocabulary's labels (a synonym, a code,
a slug, full-width digits in a band: `ついてこない` → `付いてこない`, `E` → `製造業`,
`１－５` → `1-5`), drops the second spelling of a term listed twice, adds to `walls` a wall
annotated in the body but not listed, and trims spaces around an id. It edits the characters
of those values and nothing else: comments, key order, quoting and line ends of the rest of the
file stay byte for byte as they were (the YAML is never dumped again). The one exception, also
reported: CR-only or mixed line ends become LF (see `_Text`).

`propose()` suggests a replacement for an anonymisation finding (「山田社長」→「社長」, a
phone number → deleted); `apply_replacement()` makes one confirmed replacement. Nothing here
decides to apply a proposal: the author confirms each one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from casebook.anonymize import TITLES
from casebook.authoring import yaml_scalar
from casebook.facets import FACETS
from casebook.parser import parse_document
from casebook.problems import Problem
from casebook.sources import split_front_matter
from casebook.vocabulary import SLUG, Term, Vocabulary

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FIELD_FACETS = {spec.field: spec for spec in FACETS if spec.field}


@dataclass(frozen=True)
class Change:
    """One edit made to a file, as reported to the author."""

    path: str
    line: int
    field: str
    before: str
    after: str
    # Where in the text the edit is and which of the lines it adds: for the final line.
    at: int = field(default=0, compare=False, repr=False)
    extra: int = field(default=0, compare=False, repr=False)

    def __str__(self) -> str:
        if not self.before:
            return f"{self.path}:{self.line}: {self.field}: added '{self.after}'"
        if not self.after:
            return f"{self.path}:{self.line}: {self.field}: removed '{self.before}' (listed twice)"
        return f"{self.path}:{self.line}: {self.field}: '{self.before}' → '{self.after}'"


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    text: str


class _Text:
    """A file's text with its byte-order mark and line ends set aside, to be put back.

    A file whose lines all end in CRLF gets CRLF back; any other file with a CR in it (CR-only
    line ends, as old Mac editors wrote, or a mix of CR, CRLF and LF) gets LF: `casebook check`
    and the build already read every CR, CRLF and LF as one line end, so LF is the text they
    check, and a mix cannot be put back line for line once lines are added or removed.
    """

    def __init__(self, text: str) -> None:
        self.bom = text.startswith("\ufeff")
        body = text[1:] if self.bom else text
        crlf = body.count("\r\n")
        self.crlf = crlf > 0 and crlf == body.count("\n") == body.count("\r")
        self.text = body.replace("\r\n", "\n").replace("\r", "\n")
        self.line_ends = _line_ends(body) if "\r" in body and not self.crlf else None

    def restore(self, text: str) -> str:
        text = text.replace("\n", "\r\n") if self.crlf else text
        return ("\ufeff" if self.bom else "") + text

    def line_end_change(self, path: str) -> Change | None:
        """The change made by writing LF for CR-only or mixed line ends (None: none made)."""
        if self.line_ends is None:
            return None
        line, before = self.line_ends
        return Change(path, line, "line ends", before, "LF")


def _line_ends(body: str) -> tuple[int, str]:
    """The first line not ending in LF, and the file's line ends counted ('CR ×3, LF ×2')."""
    crlf = body.count("\r\n")
    counts = {"CR": body.count("\r") - crlf, "CRLF": crlf, "LF": body.count("\n") - crlf}
    line = body.count("\n", 0, body.index("\r")) + 1  # no CR before it
    return line, ", ".join(f"{end} ×{n}" for end, n in counts.items() if n)


def _scalar(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
        return node.value
    return None


def normalize_case(text: str, path: str, vocabulary: Vocabulary) -> tuple[str, list[Change]]:
    """The case file with its safe fixes made, and the list of changes (empty: untouched)."""
    source = _Text(text)
    fixed, changes = _normalize_values(source.text, path, vocabulary)
    line_ends = source.line_end_change(path)
    if line_ends is not None:
        changes = [line_ends, *changes]
    return source.restore(fixed), changes


def _normalize_values(text: str, path: str, vocabulary: Vocabulary) -> tuple[str, list[Change]]:
    """The LF text with the front-matter values fixed, and the changes (empty: untouched)."""
    raw, _, _ = split_front_matter(text)
    if raw is None:
        return text, []
    start = text.index("\n") + 1  # the YAML begins on line 2
    try:
        root = yaml.compose(raw, Loader=_Loader)
    except yaml.YAMLError:
        return text, []  # `casebook check` reports broken YAML
    if not isinstance(root, yaml.MappingNode):
        return text, []
    edits: list[_Edit] = []
    changes: list[Change] = []

    def replace(node: yaml.Node, field: str, before: str, after: str) -> None:
        edits.append(_Edit(start + node.start_mark.index, start + node.end_mark.index,
                           yaml_scalar(after)))
        changes.append(Change(path, 0, field, before, after, start + node.start_mark.index))

    walls_node: yaml.Node | None = None
    walls_key: yaml.Node | None = None
    listed: set[str] = set()
    unknown_wall = False  # a misspelt wall may be the annotated one: the author decides
    for key_node, value_node in root.value:
        key = str(key_node.value)
        if key == "id":
            value = _scalar(value_node)
            fixed = unicodedata.normalize("NFKC", value).strip() if value else None
            if value and fixed != value and SLUG.fullmatch(fixed):
                replace(value_node, key, value, fixed)
            continue
        spec = _FIELD_FACETS.get(key)
        if spec is None:
            continue
        facet = vocabulary[spec.name]
        items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        seen: set[str] = set()
        for index, item in enumerate(items):
            value = _scalar(item)
            term = facet.get(value) if value is not None else None
            if term is None:
                unknown_wall = unknown_wall or spec.name == "wall"
                continue
            if spec.name == "wall":
                listed.add(term.slug)
            if term.slug in seen:  # [見えない, 見えない壁]: one term written twice
                cut = _item_span(text, start, value_node, index)
                if cut is not None:
                    edits.append(_Edit(*cut, ""))
                    changes.append(Change(path, 0, key, value, "", start + item.start_mark.index))
                    continue
            seen.add(term.slug)
            if value != term.label:
                replace(item, key, value, term.label)
        if spec.name == "wall":
            walls_key, walls_node = key_node, value_node
    if not unknown_wall:
        edits += _missing_walls(text, start, raw, path, vocabulary, walls_key, walls_node,
                                listed, changes)
    if not edits:
        return text, []
    changes = _final_lines(changes, edits, text)
    fixed_text = text
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        fixed_text = fixed_text[:edit.start] + edit.text + fixed_text[edit.end:]
    # The edits must read back as YAML holding the values reported; if not, leave the file.
    check_raw, _, _ = split_front_matter(fixed_text)
    try:
        values = yaml.load(check_raw or "", Loader=_Loader)
    except yaml.YAMLError:
        return text, []
    if not isinstance(values, dict) or not _reads_back(values, changes):
        return text, []
    return fixed_text, sorted(changes, key=lambda c: c.line)


def _item_span(text: str, start: int, node: yaml.Node, index: int) -> tuple[int, int] | None:
    """Where the list item `index` (not the first) is written with its separator, to cut it."""
    if not isinstance(node, yaml.SequenceNode) or index == 0:
        return None
    item, previous = node.value[index], node.value[index - 1]
    if node.flow_style:  # ', item' after the item before it
        return start + previous.end_mark.index, start + item.end_mark.index
    line_start = text.rfind("\n", 0, start + item.start_mark.index) + 1
    line_end = text.find("\n", start + item.end_mark.index)
    rest = text[start + item.end_mark.index:line_end]
    if text[line_start:start + item.start_mark.index].strip() != "-" or \
            (rest.strip() and not rest.strip().startswith("#")):
        return None
    return line_start, line_end + 1


def _reads_back(values: dict, changes: list[Change]) -> bool:
    for change in changes:
        if not change.after:
            continue  # a removed duplicate
        value = values.get(change.field)
        found = value if isinstance(value, list) else [value]
        if change.after not in found:
            return False
    return True


def _final_lines(changes: list[Change], edits: list[_Edit], text: str) -> list[Change]:
    """Each change's line in the fixed file (added lines move the lines below them)."""
    moved = []
    for change in changes:
        shift = sum(e.text.count("\n") - text.count("\n", e.start, e.end)
                    for e in edits if e.start < change.at and e.end <= change.at)
        line = text.count("\n", 0, change.at) + 1 + shift + change.extra
        moved.append(Change(change.path, line, change.field, change.before, change.after))
    return moved


def _annotated_walls(text: str, path: str, vocabulary: Vocabulary) -> list[Term]:
    problems: list[Problem] = []
    doc = parse_document(path, "cases/x.md", text, vocabulary, problems)
    return doc.annotated("wall")


def _missing_walls(text: str, start: int, raw: str, path: str, vocabulary: Vocabulary,
                   key: yaml.Node | None, node: yaml.Node | None,
                   listed: set[str], changes: list[Change]) -> list[_Edit]:
    """Edits adding to `walls` each wall annotated in the body but not listed there."""
    missing = [t for t in _annotated_walls(text, path, vocabulary) if t.slug not in listed]
    if not missing:
        return []
    labels = [t.label for t in missing]
    if node is None:  # no walls field at all: a new line at the end of the front matter
        at = start + len(raw)
        changes += [Change(path, 0, "walls", "", label, at) for label in labels]
        return [_Edit(at, at, f"walls: [{', '.join(yaml_scalar(x) for x in labels)}]\n")]
    if isinstance(node, yaml.SequenceNode) and node.flow_style:
        close = start + node.end_mark.index - 1  # the ']'
        if text[close] != "]":
            return []
        changes += [Change(path, 0, "walls", "", label, close) for label in labels]
        lead = ", " if node.value else ""
        return [_Edit(close, close, lead + ", ".join(yaml_scalar(x) for x in labels))]
    if isinstance(node, yaml.SequenceNode) and node.value:  # block list: lines like the last
        last = node.value[-1]
        line_start = start + raw.rfind("\n", 0, last.start_mark.index) + 1
        line_end = text.index("\n", start + last.end_mark.index)
        prefix = text[line_start:start + last.start_mark.index]
        if prefix.strip() != "-":
            return []
        changes += [Change(path, 0, "walls", "", label, line_end + 1, i)
                    for i, label in enumerate(labels)]
        return [_Edit(line_end + 1, line_end + 1,
                      "".join(f"{prefix}{yaml_scalar(x)}\n" for x in labels))]
    if isinstance(node, yaml.ScalarNode) and node.value == "" and key is not None:
        at = start + key.end_mark.index + 1  # after 'walls:'
        changes += [Change(path, 0, "walls", "", label, at) for label in labels]
        end = start + node.end_mark.index if node.end_mark.index > key.end_mark.index else at
        return [_Edit(at, max(at, end), " [" + ", ".join(yaml_scalar(x) for x in labels) + "]")]
    return []


# --- anonymisation proposals ------------------------------------------------------------

_DELETE = frozenset({"phone", "email", "url", "postal-code"})
_TITLE_WORDS = sorted(TITLES, key=len, reverse=True)
_DAY = re.compile(r"^(?P<keep>.*?月)\s*[0-9０-９〇一二三四五六七八九十]+\s*日(?:頃|ごろ)?$")
_NUMERIC_DATE = re.compile(r"^(?P<y>\d{4})[/.\-](?P<m>\d{1,2})[/.\-]\d{1,2}$")


@dataclass(frozen=True)
class Proposal:
    """A replacement for an identifying detail, to be confirmed by the author."""

    path: str
    line: int
    column: int
    kind: str
    text: str
    replacement: str

    def describe(self) -> str:
        shown = self.text.replace("\n", " ")
        if not self.replacement:
            return f"{self.path}:{self.line}: 「{shown}」→ 削除"
        return f"{self.path}:{self.line}: 「{shown}」→「{self.replacement}」"


def propose(kind: str, text: str, alias: str = "") -> str | None:
    """A replacement for a finding's text ('' deletes it), or None: rewrite it by hand."""
    if kind in _DELETE:
        return ""
    if kind == "person":
        folded = unicodedata.normalize("NFKC", text)
        for title in _TITLE_WORDS:
            if folded.endswith(title) and folded != title:
                return title  # 山田社長 → 社長
            if folded.startswith(title) and folded != title:
                return title  # 代表取締役 山田太郎 → 代表取締役
        return None  # 鈴木さん: which role? only the author knows
    if kind == "date":
        folded = unicodedata.normalize("NFKC", text)
        day = _DAY.match(folded)
        if day:
            return day.group("keep")  # 2023年4月5日 → 2023年4月
        numeric = _NUMERIC_DATE.match(folded)
        if numeric:
            return f"{numeric.group('y')}年{int(numeric.group('m'))}月"
        return None
    if kind == "company" and alias:
        return alias  # 株式会社山田製作所 → A社
    return None


def proposal_for(problem: Problem, aliases: dict[str, str]) -> Proposal | None:
    """The proposal for an anonymisation problem of `casebook check`, if there is one."""
    if problem.field != "anonymization" or not problem.value or "\n" in problem.value \
            or not problem.kind or problem.column < 1:
        return None
    replacement = propose(problem.kind, problem.value, aliases.get(problem.path, ""))
    if replacement is None:
        return None
    return Proposal(problem.path, problem.line, problem.column, problem.kind, problem.value,
                    replacement)


def apply_replacement(text: str, proposal: Proposal) -> str | None:
    """The text with the proposal made on its line (None: the text is no longer there)."""
    source = _Text(text)
    lines = source.text.split("\n")
    if not 0 < proposal.line <= len(lines):
        return None
    line = lines[proposal.line - 1]
    at = proposal.column - 1
    if line[at:at + len(proposal.text)] != proposal.text:
        at = line.find(proposal.text)
        if at < 0:
            return None
    before, after = line[:at], line[at + len(proposal.text):]
    if not proposal.replacement:  # a deleted detail leaves no doubled space behind
        before = before.rstrip(" 　") if after.startswith((" ", "　")) else before
    lines[proposal.line - 1] = before + proposal.replacement + after
    return source.restore("\n".join(lines))
