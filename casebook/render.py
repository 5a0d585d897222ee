"""Turn parsed documents into the Markdown a site engine renders (Python-Markdown flavour).

Annotations become highlighted text with a badge linking to the term's page, dialogue blocks a
readable exchange. Links in Markdown are relative `.md` paths so the site engine checks and
rewrites them.

What we build as finished HTML (a case's header card, dialogues, lists of case cards, related
cases) does not go through Markdown at all: the Markdown gets a placeholder line from
`HtmlBlocks` and the site engine puts the HTML back after converting (`restore_blocks`).
Python-Markdown reads raw HTML with html.parser, once to find blocks and once more in MkDocs
to find anchors: with the HTML inline, a 1,000-case build spent most of its conversion time
there. Links in these blocks are computed relative URLs (`href`); the built-site link check
(tests/test_site_quality.py) checks every one of them.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Mapping

from casebook.document import SPAN
from casebook.model import Case, Dialogue, Document
from casebook.schema import KINDS
from casebook.vocabulary import Term, Vocabulary

# Speakers drawn on the supporter's side of a dialogue (others are the business side).
SUPPORTER_SPEAKERS = ("支援者", "支援員", "コーディネーター", "相談員", "経営指導員", "診断士", "専門家")


def term_uri(term: Term, vocabulary: Vocabulary) -> str:
    """The source path of a term's generated page, e.g. `walls/mienai.md`."""
    return f"{vocabulary[term.facet].path}/{term.slug}.md"


def link(target: str, from_uri: str) -> str:
    """A relative link from one source page to another."""
    return posixpath.relpath(target, posixpath.dirname(from_uri) or ".")


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """Where a source page is published, as MkDocs lays it out (`walls/mienai/`)."""
    stem = src_uri[: -len(".md")]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def href(target: str, from_uri: str, directory_urls: bool = True) -> str:
    """A relative URL between two published pages, for raw HTML the site engine won't rewrite.

    Large listings (a wall's page lists hundreds of cards) are emitted as HTML: run through
    Markdown, cards took most of a 1,000-case build's render time. The built-site link
    check (tests/test_site_quality.py) still checks every one of these links.
    """
    source, target_url = page_url(from_uri, directory_urls), page_url(target, directory_urls)
    # Both are site-relative and normalised (no "." or ".."): drop the folders they share.
    # (posixpath.relpath gives the same answer and was a tenth of page generation.)
    folders = source.split("/")[:-1]
    parts = target_url.split("/")
    shared = 0
    while (shared < len(folders) and shared < len(parts) - 1
           and folders[shared] == parts[shared]):
        shared += 1
    return "../" * (len(folders) - shared) + "/".join(parts[shared:]) or "./"


class HtmlBlocks:
    """Finished HTML kept out of Markdown, each behind a placeholder line."""

    def __init__(self) -> None:
        self.by_marker: dict[str, str] = {}

    def add(self, html_text: str) -> str:
        """The Markdown to write where `html_text` belongs: a paragraph of its own."""
        marker = f"<!--cb-block-{len(self.by_marker)}-->"
        self.by_marker[marker] = html_text
        return f"\n\n{marker}\n\n"


def restore_blocks(converted: str, blocks: Mapping[str, str]) -> str:
    """The converted page with every placeholder replaced by its HTML."""
    if not blocks:
        return converted
    return _MARKER.sub(lambda m: blocks.get(m.group(), m.group()), converted)


_MARKER = re.compile(r"<!--cb-block-\d+-->")
_ID = re.compile(r"""\sid=["']([^"']+)["']""")


def block_anchor_ids(blocks: Mapping[str, str]) -> set[str]:
    """The `id`s in the blocks: anchors other pages may link to."""
    return {html.unescape(found) for block in blocks.values() for found in _ID.findall(block)}


def case_link_html(case: Case, from_uri: str, directory_urls: bool) -> str:
    """A link to a case page as its listings show it: **alias** title."""
    url = html.escape(href(case.src_uri, from_uri, directory_urls))
    return (f'<a href="{url}"><strong>{html.escape(case.alias)}</strong> '
            f"{html.escape(case.title)}</a>")


def badge_html(term: Term, vocabulary: Vocabulary, from_uri: str, directory_urls: bool, *,
               filter_attr: bool = False) -> str:
    """A term as a badge link in raw HTML; `filter_attr` also exposes it to in-browser
    search filters (SEARCH_FILTERS)."""
    url = href(term_uri(term, vocabulary), from_uri, directory_urls)
    extra = ""
    if filter_attr and term.facet in SEARCH_FILTERS:
        value = f"{vocabulary[term.facet].label}:{term.label}"
        extra = f' data-pagefind-filter="{html.escape(value)}"'
    return (f'<a class="cb-badge cb-badge--{term.facet}" href="{html.escape(url)}"{extra}>'
            f"{html.escape(term.label)}</a>")


# Facets offered as filters in the browser search (Pagefind), under their Japanese labels.
# The value is in the attribute because Pagefind reads a re-spelt copy of the text
# (search/pagefind.py).
SEARCH_FILTERS = ("wall", "approach", "industry", "theme")
KIND_FILTER = "種別"


