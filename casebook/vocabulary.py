"""The controlled vocabulary: facets and their terms, read from `content/taxonomy.yml`."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from casebook.facets import FACETS
from casebook.headcount import band_of_value
from casebook.problems import CheckError, Problem, closest
from casebook.sources import decode, load_yaml, node_lines


@dataclass(frozen=True)
class Term:
    """One value of a facet, e.g. the wall 見えない (slug `mienai`)."""

    facet: str
    slug: str
    label: str
    label_en: str = ""
    description: str = ""
    synonyms: tuple[str, ...] = ()
    group: str = ""
    code: str = ""
    # Where the term is defined in taxonomy.yml (its '- slug:' line), for messages.
    line: int = field(default=0, compare=False)
    # The line of each of its keys (description: …), where a key has a line of its own.
    key_lines: tuple[tuple[str, int], ...] = field(default=(), compare=False)

    def line_of(self, key: str) -> int:
        return dict(self.key_lines).get(key, self.line)

    def __str__(self) -> str:
        return self.label

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling an author may write for it: label, synonyms, code, slug."""
        return tuple(dict.fromkeys(n for n in (self.label, *self.synonyms, self.code, self.slug)
                                   if n))


@dataclass
class Facet:
    """A dimension cases are tagged by (壁, アプローチ, 業種 …)."""

    name: str
    label: str
    label_en: str
    path: str
    description: str
    terms: list[Term] = field(default_factory=list)
    line: int = 0
    _lookup: dict[str, Term] = field(default_factory=dict, repr=False)

    def add(self, term: Term) -> None:
        self.terms.append(term)
        for key in (term.slug, term.label, term.code, *term.synonyms):
            if key:
                self._lookup.setdefault(normalize(key), term)

    def get(self, value: object) -> Term | None:
        """The term a label, slug, code or synonym names (表記ゆれ and width folded); for a
        facet of head count bands (従業員規模), also the band a head count is in (30名 → 21-50)."""
        term = self._lookup.get(normalize(str(value)))
        if term is None and isinstance(value, (str, int)) and not isinstance(value, bool):
            term = band_of_value(str(value), self.terms)
        return term

    def suggest(self, value: object) -> str | None:
        """The closest valid label to a misspelt value, if any is close."""
        labels = {normalize(t.label): t.label for t in self.terms}
        keys = {k: self._lookup[k].label for k in self._lookup}
        match = closest(normalize(str(value)), list(labels) + list(keys))
        if match is None:
            return None
        return labels.get(match) or keys[match]



_PUNCT = re.compile(r"[\s,，、・･/／()（）]+")


