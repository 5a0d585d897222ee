"""Index a built site with Pagefind, for search in the browser without a server.

    stats = index_site(Path("site"), library.vocabulary)

Pagefind reads the HTML the site engine wrote; only what the theme marks `data-pagefind-body`
(the article) is indexed, so navigation and sidebars never match.

Why Pagefind reads a re-spelt copy of each page
-----------------------------------------------
Pagefind cuts Japanese into words twice, and differently: the extended build with Lindera when
indexing, the browser's Intl.Segmenter when searching (Pagefind issue #1237). A query is then
looked up as words the index does not have. 付いてこない is indexed as 付い|て|こ|ない but
searched as 付|い|てこ|ない and finds nothing; 資金繰り is searched whole, is not a word of the
index, and Pagefind falls back to 資金, so every page about 資金 matches.

So Pagefind gets a copy of each page in which every run of kanji and kana is spelt as
character bigrams: each character becomes one letter-and-digit word naming itself and the next
character (資金繰り → 資金 金繰 繰り り∅). No segmenter can cut such a word, the page script
(plugins/overrides/assets/casebook/search.js) spells a query the same way, and Pagefind's
every-word-must-match search finds 後継 in 後継者 but not in 六十日後. The script turns the
words of an excerpt back into the characters they name. The site's own HTML is not changed.

Each copy also gets the other spellings of words the page uses (付いてこない and ついてこない,
引継ぎ and 引き継ぎ), so a search in either spelling finds it.
"""

from __future__ import annotations

import functools
import html
import itertools
import json
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from casebook.html import Markup
from casebook.html import html as casebook_html
from casebook.model import Case
from casebook.vocabulary import Vocabulary
from search import leftovers
from search.errors import SearchError

# Where the search bundle goes, relative to the site: pages load it from <root>/pagefind/.
BUNDLE_DIR = "pagefind"

# Parts of an article that repeat other pages' text: indexed, every listing of case cards
# (term pages, the matrix, a guide's case list) and every "related cases" block would match a
# search for any case it lists, burying the case itself. The permalink "¶" is noise.
# A badge in running text (a term's label after the words it marks) would run into the
# sentence of an excerpt (聴いた傾聴。); the case's terms are indexed from its header card. The
# 「壁を伏せて読む」 switch is a control, not text.
EXCLUDED_SELECTORS = (".headerlink", ".cb-cards", ".cb-related", ".cb-badge--in-text",
                      ".cb-hide-walls")

# The spelling shared with search.js; change both together (tests/browser checks they agree).
# MARKER starts every bigram word. It is a letter (so segmenters keep the word whole) that no
# page uses, so no real word is a prefix of a bigram word and Pagefind's fall-back to the
# longest indexed prefix of an unknown word finds nothing instead of something unrelated.
MARKER = "\u01c2"  # ǂ
# Whitespace the page had, as a word of its own: the spelling puts spaces around every run, so
# without it an excerpt could not tell 見えない 向き合わない (two badges) from 見えない向き合わない.
GAP = "\u01c1"  # ǁ
CJK = ("\u3005-\u3007\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff"
       "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f")
_RUN = re.compile(f"[{CJK}]+")
_SPACE = re.compile(r"\s+")
_KANJI = re.compile("[\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_LATIN = re.compile("[A-Za-z0-9]")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_END = 0  # stands for "no next character" after the last character of a run

# Pagefind's language for the copy: any language it does not segment (zh, ja, th) or stem.
INDEX_LANGUAGE = "und"

# Pagefind holds every page it indexes in memory at once, some 0.5 MB a case page (5 GB at
# 10,000 cases). A larger site is indexed in parts of this many pages, one after another, each
# a bundle of its own: pagefind/ and pagefind/part-2/ …, listed in PARTS_FILE. The page
# script merges them (Pagefind's mergeIndex) and searches them as one. 500 pages take Pagefind
# about 290 MB (1,000 took 570 MB, the largest share of a 10,000-case build's peak memory);
# a query reads one more index chunk per part (bench/README.md).
PART_PAGES = 500
PARTS_FILE = "casebook-parts.json"

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})
_TIMEOUT_SECONDS = 300
# The copies Pagefind reads are written to <tmp>/casebook-pagefind-<pid>-<random>/.
COPY_PREFIX = "casebook-pagefind-"


