"""What can go wrong when searching, each with a message that says what to do."""

from __future__ import annotations


class SearchError(Exception):
    """Base of every error the search package reports to a user."""


class IndexMissing(SearchError):
    """There is no usable index where one was expected."""


class EmptyQuery(SearchError, ValueError):
    """The query has nothing to search for."""


class UnknownFacetTerm(SearchError, ValueError):
    """A filter names a facet or term the vocabulary does not have."""


class UnknownField(SearchError, ValueError):
    """`within=` names a field the index cannot search."""


class UnknownCase(SearchError, LookupError):
    """No case in the index has this id."""


def did_you_mean(suggestion: str | None) -> str:
    return f" — did you mean '{suggestion}'?" if suggestion else ""
