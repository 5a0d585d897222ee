"""The parsed objects everything downstream works from: cases, guides and their parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from casebook.vocabulary import Term

# Section headings of a case body, in reading order; the first three are required.
SECTION_CHALLENGE = "設定された課題"
SECTION_APPROACH = "支援アプローチ"
SECTION_CHANGE = "生まれた事業上の変化"
SECTION_REQUEST = "当初の相談"
SECTION_QUESTIONS = "考えてみよう"
REQUIRED_SECTIONS = (SECTION_CHALLENGE, SECTION_APPROACH, SECTION_CHANGE)
OPTIONAL_SECTIONS = (SECTION_REQUEST, SECTION_QUESTIONS)


@dataclass(frozen=True)
class Annotation:
    """A span of body text tagged with vocabulary terms: `[text]{wall=見えない}`."""

    text: str
    terms: tuple[Term, ...]
    line: int
    section: str | None
    # The reason given in `{anon="…"}`: this text is a deliberate anonymisation exception.
    allow: str | None = None


@dataclass(frozen=True)
class Utterance:
    """One turn of a dialogue excerpt: `支援者[問いかけ]: 5年後、どんな会社に…`."""

    speaker: str
    text: str
    skill: Term | None
    line: int


@dataclass(frozen=True)
class Dialogue:
    """A fenced ```dialogue block."""

    utterances: tuple[Utterance, ...]
    line: int
    end_line: int
    section: str | None

    @property
    def text(self) -> str:
        return "\n".join(f"{u.speaker}: {u.text}" for u in self.utterances)


@dataclass(frozen=True)
class Section:
    """An H2 section of a document: its heading, its Markdown source and its plain text."""

    title: str
    line: int
    markdown: str
    text: str


@dataclass
class Document:
    """What every Markdown file (case or guide) parses into."""

    path: Path
    rel_path: str
    meta: dict
    meta_lines: dict[str, int]
    title: str
    body: str
    body_line: int
    # Plain text between the H1 and the first H2 (a case's lead paragraph)
    intro: str = ""
    sections: list[Section] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)
    dialogues: list[Dialogue] = field(default_factory=list)
    # 0-based body rows inside fenced or indented code, where annotations are not parsed
    code_lines: frozenset[int] = frozenset()

    def section(self, title: str) -> Section | None:
        return next((s for s in self.sections if s.title == title), None)

    def section_text(self, title: str) -> str:
        found = self.section(title)
        return found.text if found else ""

    def annotated(self, facet: str) -> list[Term]:
        """Terms of `facet` used in annotations and dialogue skills, first use first, once each."""
        seen: dict[str, Term] = {}
        for annotation in self.annotations:
            for term in annotation.terms:
                if term.facet == facet:
                    seen.setdefault(term.slug, term)
        for dialogue in self.dialogues:
            for utterance in dialogue.utterances:
                if utterance.skill and utterance.skill.facet == facet:
                    seen.setdefault(utterance.skill.slug, utterance.skill)
        return list(seen.values())


@dataclass
class Case:
    """An anonymised case study (a precedent or a training exercise)."""

    id: str
    doc: Document
    alias: str
    kind: str
    status: str
    source: str
    industry_detail: str
    # facet name -> terms, e.g. {"wall": [Term(見えない), ...], "industry": [Term(E)]}
    facets: dict[str, list[Term]]

    @property
    def title(self) -> str:
        return self.doc.title

    @property
    def url(self) -> str:
        return f"cases/{self.id}/"

    @property
    def src_uri(self) -> str:
        return f"cases/{self.id}.md"

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    def terms(self, facet: str) -> list[Term]:
        return self.facets.get(facet, [])

    @property
    def challenge(self) -> str:
        return self.doc.section_text(SECTION_CHALLENGE)

    @property
    def summary(self) -> str:
        """One line of 設定された課題, for cards and search results."""
        for line in self.challenge.splitlines():
            if line.strip():
                return line.strip()
        return ""


@dataclass
class Guide:
    """A method guide or any other page of `content/`."""

    doc: Document
    # facet name -> the terms this guide explains (front matter `explains:`)
    explains: dict[str, list[Term]]

    @property
    def src_uri(self) -> str:
        return self.doc.rel_path

    @property
    def title(self) -> str:
        return self.doc.title
