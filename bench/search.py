"""Search benchmark: index build time and size, query latency and CLI cold start.

    .venv/bin/python bench/search.py                  # 1,000 and 10,000 cases
    .venv/bin/python bench/search.py --sizes 1000 --procs 1 2

The corpus is synthetic: Case objects assembled from phrase pools (sentences of the kind the
real cases use, with every facet filled), built in memory and handed to build_index exactly
as a site build hands over the parsed library. Nothing here is read back from files.

Measured 2025-11 on the 2-core build machine while other jobs ran (load column; medians):
1,000 cases build 37.5 s (19.5 s with --procs 2), 8.9 MB, AND 36 ms, OR 62 ms, filtered 12 ms,
CLI cold start 0.5–0.7 s; 10,000 cases build 315 s, 81 MB, AND 208 ms (p95 939 ms: the
synthetic words are common, 社員 is in half the cases), OR 533 ms, filtered 45 ms, CLI cold
start 1.0 s. The whole default run (1,000 and 10,000) takes about 8 minutes.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from casebook.model import (  # noqa: E402
    SECTION_APPROACH,
    SECTION_CHALLENGE,
    SECTION_CHANGE,
    SECTION_QUESTIONS,
    SECTION_REQUEST,
    Case,
    Dialogue,
    Document,
    Section,
    Utterance,
)
from casebook.vocabulary import Vocabulary, load_vocabulary  # noqa: E402

QUERIES_PER_KIND = 60

# --- phrase pools ---------------------------------------------------------------------------
# Each case draws most sentences from one topic and a few from a second, like real cases
# (a word such as 資金繰り then occurs in a fraction of the corpus, not in all of it).

PRODUCTS = [
    "精密部品", "金型", "分析機器", "惣菜", "冷凍食品", "地酒", "和菓子", "パン", "業務用厨房機器",
    "住宅リフォーム", "外構工事", "鉄骨加工", "プリント基板", "樹脂成形品", "アルミ鋳物", "印刷物",
    "包装資材", "介護サービス", "訪問看護", "宿泊プラン", "日帰り温泉", "貸切バス", "冷蔵輸送",
    "青果", "米", "いちご", "乳製品", "農業機械", "業務システム", "ホームページ制作", "会計ソフト",
    "学習塾", "美容サービス", "クリーニング", "葬祭サービス", "眼鏡", "家具", "畳", "木材", "石材",
    "鮮魚", "精肉", "茶葉", "醤油", "味噌", "作業服", "タオル", "陶器", "漆器", "刃物", "仏壇",
    "自動車部品", "電子部品", "医療機器部品", "ばね", "ねじ", "段ボール", "植木", "花卉", "牛乳",
]
PEOPLE = ["社長", "先代", "後継者", "専務", "工場長", "店長", "番頭", "女将", "経理担当者",
          "若手社員", "ベテラン職人", "パート従業員", "営業部長", "現場責任者", "長男", "娘婿",
          "会長", "常務", "製造課長", "二代目", "三代目", "親方", "園主", "院長", "施設長"]
NUMBERS = ["二", "三", "四", "五", "六", "七", "八", "十", "十二", "十五", "二十", "三十"]

TOPICS = {
    "cash": {
        "situation": [
            "売上が前年比で{n}割落ち込み、{people}は毎月の資金繰りに追われていた",
            "借入金の返済が重く、金融機関から経営改善計画の提出を求められていた",
            "月末になると手元資金が底をつき、{people}が個人のお金を入れてしのいでいた",
            "{product}の在庫が膨らみ、売上の割に現金が残らなかった",
            "コロナ禍の緊急融資の返済が始まり、資金ショートの心配が出てきた",
        ],
        "cause": [
            "月次の試算表が{n}か月遅れで届き、手元資金の動きが見えていなかった",
            "場当たり的な対応が続き、数字で経営を振り返る習慣がなかった",
            "どの{product}が利益を生んでいるのか、商品別の採算を誰も把握していなかった",
        ],
        "action": [
            "問題点検型で資金繰り表を作り、まず足元の資金ショートを防いだ",
            "取引のある信用金庫と一緒に、返済条件の見直しを相談した",
            "{product}ごとの原価を洗い出し、利益の出ていない品目を{people}と確かめた",
            "月次決算を翌月十日までに締める段取りを経理担当者と決めた",
        ],
        "change": [
            "{people}が自ら月次の数字を確認するようになり、資金繰りの不安が和らいだ",
            "金融機関との対話が進み、返済条件の見直しに応じてもらえた",
            "在庫が{n}割減り、手元資金に余裕が生まれた",
        ],
        "request": ["資金繰りが苦しく、融資の相談をしたいという依頼だった",
                    "取引先の金融機関から、返済の条件変更を申し出た先として紹介された"],
        "owner": ["正直、数字は税理士さん任せでした。",
                  "月末が来るのが怖くて、夜も眠れませんでした。"],
    },
    "succession": {
        "situation": [
            "事業承継を控えているが、{people}の育成が進んでいなかった",
            "{people}は七十代になったが、後継者が決まっていなかった",
            "息子が戻ってきたものの、先代と経営方針がぶつかり社内が二つに割れていた",
            "跡継ぎがいないため、廃業も選択肢に入れて悩んでいた",
            "先代が会長として現場に口を出し続け、{people}の判断が通らなかった",
        ],
        "cause": [
            "{people}自身が引退後のことと向き合うことを避けていた",
            "ベテランの技能が属人化しており、引き継ぎの仕組みがなかった",
            "株式や事業用資産の整理が手付かずで、承継の話が前に進まなかった",
        ],
        "action": [
            "後継者と先代の三者面談を設け、承継の時期と役割分担を話し合った",
            "事業承継・引継ぎ支援センターと連携し、親族外承継の選択肢も整理した",
            "ベテランの作業を手順書と動画に残し、若手と組ませて技能の引継ぎを進めた",
            "後継者が社員一人ひとりと面談する場をつくり、支援者が同席した",
        ],
        "change": [
            "後継者が営業と採用を担い、事業承継の計画が具体的になった",
            "先代が代表権を譲る時期を自ら決め、社内に発表した",
            "若手が主要な工程を任されるようになり、技能の継承が進んだ",
        ],
        "request": ["事業承継について何から始めればよいか分からないという相談だった",
                    "息子に会社を継がせたいが、どう進めればよいかという相談だった"],
        "owner": ["息子に継がせたいが、まだ任せられる気がしないんです。",
                  "自分の代で終わりでいいと思っていたんですが。"],
    },
    "people": {
        "situation": [
            "{people}が一人で判断を抱え込み、社員が付いてこないと感じていた",
            "離職が続き、採用しても定着しないことに{people}は悩んでいた",
            "人手不足で{product}の納期が遅れがちになり、取引先からの信頼が揺らいでいた",
            "{people}と現場の間に溝があり、改善提案が出てこない職場になっていた",
            "改革を打ち出すたびに古参社員が反発し、社内の空気が悪くなっていた",
        ],
        "cause": [
            "社員が課題を自分事として捉えておらず、当事者意識が育っていなかった",
            "教え方は見て覚えろのままで、若手が成長の実感を持てずにいた",
            "評価の基準があいまいで、頑張っても報われないという不満がたまっていた",
        ],
        "action": [
            "社員との対話会を重ね、現場の困りごとを{people}と一緒に聞いた",
            "社員全員と個別に面談し、辞めた理由と続けたい理由を聴き取った",
            "{people}に任せる範囲を紙に書き出し、本人と合意した",
            "技能の段階表をつくり、若手が次に覚えることを見えるようにした",
        ],
        "change": [
            "社員が改善提案を出すようになり、会議の雰囲気が変わった",
            "離職者が減り、若手社員が{product}の工程を任されるようになった",
            "紹介による採用が{n}人あり、人手不足が和らいだ",
        ],
        "request": ["{people}から、社員が言うことを聞かないという相談があった",
                    "求人を出しても人が来ないという相談だった"],
        "owner": ["社員がなかなか付いて来なくて、もう自分でやるしかないと思っていました。",
                  "若い人が何を考えているのか、正直分からないんです。"],
    },
    "dx": {
        "situation": [
            "ＤＸの必要性は感じているものの、紙と電話の受注から抜け出せずにいた",
            "受発注をファクスで受けており、入力ミスによる誤配送が月に{n}件ほどあった",
            "在庫を手書きの台帳で管理しており、{people}しか全体を把握していなかった",
            "補助金でシステムを入れたが、現場が使わず紙の運用に戻っていた",
        ],
        "cause": [
            "社内にITに詳しい人がおらず、デジタル化を進めるノウハウも人手も足りなかった",
            "ベテラン社員が新しいシステムに強く反発していた",
            "{people}は「うちは小さいからITは関係ない」と考えていた",
        ],
        "action": [
            "業務の流れを書き出し、紙の伝票をクラウドの受注管理に置き換えた",
            "ITに詳しい専門家を派遣してもらい、小さな業務から試しに電子化した",
            "反発していたベテラン社員に、新しい仕組みの使い勝手の評価役を頼んだ",
        ],
        "change": [
            "受注から出荷までの時間が半分になり、残業が大きく減った",
            "誤配送がほぼなくなり、取引先からの問い合わせ対応の時間が減った",
            "ベテラン社員が若手に入力のこつを教えるようになった",
        ],
        "request": ["ホームページを作り直したいという相談がきっかけだった",
                    "ＩＴ導入補助金を使いたいという相談だった"],
        "owner": ["パソコンはどうも苦手でね。", "システムを入れれば何とかなると思っていました。"],
    },
    "price": {
        "situation": [
            "原材料費の高騰を価格に転嫁できず、{product}の粗利が年々下がっていた",
            "元請けからの単価は{n}年間据え置かれ、人件費の上昇分を吸収できなくなっていた",
            "電気代と資材の値上がりで、受注するほど赤字になる案件が出ていた",
        ],
        "cause": [
            "取引先一社への依存度が高く、値上げ交渉を切り出せずにいた",
            "原価の積算をしておらず、交渉の根拠になる資料がなかった",
        ],
        "action": [
            "価格転嫁の交渉に向けて、原価の根拠資料を一緒に作成した",
            "取引先ごとの採算を並べ、値上げをお願いする順番を{people}と決めた",
            "下請け取引の相談窓口や価格交渉の支援策を紹介した",
        ],
        "change": [
            "{product}の価格改定を取引先に受け入れてもらい、粗利率が{n}ポイント改善した",
            "元請けとの定期的な価格協議の場ができた",
        ],
        "request": ["値上げの交渉をどう切り出せばよいかという相談だった"],
        "owner": ["値上げを言い出したら取引を切られるんじゃないかと怖くて。"],
    },
    "market": {
        "situation": [
            "新規事業として{product}に取り組みたいが、何から手を付けるべきか見えていなかった",
            "ネット通販に参入したが、{product}の売上は伸び悩んでいた",
            "地元の取引先への出荷が売上の{n}割を占め、販路が先細りしていた",
            "海外に{product}を売りたいが、輸出の経験がなかった",
        ],
        "cause": [
            "やる気はあるが、{product}の販路開拓に必要なノウハウや人材が足りなかった",
            "自社の強みを言葉にできず、商談でも価格の話しかできなかった",
        ],
        "action": [
            "強みを掘り下げる問いかけを続け、{product}の品質へのこだわりを強みとして言語化した",
            "専門家を紹介し、{product}のネット販売の仕組みづくりを支援した",
            "展示会への出展準備を支援し、商談用の資料を一緒に作った",
        ],
        "change": [
            "新規事業の{product}が黒字化し、売上の柱が二本になった",
            "ネット通販の売上が前年の{n}倍になった",
            "展示会をきっかけに県外の取引先が{n}社増えた",
        ],
        "request": ["{product}の新しい販路を紹介してほしいという相談だった"],
        "owner": ["ネットで売れと言われても、誰がやるのかという話で。",
                  "うちの{product}は品質では負けないと思っています。"],
    },
}
GENERAL_ACTIONS = [
    "支援者はまず{people}の話をじっくり傾聴し、会社の歴史と思いを言葉にしてもらった",
    "ローカルベンチマークを使って財務と非財務の両面から現状を可視化した",
    "経営デザインシートで、これまでの価値創造の仕組みと{n}年後の姿を描いた",
    "{people}が自ら課題を設定できるよう、答えを示さずに問いを投げかけた",
]
GENERAL_CHANGES = [
    "{people}が支援者に頼らず、自走して次の課題に取り組むようになった",
    "{people}が「自分で決めた」と話すようになり、行動が速くなった",
]
SUPPORTER_LINES = [
    ("問いかけ", "五年後、どんな会社になっていたいですか。"),
    ("傾聴", "なるほど、そこまで一人で抱えてこられたんですね。"),
    ("問いかけ", "{product}で一番お客様に喜ばれているのは何だと思いますか。"),
    ("要約", "つまり、判断を任せられる人がいないことが一番の不安なんですね。"),
    ("問いかけ", "社員の皆さんは、今の状況をどう見ていると思いますか。"),
    ("共感", "それは悔しかったでしょうね。"),
]
QUESTIONS = [
    "あなたが支援者なら、最初の面談で何を聞きますか。",
    "この経営者が課題に気付いたきっかけは何だったでしょうか。",
    "問題点検型から傾聴型に切り替えた判断は妥当だったでしょうか。",
    "この事例の壁は、どの順に乗り越えられたと考えますか。",
    "あなたなら、社員との対話の場をどのように設けますか。",
]
TITLES = {"cash": "資金繰り改善", "succession": "事業承継", "people": "組織づくり", "dx": "DX",
          "price": "価格転嫁", "market": "販路開拓"}

AND_QUERIES = ["資金繰り", "後継者 育成", "社員 付いてこない", "価格転嫁", "事業承継", "ＤＸ 受注",
               "離職 定着", "新規事業", "ローカルベンチマーク", "引継ぎ 技能", "試算表", "販路開拓",
               "粗利 改善", "経営デザインシート", "場当たり 資金繰り", "人手不足 納期"]
OR_QUERIES = [
    "後継者 育成 社員が付いてこない 製造業",
    "資金繰り 返済 金融機関 経営改善計画 旅館",
    "値上げ交渉 原材料 取引先 依存 建設業",
    "ネット通販 売上 伸び悩み 小売 若手",
    "職人 技能 属人化 引き継ぎ 高齢化 運送",
    "補助金 設備投資 稼働率 効果 見えない 食品",
]
FILTER_QUERIES = ["資金繰り", "後継者", "社員", "価格", "対話", "可視化", "承継", "販路"]


def _fill(template: str, rng: random.Random) -> str:
    return template.format(product=rng.choice(PRODUCTS), people=rng.choice(PEOPLE),
                           n=rng.choice(NUMBERS))


def _pick(pool: list[str], rng: random.Random, count: int) -> list[str]:
    return [_fill(s, rng) + "。" for s in rng.sample(pool, min(count, len(pool)))]


def _terms(vocabulary: Vocabulary, facet: str, rng: random.Random, low: int, high: int):
    terms = vocabulary[facet].terms
    return rng.sample(terms, min(len(terms), rng.randint(low, high)))


def synthetic_case(number: int, vocabulary: Vocabulary, rng: random.Random) -> Case:
    """One plausible case: a main and a second topic, four sections, a dialogue, all facets."""
    main, second = rng.sample(list(TOPICS), 2)
    pool, other = TOPICS[main], TOPICS[second]
    product = rng.choice(PRODUCTS)
    challenge = "\n".join(
        _pick(pool["situation"], rng, 3) + _pick(other["situation"], rng, 1)
        + _pick(pool["cause"], rng, 2) + _pick(other["cause"], rng, 1)
    )
    approach = "\n".join(
        _pick(GENERAL_ACTIONS, rng, 2) + _pick(pool["action"], rng, 3)
        + _pick(other["action"], rng, 1)
    )
    change = "\n".join(
        _pick(pool["change"], rng, 2) + _pick(other["change"], rng, 1)
        + _pick(GENERAL_CHANGES, rng, 1)
    )
    request = "".join(_pick(pool["request"], rng, 1)) + f"扱う商品は主に{product}である。"
    utterances = []
    for turn in range(4):
        skill_name, line = rng.choice(SUPPORTER_LINES)
        skill = vocabulary["skill"].get(skill_name) if "skill" in vocabulary else None
        owner = rng.choice(pool["owner"] + other["owner"])
        utterances.append(Utterance("支援者", _fill(line, rng), skill, turn * 2 + 1))
        utterances.append(Utterance("経営者", _fill(owner, rng), None, turn * 2 + 2))
    dialogue = Dialogue(tuple(utterances), line=1, end_line=9, section=SECTION_APPROACH)
    sections = [
        Section(SECTION_REQUEST, 1, request, request),
        Section(SECTION_CHALLENGE, 2, challenge, challenge),
        Section(SECTION_APPROACH, 3, approach, approach + "\n" + dialogue.text),
        Section(SECTION_CHANGE, 4, change, change),
        Section(SECTION_QUESTIONS, 5, "", "\n".join(_pick(QUESTIONS, rng, 3))),
    ]
    title = f"{product}の{TITLES[main]}"
    doc = Document(path=Path(f"bench/{number}.md"), rel_path=f"cases/bench-{number}.md",
                   meta={}, meta_lines={}, title=title, body="", body_line=1,
                   sections=sections, dialogues=[dialogue])
    facets = {
        "wall": _terms(vocabulary, "wall", rng, 1, 3),
        "approach": _terms(vocabulary, "approach", rng, 1, 2),
        "theme": _terms(vocabulary, "theme", rng, 1, 3),
        "industry": _terms(vocabulary, "industry", rng, 1, 1),
        "supporter": _terms(vocabulary, "supporter", rng, 1, 1),
        "employees": _terms(vocabulary, "employees", rng, 1, 1),
        "prefecture": _terms(vocabulary, "prefecture", rng, 1, 1),
        "skill": list({u.skill.slug: u.skill for u in utterances if u.skill}.values()),
    }
    return Case(id=f"bench-{number:05d}", doc=doc, alias=f"{number}社",
                kind=rng.choice(["precedent", "exercise"]), status="published", source="",
                industry_detail=f"{product}の製造・販売", facets=facets)


def corpus(size: int, vocabulary: Vocabulary, seed: int = 7) -> list[Case]:
    rng = random.Random(seed)
    return [synthetic_case(n, vocabulary, rng) for n in range(1, size + 1)]


# --- measurements ---------------------------------------------------------------------------

def _timed(function, *args, **kwargs) -> float:
    started = time.perf_counter()
    function(*args, **kwargs)
    return (time.perf_counter() - started) * 1000


def _stats(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"{statistics.median(ordered):.1f} / {p95:.1f}"


def latency_samples(index, vocabulary: Vocabulary, rng: random.Random
                    ) -> dict[str, tuple[list[float], set[str]]]:
    """Milliseconds of each query, per kind of query, and which fallbacks each kind took."""
    index.search("資金繰り")  # warm: dictionary, facet table
    walls = [t.label for t in vocabulary["wall"].terms]
    industries = [t.code or t.label for t in vocabulary["industry"].terms]
    kinds = {
        "AND": [(rng.choice(AND_QUERIES), None) for _ in range(QUERIES_PER_KIND)],
        "OR (long query)": [(rng.choice(OR_QUERIES), None) for _ in range(QUERIES_PER_KIND)],
        "AND + facet filter": [
            (rng.choice(FILTER_QUERIES),
             {"wall": rng.sample(walls, 2), "industry": [rng.choice(industries)]})
            for _ in range(QUERIES_PER_KIND)
        ],
    }
    out = {}
    for name, queries in kinds.items():
        samples, modes = [], set()
        for text, filters in queries:
            started = time.perf_counter()
            results = index.search(text, filters=filters)
            samples.append((time.perf_counter() - started) * 1000)
            modes.add(results.mode)
        out[name] = (samples, modes)
    return out


def first_use_samples(index_dir: Path, vocabulary: Vocabulary, rng: random.Random
                      ) -> dict[str, list[float]]:
    """Milliseconds of each distinct query as the first search of a freshly opened index.

    `latency_samples` repeats its queries on one opened index, which by then holds the
    posting lists it has read (search/arrays.py) and the facet table; a one-off
    `casebook search` has none of them. Opening the index is not counted (see cold start).
    """
    from search import open_index

    walls = [t.label for t in vocabulary["wall"].terms]
    industries = [t.code or t.label for t in vocabulary["industry"].terms]
    kinds = {
        "AND": [(text, None) for text in AND_QUERIES],
        "OR (long query)": [(text, None) for text in OR_QUERIES],
        "AND + facet filter": [
            (text, {"wall": rng.sample(walls, 2), "industry": [rng.choice(industries)]})
            for text in FILTER_QUERIES
        ],
    }
    out = {}
    for name, queries in kinds.items():
        out[name] = []
        for text, filters in queries:
            with open_index(index_dir, vocabulary) as index:
                out[name].append(_timed(index.search, text, filters=filters))
    return out


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def latencies(index, vocabulary: Vocabulary, rng: random.Random) -> dict[str, str]:
    """Median / p95 milliseconds per kind of query, and which fallback each kind took."""
    return {name: f"{_stats(samples)} ms ({'/'.join(sorted(modes))})"
            for name, (samples, modes) in latency_samples(index, vocabulary, rng).items()}


def cold_start_ms(root: Path, index_dir: Path, runs: int = 5) -> float:
    """`casebook search` as a fresh process, as a user at a terminal runs it: median ms."""
    command = [sys.executable, "-m", "pipeline.cli", "search", "--root", str(root),
               "--index", str(index_dir), "資金繰り", "場当たり", "--wall", "見えない"]
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=REPO, check=True, capture_output=True)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def cold_start(root: Path, index_dir: Path, runs: int = 5) -> str:
    return f"{cold_start_ms(root, index_dir, runs):.0f} ms (of {runs})"


def run(size: int, procs: int, vocabulary: Vocabulary, taxonomy: Path, work: Path) -> dict:
    from search import build_index, open_index
    from search.analysis import analyse_line

    started = time.perf_counter()
    cases = corpus(size, vocabulary)
    generate = time.perf_counter() - started
    chars = sum(len(s.text) for c in cases for s in c.doc.sections)
    index_dir = work / f"index-{size}-{procs}"
    analyse_line.cache_clear()  # each run pays for its own Sudachi work
    stats = build_index(cases, index_dir, procs=procs)
    root = work / "project"
    (root / "content").mkdir(parents=True, exist_ok=True)
    shutil.copy(taxonomy, root / "content" / "taxonomy.yml")
    row = {
        # Other processes on the machine slow every number here; say how busy it was.
        "load": f"{os.getloadavg()[0]:.1f}",
        "cases": f"{size:,}",
        "procs": procs,
        "text": f"{chars / size:.0f} chars/case",
        "generate": f"{generate:.1f} s",
        "build": f"{stats.seconds:.1f} s",
        "size": f"{stats.size_bytes / 1e6:.1f} MB",
    }
    opened = time.perf_counter()
    with open_index(index_dir, vocabulary) as index:
        row["open"] = f"{(time.perf_counter() - opened) * 1000:.0f} ms"
        row.update(latencies(index, vocabulary, random.Random(size)))
        similar = [_timed(index.similar, c.id, 5) for c in cases[:20]]
        row["similar"] = f"{statistics.median(similar):.1f} ms"
    row["CLI cold start"] = cold_start(root, index_dir)
    return row


def measure_built(root: Path, index_dir: Path, vocabulary: Vocabulary) -> dict:
    """Latencies and cold start of an index a site build wrote (`bench/build.py --keep`)."""
    from search import open_index

    opened = time.perf_counter()
    with open_index(index_dir, vocabulary) as index:
        row = {"load": f"{os.getloadavg()[0]:.1f}", "cases": f"{index.documents:,}",
               "index": str(index_dir),
               "open": f"{(time.perf_counter() - opened) * 1000:.0f} ms"}
        row.update(latencies(index, vocabulary, random.Random(7)))
    for name, samples in first_use_samples(index_dir, vocabulary, random.Random(7)).items():
        row[f"{name} first use"] = f"{statistics.median(samples):.1f} / {max(samples):.1f} ms"
    row["CLI cold start"] = cold_start(root, index_dir)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--built", type=Path, nargs="+", metavar="PROJECT",
                        help="measure the indexes site builds wrote (PROJECT/.casebook-index) "
                             "instead of building synthetic ones")
    parser.add_argument("--procs", type=int, nargs="+", default=[1],
                        help="writer processes to compare, e.g. --procs 1 2")
    parser.add_argument("--taxonomy", type=Path, default=REPO / "content" / "taxonomy.yml")
    parser.add_argument("--keep", type=Path, help="write indexes here and keep them")
    args = parser.parse_args(argv)
    vocabulary = load_vocabulary(args.taxonomy)
    work = args.keep or Path(tempfile.mkdtemp(prefix="casebook-bench-"))
    rows = []
    try:
        for project in args.built or []:
            row = measure_built(project, project / ".casebook-index", vocabulary)
            rows.append(row)
            print(" | ".join(f"{k}: {v}" for k, v in row.items()), file=sys.stderr)
        for size in args.sizes if not args.built else []:
            for procs in args.procs:
                row = run(size, procs, vocabulary, args.taxonomy, work)
                rows.append(row)
                print(" | ".join(f"{k}: {v}" for k, v in row.items()), file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
