"""A new case file: its front matter from the author's answers, and its sections to fill in.

    problems = check_new_id("ex-bakery", existing)   # bad or taken id: did you mean …?
    values, problems = resolve_values({"wall": ["ついてこない"]}, vocabulary)
    text = new_case_text("ex-bakery", values, vocabulary, "../schemas/case.schema.json")

Values are checked and normalised through the vocabulary (any spelling it accepts becomes the
term's label); optional fields nobody gave are written as commented choices, so the file lists
what may go there. The file is a draft (`status: draft`) and passes `casebook check` as it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from casebook.facets import BY_NAME
from casebook.model import OPTIONAL_SECTIONS, REQUIRED_SECTIONS, SECTION_REQUEST
from casebook.problems import Problem, closest
from casebook.schema import KINDS, RESERVED_IDS
from casebook.sources import CONTROL
from casebook.vocabulary import SLUG, Facet, Term, Vocabulary

EXERCISE_SOURCE = "演習用に作成した架空の事例"
DEFAULT_ALIAS = "A社"
TITLE_PLACEHOLDER = "（事例のタイトル）"

# The vocabulary facets an author gives when creating a case, in the order of the file.
ASKED_FACETS = ("industry", "prefecture", "employees", "supporter", "theme", "wall", "approach",
                "step")
# Facets too long to list in a comment: an example instead.
_EXAMPLE_ONLY = {"prefecture": "埼玉県"}

# One line each: what a section holds (the authoring page says the same at more length).
SECTION_GUIDE = {
    SECTION_REQUEST: "（任意）事業者が最初に持ち込んだ相談の内容を書きます。"
                     "不要なら見出しごと消します。",
    "設定された課題": "対話を通じて設定された課題を書きます。壁の注釈はおもにここに付けます。",
    "支援アプローチ": "支援者がどのように対話し、支援したかを書きます。"
                      "対話の抜粋もここに置けます。",
    "生まれた事業上の変化": "支援の結果として事業に生まれた変化を書きます。",
    "考えてみよう": "（任意）学習者への問いを番号付きリストで書きます。"
                    "不要なら見出しごと消します。",
}
# Sections a new case leaves out: 解答の手がかり is a numbered list matching 考えてみよう,
# which a one-line guide cannot be (the authoring page explains it).
NOT_IN_TEMPLATE = frozenset({"解答の手がかり"})
SUMMARY_GUIDE = ("（事例の概要を1〜2文で。会社は A社 のような呼び名で、人物は社長・専務などの"
                 "役割で書きます）")


def template_lines() -> frozenset[str]:
    """The guidance lines a new case holds until the author replaces them."""
    return frozenset({*SECTION_GUIDE.values(), SUMMARY_GUIDE})


@dataclass
class NewCase:
    """What the author gave for a new case (labels already normalised)."""

    id: str
    kind: str = "exercise"
    title: str = ""
    alias: str = DEFAULT_ALIAS
    source: str = ""
    industry_detail: str = ""
    # facet name -> labels
    terms: dict[str, list[str]] | None = None


# An id names the case's file and its page's address (a file name has at most 255 bytes).
MAX_ID_LENGTH = 80
# A line break or a control character in a value given for the front matter.
_NOT_ONE_LINE = re.compile(f"[\n\u2028\u2029]|{CONTROL.pattern}")


def suggest_id(raw: str) -> str | None:
    """A valid id close to what was typed: `Ex_Bakery 2` → `ex-bakery-2`."""
    folded = unicodedata.normalize("NFKC", raw).strip().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return slug if slug and SLUG.fullmatch(slug) and slug != raw else None


def check_new_id(raw: str, existing: dict[str, str], where: str = "id") -> list[Problem]:
    """Problems with an id for a new case; `existing` maps each case id to its file."""
    case_id = raw.strip()
    if not SLUG.fullmatch(case_id):
        return [Problem(where, 0, "id", "id must be lowercase ASCII letters, digits and '-'",
                        raw, suggest_id(raw))]
    if len(case_id) > MAX_ID_LENGTH:
        cut = case_id[:MAX_ID_LENGTH].rstrip("-")
        return [Problem(where, 0, "id", f"id is {len(case_id)} characters long: it names the "
                        f"file and the page's address, use at most {MAX_ID_LENGTH}", case_id,
                        cut)]
    if case_id in RESERVED_IDS:
        return [Problem(where, 0, "id", f"'{case_id}' is the name of a page the site makes: "
                        "choose another id", case_id, f"{case_id}-1")]
    if case_id in existing:
        free = next(f"{case_id}-{n}" for n in range(2, 10_000)
                    if f"{case_id}-{n}" not in existing)
        return [Problem(where, 0, "id", f"id '{case_id}' is already used by "
                        f"{existing[case_id]}", case_id, free)]
    return []


def check_new_text(case: NewCase, where: str = "casebook new") -> list[Problem]:
    """The free-text values of a new case are one line each, without control characters."""
    return check_one_line([("--title", case.title), ("--alias", case.alias),
                           ("--source", case.source),
                           ("--industry-detail", case.industry_detail)], where)


def check_one_line(values: list[tuple[str, str]], where: str = "casebook new") -> list[Problem]:
    """Values written into a new file's front matter, as (option, value): a line break could
    end the front matter early (a line '---') and a control character is no YAML, so the file
    written would not read back as what was given."""
    problems = []
    for option, value in values:
        bad = _NOT_ONE_LINE.search(value)
        if bad:
            shown = _NOT_ONE_LINE.sub(lambda m: f"\\u{ord(m.group()):04x}", value)
            problems.append(Problem(where, 0, option, f"expected one line of text, got "
                                    f"U+{ord(bad.group()):04X} at column {bad.start() + 1} "
                                    f"in '{shown}'", shown))
    return problems


def split_values(text: str) -> list[str]:
    """`見えない, 付いてこない` / `見えない、付いてこない` → two values."""
    return [part for part in re.split(r"[,、，\s]+", text.strip()) if part]


def resolve(facet: Facet, value: str, where: str, field: str) -> tuple[Term | None,
                                                                       Problem | None]:
    """The term any accepted spelling names, or a problem with the closest label."""
    term = facet.get(value)
    if term is None:
        return None, Problem(where, 0, field, f"unknown {facet.name} '{value}'", value,
                             facet.suggest(value))
    return term, None


def resolve_values(given: dict[str, list[str]], vocabulary: Vocabulary,
                   where: str = "casebook new") -> tuple[dict[str, list[str]], list[Problem]]:
    """Each facet's given values as labels (in the order given, once each), and problems."""
    labels: dict[str, list[str]] = {}
    problems: list[Problem] = []
    for name, values in given.items():
        spec = BY_NAME[name]
        found: list[str] = []
        for value in values:
            term, problem = resolve(vocabulary[name], value, where, f"--{name}")
            if problem:
                problems.append(problem)
            elif term.label not in found:
                found.append(term.label)
        if len(found) > 1 and not spec.many:
            problems.append(Problem(where, 0, f"--{name}", f"{spec.field} takes one "
                                    f"{name}, got {len(found)}", ", ".join(found)))
        labels[name] = found
    return labels, problems


