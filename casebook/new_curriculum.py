"""A new curriculum file: its sessions from the trainer's answers, checked against the library.

    catalogue = Catalogue.of(cases, guides)            # what sessions may name, drafts marked
    minutes, problem = parse_minutes("1時間30分")       # 90
    case_id, problem = catalogue.case("A社", "draft")   # an id, an alias or a did-you-mean
    text = new_curriculum_text(curriculum, catalogue, "../../schemas/curriculum.schema.json")

Follows `casebook new case` (casebook/authoring.py, whose id check and YAML quoting it uses):
values are checked and normalised before anything is written, optional fields nobody gave are
written as commented choices, the file starts as a draft and passes `casebook check` as it is.
A published curriculum still holding the template's placeholders is an error (`leftovers`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from casebook.authoring import template_leftovers, yaml_scalar
from casebook.model import Case, Document, Guide
from casebook.problems import Problem, closest
from casebook.schema import STATUSES

TITLE_PLACEHOLDER = "（カリキュラムの名前）"
SESSION_PLACEHOLDER = "（セッションの名前）"
DEFAULT_MINUTES = 30
QUESTIONS_HEADING = "討議の問い"
# One line each: what goes in the body (the authoring page says the same at more length).
BODY_GUIDE = ("（このカリキュラムのねらいと進め方を書きます。一覧とページの冒頭に出る一文は "
              "description に書きます）")
QUESTIONS_GUIDE = ("（任意）研修全体で話し合う問いを番号付きリストで書きます。各事例の"
                   "「考えてみよう」はセッションごとに自動で集められます。不要なら見出しごと消します。")
NOTE_GUIDE = ("（任意）講師版だけに表示する指導メモ（冒頭の問い、板書計画、よい答えの目安など）。"
              "不要ならブロックごと消します。")
# A list longer than this is not written into the file's comments (the schema lists it).
LISTED_AT_MOST = 40
_EXAMPLE_GUIDE = "method/index.md"


def template_lines() -> frozenset[str]:
    """The guidance lines a new curriculum holds until the trainer replaces them."""
    return frozenset({BODY_GUIDE, QUESTIONS_GUIDE, NOTE_GUIDE})


@dataclass
class NewSession:
    """One session as the trainer gave it (names already resolved to ids and paths)."""

    title: str
    minutes: int
    description: str = ""
    guides: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    alternates: list[str] = field(default_factory=list)
    teaching_note: str = ""


@dataclass
class NewCurriculum:
    """What the trainer gave for a new curriculum."""

    id: str
    title: str = ""
    audience: str = ""
    description: str = ""
    objectives: list[str] = field(default_factory=list)
    sessions: list[NewSession] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    status: str = "draft"


@dataclass(frozen=True)
class Entry:
    """A case or guide a session may name: its id or path, how it is shown, whether a draft."""

    key: str
    about: str  # 「A社 属人的経営から組織的経営へ」, a guide's title
    draft: bool
    alias: str = ""  # a case's


def _fold(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


class Catalogue:
    """The project's cases and guides, as a session names them."""

    def __init__(self, cases: list[Entry], guides: list[Entry]) -> None:
        self.cases = {e.key: e for e in cases}
        self.guides = {e.key: e for e in guides}

    @classmethod
    def of(cls, cases: list[Case], guides: list[Guide]) -> Catalogue:
        return cls([Entry(c.id, f"{c.alias} {c.title}", c.is_draft, c.alias)
                    for c in sorted(cases, key=lambda c: c.id)],
                   [Entry(g.src_uri, g.title or g.src_uri, g.is_draft)
                    for g in sorted(guides, key=lambda g: g.src_uri)])

    def published(self, kind: str) -> list[Entry]:
        return [e for e in getattr(self, kind).values() if not e.draft]

    def case(self, value: str, status: str, where: str = "casebook new",
             field_name: str = "--case", session: str = "") -> tuple[str | None, Problem | None]:
        """The id a case is named by (its id, or its alias if only one case has it)."""
        folded = _fold(value)
        key = folded.lower() if folded.lower() in self.cases else None
        if key is None:
            by_alias = [e.key for e in self.cases.values() if e.alias and e.alias == folded]
            key = by_alias[0] if len(by_alias) == 1 else None
        return self._checked(self.cases, key, value, status, where, field_name, "case", session)

    def guide(self, value: str, status: str, where: str = "casebook new",
              field_name: str = "--guide", session: str = "") -> tuple[str | None,
                                                                    Problem | None]:
        """The docs-relative path a guide is named by: its path (with or without `content/`
        and `.md`, a folder for its index.md) or its title."""
        folded = _fold(value).lstrip("/")
        folded = folded.removeprefix("content/")
        candidates = [folded, f"{folded}.md", f"{folded.rstrip('/')}/index.md"]
        key = next((c for c in candidates if c in self.guides), None)
        if key is None:
            by_title = [e.key for e in self.guides.values() if e.about == _fold(value)]
            key = by_title[0] if len(by_title) == 1 else None
        return self._checked(self.guides, key, value, status, where, field_name, "guide",
                             session)

    def _checked(self, entries: dict[str, Entry], key: str | None, value: str, status: str,
                 where: str, field_name: str, what: str, session: str
                 ) -> tuple[str | None, Problem | None]:
        at = f" in {session}" if session else ""
        if key is None:
            valid = sorted(k for k, e in entries.items() if status == "draft" or not e.draft)
            hint = " (a path in the docs folder, such as method/index.md)" \
                if what == "guide" else ""
            return None, Problem(where, 0, field_name, f"unknown {what} '{value}'{at}{hint}",
                                 value, closest(_fold(value).lower() if what == "case"
                                                else _fold(value), valid))
        if entries[key].draft and status == "published":
            return None, Problem(where, 0, field_name, f"{what} '{key}' is a draft{at}: a "
                                 f"published curriculum cannot use it (publish the {what}, or "
                                 "leave the curriculum a draft)", key)
        return key, None


