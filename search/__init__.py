"""Full-text search over casebook's parsed cases (Whoosh + Sudachi). Only this package imports
Whoosh; everything else calls these functions. Also here: Pagefind's index of the built site
(`search.pagefind`; the browser's queries are plugins/overrides/assets/casebook/search.js) and
the clean-up after killed builds (`search.leftovers`, which the pipeline uses too).

    stats = build_index(library.cases, Path(".casebook-index"))
    with open_index(Path(".casebook-index"), library.vocabulary) as index:
        results = index.search("資金繰り 場当たり", filters={"wall": ["見えない"]})
"""

from search.errors import (
    EmptyQuery,
    IndexMissing,
    SearchError,
    UnknownCase,
    UnknownFacetTerm,
    UnknownField,
)
from search.index import IndexStats, build_index, memory_index, open_index
from search.searcher import Hit, MatchedTerm, SearchIndex, SearchResults

__all__ = [
    "EmptyQuery",
    "Hit",
    "IndexMissing",
    "IndexStats",
    "MatchedTerm",
    "SearchError",
    "SearchIndex",
    "SearchResults",
    "UnknownCase",
    "UnknownFacetTerm",
    "UnknownField",
    "build_index",
    "memory_index",
    "open_index",
]