def escape(text: str) -> str:
    """Escape text placed inside raw HTML that Markdown will still process."""
    return html.escape(text, quote=False).replace("*", "\\*").replace("_", "\\_")


def render_body(doc: Document, vocabulary: Vocabulary, from_uri: str, *, skip_title: bool,
                blocks: HtmlBlocks, directory_urls: bool = True) -> str:
    """The document body with annotations rendered, and dialogues as blocks."""
    lines = doc.body.splitlines()
    by_line = {d.line - doc.body_line: d for d in doc.dialogues}
    out: list[str] = []
    row = 0
    while row < len(lines):
        dialogue = by_line.get(row)
        if dialogue is not None:
            out.append(blocks.add(render_dialogue(dialogue, vocabulary, from_uri,
                                                  directory_urls)))
            row = dialogue.end_line - doc.body_line + 1
            continue
        line = lines[row]
        if skip_title and line.startswith("# "):
            skip_title = False
        elif row in doc.code_lines:
            out.append(line)
        else:
            out.append(SPAN.sub(
                lambda m: _annotation(m, vocabulary, from_uri, directory_urls), line))
        row += 1
    return "\n".join(out)


def _annotation(match, vocabulary: Vocabulary, from_uri: str, directory_urls: bool) -> str:
    # The badge is inline HTML with a computed URL: Markdown passes it through untouched,
    # where a Markdown link with attributes costs the link and attr_list processors each.
    text, attrs = match.group(1), match.group(2)
    badges = []
    for part in attrs.split():
        key, _, value = part.partition("=")
        value = value.strip('"')
        if key in ("wall", "approach", "skill"):
            for name in value.split(","):
                term = vocabulary[key].get(name.strip())
                if term is not None:
                    badges.append(badge_html(term, vocabulary, from_uri, directory_urls))
    if not badges:  # an `anon` exception: plain text
        return text
    kinds = " ".join(f"cb-annot--{p.partition('=')[0]}" for p in attrs.split())
    return f'<mark class="cb-annot {kinds}">{text}</mark>{"".join(badges)}'


def render_dialogue(dialogue: Dialogue, vocabulary: Vocabulary, from_uri: str,
                    directory_urls: bool = True) -> str:
    """A dialogue block as alternating turns, each tagged with its skill (HTML)."""
    turns = []
    for turn in dialogue.utterances:
        side = "supporter" if turn.skill or turn.speaker.startswith(SUPPORTER_SPEAKERS) else "client"
        skill = (f" {badge_html(turn.skill, vocabulary, from_uri, directory_urls)}"
                 if turn.skill else "")
        text = "<br>".join(html.escape(t, quote=False) for t in turn.text.splitlines())
        turns.append(
            f'<p class="cb-turn cb-turn--{side}">'
            f'<strong class="cb-speaker">{html.escape(turn.speaker, quote=False)}</strong>{skill}'
            f'<span class="cb-utterance">{text}</span></p>'
        )
    return ('<div class="cb-dialogue" role="group" aria-label="対話の抜粋">\n'
            + "\n".join(turns) + "\n</div>")


FACET_ROWS = ("wall", "approach", "skill", "theme", "industry", "supporter", "prefecture",
              "employees", "step")


def case_header(case: Case, vocabulary: Vocabulary, directory_urls: bool = True) -> str:
    """The card at the top of a case page: every facet as badge links (HTML)."""
    uri = case.src_uri
    rows = []
    for facet_name in FACET_ROWS:
        terms = case.terms(facet_name)
        if not terms:
            continue
        facet = vocabulary[facet_name]
        badges = " ".join(badge_html(t, vocabulary, uri, directory_urls, filter_attr=True)
                          for t in terms)
        if facet_name == "industry" and case.industry_detail:
            badges += f' <span class="cb-detail">{html.escape(case.industry_detail)}</span>'
        facet_url = html.escape(href(facet.path + "/index.md", uri, directory_urls))
        rows.append(f'<dt><a href="{facet_url}">{html.escape(facet.label)}</a></dt>\n'
                    f"<dd>{badges}</dd>")
    kind = KINDS.get(case.kind, case.kind)
    return (
        '<div class="cb-case-card">\n'
        f'<p class="cb-case-kind"><span class="cb-kind cb-kind--{case.kind}" '
        f'data-pagefind-filter="{KIND_FILTER}:{kind}">{kind}</span> '
        f'<span class="cb-alias">{html.escape(case.alias)}</span></p>\n'
        '<dl class="cb-facets">\n' + "\n".join(rows) + "\n</dl>\n</div>"
    )


def case_markdown(case: Case, vocabulary: Vocabulary, blocks: HtmlBlocks, footer: str = "",
                  directory_urls: bool = True) -> str:
    """The whole case page."""
    body = render_body(case.doc, vocabulary, case.src_uri, skip_title=True, blocks=blocks,
                       directory_urls=directory_urls)
    source = f"\n\n<p class=\"cb-source\">出典: {escape(case.source)}</p>\n" if case.source else ""
    return (
        f"# {case.alias}: {case.title}\n"
        + blocks.add(case_header(case, vocabulary, directory_urls))
        + body.strip()
        + "\n"
        + source
        + footer
    )
