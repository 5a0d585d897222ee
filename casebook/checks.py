"""Checking a parsed document against its schema and the vocabulary: a `Case` or a `Guide`.

Every problem is appended with its file, line, field, the bad value and, where one is close,
the valid value the author probably meant. Nothing here reads a file.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from casebook.authoring import template_leftovers
from casebook.model import (
    OPTIONAL_SECTIONS,
    REQUIRED_SECTIONS,
    SECTION_HINTS,
    SECTION_QUESTIONS,
    Case,
    Document,
    Guide,
    PublishedText,
)
from casebook.problems import Problem, closest, type_name
from casebook.schema import CASE_FIELDS, GUIDE_FIELDS, KINDS, RESERVED_IDS, STATUSES, Field
from casebook.vocabulary import SLUG, Term, Vocabulary

_ID = SLUG  # a case id is a slug: it is the page's name in the site


# A line break, including Unicode's line and paragraph separators (YAML's "\\L", "\\P").
_LINE_BREAK = re.compile("[\n\u2028\u2029]")


def check_types(doc: Document, fields: dict[str, Field], problems: list[Problem]) -> None:
    """Each field holds the kind of value it takes."""
    meta = doc.meta
    for key, value in meta.values.items():
        spec = fields.get(key)
        if spec is None or value is None:
            continue
        line = meta.line(key)
        if spec.facet is not None and spec.many:
            if not isinstance(value, list):
                example = f"[{value}]" if isinstance(value, str) else "[…]"
                problems.append(Problem(doc.path, line, key,
                                        f"expected a list such as {example}, "
                                        f"got {type_name(value)}", str(value)))
            elif any(isinstance(v, (list, dict)) for v in value):
                problems.append(Problem(doc.path, line, key,
                                        "expected a list of names, one per item", str(value)))
        elif spec.facet is not None or spec.type == "text":
            if isinstance(value, (list, dict, bool)) or (
                    spec.facet is None and not isinstance(value, str)):
                problems.append(Problem(doc.path, line, key,
                                        f"expected one line of text, got {type_name(value)}",
                                        str(value)))
            elif isinstance(value, str) and _LINE_BREAK.search(value.strip()):
                # A title or alias is a heading, a <title>, a card and a search hit: one line.
                lines = len(_LINE_BREAK.split(value.strip()))
                problems.append(Problem(doc.path, line, key, f"expected one line of text, got "
                                        f"{lines} lines", _LINE_BREAK.sub(" ", value.strip())))
        elif spec.type == "mapping" and not isinstance(value, dict):
            problems.append(Problem(doc.path, line, key,
                                    f"expected a mapping (key: value), got {type_name(value)}",
                                    str(value)))


def unknown_keys(doc: Document, fields: dict[str, Field], problems: list[Problem]) -> None:
    for key in doc.meta.values:
        if key not in fields:
            problems.append(Problem(doc.path, doc.meta.line(key), key, "unknown field", key,
                                    closest(key, list(fields))))


def published_meta(doc: Document, fields: dict[str, Field]) -> None:
    """Record the front-matter values pages print, for the anonymisation check."""
    for key, spec in fields.items():
        value = doc.meta.get(key)
        if spec.published and spec.facet is None and isinstance(value, str) and value.strip():
            doc.texts.append(PublishedText(value, doc.meta.line(key), key))


def _facet_value(doc: Document, spec: Field, value: object, vocabulary: Vocabulary,
                 problems: list[Problem], line: int) -> Term | None:
    facet = vocabulary[spec.facet]
    term = facet.get(value)
    if term is None:
        problems.append(Problem(doc.path, line, spec.name, f"unknown {spec.facet} '{value}'",
                                str(value), facet.suggest(value)))
    return term


def read_case(doc: Document, vocabulary: Vocabulary, problems: list[Problem]) -> Case | None:
    """Check a parsed case file against the schema and vocabulary; None if unusable."""
    path, meta = doc.path, doc.meta
    before = len(problems)
    if not meta.present:
        problems.append(Problem(path, 1, "front matter",
                                "missing front matter: the file must start with a '---' block"))
        return None
    if not meta.values and any(p.path == path for p in problems[:before]):
        return None  # broken YAML, already reported
    unknown_keys(doc, CASE_FIELDS, problems)
    before_types = len(problems)
    check_types(doc, CASE_FIELDS, problems)
    mistyped = {p.field for p in problems[before_types:]}
    for spec in CASE_FIELDS.values():
        if spec.required and meta.get(spec.name) in (None, "", []):
            problems.append(Problem(path, meta.line(spec.name), spec.name,
                                    "missing required field"))
    published_meta(doc, CASE_FIELDS)

    facets: dict[str, list[Term]] = {}
    for spec in CASE_FIELDS.values():
        value = meta.get(spec.name)
        if spec.facet is None or value in (None, "") or spec.name in mistyped:
            continue
        line = meta.line(spec.name)
        values = value if spec.many else [value]
        terms = [_facet_value(doc, spec, v, vocabulary, problems,
                              meta.line(f"{spec.name}[{i}]", line) if spec.many else line)
                 for i, v in enumerate(values)]
        facets[spec.facet] = [t for t in terms if t is not None]

    case_id = meta.get("id")
    case_id = case_id if isinstance(case_id, str) else ""
    stem = PurePosixPath(path).stem
    if case_id and not _ID.fullmatch(case_id):
        problems.append(Problem(path, meta.line("id"), "id",
                                "id must be lowercase ASCII letters, digits and '-'",
                                case_id, stem if _ID.fullmatch(stem) else None))
    elif case_id in RESERVED_IDS:
        problems.append(Problem(path, meta.line("id"), "id",
                                f"'{case_id}' is the name of a page the site makes: "
                                "choose another id", case_id))
    elif case_id and case_id != stem:
        problems.append(Problem(path, meta.line("id"), "id",
                                f"id '{case_id}' differs from the file name '{stem}': "
                                "make them the same", case_id,
                                stem if _ID.fullmatch(stem) else None))
    kind = meta.get("kind") if isinstance(meta.get("kind"), str) else ""
    if kind and kind not in KINDS:
        problems.append(Problem(path, meta.line("kind"), "kind", f"unknown kind '{kind}'", kind,
                                closest(kind, list(KINDS))))
    status = meta.get("status") if isinstance(meta.get("status"), str) else ""
    if status and status not in STATUSES:
        problems.append(Problem(path, meta.line("status"), "status",
                                f"unknown status '{status}'", status,
                                closest(status, list(STATUSES))))
    if kind == "precedent" and not meta.get("source"):
        problems.append(Problem(path, meta.line("kind"), "source",
                                "a precedent must cite its source (source: …)"))
    _check_title(doc, problems)
    _second_h1(doc, problems)
    if status == "published":
        template_leftovers(doc, problems)
    present = [s.title for s in doc.sections]
    for required in REQUIRED_SECTIONS:
        if required not in present:
            problems.append(Problem(path, doc.body_line, "section",
                                    f"missing required section '## {required}'"))
    for section in doc.sections:
        if section.title not in REQUIRED_SECTIONS + OPTIONAL_SECTIONS:
            problems.append(Problem(path, section.line, "section",
                                    f"unknown section '## {section.title}'", section.title,
                                    closest(section.title,
                                            list(REQUIRED_SECTIONS + OPTIONAL_SECTIONS))))
    _check_hints(doc, problems)
    listed = {t.slug for t in facets.get("wall", [])}
    if "walls" in mistyped or not isinstance(meta.get("walls"), list):
        listed = None  # the walls field is wrong itself: reported already
    for annotation in doc.annotations if listed is not None else ():
        for term in annotation.terms:
            if term.facet == "wall" and term.slug not in listed:
                problems.append(Problem(path, annotation.line, "walls",
                                        f"wall '{term.label}' is annotated in the text but not "
                                        "listed in front matter 'walls'", term.label))
                listed.add(term.slug)
    if len(problems) > before:
        return None
    # Skills come from dialogue tags and annotations, not from front matter.
    facets["skill"] = doc.annotated("skill")
    return Case(
        id=case_id,
        doc=doc,
        alias=str(meta.get("alias")),
        kind=kind,
        status=status,
        source=str(meta.get("source") or ""),
        industry_detail=str(meta.get("industry_detail") or ""),
        facets=facets,
    )


def _check_hints(doc: Document, problems: list[Problem]) -> None:
    """解答の手がかり: a numbered list whose every number is a question of 考えてみよう."""
    hints = doc.section(SECTION_HINTS)
    if hints is None:
        return
    items = doc.numbered.get(SECTION_HINTS, [])
    questions = {item.number for item in doc.numbered.get(SECTION_QUESTIONS, [])}
    if not items:
        problems.append(Problem(doc.path, hints.line, "section",
                                f"'## {SECTION_HINTS}' needs a numbered list (1. …), one hint "
                                f"per question of '## {SECTION_QUESTIONS}'"))
        return
    if not questions:
        problems.append(Problem(doc.path, hints.line, "section",
                                f"'## {SECTION_HINTS}' has no '## {SECTION_QUESTIONS}' with "
                                "numbered questions to answer"))
        return
    seen: set[int] = set()
    for item in items:
        if item.number in seen:
            problems.append(Problem(doc.path, item.line, SECTION_HINTS,
                                    f"hint {item.number} is written twice", str(item.number)))
        elif item.number not in questions:
            problems.append(Problem(
                doc.path, item.line, SECTION_HINTS,
                f"hint {item.number} has no question {item.number} in '## {SECTION_QUESTIONS}' "
                f"({len(questions)} questions)", str(item.number),
                str(max(n for n in questions if n < item.number))
                if any(n < item.number for n in questions) else None))
        seen.add(item.number)


def _second_h1(doc: Document, problems: list[Problem]) -> None:
    """A case has one H1, its title: another '# …' is a section written one level too high
    (the page would show two titles, and the section would be missing)."""
    sections = list(REQUIRED_SECTIONS + OPTIONAL_SECTIONS)
    for heading in [h for h in doc.headings if h.level == 1][1:]:
        section = closest(heading.text, sections)
        problems.append(Problem(
            doc.path, heading.line, "heading",
            f"a second H1 '# {heading.text}' (the title is the H1 on line {doc.title_line}): "
            "a case has one H1; write sections as '## …' and headings inside them as '### …'",
            heading.text, f"## {section}" if section else None))


def _check_title(doc: Document, problems: list[Problem]) -> None:
    if not doc.title:
        problems.append(Problem(doc.path, doc.body_line, "title",
                                "missing '# 見出し' (H1) line"))
        return
    title = doc.meta.get("title")
    if isinstance(title, str) and title.strip() and title.strip() != doc.title:
        problems.append(Problem(doc.path, doc.meta.line("title"), "title",
                                f"the title differs from the H1 on line {doc.title_line} "
                                f"('# {doc.title}'): make them the same", title.strip(),
                                doc.title))


def check_unique_ids(cases: list[Case], problems: list[Problem]) -> None:
    seen: dict[str, Case] = {}
    for case in cases:
        first = seen.setdefault(case.id, case)
        if first is not case:
            problems.append(Problem(case.doc.path, case.doc.meta.line("id"), "id",
                                    f"duplicate id '{case.id}' (also used by {first.doc.path})",
                                    case.id))


# The keys a guide passes on to the theme, which prints them into pages as they are: each
# must be a plain name (Material's `status: new`, `icon: material/book`, `hide: [toc]`).
_THEME_VALUES = {"status": re.compile(r"[a-z0-9][a-z0-9-]*")}
HIDE = ("navigation", "toc", "footer", "feedback", "path", "tags")
# A guide's status: a draft, or one of Material's own marks (published: written as for cases).
GUIDE_STATUSES = ("draft", "published", "new", "deprecated")


def _theme_keys(doc: Document, problems: list[Problem]) -> None:
    for key, pattern in _THEME_VALUES.items():
        value = doc.meta.get(key)
        if value is not None and not (isinstance(value, str) and pattern.fullmatch(value)):
            problems.append(Problem(doc.path, doc.meta.line(key), key,
                                    f"'{value}' is not a name the theme takes "
                                    f"(letters, digits and '-')", str(value)))
    status = doc.meta.get("status")
    if isinstance(status, str) and _THEME_VALUES["status"].fullmatch(status) \
            and status not in GUIDE_STATUSES:
        # Any other word published the guide: `status: drafts` or `internal` read as a draft
        # to its author, and as a theme mark to the build.
        problems.append(Problem(doc.path, doc.meta.line("status"), "status",
                                f"unknown status '{status}' (draft keeps the guide out of the "
                                "build; new and deprecated are the theme's marks)", status,
                                closest(status, list(GUIDE_STATUSES))))
    hide = doc.meta.get("hide")
    if hide is not None:
        values = hide if isinstance(hide, list) else [hide]
        for value in values:
            if value not in HIDE:
                problems.append(Problem(doc.path, doc.meta.line("hide"), "hide",
                                        f"cannot hide '{value}' (use {', '.join(HIDE)})",
                                        str(value), closest(str(value), list(HIDE))))


def read_guide(doc: Document, vocabulary: Vocabulary, problems: list[Problem]) -> Guide:
    """Check a guide's front matter (`explains:` and the keys passed on to the theme)."""
    unknown_keys(doc, GUIDE_FIELDS, problems)
    check_types(doc, GUIDE_FIELDS, problems)
    _theme_keys(doc, problems)
    published_meta(doc, GUIDE_FIELDS)
    title = doc.meta.get("title")
    if not doc.title and not (isinstance(title, str) and title.strip()):
        problems.append(Problem(doc.path, doc.body_line, "title",
                                "missing '# 見出し' (H1) line"))
    explains: dict[str, list[Term]] = {}
    raw = doc.meta.get("explains")
    line = doc.meta.line("explains")
    if raw is None or not isinstance(raw, dict):
        return Guide(doc, explains)
    for facet_name, values in raw.items():
        if facet_name not in vocabulary:
            problems.append(Problem(doc.path, line, "explains", f"unknown facet '{facet_name}'",
                                    str(facet_name),
                                    closest(str(facet_name), list(vocabulary.facets))))
            continue
        facet = vocabulary[facet_name]
        for value in values if isinstance(values, list) else [values]:
            term = facet.get(value)
            if term is None:
                problems.append(Problem(doc.path, line, f"explains.{facet_name}",
                                        f"unknown {facet_name} '{value}'", str(value),
                                        facet.suggest(value)))
            else:
                explains.setdefault(facet_name, []).append(term)
    return Guide(doc, explains)
