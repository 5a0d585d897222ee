"""The author's commands: `casebook new case`, `casebook schema`, `casebook check --fix`.

The domain makes the texts (casebook/authoring.py, casebook/editor_schema.py,
casebook/fixes.py); this module reads and writes the files and talks to the author: prompts on
a terminal offering the vocabulary's choices, and a confirmation for every anonymisation fix.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from casebook.authoring import (
    ASKED_FACETS,
    EXERCISE_SOURCE,
    NewCase,
    check_kind,
    check_new_id,
    check_new_text,
    existing_ids,
    kind_of,
    missing_required,
    new_case_text,
    resolve,
    resolve_values,
    split_values,
)
from casebook.editor_schema import CASE_SCHEMA, CURRICULUM_SCHEMA, schema_texts
from casebook.facets import BY_NAME
from casebook.problems import CheckError, Problem
from casebook.schema import KINDS
from casebook.vocabulary import Facet, Vocabulary, load_vocabulary
from pipeline.options import BuildOptions, from_arguments

Say = Callable[..., None]


def add_commands(sub: argparse._SubParsersAction, common: Callable, say: Say) -> None:
    """Add `new case`, `new curriculum` and `schema` to the `casebook` command."""
    from pipeline.new_curriculum import add_curriculum_options, run_new_curriculum

    new = sub.add_parser("new", help="start a new case or curriculum file (a draft)")
    kinds = new.add_subparsers(dest="what", required=True, metavar="{case,curriculum}")
    case = kinds.add_parser("case", help="start cases/ID.md")
    common(case)
    case.add_argument("case_id", metavar="ID", help="the new case's id, e.g. ex-bakery")
    case.add_argument("--kind", default=None,
                      help="exercise (default, 演習事例) or precedent (先行事例)")
    case.add_argument("--title", default=None, help="the case's title (also its # heading)")
    case.add_argument("--alias", default=None, help="the company's alias (default: A社)")
    case.add_argument("--source", default=None, help="where a precedent comes from")
    case.add_argument("--industry-detail", default=None, help="industry in your own words")
    for name in ASKED_FACETS:
        spec = BY_NAME[name]
        case.add_argument(f"--{name}", action="append", default=[], metavar="TERM",
                          help=f"{spec.field}: any spelling the vocabulary accepts"
                               + (" (repeat, or separate with commas)" if spec.many else ""))
    _asking_options(case)
    case.set_defaults(run=lambda args: run_new(args, say))

    curriculum = kinds.add_parser(
        "curriculum", help="start content/curricula/ID.md",
        description="Sessions in order: --session TITLE MINUTES, then that session's "
                    "--guide, --case, --alternate, --session-description and --note.")
    common(curriculum)
    add_curriculum_options(curriculum)
    _asking_options(curriculum)
    curriculum.set_defaults(run=lambda args: run_new_curriculum(args, say))

    schema = sub.add_parser("schema", help=f"write the editor's JSON Schemas ({CASE_SCHEMA}, "
                                           f"{CURRICULUM_SCHEMA})")
    common(schema)
    schema.set_defaults(run=lambda args: run_schema(args, say))


def _asking_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--interactive", action="store_true",
                        help="ask for missing values even when input is not a terminal")
    parser.add_argument("--no-input", action="store_true",
                        help="never ask (missing required values are an error)")


def add_fix_options(check: argparse.ArgumentParser) -> None:
    check.add_argument("--fix", action="append", default=[],
                       choices=["normalize", "anonymize"],
                       help="normalize: rewrite values to the vocabulary's labels, add walls "
                            "annotated in the text, trim ids; anonymize: apply the proposed "
                            "replacements you confirm (on a terminal)")
    check.add_argument("--interactive", action="store_true",
                       help="with --fix anonymize: ask even when input is not a terminal")


def _vocabulary(options: BuildOptions, say: Say) -> Vocabulary | None:
    try:
        return load_vocabulary(options.path(options.taxonomy), display=options.taxonomy)
    except CheckError as error:
        say(error.report(), error=True)
        return None


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` beside `path`, then move it into place: an interrupted or failed write
    leaves the file as it was, never half-written (OSError if it could not be written)."""
    temporary = path.with_name(f".{path.name}.new-{os.getpid()}")
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise


