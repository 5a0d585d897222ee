"""The one Markdown parser: a file's text → a `Document`, its HTML and its model in one walk.

    doc = parse_document("cases/a.md", "cases/a.md", text, vocabulary, problems)

markdown-it-py (CommonMark with tables, raw HTML off) cuts the body into tokens, with one
rule of ours for annotations (`[text]{wall=見えない}`). A single walk over those tokens then
writes the page's HTML *and* collects what everything else reads: annotations, dialogues,
teaching notes, sections, headings, links and every text the page publishes. Nothing reads
the Markdown again: checks, pages, the anonymisation scan, related-case keywords and both
search indexes work from this `Document`, so what is checked is what is published.

Raw HTML in a file is shown as text, never passed through: the only HTML in a page is what
this walk and `casebook.render` write, escaped in `casebook.html`.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter
from markdown_it.token import Token

from casebook.facets import ANNOTATION_KEYS
from casebook.html import Markup, attrs, html, join
from casebook.model import (
    SECTION_HINTS,
    SECTION_QUESTIONS,
    TRAINER_LABEL,
    Annotation,
    Dialogue,
    Document,
    Heading,
    Link,
    NumberedItem,
    PublishedText,
    Section,
    TeachingNote,
    Utterance,
)
from casebook.problems import Problem, closest
from casebook.render import badge_html, dialogue_html, heading_html, heading_id, unique_id
from casebook.sources import FrontMatter, control_characters, load_front_matter, split_front_matter
from casebook.urls import href, is_external, resolve
from casebook.vocabulary import Term, Vocabulary

# The key that marks a deliberate anonymisation exception: [田中事務所]{anon="公開資料に記載"}.
ALLOW_KEY = "anon"
DIALOGUE = "dialogue"
TEACHING_NOTE = "teaching-note"
# Words in a fence's name that show which of our blocks it was meant to be. A block the parser
# does not know is published as code: a misspelt ```teaching-note would show its trainer-only
# text to every learner (and a misspelt ```dialogue would lose its turns), so it is a problem.
_MEANT_BLOCK = {"teaching": TEACHING_NOTE, "trainer": TEACHING_NOTE, "指導": TEACHING_NOTE,
                "講師": TEACHING_NOTE, "dialog": DIALOGUE, "対話": DIALOGUE, "会話": DIALOGUE}
_FENCE_OPENER = re.compile(r"^(?:`{3,}|~{3,})\s*(\S*)")

# `key=value` or `key="value with spaces"`; `.class` and `#id` are read to be reported.
_ATTRIBUTE = re.compile(r'\s*(?P<key>[.#]?[A-Za-z_][\w:-]*)(?:\s*=\s*(?:"(?P<quoted>[^"]*)"'
                        r'|(?P<bare>[^\s"{}]+)))?\s*')
# What an annotation that was not read as one leaves in the text: ']{wall=' and the like,
# looked for in the NFKC form too (a Japanese input method types ］｛wall＝ or ｛壁＝).
_MALFORMED = re.compile(r"\]\s*\{\s*[.#]?[A-Za-z_][\w-]*\s*[=}]"
                        r"|\{\s*(?:wall|approach|skill|anon|壁|アプローチ|技法)\s*=")
# What a link with an address markdown-it refuses leaves in the text: `[x](javascript:…)`,
# `![x](data:image/svg+xml,…)` or a reference definition `[r]: javascript:…`.
_REFUSED_LINK = re.compile(r"(?:\]\(\s*<?|^\[[^\]]+\]:\s*<?)\s*"
                           r"(javascript|vbscript|data|file)\s*:", re.I)
# Brackets and colon half- or full-width, as a Japanese input method types them: 支援者［傾聴］：
_DIALOGUE_LINE = re.compile(
    r"^\s*(?P<speaker>[^\[\]［］:：]+?)\s*(?:[\[［](?P<skill>[^\]］]*)[\]］])?\s*[:：]\s?"
    r"(?P<text>.*)$")


# Where a soft line break stood in a paragraph, until its neighbours decide what it becomes.
_SOFT = "\x00"


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _join_lines(text: str) -> tuple[str, tuple[int, ...], list[str]]:
    """A paragraph's soft line breaks as a reader gets them: nothing between two Japanese
    characters (a line of Japanese is not broken into words), a space elsewhere.

    Returns the text, the offsets where each following source line starts (for locating what
    the anonymisation check finds), and what each break became.
    """
    if _SOFT not in text:
        return text, (), []
    out: list[str] = []
    breaks: list[int] = []
    joiners: list[str] = []
    pieces = text.split(_SOFT)
    for index, piece in enumerate(pieces):
        if index:
            before = out[-1][-1:] if out and out[-1] else ""
            after = piece[:1]
            joiner = "" if before and after and _wide(before) and _wide(after) else " "
            joiners.append(joiner)
            out.append(joiner)
            breaks.append(sum(len(p) for p in out))
        out.append(piece)
    return "".join(out), tuple(breaks), joiners


def _joined_offset(raw: str, offset: int) -> int:
    """Where an offset of the raw text (soft breaks as placeholders) is in `_join_lines`' text."""
    return len(_join_lines(raw[:offset] + "x")[0]) - 1 if _SOFT in raw[:offset] else offset


