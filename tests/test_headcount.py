"""A head count → the 従業員規模 band holding it (the site's own bands), in one grammar.

HEAD_COUNTS is the one table of what a supporter types: a value of the 従業員規模 field
(`casebook prep --employees`, the /prep/ page) and the same words in a search query (Whoosh
and the site's search box). tests/browser/test_browser_headcount.py checks both scripts
(prep.js, search.js) against the same table.
"""

from __future__ import annotations

import pytest

from casebook.headcount import band_of_value, head_count_band
from casebook.prep import ProfileError, make_profile
from casebook.vocabulary import Term, load_vocabulary
from tests.conftest import REPO

VOCABULARY = load_vocabulary(REPO / "content" / "taxonomy.yml")
BANDS = VOCABULARY["employees"].terms

# (typed, band as a field value, band in a search query). A query needs 人 or 名 (「30代」
# 「2024年」 are no head counts); a field holds nothing else, so a bare number is one. A range
# (「21〜50人」「5人以下」「300人以上」) is understood only when one band holds all of it.
HEAD_COUNTS: list[tuple[str, str | None, str | None]] = [
    ("30", "21-50", None),
    ("30人", "21-50", "21-50"),
    ("30名", "21-50", "21-50"),
    ("３０人", "21-50", "21-50"),
    ("３０名", "21-50", "21-50"),
    ("30 人", "21-50", "21-50"),
    ("従業員30名", "21-50", "21-50"),
    ("社員５０人", "21-50", "21-50"),
    ("約30人", "21-50", "21-50"),
    ("30人くらい", "21-50", "21-50"),
    ("30人程度", "21-50", "21-50"),
    ("21-50", "21-50", None),
    ("21〜50人", "21-50", "21-50"),
    ("21～50人", "21-50", "21-50"),
    ("20〜30人", None, None),
    ("5人以下", "1-5", "1-5"),
    ("6人未満", "1-5", "1-5"),
    ("51人", "51-100", "51-100"),
    ("300人", "101-300", "101-300"),
    ("300人以上", None, None),
    ("301人以上", "301+", "301+"),
    ("1200人", "301+", "301+"),
    ("0人", None, None),
    ("30代", None, None),
    ("1234567890人", None, None),
    ("たくさん", None, None),
]


@pytest.mark.parametrize(("typed", "field", "query"), HEAD_COUNTS)
def test_a_typed_head_count_finds_its_band_as_a_field_and_in_a_query(
        typed: str, field: str | None, query: str | None) -> None:
    as_field = band_of_value(typed, BANDS)
    in_query = head_count_band(typed, BANDS)
    assert (as_field.label if as_field else None) == field
    assert (in_query[0].label if in_query else None) == query


@pytest.mark.parametrize(("typed", "field"), [(t, f) for t, f, _ in HEAD_COUNTS])
def test_casebook_prep_reads_the_employees_value_by_the_same_table(
        typed: str, field: str | None) -> None:
    if field is None:
        with pytest.raises(ProfileError, match=f"--employees: unknown 従業員規模 '{typed}'"):
            make_profile(VOCABULARY, employees=typed)
    else:
        assert make_profile(VOCABULARY, employees=typed).employees.label == field


@pytest.mark.parametrize(("text", "band", "rest"), [
    ("30人", "21-50", ""),
    ("従業員３０名 資金繰り", "21-50", "資金繰り"),
    ("社員5人くらいの店", "1-5", "の店"),
    ("50人", "21-50", ""),
    ("51人規模", "51-100", ""),
    ("従業員1200人", "301+", ""),
    ("30代の後継者 従業員30名 資金繰り", "21-50", "30代の後継者 資金繰り"),
])
def test_a_head_count_in_a_query_finds_its_band_and_leaves_the_other_words(
        text: str, band: str, rest: str) -> None:
    found = head_count_band(text, BANDS)
    assert found is not None and found[0].label == band and found[1] == rest


@pytest.mark.parametrize("text", ["30代の後継者", "資金繰り", "0人", "2024年に30"])
def test_text_without_a_head_count_in_a_band_is_left_alone(text: str) -> None:
    assert head_count_band(text, BANDS) is None


def test_band_labels_are_read_by_the_same_grammar() -> None:
    """A project may label its bands 「1-20人」「301人以上」: they are ranges like any other."""
    bands = [Term(facet="employees", slug=s, label=label) for s, label in (
        ("small", "1-20人"), ("mid", "21〜50人"), ("large", "301人以上"))]
    assert band_of_value("30名", bands).slug == "mid"
    assert band_of_value("500", bands).slug == "large"
    assert band_of_value("100人", bands) is None  # no band holds it
    assert head_count_band("従業員10人 資金繰り", bands)[0].slug == "small"


def test_long_input_is_read_in_linear_time() -> None:
    """What a user types goes through the grammar in the search box and the check: a long run
    of spaces or digits must not make it backtrack for minutes."""
    import time

    started = time.perf_counter()
    for text in (" " * 50_000 + "x", "従業員" + " " * 50_000, "30" + " " * 50_000 + "x",
                 "9" * 50_000 + "人"):
        assert head_count_band(text, BANDS) is None
        assert band_of_value(text, BANDS) is None
    assert time.perf_counter() - started < 2
