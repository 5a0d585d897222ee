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

import html as html_module
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from casebook.anonymize import exceptions, find_private_terms, load_private_terms, scan
from casebook.checks import check_unique_ids, read_case, read_guide
from casebook.curricula import FOLDER as CURRICULA_FOLDER
from casebook.curricula import Curriculum, check_references, read_curriculum
from casebook.library import Library
from casebook.model import Case, Document, Guide, PublishedText
from casebook.parser import ParseOptions, parse_document
from casebook.problems import CheckError, Problem
from casebook.schema import INTERNAL_FIELDS
from casebook.sources import decode
from casebook.vocabulary import Vocabulary, load_vocabulary
from pipeline.gate import attribute_values
from pipeline.options import BuildOptions
from pipeline.workers import map_in_processes

PAGE_SUFFIXES = (".md", ".markdown")
# What `content/` may publish besides pages: ordinary web assets. Anything else there (a
# backup of the deny-list, notes) is never copied into the site; a warning names it.
# Folders of the built site that the site itself writes (its scripts, styles, the theme's and
# Pagefind's bundle): no file of the docs folder may be copied into them.
SITE_FOLDERS = ("assets/casebook/", "assets/javascripts/", "assets/stylesheets/", "pagefind/")
ASSET_SUFFIXES = frozenset(
    ".png .jpg .jpeg .gif .webp .svg .avif .ico .pdf .css .js .woff .woff2 .ttf .otf".split())


@dataclass(frozen=True)
class FileJob:
    """One file to read: where it is, how it is shown to the author, what it is."""

    path: Path
    display: str  # cases/x.md, content/method/index.md
    uri: str  # its page in the site: cases/x.md, method/index.md
    kind: str  # "case", "guide" or "curriculum" (content/curricula/…)


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
    curriculum: Curriculum | None = None
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
    # the deny-list the texts were checked against (the output gate checks against it too)
    private_terms: tuple[str, ...] = ()

    def raise_problems(self) -> None:
        if self.problems:
            raise CheckError(self.problems)


class ReadCache:
    """Results of the last load (`mkdocs serve`), reused for files whose bytes are the same."""

    def __init__(self) -> None:
        self.key: tuple | None = None
        self.vocabulary: Vocabulary | None = None
        self.files: dict[str, tuple[bytes, FileResult]] = {}
        self.context: _Context | None = None  # what the files were read with


@dataclass
class _Context:
    """What every job needs; set before the workers fork, so it is shared, not pickled."""

    vocabulary: Vocabulary
    private_terms: tuple[str, ...]
    parse: ParseOptions
    search: bool


_context: _Context | None = None


@dataclass
class Found:
    """Every file of cases/ and the docs folder, sorted out."""

    jobs: list[FileJob] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)  # docs-relative
    unpublished: list[str] = field(default_factory=list)  # docs-relative
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def discover(options: BuildOptions) -> Found:
    """Which files are cases, guides, assets to publish as they are, or never published."""
    found = Found()
    root = options.root
    data_files = {options.path(options.taxonomy).resolve(),
                  options.path(options.private_terms).resolve()}
    for path in _files(options.path(options.cases_dir), root, found):
        display = _display(path, root)
        if path.suffix.lower() in PAGE_SUFFIXES:
            found.jobs.append(FileJob(path, display, f"cases/{path.stem}.md", "case"))
        else:
            found.warnings.append(f"{display}: not a case file (cases are .md files): ignored")
    docs = options.path(options.docs_dir)
    for path in _files(docs, root, found):
        display = _display(path, root)
        rel = path.relative_to(docs).as_posix()
        if path.resolve() in data_files:
            found.unpublished.append(rel)
        elif path.suffix.lower() in PAGE_SUFFIXES:
            uri = str(PurePosixPath(rel).with_suffix(".md"))
            kind = "curriculum" if rel.startswith(f"{CURRICULA_FOLDER}/") else "guide"
            found.jobs.append(FileJob(path, display, uri, kind))
            if uri != rel:
                found.unpublished.append(rel)  # published under its .md name
        elif path.suffix.lower() in ASSET_SUFFIXES:
            taken = next((folder for folder in SITE_FOLDERS if rel.startswith(folder)), None)
            if taken:
                # Copied last, it would replace the site's own script or style on every page.
                found.problems.append(Problem(display, 0, "file", f"'{taken}' holds the site's "
                                              "own scripts and styles: put this file in "
                                              "another folder", rel))
            else:
                found.assets.append(rel)
        else:
            found.unpublished.append(rel)
            found.warnings.append(f"{display}: not published (only pages and images, PDF, CSS "
                                  "and JS files are copied from the docs folder)")
    return found


