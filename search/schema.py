"""The index schema and how a parsed `Case` becomes one index document."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from casebook.facets import FILTERABLE
from casebook.model import (
    SECTION_CHALLENGE,
    Case,
)
from casebook.urls import page_url
from search.analysis import japanese_analyzer, prepare, query_words

# Bump when fields or analysis change: an index built by another version is rebuilt, not read.
SCHEMA_VERSION = 3

# Searchable text field -> the case section it holds. Only 設定された課題, which a supporter
# matches a new client against and which ranking boosts: every section is in `body` too,
# and indexing the others again was a sixth of the index's postings (bench/search.py).
SECTION_FIELDS = {
    "challenge": SECTION_CHALLENGE,
}

# Keyword fields for filters and counts: every vocabulary facet a case is tagged with, plus
# kind (precedent | exercise), which is not a facet but is filtered the same way.
FACET_FIELDS = FILTERABLE

# Fields a query searches by default, with their BM25F boosts. Measured on the judged queries
# of tests/test_search_quality.py (33 queries, 19 cases; hit@3 / MRR / MAP@10), changing one
# thing at a time (`PYTHONPATH=. .venv/bin/python tests/test_search_quality.py`):
#   these boosts                                 1.000 / 1.000 / 0.913
#   every boost 1.0                              1.000 / 1.000 / 0.914
#   title 1.0 or 5.0 (3.0 here)                  1.000 / 1.000 / 0.914 or 0.913
#   facets_text 1.0 or 3.0 (2.0 here)            1.000 / 1.000 / 0.913
#   facets_text not searched                     1.000 / 0.970 / 0.816
#   challenge 1.0 or 2.0 (1.5 here)              1.000 / 1.000 / 0.913
#   + request, approach_text, change, dialogue   1.000 / 1.000 / 0.913
#   body, title, alias only                      1.000 / 0.970 / 0.809
# What the measurement shows: searching facets_text (labels and synonyms: 製造業, 茨城県, the
# wall names) is what matters; the boost values themselves move nothing measurable on 19
# cases. They stay as priors that cost nothing here: a word in the title or the tags says
# more about a case than one word of its body, and 設定された課題 is what a supporter
# matches a new client against. The other per-section fields and the dialogue changed nothing
# when body is searched too (each is in body already): they are no longer indexed. Re-measure
# as cases grow.
FIELD_BOOSTS = {
    "title": 3.0,
    "alias": 2.0,
    "facets_text": 2.0,
    "challenge": 1.5,
    "body": 1.0,
}
# Fields with positions, where phrase queries can look (search/query.py).
POSITIONS_FIELDS = frozenset({"title", "facets_text", "body"})
# Fields `within=` can restrict a search to.
SEARCHABLE_FIELDS = ("title", "alias", "facets_text", *SECTION_FIELDS, "body")


def case_schema() -> Schema:
    """The fields of a case in the index."""
    ja = japanese_analyzer()
    fields = {
        "id": ID(stored=True, unique=True),
        "url": STORED(),
        "summary": STORED(),
        # (facet, slug, label, synonyms) of every term, for result cards and matched facets.
        "terms": STORED(),
        # Positions only where phrase queries look (POSITIONS_FIELDS): they are a large part of
        # the index's size and of its build time.
        "alias": TEXT(analyzer=ja, stored=True, phrase=False),
        "title": TEXT(analyzer=ja, stored=True),
        "facets_text": TEXT(analyzer=ja),
        # Stored for snippets and for more_like_this, which re-analyses it.
        "body": TEXT(analyzer=ja, stored=True),
    }
    for name in SECTION_FIELDS:
        fields[name] = TEXT(analyzer=ja, phrase=False)
    for name in FACET_FIELDS:
        fields[name] = KEYWORD(commas=True, scorable=False)
    return Schema(**fields)


def case_terms(case: Case) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """Every facet term of a case as plain tuples (what the index stores)."""
    return [
        (facet, term.slug, term.label, tuple(term.synonyms))
        for facet, terms in case.facets.items()
        for term in terms
    ]


def facets_text(case: Case) -> str:
    """Labels and synonyms of a case's terms, one per line: 製造業 is often only said here.

    A synonym that analyses to the same words as one already listed is left out
    (付いて来ない, ついてこない … are all 付く 来る ない): otherwise a term with many
    spellings would weigh more than one with few.
    """
    lines: dict[tuple[str, ...], str] = {}
    for terms in case.facets.values():
        for term in terms:
            for name in (term.label, *term.synonyms):
                lines.setdefault(tuple(query_words(name)), name)
    if case.industry_detail:
        lines.setdefault(tuple(query_words(case.industry_detail)), case.industry_detail)
    return "\n".join(line for words, line in lines.items() if words)


def case_body(case: Case) -> str:
    """All readable text of a case, section by section (headings are the same in every case)."""
    texts = [case.doc.intro, *(section.text for section in case.doc.sections)]
    return "\n".join(text for text in texts if text)


def case_document(case: Case) -> dict:
    """The index document of a case; only public fields (internal front matter never)."""
    body = case_body(case)
    meta = facets_text(case)
    document = {
        "id": case.id,
        "url": page_url(case.src_uri),
        "summary": case.summary,
        "terms": case_terms(case),
        "alias": case.alias,
        "title": case.title,
        "facets_text": meta,
        "body": body,
        "kind": case.kind,
    }
    for name, title in SECTION_FIELDS.items():
        document[name] = case.doc.section_text(title)
    for facet in FACET_FIELDS:
        slugs = [t.slug for t in case.facets.get(facet, ())]
        if slugs:
            document[facet] = ",".join(slugs)
    return {key: value for key, value in document.items() if value not in ("", None)}


# Fields Sudachi analyses; the stored ones keep the text as written (`_stored_` values).
ANALYSED_FIELDS = ("alias", "title", "facets_text", "body", *SECTION_FIELDS)
STORED_ANALYSED_FIELDS = frozenset({"alias", "title", "body"})


def index_document(case: Case) -> dict:
    """`case_document` with its text fields already cut into words (`analysis.prepare`).

    Made in the process that read the case, from the analysis its anonymisation check did;
    the process writing the index then only files the words (search/index.py).
    """
    document = case_document(case)
    for name in ANALYSED_FIELDS:
        if name in document:
            raw = document[name]
            document[name] = prepare(raw)
            if name in STORED_ANALYSED_FIELDS:
                document[f"_stored_{name}"] = raw
    return document