class PagefindError(SearchError):
    """Pagefind is missing or could not index the site."""


@dataclass(frozen=True)
class PagefindStats:
    """What one indexing run did."""

    pages: int
    words: int  # distinct words, added up over the parts
    filters: int
    variants: int
    seconds: float
    bundle: Path
    parts: int = 1


@functools.cache
def _base36(code: int) -> str:
    # Cached: a 1,000-case site spells about six million characters, from a few thousand kinds.
    digits = ""
    for _ in range(4):  # 36**4 > 0x10FFFF: every code point fits
        code, digit = divmod(code, 36)
        digits = _DIGITS[digit] + digits
    return digits


def bigram_words(run: str) -> list[str]:
    """The words a run of kanji and kana is indexed as: one per character, with its successor."""
    codes = [_base36(ord(char)) for char in run]
    codes.append(_base36(_END))
    return [MARKER + codes[i] + codes[i + 1] for i in range(len(run))]


# Runs repeat across pages (labels, headings, the phrases of a field): spell each once.
@functools.lru_cache(maxsize=65536)
def _spelt_run(run: str) -> str:
    return " " + " ".join(bigram_words(run)) + " "


def spell(text: str) -> str:
    """Text as Pagefind indexes it: NFKC-folded, each run of kanji and kana as bigram words.

    The two letters the spelling is made of are taken out of the page's own text first: a
    page could otherwise write index words itself, which the search box would show decoded.
    """
    text = unicodedata.normalize("NFKC", text).replace(MARKER, "").replace(GAP, "")
    text = _SPACE.sub(f" {GAP} ", text)
    return _RUN.sub(lambda run: _spelt_run(run.group()), text)


class SpellingVariants:
    """Other spellings of the words a text uses, so a search in any spelling finds it.

    Two sources: the vocabulary's synonyms that read the same as another name of their
    term (付いてこない, ついてこない, 付いて来ない; not 見えない and 見えていない, which read
    differently), and Sudachi's normalised form of nouns, with every spelling of it seen on
    the site (引継ぎ → 引き継ぎ, and 引き継ぎ → 引継ぎ when some page writes it so).
    """

    def __init__(self, groups: Iterable[Iterable[str]] = (),
                 nouns: dict[str, set[str]] | None = None) -> None:
        self.groups = [frozenset(g) for g in groups if len(set(g)) > 1]
        # normalised form -> every spelling of it on the site, the normalised form included
        self.nouns = nouns or {}
        # One-character spellings would match inside unrelated words when looked up as text.
        self._noun_groups = [frozenset(s) for s in self.nouns.values()
                             if all(len(spelling) > 1 for spelling in s)]

    @classmethod
    def build(cls, vocabulary: Vocabulary | None, texts: Iterable[str] = (),
              pairs: Iterable[tuple[str, str]] = ()) -> SpellingVariants:
        """From the vocabulary's synonyms, and the nouns of `texts` or already found `pairs`
        of (surface, normalised form)."""
        groups: list[set[str]] = []
        if vocabulary is not None:
            for facet in vocabulary:
                for term in facet.terms:
                    by_reading: dict[str, set[str]] = defaultdict(set)
                    for name in (term.label, *term.synonyms):
                        name = unicodedata.normalize("NFKC", name)
                        if _RUN.search(name):
                            by_reading[_reading(name)].add(name)
                    groups += by_reading.values()
        spellings: dict[str, set[str]] = defaultdict(set)
        for surface, normalized in itertools.chain(pairs, *(nouns(t) for t in texts)):
            spellings[normalized] |= {surface, normalized}
        return cls(groups, {n: s for n, s in spellings.items() if len(s) > 1})

    def of(self, text: str) -> list[str]:
        """Spellings the text does not use of words it does use."""
        found: set[str] = set()
        for group in self.groups:
            if any(name in text for name in group):
                found |= group
        # Looked up as strings, not by cutting the text into words again: a page is made of
        # what `build` read, and Sudachi over every page was a quarter of the search stage.
        for spellings in self._noun_groups:
            if any(spelling in text for spelling in spellings):
                found |= spellings
        return sorted(v for v in found if v not in text)


