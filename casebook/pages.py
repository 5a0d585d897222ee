"""Every page of the site as finished HTML: case pages, guide pages and the generated ones
(facet overviews, one page per term, the walls × industries matrix, the case index).

A `Page` is what a site engine needs to publish it: its source path, title, the article's
HTML, its headings (table of contents and anchors) and the front-matter keys the theme reads.
All HTML is written with `casebook.html` (escaped there) and the pieces of `casebook.render`.

The other pages use this module's writer (`_Writer`) and cards: the /prep/ page
(casebook/prep_page.py, added by `site_pages`), the drills (casebook/practice.py) and the
curricula (casebook/curriculum_pages.py), which `pipeline/build.py` adds in `Build.prepare`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from casebook.facets import ANNOTATION_KEYS, CASE_INDEX_COLUMNS, FACETS
from casebook.html import Markup, html, join
from casebook.library import Library
from casebook.model import Case, Guide, Heading
from casebook.packed import PackedMarkup, packing
from casebook.related import Related
from casebook.render import (
    badge_html,
    badges_html,
    case_link_html,
    facet_uri,
    heading_html,
    heading_id,
    kind_html,
    term_uri,
    unique_id,
)
from casebook.schema import GUIDE_PASSED_ON, KINDS
from casebook.urls import href, page_url
from casebook.vocabulary import Facet, Term

MATRIX_URI = "matrix.md"
CASE_INDEX_URI = "cases/index.md"
# Every term of the vocabulary, with the other spellings an author may write (for authors).
VOCABULARY_URI = "vocabulary.md"


@dataclass
class Page:
    """A page to publish."""

    src_uri: str
    title: str  # plain text (the MkDocs adapter escapes it once, for the theme to print)
    html: Markup
    headings: list[Heading] = field(default_factory=list)
    # Front-matter keys the theme reads (hide, icon …), and the page's description.
    meta: dict[str, object] = field(default_factory=dict)
    # Listed by the in-browser search (the case index and the matrix repeat every case).
    searchable: bool = True
    draft: bool = False
    # The article as the in-browser search indexes it: without the lists of other cases
    # (case cards, related cases), whose every line would match a search for those cases.
    search_html: Markup = Markup("")

    @property
    def anchors(self) -> set[str]:
        return {h.id for h in self.headings}

    def hand_over(self) -> str:
        """The HTML as a plain string, for a site engine that keeps its own copy of every
        page until the end of the build; this page lets go of its own (at 10,000 cases the
        articles are some 400 MB)."""
        text, self.html = str(self.html), Markup("")
        return text


class PageWriter:
    """A page being written: its HTML pieces, and its headings with unique anchors.

    Every page module (pages, practice, prep_page, curriculum_pages) writes through it.
    """

    def __init__(self, uri: str, directory_urls: bool) -> None:
        self.uri = uri
        self.directory_urls = directory_urls
        self.parts: list[Markup] = []
        self.search_parts: list[Markup] = []
        self.headings: list[Heading] = []
        self.taken: set[str] = set()

    def heading(self, level: int, text: str | Markup, anchor: str | None = None,
                plain: str | None = None) -> None:
        plain = plain if plain is not None else str(text)
        anchor = unique_id(anchor or heading_id(plain), self.taken)
        self.headings.append(Heading(level, anchor, plain))
        self.add(heading_html(level, anchor, text))

    def add(self, piece: Markup, *, searchable: bool = True) -> None:
        self.parts.append(piece)
        if searchable:
            self.search_parts.append(piece)

    def href(self, target: str) -> str:
        return href(target, self.uri, self.directory_urls)

    def page(self, title: str, **options: object) -> Page:
        page_html = Markup("").join(self.parts)
        search_html = Markup("").join(self.search_parts)
        if packing():  # a site build: compressed until written (casebook/packed.py)
            page_html, search_html = PackedMarkup(page_html), PackedMarkup(search_html)
        return Page(self.uri, title, page_html, self.headings, search_html=search_html,
                    **options)


# --- cards and lists ------------------------------------------------------------------------

def case_card(case: Case, library: Library, from_uri: str, directory_urls: bool) -> Markup:
    """A case as a card: alias, title, industry, walls, one line of 設定された課題."""
    vocabulary = library.vocabulary
    industry = badges_html(case.terms("industry"), vocabulary, from_uri, directory_urls)
    if case.industry_detail:
        industry = html("{} {}", industry, case.industry_detail)
    walls = badges_html(case.terms("wall"), vocabulary, from_uri, directory_urls)
    return html('<div class="cb-card"><p class="cb-card-title">{} {}</p>'
                '<p class="cb-card-meta">{}</p><p class="cb-card-meta">壁: {}</p>'
                '<p class="cb-card-summary">{}</p></div>',
                kind_html(case), case_link_html(case, from_uri, directory_urls), industry,
                walls, case.summary.lstrip("-*・ "))


class Cards:
    """Lists of case cards, each card written once per folder depth.

    A 1,000-case site shows some 20,000 cards. A card links to its case and its terms through
    the site root ("../../cases/a/" from any page two folders deep), so one card serves every
    page at that depth.
    """

    def __init__(self, library: Library, directory_urls: bool) -> None:
        self.library = library
        self.directory_urls = directory_urls
        self._made: dict[tuple[str, int], Markup] = {}

    def __call__(self, cases: list[Case], from_uri: str) -> Markup:
        if not cases:
            return Markup("<p><em>該当する事例はまだありません。</em></p>\n")
        depth = page_url(from_uri, self.directory_urls).count("/")
        # A page as deep as `from_uri` that shares no folder with any link target.
        placeholder = "\0/" * depth + "index.md"
        made = []
        for case in cases:
            card = self._made.get((case.id, depth))
            if card is None:
                card = self._made[(case.id, depth)] = case_card(
                    case, self.library, placeholder, self.directory_urls)
            made.append(card)
        return html('<div class="cb-cards">\n{}\n</div>\n', join("\n", made))


# --- generated pages ------------------------------------------------------------------------

def generated_pages(library: Library, directory_urls: bool = True,
                    cards: Cards | None = None) -> list[Page]:
    """Every generated page of the site: case index, matrix, facet overviews, term pages.

    A term has one page. A term a guide explains lives on that guide (its own address only
    sends the reader there); another term gets a page of its cases once it has any.
    """
    cards = cards or Cards(library, directory_urls)
    pages = [case_index(library, directory_urls), matrix_page(library, directory_urls),
             vocabulary_page(library, directory_urls)]
    for facet in library.vocabulary:
        pages.append(facet_overview(library, facet, directory_urls))
        for term in facet.terms:
            guides = library.guides_for(term)
            if guides:
                pages.append(moved_page(library, term, guides[0], directory_urls))
            elif library.count(term):
                pages.append(term_page(library, term, cards))
    return pages


def moved_page(library: Library, term: Term, guide: Guide, directory_urls: bool) -> Page:
    """A term's address when a guide explains it: straight on to the guide."""
    writer = PageWriter(term_uri(term, library.vocabulary), directory_urls)
    target = f"{writer.href(guide.src_uri)}#{guide_anchor(guide, term)}"
    if len([t for terms in guide.explains.values() for t in terms]) == 1:
        target = writer.href(guide.src_uri)  # the guide is all about it: from the top
    writer.heading(1, term.label)
    writer.add(html('<p class="cb-moved">「{}」の解説と事例は <a href="{}">{}</a> にあります。'
                    '</p>\n', term.label, target, guide.title))
    # The theme writes `redirect` as a refresh in the head: the browser goes straight on.
    return writer.page(term.label, searchable=False, meta={"redirect": target})


