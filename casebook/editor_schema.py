"""The JSON Schema of a case's front matter, generated from the vocabulary, for editors.

An editor with a YAML language server (VS Code's YAML extension) reads the schema named on the
`# yaml-language-server: $schema=…` line of a case file: it completes walls, industries and
themes, shows each term's description while hovering, and underlines a value that is not in
the vocabulary. The schema lists every spelling the vocabulary accepts (label, synonyms, code,
slug); `casebook check` stays the judge (it also folds width, case and list punctuation).

The schema is written to `schemas/case.schema.json` by `casebook schema`; the build rewrites
it when the vocabulary changed, and `casebook check` reports a committed one that is stale.
A curriculum's schema (`schemas/curriculum.schema.json`) is kept the same way; it lists the
published cases and guides a session may name, so it follows the cases rather than the
vocabulary.
"""

from __future__ import annotations

import json

from casebook.curricula import CURRICULUM_KEYS, REQUIRED_KEYS, SESSION_KEYS
from casebook.headcount import HEAD_COUNT, counts_heads
from casebook.model import Case, Guide
from casebook.schema import CASE_FIELDS, KINDS, STATUSES
from casebook.typed_pattern import typed_pattern
from casebook.vocabulary import SLUG, Facet, Vocabulary

# Where the schema is written, relative to the project root.
CASE_SCHEMA = "schemas/case.schema.json"
CURRICULUM_SCHEMA = "schemas/curriculum.schema.json"
# The draft yaml-language-server supports best.
_DIALECT = "http://json-schema.org/draft-07/schema#"

# Hover texts of the fields that are not vocabulary facets (what the authoring page says).
_FIELD_HELP = {
    "id": "英小文字・数字・ハイフンだけの識別子。ファイル名（拡張子を除く）と同じにする。"
          "事例ページの URL になる",
    "title": "事例のタイトル。本文の H1 見出し（# …）と同じにする",
    "alias": "匿名の呼び名（A社、B社 …）",
    "kind": "precedent（実際の支援にもとづく匿名の先行事例）または exercise（研修用の架空の"
            "演習事例）",
    "industry_detail": "業種の詳しい説明（自由記述。例: 精密部品加工業）",
    "source": "出典（資料名、発行者、発行年月、資料内の位置）。先行事例は必須。演習事例では"
              "「演習用に作成した架空の事例」",
    "status": "published（公開）または draft（下書き: make serve でだけ表示）",
    "anonymization": "匿名化の検査で例外として認める語: allow: [{text: …, reason: …}]",
    "internal_notes": "支援者の内部メモ。読み込んだ時点で取り除かれ、公開されない",
    "contact": "担当者の連絡先。公開されない",
    "client_name": "実際の企業名。公開されない",
}
_STATUS_HELP = {"published": "公開", "draft": "下書き（make serve でだけ表示）"}


def _term_enum(facet: Facet) -> dict:
    """Every spelling of every term of a facet, each with its term's label and description."""
    values: list[str] = []
    hover: list[str] = []
    for term in facet.terms:
        about = f"{term.label} — {term.description}" if term.description else term.label
        for name in term.names:
            if name in values:
                continue
            values.append(name)
            hover.append(about if name == term.label else f"→ {term.label}")
    return {"type": "string", "enum": values, "enumDescriptions": hover}


def _head_count() -> dict:
    """A head count as `casebook check` reads one for a band facet (30, 30名, 約30人, ２１〜５０人):
    the grammar of casebook/headcount.py; that a band holds the count is left to the check."""
    return {"anyOf": [
        {"type": "string", "pattern": f"^\\s*(?:{typed_pattern(HEAD_COUNT.pattern)})\\s*$"},
        {"type": "integer", "minimum": 1, "maximum": 999_999_999}]}


def _facet_help(facet: Facet, many: bool) -> str:
    labels = "、".join(t.label for t in facet.terms)
    how = "のリスト（例: [" + facet.terms[0].label + "]）" if many and facet.terms else "を1つ"
    counts = ("\n\n人数でも書けます（30、30名、約30人、21〜50人）。その人数を含む区分として"
              "読みます" if counts_heads(facet.terms) else "")
    return f"{facet.label}{how}。{facet.description}\n\n使える語: {labels}{counts}"