# --- the schema ---------------------------------------------------------------------------

def write_schema(options: BuildOptions, texts: dict[str, str]) -> list[str]:
    """Write each schema (path -> text) that is missing or differs; the paths written."""
    written = []
    for shown, text in texts.items():
        path = options.path(shown)
        try:
            if path.read_text(encoding="utf-8") == text:
                continue
        except (OSError, UnicodeDecodeError):
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, text.encode("utf-8"))
        written.append(shown)
    return written


def stale_schema(options: BuildOptions, texts: dict[str, str]) -> list[Problem]:
    """Committed schemas that no longer match (a missing one is fine)."""
    problems = []
    for shown, text in texts.items():
        try:
            written = options.path(shown).read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(shown, 0, "schema", f"cannot read: {error}"))
            continue
        if written != text:
            source = options.taxonomy if shown == CASE_SCHEMA else "the published cases and guides"
            problems.append(Problem(shown, 0, "schema",
                                    f"out of date with {source}: run 'casebook schema' (a site "
                                    "build also rewrites it) and commit the file"))
    return problems


def _project(options: BuildOptions, say: Say):
    """The project read without the search data; None (problems printed) if the vocabulary
    cannot be read. Files with problems of their own are left out, not reported."""
    from pipeline.load import load

    # No anonymisation scan: what the files say is not published here (check does that).
    loaded = load(options, drafts=True, anonymity=False, search=False)
    if loaded.vocabulary is None:
        say(CheckError(loaded.problems).report(), error=True)
        return None
    return loaded


def cases_and_guides(loaded) -> tuple[list, list]:
    return ([r.case for r in loaded.results if r.case is not None],
            [r.guide for r in loaded.results if r.guide is not None])


def refresh_schemas(options: BuildOptions, say: Say) -> int:
    """Rewrite the committed schemas that are out of date (publishing a case makes the
    curriculum's so); those not committed are left to `casebook schema`. How many."""
    loaded = _project(options, lambda *a, **k: None)
    if loaded is None or loaded.problems:  # the check that follows reports them
        return 0
    texts = schema_texts(loaded.vocabulary, *cases_and_guides(loaded))
    written = write_schema(options, {shown: text for shown, text in texts.items()
                                     if options.path(shown).is_file()})
    for shown in written:
        say(f"fixed {shown}: rewritten (it was out of date)")
    return len(written)


def run_schema(args: argparse.Namespace, say: Say) -> int:
    options = from_arguments(args)
    loaded = _project(options, say)
    if loaded is None:
        return 1
    written = write_schema(options, schema_texts(loaded.vocabulary,
                                                 *cases_and_guides(loaded)))
    for shown in (CASE_SCHEMA, CURRICULUM_SCHEMA):
        say(f"{'wrote' if shown in written else 'up to date:'} {shown}")
    if loaded.problems:
        say(f"note: the project has {len(loaded.problems)} problem(s) (run 'casebook check'); "
            f"{CURRICULUM_SCHEMA} lists the cases and guides that could be read", error=True)
    return 0


# --- casebook new -------------------------------------------------------------------------

def _case_files(options: BuildOptions) -> list[str]:
    """The case files the build reads, as the project knows them (not hidden files, nor
    symbolic links: the check reports those)."""
    from pipeline.load import discover

    return [job.display for job in discover(options).jobs if job.kind == "case"]


