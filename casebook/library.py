"""The library: the cases and guides a build shows, indexed by facet term.

`cases` holds drafts too where drafts are shown (`mkdocs serve`, `casebook check`); `published`
never does. `drafts` lists every draft case read, whether or not `cases` holds it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from casebook.model import Case, Guide
from casebook.problems import closest
from casebook.vocabulary import Term, Vocabulary

if TYPE_CHECKING:  # curricula.py imports the model only; the library holds what it makes
    from casebook.curricula import Curriculum, Session


class Library:
    """Cases and guides with facet lookups; built once per build from the parsed files."""

    def __init__(
        self,
        vocabulary: Vocabulary,
        cases: list[Case],
        guides: list[Guide],
        drafts: list[Case] | None = None,
        curricula: list[Curriculum] | None = None,
    ) -> None:
        self.vocabulary = vocabulary
        self.cases = sorted(cases, key=lambda c: (c.kind != "precedent", c.alias, c.id))
        self.guides = guides
        # Draft cases seen while reading, whether or not this library includes them.
        self.drafts = drafts or []
        self._by_id = {c.id: c for c in self.cases}
        self.curricula = sorted(curricula or [], key=lambda c: (c.is_draft, c.title, c.id))
        self._by_term: dict[tuple[str, str], list[Case]] = defaultdict(list)
        for case in self.cases:
            for facet, terms in case.facets.items():
                for term in terms:
                    self._by_term[(facet, term.slug)].append(case)
        self._guides_by_term: dict[tuple[str, str], list[Guide]] = defaultdict(list)
        for guide in guides:
            for facet, terms in guide.explains.items():
                for term in terms:
                    self._guides_by_term[(facet, term.slug)].append(guide)

    @property
    def published(self) -> list[Case]:
        return [c for c in self.cases if not c.is_draft]

    def case(self, case_id: str) -> Case:
        """The case with this id; KeyError names the closest id."""
        try:
            return self._by_id[case_id]
        except KeyError:
            hint = closest(case_id, list(self._by_id))
            raise KeyError(
                f"no case '{case_id}'" + (f" — did you mean '{hint}'?" if hint else "")
            ) from None

    def curricula_using(self, case_id: str) -> list[tuple[Curriculum, Session, bool]]:
        """(curriculum, session, as an alternate) for each session that uses the case."""
        return [(curriculum, session, case_id not in session.cases)
                for curriculum in self.curricula for session in curriculum.sessions
                if case_id in session.cases or case_id in session.alternates]

    def cases_with(self, term: Term) -> list[Case]:
        return self._by_term.get((term.facet, term.slug), [])

    def cases_annotated(self, term: Term) -> list[Case]:
        """Cases whose text annotates `term` (or tags a dialogue turn with it)."""
        return [c for c in self.cases if term in c.doc.annotated(term.facet)]

    def count(self, term: Term) -> int:
        return len(self.cases_with(term))

    def guides_for(self, term: Term) -> list[Guide]:
        return self._guides_by_term.get((term.facet, term.slug), [])

    def matrix(self, rows: str, columns: str) -> dict[tuple[str, str], list[Case]]:
        """Cases per (row term slug, column term slug), e.g. industry × wall."""
        cells: dict[tuple[str, str], list[Case]] = defaultdict(list)
        for case in self.cases:
            for row in case.terms(rows):
                for column in case.terms(columns):
                    cells[(row.slug, column.slug)].append(case)
        return cells
