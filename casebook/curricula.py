"""Curricula: a trainer's plan of sessions, each with its guides, cases and alternates.

    curriculum = read_curriculum(doc, problems)          # one file: its own fields
    check_references(curricula, cases, guides, problems)  # across files: ids, paths, drafts
    coverage(curriculum, vocabulary)                       # walls, approaches, skills covered

A curriculum is a Markdown file in `content/curricula/<id>.md`, parsed by the one parser
like every other file; its front matter says what is taught when. Every problem names the
file, the line, the field, the bad value and the closest valid value. Nothing here reads a
file or writes HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from casebook.model import TRAINER_LABEL, Case, Document, Guide, PublishedText
from casebook.new_curriculum import leftovers
from casebook.problems import Problem, closest, type_name
from casebook.schema import STATUSES
from casebook.vocabulary import SLUG, Term, Vocabulary

# Where curriculum files live, relative to the docs folder; their pages are published there.
FOLDER = "curricula"
INDEX_URI = f"{FOLDER}/index.md"
HANDOUT_FOLDER = "handouts"
# The facets whose coverage a curriculum page shows.
COVERAGE_FACETS = ("wall", "approach", "skill")

CURRICULUM_KEYS = {
    "title": "text",
    "audience": "text",
    "description": "text",
    "objectives": "texts",
    "sessions": "sessions",
    "status": "text",
}
REQUIRED_KEYS = ("title", "sessions", "status")
# A session longer than a day is a typo (600 for 60, or a number pasted in the wrong place).
MAX_SESSION_MINUTES = 24 * 60
SESSION_KEYS = {
    "title": "text",
    "minutes": "minutes",
    "description": "text",
    "guides": "texts",
    "cases": "texts",
    "alternates": "texts",
    "teaching_note": "text",
}


@dataclass
class Session:
    """One block of a curriculum's time plan."""

    number: int  # 1-based, as the time plan shows it
    title: str
    minutes: int
    start: int  # minutes from the start of the curriculum (0:00)
    line: int
    description: str = ""
    guides: list[str] = field(default_factory=list)  # docs-relative: method/index.md
    cases: list[str] = field(default_factory=list)  # case ids
    alternates: list[str] = field(default_factory=list)  # case ids, used instead of a case
    teaching_note: str = ""  # trainer edition only

    @property
    def end(self) -> int:
        return self.start + self.minutes

    @property
    def label(self) -> str:
        """How messages name the session: `session 2 「壁を見立てる」`."""
        return f"session {self.number} 「{self.title}」"


@dataclass
class Curriculum:
    """A parsed and checked curriculum file."""

    id: str
    doc: Document
    title: str
    audience: str
    description: str
    objectives: list[str]
    sessions: list[Session]
    status: str

    @property
    def src_uri(self) -> str:
        return f"{FOLDER}/{self.id}.md"

    @property
    def handout_uri(self) -> str:
        return f"{HANDOUT_FOLDER}/{self.id}.md"

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def total_minutes(self) -> int:
        return sum(s.minutes for s in self.sessions)

    def case_ids(self, *, alternates: bool = False) -> list[str]:
        """The cases the sessions use, in order, once each (with the alternates if asked)."""
        seen: dict[str, None] = {}
        for session in self.sessions:
            for case_id in [*session.cases, *(session.alternates if alternates else [])]:
                seen.setdefault(case_id, None)
        return list(seen)


def clock(minutes: int) -> str:
    """Minutes from the start as a time plan writes them: 90 → '1:30'."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def duration(minutes: int) -> str:
    """90 → '1時間30分', 45 → '45分'."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}分"
    return f"{hours}時間{rest}分" if rest else f"{hours}時間"


class _Reader:
    """One curriculum file's front matter, checked value by value."""

    def __init__(self, doc: Document, problems: list[Problem]) -> None:
        self.doc = doc
        self.problems = problems

    def line(self, path: str, fallback: str | None = None) -> int:
        lines = self.doc.meta.lines
        return lines.get(path) or (lines.get(fallback) if fallback else None) or 1

    def problem(self, path: str, field_name: str, message: str, value: object = "",
                suggestion: str | None = None, fallback: str | None = None) -> None:
        self.problems.append(Problem(self.doc.path, self.line(path, fallback), field_name,
                                     message, str(value), suggestion))

    def publish(self, text: str, path: str, field_name: str, *, trainer: bool = False) -> None:
        if text.strip():
            self.doc.texts.append(PublishedText(text, self.line(path), field_name, trainer))
        if not trainer and TRAINER_LABEL.match(text.strip()):
            self.problem(path, field_name, f"'{text.strip()[:30]}' is published to every "
                         "reader: write notes for trainers in the session's teaching_note: "
                         "(shown in the trainer edition only)", text.strip()[:30])

    def text(self, value: object, path: str, field_name: str, where: str = "", *,
             one_line: bool = False) -> str:
        if value is None:
            return ""
        if isinstance(value, (list, dict, bool)) or not isinstance(value, (str, int, float)):
            self.problem(path, field_name, f"expected one line of text{where}, "
                         f"got {type_name(value)}", value)
            return ""
        text = str(value).strip()
        if one_line and (breaks := len(re.split("[\n\u2028\u2029]", text)) - 1):
            # A title is a heading, a <title> and a table cell: a second line has no place.
            joined = re.sub("[\n\u2028\u2029]", " ", text)
            self.problem(path, field_name, f"expected one line of text{where}, got "
                         f"{breaks + 1} lines", joined)
            return joined
        return text

    def texts(self, value: object, path: str, field_name: str, where: str = "") -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            self.problem(path, field_name, f"expected a list such as [{value}]{where}, "
                         "got one value", value)
            return []
        if not isinstance(value, list):
            self.problem(path, field_name, f"expected a list{where}, got {type_name(value)}", value)
            return []
        out = []
        for index, item in enumerate(value):
            if isinstance(item, (list, dict, bool)) or item is None:
                self.problem(f"{path}[{index}]", field_name,
                             f"expected one name per item{where}, got {type_name(item)}", item,
                             fallback=path)
            else:
                out.append(str(item).strip())
        return out