_MINUTES = re.compile(r"(?:(?P<hours>\d+)\s*(?:時間|h|hours?))?\s*"
                      r"(?:(?P<minutes>\d+)\s*(?:分|m|min|mins|minutes?)?)?", re.I)


def parse_minutes(raw: str | int) -> tuple[int | None, str | None, str | None]:
    """`30`, `３０分`, `1時間30分`, `90min` → minutes; else (None, what is wrong, a valid value)."""
    text = _fold(str(raw))
    match = _MINUTES.fullmatch(text)
    if text and match and (match["hours"] or match["minutes"]):
        total = int(match["hours"] or 0) * 60 + int(match["minutes"] or 0)
        if total > 0:
            return total, None, None
        return None, f"must be more than 0, got {raw}", None
    digits = re.findall(r"\d+", text)
    return (None, f"expected a whole number of minutes (30, 90分, 1時間30分), got '{raw}'",
            digits[0] if len(digits) == 1 and int(digits[0]) > 0 else None)


def check_status(raw: str, where: str = "casebook new") -> tuple[str | None, Problem | None]:
    """`published`/`draft`, or their Japanese names (公開, 下書き)."""
    value = _fold(raw).lower()
    value = {"公開": "published", "下書き": "draft"}.get(value, value)
    if value in STATUSES:
        return value, None
    return None, Problem(where, 0, "--status", f"unknown status '{raw}'", raw,
                         closest(value, list(STATUSES)))


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(yaml_scalar(v) for v in values) + "]"


def _choice_lines(title: str, entries: list[Entry], folder: str) -> list[str]:
    if not entries:
        return [f"# {title}: （まだありません）"]
    if len(entries) > LISTED_AT_MOST:
        return [f"# {title}: {len(entries)} 件（一覧は {folder} と "
                "schemas/curriculum.schema.json。エディタで補完できます）"]
    width = max(len(e.key) for e in entries)
    return [f"# {title}:", *(f"#   {e.key.ljust(width)}  {e.about}" for e in entries)]


def _list_field(name: str, values: list[str], example: str, indent: str) -> str:
    return f"{indent}{name}: {_flow(values)}" if values \
        else f"{indent}# {name}: [{example}]"


