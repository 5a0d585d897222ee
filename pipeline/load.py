"""Load: every file of a project read once, parsed once, checked, scanned and analysed.

    loaded = load(options)      # Loaded: library, problems, warnings, search data
    loaded.raise_problems()     # CheckError listing every problem, or nothing

Each file is one job, spread over the cores (`workers.map_in_processes`): read the bytes,
decode, parse (casebook.parser: HTML and model in one walk), check against the schema and
vocabulary, scan every text the page publishes for identifying details, and — from the same
Sudachi analysis — prepare what the search outputs need (the case's index document with its
words cut, its keyword counts, the nouns Pagefind respells). Only results come back.

`ReadCache` keeps each file's result between `mkdocs serve` rebuilds; a file whose bytes are
unchanged is not read again, unless the vocabulary, the private terms or the edition changed.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from casebook.anonymize import load_private_terms, scan
from casebook.checks import check_unique_ids, read_case, read_guide
from casebook.library import Library
from casebook.model import Case, Document, Guide, PublishedText
from casebook.parser import ParseOptions, parse_document
from casebook.problems import CheckError, Problem
from casebook.schema import INTERNAL_FIELDS
from casebook.sources import decode
from casebook.vocabulary import Vocabulary, load_vocabulary
from pipeline.options import BuildOptions
from pipeline.workers import map_in_processes

PAGE_SUFFIXES = (".md", ".markdown")
# What `content/` may publish besides pages: ordinary web assets. Anything else there (a
# backup of the deny-list, notes) is never copied into the site; a warning names it.
ASSET_SUFFIXES = frozenset(
    ".png .jpg .jpeg .gif .webp .svg .avif .ico .pdf .css .js .woff .woff2 .ttf .otf".split())


@dataclass(frozen=True)
class FileJob:
    """One file to read: where it is, how it is shown to the author, what it is."""

    path: Path
    display: str  # cases/x.md, content/method/index.md
    uri: str  # its page in the site: cases/x.md, method/index.md
    kind: str  # "case" or "guide"


@dataclass
class SearchData:
    """What the search outputs take from one file, made from its one analysis."""

    # the case's Whoosh document, words already cut (search.schema.index_document)
    index_document: dict | None = None
    # index terms of the case's body and how often each occurs (related-case keywords)
    terms: Counter | None = None
    # (surface, normalised form) of nouns Pagefind adds other spellings for
    nouns: frozenset[tuple[str, str]] = frozenset()


@dataclass
class FileResult:
    job: FileJob
    problems: list[Problem]
    case: Case | None = None
    guide: Guide | None = None
    search: SearchData = field(default_factory=SearchData)


@dataclass
class Loaded:
    """A project read and checked: the library, and what went wrong."""

    library: Library | None
    vocabulary: Vocabulary | None
    problems: list[Problem]
    warnings: list[str]
    results: list[FileResult]
    # content/ files that are published as they are (images, PDF, CSS, JS), docs-relative
    assets: list[str]
    # content/ files never published, docs-relative (the adapter drops them)
    unpublished: list[str]

    def raise_problems(self) -> None:
        if self.problems:
            raise CheckError(self.problems)

    def search_data(self, case_id: str) -> SearchData | None:
        for result in self.results:
            if result.case is not None and result.case.id == case_id:
                return result.search
        return None


class ReadCache:
    """Results of the last load (`mkdocs serve`), reused for files whose bytes are the same."""

    def __init__(self) -> None:
        self.key: tuple | None = None
        self.vocabulary: Vocabulary | None = None
        self.files: dict[str, tuple[bytes, FileResult]] = {}


@dataclass
class _Context:
    """What every job needs; set before the workers fork, so it is shared, not pickled."""

    vocabulary: Vocabulary
    private_terms: tuple[str, ...]
    parse: ParseOptions
    search: bool


_context: _Context | None = None


def discover(options: BuildOptions) -> tuple[list[FileJob], list[str], list[str], list[str]]:
    """(jobs, assets, unpublished, warnings): every file of cases/ and content/ sorted out."""
    jobs: list[FileJob] = []
    assets: list[str] = []
    unpublished: list[str] = []
    warnings: list[str] = []
    root = options.root
    cases = options.path(options.cases_dir)
    data_files = {options.path(options.taxonomy).resolve(),
                  options.path(options.private_terms).resolve()}
    for path in _files(cases):
        display = _display(path, root)
        if path.suffix.lower() in PAGE_SUFFIXES:
            jobs.append(FileJob(path, display, f"cases/{path.stem}.md", "case"))
        else:
            warnings.append(f"{display}: not a case file (cases are .md files): ignored")
    docs = options.path(options.docs_dir)
    for path in _files(docs):
        display = _display(path, root)
        rel = path.relative_to(docs).as_posix()
        if path.resolve() in data_files:
            unpublished.append(rel)
        elif path.suffix.lower() in PAGE_SUFFIXES:
            uri = str(PurePosixPath(rel).with_suffix(".md"))
            jobs.append(FileJob(path, display, uri, "guide"))
            if uri != rel:
                unpublished.append(rel)  # published under its .md name by the adapter
        elif path.suffix.lower() in ASSET_SUFFIXES:
            assets.append(rel)
        else:
            unpublished.append(rel)
            warnings.append(f"{display}: not published (only pages and images, PDF, CSS and "
                            "JS files are copied from the docs folder)")
    return jobs, assets, unpublished, warnings


def _display(path: Path, root: Path) -> str:
    """A file as its author knows it: relative to the project, if it is inside."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _files(folder: Path) -> list[Path]:
    """Files below `folder`, sorted, skipping hidden files and folders (.git, .DS_Store)."""
    if not folder.is_dir():
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found += [Path(dirpath) / name for name in sorted(filenames) if not name.startswith(".")]
    return sorted(found)