def read_curriculum(doc: Document, problems: list[Problem]) -> Curriculum | None:
    """Check a parsed curriculum file's own fields; None if it cannot be used."""
    reader = _Reader(doc, problems)
    meta = doc.meta
    before = len(problems)
    if not meta.present:
        problems.append(Problem(doc.path, 1, "front matter",
                                "missing front matter: the file must start with a '---' block"))
        return None
    if not meta.values and any(p.path == doc.path for p in problems[:before]):
        return None  # broken YAML, already reported
    stem = PurePosixPath(doc.path).stem
    if stem == "index":
        problems.append(Problem(doc.path, 1, "file", "'index' is the list of curricula the "
                                "site makes: name the file after the curriculum"))
    elif not SLUG.fullmatch(stem):
        problems.append(Problem(doc.path, 1, "file",
                                f"the file name '{stem}' is the curriculum's address: use "
                                "lowercase ASCII letters, digits and '-'", stem))
    if PurePosixPath(doc.uri).parent != PurePosixPath(FOLDER):
        problems.append(Problem(doc.path, 1, "file", f"a curriculum must be directly in "
                                f"{FOLDER}/, not in a folder below it", doc.uri))
    for key in meta.values:
        if key not in CURRICULUM_KEYS:
            reader.problem(key, key, "unknown field", key, closest(key, list(CURRICULUM_KEYS)))
    for key in REQUIRED_KEYS:
        if meta.get(key) in (None, "", []):
            reader.problem(key, key, "missing required field")

    title = reader.text(meta.get("title"), "title", "title", one_line=True)
    audience = reader.text(meta.get("audience"), "audience", "audience", one_line=True)
    description = reader.text(meta.get("description"), "description", "description")
    objectives = reader.texts(meta.get("objectives"), "objectives", "objectives")
    status = reader.text(meta.get("status"), "status", "status")
    if status and status not in STATUSES:
        reader.problem("status", "status", f"unknown status '{status}'", status,
                       closest(status, list(STATUSES)))
    if doc.title and title and doc.title != title:
        reader.problem("title", "title", f"the title differs from the H1 on line "
                       f"{doc.title_line} ('# {doc.title}'): make them the same, or leave "
                       "the H1 out", title, doc.title)
    reader.publish(title, "title", "title")
    reader.publish(audience, "audience", "audience")
    reader.publish(description, "description", "description")
    for index, objective in enumerate(objectives):
        reader.publish(objective, f"objectives[{index}]", "objectives")

    sessions = _sessions(reader, meta.get("sessions"))
    if status == "published":
        leftovers(doc, problems)  # what `casebook new curriculum` wrote to be replaced
    # Returned even with problems of its own, so that its references are checked too (all
    # problems at once); a project with any problem builds nothing.
    return Curriculum(stem, doc, title, audience, description, objectives, sessions, status)


