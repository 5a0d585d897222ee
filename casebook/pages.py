"""Generated pages: facet overviews, one page per term, the walls × industries matrix, the case index."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from casebook.library import Library
from casebook.model import Case, Guide
from casebook.render import HtmlBlocks, badge_html, case_link_html, escape, link, term_uri
from casebook.schema import KINDS
from casebook.vocabulary import Facet, Term

MATRIX_URI = "matrix.md"
CASE_INDEX_URI = "cases/index.md"


@dataclass(frozen=True)
class GeneratedPage:
    """A page the site engine should add: its source path, Markdown, and the HTML blocks its
    Markdown has placeholders for (`render.restore_blocks` puts them into the converted page)."""

    src_uri: str
    markdown: str
    blocks: dict[str, str] = field(default_factory=dict)


def generated_pages(library: Library) -> list[GeneratedPage]:
    """Every generated page of the site, case pages excluded."""
    pages = [_page(CASE_INDEX_URI, case_index, library),
             _page(MATRIX_URI, matrix_page, library)]
    for facet in library.vocabulary:
        pages.append(GeneratedPage(f"{facet.path}/index.md", facet_overview(library, facet)))
        for term in facet.terms:
            pages.append(_page(term_uri(term, library.vocabulary), term_page, library, term))
    return pages


def _page(src_uri: str, make, *args) -> GeneratedPage:
    blocks = HtmlBlocks()
    return GeneratedPage(src_uri, make(*args, blocks=blocks), blocks.by_marker)


def facet_overview(library: Library, facet: Facet) -> str:
    """A facet's terms with descriptions and case counts."""
    uri = f"{facet.path}/index.md"
    out = [f"# {facet.label}", "", facet.description, ""]
    groups: dict[str, list[Term]] = {}
    for term in facet.terms:
        groups.setdefault(term.group, []).append(term)
    for group, terms in groups.items():
        if group:
            out += [f"## {group}", ""]
        out += ["| 用語 | 説明 | 事例数 |", "| --- | --- | ---: |"]
        for term in terms:
            name = f"[{term.label}]({link(term_uri(term, library.vocabulary), uri)})"
            if term.code:
                name = f"{term.code} {name}"
            description = escape(term.description.replace("\n", " ")) or "—"
            out.append(f"| {name} | {description} | {library.count(term)} |")
        out.append("")
    return "\n".join(out)


def case_card(case: Case, library: Library, from_uri: str) -> str:
    """A case as a card: alias, title, industry, walls, one line of 設定された課題 (raw HTML)."""
    vocabulary, directory_urls = library.vocabulary, library.directory_urls
    industry = " ".join(badge_html(t, vocabulary, from_uri, directory_urls)
                        for t in case.terms("industry"))
    if case.industry_detail:
        industry += f" {html.escape(case.industry_detail)}"
    walls = " ".join(badge_html(t, vocabulary, from_uri, directory_urls)
                     for t in case.terms("wall"))
    kind = KINDS.get(case.kind, case.kind)
    return (
        '<div class="cb-card">'
        f'<p class="cb-card-title"><span class="cb-kind cb-kind--{case.kind}">{kind}</span> '
        f"{case_link_html(case, from_uri, directory_urls)}</p>"
        f'<p class="cb-card-meta">{industry}</p>'
        f'<p class="cb-card-meta">壁: {walls}</p>'
        f'<p class="cb-card-summary">{html.escape(case.summary.lstrip("-*・ "))}</p>'
        "</div>"
    )


def case_cards(cases: list[Case], library: Library, from_uri: str, blocks: HtmlBlocks) -> str:
    """Markdown for a list of case cards (the cards themselves are one HTML block)."""
    if not cases:
        return "*該当する事例はまだありません。*\n"
    cards = "\n".join(case_card(c, library, from_uri) for c in cases)
    return blocks.add(f'<div class="cb-cards">\n{cards}\n</div>')


def guide_links(guides: list[Guide], from_uri: str) -> str:
    return "・".join(f"[{g.title}]({link(g.src_uri, from_uri)})" for g in guides)


def term_page(library: Library, term: Term, *, blocks: HtmlBlocks) -> str:
    """A term's description, its method guide and its cases."""
    vocabulary = library.vocabulary
    facet = vocabulary[term.facet]
    uri = term_uri(term, vocabulary)
    cases = library.cases_with(term)
    out = [f"# {term.label}", ""]
    out.append(
        f'<p class="cb-term-facet" markdown="span">[{facet.label}]({link(facet.path + "/index.md", uri)})'
        + (f"（{term.code}）" if term.code else "")
        + (f" · {escape(term.group)}" if term.group else "")
        + "</p>"
    )
    out += ["", escape(term.description), ""]
    if term.synonyms:
        out += [f"表記ゆれ: {'、'.join(escape(s) for s in term.synonyms)}", ""]
    guides = library.guides_for(term)
    if guides:
        out += [f"解説: {guide_links(guides, uri)}", ""]
    out += [f"## 事例（{len(cases)}件）", "", case_cards(cases, library, uri, blocks)]
    return "\n".join(out)


