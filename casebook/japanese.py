"""Japanese text analysis, done once per text and shared: Sudachi words with their pieces.

    for morph in analyse(line):        # mode-C words of one line, each with its mode-A pieces
        morph.surface, morph.normalized, part_of_speech(morph.pos)

The anonymisation check (names, places, companies), the search index, the related-case
keywords and Pagefind's other spellings all read the same analysis of the same published
text. `analyse` caches the lines it cut last, so a file's line is cut into words once; a build
analyses in the processes that read the files (pipeline/load.py) and hands the results on.
Lines longer than Sudachi accepts are cut at sentence ends.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from sudachipy import Dictionary, SplitMode, Tokenizer

__all__ = ["FORMAT", "Folded", "Morph", "Piece", "analyse", "chunks", "fold", "part_of_speech",
           "tokenizer"]

# Characters NFKC may merge with their neighbour (dakuten, accents, Hangul jamo).
_COMBINING = re.compile("[\u0300-\u036f\u1100-\u11ff\u3099-\u309c\u3130-\u318f\uff9e\uff9f]")
# Characters a reader does not see, so a phone number or a private term with one inside must
# still be found: format characters (zero-width space and joiners, soft hyphen, BOM, bidi
# controls, tag characters), variation selectors and the combining grapheme joiner, and
# the Hangul fillers and the blank Braille pattern that render as nothing (or a space).
FORMAT = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2800"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0"
    "\ufff9-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001-\U000e007f"
    "\U000e0100-\U000e01ef]")

# Sudachi refuses inputs over about 48 KB; lines longer than this many characters are cut.
MAX_CHUNK = 4000
_SENTENCE_END = re.compile(r"(?<=[。！？!?])")


@functools.cache
def _dictionary() -> Dictionary:
    # The core dictionary costs tens of MB: load it once, never per analyzer or per object.
    return Dictionary(dict="core")


@functools.cache
def tokenizer(mode: str = "C") -> Tokenizer:
    """The process-wide Sudachi tokenizer for split mode "A", "B" or "C"."""
    return _dictionary().tokenizer(mode=getattr(SplitMode, mode))


@functools.cache
def part_of_speech(pos_id: int) -> tuple[str, ...]:
    """Sudachi's part-of-speech tuple for an id: ('名詞', '固有名詞', '人名', '姓', '*', '*')."""
    return tuple(_dictionary().pos_of(pos_id))


class Piece(NamedTuple):
    """A mode-A piece of a longer word (後継者 → 後継, 者), offsets in the line."""

    surface: str
    normalized: str
    pos: int
    begin: int
    end: int


class Morph(NamedTuple):
    """A mode-C word of a line: offsets in the line, normalised form, part of speech."""

    surface: str
    begin: int
    end: int
    normalized: str
    pos: int
    oov: bool
    pieces: tuple[Piece, ...]
    reading: str  # in katakana: 付いて来ない and ついてこない read the same


def chunks(line: str) -> Iterator[tuple[int, str]]:
    """(offset, text) pieces of one line short enough for Sudachi, cut at sentence ends."""
    if len(line) <= MAX_CHUNK:
        yield 0, line
        return
    start = 0
    for sentence in _SENTENCE_END.split(line):
        for cut in range(0, len(sentence), MAX_CHUNK):
            yield start + cut, sentence[cut:cut + MAX_CHUNK]
        start += len(sentence)


# A file's lines are analysed for the check, the index, the keywords and the other spellings
# within a moment of each other: a few thousand lines cover that. The cache once held 65,536,
# some 6 kB each: 400 MB in each process that reads files, at 10,000 cases (bench/README.md).
ANALYSE_CACHE_LINES = 8192


@functools.lru_cache(maxsize=ANALYSE_CACHE_LINES)
def analyse(line: str) -> tuple[Morph, ...]:
    """Sudachi's mode-C words of one line, each with its mode-A pieces (cached by line)."""
    words: list[Morph] = []
    for offset, chunk in chunks(line):
        if not chunk.strip():
            continue
        for m in tokenizer("C").tokenize(chunk):
            begin, end = m.begin() + offset, m.end() + offset
            split = m.split(SplitMode.A)
            pieces = tuple(Piece(p.surface(), p.normalized_form(), p.part_of_speech_id(),
                                 p.begin() + offset, p.end() + offset)
                           for p in split) if len(split) > 1 else ()
            words.append(Morph(m.surface(), begin, end, m.normalized_form(),
                               m.part_of_speech_id(), m.is_oov(), pieces, m.reading_form()))
    return tuple(words)


class Folded(NamedTuple):
    """A line folded for analysis, with a map from each folded character back to the line."""

    text: str
    starts: Sequence[int]  # folded index -> first original index it came from
    ends: Sequence[int]  # folded index -> original index just after it

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]


# The spacing voiced and semi-voiced sound marks, typed after a kana for ガ or パ (カ゛, ハ゜).
SPACING_MARKS = "\u309b\u309c"


def fold(line: str) -> Folded:
    """NFKC `line` without format characters, remembering where each character came from.

    What is analysed is the folded line: full-width digits and Latin are plain, half-width
    katakana is full-width (ｶﾞ and カ゛ are ガ), ㈱ is (株), and a zero-width space inside a
    word is gone.
    """
    folded = unicodedata.normalize("NFKC", line)
    if len(folded) == len(line) and not _COMBINING.search(line) and not FORMAT.search(line):
        # Only merging characters make NFKC shorter, so equal length means one-to-one.
        return Folded(folded, range(len(line)), range(1, len(line) + 1))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, char in enumerate(line):
        if FORMAT.match(char):
            continue  # invisible: 090\u200b-1234 is 090-1234
        piece = unicodedata.normalize("NFKC", char)
        if char in SPACING_MARKS and out and \
                len(unicodedata.normalize("NFC", out[-1] + piece[-1])) == 1:
            piece = piece[-1]  # カ゛ is ガ as ｶﾞ is (NFKC makes ゛ a space and a mark)
        if out and piece and unicodedata.combining(piece[0]):
            # Half-width ﾀﾞ folds to タ + combining mark; compose onto the previous character.
            composed = unicodedata.normalize("NFC", out[-1] + piece[0])
            if len(composed) == 1:
                out[-1] = composed
                ends[-1] = i + 1
                piece = piece[1:]
        for folded_char in piece:
            out.append(folded_char)
            starts.append(i)
            ends.append(i + 1)
    return Folded("".join(out), starts, ends)
