"""`casebook new curriculum ID`: a trainer's new curriculum file, checked against the library.

The domain makes the text and resolves each name (casebook/new_curriculum.py); this module
reads the project, takes the values from the command line or asks for them on a terminal, and
writes the file the way `casebook new case` does (pipeline/authoring.py, whose id check,
questions, file writing and schema upkeep it shares).

Sessions are given in order, each option after `--session TITLE MINUTES` belonging to it:

    casebook new curriculum kabe-60 --title "壁を見立てる（60分）" \\
        --session 導入 10 --guide method/walls/index.md \\
        --session 演習 50 --case ex-food-wholesale-dx --alternate ex-care-staffing
"""

from __future__ import annotations

import argparse
from pathlib import Path, PurePosixPath

from casebook.authoring import check_new_id, check_one_line, split_values
from casebook.curricula import FOLDER
from casebook.editor_schema import CURRICULUM_SCHEMA, schema_texts
from casebook.new_curriculum import (
    DEFAULT_MINUTES,
    Catalogue,
    NewCurriculum,
    NewSession,
    check_status,
    new_curriculum_text,
    parse_minutes,
)
from casebook.problems import Problem
from pipeline.authoring import (
    Say,
    _asked,
    _Asker,
    _asks,
    _create,
    _project,
    _refused,
    cases_and_guides,
    write_schema,
)
from pipeline.options import from_arguments

WHERE = "casebook new"
# Options that belong to the --session before them: option -> the session's field.
SESSION_PARTS = {"--session-description": "description", "--guide": "guides",
                 "--case": "cases", "--alternate": "alternates", "--note": "teaching_note"}