def facet_overview(library: Library, facet: Facet, directory_urls: bool) -> Page:
    """A facet's terms that have cases, with descriptions and case counts."""
    writer = PageWriter(facet_uri(facet.name, library.vocabulary), directory_urls)
    writer.heading(1, facet.label)
    if facet.description:
        writer.add(html("<p>{}</p>\n", facet.description))
    groups: dict[str, list[Term]] = {}
    for term in facet.terms:
        if library.count(term):
            groups.setdefault(term.group, []).append(term)
    if not groups:
        writer.add(Markup("<p><em>該当する事例はまだありません。</em></p>\n"))
    for group, terms in groups.items():
        if group:
            writer.heading(2, group)
        rows = []
        for term in terms:
            name = html('<a href="{}">{}</a>', writer.href(term_uri(term, library.vocabulary)),
                        term.label)
            if term.code:
                name = html("{} {}", term.code, name)
            description = term.description.replace("\n", " ") or "—"
            rows.append(html('<tr>\n<td>{}</td>\n<td>{}</td>\n<td style="text-align: right;">'
                             '{}</td>\n</tr>', name, description, library.count(term)))
        writer.add(html('<table>\n<thead>\n<tr>\n<th>用語</th>\n<th>説明</th>\n'
                        '<th style="text-align: right;">事例数</th>\n</tr>\n</thead>\n'
                        '<tbody>\n{}\n</tbody>\n</table>\n', join("\n", rows)))
    left_out = sum(1 for term in facet.terms if not library.count(term))
    if left_out:
        writer.add(html('<p class="cb-vocabulary-link">事例のまだない{}（{}語）も含めた一覧は'
                        '<a href="{}#{}">分類の語の一覧</a>にあります。</p>\n',
                        facet.label, left_out, writer.href(VOCABULARY_URI),
                        vocabulary_anchor(facet)))
    return writer.page(facet.label)