class _Asker:
    """Questions on the terminal; each answer checked, a wrong one asked again."""

    def __init__(self, say: Say) -> None:
        self.say = say

    def line(self, prompt: str) -> str:
        return input(prompt).strip()  # EOFError at the end of the input

    def text(self, prompt: str, default: str = "") -> str:
        shown = f"（空欄で「{default}」）" if default else ""
        return self.line(f"{prompt}{shown}: ") or default

    def kind(self) -> str:
        while True:
            for number, (kind, label) in enumerate(KINDS.items(), start=1):
                self.say(f"  {number}. {kind} — {label}")
            answer = self.line("事例の種類（番号か名前。空欄で exercise）: ") or "exercise"
            if answer.isdigit() and 1 <= int(answer) <= len(KINDS):
                return list(KINDS)[int(answer) - 1]
            problem = check_kind(answer)
            if problem is None:
                return kind_of(answer)
            self.say(f"  {problem.message}" + (f" — did you mean '{problem.suggestion}'?"
                                               if problem.suggestion else ""))

    def terms(self, facet: Facet, many: bool, required: bool) -> list[str]:
        def resolved(value: str) -> tuple[str | None, Problem | None]:
            term, problem = resolve(facet, value, "", facet.name)
            return (term.label if term else None), problem

        return self.pick(facet.label, [(f"{t.code} {t.label}" if t.code else t.label,
                                        t.description) for t in facet.terms],
                         [t.label for t in facet.terms], resolved, many, required,
                         example=(facet.terms[10].label, facet.terms[10].synonyms[0]
                                  if facet.terms[10].synonyms else "")
                         if len(facet.terms) > 10 else None)

    def pick(self, label: str, shown: list[tuple[str, str]], keys: list[str],
             resolved: Callable[[str], tuple[str | None, Problem | None]], many: bool,
             required: bool, example: tuple[str, str] | None = None) -> list[str]:
        """Ask for one or more of `keys` (listed as `shown`: name, description) by number or
        by any name `resolved` accepts; a wrong one is named with its did-you-mean."""
        self._choices(label, shown, example)
        need = "必須" if required else "任意・空欄で省略"
        how = "番号か名前。複数はカンマで区切る" if many else "番号か名前を1つ"
        while True:
            answer = self.line(f"{label}（{how}・{need}）: ")
            if not answer:
                if required:
                    self.say("  必須です。")
                    continue
                return []
            values = split_values(answer) if many else [answer]
            found, wrong = [], []
            for value in values:
                key, problem = resolved(value)
                if problem and value.isdigit() and 1 <= int(value) <= len(keys):
                    key, problem = keys[int(value) - 1], None
                if problem:
                    wrong.append(problem)
                elif key not in found:
                    found.append(key)
            for problem in wrong:
                self.say(f"  {problem.message}" + (f" — did you mean '{problem.suggestion}'?"
                                                   if problem.suggestion else ""))
            if not wrong and found and (many or len(found) == 1):
                return found

    def _choices(self, label: str, shown: list[tuple[str, str]],
                 example: tuple[str, str] | None) -> None:
        self.say(f"{label}:")
        if len(shown) > 25:
            self.say(f"  （{len(shown)} 語。例: {'、'.join(e for e in example or () if e)}）")
            return
        for number, (name, description) in enumerate(shown, start=1):
            about = description.replace("\n", "")
            about = about if len(about) <= 48 else about[:47] + "…"
            self.say(f"  {number:>2}. {name}" + (f" — {about}" if about else ""))

    def lines(self, prompt: str) -> list[str]:
        """Several answers, one a line, until an empty line."""
        out = []
        while answer := self.line(f"{prompt}（{len(out) + 1} つ目。空欄で終わり）: "):
            out.append(answer)
        return out


def _refused(problems: list[Problem], say: Say) -> int:
    say(CheckError(problems).report(), error=True)
    return 2


def _asks(args: argparse.Namespace) -> bool:
    return not args.no_input and (args.interactive or sys.stdin.isatty())


def _asked(ask: Callable[[], None], say: Say) -> bool:
    """Run the questions; False if the author ended the input or pressed Ctrl+C."""
    try:
        ask()
    except (EOFError, KeyboardInterrupt):
        say("\ncasebook new: stopped: nothing written", error=True)
        return False
    return True


def _create(options: BuildOptions, folder: Path, name: str, schema: str,
            text: Callable[[str], str], say: Say) -> Path | None:
    """Write a new file (never over an existing one) whose first line names `schema`."""
    path = folder / name
    schema_ref = os.path.relpath(options.path(schema), folder).replace(os.sep, "/")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as out:
            out.write(text(schema_ref))
    except FileExistsError:  # made meanwhile
        say(f"casebook new: {path.relative_to(options.root).as_posix()} already exists",
            error=True)
        return None
    return path


