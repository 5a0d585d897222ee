"""HTML pieces that pages share: facet badges, case links, dialogue turns, headings.

Every value goes through `casebook.html` (escaped there, nowhere else). Links are relative
URLs from the page the piece is written into (`casebook.urls.href`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from casebook.facets import BY_NAME
from casebook.html import Markup, html, join
from casebook.model import Case, Dialogue
from casebook.schema import KINDS
from casebook.urls import href
from casebook.vocabulary import Term, Vocabulary

# Speakers drawn on the supporter's side of a dialogue (others are the business side).
SUPPORTER_SPEAKERS = tuple("支援者 支援員 コーディネーター 相談員 経営指導員 診断士 専門家".split())

# The in-browser search's filter for a case's kind (precedent / exercise).
KIND_FILTER = "種別"


def term_uri(term: Term, vocabulary: Vocabulary) -> str:
    """The source path of a term's generated page, e.g. `walls/mienai.md`."""
    return f"{vocabulary[term.facet].path}/{term.slug}.md"


def facet_uri(facet: str, vocabulary: Vocabulary) -> str:
    return f"{vocabulary[facet].path}/index.md"


# A badge inside running text (after an annotation, in a dialogue turn): the in-browser
# search leaves it out of what it indexes, so excerpts read as the sentence was written.
IN_TEXT = "cb-badge--in-text"


def badge_html(term: Term, vocabulary: Vocabulary, from_uri: str, directory_urls: bool, *,
               filter_attr: bool = False, in_text: bool = False) -> Markup:
    """A term as a badge link; `filter_attr` also exposes it to the in-browser search's filters."""
    url = href(term_uri(term, vocabulary), from_uri, directory_urls)
    kind = f"{term.facet} {IN_TEXT}" if in_text else term.facet
    if filter_attr and BY_NAME[term.facet].browser_filter:
        value = f"{vocabulary[term.facet].label}:{term.label}"
        return html('<a class="cb-badge cb-badge--{}" href="{}" data-pagefind-filter="{}">{}</a>',
                    kind, url, value, term.label)
    return html('<a class="cb-badge cb-badge--{}" href="{}">{}</a>', kind, url, term.label)


def badges_html(terms: Iterable[Term], vocabulary: Vocabulary, from_uri: str,
                directory_urls: bool, *, separator: str = " ", filter_attr: bool = False
                ) -> Markup:
    return join(separator, (badge_html(t, vocabulary, from_uri, directory_urls,
                                       filter_attr=filter_attr) for t in terms))


def case_link_html(case: Case, from_uri: str, directory_urls: bool) -> Markup:
    """A link to a case page as its listings show it: **alias** title."""
    return html('<a href="{}"><strong>{}</strong> {}</a>',
                href(case.src_uri, from_uri, directory_urls), case.alias, case.title)


def kind_html(case: Case, *, filter_attr: bool = False) -> Markup:
    label = KINDS.get(case.kind, case.kind)
    if filter_attr:
        return html('<span class="cb-kind cb-kind--{}" data-pagefind-filter="{}">{}</span>',
                    case.kind, f"{KIND_FILTER}:{label}", label)
    return html('<span class="cb-kind cb-kind--{}">{}</span>', case.kind, label)


def is_supporter(speaker: str, skill: Term | None) -> bool:
    return skill is not None or speaker.startswith(SUPPORTER_SPEAKERS)


def dialogue_html(dialogue: Dialogue, vocabulary: Vocabulary, from_uri: str,
                  directory_urls: bool = True) -> Markup:
    """A dialogue block as alternating turns, each tagged with its skill."""
    turns = []
    for turn in dialogue.utterances:
        side = "supporter" if is_supporter(turn.speaker, turn.skill) else "client"
        skill = (html(" {}", badge_html(turn.skill, vocabulary, from_uri, directory_urls,
                                        in_text=True))
                 if turn.skill else Markup(""))
        text = join("<br>", turn.text.splitlines())
        turns.append(html('<p class="cb-turn cb-turn--{}"><strong class="cb-speaker">{}</strong>'
                          '{}<span class="cb-utterance">{}</span></p>',
                          side, turn.speaker, skill, text))
    return html('<div class="cb-dialogue" role="group" aria-label="対話の抜粋">\n{}\n</div>\n',
                join("\n", turns))


_INVALID_ID = re.compile(r"[^\w\- ]")


def heading_id(text: str) -> str:
    """An anchor for a heading that keeps its words (見えない壁 → 見えない壁), as MkDocs' toc
    extension with pymdownx's unicode slugify made them: the site's anchors stay the same."""
    slug = unicodedata.normalize("NFC", text).strip().lower()
    return _INVALID_ID.sub("", slug).replace(" ", "-")


def unique_id(base: str, taken: set[str]) -> str:
    """`base`, or `base_1`, `base_2` … if a heading of the page already has it."""
    candidate, number = base or "_1", 0
    while candidate in taken:
        number += 1
        candidate = f"{base}_{number}"
    taken.add(candidate)
    return candidate


def heading_html(level: int, anchor: str, content: Markup | str) -> Markup:
    """`<h2 id=…>…¶</h2>`: a heading with its permalink, as every page of the site writes it."""
    return html('<h{0} id="{1}">{2}<a class="headerlink" href="#{1}" title="Permanent link">'
                '&para;</a></h{0}>\n', level, anchor, content)