def _sessions(reader: _Reader, raw: object) -> list[Session]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        reader.problem("sessions", "sessions", "expected a list of sessions (- title: …, "
                       f"minutes: …), got {type_name(raw)}", raw)
        return []
    sessions: list[Session] = []
    start = 0
    for index, item in enumerate(raw):
        path = f"sessions[{index}]"
        number = index + 1
        if not isinstance(item, dict):
            reader.problem(path, "sessions", f"session {number}: expected 'title:' and "
                           f"'minutes:' lines, got {type_name(item)}", item, fallback="sessions")
            continue
        for key in item:
            if str(key) not in SESSION_KEYS:
                reader.problem(f"{path}.{key}", str(key), f"unknown field in session {number}",
                               key, closest(str(key), list(SESSION_KEYS)), fallback=path)
        title = reader.text(item.get("title"), f"{path}.title", "title",
                            f" in session {number}", one_line=True)
        if not title:
            reader.problem(path, "title", f"session {number} has no title", "",
                           fallback="sessions")
        session = Session(number, title or f"{number}", 0, start,
                          reader.line(path, "sessions"))
        where = f" in {session.label}"
        minutes = item.get("minutes")
        if minutes is None:
            reader.problem(path, "minutes", f"missing{where}: how long the session takes, "
                           "in minutes (minutes: 30)", "", fallback="sessions")
        elif isinstance(minutes, bool) or not isinstance(minutes, int):
            reader.problem(f"{path}.minutes", "minutes", f"expected a whole number of "
                           f"minutes{where}, got '{minutes}'", minutes, fallback=path)
        elif minutes <= 0:
            reader.problem(f"{path}.minutes", "minutes", f"must be more than 0{where}, "
                           f"got {minutes}", minutes, fallback=path)
        elif minutes > MAX_SESSION_MINUTES:
            reader.problem(f"{path}.minutes", "minutes", f"must be at most "
                           f"{MAX_SESSION_MINUTES} (one day){where}, got {minutes}", minutes,
                           fallback=path)
        else:
            session.minutes = minutes
        session.description = reader.text(item.get("description"), f"{path}.description",
                                          "description", where)
        session.guides = reader.texts(item.get("guides"), f"{path}.guides", "guides", where)
        session.cases = reader.texts(item.get("cases"), f"{path}.cases", "cases", where)
        session.alternates = reader.texts(item.get("alternates"), f"{path}.alternates",
                                          "alternates", where)
        session.teaching_note = reader.text(item.get("teaching_note"),
                                            f"{path}.teaching_note", "teaching_note", where)
        for key in ("cases", "alternates"):
            named = getattr(session, key)
            for case_id in sorted({c for c in named if named.count(c) > 1}):
                reader.problem(f"{path}.{key}", key, f"'{case_id}' is listed twice{where}: "
                               "keep one", case_id, fallback=path)
        for case_id in set(session.cases) & set(session.alternates):
            reader.problem(f"{path}.alternates", "alternates", f"'{case_id}' is both a case "
                           f"and an alternate{where}: keep one", case_id, fallback=path)
        reader.publish(session.title, f"{path}.title", "title")
        reader.publish(session.description, f"{path}.description", "description")
        reader.publish(session.teaching_note, f"{path}.teaching_note", "teaching_note",
                       trainer=True)
        sessions.append(session)
        start += session.minutes
    return sessions


def check_references(curricula: list[Curriculum], cases: list[Case], guides: list[Guide],
                     problems: list[Problem], *, unreadable: frozenset[str] = frozenset()
                     ) -> None:
    """Every case id and guide path a curriculum names exists, and is published if the
    curriculum is (a published curriculum cannot send its readers to a draft).

    `unreadable`: ids and paths of files with problems of their own (reported already).
    """
    by_id = {case.id: case for case in cases}
    published_ids = sorted(case.id for case in cases if not case.is_draft)
    by_uri = {guide.src_uri: guide for guide in guides}
    published_uris = sorted(uri for uri, guide in by_uri.items() if not guide.is_draft)
    for curriculum in curricula:
        reader = _Reader(curriculum.doc, problems)
        for session in curriculum.sessions:
            path = f"sessions[{session.number - 1}]"
            where = f" in {session.label}"
            for key in ("cases", "alternates"):
                for index, case_id in enumerate(getattr(session, key)):
                    at = f"{path}.{key}[{index}]"
                    case = by_id.get(case_id)
                    if case is None and case_id in unreadable:
                        continue
                    if case is None:
                        reader.problem(at, key, f"unknown case '{case_id}'{where}", case_id,
                                       closest(case_id, published_ids), fallback=path)
                    elif case.is_draft and not curriculum.is_draft:
                        reader.problem(at, key, f"case '{case_id}' is a draft{where}: a "
                                       "published curriculum cannot use it (publish the case, "
                                       "or make the curriculum status: draft)", case_id,
                                       fallback=path)
            for index, uri in enumerate(session.guides):
                at = f"{path}.guides[{index}]"
                guide = by_uri.get(uri)
                if guide is None and uri in unreadable:
                    continue
                if guide is None:
                    reader.problem(at, "guides", f"unknown guide '{uri}'{where} (a path in "
                                   "the docs folder, such as method/index.md)", uri,
                                   closest(uri, published_uris), fallback=path)
                elif guide.is_draft and not curriculum.is_draft:
                    reader.problem(at, "guides", f"guide '{uri}' is a draft{where}: a "
                                   "published curriculum cannot use it", uri, fallback=path)


@dataclass
class Covered:
    """One facet's coverage: each term and the cases that bring it, and what none brings."""

    facet: str
    covered: list[tuple[Term, list[Case]]]
    missing: list[Term]


def coverage(cases: list[Case], vocabulary: Vocabulary) -> list[Covered]:
    """Which walls, approaches and dialogue skills `cases` cover, and which they do not."""
    out = []
    for facet_name in COVERAGE_FACETS:
        facet = vocabulary[facet_name]
        covered, missing = [], []
        for term in facet.terms:
            using = [c for c in cases if term in c.terms(facet_name)]
            if using:
                covered.append((term, using))
            else:
                missing.append(term)
        out.append(Covered(facet_name, covered, missing))
    return out