def run_new(args: argparse.Namespace, say: Say) -> int:
    options = from_arguments(args)
    vocabulary = _vocabulary(options, say)
    if vocabulary is None:
        return 1
    files = _case_files(options)
    problems = check_new_id(args.case_id, existing_ids(files), "casebook new")
    given = {name: [v for raw in getattr(args, name) for v in
                    (split_values(raw) if BY_NAME[name].many else [raw.strip()])]
             for name in ASKED_FACETS if getattr(args, name)}
    labels, value_problems = resolve_values(given, vocabulary)
    problems += value_problems
    if args.kind is not None and (problem := check_kind(args.kind)):
        problems.append(problem)
    if problems:
        return _refused(problems, say)
    case = NewCase(id=args.case_id.strip(), kind=kind_of(args.kind or "exercise"),
                   title=args.title or "", alias=args.alias or "", source=args.source or "",
                   industry_detail=args.industry_detail or "", terms=labels)
    if _asks(args) and not _asked(lambda: _ask(case, args, vocabulary, _Asker(say)), say):
        return 2
    missing = [Problem("casebook new", 0, f"--{name}",
                       f"{BY_NAME[name].field} is required: give one of "
                       + ", ".join(t.label for t in vocabulary[name].terms))
               for name in missing_required(case)]
    missing += check_new_text(case)
    if case.kind == "precedent" and not case.source:
        missing.append(Problem("casebook new", 0, "--source",
                               "a precedent must cite its source"))
    if missing:
        return _refused(missing, say)
    path = _create(options, options.path(options.cases_dir), f"{case.id}.md", CASE_SCHEMA,
                   lambda ref: new_case_text(case, vocabulary, ref), say)
    if path is None:
        return 2
    if write_schema(options, schema_texts(vocabulary)):
        say(f"wrote {CASE_SCHEMA} (completion in editors with the YAML language server)")
    shown = path.relative_to(options.root).as_posix()
    say(f"created {shown} (status: draft)")
    say("next: write the sections, then run 'casebook check' and 'make serve'; set "
        "'status: published' when it is ready")
    return 0


def _ask(case: NewCase, args: argparse.Namespace, vocabulary: Vocabulary,
         asker: _Asker) -> None:
    """Ask for every value the command line did not give."""
    terms = case.terms if case.terms is not None else {}
    if args.kind is None:
        case.kind = asker.kind()
    if not case.title:
        case.title = asker.text("タイトル（本文の # 見出しにもなります）")
    if not args.alias:
        case.alias = asker.text("匿名の呼び名", "A社")
    for name in ASKED_FACETS:
        if name not in terms:
            spec = BY_NAME[name]
            terms[name] = asker.terms(vocabulary[name], spec.many, spec.required)
    if not case.source:
        default = EXERCISE_SOURCE if case.kind == "exercise" else ""
        while True:
            case.source = asker.text("出典（資料名・発行者・発行年月・資料内の位置）", default)
            if case.source or case.kind != "precedent":
                break
            asker.say("  先行事例には出典が必要です。")
    case.terms = terms


# --- casebook check --fix -----------------------------------------------------------------

def fix_normalize(options: BuildOptions, vocabulary: Vocabulary, say: Say) -> int:
    """Make the safe fixes in every case file; print each change. The number of changes."""
    from casebook.fixes import normalize_case

    count = 0
    for shown in sorted(_case_files(options)):
        path = options.path(shown)
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the check reports it
        fixed, changes = normalize_case(text, shown, vocabulary)
        if not changes:
            continue
        try:
            replace_file(path, fixed.encode("utf-8"))
        except OSError as error:
            say(f"not fixed: cannot write {shown}: {error.strerror or error}; the file is as "
                "it was", error=True)
            break
        for change in changes:
            say(f"fixed {change}")
        count += len(changes)
    return count