def _display(path: Path, root: Path) -> str:
    """A file as its author knows it: relative to the project, if it is inside."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _files(folder: Path, root: Path, found: Found) -> list[Path]:
    """Regular files below `folder`, sorted, skipping hidden files and folders (.git).

    A symbolic link is reported, never followed: it could bring a folder from outside the
    project, unchecked, into the site. So is anything that is not a plain file (a pipe would
    block the build, a device would never end).
    """
    if not folder.is_dir():
        return []
    files = []
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        for name in list(dirnames):
            if not name.startswith(".") and (here / name).is_symlink():
                found.problems.append(Problem(_display(here / name, root), 0, "file",
                                              "a symbolic link to a folder: copy the files in "
                                              "instead (links are not followed)"))
        dirnames[:] = sorted(d for d in dirnames
                             if not d.startswith(".") and not (here / d).is_symlink())
        for name in sorted(filenames):
            path = here / name
            if name.startswith("."):
                continue
            if path.is_symlink():
                found.problems.append(Problem(_display(path, root), 0, "file",
                                              "a symbolic link: copy the file in instead "
                                              "(links are not followed)"))
            elif not stat.S_ISREG(path.lstat().st_mode):
                found.problems.append(Problem(_display(path, root), 0, "file",
                                              "not a plain file (a pipe, a device …): remove "
                                              "it"))
            else:
                files.append(path)
    return sorted(files)


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
        return Loaded(None, None, list(error.problems), [], [], [], [], ())
    term_problems: list[Problem] = []
    private_terms = tuple(load_private_terms(options.path(options.private_terms),
                                             options.private_terms, term_problems)) \
        if anonymity else ()
    parse = ParseOptions(directory_urls=options.use_directory_urls, trainer=options.trainer,
                         internal=INTERNAL_FIELDS)
    found = discover(options)
    jobs, assets, unpublished, warnings = found.jobs, found.assets, found.unpublished, \
        found.warnings
    if cache is not None:
        key = (taxonomy.read_bytes(), private_terms, anonymity, search, parse.trainer,
               parse.directory_urls)
        if cache.key != key:
            cache.key, cache.files = key, {}
        cache.vocabulary = vocabulary
    _context = _Context(vocabulary, private_terms, parse, search)
    if cache is not None:
        cache.context = _context

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
                            before_fork=_load_sudachi if todo else None,
                            keep=_SharedNouns().keep)
    for (index, job, data), result in zip(todo, done, strict=True):
        results[index] = result
        if cache is not None:
            cache.files[job.display] = (data, result)
    if cache is not None:
        shown = {job.display for job in jobs}
        cache.files = {k: v for k, v in cache.files.items() if k in shown}

    problems: list[Problem] = [*found.problems, *term_problems]
    if anonymity and not options.path(options.private_terms).exists():
        warnings.append(f"{options.private_terms}: no such file, so no private terms are "
                        "looked for (create it, even empty, to say there are none)")
    if anonymity:
        problems += _scan_vocabulary(vocabulary, private_terms)
        docs = options.path(options.docs_dir)
        for asset in assets:
            problems += _check_asset(docs / asset, f"{options.docs_dir}/{asset}", asset,
                                     private_terms)
    cases: list[Case] = []
    guides: list[Guide] = []
    curricula: list[Curriculum] = []
    for result in results:
        problems += result.problems
        if result.case is not None:
            cases.append(result.case)
        if result.guide is not None:
            guides.append(result.guide)
        if result.curriculum is not None:
            curricula.append(result.curriculum)
    check_unique_ids(cases, problems)
    unreadable = frozenset(PurePosixPath(r.job.uri).stem if r.job.kind == "case" else r.job.uri
                           for r in results if r.case is None and r.guide is None
                           and r.curriculum is None)
    check_references(curricula, cases, guides, problems, unreadable=unreadable)
    library = None
    if not problems:
        published = [c for c in cases if drafts or not c.is_draft]
        guides = [g for g in guides if drafts or not g.is_draft]
        library = Library(vocabulary, published, guides,
                          drafts=[c for c in cases if c.is_draft],
                          curricula=[c for c in curricula if drafts or not c.is_draft])
    return Loaded(library, vocabulary, problems, warnings, results, assets, unpublished,
                  private_terms)


def reread(options: BuildOptions, cache: ReadCache, assets: list[str]) -> list[FileResult] | None:
    """The cases and guides whose bytes changed since the last `load` with `cache`, read
    and checked again as that load did (`mkdocs serve` shows them before the whole rebuild).

    None when anything else changed — a file added, removed or renamed, an asset, the
    vocabulary or the deny-list — or there is no last load to compare with: only a whole
    load can say what that changes. The results go into `cache`, so the whole load that
    follows does not read them again.
    """
    global _context
    context = cache.context
    if context is None or cache.key is None or not cache.files:
        return None
    try:
        if options.path(options.taxonomy).read_bytes() != cache.key[0]:
            return None
    except OSError:
        return None
    if context.private_terms:
        terms_problems: list[Problem] = []
        terms = tuple(load_private_terms(options.path(options.private_terms),
                                         options.private_terms, terms_problems))
        if terms_problems or terms != context.private_terms:
            return None
    found = discover(options)
    if found.problems or sorted(found.assets) != sorted(assets) or \
            {job.display for job in found.jobs} != set(cache.files):
        return None
    changed = []
    for job in found.jobs:
        try:
            data = job.path.read_bytes()
        except OSError:
            return None
        if cache.files[job.display][0] != data:
            changed.append((job, data))
    _context = context
    results = [_read_job(item) for item in changed]
    for (job, data), result in zip(changed, results, strict=True):
        cache.files[job.display] = (data, result)
    return results


def load_library(root: Path | BuildOptions, *, drafts: bool = False, anonymity: bool = True,
                 cache: ReadCache | None = None) -> Library:
    """Read and check a project (a folder, or options); CheckError lists every problem.

    The files only: a whole `casebook check` also checks links between pages (Build.prepare).
    """
    options = root if isinstance(root, BuildOptions) else BuildOptions(Path(root).resolve())
    loaded = load(options, drafts=drafts, anonymity=anonymity, cache=cache)
    loaded.raise_problems()
    return loaded.library


_SVG_ACTIVE = re.compile(r"<script|\son\w+\s*=|javascript:|<foreignObject", re.I)
# An SVG opened on its own is a document: a DOCTYPE's entities can spell markup the patterns
# above do not see, and an href or url() to another host is a request the site never makes.
_SVG_ENTITIES = re.compile(r"<!DOCTYPE|<!ENTITY", re.I)
_SVG_OUTSIDE = re.compile(r"""(?:href|src)\s*=\s*["']?\s*(?:[a-z][\w+.-]*:)?//"""
                          r"""|url\(\s*["']?\s*(?:[a-z][\w+.-]*:)?//|@import""", re.I)