class _SessionPart(argparse.Action):
    """`--session TITLE MINUTES` starts a session; the options after it fill it in."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        sessions = list(getattr(namespace, "sessions", None) or [])
        if option_string == "--session":
            sessions.append({"title": values[0], "minutes": values[1]})
        elif not sessions:
            parser.error(f"{option_string} belongs to a session: give --session TITLE MINUTES "
                         "before it")
        else:
            sessions[-1].setdefault(SESSION_PARTS[option_string], []).append(values)
        namespace.sessions = sessions


def add_curriculum_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("curriculum_id", metavar="ID", help="the new curriculum's id (its "
                        "file name and address), e.g. kabe-workshop-60")
    parser.add_argument("--title", default=None, help="the curriculum's name (its # heading)")
    parser.add_argument("--audience", default=None, help="who it is for")
    parser.add_argument("--description", default=None, help="one sentence for the list")
    parser.add_argument("--objective", action="append", default=[], metavar="TEXT",
                        help="a learning objective (repeat)")
    parser.add_argument("--session", nargs=2, action=_SessionPart, dest="sessions",
                        default=[], metavar=("TITLE", "MINUTES"),
                        help="a session and its length (30, 90分, 1時間30分); repeat in order")
    parser.add_argument("--session-description", action=_SessionPart, dest="sessions",
                        metavar="TEXT", help="what the session before it does")
    parser.add_argument("--guide", action=_SessionPart, dest="sessions", metavar="PATH",
                        help="a guide page of the session before it (method/index.md, or its "
                             "title); repeat, or separate with commas")
    parser.add_argument("--case", action=_SessionPart, dest="sessions", metavar="ID",
                        help="a case of the session before it (its id, or its alias)")
    parser.add_argument("--alternate", action=_SessionPart, dest="sessions", metavar="ID",
                        help="a case to use instead, in the session before it")
    parser.add_argument("--note", action=_SessionPart, dest="sessions", metavar="TEXT",
                        help="the session's teaching note (trainer edition only)")
    parser.add_argument("--question", action="append", default=[], metavar="TEXT",
                        help="a discussion question for the whole curriculum (repeat)")
    parser.add_argument("--status", default=None,
                        help="draft (default) or published: a published curriculum may not "
                             "use draft cases or guides")


def _session(number: int, given: dict, catalogue: Catalogue, status: str,
             problems: list[Problem]) -> NewSession:
    """One --session with its parts, every name resolved; problems added."""
    title = given["title"].strip()
    label = f"session {number} 「{title}」"
    if not title:
        problems.append(Problem(WHERE, 0, "--session", f"session {number} has no title"))
    minutes, wrong, suggestion = parse_minutes(given["minutes"])
    if wrong:
        problems.append(Problem(WHERE, 0, "--session", f"minutes of {label}: {wrong}",
                                given["minutes"], suggestion))
    session = NewSession(title, minutes or DEFAULT_MINUTES,
                         description=" ".join(given.get("description", [])).strip(),
                         teaching_note=" ".join(given.get("teaching_note", [])).strip())
    for key, resolve in (("guides", catalogue.guide), ("cases", catalogue.case),
                         ("alternates", catalogue.case)):
        option = next(o for o, k in SESSION_PARTS.items() if k == key)
        for value in (v for raw in given.get(key, []) for v in split_values(raw)):
            found, problem = resolve(value, status, WHERE, option, label)
            if problem:
                problems.append(problem)
            elif found not in getattr(session, key):
                getattr(session, key).append(found)
    for case_id in set(session.cases) & set(session.alternates):
        problems.append(Problem(WHERE, 0, "--alternate", f"'{case_id}' is both a case and an "
                                f"alternate in {label}: keep one", case_id))
    return session


def run_new_curriculum(args: argparse.Namespace, say: Say) -> int:
    options = from_arguments(args)
    loaded = _project(options, say)
    if loaded is None:
        return 1
    cases, guides = cases_and_guides(loaded)
    catalogue = Catalogue.of(cases, guides)
    existing = {PurePosixPath(r.job.uri).stem: r.job.display for r in loaded.results
                if r.job.kind == "curriculum"}
    problems = check_new_id(args.curriculum_id, existing, WHERE)
    status = "draft"
    if args.status is not None:
        status, problem = check_status(args.status)
        problems += [problem] if problem else []
        status = status or "draft"
    curriculum = NewCurriculum(
        args.curriculum_id.strip(), title=(args.title or "").strip(),
        audience=(args.audience or "").strip(), description=(args.description or "").strip(),
        objectives=[o.strip() for o in args.objective if o.strip()],
        sessions=[_session(n, given, catalogue, status, problems)
                  for n, given in enumerate(args.sessions, start=1)],
        questions=[q.strip() for q in args.question if q.strip()], status=status)
    if problems:
        return _refused(problems, say)
    if _asks(args) and not _asked(lambda: _ask(curriculum, args, catalogue, _Asker(say)),
                                  say):
        return 2
    texts = [("--title", curriculum.title), ("--audience", curriculum.audience),
             ("--description", curriculum.description),
             *(("--objective", o) for o in curriculum.objectives),
             *(("--question", q) for q in curriculum.questions)]
    for session in curriculum.sessions:
        texts += [("--session", session.title), ("--session-description", session.description),
                  ("--note", session.teaching_note)]
    if wrong := check_one_line(texts, WHERE):
        return _refused(wrong, say)
    if status == "published":
        missing = [Problem(WHERE, 0, option, f"a published curriculum needs {what}")
                   for option, what, given in (("--title", "its title", curriculum.title),
                                               ("--session", "at least one session",
                                                curriculum.sessions)) if not given]
        if missing:
            return _refused(missing, say)
    folder = options.path(options.docs_dir) / FOLDER
    path = _create(options, folder, f"{curriculum.id}.md", CURRICULUM_SCHEMA,
                   lambda ref: new_curriculum_text(curriculum, catalogue, ref), say)
    if path is None:
        return 2
    # The curriculum schema lists the published cases: known only from a sound project.
    texts = schema_texts(loaded.vocabulary, *((cases, guides) if not loaded.problems else ()))
    for shown in write_schema(options, texts):
        say(f"wrote {shown} (completion in editors with the YAML language server)")
    _report(path, options.root, curriculum, catalogue, say)
    return 0


def _report(path: Path, root: Path, curriculum: NewCurriculum, catalogue: Catalogue,
            say: Say) -> None:
    say(f"created {path.relative_to(root).as_posix()} (status: {curriculum.status})")
    drafts = sorted({c for s in curriculum.sessions for c in [*s.cases, *s.alternates]
                     if catalogue.cases[c].draft})
    for case_id in drafts:
        say(f"note: case '{case_id}' is a draft: publish it before this curriculum")
    say("next: write the aims and sessions, then run 'casebook check' and 'make serve'; set "
        "'status: published' when it is ready")


def _ask(curriculum: NewCurriculum, args: argparse.Namespace, catalogue: Catalogue,
         asker: _Asker) -> None:
    """Ask for every value the command line did not give."""
    if not curriculum.title:
        while not (title := asker.text("カリキュラムの名前（本文の # 見出しにもなります）")):
            asker.say("  必須です。")
        curriculum.title = title
    if args.audience is None:
        curriculum.audience = asker.text("対象者（任意）")
    if args.description is None:
        curriculum.description = asker.text("一覧に出る一文の紹介（任意）")
    if not curriculum.objectives:
        curriculum.objectives = asker.lines("学習目標（任意）")
    while not args.sessions and (session := _ask_session(
            len(curriculum.sessions) + 1, curriculum.status, catalogue, asker)) is not None:
        curriculum.sessions.append(session)
    if not curriculum.questions:
        curriculum.questions = asker.lines("討議の問い（任意）")


def _ask_session(number: int, status: str, catalogue: Catalogue,
                 asker: _Asker) -> NewSession | None:
    """One session's values; None when the trainer ends the list (after the first)."""
    while not (title := asker.line(f"セッション {number} の名前" + (
            "（空欄で終わり）: " if number > 1 else "（必須）: "))):
        if number > 1:
            return None
        asker.say("  必須です。")
    label = f"session {number} 「{title}」"
    while True:
        answer = asker.text("所要時間（分。1時間30分 のようにも書けます）", str(DEFAULT_MINUTES))
        minutes, wrong, suggestion = parse_minutes(answer)
        if minutes:
            break
        asker.say(f"  {wrong}" + (f" — did you mean '{suggestion}'?" if suggestion else ""))
    session = NewSession(title, minutes)
    guides = [e for e in catalogue.guides.values() if status == "draft" or not e.draft]
    session.guides = asker.pick(
        "解説ページ", [(e.key, e.about) for e in guides], [e.key for e in guides],
        lambda v: catalogue.guide(v, status, "", "guides", label), True, False)
    cases = [e for e in catalogue.cases.values() if status == "draft" or not e.draft]
    shown = [(e.key, e.about + ("（下書き）" if e.draft else "")) for e in cases]
    keys = [e.key for e in cases]
    session.cases = asker.pick("事例", shown, keys,
                               lambda v: catalogue.case(v, status, "", "cases", label),
                               True, False)

    def alternate(value: str) -> tuple[str | None, Problem | None]:
        found, problem = catalogue.case(value, status, "", "alternates", label)
        if found in session.cases:
            return None, Problem("", 0, "alternates", f"'{found}' is already a case of "
                                 f"{label}: choose another", found)
        return found, problem

    session.alternates = asker.pick("代替事例（差し替え用）", shown, keys, alternate, True, False)
    session.teaching_note = asker.text("指導メモ（講師版だけに表示。任意）")
    return session
