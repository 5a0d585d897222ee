"""Page HTML kept compressed between the moment a page is made and the moment it is written.

    with packed_pages():
        pages = site_pages(...)        # each page's html and search_html compressed as made
    str(page.html)                     # the HTML again (and `Markup(page.html)`, `html(…)`)

A site build makes every page before the site engine writes the first one; at 10,000 cases
their articles and search copies were 390 MB held at once (bench/README.md). Compressed, the
same pages take about a sixth of that, for about a second of zlib per 10,000 pages each way.
The text is the same: `PackedMarkup` is Markup that is stored compressed, and is turned back
into Markup wherever it is used as HTML (markupsafe's `__html__`) or as a string.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from casebook.html import Markup

# zlib's fastest level: page HTML repeats itself (cards, badges) and shrinks about 4× anyway.
_LEVEL = 1
_PACKING: ContextVar[bool] = ContextVar("casebook_packed_pages", default=False)


class PackedMarkup:
    """Markup held compressed; `str()` and `__html__()` give the Markup back."""

    __slots__ = ("_data",)

    def __init__(self, markup: Markup) -> None:
        self._data = zlib.compress(str(markup).encode("utf-8"), _LEVEL)

    def __html__(self) -> Markup:
        return Markup(zlib.decompress(self._data).decode("utf-8"))

    def __str__(self) -> str:
        return str(self.__html__())

    def __len__(self) -> int:
        return len(str(self))

    def __bool__(self) -> bool:
        return bool(self._data) and len(self) > 0

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __repr__(self) -> str:
        return f"PackedMarkup({len(self._data):,} bytes compressed)"


def packing() -> bool:
    """Whether pages made now are packed (inside `packed_pages()`)."""
    return _PACKING.get()


@contextmanager
def packed_pages() -> Iterator[None]:
    """Pages made inside keep their HTML compressed (casebook/pages.py's PageWriter)."""
    token = _PACKING.set(True)
    try:
        yield
    finally:
        _PACKING.reset(token)
