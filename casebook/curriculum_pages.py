"""The pages of curricula: the list, one page per curriculum, and its printable handout.

Made from the checked `Curriculum` and the library like every other page (casebook/pages.py),
with the same writer and case cards; all HTML through `casebook.html`. Session teaching notes
are written only when `trainer` is set (the trainer edition); a handout never has any.
"""

from __future__ import annotations

from casebook.curricula import INDEX_URI, Curriculum, Session, clock, coverage, duration
from casebook.html import Markup, html, join
from casebook.library import Library
from casebook.model import SECTION_HINTS, SECTION_QUESTIONS, Case
from casebook.pages import Cards, Page, PageWriter
from casebook.render import badge_html, kind_html

TEACHING_NOTE_LABEL = "指導メモ（研修講師用）"


def curriculum_pages(library: Library, cards: Cards, *, trainer: bool = False) -> list[Page]:
    """The list of curricula, and each curriculum's page and handout."""
    pages = [curricula_index(library, cards.directory_urls)]
    for curriculum in library.curricula:
        pages.append(curriculum_page(curriculum, library, cards, trainer=trainer))
        pages.append(handout_page(curriculum, library, cards.directory_urls))
    return pages


def _cases(library: Library, ids: list[str]) -> list[Case]:
    known = {case.id: case for case in library.cases}
    return [known[i] for i in ids if i in known]


def curricula_index(library: Library, directory_urls: bool) -> Page:
    """Every curriculum: title, audience, total time, number of cases."""
    writer = PageWriter(INDEX_URI, directory_urls)
    writer.heading(1, "研修カリキュラム")
    writer.add(Markup("<p>研修講師が半日・1日の研修を組み立てるためのカリキュラムです。"
                      "各カリキュラムには時間配分、使う解説と事例、印刷用の配布資料があります。"
                      "</p>\n"))
    if not library.curricula:
        writer.add(Markup("<p><em>カリキュラムはまだありません。</em></p>\n"))
        return writer.page("研修カリキュラム")
    rows = []
    for curriculum in library.curricula:
        rows.append(html(
            '<tr>\n<td><a href="{}">{}</a></td>\n<td>{}</td>\n<td style="text-align: right;">'
            '{}</td>\n<td style="text-align: right;">{}</td>\n<td><a href="{}">印刷用</a></td>\n'
            '</tr>', writer.href(curriculum.src_uri), curriculum.title,
            curriculum.audience or "—", duration(curriculum.total_minutes),
            len(curriculum.case_ids()), writer.href(curriculum.handout_uri)))
    writer.add(html('<table>\n<thead>\n<tr>\n<th>カリキュラム</th>\n'
                    '<th>対象</th>\n<th style="text-align: right;">所要時間</th>\n'
                    '<th style="text-align: right;">事例数</th>\n<th>配布資料</th>\n</tr>\n'
                    '</thead>\n<tbody>\n{}\n</tbody>\n</table>\n', join("\n", rows)))
    return writer.page("研修カリキュラム")


def time_plan(curriculum: Curriculum, library: Library, writer: PageWriter) -> Markup:
    """The time plan: each session's start and end from 0:00, minutes, cases; the total."""
    rows = []
    for session in curriculum.sessions:
        name = html('<a href="#{}">{}</a>', session_anchor(session), session.title)
        aliases = join("・", (c.alias for c in _cases(library, session.cases)))
        rows.append(html('<tr>\n<td style="text-align: right;">{}</td>\n<td>{}–{}</td>\n'
                         '<td>{}</td>\n<td style="text-align: right;">{}</td>\n<td>{}</td>\n'
                         '</tr>', session.number, clock(session.start), clock(session.end),
                         name, session.minutes, aliases or "—"))
    return html('<table>\n<thead>\n<tr>\n'
                '<th style="text-align: right;">No.</th>\n<th>時刻</th>\n<th>セッション</th>\n'
                '<th style="text-align: right;">分</th>\n<th>事例</th>\n</tr>\n</thead>\n'
                '<tbody>\n{}\n</tbody>\n<tfoot>\n<tr>\n<th colspan="3" scope="row">合計</th>\n'
                '<td style="text-align: right;">{}</td>\n<td>{}</td>\n</tr>\n</tfoot>\n'
                '</table>\n', join("\n", rows), curriculum.total_minutes,
                duration(curriculum.total_minutes))


def session_anchor(session: Session) -> str:
    return f"session-{session.number}"


def _objectives(curriculum: Curriculum, writer: PageWriter) -> None:
    if curriculum.objectives:
        writer.heading(2, "ねらい", anchor="objectives")
        writer.add(html('<ul class="cb-objectives">\n{}\n</ul>\n',
                        join("\n", (html("<li>{}</li>", o) for o in curriculum.objectives))))


