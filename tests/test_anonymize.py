"""The anonymisation check: what it finds, what it leaves alone, and where it says it is."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from casebook.anonymize import KINDS, Finding, load_private_terms, scan
from casebook.parser import parse_document
from casebook.vocabulary import load_vocabulary
from pipeline.gate import OutputGate
from tests.conftest import REPO

DATA = Path(__file__).parent / "data" / "anonymize"
VOCABULARY = load_vocabulary(REPO / "content" / "taxonomy.yml")


def scan_markdown(text: str, allowed: tuple[str, ...] = ()) -> list[Finding]:
    """What the check finds in a Markdown file: every text the parser records as published."""
    doc = parse_document("x.md", "x.md", text, VOCABULARY, [])
    return [finding for published in doc.texts
            for finding in scan(published.text, first_line=published.line,
                                speaker=published.field == "speaker", allowed=allowed,
                                allowed_spans=published.allowed, breaks=published.breaks)]


PRIVATE_TERMS = ["サンライズ", "XYZ", "名栗"]


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


# (kind, text the user is shown, sentence): one identifier planted in each sentence.
PLANTED = [tuple(line.split("\t")) for line in _lines("planted.tsv")]
CLEAN = _lines("clean.txt")


@pytest.fixture(scope="module")
def planted_findings() -> list[Finding]:
    """The planted sentences as one document, line i + 1 holding PLANTED[i]."""
    document = "\n".join(sentence for _, _, sentence in PLANTED)
    return scan(document, private_terms=PRIVATE_TERMS)


def _found(findings: list[Finding], line: int, kind: str, text: str) -> bool:
    return any(f.line == line and f.kind == kind and f.text == text for f in findings)


# --- recall: the planted corpus ---------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind", "text", "sentence"),
    [(i, *row) for i, row in enumerate(PLANTED, start=1)],
    ids=[f"{kind}:{text}" for kind, text, _ in PLANTED],
)
def test_planted_identifier_is_reported_with_kind_text_line_and_column(
    planted_findings, line, kind, text, sentence
):
    expected = Finding(kind, text, line, sentence.index(text) + 1)
    assert expected in planted_findings, [f for f in planted_findings if f.line == line]


def test_planted_corpus_covers_every_kind():
    assert {kind for kind, _, _ in PLANTED} == set(KINDS)


def test_recall_over_planted_corpus_is_complete_for_every_kind(planted_findings):
    planted = Counter(kind for kind, _, _ in PLANTED)
    found = Counter(
        kind
        for line, (kind, text, _) in enumerate(PLANTED, start=1)
        if _found(planted_findings, line, kind, text)
    )
    recall = {kind: found[kind] / planted[kind] for kind in planted}
    assert recall == dict.fromkeys(planted, 1.0)


def test_planted_sentence_has_no_finding_besides_its_identifier(planted_findings):
    extra = [f for f in planted_findings if (f.kind, f.text) != PLANTED[f.line - 1][:2]]
    assert extra == []


# --- precision: public descriptive text and aliases ---------------------------------------


@pytest.mark.parametrize("sentence", CLEAN)
def test_clean_sentence_has_no_finding(sentence):
    assert scan(sentence) == []


def test_clean_case_file_with_its_exception_has_no_finding():
    text = (DATA / "case.md").read_text(encoding="utf-8")
    assert scan_markdown(text, allowed=("埼玉県商工会議所連合会",)) == []


# --- deliberate exceptions ---------------------------------------------------------------


def test_named_public_body_from_the_seed_is_an_organization_without_a_marker():
    text = "【事例3】C社（食品小売業・福島県）\n※福島相双復興官民合同チームによる支援事例"
    assert scan(text) == [Finding("organization", "福島相双復興官民合同チーム", 2, 2)]


def test_allowed_string_suppresses_only_its_own_span_on_the_line():
    text = '[関東経済産業局官民合同チーム]{anon="公的機関名"}と田中社長が面談した。'
    findings = scan(text, allowed=["関東経済産業局官民合同チーム"])
    assert findings == [Finding("person", "田中社長", 1, text.index("田中社長") + 1)]


def test_allowed_string_shorter_than_the_finding_does_not_suppress_it():
    text = "関東経済産業局官民合同チームが支援した。"
    findings = scan(text, allowed=["関東経済産業局"])
    assert [f.text for f in findings] == ["関東経済産業局官民合同チーム"]


def test_allowed_string_suppresses_every_occurrence_and_nothing_else():
    text = "埼玉県商工会議所連合会の紹介。\n埼玉県商工会議所連合会と川口信用金庫が同席した。"
    findings = scan(text, allowed=["埼玉県商工会議所連合会"])
    assert findings == [Finding("organization", "川口信用金庫", 2, 13)]


def test_private_term_is_reported_even_inside_an_allowed_string():
    findings = scan("名栗商工会の支援", private_terms=["名栗"], allowed=["名栗商工会"])
    assert findings == [Finding("private-term", "名栗", 1, 1)]


# --- private terms ---------------------------------------------------------------------


def test_private_term_matches_hiragana_and_half_width_katakana_variants():
    text = "ヤマダの商品。やまだブランド。伝票には「ﾔﾏﾀﾞ」。"
    findings = scan(text, private_terms=["ヤマダ"])
    assert [(f.text, f.column) for f in findings] == [("ヤマダ", 1), ("やまだ", 8), ("ﾔﾏﾀﾞ", 21)]


@pytest.mark.parametrize("entry", ["やまだ", "ﾔﾏﾀﾞ", "ヤマタ゛"])
def test_private_term_in_any_kana_matches_the_others(entry):
    text = "ヤマダの商品。やまだブランド。伝票には「ﾔﾏﾀﾞ」。"
    findings = [f for f in scan(text, private_terms=[entry]) if f.kind == "private-term"]
    assert [(f.text, f.column) for f in findings] == [("ヤマダ", 1), ("やまだ", 8), ("ﾔﾏﾀﾞ", 21)]


def test_private_term_matches_kana_typed_with_a_spacing_sound_mark():
    # ゛ and ゜ typed after the kana (カ゛ for ガ, ハ゜ for パ): NFKC leaves a space and a mark.
    text = "伝票の宛名はヤマタ゛、品名はハ゜ンと書いてあった。"
    findings = scan(text, private_terms=["やまだ", "パン"])
    assert [(f.text, f.line, f.column) for f in findings if f.kind == "private-term"] == [
        ("ヤマタ゛", 1, 7), ("ハ゜ン", 1, 15)]
    gate = OutputGate(["ヤマダ"])
    gate.check("cases/a/index.html", "<p>宛名は<b>やまた゛</b></p>")
    assert [str(p) for p in gate.leaks] == [
        "cases/a/index.html: published file: private term 'やまた゛' in what was written"]


def test_a_kanji_private_term_is_not_matched_by_its_reading_unless_listed():
    text = "山田の商品。やまだブランド。"
    assert [f.text for f in scan(text, private_terms=["山田"])
            if f.kind == "private-term"] == ["山田"]
    assert [f.text for f in scan(text, private_terms=["山田", "ヤマダ"])
            if f.kind == "private-term"] == ["山田", "やまだ"]


def test_private_term_matches_full_width_and_lower_case_latin():
    findings = scan("ＡＢＣとabcとABC", private_terms=["ABC"])
    assert [(f.text, f.column) for f in findings] == [("ＡＢＣ", 1), ("abc", 5), ("ABC", 9)]


def test_private_latin_term_does_not_match_inside_a_longer_word():
    assert scan("ABCDEの導入とXABCの比較", private_terms=["ABC"]) == []


def test_private_term_column_counts_characters_of_the_original_line():
    # ﾀﾞ is two characters as written but one after folding; columns follow the original.
    findings = scan("ﾀﾞｲｺﾞ商店と名栗", private_terms=["名栗"])
    assert [f for f in findings if f.kind == "private-term"] == [
        Finding("private-term", "名栗", 1, 9)
    ]


def test_load_private_terms_skips_comments_and_blank_lines(tmp_path):
    path = tmp_path / "private-terms.txt"
    path.write_text("# 実名リスト\n\nヤマダ精工\n  名栗  \n# 終わり\n", encoding="utf-8")
    assert load_private_terms(path) == ["ヤマダ精工", "名栗"]


def test_load_private_terms_of_a_missing_file_is_empty(tmp_path):
    assert load_private_terms(tmp_path / "private-terms.txt") == []


# --- what counts as an identifier --------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "株式会社化を検討している。",
        "株式会社を設立した。",
        "有限会社から株式会社に改組した。",
        "株式会社組織に変更した。",
        "大手株式会社の下請けだった。",
        "NPO法人格を取得した。",
    ],
)
def test_legal_form_without_a_name_is_not_a_company(sentence):
    assert scan(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "A社長は決断した。",
        "B社の専務が同席した。",
        "C信組とB信金、A銀行が協調融資した。",
        "A商工会議所の専門家",
        "後継者と工場長と先代が話し合った。",
    ],
)
def test_single_letter_aliases_and_roles_are_not_names(sentence):
    assert scan(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    ["2021年に達成した。", "令和4年4月に建設した。", "令和４年４月", "5年後の目標", "12月末"],
)
def test_year_or_month_without_a_day_is_not_a_date(sentence):
    assert scan(sentence) == []


@pytest.mark.parametrize(
    "sentence", ["埼玉県の事業者", "茨城県と福島県", "関東地方の取引先", "東北や北陸にも販路がある"]
)
def test_prefectures_and_regions_alone_are_not_places(sentence):
    assert scan(sentence) == []


def test_city_in_a_street_address_is_reported_once_as_the_address():
    assert scan("本社は埼玉県川口市本町1-2-3にある。") == [
        Finding("address", "埼玉県川口市本町1-2-3", 1, 4)
    ]


# --- Markdown ------------------------------------------------------------------------------


def test_every_code_fence_is_scanned_because_it_is_published():
    text = "例:\n```text\n田中社長（03-1234-5678）\n```\n本文。"
    assert scan_markdown(text) == [Finding("person", "田中社長", 3, 1),
                                   Finding("phone", "03-1234-5678", 3, 6)]


def test_dialogue_fence_content_is_scanned():
    line = "田中社長、5年後はどうなっていたいですか。"
    text = f"```dialogue\n支援者[問いかけ]: {line}\n```"
    assert scan_markdown(text) == [Finding("person", "田中社長", 2, 1)]


def test_dialogue_speaker_with_a_personal_name_is_reported():
    text = "```dialogue\n山田太郎: 社員が自分で考える会社にしたい。\n社長: そうですね。\n```"
    assert scan_markdown(text) == [Finding("person", "山田太郎", 2, 1)]


def test_annotation_text_is_scanned_and_its_attributes_are_not():
    text = '[田中社長は場当たり的だった]{wall=見えない anon="佐藤様"}'
    assert scan_markdown(text) == [Finding("person", "田中社長", 1, 1)]


def test_markup_inside_a_name_is_read_as_the_reader_sees_it():
    assert scan_markdown("取引先の**株式**会社山田に納品した。") == [
        Finding("company", "株式会社山田", 1, 5)]


def test_character_reference_is_decoded_before_the_private_term_is_looked_for():
    doc = parse_document("x.md", "x.md", "取引先は秘密山&#21830;店です。", VOCABULARY, [])
    assert [f.text for t in doc.texts for f in scan(t.text, private_terms=["秘密山商店"])] == \
        ["秘密山商店"]


def test_address_of_a_markdown_link_is_published_and_scanned():
    findings = scan_markdown("[会社案内](https://example.jp/about)を見た。")
    assert findings == [Finding("url", "https://example.jp/about", 1, 1)]


def test_first_line_offsets_line_numbers():
    assert scan("本文\n田中社長", first_line=10) == [Finding("person", "田中社長", 11, 1)]


# --- output ------------------------------------------------------------------------------


def test_describe_names_kind_label_text_and_column():
    finding = Finding("person", "田中社長", 12, 3)
    assert finding.describe() == "possible personal name 個人名 '田中社長' (person, column 3)"


def test_describe_states_a_private_term_without_hedging():
    finding = Finding("private-term", "やまだ", 4, 7)
    assert finding.describe() == "private term 非公開語 'やまだ' (private-term, column 7)"


def test_the_array_fold_equals_jaconv_and_the_lookalike_table_on_every_character() -> None:
    # The deny-list's katakana → hiragana and look-alike folding runs through one array
    # lookup for speed; it must fold every character as jaconv and the table do.
    from casebook.anonymize import _kana_and_lookalikes, _kana_and_lookalikes_slow

    every = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)
    assert _kana_and_lookalikes(every) == _kana_and_lookalikes_slow(every)
    assert _kana_and_lookalikes("𠮷野家のヤマダ、ｶﾞ") == "吉野家のやまだ、ｶﾞ"
    assert _kana_and_lookalikes("\ud800ア") == "\ud800あ"
    assert _kana_and_lookalikes("") == ""