def anonymization_proposals(options: BuildOptions) -> tuple[list, list[Problem]]:
    """The replacements proposed for the project's anonymisation findings, and the findings
    nothing is proposed for (to be rewritten by hand)."""
    from casebook.fixes import proposal_for
    from pipeline.load import load

    loaded = load(options, drafts=True, search=False)
    aliases = {}
    for result in loaded.results:
        if result.case is not None:
            aliases[result.case.doc.path] = result.case.alias
        elif result.job.kind == "case":
            aliases[result.job.display] = _alias_of(result.job.path)
    proposals, by_hand = [], []
    for problem in loaded.problems:
        if problem.field != "anonymization":
            continue
        proposal = proposal_for(problem, aliases)
        if proposal is None:
            by_hand.append(problem)
        else:
            proposals.append(proposal)
    return proposals, by_hand


def _alias_of(path: Path) -> str:
    """The alias in a case file's front matter, read as the check reads it ("" if the check
    refuses the front matter: anchors, duplicate keys, broken YAML)."""
    from casebook.sources import load_yaml, split_front_matter

    try:
        raw, _, _ = split_front_matter(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return ""
    data, _ = load_yaml(raw or "", path.name, [], first_line=2)
    alias = data.get("alias") if isinstance(data, dict) else None
    return alias if isinstance(alias, str) else ""


def proposal_lines(problems: list[Problem], root: Path) -> list[str]:
    """What `casebook check` adds under its report: the replacements `--fix anonymize` offers."""
    from casebook.fixes import proposal_for

    aliases: dict[str, str] = {}
    proposals = []
    for problem in problems:
        if problem.field == "anonymization" and problem.path not in aliases:
            aliases[problem.path] = _alias_of(root / problem.path)
        proposal = proposal_for(problem, aliases)
        if proposal is not None:
            proposals.append(f"  {proposal.describe()}")
    if not proposals:
        return []
    return ["proposed replacements (confirm each with 'casebook check --fix anonymize' on a "
            "terminal):", *proposals]


def fix_anonymize(options: BuildOptions, say: Say, asking: bool) -> int:
    """Offer each proposed replacement; apply those the author confirms. How many applied."""
    from casebook.fixes import apply_replacement

    proposals, by_hand = anonymization_proposals(options)
    if not proposals and not by_hand:
        return 0
    if not asking:
        say("proposed replacements (run 'casebook check --fix anonymize' on a terminal to "
            "confirm each; nothing was changed):", error=True)
        for proposal in proposals:
            say(f"  {proposal.describe()}", error=True)
    applied = 0
    for proposal in proposals if asking else ():
        answer = ""
        while answer not in ("y", "n"):
            try:
                line = input(f"{proposal.describe()}  適用しますか? [y/N]: ")
            except EOFError:
                line = "n"
            answer = line.strip().lower()[:1] or "n"
        if answer != "y":
            say("  skipped")
            continue
        path = options.path(proposal.path)
        text = path.read_bytes().decode("utf-8")
        fixed = apply_replacement(text, proposal)
        if fixed is None:
            say(f"  not applied: '{proposal.text}' is not written like that on line "
                f"{proposal.line} (markup inside it?): fix it by hand", error=True)
            continue
        try:
            replace_file(path, fixed.encode("utf-8"))
        except OSError as error:
            say(f"  not applied: cannot write {proposal.path}: {error.strerror or error}; "
                "the file is as it was", error=True)
            break
        applied += 1
        say(f"fixed {proposal.describe()}")
    for problem in by_hand:
        say(f"no safe replacement, rewrite by hand: {problem}", error=True)
    return applied


def run_fixes(args: argparse.Namespace, say: Say) -> bool:
    """Run the fixes asked for; False if the vocabulary cannot be read."""
    options = from_arguments(args)
    vocabulary = _vocabulary(options, say)
    if vocabulary is None:
        return False
    if "normalize" in args.fix:
        count = fix_normalize(options, vocabulary, say)
        count += refresh_schemas(options, say)
        say(f"normalize: {count} change{'s' if count != 1 else ''}")
    if "anonymize" in args.fix:
        asking = args.interactive or sys.stdin.isatty()
        count = fix_anonymize(options, say, asking)
        say(f"anonymize: {count} replacement{'s' if count != 1 else ''} applied")
    return True
