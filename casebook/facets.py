"""The facets a case is tagged by, in one table: where each comes from and what it does.

Everything that lists facets reads this table: the case schema (front-matter fields), the
parser (which annotation keys exist), the case header card (row order), related cases (weights),
the in-browser search filters, the Whoosh keyword fields and the CLI's filter options. The
vocabulary (`content/taxonomy.yml`) gives each facet its label and terms.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FacetSpec:
    """How one vocabulary facet is used."""

    name: str  # the facet's name in taxonomy.yml and in annotations: wall
    field: str | None  # the case front-matter field holding it: walls (None: body only)
    many: bool = False  # a list of terms rather than one
    required: bool = False
    # May be written as an annotation in the body: [text]{wall=見えない}.
    annotation: bool = False
    # Weight of a shared term when ranking related cases (0: not a reason to relate).
    related_weight: float = 0.0
    # Offered as a filter of the in-browser search (by its Japanese label).
    browser_filter: bool = False


# In the order a case's header card lists them.
FACETS: tuple[FacetSpec, ...] = (
    FacetSpec("wall", "walls", many=True, required=True, annotation=True, related_weight=3.0,
              browser_filter=True),
    FacetSpec("approach", "approaches", many=True, required=True, annotation=True,
              related_weight=2.0, browser_filter=True),
    # Dialogue skills come from annotations and dialogue lines, never from front matter.
    FacetSpec("skill", None, many=True, annotation=True, related_weight=1.0),
    FacetSpec("theme", "themes", many=True, required=True, related_weight=1.5,
              browser_filter=True),
    FacetSpec("industry", "industry", required=True, related_weight=1.0, browser_filter=True),
    FacetSpec("supporter", "supporter", required=True, related_weight=0.5, browser_filter=True),
    FacetSpec("prefecture", "prefecture", related_weight=0.25, browser_filter=True),
    FacetSpec("employees", "employees", related_weight=0.5, browser_filter=True),
    FacetSpec("step", "steps", many=True, related_weight=0.5),
)

BY_NAME: dict[str, FacetSpec] = {spec.name: spec for spec in FACETS}
NAMES: tuple[str, ...] = tuple(spec.name for spec in FACETS)
ANNOTATION_KEYS: tuple[str, ...] = tuple(spec.name for spec in FACETS if spec.annotation)
BROWSER_FILTERS: tuple[str, ...] = tuple(spec.name for spec in FACETS if spec.browser_filter)
# What a search can be narrowed by: every facet, and a case's kind (precedent / exercise).
FILTERABLE: tuple[str, ...] = (*NAMES, "kind")
# The columns of the case index, after the case itself.
CASE_INDEX_COLUMNS: tuple[str, ...] = ("industry", "wall", "approach")

# Weight of text similarity in related cases (1.0 = the most similar case); 0 turns it off.
TEXT_WEIGHT = 2.0


def related_weights() -> dict[str, float]:
    """Facet name -> weight of a shared term, plus "text" for text similarity."""
    return {**{spec.name: spec.related_weight for spec in FACETS}, "text": TEXT_WEIGHT}