def load(options: BuildOptions, *, drafts: bool = False, anonymity: bool = True,
         search: bool = True, cache: ReadCache | None = None) -> Loaded:
    """Read, parse, check, scan and analyse the whole project."""
    global _context
    taxonomy = options.path(options.taxonomy)
    try:
        if cache is not None and cache.vocabulary is not None and \
                cache.key is not None and cache.key[0] == taxonomy.read_bytes():
            vocabulary = cache.vocabulary
        else:
            vocabulary = load_vocabulary(taxonomy, display=options.taxonomy)
    except CheckError as error:
        return Loaded(None, None, list(error.problems), [], [], [], [])
    private_terms = tuple(load_private_terms(options.path(options.private_terms))) \
        if anonymity else ()
    parse = ParseOptions(directory_urls=options.use_directory_urls, trainer=options.trainer,
                         internal=INTERNAL_FIELDS)
    jobs, assets, unpublished, warnings = discover(options)
    if cache is not None:
        key = (taxonomy.read_bytes(), private_terms, anonymity, search, parse.trainer,
               parse.directory_urls)
        if cache.key != key:
            cache.key, cache.files = key, {}
        cache.vocabulary = vocabulary
    _context = _Context(vocabulary, private_terms, parse, search)

    results: list[FileResult | None] = []
    todo: list[tuple[int, FileJob, bytes | None]] = []
    for job in jobs:
        try:
            data = job.path.read_bytes()
        except OSError as error:
            results.append(FileResult(job, [Problem(job.display, 0, "file",
                                                    f"cannot read: {error.strerror}")]))
            continue
        known = cache.files.get(job.display) if cache is not None else None
        if known is not None and known[0] == data:
            results.append(known[1])
        else:
            results.append(None)
            todo.append((len(results) - 1, job, data))
    done = map_in_processes(_read_job, [(job, data) for _, job, data in todo],
                            before_fork=_load_sudachi if todo else None)
    for (index, job, data), result in zip(todo, done, strict=True):
        results[index] = result
        if cache is not None:
            cache.files[job.display] = (data, result)
    if cache is not None:
        shown = {job.display for job in jobs}
        cache.files = {k: v for k, v in cache.files.items() if k in shown}

    problems: list[Problem] = []
    if anonymity:
        problems += _scan_vocabulary(vocabulary, private_terms)
    cases: list[Case] = []
    guides: list[Guide] = []
    for result in results:
        problems += result.problems
        if result.case is not None:
            cases.append(result.case)
        if result.guide is not None:
            guides.append(result.guide)
    check_unique_ids(cases, problems)
    library = None
    if not problems:
        published = [c for c in cases if drafts or not c.is_draft]
        library = Library(vocabulary, published, guides,
                          drafts=[c for c in cases if c.is_draft])
    return Loaded(library, vocabulary, problems, warnings, results, assets, unpublished)


def load_library(root: Path | BuildOptions, *, drafts: bool = False, anonymity: bool = True,
                 cache: ReadCache | None = None) -> Library:
    """Read and check a project (a folder, or options); CheckError lists every problem.

    The files only: a whole `casebook check` also checks links between pages (Build.prepare).
    """
    options = root if isinstance(root, BuildOptions) else BuildOptions(Path(root).resolve())
    loaded = load(options, drafts=drafts, anonymity=anonymity, cache=cache)
    loaded.raise_problems()
    return loaded.library