def normalize(value: str) -> str:
    """Fold width, case and list punctuation so 卸売業、小売業 ≡ 卸売業，小売業 ≡ 卸売業・小売業."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", value)).lower()


@dataclass(frozen=True)
class VocabularyText:
    """A text of the vocabulary that pages publish (a label, a description), and its line."""

    text: str
    line: int
    field: str


class Vocabulary:
    """All facets, looked up by name."""

    def __init__(self, facets: list[Facet], path: Path | None = None,
                 display: str = "content/taxonomy.yml", allowed: tuple[str, ...] = ()) -> None:
        self.facets = {f.name: f for f in facets}
        self.path = path
        self.display = display
        # Deliberate anonymisation exceptions in the vocabulary's own texts (a public body
        # named in the source document): `anonymization: {allow: [{text, reason}]}`.
        self.allowed = allowed

    def __getitem__(self, name: str) -> Facet:
        return self.facets[name]

    def __contains__(self, name: str) -> bool:
        return name in self.facets

    def __iter__(self) -> Iterator[Facet]:
        return iter(self.facets.values())

    def texts(self) -> Iterator[VocabularyText]:
        """What the generated pages print from the vocabulary (for the anonymisation check)."""
        for facet in self:
            yield VocabularyText(facet.label, facet.line, f"{facet.name}.label")
            yield VocabularyText(facet.description, facet.line, f"{facet.name}.description")
            for term in facet.terms:
                where = f"{facet.name}.{term.slug}"
                for name, value in (("label", term.label), ("description", term.description),
                                    ("group", term.group), ("code", term.code),
                                    ("slug", term.slug)):
                    if value:
                        yield VocabularyText(value, term.line_of(name), f"{where}.{name}")
                for synonym in term.synonyms:
                    yield VocabularyText(synonym, term.line_of("synonyms"), f"{where}.synonyms")


# A name in a URL: a term's slug, a facet's folder, a case's id.
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_TEXT_KEYS = ("label", "label_en", "description", "group", "code", "slug")


def load_vocabulary(path: Path, display: str | None = None) -> Vocabulary:
    """Read and check the taxonomy file; raise CheckError listing every problem."""
    display = display or str(path)
    try:
        data_bytes = Path(path).read_bytes()
    except FileNotFoundError:
        raise CheckError([Problem(display, 0, "", "vocabulary file not found")]) from None
    problems: list[Problem] = []
    text = decode(data_bytes, display, problems)
    if text is None:
        raise CheckError(problems)
    data, node = load_yaml(text, display, problems, first_line=1)
    if problems:
        raise CheckError(problems)
    if not isinstance(data, dict) or not isinstance(data.get("facets"), dict):
        raise CheckError([Problem(display, 1, "facets", "expected a mapping 'facets:'")])
    facets_node = next(v for k, v in node.value if k.value == "facets")
    facet_nodes = {str(k.value): v for k, v in facets_node.value}
    facets: list[Facet] = []
    for name, spec in data["facets"].items():
        facet_node = facet_nodes[str(name)]
        line = facet_node.start_mark.line + 1
        if not isinstance(spec, dict):
            problems.append(Problem(display, line, str(name), "expected label, path and terms"))
            continue
        facet = Facet(name=str(name), label=_text(spec, "label", str(name)),
                      label_en=_text(spec, "label_en"), path=_text(spec, "path", str(name)),
                      description=_text(spec, "description").strip(), line=line)
        if not SLUG.fullmatch(facet.path):
            # The facet's pages are written to this folder of the site: one plain name only.
            problems.append(Problem(display, node_lines(facet_node, first_line=1).get("path", line)
                                    if isinstance(facet_node, yaml.MappingNode) else line,
                                    f"{name}.path", "path must be one folder name of lowercase "
                                    f"ASCII letters, digits and '-', got '{facet.path}'",
                                    facet.path))
        term_items = spec.get("terms") or []
        term_nodes = _terms_node(facet_node)
        if not isinstance(term_items, list):
            problems.append(Problem(display, line, f"{name}.terms", "expected a list of terms"))
            term_items = []
        for index, raw in enumerate(term_items):
            term_line = (term_nodes[index].start_mark.line + 1
                         if index < len(term_nodes) else line)
            if not isinstance(raw, dict):
                problems.append(Problem(display, term_line, f"{name}.terms",
                                        "expected 'slug:', 'label:' …", str(raw)))
                continue
            lines = (node_lines(term_nodes[index], first_line=1)
                     if index < len(term_nodes) else {})
            term = _term(facet, raw, term_line, lines, display, problems)
            if term is not None:
                facet.add(term)
        facets.append(facet)
    known = {f.name for f in facets}
    for spec in FACETS:
        if spec.name not in known:
            problems.append(Problem(display, 1, "facets", f"facet '{spec.name}' is missing",
                                    spec.name))
    from casebook.anonymize import exceptions

    allowed = tuple(exceptions(data.get("anonymization"), display,
                               node_lines(node, first_line=1).get("anonymization", 1), problems))
    if problems:
        raise CheckError(problems)
    return Vocabulary(facets, Path(path), display, allowed)


def _text(spec: dict, key: str, default: str = "") -> str:
    value = spec.get(key, default)
    return "" if value is None else str(value)


def _terms_node(facet_node: yaml.Node) -> list[yaml.Node]:
    if isinstance(facet_node, yaml.MappingNode):
        for key, value in facet_node.value:
            if key.value == "terms" and isinstance(value, yaml.SequenceNode):
                return list(value.value)
    return []


def _term(facet: Facet, raw: dict, line: int, lines: dict[str, int], display: str,
          problems: list[Problem]) -> Term | None:
    name = facet.name
    slug = str(raw.get("slug", ""))
    if not SLUG.fullmatch(slug):
        problems.append(Problem(display, lines.get("slug", line), f"{name}.slug",
                                f"slug must be lowercase ASCII letters, digits and '-', "
                                f"got '{slug}'", slug))
        return None
    for key in _TEXT_KEYS:
        if key in raw and raw[key] is not None and not isinstance(raw[key], (str, int)):
            problems.append(Problem(display, lines.get(key, line), f"{name}.{slug}.{key}",
                                    f"expected text, got {type(raw[key]).__name__}"))
    synonyms = raw.get("synonyms")
    synonyms = [] if synonyms is None else synonyms
    if not isinstance(synonyms, list):
        problems.append(Problem(display, lines.get("synonyms", line), f"{name}.{slug}.synonyms",
                                "expected a list, e.g. [付いて来ない, ついてこない]"))
        synonyms = ()
    term = Term(
        facet=name,
        slug=slug,
        label=str(raw.get("label", "") or ""),
        label_en=str(raw.get("label_en", "") or ""),
        description=str(raw.get("description", "") or "").strip(),
        synonyms=tuple(str(s) for s in synonyms),
        group=str(raw.get("group", "") or ""),
        code=str(raw.get("code", "") or ""),
        line=line,
        key_lines=tuple(sorted(lines.items())),
    )
    if not term.label:
        problems.append(Problem(display, line, f"{name}.{slug}.label", "missing label"))
    for key in (term.slug, term.label, term.code, *term.synonyms):
        other = facet.get(key) if key else None
        if other is not None and other != term:
            problems.append(Problem(display, line, name,
                                    f"'{key}' names both '{other.label}' and '{term.label}'",
                                    key))
    return term