def case_schema(vocabulary: Vocabulary) -> dict:
    """The JSON Schema (draft-07) of a case file's front matter."""
    properties: dict[str, dict] = {}
    definitions: dict[str, dict] = {}
    for field in CASE_FIELDS.values():
        if field.facet is not None:
            facet = vocabulary[field.facet]
            definitions[facet.name] = _term_enum(facet)
            ref: dict = {"$ref": f"#/definitions/{facet.name}"}
            if counts_heads(facet.terms):  # 従業員規模: a band's label or a head count
                definitions["head_count"] = _head_count()
                ref = {"anyOf": [ref, {"$ref": "#/definitions/head_count"}]}
            spec: dict = ({"type": "array", "items": ref, "uniqueItems": True}
                          if field.many else dict(ref))
            if field.many and field.required:
                spec["minItems"] = 1
            spec["description"] = _facet_help(facet, field.many)
        elif field.name == "id":
            spec = {"type": "string", "pattern": f"^{SLUG.pattern}$"}
        elif field.name == "kind":
            spec = {"type": "string", "enum": list(KINDS),
                    "enumDescriptions": list(KINDS.values())}
        elif field.name == "status":
            spec = {"type": "string", "enum": list(STATUSES),
                    "enumDescriptions": [_STATUS_HELP[s] for s in STATUSES]}
        elif field.name == "anonymization":
            spec = {"type": "object", "additionalProperties": False, "properties": {
                "allow": {"type": "array", "items": {
                    "type": "object", "required": ["text", "reason"],
                    "additionalProperties": False,
                    "properties": {"text": {"type": "string", "minLength": 1},
                                   "reason": {"type": "string", "minLength": 1}}}}}}
        elif field.type == "text":
            spec = {"type": "string", **({"minLength": 1} if field.required else {})}
        else:
            spec = {}
        if "description" not in spec:
            spec["description"] = _FIELD_HELP.get(field.name, field.help)
        properties[field.name] = spec
    return {
        "$schema": _DIALECT,
        "title": "伴走支援ケースブック: 事例の front matter",
        "description": "content/taxonomy.yml から `casebook schema` が作る。手で直さないこと。",
        "type": "object",
        "required": [f.name for f in CASE_FIELDS.values() if f.required],
        "additionalProperties": False,
        "properties": properties,
        # A precedent must cite its source.
        "if": {"properties": {"kind": {"const": "precedent"}}, "required": ["kind"]},
        "then": {"required": ["source"], "properties": {"source": {"minLength": 1}}},
        "definitions": definitions,
    }


def schema_text(vocabulary: Vocabulary) -> str:
    """The schema as written to the file (stable order, Japanese left readable)."""
    return _dumped(case_schema(vocabulary))


# Hover texts of a curriculum's fields (what the authoring page says).
_CURRICULUM_HELP = {
    "title": "カリキュラムの名前。本文に # 見出しを書く場合は同じにする",
    "audience": "対象者",
    "description": "一覧とページの冒頭に出る一文の紹介",
    "objectives": "学習目標の箇条書き",
    "sessions": "セッションの並び。上から順に時間配分表の 0:00 から並ぶ",
    "status": "published（公開）または draft（下書き: make serve でだけ表示）",
}
_SESSION_HELP = {
    "title": "セッションの名前",
    "minutes": "所要時間（1以上の整数の分）",
    "description": "このセッションで何をするか",
    "guides": "解説ページ（content/ からのパス。例: method/index.md）のリスト",
    "cases": "事例の id のリスト。公開するカリキュラムでは公開中の事例だけ",
    "alternates": "差し替え用の代替事例の id のリスト",
    "teaching_note": "講師版だけに表示する、このセッションの指導メモ",
}


def _entries(keys: list[str], about: list[str]) -> dict:
    return {"type": "string", "enum": keys, "enumDescriptions": about}


def _field(kind: str, ref: str | None = None) -> dict:
    if kind == "texts":
        items = {"$ref": ref} if ref else {"type": "string", "minLength": 1}
        return {"type": "array", "items": items, "uniqueItems": True}
    if kind == "minutes":
        return {"type": "integer", "minimum": 1}
    return {"type": "string"}


def curriculum_schema(cases: list[Case], guides: list[Guide]) -> dict:
    """The JSON Schema (draft-07) of a curriculum file's front matter: the published cases'
    ids and guides' paths as enums, their titles as hover texts."""
    cases = sorted((c for c in cases if not c.is_draft), key=lambda c: c.id)
    guides = sorted((g for g in guides if not g.is_draft), key=lambda g: g.src_uri)
    refs = {"guides": "#/definitions/guide", "cases": "#/definitions/case",
            "alternates": "#/definitions/case"}
    session = {
        "type": "object", "required": ["title", "minutes"], "additionalProperties": False,
        "properties": {key: {**_field(kind, refs.get(key)), "description": _SESSION_HELP[key]}
                       for key, kind in SESSION_KEYS.items()},
    }
    properties = {key: {**_field(kind), "description": _CURRICULUM_HELP[key]}
                  for key, kind in CURRICULUM_KEYS.items() if kind != "sessions"}
    properties["sessions"] = {"type": "array", "minItems": 1, "items": session,
                              "description": _CURRICULUM_HELP["sessions"]}
    properties["status"].update({"enum": list(STATUSES),
                                 "enumDescriptions": [_STATUS_HELP[s] for s in STATUSES]})
    return {
        "$schema": _DIALECT,
        "title": "伴走支援ケースブック: 研修カリキュラムの front matter",
        "description": "公開中の事例と解説ページから `casebook schema` が作る。手で直さないこと。",
        "type": "object",
        "required": list(REQUIRED_KEYS),
        "additionalProperties": False,
        "properties": properties,
        "definitions": {
            "case": _entries([c.id for c in cases], [f"{c.alias} {c.title}" for c in cases]),
            "guide": _entries([g.src_uri for g in guides], [g.title or g.src_uri
                                                           for g in guides]),
        },
    }


def _dumped(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def schema_texts(vocabulary: Vocabulary, cases: list[Case] | None = None,
                 guides: list[Guide] | None = None) -> dict[str, str]:
    """Each schema file's text by its path; the curriculum's only when the cases are known."""
    texts = {CASE_SCHEMA: schema_text(vocabulary)}
    if cases is not None and guides is not None:
        texts[CURRICULUM_SCHEMA] = _dumped(curriculum_schema(cases, guides))
    return texts
