"""Read and check every case and guide of a project into a `Library`, or fail with all problems."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from casebook.document import parse_document
from casebook.library import Library
from casebook.model import OPTIONAL_SECTIONS, REQUIRED_SECTIONS, Case, Document, Guide
from casebook.parallel import map_in_processes
from casebook.problems import CheckError, Problem, closest
from casebook.schema import CASE_FIELDS, GUIDE_KEYS, INTERNAL_FIELDS, KINDS, STATUSES
from casebook.vocabulary import Term, Vocabulary, load_vocabulary

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class ProjectPaths:
    """Where a project keeps its files (relative paths resolve against `root`)."""

    root: Path
    content: str = "content"
    cases: str = "cases"
    taxonomy: str = "content/taxonomy.yml"
    private_terms: str = "content/private-terms.txt"

    def path(self, name: str) -> Path:
        return self.root / getattr(self, name)


class ReadCache:
    """What `load_library` parsed and scanned, kept for the next load (`mkdocs serve`).

    A file whose text is unchanged is not parsed or scanned again. Everything is thrown
    away when the vocabulary or the private terms change, since both decide what a file's
    problems are.
    """

    def __init__(self) -> None:
        self.key: tuple | None = None
        self.vocabulary: Vocabulary | None = None
        # rel path -> (text, doc, own problems, allowed texts, anonymisation findings)
        self.files: dict[str, tuple[str, Document, list[Problem], list[str], list]] = {}


def load_library(
    root: Path | ProjectPaths, *, drafts: bool = False, anonymity: bool = True,
    cache: ReadCache | None = None,
) -> Library:
    """Parse and check the whole project; raise CheckError listing every problem."""
    paths = root if isinstance(root, ProjectPaths) else ProjectPaths(Path(root))
    private_terms: list[str] = []
    if anonymity:
        from casebook.anonymize import load_private_terms

        private_terms = load_private_terms(paths.path("private_terms"))
    if cache is not None:
        taxonomy = paths.path("taxonomy")
        key = (taxonomy.read_bytes() if taxonomy.is_file() else None, tuple(private_terms),
               anonymity)
        if cache.key != key:
            cache.key, cache.vocabulary, cache.files = None, None, {}
        vocabulary = cache.vocabulary or load_vocabulary(taxonomy, display=paths.taxonomy)
        cache.key, cache.vocabulary = key, vocabulary
    else:
        vocabulary = load_vocabulary(paths.path("taxonomy"), display=paths.taxonomy)
    problems: list[Problem] = []

    content = paths.path("content")
    files = [(path, f"{paths.cases}/{path.name}", None)
             for path in sorted(paths.path("cases").glob("*.md"))]
    files += [(path, f"{paths.content}/{path.relative_to(content).as_posix()}",
               path.relative_to(content).as_posix()) for path in sorted(content.rglob("*.md"))]
    parsed = []
    findings: list[list | None] = []
    for path, rel, guide_uri in files:
        text = path.read_text(encoding="utf-8")
        known = cache.files.get(rel) if cache is not None else None
        if known is not None and known[0] == text:
            _, doc, own, allowed, found = known
        else:
            own: list[Problem] = []
            doc = parse_document(path, rel, text, vocabulary, own)
            allowed = _allowed(doc, rel, own) if anonymity else []
            found = None if anonymity else []
        parsed.append((doc, text, rel, guide_uri, own, allowed))
        findings.append(found)
    unscanned = [i for i, found in enumerate(findings) if found is None]
    if unscanned:
        # The anonymisation scan is most of a check's time: spread it over the cores.
        from casebook.japanese import tokenizer

        scanned = map_in_processes(partial(_scan, private_terms=private_terms),
                                   [(parsed[i][1], parsed[i][5]) for i in unscanned],
                                   before_fork=tokenizer)
        for i, found in zip(unscanned, scanned, strict=True):
            findings[i] = found
    if cache is not None:
        cache.files = {rel: (text, doc, own, allowed, found) for (doc, text, rel, _, own, allowed),
                       found in zip(parsed, findings, strict=True)}

    def own_problems(doc: Document, rel: str, own: list[Problem], found: list) -> None:
        problems.extend(own)
        internal = _internal_lines(doc)
        for finding in found:
            if finding.line not in internal:  # real names by design, and never published
                problems.append(Problem(rel, finding.line, "anonymization", finding.describe(),
                                        finding.text))

    cases: list[Case] = []
    guides: list[Guide] = []
    for (doc, _, rel, guide_uri, own, _), found in zip(parsed, findings, strict=True):
        if guide_uri is None:
            own_problems(doc, rel, own, found)
            case = read_case(doc, vocabulary, problems)
            if case is not None:
                cases.append(case)
    _check_unique_ids(cases, problems)
    for (doc, _, rel, guide_uri, own, _), found in zip(parsed, findings, strict=True):
        if guide_uri is not None:
            own_problems(doc, rel, own, found)
            doc.rel_path = guide_uri
            guides.append(read_guide(doc, rel, vocabulary, problems))

    if problems:
        raise CheckError(problems)
    published = [c for c in cases if drafts or not c.is_draft]
    return Library(vocabulary, published, guides, drafts=[c for c in cases if c.is_draft])


def _allowed(doc: Document, rel: str, problems: list[Problem]) -> list[str]:
    """Text the anonymisation check lets through: `{anon="…"}` spans, `anonymization.allow`."""
    allowed = [a.text for a in doc.annotations if a.allow]
    config = doc.meta.get("anonymization") or {}
    allow_list = config.get("allow") if isinstance(config, dict) else None
    for index, entry in enumerate(allow_list or []):
        line = doc.meta_lines.get("anonymization.allow", doc.meta_lines.get("anonymization", 1))
        if not isinstance(entry, dict) or not entry.get("text") or not entry.get("reason"):
            problems.append(
                Problem(rel, line, f"anonymization.allow[{index}]",
                        "each exception needs 'text' and 'reason'", str(entry))
            )
            continue
        allowed.append(str(entry["text"]))
    return allowed


def _scan(job: tuple[str, list[str]], private_terms: list[str]) -> list:
    from casebook.anonymize import scan

    text, allowed = job
    return scan(text, private_terms=private_terms, allowed=allowed)


def _internal_lines(doc: Document) -> set[int]:
    """Lines of the front matter's internal fields (a block value runs to the next key)."""
    starts = sorted((line, key) for key, line in doc.meta_lines.items()
                    if "." not in key and "[" not in key)
    ends = [line for line, _ in starts[1:]] + [doc.body_line - 1]
    return {n for (start, key), end in zip(starts, ends, strict=False)
            if key in INTERNAL_FIELDS for n in range(start, end)}


