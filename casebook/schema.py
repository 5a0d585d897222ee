"""The front-matter fields of cases and guides: their types, which are internal, which facet.

Facet fields (walls, industry …) come from the facet registry (`casebook/facets.py`). A
curriculum's fields are listed in casebook/curricula.py (`CURRICULUM_KEYS`, `SESSION_KEYS`).
"""

from __future__ import annotations

from dataclasses import dataclass

from casebook.facets import FACETS


@dataclass(frozen=True)
class Field:
    """One front-matter field."""

    name: str
    facet: str | None = None  # vocabulary facet its values come from
    many: bool = False  # a list of terms rather than one
    required: bool = False
    # Internal fields are dropped when the file is parsed: never rendered, indexed or scanned
    # (they may hold real names, and are never published).
    internal: bool = False
    # "text" (one line of text), "mapping", or "any" (checked elsewhere)
    type: str = "text"
    # Published as it is written (printed on a page): scanned like the body.
    published: bool = False
    help: str = ""


_FACET_FIELDS = tuple(
    Field(spec.field, facet=spec.name, many=spec.many, required=spec.required, published=True)
    for spec in FACETS if spec.field
)

CASE_FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("id", required=True, help="ASCII slug, unique; the page is /cases/<id>/"),
        Field("title", required=True, published=True),
        Field("alias", required=True, published=True, help="A社, B社 …"),
        Field("kind", required=True, help="precedent | exercise"),
        *_FACET_FIELDS,
        Field("industry_detail", published=True),
        Field("source", published=True, help="required for precedents"),
        Field("status", required=True, help="published | draft"),
        Field("anonymization", type="mapping", help="{allow: [{text: …, reason: …}]}"),
        Field("internal_notes", internal=True, type="any",
              help="支援者の内部メモ (never published)"),
        Field("contact", internal=True, type="any", help="担当者の連絡先 (never published)"),
        Field("client_name", internal=True, type="any", help="実際の企業名 (never published)"),
    )
}

KINDS = {"precedent": "先行事例", "exercise": "演習事例"}
STATUSES = ("published", "draft")
INTERNAL_FIELDS = frozenset(f.name for f in CASE_FIELDS.values() if f.internal)

# A guide's front matter: ours (explains) and the MkDocs / Material keys we pass on.
GUIDE_FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("explains", type="mapping", help="{wall: 見えない}"),
        Field("title", published=True),
        Field("description", published=True),
        Field("hide", type="any"),
        Field("status", type="text", help="draft (shown only in mkdocs serve), or new …"),
    )
}
# Keys a guide passes on to the theme (Material prints them into the page).
GUIDE_PASSED_ON = ("hide", "status")

# Case ids that would replace a page the site generates in cases/.
RESERVED_IDS = frozenset({"index"})
