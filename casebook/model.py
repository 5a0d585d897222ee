"""The parsed objects everything downstream works from: documents, cases, guides and their parts.

A `Document` is what the one parser (`casebook/parser.py`) makes of a Markdown file: its
published front matter, its body rendered to HTML, and — from the same walk over the same
tokens — its annotations, dialogues, sections, headings, links and every text it publishes.
Internal front-matter fields are dropped before a `Document` exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from casebook.html import Markup
from casebook.sources import FrontMatter
from casebook.vocabulary import Term

# Section headings of a case body, in reading order; the first three are required.
SECTION_CHALLENGE = "設定された課題"
SECTION_APPROACH = "支援アプローチ"
SECTION_CHANGE = "生まれた事業上の変化"
SECTION_REQUEST = "当初の相談"
SECTION_QUESTIONS = "考えてみよう"
# Hints to compare one's own answers with, numbered like 考えてみよう; closed on the page.
SECTION_HINTS = "解答の手がかり"
REQUIRED_SECTIONS = (SECTION_CHALLENGE, SECTION_APPROACH, SECTION_CHANGE)
OPTIONAL_SECTIONS = (SECTION_REQUEST, SECTION_QUESTIONS, SECTION_HINTS)


@dataclass(frozen=True)
class PublishedText:
    """A text a reader of the site receives, where it was written, and in which field.

    The parser records one for every run of text it writes into a page (a paragraph with its
    markup removed and character references decoded, a code block, a dialogue turn, a link
    address); the front-matter values and vocabulary texts that pages print are recorded the
    same way. The anonymisation check reads exactly these.
    """

    text: str
    line: int
    field: str = "text"
    # Only published in the trainer edition (teaching notes).
    trainer: bool = False
    # Offsets in `text` where the next source line begins (a paragraph's soft line breaks,
    # which a reader does not see): findings are located on the line they were written on.
    breaks: tuple[int, ...] = ()
    # (start, end) of the parts an `{anon="…"}` annotation marks as a deliberate exception.
    allowed: tuple[tuple[int, int], ...] = ()

    def segments(self) -> list[str]:
        """The text as it was cut into source lines, one piece per line from `line` on."""
        starts = sorted({0, *self.breaks,
                         *(i + 1 for i, char in enumerate(self.text) if char == "\n")})
        ends = [*starts[1:], len(self.text) + 1]
        return [self.text[start:end].rstrip("\n") for start, end in zip(starts, ends,
                                                                        strict=True)]


@dataclass(frozen=True)
class Annotation:
    """A span of body text tagged with vocabulary terms: `[text]{wall=見えない}`."""

    text: str
    terms: tuple[Term, ...]
    line: int
    section: str | None
    # The reason given in `{anon="…"}`: this text is a deliberate anonymisation exception.
    allow: str | None = None
    # The paragraph (or list item, table cell) it stands in as a reader gets it, where the
    # annotated text is in it, and the text block before that paragraph in the same section
    # (practice questions show a little context).
    paragraph: str = ""
    start: int = 0
    end: int = 0
    before: str = ""


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


# A heading or paragraph labelled as a note for trainers ("## 指導メモ", "**講師用メモ**: …")
# written outside a teaching-note block: the label says trainer-only, the page says otherwise.
TRAINER_LABEL = re.compile(r"(?:研修)?(?:指導|講師(?:用|向け)?)(?:メモ|ノート)\s*"
                           r"(?:[（(][^）)]*[）)])?\s*(?:$|[:：])|(?:研修)?講師(?:用|向け)\s*(?:$|[:：])")


@dataclass(frozen=True)
class TeachingNote:
    """A fenced ```teaching-note block: for trainers only, never in the learner edition."""

    html: Markup
    text: str
    line: int
    section: str | None


@dataclass(frozen=True)
class Section:
    """An H2 section: its heading and the plain text a reader receives of it."""

    title: str
    line: int
    text: str
    # The text of each list item in it, in order (a guide's signs or questions to ask).
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class NumberedItem:
    """A top-level item of a numbered list: `3. …` in 考えてみよう or 解答の手がかり."""

    number: int
    line: int
    text: str


@dataclass(frozen=True)
class Heading:
    """A heading of a page, as its table of contents and its anchors know it."""

    level: int
    id: str
    text: str
    line: int = 0


@dataclass(frozen=True)
class Link:
    """A link written in a document to another page (or asset) of the site."""

    target: str  # site source path: method/index.md, cases/a.md, img/x.png; "" = this page
    anchor: str  # without '#', or ""
    line: int
    written: str  # as the author wrote it


@dataclass
class Document:
    """What every Markdown file (case, guide, curriculum) parses into."""

    path: str  # as the author knows it: cases/a.md, content/method/index.md
    uri: str  # the page's source path in the site: cases/a.md, method/index.md
    meta: FrontMatter
    title: str
    title_line: int
    body_line: int
    # The body rendered for the site, its first H1 left out (pages write their own)
    html: Markup = Markup("")
    # The lead text between the H1 and the first H2 (a case's lead paragraph)
    intro: str = ""
    sections: list[Section] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)
    dialogues: list[Dialogue] = field(default_factory=list)
    teaching_notes: list[TeachingNote] = field(default_factory=list)
    texts: list[PublishedText] = field(default_factory=list)
    # Section title -> its top-level numbered items (考えてみよう, 解答の手がかり …)
    numbered: dict[str, list[NumberedItem]] = field(default_factory=dict)

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

    @property
    def anchors(self) -> set[str]:
        return {h.id for h in self.headings}


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
        return self.doc.uri

    @property
    def title(self) -> str:
        return self.doc.title

    @property
    def is_draft(self) -> bool:
        """`status: draft`: shown by `mkdocs serve` only, like a draft case."""
        return self.doc.meta.get("status") == "draft"