_TAG = re.compile(r"<[^>]*>")


def _check_asset(path: Path, display: str, rel: str,
                 private_terms: tuple[str, ...]) -> list[Problem]:
    """An asset is published as it is: its name is scanned like text, its bytes for the
    deny-list (a text file renamed .png is still text), a PDF's text as a viewer shows it
    for the deny-list too, and an SVG — text and markup a browser runs — for everything,
    scripts included."""
    problems = _scan_texts(display, [PublishedText(rel, 0, "file name")], "", private_terms,
                           [])
    try:
        data = path.read_bytes()
    except OSError as error:
        return [*problems, Problem(display, 0, "file", f"cannot read: {error.strerror}")]
    text = data.decode("utf-8", "replace")
    if path.suffix.lower() == ".svg":
        if _SVG_ACTIVE.search(text) or _SVG_ACTIVE.search(html_module.unescape(text)):
            problems.append(Problem(display, 0, "file", "an SVG with a script or an event "
                                    "handler: publish a picture without them"))
        if _SVG_ENTITIES.search(text):
            problems.append(Problem(display, 0, "file", "an SVG with a DOCTYPE or entity "
                                    "declarations: save it without them (plain SVG)"))
        if _SVG_OUTSIDE.search(html_module.unescape(text)):
            problems.append(Problem(display, 0, "file", "an SVG that loads from another host "
                                    "(href, url() or @import): the site makes no request to "
                                    "any outside host, embed or drop it"))
        readable = html_module.unescape(_TAG.sub(" ", text))
        problems += _scan_texts(display, [PublishedText(readable, 1, "text")], readable,
                                private_terms, [])
        # Attribute values (aria-label, a linked file's name) are published too: the
        # deny-list only, as path data and coordinates are no prose for the other rules.
        for finding in find_private_terms(attribute_values(text), private_terms):
            problems.append(Problem(display, 0, "file",
                                    f"private term 非公開語 '{finding.shown}' in an attribute "
                                    "of the SVG", finding.text))
    else:
        for finding in find_private_terms(text, private_terms):
            problems.append(Problem(display, 0, "file",
                                    f"private term 非公開語 '{finding.shown}' in the file's "
                                    "content", finding.text))
    if path.suffix.lower() == ".pdf" and private_terms:
        problems += _check_pdf(data, display, private_terms)
    return problems


