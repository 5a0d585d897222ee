"""Japanese text analysis for the index: Sudachi words, their pieces, and character bigrams."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

from whoosh.analysis import CompositeAnalyzer, Filter, LowercaseFilter, Token, Tokenizer

from casebook.japanese import ANALYSE_CACHE_LINES, analyse, fold, part_of_speech

# Parts of speech (Sudachi's first level) that carry no meaning on their own in a search.
DROPPED_POS = frozenset({"助詞", "助動詞", "補助記号", "空白"})

# Auxiliaries kept although they are 助動詞: negation is what the five walls are made of
# (見えない, 付いてこない, 実行できない …), and without it a search for 付いてこない finds
# "社員が付いてくるようになった" (test_search.py: test_negation_is_part_of_the_query). On the
# judged queries keeping or dropping it measures the same (MAP@10 0.913 / 0.914).
KEPT_AUXILIARIES = frozenset({"ない", "ぬ", "ず"})

# What `prepare` puts before a field value whose index terms are already known (see there).
PREPARED = "\x02cb2\x03"
_POSITION = "\x1e"  # between positions
_ALTERNATIVE = "\x1f"  # between the terms at one position (a word and its pieces)


class Word(NamedTuple):
    """A word (or piece) as the index sees it: surface, normalised form, part of speech."""

    surface: str
    normalized: str
    pos: str


@functools.cache
def _pos0(pos_id: int) -> str:
    return part_of_speech(pos_id)[0]


# A case's body holds every section line again, and lines repeat across fields: each line is
# turned into index words once per file (the lines cut last are kept, as by `analyse`).
@functools.lru_cache(maxsize=ANALYSE_CACHE_LINES)
def _words(line: str) -> tuple[tuple[Word, ...], ...]:
    """Per position of a line: its mode-C word and that word's mode-A pieces."""
    return tuple((Word(m.surface, m.normalized, _pos0(m.pos)),
                  *(Word(p.surface, p.normalized, _pos0(p.pos)) for p in m.pieces))
                 for m in analyse(fold(line).text))


def _kept(word: Word) -> bool:
    return word.pos not in DROPPED_POS or word.normalized in KEPT_AUXILIARIES


@functools.lru_cache(maxsize=ANALYSE_CACHE_LINES)
def _line_positions(line: str) -> tuple[tuple[str, ...], ...]:
    """The terms the analyzer chain indexes for a line, by position (positions with nothing
    kept are left out, as PartOfSpeechFilter renumbers them)."""
    positions = []
    for words in _words(line):
        terms = tuple(w.normalized.lower() for w in words if _kept(w))
        if terms:
            positions.append(terms)
    return tuple(positions)


@functools.lru_cache(maxsize=ANALYSE_CACHE_LINES)
def _prepared_line(line: str) -> str:
    return _POSITION.join(_ALTERNATIVE.join(terms) for terms in _line_positions(line))


def prepare(text: str) -> str:
    """A field value with its index terms already found, for an index written elsewhere.

    The process that reads a case file analyses its text once (casebook.japanese.analyse,
    shared with the anonymisation check) and hands the index this string; the index's
    analyzer (`JapaneseAnalyzer`) reads the terms back instead of running Sudachi and the
    filters again.
    """
    lines = [_prepared_line(line) for line in text.splitlines() if line.strip()]
    return PREPARED + _POSITION.join(line for line in lines if line)


def _prepared(value: str) -> Iterator[tuple[str, ...]]:
    body = value[len(PREPARED):]
    if body:
        for position in body.split(_POSITION):
            yield tuple(position.split(_ALTERNATIVE))


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Non-blank lines of `text` with their offsets (line ends left off)."""
    offset = 0
    for ended in text.splitlines(keepends=True):
        line = ended.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        if line.strip():
            yield offset, line
        offset += len(ended)


class SudachiTokenizer(Tokenizer):
    """Sudachi words: mode C, plus the mode-A pieces at the same position when indexing.

    後継者 is indexed as 後継者, 後継 and 者 so that a search for 後継 finds it; a query is cut
    in mode C only, so 後継者 does not also match every 者.
    """

    def __init__(self, pieces: bool = True) -> None:
        self.pieces = pieces

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.pieces == self.pieces

    def __hash__(self) -> int:
        return hash((type(self), self.pieces))

    # Whoosh pickles the schema into the index. Only settings go in: the dictionary is the
    # process-wide one from casebook.japanese, looked up on first use after unpickling.
    def __getstate__(self) -> dict:
        return {"pieces": self.pieces}

    def __setstate__(self, state: dict) -> None:
        self.pieces = state.get("pieces", True)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            yield from _whole(t, value, positions, chars, keeporiginal, start_pos, start_char)
            return
        pieces = self.pieces and mode != "query"
        pos = start_pos
        for offset, line in _chunks(value):
            folded = fold(line)
            for morph in analyse(folded.text):
                entries = [(morph.surface, morph.normalized, morph.pos, morph.begin, morph.end)]
                if pieces:
                    entries += [(p.surface, p.normalized, p.pos, p.begin, p.end)
                                for p in morph.pieces]
                for surface, normalized, pos_id, begin, end in entries:
                    t.text = surface
                    t.normalized = normalized
                    t.tag = part_of_speech(pos_id)[0]
                    t.boost = 1.0
                    t.stopped = False
                    if keeporiginal:
                        t.original = surface
                    if positions:
                        t.pos = pos
                    if chars:
                        first, last = folded.span(begin, end) if end > begin else (begin, end)
                        t.startchar = start_char + offset + first
                        t.endchar = start_char + offset + last
                    yield t
                pos += 1


def _whole(t, value, positions, chars, keeporiginal, start_pos, start_char) -> Iterator[Token]:
    """The value as one token, for Whoosh's `tokenize=False` calls."""
    t.text = t.normalized = value
    t.tag = ""
    t.boost = 1.0
    t.stopped = False
    if keeporiginal:
        t.original = value
    if positions:
        t.pos = start_pos
    if chars:
        t.startchar = start_char
        t.endchar = start_char + len(value)
    yield t


