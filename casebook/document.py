"""The one Markdown parser: front matter, H2 sections, annotations and dialogue blocks.

Cases and guides both go through `parse_document`; everything downstream (checks, pages,
search, JSON) works from the `Document` it returns and never re-reads the file.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin

from casebook.model import Annotation, Dialogue, Document, Section, Utterance
from casebook.problems import Problem, closest
from casebook.vocabulary import Vocabulary

# Annotation keys that name a vocabulary facet, and the key that marks anonymisation exceptions.
ANNOTATION_FACETS = ("wall", "approach", "skill")
ALLOW_KEY = "anon"

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)
# A bracketed span `[text]{attrs}`; kept in step with what attrs_plugin parses.
SPAN = re.compile(r"\[([^\[\]\n]+)\]\{([^{}\n]*)\}")
# Pandoc allows bare non-ASCII attribute values ({wall=見えない}); djot's grammar, which
# mdit-py-plugins follows, does not. Quote them before parsing; lines stay where they are.
_BARE_VALUE = re.compile(r"(?<![\w\"])([A-Za-z_][\w:-]*)=([^\s\"{}]+)")
_DIALOGUE_LINE = re.compile(r"^\s*(?P<speaker>[^\[\]:：]+?)\s*(?:\[(?P<skill>[^\]]*)\])?\s*[:：]\s?(?P<text>.*)$")

_md = MarkdownIt("commonmark").enable("table").use(attrs_plugin, spans=True)


# libyaml's parser when PyYAML was built with it (the PyPI wheels are): front matter of
# 10,000 cases is a measurable part of a build with the pure-Python one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (front matter YAML or None, body, 1-based line where the body starts)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return None, text, 1
    return match.group(1) or "", text[match.end() :], match.group(0).count("\n") + 1


def load_front_matter(
    raw: str | None, display: str, problems: list[Problem]
) -> tuple[dict, dict[str, int]]:
    """Parse YAML front matter, returning the mapping and each key's (and list item's) line."""
    if raw is None:
        return {}, {}
    try:
        # One pass: the node tree gives each key's line, and the values are built from it.
        loader = _Loader(raw)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(error, "problem", None) or str(error)
        problems.append(Problem(display, line, "front matter", f"broken YAML: {reason}"))
        return {}, {}
    if data is None:
        return {}, {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        problems.append(Problem(display, 2, "front matter", "expected 'key: value' lines"))
        return {}, {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        lines[key] = key_node.start_mark.line + 2  # +1 for 1-based, +1 for the '---' line
        if isinstance(value_node, yaml.SequenceNode):
            for index, item in enumerate(value_node.value):
                lines[f"{key}[{index}]"] = item.start_mark.line + 2
        elif isinstance(value_node, yaml.MappingNode):
            for sub_key, _ in value_node.value:
                lines[f"{key}.{sub_key.value}"] = sub_key.start_mark.line + 2
    return data, lines


def _quote_bare_values(body: str) -> str:
    def quote(match: re.Match) -> str:
        attrs = _BARE_VALUE.sub(r'\1="\2"', match.group(2))
        return f"[{match.group(1)}]{{{attrs}}}"

    return SPAN.sub(quote, body)


def parse_document(
    path: Path, rel_path: str, text: str, vocabulary: Vocabulary, problems: list[Problem]
) -> Document:
    """Parse one Markdown file; append every problem found to `problems`."""
    raw_meta, body, body_line = split_front_matter(text)
    meta, meta_lines = load_front_matter(raw_meta, rel_path, problems)
    doc = Document(
        path=path,
        rel_path=rel_path,
        meta=meta,
        meta_lines=meta_lines,
        title="",
        body=body,
        body_line=body_line,
    )
    tokens = _md.parse(_quote_bare_values(body))
    lines = body.splitlines()
    offset = body_line  # token.map rows are 0-based within the body
    section: str | None = None
    section_start = 0
    section_line = 0
    texts: list[str] = []
    code_lines: set[int] = set()

    def close_section(end: int) -> None:
        if section is None:  # the lead paragraphs between the H1 and the first H2
            doc.intro = "\n".join(t for t in texts if t).strip()
        else:
            doc.sections.append(
                Section(
                    title=section,
                    line=section_line,
                    markdown="\n".join(lines[section_start:end]).strip(),
                    text="\n".join(t for t in texts if t).strip(),
                )
            )

    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.map:
            heading = tokens[index + 1].content.strip()
            if token.tag == "h1" and not doc.title:
                doc.title = heading
            elif token.tag == "h2":
                close_section(token.map[0])
                section, section_start = heading, token.map[1]
                section_line = token.map[0] + offset
                texts = []
        elif token.type == "inline" and token.map:
            if index and tokens[index - 1].type == "heading_open":
                continue
            texts.append(_inline_text(token))
            doc.annotations.extend(
                _annotations(token, token.map[0] + offset, section, vocabulary, rel_path, problems)
            )
        elif token.type in ("fence", "code_block") and token.map:
            code_lines.update(range(token.map[0], token.map[1]))
            if token.type == "fence" and token.info.strip() == "dialogue":
                dialogue = _dialogue(token, offset, section, vocabulary, rel_path, problems)
                doc.dialogues.append(dialogue)
                texts.append(dialogue.text)
    close_section(len(lines))
    doc.code_lines = frozenset(code_lines)
    return doc


def _inline_text(token: Token) -> str:
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def _annotations(
    token: Token,
    first_line: int,
    section: str | None,
    vocabulary: Vocabulary,
    rel_path: str,
    problems: list[Problem],
) -> list[Annotation]:
    found: list[Annotation] = []
    line = first_line
    stack: list[tuple[dict, list[str], int]] = []
    for child in token.children or ():
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        if child.type == "span_open":
            stack.append((dict(child.attrs), [], line))
        elif child.type == "span_close" and stack:
            attrs, parts, start = stack.pop()
            text = "".join(parts)
            if stack:
                stack[-1][1].append(text)
            terms = []
            for key, value in attrs.items():
                if key == ALLOW_KEY:
                    continue
                if key not in ANNOTATION_FACETS:
                    shown = f".{value}" if key == "class" else f"#{value}" if key == "id" else key
                    problems.append(
                        Problem(
                            rel_path,
                            start,
                            "annotation",
                            f"unknown annotation key '{shown}' (use {', '.join(ANNOTATION_FACETS)} or {ALLOW_KEY})",
                            shown,
                            closest(key, [*ANNOTATION_FACETS, ALLOW_KEY]),
                        )
                    )
                    continue
                facet = vocabulary[key]
                for value_part in str(value).split(","):
                    term = facet.get(value_part.strip())
                    if term is None:
                        problems.append(
                            Problem(
                                rel_path,
                                start,
                                "annotation",
                                f"unknown {key} '{value_part.strip()}'",
                                value_part.strip(),
                                facet.suggest(value_part.strip()),
                            )
                        )
                    else:
                        terms.append(term)
            found.append(
                Annotation(text=text, terms=tuple(terms), line=start, section=section,
                           allow=str(attrs.get(ALLOW_KEY, "")) or None)
            )
        elif child.type in ("text", "code_inline") and stack:
            stack[-1][1].append(child.content)
    return found


def _dialogue(
    token: Token,
    offset: int,
    section: str | None,
    vocabulary: Vocabulary,
    rel_path: str,
    problems: list[Problem],
) -> Dialogue:
    utterances: list[Utterance] = []
    skills = vocabulary["skill"]
    first = token.map[0] + offset + 1  # the line after the opening fence
    for number, raw in enumerate(token.content.splitlines(), start=first):
        if not raw.strip():
            continue
        match = _DIALOGUE_LINE.match(raw)
        if not match:
            if utterances:  # a wrapped line continues the previous turn
                last = utterances.pop()
                utterances.append(
                    Utterance(last.speaker, f"{last.text}\n{raw.strip()}", last.skill, last.line)
                )
                continue
            problems.append(
                Problem(
                    rel_path,
                    number,
                    "dialogue",
                    f"expected '話者[技法]: 発言', got '{raw.strip()[:30]}'",
                    raw.strip(),
                )
            )
            continue
        skill = None
        name = (match.group("skill") or "").strip()
        if name:
            skill = skills.get(name)
            if skill is None:
                problems.append(
                    Problem(rel_path, number, "dialogue", f"unknown skill '{name}'", name,
                            skills.suggest(name))
                )
        utterances.append(
            Utterance(match.group("speaker").strip(), match.group("text").strip(), skill, number)
        )
    return Dialogue(
        utterances=tuple(utterances),
        line=token.map[0] + offset,
        end_line=token.map[1] + offset - 1,
        section=section,
    )
