"""The fields a case's front matter may have, which facet each draws from, and which are internal."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """One front-matter field of a case."""

    name: str
    facet: str | None = None  # vocabulary facet its values come from
    many: bool = False  # a list of terms rather than one
    required: bool = False
    # Internal fields are read and checked but never reach any output (pages, indexes, JSON).
    internal: bool = False
    help: str = ""


CASE_FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("id", required=True, help="ASCII slug, unique; the page is /cases/<id>/"),
        Field("title", required=True),
        Field("alias", required=True, help="A社, B社 …"),
        Field("kind", required=True, help="precedent | exercise"),
        Field("industry", facet="industry", required=True),
        Field("industry_detail"),
        Field("prefecture", facet="prefecture"),
        Field("employees", facet="employees"),
        Field("supporter", facet="supporter", required=True),
        Field("themes", facet="theme", many=True, required=True),
        Field("walls", facet="wall", many=True, required=True),
        Field("approaches", facet="approach", many=True, required=True),
        Field("steps", facet="step", many=True),
        Field("source", help="required for precedents"),
        Field("status", required=True, help="published | draft"),
        Field("anonymization", help="{allow: [{text: …, reason: …}]}"),
        Field("internal_notes", internal=True, help="支援者の内部メモ (never published)"),
        Field("contact", internal=True, help="担当者の連絡先 (never published)"),
        Field("client_name", internal=True, help="実際の企業名 (never published)"),
    )
}

KINDS = {"precedent": "先行事例", "exercise": "演習事例"}
STATUSES = ("published", "draft")
INTERNAL_FIELDS = frozenset(f.name for f in CASE_FIELDS.values() if f.internal)

# Keys a guide's front matter may have (MkDocs and Material keys pass through untouched).
GUIDE_KEYS = frozenset({"explains", "title", "description", "hide", "icon", "status", "template"})