def _reading(text: str) -> str:
    from casebook.japanese import analyse, fold

    return "".join(m.reading for m in analyse(fold(text).text))


def nouns(text: str) -> Iterable[tuple[str, str]]:
    """(surface, normalised form) of each noun written in kanji that could be respelt.

    From the shared analysis (casebook.japanese.analyse): a build has cut every published
    line into words once already, for the anonymisation check.
    """
    from casebook.japanese import analyse, fold, part_of_speech

    for line in text.split("\n"):
        if not _RUN.search(line):
            continue
        for morph in analyse(fold(line).text):
            pos = part_of_speech(morph.pos)
            surface, normalized = morph.surface, morph.normalized
            # Kanji on both sides: 引継ぎ/引き継ぎ, 取組/取り組み. Not とき → 時 or E → e.
            if (pos[0] == "名詞" and pos[1] != "数詞"
                    and _KANJI.search(surface) and _KANJI.search(normalized)
                    and not _LATIN.search(surface + normalized)):
                yield surface, normalized


# A tag, comment, doctype or processing instruction; attribute values may hold ">".
_MARKUP = re.compile(
    r"<!--.*?-->|<![^>]*>|<\?[^>]*>"
    r"|<(/?)([A-Za-z][\w:.-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S)
_CLASS = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
_BODY_ATTRIBUTE = re.compile(r"(?:^|\s)data-pagefind-body(?:[\s=/]|$)")
_RAW_END = {"script": re.compile(r"</script\s*>", re.I), "style": re.compile(r"</style\s*>", re.I)}


class _Respelling:
    """A copy of (part of) a page with its text spelt for the index, and the text indexed.

    A scan with regular expressions, not html.parser: the markup is what our templates and
    Markdown wrote, and the parser's callbacks were most of Pagefind's stage at 1,000 cases.
    """

    def __init__(self, html_text: str, excluded_classes: frozenset[str]) -> None:
        self.out: list[str] = []
        self.text: list[str] = []
        self.body_at: int | None = None  # index in `out` of the indexed element's end tag
        stack: list[str] = []
        body_depth: int | None = None  # stack depth of the indexed element while open
        excluded_depth: int | None = None
        at = 0
        while True:
            markup = _MARKUP.search(html_text, at)
            data = html_text[at: markup.start() if markup else len(html_text)]
            if data:
                indexed = body_depth is not None and excluded_depth is None
                # Pagefind skips excluded elements (--exclude-selectors): no need to spell them.
                self.out.append(spell(data) if excluded_depth is None else data)
                if indexed:
                    self.text.append(html.unescape(data))
            if markup is None:
                break
            at = markup.end()
            self.out.append(markup.group())
            closing, tag, attrs = markup.group(1, 2, 3)
            if tag is None:
                continue  # comment, doctype, processing instruction
            tag = tag.lower()
            if closing:
                if tag not in stack:
                    continue
                while stack:
                    if excluded_depth is not None and len(stack) <= excluded_depth:
                        excluded_depth = None
                    if body_depth is not None and len(stack) <= body_depth:
                        body_depth = None
                        self.body_at = len(self.out) - 1
                    if stack.pop() == tag:
                        break
                continue
            if tag in _VOID or attrs.rstrip().endswith("/"):
                continue
            if tag in _RAW_END:  # copied as it is, up to its end tag
                end = _RAW_END[tag].search(html_text, at)
                stop = end.start() if end else len(html_text)
                self.out.append(html_text[at:stop])
                at = stop
            stack.append(tag)
            if self.body_at is None and body_depth is None and _BODY_ATTRIBUTE.search(attrs):
                body_depth = len(stack)
            if excluded_depth is None:
                found = _CLASS.search(attrs)
                if found and excluded_classes & set(html.unescape(
                        found.group(1) or found.group(2) or found.group(3) or "").split()):
                    excluded_depth = len(stack)
        self._open_body = body_depth is not None

    def end_of_body(self) -> int | None:
        """Where the indexed element ends in `out`; its document's end if never closed."""
        return len(self.out) if self.body_at is None and self._open_body else self.body_at


# Written by plugins/overrides/main.html right after the indexed element.
BODY_END = "<!--cb-pagefind-body-end-->"


@dataclass
class _Page:
    """One page of the built site, spelt for the index."""

    path: str  # relative to the site
    parts: list[str]
    body_at: int
    text: str

    @classmethod
    def spell(cls, path: str, page: str, excluded_classes: frozenset[str]) -> _Page | None:
        """The page (`path` relative to the site) spelt for the index; None if not indexed."""
        # Only the indexed element needs respelling: the navigation around it is most of a
        # page, and parsing it cost over half of Pagefind's stage at 1,000 cases.
        start = page.find("data-pagefind-body")
        end = page.find(BODY_END, start)
        if start < 0:
            return None  # Pagefind skips pages without data-pagefind-body; so do we
        start = page.rfind("<", 0, start)
        end = len(page) if end < 0 else end
        parser = _Respelling(page[start:end], excluded_classes)
        body_at = parser.end_of_body()
        if body_at is None:
            return None
        text = unicodedata.normalize("NFKC", "".join(parser.text))
        parts = [page[:start], *parser.out, page[end:]]
        return cls(path, parts, body_at + 1, text)

    def html(self, variants: list[str]) -> str:
        if not variants:
            return "".join(self.parts)
        # Last, so excerpts of the page's own text do not run into it, and light, so a page that
        # only has another spelling ranks below one that has the query's.
        extra = casebook_html('<p data-pagefind-weight="0.5">{}</p>', spell(" ".join(variants)))
        return "".join(self.parts[: self.body_at] + [extra] + self.parts[self.body_at:])


def term_names(case: Case) -> str:
    """The names of a case's terms, synonyms included, one per line (as facets_text)."""
    names = [name for terms in case.facets.values() for term in terms
             for name in (term.label, *term.synonyms)]
    if case.industry_detail:
        names.append(case.industry_detail)
    return "\n".join(dict.fromkeys(names))


def page_copy(title: str, article: str, terms: str = "") -> str:
    """A page as Pagefind reads it: its article (the HTML inside data-pagefind-body, which
    is all Pagefind indexes) under its title, without the theme around it.

    `terms`: the names of a case's terms, synonyms included, one per line (the Whoosh
    index's facets_text): the case page shows only the labels, and 物流 or ものづくり should
    find the cases tagged 運輸業，郵便業 or 製造業, in the browser as in `casebook search`.
    """
    return casebook_html(
        '<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{0}</title></head>'
        '<body><div data-pagefind-body data-pagefind-meta="title[data-cb-title]" '
        'data-cb-title="{0}">{1}{2}</div>{3}</body></html>', title, Markup(article),
        casebook_html('<p>{}</p>', terms) if terms else "", Markup(BODY_END))


def extended_binary() -> Path:
    """The Pagefind executable installed with `pagefind[extended]`."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise PagefindError(
            "Pagefind is not installed: pip install 'pagefind[extended]'") from None
    try:
        return get_executable()
    except FileNotFoundError as error:
        raise PagefindError(f"Pagefind's binary is missing: {error}") from None


def index_site(site_dir: Path, vocabulary: Vocabulary | None = None, *,
               skip: Iterable[str] = (),
               exclude: tuple[str, ...] = EXCLUDED_SELECTORS,
               variants: SpellingVariants | None = None,
               cache: dict | None = None) -> PagefindStats:
    """Write `site_dir/pagefind/`, the search bundle for every page marked data-pagefind-body.

    `skip` names pages (paths relative to the site, e.g. `matrix/index.html`) left out of the
    index: listings whose every line is another page's title would outrank the pages listed.
    `variants`: the other spellings to add, built beforehand from the texts the pages were
    made from (a site build does that in a second process); without, they are built from the
    pages' text, with the vocabulary's synonyms. `cache`, kept between the builds of
    `mkdocs serve`, spares respelling the pages that did not change.
    """
    indexer = SiteIndexer(site_dir, vocabulary, skip=skip, exclude=exclude, cache=cache)
    return indexer.finish(variants)


class SiteIndexer:
    """Pagefind's bundle for a site whose pages can be handed over as they are written.

        indexer = SiteIndexer(site_dir, vocabulary, skip=["matrix/index.html"], variants=v)
        indexer.add("cases/a-parts/index.html", html)   # while the site is being written
        stats = indexer.finish()                        # the rest is read from site_dir

    With the other spellings known from the start, each page's copy is written as soon as
    the page is added, so that work runs alongside the rest of the build (pipeline/build.py
    runs this in a second process) and only Pagefind itself is left for the end.
    `index_site` adds nothing and reads every page from disk.
    """

    def __init__(self, site_dir: Path, vocabulary: Vocabulary | None = None, *,
                 skip: Iterable[str] = (), exclude: tuple[str, ...] = EXCLUDED_SELECTORS,
                 variants: SpellingVariants | None = None, cache: dict | None = None,
                 from_disk: bool = True, part_pages: int = PART_PAGES) -> None:
        self.started = time.monotonic()
        self.site_dir = Path(site_dir)
        self.vocabulary = vocabulary
        self.skip = {Path(rel).as_posix() for rel in skip}
        self.exclude = exclude
        self.excluded_classes = frozenset(
            s[1:] for s in exclude if re.fullmatch(r"\.[\w-]+", s))
        self.variants = variants
        self.cache = cache
        # Read the pages not added from site_dir at the end (False: every page was added).
        self.from_disk = from_disk
        self.pages: dict[str, _Page | None] = {}
        self.added = 0  # other spellings written into the copies
        self._fresh: dict = {}
        scratch = Path(tempfile.gettempdir())
        leftovers.remove_stale(scratch, COPY_PREFIX)  # left by a build that was killed
        self._copy = leftovers.make(scratch, COPY_PREFIX)
        self._written: set[str] = set()
        self.part_pages = max(1, part_pages)
        self._part: dict[str, int] = {}  # page → the part it is indexed in, from 1

    def add(self, path: str, html_text: str) -> None:
        """A page of the site (`path` relative to it), as it is or will be written."""
        if path in self.skip or path.startswith(f"{BUNDLE_DIR}/"):
            return
        if self.cache is not None:
            key = (path, html_text)
            page = self.cache.get(key) or _Page.spell(path, html_text, self.excluded_classes)
            self._fresh[key] = page
        else:
            page = _Page.spell(path, html_text, self.excluded_classes)
        self.pages[path] = page
        self._written.discard(path)
        if page is not None and self.variants is not None:
            self._write(page)
            if self.cache is None:  # written: its text is only needed if it is cached
                self.pages[path] = _Page(page.path, [], 0, "")

    def _write(self, page: _Page) -> None:
        others = self.variants.of(page.text)
        self.added += len(others)
        part = self._part.setdefault(page.path, len(self._part) // self.part_pages + 1)
        target = self._copy / str(part) / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.html(others), encoding="utf-8")
        self._written.add(page.path)

    def finish(self, variants: SpellingVariants | None = None,
               bundle: Path | None = None) -> PagefindStats:
        """Read the pages not added from disk, write the remaining copies, run Pagefind.

        The bundle goes to `site_dir/pagefind/`, or to `bundle` (a build runs Pagefind while
        the site is still being written, and moves the bundle in afterwards).
        """
        try:
            return self._finish(variants, bundle or self.site_dir / BUNDLE_DIR)
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the copies (done by `finish`; call it if `finish` never will be)."""
        shutil.rmtree(self._copy, ignore_errors=True)

    def _finish(self, variants: SpellingVariants | None, bundle: Path) -> PagefindStats:
        binary = extended_binary()
        for file in sorted(self.site_dir.rglob("*.html")) if self.from_disk else ():
            path = file.relative_to(self.site_dir).as_posix()
            if path not in self.pages and bundle not in file.parents:
                self.add(path, file.read_text(encoding="utf-8"))
        if self.cache is not None:  # only this build's pages: old versions would only take memory
            self.cache.clear()
            self.cache.update(self._fresh)
        pages = [page for _, page in sorted(self.pages.items()) if page is not None]
        if not pages:
            raise PagefindError(
                f"no page in {self.site_dir} has a data-pagefind-body element: is the casebook "
                f"theme override (plugins/overrides/main.html) in use?")
        if self.variants is None:
            self.variants = variants or SpellingVariants.build(
                self.vocabulary, (page.text for page in pages))
        for page in pages:
            if page.path not in self._written:
                self._write(page)
        shown = {page.path for page in pages}
        for path in set(self._part) - shown:  # gone since the last build (`mkdocs serve`)
            (self._copy / str(self._part.pop(path)) / path).unlink(missing_ok=True)
        shutil.rmtree(bundle, ignore_errors=True)
        parts = sorted({self._part[page.path] for page in pages})
        indexed = words = filters = 0
        for part in parts:  # one after another: only one part's pages are in memory
            target = bundle if part == parts[0] else bundle / f"part-{part}"
            output = self._index_part(binary, self._copy / str(part), target,
                                      first=part == parts[0])
            indexed += _count(output, "page")
            words += _count(output, "word")
            filters = max(filters, _count(output, "filter"))
            if not (target / "pagefind-entry.json").is_file():
                raise PagefindError(f"Pagefind wrote no bundle for {self.site_dir}:\n"
                                    f"{_tail(output)}")
        (bundle / PARTS_FILE).write_text(json.dumps(
            {"parts": [f"part-{part}/" for part in parts[1:]]}), encoding="utf-8")
        if indexed != len(pages) or not (bundle / "pagefind.js").is_file():
            raise PagefindError(
                f"Pagefind indexed {indexed} of {len(pages)} pages of {self.site_dir}")
        return PagefindStats(pages=indexed, words=words, filters=filters, variants=self.added,
                             seconds=time.monotonic() - self.started, bundle=bundle,
                             parts=len(parts))

    def _index_part(self, binary: Path, copies: Path, target: Path, first: bool) -> str:
        # Pagefind empties its output folder: a later part is written apart, then moved in.
        output = target if first else self._copy / f"bundle-{target.name}"
        command = [str(binary), "--site", str(copies), "--output-path", str(output.resolve()),
                   "--force-language", INDEX_LANGUAGE]
        for selector in self.exclude:
            command += ["--exclude-selectors", selector]
        result = _run(command, self.site_dir)
        if not first and output.is_dir():
            shutil.move(output, target)  # from the temporary folder: maybe another disk
        return result


def _run(command: list[str], site_dir: Path) -> str:
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=_TIMEOUT_SECONDS,
                             check=False, preexec_fn=leftovers.die_with_parent)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PagefindError(f"Pagefind could not index {site_dir}: {error}") from None
    output = run.stdout + run.stderr
    if run.returncode != 0:
        raise PagefindError(
            f"Pagefind failed indexing {site_dir} (exit {run.returncode}):\n{_tail(output)}")
    return output


def _count(output: str, noun: str) -> int:
    # Pagefind's summary: "Indexed 12 pages", "Indexed 1 filter".
    found = re.search(rf"Indexed (\d+) {noun}s?\b", output)
    return int(found.group(1)) if found else 0


def _tail(output: str, lines: int = 20) -> str:
    return "\n".join(output.strip().splitlines()[-lines:])
