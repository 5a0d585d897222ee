"""Practice drills made from the annotations of published cases, and the pages that run them.

Every `[…]{wall=…}` span and every `支援者[技法]:` line is a graded example: the wall drill asks
which walls a sentence shows, the skill drill which technique a supporter's line uses, the
approach drill which approach a passage follows. Questions come only from the checked model of
published cases: the parser never collects annotations or dialogues inside a teaching note, and
drafts are left out here, so nothing trainer-only or unfinished becomes a question.

    questions = practice_questions(library)          # drill name -> [Question]
    files = practice_files(library, directory_urls)  # site path -> JSON text (one per drill)
    pages = practice_pages(library, directory_urls)  # /practice/, one page per drill, progress

A question's id comes from the drill, the case id and the annotated text itself (not its place
in the file or the build order), so a learner's progress, kept in the browser, survives
rebuilds, edits elsewhere in the case and new cases.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from casebook.html import Markup, html, join
from casebook.library import Library
from casebook.model import Annotation, Case, Dialogue
from casebook.pages import Page, PageWriter
from casebook.render import is_supporter, term_uri
from casebook.urls import page_url

PRACTICE_URI = "practice/index.md"
PROGRESS_URI = "practice/progress.md"
DATA_DIR = "assets/casebook/practice"
# Preceding dialogue turns shown before the line whose technique is asked.
DIALOGUE_CONTEXT = 3
# Questions per file of a drill: a drill opens once one part is fetched, the others follow
# (at 1,000 cases the technique drill has some 3,600 questions, 1.7 MB in one file).
PART_SIZE = 200


@dataclass(frozen=True)
class Drill:
    """One kind of practice: which facet it asks about and how."""

    name: str  # the page and file name: practice/wall/, practice/wall.json
    facet: str
    title: str
    ask: str  # the legend of the choices
    intro: str
    multiple: bool  # checkboxes (one or more) rather than radio buttons

    @property
    def uri(self) -> str:
        return f"practice/{self.name}.md"

    def data_path(self, part: int) -> str:
        return f"{DATA_DIR}/{self.name}-{part}.json"

    @property
    def moodle_path(self) -> str:
        """The drill as Moodle XML (casebook/moodle.py), for trainers."""
        return f"{DATA_DIR}/moodle-{self.name}.xml"


def part_count(questions: int) -> int:
    return max(1, -(-questions // PART_SIZE))


def part_of(question_id: str, parts: int) -> int:
    """Which part (1…parts) holds a question: spread by its id, so each part is a fair sample
    of the drill and a question stays in its part while the drill keeps its size."""
    return int(hashlib.sha1(question_id.encode()).hexdigest()[:8], 16) % parts + 1


DRILLS: tuple[Drill, ...] = (
    Drill("wall", "wall", "壁を見立てる",
          "この記述に表れている壁はどれですか（当てはまるものをすべて選んでください）",
          "事例の中で壁が注釈された記述です。経営者の言葉や状況から、どの壁が表れているかを"
          "見立ててください。", multiple=True),
    Drill("skill", "skill", "技法を見分ける",
          "支援者はどの技法を使っていますか",
          "事例の対話から、支援者の発言を一つずつ取り出しました。前のやりとりを読み、その発言が"
          "どの対話の技法にあたるかを選んでください。", multiple=False),
    Drill("approach", "approach", "アプローチを見分ける",
          "この支援はどのアプローチにあたりますか",
          "事例の中でアプローチが注釈された記述です。支援者がどのアプローチで臨んでいるかを"
          "選んでください。", multiple=False),
)
BY_NAME = {drill.name: drill for drill in DRILLS}


@dataclass(frozen=True)
class Line:
    """A line of context: a sentence, or a dialogue turn with its speaker."""

    text: str
    speaker: str = ""


@dataclass(frozen=True)
class Question:
    """One practice question and its answer."""

    id: str
    drill: str
    case: Case
    text: str  # the sentence (or dialogue line) asked about, its badge removed
    answers: tuple[str, ...]  # term slugs
    # (start, end) of the annotated part of `text`; None: the whole line is asked about.
    mark: tuple[int, int] | None = None
    speaker: str = ""
    context: tuple[Line, ...] = field(default=())

    def record(self) -> dict[str, object]:
        """The question as the drill's JSON file holds it (its case: a key of "cases")."""
        record: dict[str, object] = {
            "id": self.id,
            "case": self.case.id,
            "context": [{"speaker": line.speaker, "text": line.text} if line.speaker
                        else {"text": line.text} for line in self.context],
            "text": self.text,
            "answers": list(self.answers),
        }
        if self.mark is not None:
            record["mark"] = list(self.mark)
        if self.speaker:
            record["speaker"] = self.speaker
        return record