def _session_lines(session: NewSession, cases: list[Entry]) -> list[str]:
    example = cases[0].key if cases else "a-precision-parts"
    other = cases[1].key if len(cases) > 1 else example
    out = [f"  - title: {yaml_scalar(session.title)}",
           "    # 分（必須・1以上の整数）",
           f"    minutes: {session.minutes}",
           "    # このセッションで何をするか（任意）",
           f"    description: {yaml_scalar(session.description)}" if session.description
           else "    # description: 事例を読み、壁とその根拠になる記述を書き出します。",
           "    # 解説ページ（任意・content/ からのパス）",
           _list_field("guides", session.guides, _EXAMPLE_GUIDE, "    "),
           "    # 事例（任意・事例の id）",
           _list_field("cases", session.cases, example, "    "),
           "    # 差し替え用の代替事例（任意・事例の id）",
           _list_field("alternates", session.alternates, other, "    "),
           "    # 講師版だけに表示する、このセッションの指導メモ（任意）"]
    out.append(f"    teaching_note: {yaml_scalar(session.teaching_note)}"
               if session.teaching_note else
               "    # teaching_note: 各グループに1事例を担当させ、付箋に壁と根拠を書かせる。")
    return out


def new_curriculum_text(curriculum: NewCurriculum, catalogue: Catalogue,
                        schema_ref: str) -> str:
    """The whole new curriculum file: front matter with every field, the H1, and the body."""
    title = curriculum.title or TITLE_PLACEHOLDER
    draft = curriculum.status == "draft"
    usable = [e for e in catalogue.cases.values() if draft or not e.draft]
    out = ["---", f"# yaml-language-server: $schema={schema_ref}",
           "# カリキュラムの名前（必須）: 本文の # 見出しと同じにします",
           f"title: {yaml_scalar(title)}",
           "# 対象者（任意）",
           f"audience: {yaml_scalar(curriculum.audience)}" if curriculum.audience
           else "# audience: 着任1年目のコーディネーター・経営指導員",
           "# 一覧とページの冒頭に出る一文の紹介（任意）",
           f"description: {yaml_scalar(curriculum.description)}" if curriculum.description
           else "# description: 事例を使って課題設定型の伴走支援を学ぶ半日の研修です。",
           "# 学習目標（任意・箇条書き）"]
    if curriculum.objectives:
        out += ["objectives:", *(f"  - {yaml_scalar(o)}" for o in curriculum.objectives)]
    else:
        out += ["# objectives:",
                "#   - 課題「解決」型と課題「設定」型の違いを、事例を使って説明できる"]
    out += _choice_lines("使える解説ページ（guides）",
                         [e for e in catalogue.guides.values() if draft or not e.draft],
                         "content/")
    out += _choice_lines("使える事例（cases・alternates" + (
                             "。下書きは公開するカリキュラムでは使えません）" if draft else "）"),
                         [Entry(e.key, e.about + ("（下書き）" if e.draft else ""), e.draft)
                          for e in usable], "cases/")
    out += ["# セッション（必須）: 上から順に、時間配分表の 0:00 から並びます", "sessions:"]
    sessions = curriculum.sessions or [NewSession(SESSION_PLACEHOLDER, DEFAULT_MINUTES)]
    for session in sessions:
        out += _session_lines(session, usable)
    out += ["# draft（下書き: make serve でだけ表示） | published（公開）",
            f"status: {curriculum.status}", "---", f"# {title}", ""]
    if draft:
        out += [BODY_GUIDE, ""]
    if curriculum.questions or draft:
        out += [f"## {QUESTIONS_HEADING}", ""]
        out += [f"{n}. {q}" for n, q in enumerate(curriculum.questions, start=1)] \
            if curriculum.questions else [QUESTIONS_GUIDE]
        out.append("")
    if draft:
        out += ["```teaching-note", NOTE_GUIDE, "```", ""]
    return "\n".join(out)


def leftovers(doc: Document, problems: list[Problem]) -> None:
    """A curriculum about to be published still holding what `casebook new` wrote to be
    replaced: the placeholder title or session name, or a guidance line of the body."""
    template_leftovers(doc, problems, lines=template_lines(), placeholder=TITLE_PLACEHOLDER,
                       what="curriculum")
    for published in doc.texts:
        if published.field == "title" and published.text.strip() == SESSION_PLACEHOLDER:
            problems.append(Problem(doc.path, published.line, "title",
                                    "the session's name is still the placeholder: name the "
                                    "session", SESSION_PLACEHOLDER))