def vocabulary_anchor(facet: Facet) -> str:
    return f"vocabulary-{facet.name}"


def vocabulary_page(library: Library, directory_urls: bool) -> Page:
    """Every term of every facet, with the other spellings authors may write (for authors)."""
    writer = PageWriter(VOCABULARY_URI, directory_urls)
    writer.heading(1, "分類の語の一覧")
    writer.add(Markup("<p>事例の分類に使える語のすべてです。事例を書くときは、正式な名称のほか"
                      "「別の書き方」の欄にある書き方も使えます（どれも同じ語として扱われます）。"
                      "事例や解説のある語は、その語のページにリンクしています。</p>\n"))
    for facet in library.vocabulary:
        writer.heading(2, facet.label, anchor=vocabulary_anchor(facet))
        rows = []
        for term in facet.terms:
            count = library.count(term)
            name: Markup | str = term.label
            if count or library.guides_for(term):
                name = html('<a href="{}">{}</a>',
                            writer.href(term_uri(term, library.vocabulary)), term.label)
            if term.code:
                name = html("{} {}", term.code, name)
            rows.append(html('<tr><td>{}</td><td>{}</td><td style="text-align: right;">{}</td>'
                             '</tr>', name, join("、", term.synonyms) or "—", count))
        writer.add(html('<table>\n<thead><tr><th>語</th><th>別の書き方</th>'
                        '<th style="text-align: right;">事例数</th></tr></thead>\n'
                        '<tbody>\n{}\n</tbody>\n</table>\n', join("\n", rows)))
    # Leaving this page out of search keeps a search for a term on the pages about it.
    return writer.page("分類の語の一覧", searchable=False)


def term_page(library: Library, term: Term, cards: Cards) -> Page:
    """A term no guide explains: its description and its cases."""
    vocabulary = library.vocabulary
    facet = vocabulary[term.facet]
    writer = PageWriter(term_uri(term, vocabulary), cards.directory_urls)
    cases = library.cases_with(term)
    writer.heading(1, term.label)
    where = html('<a href="{}">{}</a>', writer.href(facet_uri(facet.name, vocabulary)),
                 facet.label)
    if term.code:
        where = html("{}（{}）", where, term.code)
    if term.group:
        where = html("{} · {}", where, term.group)
    writer.add(html('<p class="cb-term-facet">{}</p>\n', where))
    if term.description:
        writer.add(html("<p>{}</p>\n", term.description))
    writer.heading(2, f"事例（{len(cases)}件）")
    writer.add(cards(cases, writer.uri), searchable=False)
    return writer.page(term.label)


def cell_anchor(row: Term, column: Term) -> str:
    return f"cell-{row.slug}-{column.slug}"