def _summary(curriculum: Curriculum, writer: PageWriter, *, handout_link: bool) -> None:
    parts = []
    if curriculum.audience:
        parts.append(html("対象: {}", curriculum.audience))
    parts.append(html("所要時間: {}（{}セッション）", duration(curriculum.total_minutes),
                      len(curriculum.sessions)))
    if handout_link:
        parts.append(html('<a href="{}">印刷用の配布資料（A4）</a>',
                          writer.href(curriculum.handout_uri)))
    writer.add(html('<p class="cb-curriculum-meta">{}</p>\n', join(" ／ ", parts)))
    if curriculum.description:
        writer.add(html("<p>{}</p>\n", curriculum.description))


def _questions(cases: list[Case]) -> list[tuple[Case, list[str]]]:
    found = []
    for case in cases:
        section = case.doc.section(SECTION_QUESTIONS)
        # The questions are the section's list items (a note or a code block is no question).
        lines = [item for item in section.items if item.strip()] if section else []
        if lines:
            found.append((case, lines))
    return found


def teaching_note_html(text: str) -> Markup:
    """A session's teaching note, in the block the parser writes for ```teaching-note."""
    paragraphs = join("\n", (html("<p>{}</p>", p.strip()) for p in text.split("\n\n")
                             if p.strip()))
    return html('<aside class="cb-teaching-note" aria-label="指導メモ">\n'
                '<p class="cb-teaching-note__label">{}</p>\n{}\n</aside>\n',
                TEACHING_NOTE_LABEL, paragraphs)


def curriculum_page(curriculum: Curriculum, library: Library, cards: Cards, *,
                    trainer: bool = False) -> Page:
    """A curriculum: objectives, its text, the time plan, each session, the coverage."""
    doc = curriculum.doc
    writer = PageWriter(curriculum.src_uri, cards.directory_urls)
    writer.taken |= doc.anchors
    writer.heading(1, curriculum.title)
    _summary(curriculum, writer, handout_link=True)
    _objectives(curriculum, writer)
    before_body = len(writer.headings)
    writer.add(doc.html)
    writer.heading(2, "時間配分", anchor="time-plan")
    writer.add(time_plan(curriculum, library, writer))
    for session in curriculum.sessions:
        writer.heading(2, f"{session.number}. {session.title}（{session.minutes}分）",
                       anchor=session_anchor(session))
        writer.add(html('<p class="cb-session-time">{}–{}</p>\n', clock(session.start),
                        clock(session.end)))
        if session.description:
            writer.add(html("<p>{}</p>\n", session.description))
        if trainer and session.teaching_note:
            writer.add(teaching_note_html(session.teaching_note))
        guides = {g.src_uri: g for g in library.guides}
        if session.guides:
            writer.add(html('<p class="cb-session-guides">解説: {}</p>\n', join("・", (
                html('<a href="{}">{}</a>', writer.href(uri), guides[uri].title)
                for uri in session.guides if uri in guides))))
        cases = _cases(library, session.cases)
        if cases:
            writer.add(cards(cases, writer.uri), searchable=False)
        alternates = _cases(library, session.alternates)
        if alternates:
            writer.add(html('<div class="cb-alternates">\n<p class="cb-alternates__label">'
                            '代替事例（差し替え用）</p>\n{}</div>\n',
                            cards(alternates, writer.uri)), searchable=False)
        questions = _questions(cases)
        if questions:
            writer.heading(3, "考えてみよう", anchor=f"{session_anchor(session)}-questions")
            items = []
            for case, lines in questions:
                items.append(html("<li><strong>{}</strong>\n<ul>\n{}\n</ul>\n</li>", case.alias,
                                  join("\n", (html("<li>{}</li>", q) for q in lines))))
            writer.add(html('<ul class="cb-questions">\n{}\n</ul>\n', join("\n", items)))
    writer.heading(2, "扱う壁・アプローチ・対話の技法", anchor="coverage")
    writer.add(coverage_html(curriculum, library, writer))
    page = writer.page(curriculum.title, draft=curriculum.is_draft,
                       searchable=not curriculum.is_draft)
    body = [h for h in doc.headings if h.level > 1]
    page.headings = [*page.headings[:before_body], *body, *page.headings[before_body:]]
    return page


