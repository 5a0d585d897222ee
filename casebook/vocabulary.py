"""The controlled vocabulary: facets and their terms, read from `content/taxonomy.yml`."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from casebook.problems import CheckError, Problem, closest


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

    def __str__(self) -> str:
        return self.label


@dataclass
class Facet:
    """A dimension cases are tagged by (壁, アプローチ, 業種 …)."""

    name: str
    label: str
    label_en: str
    path: str
    description: str
    terms: list[Term] = field(default_factory=list)
    _lookup: dict[str, Term] = field(default_factory=dict, repr=False)

    def add(self, term: Term) -> None:
        self.terms.append(term)
        for key in (term.slug, term.label, term.code, *term.synonyms):
            if key:
                self._lookup.setdefault(normalize(key), term)

    def get(self, value: object) -> Term | None:
        """The term a label, slug, code or synonym names (表記ゆれ and width folded)."""
        return self._lookup.get(normalize(str(value)))

    def suggest(self, value: object) -> str | None:
        """The closest valid label to a misspelt value, if any is close."""
        labels = {normalize(t.label): t.label for t in self.terms}
        keys = {k: self._lookup[k].label for k in self._lookup}
        match = closest(normalize(str(value)), list(labels) + list(keys))
        if match is None:
            return None
        return labels.get(match) or keys[match]

    def term(self, slug: str) -> Term:
        return next(t for t in self.terms if t.slug == slug)


_PUNCT = re.compile(r"[\s,，、・･/／()（）]+")


def normalize(value: str) -> str:
    """Fold width, case and list punctuation so 卸売業、小売業 ≡ 卸売業，小売業 ≡ 卸売業・小売業."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", value)).lower()


class Vocabulary:
    """All facets, looked up by name."""

    def __init__(self, facets: list[Facet], path: Path | None = None) -> None:
        self.facets = {f.name: f for f in facets}
        self.path = path

    def __getitem__(self, name: str) -> Facet:
        return self.facets[name]

    def __contains__(self, name: str) -> bool:
        return name in self.facets

    def __iter__(self):
        return iter(self.facets.values())


_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def load_vocabulary(path: Path, display: str | None = None) -> Vocabulary:
    """Read and check the taxonomy file; raise CheckError listing every problem."""
    display = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CheckError([Problem(display, 0, "", "vocabulary file not found")]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", -1) + 1
        raise CheckError([Problem(display, line, "", f"broken YAML: {error}")]) from None
    problems: list[Problem] = []
    facets: list[Facet] = []
    if not isinstance(data, dict) or not isinstance(data.get("facets"), dict):
        raise CheckError([Problem(display, 1, "facets", "expected a mapping 'facets:'")])
    for name, spec in data["facets"].items():
        facet = Facet(
            name=name,
            label=spec.get("label", name),
            label_en=spec.get("label_en", ""),
            path=spec.get("path", name),
            description=spec.get("description", ""),
        )
        for raw in spec.get("terms") or []:
            slug = str(raw.get("slug", ""))
            if not _SLUG.match(slug):
                problems.append(
                    Problem(display, 0, f"{name}.slug", f"slug must be lowercase ASCII, got '{slug}'")
                )
            term = Term(
                facet=name,
                slug=slug,
                label=str(raw.get("label", "")),
                label_en=str(raw.get("label_en", "")),
                description=str(raw.get("description", "") or "").strip(),
                synonyms=tuple(str(s) for s in raw.get("synonyms") or ()),
                group=str(raw.get("group", "") or ""),
                code=str(raw.get("code", "") or ""),
            )
            for key in (term.slug, term.label, term.code, *term.synonyms):
                other = facet.get(key) if key else None
                if other is not None and other != term:
                    problems.append(
                        Problem(display, 0, name, f"'{key}' names both '{other.label}' and '{term.label}'")
                    )
            facet.add(term)
        facets.append(facet)
    if problems:
        raise CheckError(problems)
    return Vocabulary(facets, path)