def cell_anchor(row: Term, column: Term) -> str:
    return f"cell-{row.slug}-{column.slug}"


def matrix_page(library: Library, *, blocks: HtmlBlocks) -> str:
    """Walls × industries with counts; each cell links to its cases further down."""
    vocabulary = library.vocabulary
    walls = vocabulary["wall"].terms
    cells = library.matrix("industry", "wall")
    industries = [t for t in vocabulary["industry"].terms
                  if any((t.slug, w.slug) in cells for w in walls)]
    uri = MATRIX_URI
    out = ["# 壁 × 業種", "",
           "業種ごとに、事例で設定された壁の数を示します。数字を選ぶとその事例に移動します。", ""]
    header = "| 業種 | " + " | ".join(
        f"[{w.label}]({link(term_uri(w, vocabulary), uri)})" for w in walls) + " |"
    out += [header, "| --- |" + " ---: |" * len(walls)]
    for industry in industries:
        row = [f"[{industry.code} {industry.label}]({link(term_uri(industry, vocabulary), uri)})"]
        for wall in walls:
            found = cells.get((industry.slug, wall.slug), [])
            row.append(f"[{len(found)}](#{cell_anchor(industry, wall)})" if found else "·")
        out.append("| " + " | ".join(row) + " |")
    if not industries:
        out.append("*まだ事例がありません。*")
    out.append("")
    for industry in industries:
        for wall in walls:
            found = cells.get((industry.slug, wall.slug), [])
            if found:
                out += [f"## {industry.label} × {wall.label} {{#{cell_anchor(industry, wall)}}}",
                        "", case_cards(found, library, uri, blocks)]
    return "\n".join(out)


def case_index(library: Library, *, blocks: HtmlBlocks) -> str:
    """All published cases, precedents first (each list one HTML table)."""
    vocabulary, directory_urls = library.vocabulary, library.directory_urls
    uri = CASE_INDEX_URI
    out = ["# 事例一覧", "",
           f"公開中の事例 {len(library.cases)} 件。壁・アプローチ・業種の各ページからも探せます。", ""]
    for kind, label in KINDS.items():
        cases = [c for c in library.cases if c.kind == kind]
        if not cases:
            continue
        rows = []
        for case in cases:
            def badges(facet: str, case: Case = case) -> str:
                return " ".join(badge_html(t, vocabulary, uri, directory_urls)
                                for t in case.terms(facet))
            rows.append(
                f"<tr><td>{case_link_html(case, uri, directory_urls)}</td>"
                f"<td>{badges('industry')}</td>"
                f"<td>{badges('wall')}</td><td>{badges('approach')}</td></tr>"
            )
        out += [f"## {label}（{len(cases)}件）",
                blocks.add("<table>\n<thead><tr><th>事例</th><th>業種</th><th>壁</th>"
                           "<th>アプローチ</th></tr></thead>\n<tbody>\n" + "\n".join(rows)
                           + "\n</tbody>\n</table>")]
    return "\n".join(out)


def guide_footer(library: Library, guide: Guide, blocks: HtmlBlocks) -> str:
    """Appended to a method guide: the cases annotated with what it explains."""
    out = []
    for facet_name, terms in guide.explains.items():
        for term in terms:
            cases = library.cases_with(term) or library.cases_annotated(term)
            out += [f"\n## 「{term.label}」の事例（{len(cases)}件） {{#cases-{facet_name}-{term.slug}}}\n",
                    case_cards(cases, library, guide.src_uri, blocks)]
    return "\n".join(out)


def case_footer(library: Library, case: Case, related_html: str = "") -> str:
    """Appended to a case page: method guides for its walls and approaches, then related cases."""
    guides: list[Guide] = []
    for facet in ("wall", "approach", "skill"):
        for term in case.terms(facet):
            for guide in library.guides_for(term):
                if guide not in guides:
                    guides.append(guide)
    out = []
    if guides:
        out += ["\n## この事例を読み解く解説\n"]
        out += [f"- [{g.title}]({link(g.src_uri, case.src_uri)})" for g in guides]
    if related_html:
        out += ["", related_html]
    return "\n".join(out) + "\n"
