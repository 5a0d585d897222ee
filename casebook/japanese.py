"""One Sudachi dictionary per process, shared by search and the anonymisation check."""

from __future__ import annotations

import functools

from sudachipy import Dictionary, SplitMode, Tokenizer

__all__ = ["SplitMode", "tokenizer"]


@functools.cache
def _dictionary() -> Dictionary:
    # The core dictionary costs tens of MB: load it once, never per analyzer or per object.
    return Dictionary(dict="core")


@functools.cache
def tokenizer(mode: str = "C") -> Tokenizer:
    """The process-wide Sudachi tokenizer for split mode "A", "B" or "C"."""
    return _dictionary().tokenizer(mode=getattr(SplitMode, mode))