# A sentence ends at 。！？!? and any closing brackets right after.
_SENTENCE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[」』）)]*|\n|$)")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a paragraph, leading spaces left out."""
    found = []
    for match in _SENTENCE.finditer(text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        if start < end and text[start:end].strip():
            found.append((start, end))
    return found


def _last_sentence(text: str) -> str:
    spans = sentences(text)
    return text[spans[-1][0]:spans[-1][1]].strip() if spans else ""


def _span_question(annotation: Annotation) -> tuple[str, tuple[int, int], str]:
    """The sentence(s) holding an annotated span, where the span is in them, and the
    sentence before (in the paragraph, else the last of the paragraph before)."""
    paragraph = annotation.paragraph or annotation.text
    start, end = (annotation.start, annotation.end) if annotation.paragraph else \
        (0, len(annotation.text))
    spans = sentences(paragraph) or [(0, len(paragraph))]
    holding = [s for s in spans if s[0] < max(end, start + 1) and s[1] > start] or spans
    first, last = holding[0][0], holding[-1][1]
    first = min(first, start)
    last = max(last, end)
    text = paragraph[first:last].rstrip()
    earlier = [s for s in spans if s[1] <= first]
    before = paragraph[earlier[-1][0]:earlier[-1][1]].strip() if earlier else \
        _last_sentence(annotation.before)
    return text, (start - first, min(end, len(text) + first) - first), before


class _Ids:
    """Stable question ids: drill, case id and the asked text; a repeat of the same text in
    the same case and drill is told apart by its count, not its place among the others."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, drill: str, case: Case, key: str) -> str:
        base = f"{drill}\0{case.id}\0{key}"
        count = self.seen.get(base, 0)
        self.seen[base] = count + 1
        digest = hashlib.sha1(f"{base}\0{count}".encode()).hexdigest()[:12]
        return f"{drill[0]}{digest}"


def case_questions(case: Case) -> list[Question]:
    """Every question one (published) case gives, in reading order."""
    ids = _Ids()
    found: list[Question] = []
    for annotation in case.doc.annotations:
        for drill in DRILLS:
            answers = tuple(dict.fromkeys(t.slug for t in annotation.terms
                                          if t.facet == drill.facet))
            if not answers:
                continue
            text, mark, before = _span_question(annotation)
            found.append(Question(
                ids(drill.name, case, annotation.text), drill.name, case, text, answers, mark,
                context=(Line(before),) if before else ()))
    for dialogue in case.doc.dialogues:
        found += _dialogue_questions(case, dialogue, ids)
    return found


def _dialogue_questions(case: Case, dialogue: Dialogue, ids: _Ids) -> list[Question]:
    found = []
    turns = dialogue.utterances
    for index, turn in enumerate(turns):
        if turn.skill is None or not is_supporter(turn.speaker, turn.skill):
            continue
        context = tuple(Line(t.text, t.speaker)
                        for t in turns[max(0, index - DIALOGUE_CONTEXT):index])
        found.append(Question(ids("skill", case, f"{turn.speaker}: {turn.text}"), "skill",
                              case, turn.text, (turn.skill.slug,), None, turn.speaker, context))
    return found


def practice_questions(library: Library) -> dict[str, list[Question]]:
    """Drill name -> its questions, from published cases only (drafts never)."""
    questions: dict[str, list[Question]] = {drill.name: [] for drill in DRILLS}
    for case in library.published:
        for question in case_questions(case):
            questions[question.drill].append(question)
    return questions


def practice_files(library: Library, directory_urls: bool = True,
                   questions: dict[str, list[Question]] | None = None) -> dict[str, str]:
    """Site path -> JSON text: each drill in parts of about PART_SIZE questions, each part
    with the cases its questions come from (alias, title, URL from the site root)."""
    questions = questions if questions is not None else practice_questions(library)
    files = {}
    for drill in DRILLS:
        found = questions[drill.name]
        parts = part_count(len(found))
        split: dict[int, list[Question]] = {part: [] for part in range(1, parts + 1)}
        for question in found:
            split[part_of(question.id, parts)].append(question)
        for part, chosen in split.items():
            cases = {q.case.id: {"alias": q.case.alias, "title": q.case.title,
                                 "url": page_url(q.case.src_uri, directory_urls)}
                     for q in chosen}
            files[drill.data_path(part)] = json.dumps(
                {"drill": drill.name, "part": part, "parts": parts, "cases": cases,
                 "questions": [q.record() for q in chosen]},
                ensure_ascii=False, separators=(",", ":"))
    return files


# --- pages ----------------------------------------------------------------------------------

def _guide(library: Library, writer: PageWriter, term) -> tuple[str, str]:
    """Where a term is explained: its method guide, else its term page (URL from this page)."""
    guides = library.guides_for(term)
    if guides:
        return writer.href(guides[0].src_uri), guides[0].title
    return writer.href(term_uri(term, library.vocabulary)), term.label


def drill_page(library: Library, drill: Drill, count: int, directory_urls: bool) -> Page:
    """A drill: its question area, choices (the vocabulary's terms), filter and controls.

    The questions come from the drill's JSON file; practice.js asks them in a shuffled order
    and keeps the learner's answers in the browser only.
    """
    writer = PageWriter(drill.uri, directory_urls)
    facet = library.vocabulary[drill.facet]
    writer.heading(1, drill.title)
    writer.add(html("<p>{}</p>\n", drill.intro))
    kind = "checkbox" if drill.multiple else "radio"
    choices = []
    options = []
    for term in facet.terms:
        guide_url, guide_title = _guide(library, writer, term)
        choices.append(html(
            '<label class="cb-practice__choice"><input type="{}" name="answer" value="{}" '
            'data-cb-guide="{}" data-cb-guide-title="{}"> {}</label>',
            kind, term.slug, guide_url, guide_title, term.label))
        options.append(html('<option value="{}">{}</option>', term.slug, term.label))
    writer.add(html(
        '<div class="cb-practice" data-cb-practice="{drill}" data-cb-data="{data}" '
        'data-cb-root="{root}" data-cb-count="{count}">\n'
        '<div class="cb-practice__controls">\n'
        '<label for="cb-practice-filter">{facet}で絞り込む</label> '
        '<select id="cb-practice-filter" data-cb-filter><option value="">すべて</option>{options}'
        '</select>\n'
        '<label class="cb-practice__missed"><input type="checkbox" data-cb-missed> '
        '間違えた問題だけ</label>\n'
        '</div>\n'
        '<p class="cb-practice__status" data-cb-status role="status">問題は {count} 問あります。'
        '</p>\n'
        '<form class="cb-practice__question" data-cb-question hidden>\n'
        '<div class="cb-practice__context" data-cb-context></div>\n'
        '<blockquote class="cb-practice__text" data-cb-text></blockquote>\n'
        '<p class="cb-practice__case">事例: <a data-cb-case href="{root}"></a></p>\n'
        '<fieldset class="cb-practice__choices"><legend>{ask}</legend>\n{choices}\n</fieldset>\n'
        '<p class="cb-practice__buttons"><button type="submit" '
        'class="md-button md-button--primary" data-cb-check>答え合わせ</button></p>\n'
        '<div class="cb-practice__feedback" data-cb-feedback tabindex="-1" hidden></div>\n'
        '<p class="cb-practice__buttons"><button type="button" class="md-button" '
        'data-cb-next>次の問題</button></p>\n'
        '</form>\n'
        '<noscript><p>練習には JavaScript が必要です。</p></noscript>\n'
        '<p><a href="{progress}">学習の記録を見る</a></p>\n'
        '</div>\n',
        drill=drill.name, root=writer.href("index.md"),
        data=" ".join(writer.href(drill.data_path(part))
                      for part in range(1, part_count(count) + 1)),
        count=count, facet=facet.label, options=join("", options), ask=drill.ask,
        choices=join("\n", choices), progress=writer.href(PROGRESS_URI)))
    return writer.page(drill.title, searchable=False)


def practice_index(library: Library, counts: dict[str, int], directory_urls: bool,
                   moodle: bool = False) -> Page:
    writer = PageWriter(PRACTICE_URI, directory_urls)
    writer.heading(1, "練習")
    writer.add(Markup(
        "<p>事例の注釈から作った練習問題です。壁を見立て、対話の技法やアプローチを見分ける練習を、"
        "一人で繰り返せます。答えた結果はこのブラウザの中にだけ保存され、どこにも送られません。</p>\n"))
    items = []
    for drill in DRILLS:
        facet = library.vocabulary[drill.facet]
        items.append(html('<li><a href="{}">{}</a>（{} 問）: 選択肢は{}の {} 語</li>',
                          writer.href(drill.uri), drill.title, counts[drill.name],
                          facet.label, len(facet.terms)))
    writer.add(html("<ul>\n{}\n</ul>\n", join("\n", items)))
    writer.add(html('<p><a href="{}">学習の記録</a>: 練習ごと・壁ごとの正答数と苦手な壁。</p>\n',
                    writer.href(PROGRESS_URI)))
    if not moodle:
        return writer.page("練習", searchable=False)
    writer.heading(2, "研修講師の方へ", anchor="moodle")
    writer.add(html('<p>同じ問題を、Moodle の問題バンクに取り込める XML 形式でも用意しています'
                    '（問題ごとの ID 付き。取り込み直すと更新されます）: {}</p>\n',
                    join("・", (html('<a href="{}" download>{}</a>',
                                    writer.href(d.moodle_path), d.title) for d in DRILLS))))
    return writer.page("練習", searchable=False)


def progress_page(library: Library, counts: dict[str, int], directory_urls: bool) -> Page:
    """学習の記録: rows for every drill and every term, which practice.js fills from the
    record kept in this browser."""
    writer = PageWriter(PROGRESS_URI, directory_urls)
    writer.heading(1, "学習の記録")
    writer.add(Markup(
        '<p>このブラウザで練習した結果です（記録はこの端末の中にだけあり、どこにも送られません）。'
        '</p>\n<p class="cb-progress__last" data-cb-progress-last>まだ練習していません。</p>\n'))

    def rows(items: list[tuple[str, str, str]], kind: str) -> Markup:
        return html('<div class="cb-progress__rows">\n{}\n</div>\n', join("\n", (
            html('<div class="cb-progress__row" data-cb-{}="{}"{}>'
                 '<span class="cb-progress__label"><a href="{}">{}</a></span>'
                 '<span class="cb-progress__bar" aria-hidden="true"><span></span></span>'
                 '<span class="cb-progress__count">まだ答えていません</span>{}</div>',
                 kind, key,
                 html(' data-cb-total="{}"', counts[key]) if kind == "drill" else Markup(""),
                 url, label,
                 html('<span class="cb-progress__reach">{} 問</span>', counts[key])
                 if kind == "drill" else Markup(""))
            for key, label, url in items)))

    writer.heading(2, "練習ごと", anchor="drills")
    writer.add(rows([(d.name, d.title, writer.href(d.uri)) for d in DRILLS], "drill"))
    for drill in DRILLS:
        facet = library.vocabulary[drill.facet]
        writer.heading(2, f"{facet.label}ごと", anchor=f"by-{drill.facet}")
        writer.add(rows([(f"{drill.name}:{t.slug}", t.label,
                          writer.href(term_uri(t, library.vocabulary))) for t in facet.terms],
                        "term"))
    writer.heading(2, "苦手な壁", anchor="weak")
    writer.add(Markup('<p data-cb-progress-weak>壁ごとに 2 回以上答えると、正答率の低い壁を'
                      'ここに示します。</p>\n'))
    writer.heading(2, "記録の書き出しと読み込み", anchor="record")
    writer.add(Markup(
        '<p>別の端末に移すときや、研修講師に見せるときに使います。</p>\n'
        '<p class="cb-progress__buttons">'
        '<button type="button" class="md-button" data-cb-export>記録を書き出す</button> '
        '<label class="md-button cb-progress__import">記録を読み込む'
        '<input type="file" accept="application/json,.json" data-cb-import></label> '
        '<button type="button" class="md-button" data-cb-clear>記録を消す</button></p>\n'
        '<p data-cb-progress-message role="status"></p>\n'))
    writer.add(html('<p><a href="{}">練習に戻る</a></p>\n', writer.href(PRACTICE_URI)))
    page = writer.page("学習の記録", searchable=False)
    page.html = html('<div class="cb-progress" data-cb-progress>\n{}</div>\n', page.html)
    return page


def practice_pages(library: Library, directory_urls: bool = True,
                   questions: dict[str, list[Question]] | None = None,
                   moodle: bool = False) -> list[Page]:
    """/practice/ (練習), one page per drill and /practice/progress/ (学習の記録); `moodle`:
    /practice/ links each drill's Moodle XML (casebook/moodle.py)."""
    questions = questions if questions is not None else practice_questions(library)
    counts = {name: len(found) for name, found in questions.items()}
    return [practice_index(library, counts, directory_urls, moodle),
            *(drill_page(library, drill, counts[drill.name], directory_urls) for drill in DRILLS),
            progress_page(library, counts, directory_urls)]


__all__ = ["DRILLS", "Question", "practice_questions", "practice_files", "practice_pages",
           "case_questions"]