def kind_of(value: str) -> str | None:
    """`precedent`/`exercise` for the name or its Japanese label (先行事例, 演習)."""
    value = unicodedata.normalize("NFKC", value).strip().lower()
    for kind, label in KINDS.items():
        if value in (kind, label, label.removesuffix("事例")):
            return kind
    return None


def check_kind(kind: str, where: str = "casebook new") -> Problem | None:
    if kind_of(kind) is not None:
        return None
    return Problem(where, 0, "--kind", f"unknown kind '{kind}'", kind,
                   closest(kind, list(KINDS)))


def missing_required(case: NewCase) -> list[str]:
    """The required facets nobody gave a value for."""
    terms = case.terms or {}
    return [name for name in ASKED_FACETS
            if BY_NAME[name].required and not terms.get(name)]


def yaml_scalar(value: str) -> str:
    """A value as a YAML scalar: plain when that reads back as the same text, else quoted."""
    import yaml

    if value and "\n" not in value and not re.search(r"[:#,\[\]{}&*!|>'\"%@`]", value) \
            and value[0] not in "-?" and value == value.strip():
        try:
            if yaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _flow(labels: list[str]) -> str:
    return "[" + ", ".join(yaml_scalar(label) for label in labels) + "]"


def _choices(facet: Facet) -> str:
    if facet.name in _EXAMPLE_ONLY:
        return f"（例: {_EXAMPLE_ONLY[facet.name]}）"
    if facet.name == "industry":
        return ": " + " | ".join(f"{t.code} {t.label}" for t in facet.terms)
    return ": " + " | ".join(t.label for t in facet.terms)


