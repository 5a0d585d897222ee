"""The head count table of tests/test_headcount.py, typed into the site in Chromium: the /prep/
page's 従業員規模 (prep.js) and the search box (search.js) find the bands Python finds."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

from casebook.headcount import head_count_band
from tests.browser.conftest import Visit
from tests.test_headcount import BANDS, HEAD_COUNTS


def test_the_prep_page_reads_every_head_count_of_the_table_as_python_does(
        desktop: Visit) -> None:
    page = desktop.page
    differences = []
    for typed, field, _ in HEAD_COUNTS:
        desktop.go("prep/?" + urlencode({"employees": typed, "text": "社員が辞めていく"}))
        page.wait_for_selector("#cb-prep-sheet h2")
        sheet = page.inner_text("#cb-prep-sheet")
        shown = page.evaluate("""() => {
            const term = [...document.querySelectorAll(".cb-prep-profile dt")]
              .find((dt) => dt.textContent === "従業員規模");
            return term ? term.nextElementSibling.textContent : null; }""")
        seen = (shown, f"従業員規模「{typed}」" in sheet)  # unknown: named above the sheet
        if seen != (field, field is None):
            differences.append(f"{typed!r}: page {seen} ≠ Python {field!r}")
    assert not differences, "\n".join(differences)


def test_the_search_box_reads_every_head_count_of_the_table_as_python_does(
        desktop: Visit, site_dir: Path) -> None:
    # search.js takes its bands from the index's filter values: the bands some published case
    # has. Python, given the same bands, must find what the search box finds.
    cases = json.loads((site_dir / "assets" / "casebook" / "cases.json").read_text("utf-8"))
    in_index = {slug for case in cases for slug in case["facets"].get("employees", [])}
    bands = [term for term in BANDS if term.slug in in_index]
    assert len(bands) >= 3, bands
    desktop.go()
    page = desktop.page
    page.click("[data-cb-search-open]")
    box = page.wait_for_selector("#cb-search-input")
    differences = []
    for typed, _, _ in HEAD_COUNTS:
        found = head_count_band(typed, bands)
        expected = found[0].label if found else None
        box.fill("")
        box.focus()
        page.keyboard.insert_text(typed)
        # Done when the status names this query first (a band named later is no proof).
        page.wait_for_function(
            """t => { const m = document.querySelector("[data-cb-search-status]");
                      return m && m.textContent.startsWith(t)
                        && !m.textContent.includes("検索しています"); }""", arg=f"「{typed}」")
        status = page.inner_text("[data-cb-search-status]")
        seen = status.split("従業員規模「")[1].split("」")[0] if "従業員規模「" in status else None
        if seen != expected:
            differences.append(f"{typed!r}: search box {seen!r} ≠ Python {expected!r} ({status})")
    assert not differences, "\n".join(differences)