def _check_pdf(data: bytes, display: str, private_terms: tuple[str, ...]) -> list[Problem]:
    """The deny-list in a PDF's text as a viewer shows it (pipeline/pdf_text.py)."""
    from pipeline.pdf_text import PdfUnreadable, pdf_texts

    try:
        texts = pdf_texts(data)
    except PdfUnreadable as error:
        return [Problem(display, 0, "file", f"cannot read the PDF's text to look for private "
                        f"terms ({error}): publish a PDF that opens without a password")]
    return [Problem(display, 0, "file", f"private term 非公開語 '{finding.shown}' in the PDF "
                    f"({where})", finding.text)
            for where, text in texts for finding in find_private_terms(text, private_terms)]


class _SharedNouns:
    """Each file's nouns as one shared copy of each (surface, normalised form) pair.

    Unpickled from the workers, every file's pairs were strings of their own: 150 MB at 10,000
    cases for a few thousand distinct pairs.
    """

    def __init__(self) -> None:
        self.pairs: dict[tuple[str, str], tuple[str, str]] = {}

    def keep(self, result: FileResult) -> FileResult:
        if result.search.nouns:
            result.search.nouns = frozenset(self.pairs.setdefault(pair, pair)
                                            for pair in result.search.nouns)
        return result


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
    elif job.kind == "curriculum":
        result.curriculum = read_curriculum(doc, problems)
    else:
        result.guide = read_guide(doc, context.vocabulary, problems)
    allowed = _allowed(doc, problems)
    problems += _scan_texts(doc.path, doc.texts, text, context.private_terms, allowed)
    if context.search and not problems:
        result.search = _search_data(doc, result.case)
    doc.texts = []  # scanned; not needed downstream, and not worth sending back
    return result


def _allowed(doc: Document, problems: list[Problem]) -> list[str]:
    """Text the front matter lets through wherever it occurs: `anonymization.allow`.

    (An `{anon="…"}` annotation lets through only the part it marks: the parser records it
    with the text it is in.)
    """
    return exceptions(doc.meta.get("anonymization"), doc.path,
                      doc.meta.line("anonymization"), problems)


def _scan_texts(path: str, texts: list[PublishedText], source: str,
                private_terms: tuple[str, ...], allowed: list[str]) -> list[Problem]:
    """Every identifying detail in what a page publishes, located in the source file."""
    lines = source.split("\n")
    problems = []
    seen: set[tuple[str, int, str]] = set()
    for published in texts:
        findings = scan(published.text, first_line=published.line,
                        speaker=published.field == "speaker", private_terms=private_terms,
                        allowed=allowed, allowed_spans=published.allowed,
                        breaks=published.breaks)
        segments = published.segments() if findings else []
        for finding in findings:
            key = (finding.kind, finding.line, finding.text)
            if key in seen:
                continue
            seen.add(key)
            column = finding.column
            index = finding.line - published.line
            segment = segments[index] if 0 <= index < len(segments) else ""
            written = lines[finding.line - 1] if 0 < finding.line <= len(lines) else ""
            at = written.find(segment) if segment else -1
            if at >= 0:  # the column in the file, not in the text with its markup removed
                column += at
            where = f"{finding.kind}, column {column}"
            if published.field not in ("text", "heading", "dialogue"):
                where += f", in {_FIELD_NAMES.get(published.field, published.field)}"
            if published.trainer:
                where += ", in a teaching note"
            problems.append(Problem(path, finding.line, "anonymization",
                                    f"{finding.label} '{finding.shown}' ({where})",
                                    finding.text, kind=finding.kind, column=column))
    return problems


_FIELD_NAMES = {"code": "a code block", "link": "a link address", "image": "an image's text",
                "speaker": "a dialogue speaker", "file name": "the file's name",
                "link title": "a link's or an image's title"}


def _scan_vocabulary(vocabulary: Vocabulary, private_terms: tuple[str, ...]) -> list[Problem]:
    problems = []
    for published in vocabulary.texts():
        for finding in scan(published.text, private_terms=private_terms,
                            allowed=vocabulary.allowed):
            problems.append(Problem(vocabulary.display, published.line, published.field,
                                    f"{finding.label} '{finding.shown}' ({finding.kind})",
                                    finding.text, kind=finding.kind))
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
    return SearchData(index_document(case), Counter(index_terms(case_body(case))), found)
