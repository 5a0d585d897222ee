"""Japanese text analysis for the index: Sudachi words, their pieces, and character bigrams."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

from whoosh.analysis import Filter, LowercaseFilter, Token, Tokenizer

from casebook.japanese import SplitMode, tokenizer

# Parts of speech (Sudachi's first level) that carry no meaning on their own in a search.
DROPPED_POS = frozenset({"助詞", "助動詞", "補助記号", "空白"})

# Auxiliaries kept although they are 助動詞: negation is what the five walls are made of
# (見えない, 付いてこない, 実行できない …), and without it a search for 付いてこない finds
# "社員が付いてくるようになった" (test_search.py: test_negation_is_part_of_the_query). On the
# judged queries keeping or dropping it measures the same (MAP@10 0.913 / 0.914).
KEPT_AUXILIARIES = frozenset({"ない", "ぬ", "ず"})

# Sudachi refuses inputs over about 48 KB; lines longer than this are cut at sentence ends.
_MAX_CHUNK = 4000
_SENTENCE_END = re.compile(r"(?<=[。！？!?])")


class Morph(NamedTuple):
    """One analysed word (or piece of a word) of a line, offsets relative to the line."""

    start: int
    end: int
    surface: str
    normalized: str
    pos: str


class Word(NamedTuple):
    """A mode-C word with its mode-A pieces (empty when it does not split)."""

    morph: Morph
    pieces: tuple[Morph, ...]


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Lines of `text` with their offsets, long lines cut at sentence ends for Sudachi.

    Line ends are left off, so a section's last line and the same line inside body are one
    entry of the analyse_line cache.
    """
    offset = 0
    for ended in text.splitlines(keepends=True):
        line = ended.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        if not line.strip():
            offset += len(ended)
            continue
        if len(line) <= _MAX_CHUNK:
            yield offset, line
        else:
            start = offset
            for sentence in _SENTENCE_END.split(line):
                for cut in range(0, len(sentence), _MAX_CHUNK):
                    yield start + cut, sentence[cut : cut + _MAX_CHUNK]
                start += len(sentence)
        offset += len(ended)


def _morph(m) -> Morph:
    return Morph(m.begin(), m.end(), m.surface(), m.normalized_form(), m.part_of_speech()[0])


# The body field repeats every section line, so caching by line halves the Sudachi work of
# an index build (bench/search.py). Module level, so it is never pickled with the schema.
@functools.lru_cache(maxsize=16384)
def analyse_line(line: str) -> tuple[Word, ...]:
    """Sudachi's mode-C words of one line, each with its mode-A pieces."""
    words = []
    for m in tokenizer("C").tokenize(line):
        pieces = m.split(SplitMode.A)
        words.append(Word(_morph(m), tuple(_morph(p) for p in pieces) if len(pieces) > 1 else ()))
    return tuple(words)


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
            for word in analyse_line(line):
                for morph in (word.morph, *word.pieces) if pieces else (word.morph,):
                    t.text = morph.surface
                    t.normalized = morph.normalized
                    t.tag = morph.pos
                    t.boost = 1.0
                    t.stopped = False
                    if keeporiginal:
                        t.original = morph.surface
                    if positions:
                        t.pos = pos
                    if chars:
                        t.startchar = start_char + offset + morph.start
                        t.endchar = start_char + offset + morph.end
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


def _fold(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char).lower()
    # Keep one character per character so offsets stay valid for highlighting.
    return folded if len(folded) == 1 else char.lower()


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


def japanese_analyzer():
    """Sudachi words, normalised, lowercased, without particles, auxiliaries and symbols."""
    return SudachiTokenizer() | PartOfSpeechFilter() | NormalizedFormFilter() | LowercaseFilter()


def index_terms(text: str) -> Iterator[str]:
    """The terms `japanese_analyzer()` indexes for `text`, in order, without Whoosh's tokens.

    The same words as the analyzer chain (tests/test_search.py checks they agree), at half
    the cost: related-case keywords of every case are computed on each site build.
    """
    dropped, kept = DROPPED_POS, KEPT_AUXILIARIES
    for _, line in _chunks(text):
        for word in analyse_line(line):
            for morph in (word.morph, *word.pieces):
                if morph.pos in dropped and morph.normalized not in kept:
                    continue
                yield morph.normalized.lower()


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
