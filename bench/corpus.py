"""Synthetic case files for benchmarks: the real format, the real vocabulary, no real people.

    .venv/bin/python bench/corpus.py 1000 /tmp/cases          # write 1,000 case files
    .venv/bin/python bench/corpus.py 1000 /tmp/cases --check  # ... and run the real check

    from corpus import write_corpus
    paths = write_corpus(Path("/tmp/cases"), 1000, seed=7)

Each file is what an author would write: YAML front matter (every field a real case has),
`# 見出し`, the five sections, `[text]{wall=…}` / `{approach=… skill=…}` annotations and a
```dialogue block whose supporter turns carry a skill. Facet values are drawn from
content/taxonomy.yml, written now as the label, now as a code or synonym, as authors do.
Sentences come from phrase pools with slots (product, role, numbers) so that no two cases
read alike; a case is about 2.5–3 KB. Nothing identifying is generated: aliases are single
letters (K社), roles are role words (社長, 後継者), dates stop at the year or month, and no
place below prefecture level, company form, phone number or personal honorific appears, so
the anonymisation check that runs on every case passes (`--check` proves it for a corpus).
The same seed always gives the same files.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from casebook.vocabulary import Term, Vocabulary, load_vocabulary  # noqa: E402

TAXONOMY = REPO / "content" / "taxonomy.yml"
ID_PREFIX = "bench-"

# --- who the businesses are ---------------------------------------------------------------

# industry code -> (weight, [(industry_detail, products)]); weights roughly follow how often
# each industry comes to a support centre, so facet pages have realistic, uneven sizes.
INDUSTRIES: dict[str, tuple[int, list[tuple[str, list[str]]]]] = {
    "E": (26, [
        ("精密部品加工業", ["精密部品", "試作部品", "治具"]),
        ("金属プレス加工業", ["プレス部品", "板金部品"]),
        ("樹脂成形業", ["樹脂成形品", "医療用容器"]),
        ("食料品製造業", ["惣菜", "冷凍食品", "和菓子", "漬物"]),
        ("金型製造業", ["金型", "試作金型"]),
        ("印刷業", ["商業印刷", "パッケージ印刷"]),
        ("木製家具製造業", ["家具", "造作家具"]),
        ("酒類製造業", ["地酒", "果実酒"]),
    ]),
    "I": (16, [
        ("食品卸売業", ["業務用食材", "青果"]),
        ("衣料品小売業", ["婦人服", "作業服"]),
        ("酒類小売業", ["地酒", "ワイン"]),
        ("金物小売業", ["工具", "金物"]),
        ("生花小売業", ["切り花", "贈答用の花"]),
    ]),
    "M": (12, [
        ("旅館業", ["宿泊プラン", "日帰り入浴"]),
        ("飲食店", ["ランチ営業", "仕出し弁当", "宴会コース"]),
        ("喫茶店", ["焼き菓子", "コーヒー豆"]),
    ]),
    "D": (10, [
        ("住宅リフォーム業", ["リフォーム工事", "水回り工事"]),
        ("土木工事業", ["舗装工事", "外構工事"]),
        ("内装工事業", ["店舗内装", "内装仕上げ"]),
    ]),
    "H": (6, [
        ("一般貨物自動車運送業", ["冷蔵輸送", "路線便"]),
        ("倉庫業", ["保管サービス", "物流代行"]),
    ]),
    "P": (6, [
        ("訪問介護事業", ["訪問介護サービス"]),
        ("通所介護事業", ["デイサービス", "リハビリ教室"]),
    ]),
    "A": (5, [
        ("施設園芸農業", ["いちご", "トマト"]),
        ("稲作農業", ["米", "米粉製品"]),
        ("林業", ["木材", "薪"]),
    ]),
    "G": (5, [
        ("受託ソフトウェア開発業", ["業務システム", "スマホアプリ"]),
        ("ウェブ制作業", ["ホームページ制作", "ネット広告運用"]),
    ]),
    "N": (5, [
        ("美容業", ["カット", "ヘアケア商品"]),
        ("クリーニング業", ["宅配クリーニング", "布団丸洗い"]),
        ("旅行業", ["体験型ツアー", "団体旅行"]),
    ]),
    "R": (4, [
        ("自動車整備業", ["車検整備", "板金塗装"]),
        ("ビルメンテナンス業", ["清掃サービス", "設備点検"]),
    ]),
    "O": (2, [("学習塾", ["個別指導", "映像授業"])]),
    "K": (1, [("不動産賃貸業", ["賃貸住宅", "貸し倉庫"])]),
    "L": (1, [("デザイン業", ["パッケージデザイン", "ロゴ制作"])]),
    "B": (1, [("沿岸漁業", ["鮮魚", "干物"])]),
}

# Uneven like real use: most cases meet 見えない, most support is 傾聴型.
WALL_WEIGHTS = {"mienai": 5, "mukiawanai": 3, "jikko-dekinai": 3, "tsuitekonai": 3, "tarinai": 2}
APPROACH_WEIGHTS = {"keicho-gap": 5, "strength-discovery": 3, "problem-inspection": 2}
SUPPORTER_WEIGHTS = {"yorozu": 6, "shokokai": 6, "shokokaigisho": 6, "regional-banks": 6}

OWNERS = ["社長", "経営者", "代表", "後継者", "専務", "女将", "二代目"]
STAFF = ["社員", "現場の職人", "パート従業員", "若手社員", "ベテラン社員", "店長", "工場長",
         "経理担当者", "営業担当", "幹部社員"]
ALIASES = "ABCDEFGHJKLMNPRSTUWXYZ"

# How the supporter appears in the story (the facet label reads oddly in a sentence).
SUPPORTER_TEXT = {
    "yorozu": "よろず支援拠点", "shokokai": "地元の商工会", "shokokaigisho": "地元の商工会議所",
    "chuokai": "中小企業団体中央会", "kanmin-team": "官民合同チーム", "smrj": "中小機構",
    "regional-banks": "取引のある信用金庫", "shigyo": "顧問の中小企業診断士",
    "local-government": "自治体の産業振興窓口", "meti-bureau": "経済産業局の窓口",
    "private-support": "民間の経営コンサルタント",
}

# --- phrase pools -------------------------------------------------------------------------

INTROS = [
    "{detail}を営む{alias}。{situation}",
    "{alias}は、{product}を主力とする{detail}の事業者です。{situation}",
    "創業{years}年になる{detail}の{alias}。{situation}",
    "{alias}は従業員{staff_count}人ほどの{detail}です。{situation}",
]
SITUATIONS = [
    "売上が前年から二割落ち込み、{owner}は資金繰りに追われていました。",
    "受注は多いのに利益が残らず、どの{product}で稼いでいるのか分からない状態でした。",
    "{owner}が一人で判断を抱え込み、{staff}が指示を待つ職場になっていました。",
    "事業承継を数年後に控えながら、後継者の育成が進んでいませんでした。",
    "人手不足で{product}の納期が遅れがちになり、取引先の信頼が揺らいでいました。",
    "原材料費の高騰を価格に転嫁できず、{product}の粗利が年々下がっていました。",
    "新しく{product}に取り組みたいものの、何から手を付けるべきか見えていませんでした。",
    "紙と電話の受注から抜け出せず、同じ入力を何度も繰り返していました。",
    "ベテランの技能が属人化し、引き継ぎの仕組みがありませんでした。",
    "借入金の返済が重く、金融機関から経営改善計画の提出を求められていました。",
]
REQUESTS = [
    "{owner}が{supporter}に「{quote}」と相談したことが始まりでした。",
    "きっかけは、{supporter}の窓口に寄せられた「{quote}」という相談でした。",
    "{supporter}の担当者が訪問した際、{owner}から「{quote}」と打ち明けられました。",
]
QUOTES = [
    "補助金の申請を手伝ってほしい", "借入の返済条件を見直したい", "ホームページを作り直したい",
    "{product}の新しい販路を紹介してほしい", "人が採れないので何とかしたい",
    "値上げをどう切り出せばよいか教えてほしい",
    "会社を継がせたいが、何から始めればよいか分からない",
    "社員が言うことを聞いてくれない", "新しい機械を入れるべきか迷っている",
    "ネット販売を始めたいが、やり方が分からない",
]
REQUEST_FOLLOW = [
    "ただ、話を聞くうちに、相談の内容そのものより根の深い問題があることが分かってきました。",
    "支援者は、まず{owner}の話を最後まで聞くことから始めました。",
    "相談は一度で終わらず、{months}か月にわたる伴走支援になりました。",
    "支援者は、すぐに答えを出さず、会社の歴史と{owner}の思いを尋ねることにしました。",
]

# wall slug -> sentences that show the wall; `{wall}` becomes the annotation.
WALL_SENTENCES = {
    "mienai": [
        "[どの{product}で利益が出ているのか、数字で把握できていなかった]{wall}。",
        "[資金繰り表がなく、数か月先の手元資金の動きが見えていなかった]{wall}。",
        "[人の管理や設備投資への対応が場当たり的だった]{wall}。",
        "[月次の試算表が届くのは三か月後で、経営の状態を振り返る習慣がなかった]{wall}。",
        "[売上は伸びているのに利益が残らない理由を、社内の誰も説明できなかった]{wall}。",
    ],
    "mukiawanai": [
        "[{owner}は「まだ何とかなる」と言い、赤字の{product}の見直しを先送りしていた]{wall}。",
        "[事業承継の話題になると、{owner}は話をそらしていた]{wall}。",
        "[属人的な経営から組織的な経営へ移る必要を、{owner}自身が感じていなかった]{wall}。",
        "[取引先一社への依存が高いと知りながら、その危うさから目をそらしていた]{wall}。",
    ],
    "jikko-dekinai": [
        "[値上げが必要だと分かっていても、長年の取引先に切り出せずにいた]{wall}。",
        "[先代への遠慮があり、新しいやり方を試せなかった]{wall}。",
        "[新事業の計画は何度も作ったが、日々の業務に追われて着手できなかった]{wall}。",
        "[{staff}に任せたい仕事があるのに、手放すことができなかった]{wall}。",
    ],
    "tsuitekonai": [
        "[改革を進めようとすると、{staff}との間に軋轢が生じた]{wall}。",
        "[新しい受注管理の仕組みを入れても、現場では紙の伝票が使われ続けた]{wall}。",
        "[{owner}の方針が現場に伝わらず、{staff}は指示を待つだけになっていた]{wall}。",
        "[会議で意見を求めても、{staff}から声が上がらなかった]{wall}。",
    ],
    "tarinai": [
        "[成長を担う幹部人材が育っておらず、{owner}がすべてを抱えていた]{wall}。",
        "[{product}の販路を広げたくても、営業を担える人材がいなかった]{wall}。",
        "[ネット販売に取り組むノウハウが社内になかった]{wall}。",
        "[設備を更新する資金の手当てがついていなかった]{wall}。",
    ],
}
CHALLENGE_EXTRA = [
    "課題は、まず「{goal}」こと、次に「{goal2}」ことと、二段階で設定された。",
    "対話を重ねた結果、「{goal}」ことが当面の課題として設定された。",
    "{owner}と支援者は、「{goal}」ことを最初の課題とすることで合意した。",
]
GOALS = [
    "{product}ごとの採算を見える化する", "資金が尽きる前に手を打つ", "五年後の姿を社内で共有する",
    "後継者に任せる仕事を決める", "取引先に価格改定を提案する", "受注から出荷までの流れを見直す",
    "{staff}が自ら改善を提案できる場をつくる", "自社の強みを言葉にする",
]

# approach slug -> annotated sentences; `{approach}` becomes `approach=…` (with a skill).
APPROACH_SENTENCES = {
    "keicho-gap": [
        ("[{owner}の考えを時間をかけて傾聴し]{{{approach} skill=傾聴}}、"
         "ありたい姿と現状とのずれを一緒に確かめた。"),
        ("[五年後にどうなっていたいかを尋ね、今とのギャップを{owner}自身の言葉で整理してもらった]"
         "{{{approach} skill=問いかけ}}。"),
        "[{staff}の話にも耳を傾け、{owner}の思いとの食い違いを見つけた]{{{approach}}}。",
    ],
    "strength-discovery": [
        ("[{product}が取引先に選ばれてきた理由を問いかけ、品質へのこだわりを強みとして言語化した]"
         "{{{approach} skill=問いかけ}}。"),
        "[長年の顧客の声を{staff}と一緒に拾い直し、自社の強みを掘り起こした]{{{approach}}}。",
        ("[{owner}の苦労話に共感しながら、これまで乗り越えてきた場面を振り返ってもらった]"
         "{{{approach} skill=共感}}。"),
    ],
    "problem-inspection": [
        "[資金繰り表と{product}ごとの収支を点検し、赤字の原因をはっきり指摘した]{{{approach}}}。",
        ("[決算書を三期分読み込み、過大な在庫という問題点を特定して改善策を示した]"
         "{{{approach} skill=提案}}。"),
        "[業務の流れを一つずつ点検し、二重入力という無駄を指摘した]{{{approach}}}。",
    ],
}
ACTIONS = [
    "ローカルベンチマークを使い、財務と非財務の両面から現状を整理した。",
    "経営デザインシートで、これまでの価値創造の仕組みと五年後の姿を描いた。",
    "{staff}との対話会を月に一度設け、現場の困りごとを{owner}と一緒に聞いた。",
    "専門家派遣の制度を使い、{product}のネット販売の仕組みづくりを支援した。",
    "原価の根拠資料を一緒に作り、取引先との価格交渉に備えた。",
    "紙の伝票をやめ、受注から請求までをクラウドの管理表にまとめた。",
    "後継者と先代を交えた三者面談を設け、承継の時期と役割分担を話し合った。",
    "答えを示さずに問いを重ね、{owner}が自ら課題を設定できるよう待った。",
]

SUPPORTER_TURNS = [
    ("傾聴", "まずは、これまでの歩みを聞かせてください。"),
    ("問いかけ", "五年後、どんな会社になっていたいですか。"),
    ("共感", "そこまで一人で抱えてこられたのは、大変でしたね。"),
    ("問いかけ", "{product}で、お客様に一番喜ばれているのは何だと思いますか。"),
    ("提案", "まず、今月と来月の入金と支払いを一行ずつ書き出してみませんか。"),
    ("問いかけ", "{staff}の方々は、今の状況をどう見ていると思いますか。"),
    ("提案", "次にお会いするまでに、{staff}の方と一度話す時間を取ってみてはどうでしょう。"),
    ("問いかけ", "{owner}が休んだ日に、現場を回しているのは誰ですか。"),
    ("傾聴", "なるほど。そのとき、どんなお気持ちでしたか。"),
    ("共感", "取引先との長いお付き合いを大事にされてきたんですね。"),
    ("", "数字を一緒に見てみると、{product}は作るほど赤字が増えています。"),
]
CLIENT_TURNS = [
    "正直、数字は顧問税理士に任せきりでした。",
    "みんな付いて来なくて、もう自分でやるしかないと思っていました。",
    "継がせたい気持ちはあるが、まだ任せられる気がしないんです。",
    "値上げを言い出したら取引を切られるんじゃないかと怖くて。",
    "うちの{product}は、品質では負けないと思っています。",
    "ネットで売れと言われても、誰がやるのかという話で。",
    "……考えたこともなかったですね。",
    "言われてみれば、{staff}に任せられることはもっとあるかもしれない。",
    "先代が築いたやり方を変えるのは、どうしても気が引けるんです。",
    "{years}年やってきて、こんなふうに振り返ったのは初めてです。",
]

CHANGES = [
    "{owner}が自ら月次の数字を確かめるようになり、資金繰りの不安が和らいだ。",
    "{staff}が改善提案を出すようになり、会議の雰囲気が変わった。",
    "{product}の価格改定が取引先に受け入れられ、粗利率が{points}ポイント改善した。",
    "後継者が営業と採用を担うようになり、事業承継の計画が具体的になった。",
    "離職者が減り、若手社員が{product}の工程を任されるようになった。",
    "新たに始めた{product}が{year}年に黒字化し、売上の柱が二本になった。",
    "受注から出荷までの時間が半分になり、残業が大きく減った。",
    "金融機関との対話が進み、返済条件の見直しに応じてもらえた。",
    "{owner}が支援者に頼らず、自走して次の課題に取り組むようになった。",
    "{year}年度の売上は前年比{percent}％増となった。",
    "{staff}が自分たちで{product}の品質目標を決め、不良率が下がった。",
]
QUESTIONS = [
    "あなたが支援者なら、最初の面談で{owner}に何を尋ねますか。",
    "この事例で「{wall}」の壁に気付くきっかけになったのは何だったでしょうか。",
    "問題点検型アプローチではなく対話型のアプローチを選ぶことが妥当なのは、どんな場面でしょうか。",
    "{staff}の受け止め方は、支援の前と後でどう変わったと考えられますか。",
    "支援者が答えを示さずに問いかけたことには、どんな意味があったでしょうか。",
    "この事例に現れた壁は、どの順に乗り越えられていったと考えますか。",
    "資料に書かれていることと、あなたの推測とを分けて、支援の成果を説明してください。",
]

TITLE_FROM = ["場当たり的な経営", "勘と経験に頼る経営", "一人で抱え込む経営", "どんぶり勘定",
              "下請け一本の商売", "紙と電話の受注", "先送りしてきた事業承継", "値上げできない取引"]
TITLE_TO = ["数字で語り合う経営", "社員とともに考える経営", "強みを生かした自社製品づくり",
            "価格を自ら決められる取引", "任せて育てる組織", "後継者と描く五年後の計画",
            "現場から改善が生まれる職場"]
EXERCISE_TITLES = [
    "【演習】{hook}{detail} ― {turn}",
]
HOOKS = ["値上げを切り出せない", "後継者が決まらない", "資金が尽きかけた", "人が定着しない",
         "新事業に踏み出せない", "紙の受注から抜け出せない"]
TURNS = ["強みの言語化から価格交渉へ", "対話を重ねて五年後の姿を描く", "数字の見える化から始める",
         "問題点検型から対話型に切り替える", "社員との対話会で当事者意識を育てる"]

SOURCE_PRECEDENT = "ベンチマーク用に合成した事例（実在の事業者の事例ではありません）"
SOURCE_EXERCISE = "演習用に作成した架空の事例（ベンチマーク用の合成データ）"


@dataclass
class _Slots:
    """The values one case fills its phrase slots with, so a case stays consistent."""

    rng: random.Random
    alias: str
    detail: str
    products: list[str]
    owner: str
    supporter: str
    years: int

    def fill(self, template: str, **extra: str) -> str:
        rng = self.rng
        values = {
            "alias": self.alias, "detail": self.detail, "owner": self.owner,
            "product": rng.choice(self.products), "staff": rng.choice(STAFF),
            "supporter": self.supporter, "years": str(self.years),
            "staff_count": str(rng.choice([4, 8, 15, 30, 45, 80, 120])),
            "months": str(rng.randint(3, 18)), "points": str(rng.randint(2, 9)),
            "percent": str(rng.randint(3, 30)), "year": str(rng.randint(2019, 2024)),
        }
        values.update(extra)
        return template.format(**values)


def _pick(rng: random.Random, terms: list[Term], low: int, high: int,
          weights: dict[str, float] | None = None) -> list[Term]:
    """`low`..`high` distinct terms; `weights` by slug (1 for a slug not named)."""
    count = rng.randint(low, min(high, len(terms)))
    by_slug = [(weights or {}).get(t.slug, 1) for t in terms]
    chosen: list[Term] = []
    while len(chosen) < count:
        term = rng.choices(terms, weights=by_slug)[0]
        if term not in chosen:
            chosen.append(term)
    return chosen


def _written(term: Term, rng: random.Random, *, code: bool = False) -> str:
    """The term as an author might write it: mostly the label, sometimes a code or synonym."""
    roll = rng.random()
    if code and term.code and roll < 0.4:
        return term.code
    if term.synonyms and roll > 0.85:
        return rng.choice(term.synonyms)
    return term.label


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def case_text(number: int, vocabulary: Vocabulary, rng: random.Random) -> str:
    """One complete case file (front matter and body) for case `number`."""
    industries = vocabulary["industry"]
    code = rng.choices(list(INDUSTRIES), weights=[w for w, _ in INDUSTRIES.values()])[0]
    industry = industries.get(code)
    detail, products = rng.choice(INDUSTRIES[code][1])
    supporter = _pick(rng, vocabulary["supporter"].terms, 1, 1, SUPPORTER_WEIGHTS)[0]
    slots = _Slots(rng, alias=rng.choice(ALIASES) + "社", detail=detail, products=products,
                   owner=rng.choice(OWNERS),
                   supporter=SUPPORTER_TEXT.get(supporter.slug, supporter.label),
                   years=rng.choice([12, 25, 38, 50, 70, 96]))
    walls = _pick(rng, vocabulary["wall"].terms, 1, 3, WALL_WEIGHTS)
    approaches = _pick(rng, vocabulary["approach"].terms, 1, 2, APPROACH_WEIGHTS)
    themes = _pick(rng, vocabulary["theme"].terms, 1, 3)
    kind = "exercise" if rng.random() < 0.4 else "precedent"

    if kind == "exercise":
        title = slots.fill(rng.choice(EXERCISE_TITLES), hook=rng.choice(HOOKS),
                           turn=rng.choice(TURNS))
    else:
        title = f"{rng.choice(TITLE_FROM)}から、{rng.choice(TITLE_TO)}へ"

    meta = [
        "---",
        f"id: {ID_PREFIX}{number:05d}",
        f"title: {title}",
        f"alias: {slots.alias}",
        f"kind: {kind}",
        f"industry: {_written(industry, rng, code=True)}",
        f"industry_detail: {detail}",
        f"prefecture: {_written(rng.choice(vocabulary['prefecture'].terms), rng)}",
    ]
    if rng.random() < 0.85:
        meta.append(f"employees: {rng.choice(vocabulary['employees'].terms).label}")
    meta += [
        f"supporter: {_written(supporter, rng)}",
        f"themes: {_flow([_written(t, rng) for t in themes])}",
        f"walls: {_flow([t.label for t in walls])}",
        f"approaches: {_flow([_written(t, rng) for t in approaches])}",
    ]
    if rng.random() < 0.3:
        steps = sorted(_pick(rng, vocabulary["step"].terms, 1, 2), key=lambda t: t.slug)
        meta.append(f"steps: {_flow([t.label for t in steps])}")
    meta += [f"source: {SOURCE_EXERCISE if kind == 'exercise' else SOURCE_PRECEDENT}",
             "status: published", "---"]

    body = [f"# {title}", "",
            slots.fill(rng.choice(INTROS), situation=slots.fill(rng.choice(SITUATIONS))), ""]

    body += ["## 当初の相談", "",
             slots.fill(rng.choice(REQUESTS), quote=slots.fill(rng.choice(QUOTES)))
             + slots.fill(rng.choice(REQUEST_FOLLOW)), ""]

    body += ["## 設定された課題", ""]
    for wall in walls:
        annotation = "{wall=" + _written(wall, rng) + "}"
        sentence = slots.fill(rng.choice(WALL_SENTENCES[wall.slug]), wall=annotation)
        body.append(f"- {sentence}")
    goal, goal2 = (slots.fill(g) for g in rng.sample(GOALS, 2))
    body += [f"- {slots.fill(rng.choice(CHALLENGE_EXTRA), goal=goal, goal2=goal2)}", ""]

    body += ["## 支援アプローチ", ""]
    for approach in approaches:
        annotation = "approach=" + _written(approach, rng)
        body.append("- " + slots.fill(rng.choice(APPROACH_SENTENCES[approach.slug]),
                                      approach=annotation))
    body += [f"- {slots.fill(a)}" for a in rng.sample(ACTIONS, rng.randint(1, 2))]
    body += ["", "```dialogue"]
    for supporter_turn, client_turn in zip(
        rng.sample(SUPPORTER_TURNS, rng.randint(2, 4)), rng.sample(CLIENT_TURNS, 4), strict=False
    ):
        skill, line = supporter_turn
        speaker = f"支援者[{skill}]" if skill else "支援者"
        body += [f"{speaker}: {slots.fill(line)}", f"{slots.owner}: {slots.fill(client_turn)}"]
    body += ["```", ""]

    body += ["## 生まれた事業上の変化", ""]
    body += [f"- {slots.fill(c)}" for c in rng.sample(CHANGES, rng.randint(2, 3))]
    body += ["", "## 考えてみよう", ""]
    questions = rng.sample(QUESTIONS, rng.randint(2, 3))
    body += [f"{i}. {slots.fill(q, wall=rng.choice(walls).label)}"
             for i, q in enumerate(questions, start=1)]
    return "\n".join(meta + body) + "\n"


def case_texts(size: int, *, seed: int = 7, vocabulary: Vocabulary | None = None
               ) -> Iterator[tuple[str, str]]:
    """(file name, text) of `size` cases; the same seed gives the same corpus."""
    vocabulary = vocabulary or load_vocabulary(TAXONOMY)
    rng = random.Random(seed)
    for number in range(1, size + 1):
        yield f"{ID_PREFIX}{number:05d}.md", case_text(number, vocabulary, rng)


def write_corpus(directory: Path, size: int, *, seed: int = 7,
                 vocabulary: Vocabulary | None = None) -> list[Path]:
    """Write `size` case files into `directory` (created if missing); return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in case_texts(size, seed=seed, vocabulary=vocabulary):
        path = directory / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def check_corpus(cases_dir: Path) -> None:
    """Run the real `casebook check` (schema, vocabulary, anonymisation) over `cases_dir`."""
    import shutil
    import tempfile

    from casebook.problems import CheckError
    from pipeline.load import load_library
    from pipeline.options import BuildOptions

    with tempfile.TemporaryDirectory(prefix="casebook-corpus-") as tmp:
        root = Path(tmp)
        (root / "content").mkdir()
        shutil.copy(TAXONOMY, root / "content" / "taxonomy.yml")
        options = BuildOptions(root=root, cases_dir=str(Path(cases_dir).resolve()))
        try:
            library = load_library(options)
        except CheckError as error:
            raise SystemExit(error.report()) from None
    print(f"check passed: {len(library.cases)} cases", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="run the real check afterwards")
    args = parser.parse_args(argv)
    paths = write_corpus(args.directory, args.size, seed=args.seed)
    total = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} cases, {total / len(paths) / 1024:.2f} KB per case on average",
          file=sys.stderr)
    if args.check:
        check_corpus(args.directory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