def matrix_page(library: Library, directory_urls: bool) -> Page:
    """Walls × industries with counts; each count links to a one-line-per-case list below."""
    vocabulary = library.vocabulary
    walls = vocabulary["wall"].terms
    cells = library.matrix("industry", "wall")
    industries = [t for t in vocabulary["industry"].terms
                  if any((t.slug, w.slug) in cells for w in walls)]
    writer = PageWriter(MATRIX_URI, directory_urls)
    writer.heading(1, "壁 × 業種")
    writer.add(Markup("<p>業種ごとに、事例で設定された壁の数を示します。"
                      "数字を選ぶと、その組み合わせの事例の一覧に移動します。</p>\n"))
    header = join("\n", (html('<th class="cb-matrix-wall" scope="col"><a href="{}">{}</a></th>',
                              writer.href(term_uri(w, vocabulary)), w.label) for w in walls))
    rows = []
    for industry in industries:
        cells_html = []
        for wall in walls:
            found = cells.get((industry.slug, wall.slug), [])
            count = (html('<a href="#{}" aria-label="{} × {}: {}件">{}</a>',
                          cell_anchor(industry, wall), industry.label, wall.label, len(found),
                          len(found))
                     if found else Markup("·"))
            cells_html.append(html('<td class="cb-matrix-count">{}</td>', count))
        name = html('<a href="{}"><span class="cb-matrix-code">{}</span> {}</a>',
                    writer.href(term_uri(industry, vocabulary)), industry.code, industry.label)
        rows.append(html('<tr>\n<th scope="row">{}</th>\n{}\n</tr>', name,
                         join("\n", cells_html)))
    if not industries:
        writer.add(Markup("<p><em>まだ事例がありません。</em></p>\n"))
        return writer.page("壁 × 業種", searchable=False)
    writer.add(html('<div class="cb-matrix-wrap"><table class="cb-matrix">\n<thead>\n<tr>\n'
                    '<th scope="col">業種</th>\n{}\n</tr>\n</thead>\n<tbody>\n{}\n</tbody>\n'
                    '</table></div>\n', header, join("\n", rows)))
    writer.heading(2, "組み合わせごとの事例", anchor="cells")
    groups = []
    for industry in industries:
        for wall in walls:
            found = cells.get((industry.slug, wall.slug), [])
            if found:
                items = join("\n", (html("<li>{}</li>", case_link_html(c, writer.uri,
                                                                        directory_urls))
                                    for c in found))
                groups.append(html('<dt id="{}">{} × {}（{}件）</dt>\n<dd><ul>\n{}\n</ul></dd>',
                                   cell_anchor(industry, wall), industry.label, wall.label,
                                   len(found), items))
    writer.add(html('<dl class="cb-matrix-cases">\n{}\n</dl>\n', join("\n", groups)),
               searchable=False)
    return writer.page("壁 × 業種", searchable=False)


def case_index(library: Library, directory_urls: bool) -> Page:
    """All published cases, precedents first (each kind one table)."""
    vocabulary = library.vocabulary
    writer = PageWriter(CASE_INDEX_URI, directory_urls)
    writer.heading(1, "事例一覧")
    writer.add(html("<p>公開中の事例 {} 件。壁・アプローチ・業種の各ページからも探せます。</p>\n",
                    len(library.published)))
    for kind, label in KINDS.items():
        cases = [c for c in library.cases if c.kind == kind]
        if not cases:
            continue
        rows = []
        for case in cases:
            def badges(facet: str, case: Case = case) -> Markup:
                return badges_html(case.terms(facet), vocabulary, writer.uri, directory_urls)
            cells = join("", (html('<td data-label="{}">{}</td>', vocabulary[facet].label,
                                   badges(facet)) for facet in CASE_INDEX_COLUMNS))
            rows.append(html("<tr><td>{}</td>{}</tr>",
                             case_link_html(case, writer.uri, directory_urls), cells))
        header = join("", (html("<th>{}</th>", vocabulary[facet].label)
                           for facet in CASE_INDEX_COLUMNS))
        writer.heading(2, f"{label}（{len(cases)}件）")
        writer.add(html('<table class="cb-case-index">\n<thead><tr><th>事例</th>{}</tr></thead>'
                        '\n<tbody>\n{}\n</tbody>\n</table>\n', header, join("\n", rows)))
    return writer.page("事例一覧", searchable=False)