def _parse_attributes(text: str) -> dict[str, str] | None:
    """`wall=見えない skill="傾聴"` → {"wall": "見えない", "skill": "傾聴"}; None if not that."""
    found: dict[str, str] = {}
    at = 0
    while at < len(text):
        match = _ATTRIBUTE.match(text, at)
        if not match or match.end() == at:
            return None
        value = match.group("quoted")
        if value is None:
            value = match.group("bare") or ""
        found[match.group("key")] = value
        at = match.end()
    return found or None


def _annotation_rule(state: StateInline, silent: bool) -> bool:
    """`[text]{key=value …}`: the annotated text is parsed as inline Markdown itself."""
    if state.src[state.pos] != "[":
        return False
    maximum = state.posMax
    label_start = state.pos + 1
    label_end = state.md.helpers.parseLinkLabel(state, state.pos, False)
    if label_end < 0 or label_end + 1 >= maximum or state.src[label_end + 1] != "{":
        return False
    close = state.src.find("}", label_end + 2, maximum)
    if close < 0:
        return False
    parsed = _parse_attributes(state.src[label_end + 2:close])
    if parsed is None:
        return False
    if not silent:
        state.pos, state.posMax = label_start, label_end
        token = state.push("annotation_open", "mark", 1)
        token.meta = {"attributes": parsed}
        state.md.inline.tokenize(state)
        state.push("annotation_close", "mark", -1)
    state.pos, state.posMax = close + 1, maximum
    return True


def _wide_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P") and \
        unicodedata.east_asian_width(char) in "WF"