def _load_sudachi() -> None:
    from casebook.japanese import tokenizer

    tokenizer()


def _read_job(job_data: tuple[FileJob, bytes]) -> FileResult:
    """One file, start to end (in a worker process)."""
    job, data = job_data
    context = _context
    problems: list[Problem] = []
    text = decode(data, job.display, problems)
    if text is None:
        return FileResult(job, problems)
    internal = context.parse.internal if job.kind == "case" else frozenset()
    parse = ParseOptions(context.parse.directory_urls, context.parse.trainer, internal)
    doc = parse_document(job.display, job.uri, text, context.vocabulary, problems, parse)
    result = FileResult(job, problems)
    if job.kind == "case":
        result.case = read_case(doc, context.vocabulary, problems)
    else:
        result.guide = read_guide(doc, context.vocabulary, problems)
    allowed = _allowed(doc, problems)
    problems += _scan_texts(doc.path, doc.texts, text, context.private_terms, allowed)
    if context.search and not problems:
        result.search = _search_data(doc, result.case)
    doc.texts = []  # scanned; not needed downstream, and not worth sending back
    return result


def _allowed(doc: Document, problems: list[Problem]) -> list[str]:
    """Text the anonymisation check lets through: `{anon="…"}` spans, `anonymization.allow`."""
    allowed = [a.text for a in doc.annotations if a.allow]
    config = doc.meta.get("anonymization") or {}
    allow_list = config.get("allow") if isinstance(config, dict) else None
    if allow_list is not None and not isinstance(allow_list, list):
        problems.append(Problem(doc.path, doc.meta.line("anonymization"), "anonymization.allow",
                                "expected a list of {text: …, reason: …}", str(allow_list)))
        return allowed
    for index, entry in enumerate(allow_list or []):
        line = doc.meta.line("anonymization.allow", doc.meta.line("anonymization"))
        if not isinstance(entry, dict) or not entry.get("text") or not entry.get("reason"):
            problems.append(Problem(doc.path, line, f"anonymization.allow[{index}]",
                                    "each exception needs 'text' and 'reason'", str(entry)))
            continue
        allowed.append(str(entry["text"]))
    return allowed


def _scan_texts(path: str, texts: list[PublishedText], source: str,
                private_terms: tuple[str, ...], allowed: list[str]) -> list[Problem]:
    """Every identifying detail in what a page publishes, located in the source file."""
    lines = source.split("\n")
    problems = []
    seen: set[tuple[str, int, str]] = set()
    for published in texts:
        speaker = published.field == "speaker"
        for finding in scan(published.text, first_line=published.line, speaker=speaker,
                            private_terms=private_terms, allowed=allowed):
            column = finding.column
            written = lines[finding.line - 1] if 0 < finding.line <= len(lines) else ""
            text_line = published.text.split("\n")[finding.line - published.line]
            at = written.find(text_line) if text_line else -1
            if at >= 0:
                column += at
            key = (finding.kind, finding.line, finding.text)
            if key in seen:
                continue
            seen.add(key)
            message = finding.describe().rsplit(" (", 1)[0]
            where = f"{finding.kind}, column {column}"
            if published.field not in ("text", "heading", "dialogue"):
                where += f", in {_FIELD_NAMES.get(published.field, published.field)}"
            if published.trainer:
                where += ", in a teaching note"
            problems.append(Problem(path, finding.line, "anonymization", f"{message} ({where})",
                                    finding.text))
    return problems


_FIELD_NAMES = {"code": "a code block", "link": "a link address", "image": "an image's text",
                "speaker": "a dialogue speaker"}


def _scan_vocabulary(vocabulary: Vocabulary, private_terms: tuple[str, ...]) -> list[Problem]:
    problems = []
    for published in vocabulary.texts():
        for finding in scan(published.text, private_terms=private_terms,
                            allowed=vocabulary.allowed):
            message = finding.describe().rsplit(" (", 1)[0]
            problems.append(Problem(vocabulary.display, published.line, published.field,
                                    f"{message} ({finding.kind})", finding.text))
    return problems


def _search_data(doc: Document, case: Case | None) -> SearchData:
    """The search outputs' share of this file, from the analysis the scan just did."""
    from search.analysis import index_terms
    from search.pagefind import nouns
    from search.schema import case_body, index_document

    texts = [doc.title, doc.intro, *(s.text for s in doc.sections)]
    found = frozenset(pair for text in texts if text for pair in nouns(text))
    if case is None:
        return SearchData(nouns=found)
    document = index_document(case)
    terms = Counter(index_terms(document["body"])) if "body" in document \
        else Counter(index_terms(case_body(case)))
    return SearchData(document, terms, found)