def _facet_value(
    doc: Document, name: str, value: object, vocabulary: Vocabulary, problems: list[Problem],
    line: int,
) -> Term | None:
    spec = CASE_FIELDS[name]
    facet = vocabulary[spec.facet]
    term = facet.get(value)
    if term is None:
        problems.append(
            Problem(doc.rel_path, line, name, f"unknown {spec.facet} '{value}'", str(value),
                    facet.suggest(value))
        )
    return term


def read_case(doc: Document, vocabulary: Vocabulary, problems: list[Problem]) -> Case | None:
    """Check a parsed case file against the schema and vocabulary; None if unusable."""
    rel, meta, lines = doc.rel_path, doc.meta, doc.meta_lines
    before = len(problems)
    if not meta and not lines:
        if not any(p.path == rel for p in problems):
            problems.append(Problem(rel, 1, "front matter", "missing front matter ('---' block)"))
        return None
    for key in meta:
        if key not in CASE_FIELDS:
            problems.append(
                Problem(rel, lines.get(key, 1), str(key), "unknown field", str(key),
                        closest(str(key), list(CASE_FIELDS)))
            )
    for spec in CASE_FIELDS.values():
        if spec.required and meta.get(spec.name) in (None, "", []):
            problems.append(Problem(rel, 1, spec.name, "missing required field"))

    facets: dict[str, list[Term]] = {}
    for spec in CASE_FIELDS.values():
        if spec.facet is None or meta.get(spec.name) in (None, ""):
            continue
        value = meta[spec.name]
        line = lines.get(spec.name, 1)
        if spec.many:
            values = value if isinstance(value, list) else [value]
            terms = [
                _facet_value(doc, spec.name, v, vocabulary, problems,
                             lines.get(f"{spec.name}[{i}]", line))
                for i, v in enumerate(values)
            ]
        else:
            if isinstance(value, list):
                problems.append(Problem(rel, line, spec.name, "expected one value, got a list"))
                continue
            terms = [_facet_value(doc, spec.name, value, vocabulary, problems, line)]
        facets[spec.facet] = [t for t in terms if t is not None]

    case_id = str(meta.get("id", ""))
    if case_id and not _ID.match(case_id):
        problems.append(
            Problem(rel, lines.get("id", 1), "id", "id must be lowercase ASCII letters, digits and '-'",
                    case_id)
        )
    kind = str(meta.get("kind", ""))
    if kind and kind not in KINDS:
        problems.append(
            Problem(rel, lines.get("kind", 1), "kind", f"unknown kind '{kind}'", kind,
                    closest(kind, list(KINDS)))
        )
    status = str(meta.get("status", ""))
    if status and status not in STATUSES:
        problems.append(
            Problem(rel, lines.get("status", 1), "status", f"unknown status '{status}'", status,
                    closest(status, list(STATUSES)))
        )
    if kind == "precedent" and not meta.get("source"):
        problems.append(
            Problem(rel, lines.get("kind", 1), "source",
                    "a precedent must cite its source (source: …)")
        )
    if not doc.title:
        problems.append(Problem(rel, doc.body_line, "title", "missing '# 見出し' (H1) line"))
    present = [s.title for s in doc.sections]
    for required in REQUIRED_SECTIONS:
        if required not in present:
            problems.append(
                Problem(rel, doc.body_line, "section", f"missing required section '## {required}'")
            )
    for section in doc.sections:
        if section.title not in REQUIRED_SECTIONS + OPTIONAL_SECTIONS:
            problems.append(
                Problem(rel, section.line, "section", f"unknown section '## {section.title}'",
                        section.title,
                        closest(section.title, list(REQUIRED_SECTIONS + OPTIONAL_SECTIONS)))
            )
    listed = {t.slug for t in facets.get("wall", [])}
    for annotation in doc.annotations:
        for term in annotation.terms:
            if term.facet == "wall" and term.slug not in listed:
                problems.append(
                    Problem(rel, annotation.line, "walls",
                            f"wall '{term.label}' is annotated in the text but not listed in "
                            f"front matter 'walls'", term.label)
                )
                listed.add(term.slug)
    if len(problems) > before:
        return None
    # Skills come from dialogue tags and annotations, not from front matter.
    facets["skill"] = doc.annotated("skill")
    return Case(
        id=case_id,
        doc=doc,
        alias=str(meta["alias"]),
        kind=kind,
        status=status,
        source=str(meta.get("source") or ""),
        industry_detail=str(meta.get("industry_detail") or ""),
        facets=facets,
    )