class PartOfSpeechFilter(Filter):
    """Drops particles, auxiliaries and symbols, renumbering positions over what is left.

    Renumbering makes 社員が付いて来ない and 社員がついてこない the same run of positions
    (社員 付く 来る ない), so a phrase query matches across the dropped が and て.
    """

    def __init__(
        self,
        dropped: frozenset[str] = DROPPED_POS,
        kept: frozenset[str] = KEPT_AUXILIARIES,
    ) -> None:
        self.dropped = frozenset(dropped)
        self.kept = frozenset(kept)

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and other.dropped == self.dropped
            and other.kept == self.kept
        )

    def __hash__(self) -> int:
        return hash((type(self), self.dropped, self.kept))

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        last = None
        pos = -1
        for t in tokens:
            if t.tag in self.dropped and t.normalized not in self.kept:
                continue
            if t.positions:
                if t.pos != last:
                    last = t.pos
                    pos += 1
                t.pos = pos
            yield t


class NormalizedFormFilter(Filter):
    """Replaces each word by Sudachi's normalised form: 引継ぎ → 引き継ぎ, ＤＸ → DX."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = t.normalized
            yield t


def fold_bigram_text(text: str) -> str:
    """Text folded as `BigramTokenizer` folds what it cuts: width and case.

    Through a table of the characters seen so far: folding one character at a time in
    Python took 10 s for the stored text of 10,000 cases (the first bigram fallback).
    """
    return text.translate(_FOLDED)


def _fold(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char).lower()
    # Keep one character per character so offsets stay valid for highlighting.
    return folded if len(folded) == 1 else char.lower()


class _FoldTable(dict):
    """code point -> folded character, filled in as str.translate asks."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold(chr(code))
        return folded


_FOLDED = _FoldTable()


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN"


class BigramTokenizer(Tokenizer):
    """Overlapping character pairs inside runs of letters and digits, width and case folded.

    The fallback for words Sudachi cuts differently in the query and the text. A run of one
    character yields that character, so a one-letter query still finds something.
    """

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for run_start, run in _runs(value):
            folded = "".join(_fold(c) for c in run)
            spans = [(0, len(run))] if len(run) == 1 else [
                (i, i + 2) for i in range(len(run) - 1)
            ]
            for start, end in spans:
                t.text = folded[start:end]
                t.boost = 1.0
                t.stopped = False
                if keeporiginal:
                    t.original = run[start:end]
                if positions:
                    t.pos = pos
                    pos += 1
                if chars:
                    t.startchar = start_char + run_start + start
                    t.endchar = start_char + run_start + end
                yield t


def _runs(value: str) -> Iterator[tuple[int, str]]:
    start = None
    for i, char in enumerate(value):
        if _is_word_char(char):
            if start is None:
                start = i
        elif start is not None:
            yield start, value[start:i]
            start = None
    if start is not None:
        yield start, value[start:]


class JapaneseAnalyzer(CompositeAnalyzer):
    """Sudachi words, normalised, lowercased, without particles, auxiliaries and symbols.

    A `prepare`d value holds those terms already: they are read back as they are (no Sudachi,
    no filters), which is most of what writing the index costs otherwise.
    """

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs) -> Iterator[Token]:
        if not (isinstance(value, str) and value.startswith(PREPARED)) or mode == "query":
            yield from super().__call__(value, positions=positions, chars=chars,
                                        keeporiginal=keeporiginal, removestops=removestops,
                                        start_pos=start_pos, start_char=start_char,
                                        tokenize=tokenize, mode=mode, **kwargs)
            return
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost, t.stopped = 1.0, False
        for pos, terms in enumerate(_prepared(value), start=start_pos):
            for term in terms:
                t.text = term
                if positions:
                    t.pos = pos
                yield t


def japanese_analyzer() -> JapaneseAnalyzer:
    """Sudachi words, normalised, lowercased, without particles, auxiliaries and symbols."""
    return JapaneseAnalyzer(SudachiTokenizer(), PartOfSpeechFilter(), NormalizedFormFilter(),
                            LowercaseFilter())


def index_terms(text: str) -> Iterator[str]:
    """The terms `japanese_analyzer()` indexes for `text` (or a `prepare`d value), in order.

    The same terms as the analyzer chain (tests/test_search.py checks they agree), without
    Whoosh's tokens: related-case keywords of every case are computed on each site build.
    """
    if text.startswith(PREPARED):
        positions: Iterator[tuple[str, ...]] = _prepared(text)
    else:
        positions = (terms for _, line in _chunks(text) for terms in _line_positions(line))
    for terms in positions:
        yield from terms


def bigram_analyzer():
    """Character bigrams for the fallback field."""
    return BigramTokenizer()


# Query-time analysis runs for every query and every facet label of every hit: keep one
# analyzer, and remember what short strings analyse to.
_QUERY_ANALYZER = None


@functools.lru_cache(maxsize=4096)
def query_words(text: str) -> tuple[str, ...]:
    """The index terms a piece of query text stands for, in order (mode C, filtered)."""
    global _QUERY_ANALYZER
    if _QUERY_ANALYZER is None:
        _QUERY_ANALYZER = japanese_analyzer()
    return tuple(t.text for t in _QUERY_ANALYZER(text, mode="query"))


def query_bigrams(text: str) -> tuple[str, ...]:
    """The bigram terms of a piece of query text."""
    return tuple(t.text for t in BigramTokenizer()(text, mode="query"))