def _facet_lines(name: str, labels: list[str], vocabulary: Vocabulary) -> list[str]:
    spec = BY_NAME[name]
    facet = vocabulary[name]
    need = "必須" if spec.required else "任意"
    count = "1つ以上" if spec.many else "1つ"
    lines = [f"# {facet.label}（{need}・{count}）{_choices(facet)}"]
    if labels:
        value = _flow(labels) if spec.many else yaml_scalar(labels[0])
        lines.append(f"{spec.field}: {value}")
    else:
        example = facet.terms[0].label if facet.name not in _EXAMPLE_ONLY \
            else _EXAMPLE_ONLY[facet.name]
        value = _flow([example]) if spec.many else yaml_scalar(example)
        lines.append(f"# {spec.field}: {value}")
    return lines


def new_case_text(case: NewCase, vocabulary: Vocabulary, schema_ref: str) -> str:
    """The whole new case file: front matter, H1, every section with a line of guidance."""
    terms = case.terms or {}
    title = case.title or (f"【演習】{TITLE_PLACEHOLDER}" if case.kind == "exercise"
                           else TITLE_PLACEHOLDER)
    source = case.source or (EXERCISE_SOURCE if case.kind == "exercise" else "")
    out = ["---", f"# yaml-language-server: $schema={schema_ref}",
           f"id: {case.id}",
           "# タイトル: 本文の # 見出しと同じにします（演習事例は【演習】で始めます）",
           f"title: {yaml_scalar(title)}",
           "# 匿名の呼び名（A社、B社 …）",
           f"alias: {yaml_scalar(case.alias or DEFAULT_ALIAS)}",
           "# precedent（実際の支援にもとづく先行事例） | exercise（研修用の架空の演習事例）",
           f"kind: {case.kind}"]
    out += _facet_lines("industry", terms.get("industry", []), vocabulary)
    out.append("# 業種の詳しい説明（任意・自由記述）")
    out.append(f"industry_detail: {yaml_scalar(case.industry_detail)}" if case.industry_detail
               else "# industry_detail: 精密部品加工業")
    for name in ASKED_FACETS[1:]:
        out += _facet_lines(name, terms.get(name, []), vocabulary)
    out.append("# 出典: 資料名、発行者、発行年月、資料内の位置（先行事例は必須。URL は書かない）")
    out.append(f"source: {yaml_scalar(source)}" if source
               else "# source: 中小企業庁「…」（令和4年4月）【参考資料２】事例1")
    out.append("# draft（下書き: make serve でだけ表示） | published（公開）")
    out.append("status: draft")
    out += ["# 非公開のメモ（サイトには出ません）", "# internal_notes: （担当者のメモなど）", "---",
            f"# {title}", "", SUMMARY_GUIDE, ""]
    for section in (*OPTIONAL_SECTIONS[:1], *REQUIRED_SECTIONS, *OPTIONAL_SECTIONS[1:]):
        if section in NOT_IN_TEMPLATE:
            continue
        out += [f"## {section}", "", SECTION_GUIDE[section], ""]
    return "\n".join(out)


def existing_ids(paths: Collection[str]) -> dict[str, str]:
    """Case id (file stem) -> file, for the case files of a project."""
    found: dict[str, str] = {}
    for path in sorted(paths):
        stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        found.setdefault(stem, path)
    return found


def template_leftovers(doc, problems: list[Problem], *, lines: frozenset[str] | None = None,
                       placeholder: str = TITLE_PLACEHOLDER, what: str = "case") -> None:
    """A case (or, given its `lines` and `placeholder`, a curriculum) about to be published
    still holding what `casebook new` wrote to be replaced."""
    guides = template_lines() if lines is None else lines
    title = doc.meta.get("title")
    if isinstance(title, str) and placeholder in title:
        problems.append(Problem(doc.path, doc.meta.line("title"), "title",
                                f"the title is still the placeholder: give the {what} its "
                                "title (here and in the # heading)", title))
    for published in doc.texts:
        if published.text.strip() in guides:
            problems.append(Problem(doc.path, published.line, "text",
                                    "the template's guidance line is still here: replace it "
                                    f"with the {what}'s text (or delete it)",
                                    published.text.strip()))