def _check_unique_ids(cases: list[Case], problems: list[Problem]) -> None:
    seen: dict[str, Case] = {}
    for case in cases:
        first = seen.setdefault(case.id, case)
        if first is not case:
            problems.append(
                Problem(case.doc.rel_path, case.doc.meta_lines.get("id", 1), "id",
                        f"duplicate id '{case.id}' (also used by {first.doc.rel_path})", case.id)
            )


def read_guide(doc: Document, display: str, vocabulary: Vocabulary, problems: list[Problem]) -> Guide:
    """Check a guide's `explains:` front matter against the vocabulary."""
    explains: dict[str, list[Term]] = {}
    raw = doc.meta.get("explains")
    line = doc.meta_lines.get("explains", 1)
    if raw is None:
        return Guide(doc, explains)
    if not isinstance(raw, dict):
        problems.append(Problem(display, line, "explains", "expected e.g. 'explains: {wall: 見えない}'"))
        return Guide(doc, explains)
    for facet_name, values in raw.items():
        if facet_name not in vocabulary:
            problems.append(
                Problem(display, line, "explains", f"unknown facet '{facet_name}'", str(facet_name),
                        closest(str(facet_name), list(vocabulary.facets)))
            )
            continue
        facet = vocabulary[facet_name]
        for value in values if isinstance(values, list) else [values]:
            term = facet.get(value)
            if term is None:
                problems.append(
                    Problem(display, line, f"explains.{facet_name}",
                            f"unknown {facet_name} '{value}'", str(value), facet.suggest(value))
                )
            else:
                explains.setdefault(facet_name, []).append(term)
    return Guide(doc, explains)


__all__ = ["ProjectPaths", "load_library", "read_case", "read_guide", "GUIDE_KEYS"]