def coverage_html(curriculum: Curriculum, library: Library, writer: PageWriter) -> Markup:
    """A table a trainer reads at a glance: per facet, what the cases cover and what not."""
    vocabulary = library.vocabulary
    cases = _cases(library, curriculum.case_ids())
    rows = []
    missing_lines = []
    for found in coverage(cases, vocabulary):
        facet = vocabulary[found.facet]
        covered = join("　", (html('{}<span class="cb-coverage-cases">（{}）</span>',
                                   badge_html(term, vocabulary, writer.uri,
                                              writer.directory_urls),
                                   join("・", (c.alias for c in using)))
                              for term, using in found.covered)) or Markup("—")
        missing = (html('<span class="cb-coverage-missing">{}</span>',
                        join("、", (t.label for t in found.missing)))
                   if found.missing else Markup("なし"))
        rows.append(html('<tr>\n<th scope="row">{}</th>\n<td>{}</td>\n<td>{}</td>\n</tr>',
                         facet.label, covered, missing))
        if found.missing:
            missing_lines.append(html("<li>このカリキュラムで扱わない{}: {}</li>",
                                      facet.label, join("、", (t.label for t in found.missing))))
    summary = (html('<ul class="cb-coverage-summary">\n{}\n</ul>\n', join("\n", missing_lines))
               if missing_lines else Markup(""))
    return html('<p>本編の事例（代替事例を除く）が扱う語と、扱わない語です。</p>\n'
                '<table>\n<thead>\n<tr>\n<th>区分</th>\n<th>扱う（事例）</th>\n'
                '<th>扱わない</th>\n</tr>\n</thead>\n<tbody>\n{}\n</tbody>\n</table>\n{}',
                join("\n", rows), summary)


def handout_page(curriculum: Curriculum, library: Library, directory_urls: bool) -> Page:
    """The handout printed on A4: the plan, then each session on its own pages with the full
    text of its cases and their questions. Written from the model's sections (never a teaching
    note), with the site's navigation hidden on screen and everything but the article in print.
    """
    writer = PageWriter(curriculum.handout_uri, directory_urls)
    writer.heading(1, f"配布資料: {curriculum.title}")
    writer.add(html('<p class="cb-handout-back"><a href="{}">カリキュラムのページに戻る</a>'
                    '（印刷はブラウザの印刷機能で。A4 縦・セッションごとに改ページします）</p>\n',
                    writer.href(curriculum.src_uri)))
    _summary(curriculum, writer, handout_link=False)
    _objectives(curriculum, writer)
    # The curriculum's own text from the model (its teaching notes are not in it).
    if curriculum.doc.intro:
        writer.add(_paragraphs(curriculum.doc.intro))
    for section in curriculum.doc.sections:
        writer.heading(2, section.title)
        writer.add(_paragraphs(section.text))
    writer.heading(2, "時間配分", anchor="time-plan")
    writer.add(time_plan(curriculum, library, writer))
    guides = {g.src_uri: g for g in library.guides}
    for session in curriculum.sessions:
        writer.add(Markup('<section class="cb-handout-session">\n'))
        writer.heading(2, f"{session.number}. {session.title}（{session.minutes}分・"
                          f"{clock(session.start)}–{clock(session.end)}）",
                       anchor=session_anchor(session))
        if session.description:
            writer.add(html("<p>{}</p>\n", session.description))
        if session.guides:
            writer.add(html('<p>解説: {}</p>\n', join("・", (
                guides[uri].title for uri in session.guides if uri in guides))))
        for case in _cases(library, session.cases):
            _case_text(case, writer)
        alternates = _cases(library, session.alternates)
        if alternates:
            writer.add(html('<p class="cb-alternates__label">代替事例（差し替え用）: {}</p>\n',
                            join("・", (f"{c.alias} {c.title}" for c in alternates))))
        writer.add(Markup("</section>\n"))
    return writer.page(f"配布資料: {curriculum.title}", searchable=False,
                       draft=curriculum.is_draft, meta={"hide": ["navigation", "toc"]})


def _case_text(case: Case, writer: PageWriter) -> None:
    writer.add(Markup('<article class="cb-handout-case">\n'))
    writer.heading(3, f"{case.alias}: {case.title}", anchor=f"case-{case.id}")
    writer.add(html('<p class="cb-handout-case-link">{} <a href="{}">サイトの事例ページ</a></p>\n',
                    kind_html(case), writer.href(case.src_uri)))
    if case.doc.intro:
        writer.add(_paragraphs(case.doc.intro))
    for section in case.doc.sections:
        if section.title == SECTION_HINTS:
            # On paper the hints would sit open under the questions; on the site a learner
            # opens them after writing an answer.
            writer.add(html('<p class="cb-handout-hints">解答の手がかりは、<a href="{}">サイトの'
                            '事例ページ</a>で自分の考えを書いてから開けます。</p>\n',
                            writer.href(case.src_uri)))
            continue
        writer.heading(4, section.title, anchor=f"case-{case.id}-{section.title}")
        writer.add(_paragraphs(section.text))
    if case.source:
        writer.add(html('<p class="cb-source">出典: {}</p>\n', case.source))
    writer.add(Markup("</article>\n"))


def _paragraphs(text: str) -> Markup:
    return join("", (html("<p>{}</p>\n", line.strip()) for line in text.splitlines()
                     if line.strip()))
