"""Turn parsed documents into the Markdown a site engine renders (Python-Markdown flavour).

Annotations become highlighted text with a badge linking to the term's page, dialogue blocks a
readable exchange. Links are relative `.md` paths so the site engine checks and rewrites them.
"""

from __future__ import annotations

import html
import posixpath

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
    base = source if source.endswith("/") or not source else posixpath.dirname(source) + "/"
    relative = posixpath.relpath(target_url or ".", base.rstrip("/") or ".")
    if target_url.endswith("/") or not target_url:
        relative = relative.rstrip("/") + "/" if relative != "." else "./"
    return relative


def badge_html(term: Term, vocabulary: Vocabulary, from_uri: str, directory_urls: bool) -> str:
    """A term as a badge link in raw HTML."""
    url = href(term_uri(term, vocabulary), from_uri, directory_urls)
    return (f'<a class="cb-badge cb-badge--{term.facet}" href="{html.escape(url)}">'
            f"{html.escape(term.label)}</a>")


# Facets offered as filters in the browser search (Pagefind), under their Japanese labels.
# The value is in the attribute because Pagefind reads a re-spelt copy of the text
# (search/pagefind.py).
SEARCH_FILTERS = ("wall", "approach", "industry", "theme")
KIND_FILTER = "種別"


def badge(term: Term, vocabulary: Vocabulary, from_uri: str, *, filter_attr: bool = False) -> str:
    """A term as a badge link; `filter_attr` also exposes it to in-browser search filters."""
    attrs = f".cb-badge .cb-badge--{term.facet}"
    if filter_attr and term.facet in SEARCH_FILTERS:
        attrs += f' data-pagefind-filter="{vocabulary[term.facet].label}:{term.label}"'
    label = term.label.replace("[", "\\[").replace("]", "\\]")
    return f"[{label}]({link(term_uri(term, vocabulary), from_uri)}){{{attrs}}}"


def escape(text: str) -> str:
    """Escape text placed inside raw HTML that Markdown will still process."""
    return html.escape(text, quote=False).replace("*", "\\*").replace("_", "\\_")


def render_body(doc: Document, vocabulary: Vocabulary, from_uri: str, *, skip_title: bool) -> str:
    """The document body with annotations and dialogues rendered."""
    lines = doc.body.splitlines()
    by_line = {d.line - doc.body_line: d for d in doc.dialogues}
    out: list[str] = []
    row = 0
    while row < len(lines):
        dialogue = by_line.get(row)
        if dialogue is not None:
            out.append(render_dialogue(dialogue, vocabulary, from_uri))
            row = dialogue.end_line - doc.body_line + 1
            continue
        line = lines[row]
        if skip_title and line.startswith("# "):
            skip_title = False
        elif row in doc.code_lines:
            out.append(line)
        else:
            out.append(SPAN.sub(lambda m: _annotation(m, vocabulary, from_uri), line))
        row += 1
    return "\n".join(out)


def _annotation(match, vocabulary: Vocabulary, from_uri: str) -> str:
    text, attrs = match.group(1), match.group(2)
    badges = []
    for part in attrs.split():
        key, _, value = part.partition("=")
        value = value.strip('"')
        if key in ("wall", "approach", "skill"):
            for name in value.split(","):
                term = vocabulary[key].get(name.strip())
                if term is not None:
                    badges.append(badge(term, vocabulary, from_uri))
    if not badges:  # an `anon` exception: plain text
        return text
    kinds = " ".join(f"cb-annot--{p.partition('=')[0]}" for p in attrs.split())
    return f'<mark class="cb-annot {kinds}">{text}</mark>{"".join(badges)}'


def render_dialogue(dialogue: Dialogue, vocabulary: Vocabulary, from_uri: str) -> str:
    """A dialogue block as alternating turns, each tagged with its skill."""
    turns = []
    for turn in dialogue.utterances:
        side = "supporter" if turn.skill or turn.speaker.startswith(SUPPORTER_SPEAKERS) else "client"
        skill = f" {badge(turn.skill, vocabulary, from_uri)}" if turn.skill else ""
        text = "<br>".join(escape(t) for t in turn.text.splitlines())
        turns.append(
            f'<p class="cb-turn cb-turn--{side}" markdown="span">'
            f'<strong class="cb-speaker">{escape(turn.speaker)}</strong>{skill}'
            f'<span class="cb-utterance">{text}</span></p>'
        )
    return (
        '\n<div class="cb-dialogue" role="group" aria-label="対話の抜粋" markdown>\n'
        + "\n".join(turns)
        + "\n</div>\n"
    )


FACET_ROWS = ("wall", "approach", "skill", "theme", "industry", "supporter", "prefecture",
              "employees", "step")


def case_header(case: Case, vocabulary: Vocabulary) -> str:
    """The card at the top of a case page: every facet as badge links."""
    uri = case.src_uri
    rows = []
    for facet_name in FACET_ROWS:
        terms = case.terms(facet_name)
        if not terms:
            continue
        facet = vocabulary[facet_name]
        badges = " ".join(badge(t, vocabulary, uri, filter_attr=True) for t in terms)
        if facet_name == "industry" and case.industry_detail:
            badges += f' <span class="cb-detail">{escape(case.industry_detail)}</span>'
        rows.append(f'<dt markdown="span">[{facet.label}]({link(facet.path + "/index.md", uri)})</dt>\n'
                    f'<dd markdown="span">{badges}</dd>')
    kind = KINDS.get(case.kind, case.kind)
    return (
        f'<div class="cb-case-card" markdown>\n'
        f'<p class="cb-case-kind"><span class="cb-kind cb-kind--{case.kind}" '
        f'data-pagefind-filter="{KIND_FILTER}:{kind}">{kind}</span> '
        f'<span class="cb-alias">{escape(case.alias)}</span></p>\n'
        f'<dl class="cb-facets" markdown>\n' + "\n".join(rows) + "\n</dl>\n</div>\n"
    )


def case_markdown(case: Case, vocabulary: Vocabulary, footer: str = "") -> str:
    """The whole case page."""
    body = render_body(case.doc, vocabulary, case.src_uri, skip_title=True)
    source = f"\n\n<p class=\"cb-source\">出典: {escape(case.source)}</p>\n" if case.source else ""
    return (
        f"# {case.alias}: {case.title}\n\n"
        + case_header(case, vocabulary)
        + "\n"
        + body.strip()
        + "\n"
        + source
        + footer
    )
