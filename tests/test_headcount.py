"""A head count in a query → the 従業員規模 band holding it (the site's own bands)."""

from __future__ import annotations

import pytest

from casebook.headcount import head_count_band
from casebook.vocabulary import load_vocabulary
from tests.conftest import REPO

BANDS = load_vocabulary(REPO / "content" / "taxonomy.yml")["employees"].terms


@pytest.mark.parametrize(("text", "band", "rest"), [
    ("30人", "21-50", ""),
    ("従業員３０名 資金繰り", "21-50", "資金繰り"),
    ("社員5人くらいの店", "1-5", "の店"),
    ("50人", "21-50", ""),
    ("51人規模", "51-100", ""),
    ("従業員1200人", "301+", ""),
])
def test_a_head_count_finds_its_band(text: str, band: str, rest: str) -> None:
    found = head_count_band(text, BANDS)
    assert found is not None and found[0].label == band and found[1] == rest


@pytest.mark.parametrize("text", ["30代の後継者", "資金繰り", "0人"])
def test_text_without_a_head_count_in_a_band_is_left_alone(text: str) -> None:
    assert head_count_band(text, BANDS) is None