# --- case and guide pages -------------------------------------------------------------------

def case_header(case: Case, library: Library, directory_urls: bool) -> Markup:
    """The card at the top of a case page: every facet as badge links."""
    vocabulary = library.vocabulary
    uri = case.src_uri
    rows = []
    for spec in FACETS:
        facet = vocabulary[spec.name]
        terms = case.terms(facet.name)
        if not terms:
            continue
        badges = badges_html(terms, vocabulary, uri, directory_urls, filter_attr=True)
        if facet.name == "industry" and case.industry_detail:
            badges = html('{} <span class="cb-detail">{}</span>', badges, case.industry_detail)
        rows.append(html('<dt class="cb-facet--{0}"><a href="{1}">{2}</a></dt>\n'
                         '<dd class="cb-facet--{0}">{3}</dd>', facet.name,
                         href(facet_uri(facet.name, vocabulary), uri, directory_urls),
                         facet.label, badges))
    # The switch works in the browser (reader.js shows it): without script it is not offered.
    switch = Markup('<button type="button" class="cb-hide-walls" aria-pressed="false" hidden>'
                    '壁を伏せて読む</button>')
    return html('<div class="cb-case-card">\n<p class="cb-case-kind">{} '
                '<span class="cb-alias">{}</span>{}</p>\n<dl class="cb-facets">\n{}\n</dl>\n'
                '</div>\n', kind_html(case, filter_attr=True), case.alias, switch,
                join("\n", rows))


def case_page(case: Case, library: Library, related: list[Related],
              directory_urls: bool) -> Page:
    """The whole case page: heading, header card, the body, its source, guides, related."""
    writer = PageWriter(case.src_uri, directory_urls)
    title = f"{case.alias}: {case.title}"
    writer.heading(1, title)
    writer.taken |= case.doc.anchors
    writer.add(case_header(case, library, directory_urls))
    writer.add(case.doc.html)
    if case.source:
        writer.add(html('<p class="cb-source">出典: {}</p>\n', case.source))
    guides: list[Guide] = []
    for facet in ANNOTATION_KEYS:  # what the case's annotations point at
        for term in case.terms(facet):
            for guide in library.guides_for(term):
                if guide not in guides:
                    guides.append(guide)
    if guides:
        writer.heading(2, "この事例を読み解く解説")
        writer.add(html('<ul class="cb-guides">\n{}\n</ul>\n', join("\n", (
            html('<li{}><a href="{}">{}</a></li>',
                 Markup(' class="cb-guide--wall"') if "wall" in g.explains else Markup(""),
                 writer.href(g.src_uri), g.title)
            for g in guides))))
    using = library.curricula_using(case.id)
    if using:
        writer.heading(2, "この事例を使う研修カリキュラム", anchor="curricula")
        writer.add(html('<ul class="cb-used-in">\n{}\n</ul>\n', join("\n", (
            html('<li><a href="{}">{}</a> — {}. {}{}</li>', writer.href(c.src_uri), c.title,
                 s.number, s.title, "（代替事例）" if alternate else "")
            for c, s, alternate in using))), searchable=False)
    if related:
        writer.heading(2, "関連する事例", anchor="related")
        items = join("\n", (html('<li>{}<br><span class="cb-related-reason">{}</span></li>',
                                 case_link_html(r.case, case.src_uri, directory_urls),
                                 r.reason) for r in related))
        writer.add(html('<ul class="cb-related">\n{}\n</ul>\n', items), searchable=False)
    page = writer.page(title, draft=case.is_draft, searchable=not case.is_draft)
    page.headings = [page.headings[0], *case.doc.headings[1:], *page.headings[1:]]
    return page


# A guide explaining this many terms or fewer shows one column per term in its case table.
TERM_COLUMNS = 5


def guide_anchor(guide: Guide, term: Term) -> str:
    """Where on its guide a term's cases are: its own heading, its column of the guide's case
    table, or (a guide explaining many terms) the table."""
    explained = [t for terms in guide.explains.values() for t in terms]
    if len(explained) > TERM_COLUMNS:
        return "cases"
    return f"cases-{term.facet}-{term.slug}"


