"""Search quality over the shipped cases plus tests/fixtures/search/cases: hit@3 and MRR.

The queries are written as a supporter types them before a hearing, and were fixed before
any score was looked at; the relevant cases were judged by reading the cases. Do not tune
this list to the engine: add queries (with honest judgements) when the engine changes.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.load import load_library
from search import memory_index

REPO = Path(__file__).resolve().parent.parent
FIXTURE_CASES = Path(__file__).parent / "fixtures" / "search" / "cases"

# Bars: issue 12's goal for the CLI and the browser alike (tests/browser/
# test_browser_search_quality.py). Measured when written (the test prints its report): hit@3
# 1.000, MRR 1.000 over the first 33 queries and 19 published cases; the four sentences added
# for issue 12 kept both at 1.000. Without Sudachi's mode-A pieces MRR was 0.980, searching
# body alone 0.861.
MIN_HIT_AT_3 = 0.95
MIN_MRR = 0.9

SUCCESSION = {"ex-ryokan-succession", "ex-trucking-crisis", "b-analytical-instruments",
              "fx-metal-press", "fx-landscaping"}
WALL_TSUITEKONAI = {"a-precision-parts", "ex-care-staffing", "ex-food-wholesale-dx",
                    "fx-metal-press", "fx-salon-retention", "fx-software-team"}
WALL_MUKIAWANAI = {"b-analytical-instruments", "ex-construction-pricing",
                   "ex-restaurant-cashflow", "ex-ryokan-succession", "ex-trucking-crisis",
                   "fx-metal-press", "fx-printing-dx", "fx-taxi-aging", "fx-landscaping"}
STRENGTH_APPROACH = {"ex-care-staffing", "ex-it-new-business", "ex-retail-ec",
                     "ex-ryokan-succession", "fx-printing-dx", "fx-sake-export",
                     "fx-software-team"}

# (query as typed, what it exercises, relevant case ids)
JUDGED: list[tuple[str, str, set[str]]] = [
    ("資金繰り", "word split 資金/繰り", {"ex-restaurant-cashflow", "fx-bakery-cash",
                                        "ex-trucking-crisis"}),
    ("資金繰り 場当たり", "two words", {"ex-restaurant-cashflow", "a-precision-parts"}),
    ("後継者 育成 社員が付いてこない 製造業", "long query, metadata word",
     {"fx-metal-press", "b-analytical-instruments", "a-precision-parts"}),
    ("付いてこない", "wall label", WALL_TSUITEKONAI),
    ("社員がついてこない", "kana spelling", WALL_TSUITEKONAI),
    ("職員がついてこない", "kana vs 付いて来ない in text", {"ex-care-staffing"}),
    ("技能の引き継ぎ", "okurigana vs 引継ぎ in text", {"fx-metal-press"}),
    ("事業の引き継ぎ", "okurigana vs 引継ぎ in text", SUCCESSION),
    ("後継", "partial word of 後継者", SUCCESSION),
    ("跡継ぎがいない", "synonym spelling, negation", {"fx-landscaping", "ex-trucking-crisis"}),
    ("ＤＸ 社員 反発", "full width, word not in text", {"ex-food-wholesale-dx",
                                                     "fx-printing-dx"}),
    ("dx 現場", "half width lower case", {"ex-food-wholesale-dx", "fx-printing-dx"}),
    ("受発注 デジタル化 卸", "three words", {"ex-food-wholesale-dx"}),
    ("製造業 茨城県", "metadata only", {"b-analytical-instruments"}),
    ("茨城県", "metadata only", {"b-analytical-instruments"}),
    ("岡山県", "metadata only", {"ex-care-staffing"}),
    ("価格転嫁 建設", "theme + industry synonym", {"ex-construction-pricing"}),
    ("値上げ 交渉 取引先", "three words", {"ex-construction-pricing", "fx-bakery-cash"}),
    ("人手不足 介護", "compound + industry synonym", {"ex-care-staffing"}),
    ("旅館 事業承継", "industry synonym + theme", {"ex-ryokan-succession"}),
    ("飲食店 資金繰り 借入", "three words", {"ex-restaurant-cashflow"}),
    ("ネット販売 小売", "paraphrase of ネット通販", {"ex-retail-ec"}),
    ("運送 後継者", "industry + role", {"ex-trucking-crisis"}),
    ("場当たり的な経営", "phrase typed as a sentence", {"a-precision-parts",
                                                      "ex-restaurant-cashflow"}),
    ("鶏と卵", "idiom", {"c-food-retail"}),
    ("原発 避難 再開", "three words", {"c-food-retail"}),
    ("強み発見型", "approach synonym", STRENGTH_APPROACH),
    ("向き合わない 社長", "wall + role", WALL_MUKIAWANAI),
    ("新規事業 IT", "theme + industry synonym", {"ex-it-new-business", "fx-software-team"}),
    ("離職 定着 スタッフ", "three words", {"fx-salon-retention", "ex-care-staffing"}),
    ("傾聴 5年後 目標", "digits and skill", {"a-precision-parts", "ex-restaurant-cashflow"}),
    ("見える化 数字", "concept, not literal", {"ex-restaurant-cashflow", "ex-trucking-crisis",
                                           "ex-construction-pricing", "fx-bakery-cash",
                                           "fx-taxi-aging"}),
    ("外部 専門家 ノウハウ 足りない", "long query", {"fx-sake-export", "ex-it-new-business",
                                                "fx-printing-dx",
                                                "b-analytical-instruments"}),
    # Sentences, as a supporter types what the client said (issue 12: the browser found
    # nothing for these while the CLI ranked the right case first).
    ("先代と後継者の対立", "sentence, particles", {"fx-metal-press", "ex-ryokan-succession",
                                                "a-precision-parts"}),
    ("人手不足で離職が続く", "sentence, verb", {"fx-salon-retention", "ex-care-staffing",
                                              "fx-taxi-aging"}),
    ("工事ごとの原価が分からない", "sentence, negation", {"ex-construction-pricing"}),
    ("荷主に運賃の値上げを言い出せない", "sentence, long", {"ex-trucking-crisis",
                                                      "ex-construction-pricing"}),
]


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = tmp_path_factory.mktemp("quality")
    (root / "content").mkdir()
    shutil.copy(REPO / "content" / "taxonomy.yml", root / "content")
    shutil.copytree(REPO / "cases", root / "cases")
    for path in FIXTURE_CASES.glob("*.md"):
        shutil.copy(path, root / "cases")
    return load_library(root, anonymity=False)


@pytest.fixture(scope="module")
def index(library):
    with memory_index(library.cases, library.vocabulary) as opened:
        yield opened


def first_relevant(ids: list[str], relevant: set[str]) -> int | None:
    return next((rank for rank, case_id in enumerate(ids, 1) if case_id in relevant), None)


def evaluate(ranked: Callable[[str], tuple[list[str], str]]) -> tuple[float, float, list[str]]:
    """hit@3, MRR@10 and one report line per query.

    `ranked(query)`: the case ids a search shows, best first, and how it matched.
    """
    hits, reciprocal, lines = 0, 0.0, []
    for query, _, relevant in JUDGED:
        ids, mode = ranked(query)
        rank = first_relevant(ids[:10], relevant)
        hits += rank is not None and rank <= 3
        reciprocal += 1 / rank if rank else 0.0
        mark = "ok " if rank and rank <= 3 else "MISS"
        lines.append(f"{mark} {rank or '-':>2}  {mode:<6} {query}  → " + " ".join(ids[:3]))
    return hits / len(JUDGED), reciprocal / len(JUDGED), lines


def cli_ranked(index) -> Callable[[str], tuple[list[str], str]]:
    """What `casebook search` shows for a query."""
    def ranked(query: str) -> tuple[list[str], str]:
        results = index.search(query, limit=10)
        return results.ids, results.mode
    return ranked


def test_judged_cases_exist(library):
    ids = {c.id for c in library.cases}
    for query, _, relevant in JUDGED:
        assert relevant <= ids, f"{query}: no such case {relevant - ids}"


def test_drafts_never_found(index, library):
    drafts = {c.id for c in library.drafts}
    assert drafts, "the fixtures hold a draft to check this"
    for query, _, _ in JUDGED:
        assert not drafts & set(index.search(query, limit=50).ids), query


def test_hit_at_3_and_mrr(index, capsys):
    hit_at_3, mrr, lines = evaluate(cli_ranked(index))
    report = "\n".join([*lines, f"hit@3 {hit_at_3:.3f}  MRR {mrr:.3f}  ({len(JUDGED)} queries)"])
    with capsys.disabled():
        print("\n" + report)
    assert len(JUDGED) >= 20
    assert hit_at_3 >= MIN_HIT_AT_3, report
    assert mrr >= MIN_MRR, report


# --- measuring variants: `PYTHONPATH=. .venv/bin/python tests/test_search_quality.py` ---------
# Prints hit@3 / MRR / MAP@10 with one setting changed at a time; the table in
# search/schema.py (FIELD_BOOSTS) and the notes in search/analysis.py and search/query.py
# come from this.


def _average_precision(ids: list[str], relevant: set[str]) -> float:
    found, total = 0, 0.0
    for rank, case_id in enumerate(ids, 1):
        if case_id in relevant:
            found += 1
            total += found / rank
    return total / min(len(relevant), 10)


def _measure(library, label: str) -> None:
    import search.analysis

    search.analysis._QUERY_ANALYZER = None
    search.analysis.query_words.cache_clear()
    search.analysis.analyse_line.cache_clear()
    with memory_index(library.cases, library.vocabulary) as index:
        hit_at_3, mrr, _ = evaluate(cli_ranked(index))
        ap = sum(_average_precision(index.search(q, limit=10).ids, rel) for q, _, rel in JUDGED)
    print(f"{label:<44} {hit_at_3:.3f} / {mrr:.3f} / {ap / len(JUDGED):.3f}")


def _variants() -> None:
    import contextlib
    import tempfile

    import search.analysis as analysis
    import search.highlight as highlight
    import search.query as query
    import search.schema as schema

    @contextlib.contextmanager
    def patched(module, name, value):
        old = getattr(module, name)
        setattr(module, name, value)
        try:
            yield
        finally:
            setattr(module, name, old)

    @contextlib.contextmanager
    def boosts(**changes):
        old = dict(schema.FIELD_BOOSTS)
        schema.FIELD_BOOSTS.update({k: v for k, v in changes.items() if v is not None})
        for name in [k for k, v in changes.items() if v is None]:
            schema.FIELD_BOOSTS.pop(name)
        try:
            yield
        finally:
            schema.FIELD_BOOSTS.clear()
            schema.FIELD_BOOSTS.update(old)

    @contextlib.contextmanager
    def analyzer(**options):
        kept = options.get("kept", analysis.KEPT_AUXILIARIES)

        def factory():
            return (analysis.SudachiTokenizer(options.get("pieces", True))
                    | analysis.PartOfSpeechFilter(kept=kept)
                    | analysis.NormalizedFormFilter() | analysis.LowercaseFilter())

        with contextlib.ExitStack() as stack:
            for module in (analysis, schema, highlight):
                stack.enter_context(patched(module, "japanese_analyzer", factory))
            yield

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "content").mkdir()
        shutil.copy(REPO / "content" / "taxonomy.yml", root / "content")
        shutil.copytree(REPO / "cases", root / "cases")
        for path in FIXTURE_CASES.glob("*.md"):
            shutil.copy(path, root / "cases")
        library = load_library(root, anonymity=False)
    print(f"{'variant':<44} hit@3 / MRR / MAP@10")
    runs = {
        "as shipped": contextlib.nullcontext(),
        "every boost 1.0": boosts(**{k: 1.0 for k in schema.FIELD_BOOSTS}),
        "title 1.0": boosts(title=1.0),
        "facets_text 1.0": boosts(facets_text=1.0),
        "facets_text not searched": boosts(facets_text=None),
        "challenge 1.0": boosts(challenge=1.0),
        "+ request, approach_text, change, dialogue": boosts(
            request=1.0, approach_text=1.0, change=1.0, dialogue=1.0),
        "body, title, alias only": boosts(facets_text=None, challenge=None),
        "no phrase bonus": patched(query, "PHRASE_BOOST", 0.0),
        "OR only when AND finds nothing": patched(query, "MIN_AND_HITS", 0),
        "ない dropped": analyzer(kept=frozenset()),
        "no mode-A pieces": analyzer(pieces=False),
    }
    for label, context in runs.items():
        with context:
            _measure(library, label)


if __name__ == "__main__":
    _variants()