def _emphasis_rule(state: StateInline, silent: bool) -> bool:
    """CommonMark's `*` and `_`, but `**「自己変革力」**を` is bold as a Japanese writer means.

    CommonMark does not let a run of `**` close after punctuation when a letter follows, which
    is how Japanese puts emphasis on a quoted word (there are no spaces to mark the edges). As
    markdown-it-cjk-friendly does, full-width punctuation next to the run does not stop it.
    """
    marker = state.src[state.pos]
    if silent or marker not in ("_", "*"):
        return False
    scanned = state.scanDelims(state.pos, marker == "*")
    before = state.src[state.pos - 1] if state.pos > 0 else " "
    after_at = state.pos + scanned.length
    after = state.src[after_at] if after_at < state.posMax else " "
    can_open, can_close = scanned.can_open, scanned.can_close
    if marker == "*":
        if not can_close and _wide_punctuation(before) and not after.isspace():
            can_close = True
        if not can_open and _wide_punctuation(after) and not before.isspace():
            can_open = True
    for _ in range(scanned.length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(Delimiter(marker=ord(marker), length=scanned.length,
                                          token=len(state.tokens) - 1, end=-1,
                                          open=can_open, close=can_close))
    state.pos += scanned.length
    return True


_md = MarkdownIt("commonmark", {"html": False}).enable("table")
_md.inline.ruler.at("emphasis", _emphasis_rule)
_md.inline.ruler.after("link", "annotation", _annotation_rule)


@dataclass
class ParseOptions:
    """What rendering needs beyond the file: links' layout and the edition."""

    directory_urls: bool = True
    # Render teaching notes (the trainer edition); their texts are recorded either way.
    trainer: bool = False
    # Front-matter keys to drop before anything is rendered.
    internal: frozenset[str] = frozenset()


def parse_document(path: str, uri: str, text: str, vocabulary: Vocabulary,
                   problems: list[Problem], options: ParseOptions | None = None) -> Document:
    """Parse one Markdown file (already decoded); append every problem found to `problems`."""
    options = options or ParseOptions()
    raw_meta, body, body_line = split_front_matter(text)
    control_characters(body, path, problems, first_line=body_line)
    meta = load_front_matter(raw_meta, path, problems)
    for key in options.internal:
        meta.values.pop(key, None)
    doc = Document(path=path, uri=uri, meta=meta, title="", title_line=0, body_line=body_line)
    doc.texts.append(PublishedText(uri, 0, "file name"))  # the page's address names it
    walk = _Walk(doc, vocabulary, problems, options)
    walk.document(_md.parse(body))
    return doc


@dataclass
class _Inline:
    """One run of inline content, rendered: its HTML and the plain text a reader gets."""

    html: Markup
    text: str


@dataclass
class _Open:
    """An annotation being read: where its text starts, its terms."""

    start: int
    line: int
    terms: list[Term]
    allow: str | None
    marked: bool


def _meant_block(info: str) -> str | None:
    """The block a fence's name was meant to be if it is not spelt as one; None otherwise."""
    if info in (TEACHING_NOTE, DIALOGUE) or not info:
        return None
    word = unicodedata.normalize("NFKC", info).casefold().replace("_", "-")
    for part, block in _MEANT_BLOCK.items():
        if part in word:
            return block
    close = difflib.get_close_matches(word, [TEACHING_NOTE, DIALOGUE], n=1, cutoff=0.75)
    return close[0] if close else None


@dataclass
class _Walk:
    doc: Document
    vocabulary: Vocabulary
    problems: list[Problem]
    options: ParseOptions
    # Whether this walk adds to the model (False inside a teaching note: trainer-only text
    # never becomes an annotation, a section or a practice question).
    collect: bool = True
    trainer: bool = False
    anchors: set[str] = field(default_factory=set)
    section: str | None = None
    section_line: int = 0
    section_texts: list[str] = field(default_factory=list)
    section_items: list[str] = field(default_factory=list)
    list_items: int = 0  # how many list items the walk is inside
    # The text of the last paragraph (list item, cell) of this section, for annotations'
    # context; the numbered item being read; whether 解答の手がかり's <details> is open.
    previous_text: str = ""
    item: tuple[int, int, list[str]] | None = None
    hints_open: bool = False

    @property
    def offset(self) -> int:
        return self.doc.body_line

    # --- blocks ---------------------------------------------------------------------------

    def document(self, tokens: Sequence[Token]) -> None:
        body = self.blocks(tokens)
        self.doc.html = body + self.close_hints()
        self.close_section()

    def blocks(self, tokens: Sequence[Token]) -> Markup:
        out: list[Markup] = []
        index = 0
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if kind == "heading_open":
                out.append(self.heading(token, tokens[index + 1]))
                index += 3
                continue
            if kind == "inline":
                rendered = self.inline(token)
                out.append(rendered.html)
                if rendered.text:
                    self.section_texts.append(rendered.text)
                    if self.list_items:
                        self.section_items.append(rendered.text.strip())
                    self.previous_text = rendered.text
                    if self.item is not None:
                        self.item[2].append(rendered.text)
            elif kind in ("fence", "code_block"):
                out.append(self.fence(token))
            elif kind == "hr":
                out.append(Markup("<hr>\n"))
            elif kind.endswith("_open") or kind.endswith("_close"):
                if kind in ("list_item_open", "list_item_close"):
                    self.list_items += 1 if kind == "list_item_open" else -1
                out.append(self.tag(token, tokens, index))
            else:  # html_block cannot occur (raw HTML is off); anything new is shown as text
                out.append(html("{}", token.content))
            index += 1
        return Markup("").join(out)

    def tag(self, token: Token, tokens: Sequence[Token], index: int) -> Markup:
        if token.hidden:  # a tight list's paragraph
            return Markup("")
        numbered = (self.collect and self.section is not None and token.level == 1
                    and token.type.startswith("list_item") and token.markup in (".", ")"))
        if numbered and token.nesting == 1:
            line = token.map[0] + self.offset if token.map else 0
            self.item = (int(token.info), line, [])
        if token.nesting == -1:
            answer = Markup("")
            if numbered and self.item is not None:
                answer = self.close_item()
            return html("{}</{}>\n", answer, Markup(token.tag))
        values: dict[str, object] = {}
        if numbered and self.section in (SECTION_QUESTIONS, SECTION_HINTS):
            values["value"] = token.info  # hint 3 stays 3 when hint 2 is not written
        if token.tag == "ol" and token.attrGet("start") not in (None, 1, "1"):
            values["start"] = token.attrGet("start")
        if token.tag in ("th", "td") and token.attrGet("style"):
            values["style"] = token.attrGet("style")
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        inline_next = following is not None and (following.type == "inline" or following.hidden)
        return html("<{}{}>{}", Markup(token.tag), attrs(values),
                    Markup("" if inline_next else "\n"))

    def close_item(self) -> Markup:
        """The numbered item just read, in the model; under a 考えてみよう question, a box to
        write one's own answer in (kept in the browser by practice.js)."""
        number, line, texts = self.item
        self.item = None
        self.doc.numbered.setdefault(self.section, []).append(
            NumberedItem(number, line, "\n".join(texts)))
        if self.section != SECTION_QUESTIONS:
            return Markup("")
        box = unique_id(f"cb-answer-{number}", self.anchors)
        return html('<div class="cb-answer"><label for="{0}">あなたの考え（{1}）</label>'
                    '<textarea id="{0}" class="cb-answer__box" rows="3" '
                    'data-cb-answer="{2}#{1}"></textarea></div>\n',
                    box, number, self.doc.uri)

    def close_hints(self) -> Markup:
        if not self.hints_open:
            return Markup("")
        self.hints_open = False
        return Markup("</div></details>\n")

    def heading(self, token: Token, inline: Token) -> Markup:
        level = int(token.tag[1])
        line = token.map[0] + self.offset if token.map else 0
        rendered = self.inline(inline, heading=True)
        before = Markup("")
        if level == 2 and self.collect:
            before = self.close_hints()
            self.previous_text = ""
        if level == 1 and not self.doc.title and self.collect:
            self.doc.title, self.doc.title_line = rendered.text.strip(), line
            anchor = unique_id(heading_id(rendered.text), self.anchors)
            self.doc.headings.append(Heading(1, anchor, rendered.text.strip(), line))
            return Markup("")  # pages write their own H1
        if level == 2 and self.collect:
            self.close_section()
            self.section, self.section_line = rendered.text.strip(), line
        anchor = unique_id(heading_id(rendered.text), self.anchors)
        if self.collect:
            self.doc.headings.append(Heading(level, anchor, rendered.text.strip(), line))
        after = Markup("")
        if level == 2 and self.collect and self.section == SECTION_HINTS:
            # Closed until the learner opens it: answers first, hints after.
            self.hints_open = True
            after = Markup('<details class="cb-hints"><summary>自分の考えを書いてから開く'
                           '</summary><div class="cb-hints__body">\n')
        return before + heading_html(level, anchor, rendered.html) + after

    def close_section(self) -> None:
        if not self.collect:
            return
        text = "\n".join(t for t in self.section_texts if t).strip()
        if self.section is None:  # the lead between the H1 and the first H2
            self.doc.intro = text
        else:
            self.doc.sections.append(Section(self.section, self.section_line, text,
                                             tuple(self.section_items)))
        self.section_texts = []
        self.section_items = []

    def record(self, text: str, line: int, field_name: str = "text",
               breaks: tuple[int, ...] = (), allowed: tuple[tuple[int, int], ...] = ()) -> None:
        if text.strip():
            self.doc.texts.append(PublishedText(text, line, field_name, self.trainer, breaks,
                                                allowed))

    # --- fences ---------------------------------------------------------------------------

    def fence(self, token: Token) -> Markup:
        info = token.info.strip().split()[0] if token.info.strip() else ""
        first = token.map[0] + self.offset + (1 if token.type == "fence" else 0)
        self.check_block_name(token, info, first)
        if token.type == "fence" and info == DIALOGUE and self.collect:
            dialogue = self.dialogue(token, first)
            self.doc.dialogues.append(dialogue)
            self.section_texts.append(dialogue.text)
            return dialogue_html(dialogue, self.vocabulary, self.doc.uri,
                                 self.options.directory_urls)
        if token.type == "fence" and info == TEACHING_NOTE:
            return self.teaching_note(token, first)
        if info:  # written into the page as the code's class
            self.record(info, first - 1, "code")
        for number, line in enumerate(token.content.split("\n"), start=first):
            self.record(line, number, "code")
        self.section_texts.append(token.content.strip())
        language = html(' class="language-{}"', info) if info else Markup("")
        return html("<pre><code{}>{}</code></pre>\n", language, token.content)

    def check_block_name(self, token: Token, info: str, first: int) -> None:
        """A fence meant as a teaching note or a dialogue but not read as one is a problem."""
        if token.type == "fence":
            meant = _meant_block(info)
            if meant is not None:
                self.problems.append(Problem(
                    self.doc.path, first - 1, "code block",
                    f"'{token.markup}{info}' is not a block the site knows: it would be "
                    f"published to every reader as code", info, meant))
            return
        # An indented code block whose first line opens one of our fences: indented four
        # spaces or more, the fence is shown as code, its content with it.
        lines = token.content.lstrip("\n").split("\n", 1)
        opener = _FENCE_OPENER.match(lines[0].strip())
        if opener and (opener.group(1) in (TEACHING_NOTE, DIALOGUE)
                       or _meant_block(opener.group(1))):
            self.problems.append(Problem(
                self.doc.path, first, "code block",
                f"'{lines[0].strip()}' is indented as code, so the whole block would be "
                f"published to every reader as code: start the fence at the beginning of the "
                f"line (or inside a list item, level with the item's text)", lines[0].strip()))

    def dialogue(self, token: Token, first: int) -> Dialogue:
        utterances: list[Utterance] = []
        skills = self.vocabulary["skill"]
        for number, raw in enumerate(token.content.splitlines(), start=first):
            if not raw.strip():
                continue
            match = _DIALOGUE_LINE.match(raw)
            if not match:
                if utterances:  # a wrapped line continues the previous turn
                    last = utterances.pop()
                    utterances.append(Utterance(last.speaker, f"{last.text}\n{raw.strip()}",
                                                last.skill, last.line))
                    self.record(raw.strip(), number, "dialogue")
                    continue
                self.problems.append(Problem(
                    self.doc.path, number, "dialogue",
                    f"expected '話者[技法]: 発言', got '{raw.strip()[:30]}'", raw.strip()))
                continue
            skill = None
            name = (match.group("skill") or "").strip()
            if name:
                skill = skills.get(name)
                if skill is None:
                    self.problems.append(Problem(self.doc.path, number, "dialogue",
                                                 f"unknown skill '{name}'", name,
                                                 skills.suggest(name)))
            speaker, said = match.group("speaker").strip(), match.group("text").strip()
            self.record(speaker, number, "speaker")
            self.record(said, number, "dialogue")
            utterances.append(Utterance(speaker, said, skill, number))
        end = token.map[1] + self.offset - 1 if token.map else first
        return Dialogue(tuple(utterances), first - 1, end, self.section)

    def teaching_note(self, token: Token, first: int) -> Markup:
        note = _Walk(Document(self.doc.path, self.doc.uri, FrontMatter(), "", 0, first),
                     self.vocabulary, self.problems, self.options, collect=False, trainer=True,
                     anchors=self.anchors)
        body = note.blocks(_md.parse(token.content))
        self.doc.texts.extend(note.doc.texts)
        self.doc.links.extend(note.doc.links)
        text = "\n".join(t.text for t in note.doc.texts)
        rendered = html('<aside class="cb-teaching-note" aria-label="指導メモ">\n'
                        '<p class="cb-teaching-note__label">指導メモ（研修講師用）</p>\n'
                        '{}</aside>\n', body)
        if self.collect:
            self.doc.teaching_notes.append(TeachingNote(rendered, text, first - 1, self.section))
        return rendered if self.options.trainer else Markup("")

    # --- inline ---------------------------------------------------------------------------

    def inline(self, token: Token, *, heading: bool = False) -> _Inline:
        line = (token.map[0] if token.map else 0) + self.offset
        first_line = line
        out: list[Markup] = []
        text: list[str] = []
        opened: list[_Open] = []
        exceptions: list[tuple[int, int]] = []  # raw offsets of {anon=…} parts
        spans: list[tuple[int, int, int]] = []  # annotation index, raw start and end
        before = self.previous_text
        for child in token.children or ():
            kind = child.type
            if kind == "text":
                out.append(html("{}", child.content))
                text.append(child.content)
                if _MALFORMED.search(child.content):
                    self.problems.append(Problem(
                        self.doc.path, line, "annotation",
                        "this was not read as an annotation: write [本文]{wall=見えない}, "
                        "with the closing } and nothing between ] and {",
                        child.content.strip()[:40]))
                elif "<!--" in child.content:
                    # Raw HTML is off: the comment an author meant to hide is printed as text.
                    self.problems.append(Problem(
                        self.doc.path, line, "text",
                        "an HTML comment is shown to every reader as text (raw HTML is not "
                        "used): delete it, or put notes for trainers in a ```teaching-note "
                        "block", child.content.strip()[:40]))
                elif refused := _REFUSED_LINK.search(child.content):
                    self.problems.append(Problem(
                        self.doc.path, line, "link",
                        f"a '{refused.group(1)}:' address is no link a page can have (it is "
                        "shown as text): link to a page or file of the site, or an http(s) "
                        "address", refused.group(0)))
                elif ("{" in child.content or "｛" in child.content) and _MALFORMED.search(
                        unicodedata.normalize("NFKC", child.content)):
                    self.problems.append(Problem(
                        self.doc.path, line, "annotation",
                        f"'{child.content.strip()[:40]}' was not read as an annotation: write "
                        "[本文]{wall=見えない} with half-width [ ] { } = and the key in "
                        "English (wall, approach, skill, anon)", child.content.strip()[:40]))
            elif kind == "softbreak":
                out.append(Markup(_SOFT))  # decided below, when both neighbours are known
                text.append(_SOFT)
                line += 1
            elif kind == "hardbreak":
                out.append(Markup("<br>\n"))
                text.append("\n")
                line += 1
            elif kind == "code_inline":
                out.append(html("<code>{}</code>", child.content))
                text.append(child.content)
            elif kind in ("em_open", "strong_open", "s_open"):
                out.append(html("<{}>", Markup(child.tag)))
            elif kind in ("em_close", "strong_close", "s_close"):
                out.append(html("</{}>", Markup(child.tag)))
            elif kind == "link_open":
                out.append(self.link(child, line))
            elif kind == "link_close":
                out.append(Markup("</a>"))
            elif kind == "image":
                out.append(self.image(child, line))
            elif kind == "annotation_open":
                out.append(self.annotation_open(child, line, len("".join(text)), opened))
            elif kind == "annotation_close":
                raw = "".join(text)
                if opened and opened[-1].allow:
                    exceptions.append((opened[-1].start, len(raw)))
                start, count = opened[-1].start if opened else 0, len(self.doc.annotations)
                out.append(self.annotation_close(opened, raw, heading))
                if len(self.doc.annotations) > count:
                    spans.append((count, start, len(raw)))
            else:
                out.append(html("{}", child.content))
                text.append(child.content)
        raw = "".join(text)
        plain, breaks, joiners = _join_lines(raw)
        allowed = tuple((_joined_offset(raw, start), _joined_offset(raw, end))
                        for start, end in exceptions)
        for index, start, end in spans:
            self.doc.annotations[index] = dataclasses.replace(
                self.doc.annotations[index], paragraph=plain, before=before,
                start=_joined_offset(raw, start), end=_joined_offset(raw, end))
        self.record(plain, first_line, "heading" if heading else "text", breaks, allowed)
        if not self.trainer and TRAINER_LABEL.match(plain.strip()):
            self.problems.append(Problem(
                self.doc.path, first_line, "teaching note",
                f"'{plain.strip()[:30]}' is published to every reader: write notes for trainers "
                "in a ```teaching-note block (shown in the trainer edition only)",
                plain.strip()[:30]))
        rendered = "".join(out)
        if joiners:
            pieces = rendered.split(_SOFT)
            rendered = pieces[0] + "".join(
                ("" if joiner == "" else "\n") + piece
                for joiner, piece in zip(joiners, pieces[1:], strict=True))
        return _Inline(Markup(rendered), plain)

    def link(self, token: Token, line: int) -> Markup:
        written = str(token.attrGet("href") or "")
        title = token.attrGet("title")
        # markdown-it has percent-encoded the address; a reader's browser shows it decoded.
        self.record(unquote(written), line, "link")
        if title:
            self.record(str(title), line, "link title")
        url = self.url(written, line)
        return html("<a{}>", attrs({"href": url, "title": title}))

    def image(self, token: Token, line: int) -> Markup:
        written = str(token.attrGet("src") or "")
        alt = "".join(c.content for c in token.children or ()
                      if c.type in ("text", "code_inline"))
        self.record(alt, line, "image")
        self.record(unquote(written), line, "link")
        if token.attrGet("title"):
            self.record(str(token.attrGet("title")), line, "link title")
        return html("<img{}>", attrs({"src": self.url(written, line), "alt": alt,
                                      "title": token.attrGet("title")}))

    def url(self, written: str, line: int) -> str:
        """Where a link written in the file points, as a URL relative to this page.

        `written` is as markdown-it left it (percent-encoded); messages show it decoded.
        """
        if is_external(written):
            return written
        if not written.strip():
            self.problems.append(Problem(self.doc.path, line, "link",
                                         "the link has no address: write [文字](ページ.md)", ""))
            return written
        shown = unquote(written)
        resolved = resolve(shown, self.doc.uri)
        if resolved is None:
            self.problems.append(Problem(self.doc.path, line, "link",
                                         f"'{shown}' points outside the site", shown))
            return written
        target, anchor = resolved
        self.doc.links.append(Link(target, anchor, line, shown))
        fragment = f"#{anchor}" if anchor else ""
        if not target:
            return fragment
        return href(target, self.doc.uri, self.options.directory_urls) + fragment

    def annotation_open(self, token: Token, line: int, start: int,
                        opened: list[_Open]) -> Markup:
        attributes: dict[str, str] = token.meta["attributes"]
        if opened:
            self.problems.append(Problem(self.doc.path, line, "annotation",
                                         "annotations cannot be nested: close one before "
                                         "the next"))
        terms: list[Term] = []
        for key, value in attributes.items():
            if key == ALLOW_KEY:
                continue
            if key not in ANNOTATION_KEYS:
                known = [*ANNOTATION_KEYS, ALLOW_KEY]
                self.problems.append(Problem(
                    self.doc.path, line, "annotation",
                    f"unknown annotation key '{key}' (use {', '.join(known)})", key,
                    closest(key.lstrip(".#"), known)))
                continue
            facet = self.vocabulary[key]
            for part in value.split(","):
                name = part.strip()
                term = facet.get(name)
                if term is None:
                    self.problems.append(Problem(self.doc.path, line, "annotation",
                                                 f"unknown {key} '{name}'", name,
                                                 facet.suggest(name)))
                else:
                    terms.append(term)
        allow = attributes.get(ALLOW_KEY)
        marked = bool(terms)
        opened.append(_Open(start, line, terms, allow, marked))
        if not marked:
            return Markup("")
        kinds = " ".join(dict.fromkeys(f"cb-annot--{t.facet}" for t in terms))
        return html('<mark class="cb-annot {}">', kinds)

    def annotation_close(self, opened: list[_Open], text: str, heading: bool) -> Markup:
        if not opened:
            return Markup("")
        span = opened.pop()
        annotated = _join_lines(text[span.start:])[0]
        if span.marked and not annotated.strip():
            # It would be a drill question with nothing to read.
            self.problems.append(Problem(self.doc.path, span.line, "annotation",
                                         "the annotation marks no text: write the words it "
                                         "tags between [ and ], as in [本文]{wall=見えない}",
                                         "[]"))
        if self.collect and not heading:
            self.doc.annotations.append(Annotation(annotated, tuple(span.terms), span.line,
                                                   self.section, span.allow))
        if not span.marked:
            return Markup("")
        badges = join("", (badge_html(t, self.vocabulary, self.doc.uri,
                                      self.options.directory_urls, in_text=True)
                           for t in span.terms))
        return html("</mark>{}", badges)