def _explained_cases(library: Library, term: Term) -> list[Case]:
    return library.cases_with(term) or library.cases_annotated(term)


def _explained_table(guide: Guide, explained: list[Term], library: Library,
                     writer: PageWriter) -> Markup:
    """The cases of a guide that explains several terms: one row per case, which terms it has."""
    having: dict[str, set[Term]] = {}
    for term in explained:
        for case in _explained_cases(library, term):
            having.setdefault(case.id, set()).add(term)
    cases = [c for c in library.cases if c.id in having]
    writer.heading(2, f"この解説に関わる事例（{len(cases)}件）", anchor="cases")
    if not cases:
        return Markup("<p><em>該当する事例はまだありません。</em></p>\n")
    columns = len(explained) <= TERM_COLUMNS
    if columns:
        header = join("", (html('<th id="{}" scope="col">{}</th>', guide_anchor(guide, t),
                                t.label) for t in explained))
    else:
        header = html('<th scope="col">{}</th>',
                      "・".join(dict.fromkeys(library.vocabulary[t.facet].label
                                              for t in explained)))
    rows = []
    for case in cases:
        if columns:
            marks = join("", (html('<td class="cb-has">{}</td>',
                                   Markup("✓")
                                   if t in having[case.id] else Markup(""))
                              for t in explained))
        else:
            marks = html("<td>{}</td>", "・".join(t.label for t in explained
                                                 if t in having[case.id]))
        rows.append(html("<tr><td>{}</td>{}</tr>",
                         case_link_html(case, writer.uri, writer.directory_urls), marks))
    return html('<div class="cb-explained-wrap"><table class="cb-explained">\n<thead><tr>'
                '<th scope="col">事例</th>{}</tr></thead>\n<tbody>\n{}\n</tbody>\n'
                '</table></div>\n', header, join("\n", rows))


def guide_page(guide: Guide, library: Library, cards: Cards) -> Page:
    """A method guide with the cases annotated with what it explains appended."""
    doc = guide.doc
    directory_urls = cards.directory_urls
    writer = PageWriter(guide.src_uri, directory_urls)
    writer.taken |= doc.anchors
    title = doc.title or str(doc.meta.get("title") or "")
    if doc.title:
        h1 = doc.headings[0]
        writer.add(heading_html(1, h1.id, doc.title))
    writer.add(doc.html)
    explained = [term for terms in guide.explains.values() for term in terms]
    if len(explained) == 1:
        term = explained[0]
        cases = _explained_cases(library, term)
        writer.heading(2, f"「{term.label}」の事例（{len(cases)}件）",
                       anchor=guide_anchor(guide, term))
        writer.add(cards(cases, writer.uri), searchable=False)
    elif explained:
        writer.add(_explained_table(guide, explained, library, writer), searchable=False)
    meta = {key: doc.meta.get(key) for key in GUIDE_PASSED_ON if key in doc.meta}
    if guide.is_draft:
        meta.pop("status")  # a draft is left out of the build, not badged
    if isinstance(doc.meta.get("description"), str):
        meta["description"] = doc.meta.get("description")
    if isinstance(doc.meta.get("title"), str):
        title = str(doc.meta.get("title"))
    page = writer.page(title, meta=meta, draft=guide.is_draft, searchable=not guide.is_draft)
    page.headings = [*doc.headings, *page.headings]
    return page


def site_pages(library: Library, related: Callable[[Case], list[Related]],
               directory_urls: bool = True) -> list[Page]:
    """Guides, cases, generated pages and /prep/, in a stable order (the drills' and the
    curricula's pages are added by `Build.prepare`)."""
    cards = Cards(library, directory_urls)
    pages = [guide_page(g, library, cards) for g in library.guides]
    pages += [case_page(c, library, related(c), directory_urls) for c in library.cases]
    pages += generated_pages(library, directory_urls, cards)
    from casebook.prep_page import prep_page  # it builds on this module's writer

    pages.append(prep_page(library, directory_urls))
    return pages


__all__ = ["Page", "site_pages", "case_page", "guide_page", "generated_pages", "badge_html",
           "CASE_INDEX_URI", "MATRIX_URI"]
