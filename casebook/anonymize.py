"""The anonymisation check: find identifying details in the text a reader receives.

`scan_lines()` reads lines of published text — what the parser recorded while writing a page
(paragraphs with their markup removed and character references decoded, code blocks, dialogue
turns, link addresses), the front-matter values a page prints and the vocabulary's texts — and
returns one `Finding` per suspicious span, with the text as written and its line and column.
`scan()` does the same for a plain text, one line at a time.

Width, kana and invisible characters
  Each line is folded with NFKC (full-width digits and Latin, half-width katakana, ㈱ → (株)),
  and format characters (zero-width space and joiners, soft hyphen, BOM) are dropped, while
  remembering where every folded character came from, so findings always report the original
  text and the original column. The deny-list additionally folds case and katakana to hiragana
  (jaconv), so 'ヤマダ' matches 'やまだ', 'ﾔﾏﾀﾞ' and 'ヤマタ゛' (and the other way round),
  'ABC' matches 'ＡＢＣ' and 'abc'. A kanji term is not matched by its reading (山田 is not
  やまだ): list the reading as a term of its own. A deny-list term that begins or ends with a
  Latin letter or digit must not touch another one ('ABC' does not match inside 'ABCD').

Structured identifiers (regular expressions only)
  phone        0 + 9–10 more digits or +81, with hyphens/dashes/ー, dots, slashes, spaces or
               parentheses (固定, 携帯 070/080/090, 0120/0800); kanji numerals count as digits
               (〇九〇-一二三四-五六七八).
  email, url   addresses; http(s)://, www. and bare host names ending in .jp/.com/.net/…
  postal-code  〒 + 7 digits, or bare NNN-NNNN not followed by a unit (円, 万, 人 …).
  date         day precision only: 2023年4月5日, 令和5年4月5日, 4月5日, R5.4.5, 2023/4/5,
               2023-04-05, kanji numerals. 2021年, 令和4年4月, 5年後 are not dates.
  address      a run of place characters followed by a block number (1-2-3, 一丁目2番3号,
               123番地). Leading words that are not places (本社は, 所在地) are trimmed with
               Sudachi; what is left must name a place (a 地名, or a word ending in
               都道府県市区町村郡), or for a 丁目/番地 block hold an Arabic digit. So 図1-2,
               国内市場の3-4割 and the idiom 一丁目一番地 are not addresses.

Names (Sudachi mode C part-of-speech tags; no list of surnames)
  SudachiDict tags proper nouns 人名 (姓/名/一般), 地名 (一般/国) and 一般; it has no 組織 tag,
  so organisations are recognised as a proper noun followed by an organisation word.
  person       a 人名 token (or another proper noun / unknown word) directly followed by an
               honorific or title: 田中社長, 佐藤様, 鈴木さん, 山田太郎氏, けんたくん; a 人名
               right after a title that ends the noun phrase: 代表取締役 山田太郎, 社長の田中は;
               a surname directly followed by a given name without any title: 佐藤花子; a name
               written in hiragana before an honorific, which Sudachi cuts into pieces that are
               not nouns (やまだたろうさま). A dialogue speaker that is a 人名 (`田中: …`).
  company      a legal form with a name: 株式会社○○, ○○株式会社, (株)/（株）/㈱, 有限会社,
               合同会社, 一般社団法人 …. The name must hold a proper noun, kana or Latin word, or
               end in a business/organisation word (精密工業株式会社), so 株式会社化,
               株式会社を設立, 株式会社組織, 大手株式会社 are not companies. Also a proper noun
               followed by a business word without a legal form: 山田製作所, ヤマダ精工.
  organization a proper noun (人名, 地名 — prefectures and regions included — or 一般)
               followed by an organisation word: 埼玉県商工会議所連合会, 関東経済産業局,
               川口信用金庫, みずほ銀行, 福島相双復興官民合同チーム. Category words alone
               (商工会議所, よろず支援拠点, 経済産業局, 地方銀行, 社内チーム) carry no proper noun
               and are not flagged. National bodies that describe the support system rather
               than a client (中小企業庁, 中小企業基盤整備機構, 日本政策金融公庫, 日本商工会議所 …,
               `PUBLIC_BODIES`) are not flagged either. A specific named regional body is a
               finding unless the case marks it as a deliberate exception.
  place        a 地名 below prefecture level: a token ending in 市区町村郡 (川口市, 群馬県高崎市)
               or followed by one of those or by 駅, 地区, 周辺 …; a proper noun ending in 駅.
               Prefectures, regions and countries alone are allowed (cases carry a prefecture
               field). A bare 地名 without such a suffix is not flagged: Sudachi also tags
               ordinary words such as 裾野 as 地名.
  Single Latin letters (A社, B社長, C信組) are aliases, never names; role words (社長, 後継者,
  工場長, 先代, 専務) carry no proper noun and are never names.

Private terms
  `private_terms` (content/private-terms.txt, via `load_private_terms`) are matched with the
  folding above and reported as 'private-term'. They are never suppressed by `allowed`: the
  deny-list says the term must not appear at all. Because lines are published text, a term
  broken up by markup (秘密**山**商店) or written with a character reference is one run here.

Deliberate exceptions
  `allowed` holds exact strings (from `{anon=…}` markers and the case's front matter). A finding
  whose span lies inside an occurrence of an allowed string on its line is dropped; other
  findings on the same line are kept. There is no switch that turns a kind off.

Overlaps
  A finding whose span lies inside another finding's span is dropped (an address absorbs its
  city, a company its organisation word). Private terms are always reported on their own.

Cost
  Regexes are compiled at import. Sudachi's analysis of a line comes from
  `casebook.japanese.analyse` (once per line, shared with the search index); most name rules
  only look at clauses (text between 、。「」) holding a word they anchor on: an honorific,
  title, legal form, organisation or business word, locality word or block number.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import jaconv
import numpy as np

from casebook.japanese import FORMAT, SPACING_MARKS, Morph, analyse, fold, part_of_speech
from casebook.problems import Problem

__all__ = ["KINDS", "Finding", "exceptions", "find_private_terms", "load_private_terms", "scan"]

KINDS: dict[str, str] = {
    "phone": "phone number 電話番号",
    "email": "e-mail address メールアドレス",
    "url": "URL",
    "postal-code": "postal code 郵便番号",
    "address": "street address 住所",
    "company": "company name 会社名",
    "person": "personal name 個人名",
    "date": "exact date 日付",
    "private-term": "private term 非公開語",
    "organization": "organisation name 団体名",
    "place": "place name 地名",
}


@dataclass(frozen=True)
class Finding:
    """One identifying detail: its kind, the text as written, and where it is."""

    kind: str
    text: str
    line: int
    column: int

    def describe(self) -> str:
        """`possible personal name 個人名 '田中社長' (person, column 3)`."""
        return f"{self.label} '{self.shown}' ({self.kind}, column {self.column})"

    @property
    def label(self) -> str:
        """`possible personal name 個人名`; a private term is not a possibility but a fact."""
        label = KINDS.get(self.kind, self.kind)
        return label if self.kind == "private-term" else f"possible {label}"

    @property
    def shown(self) -> str:
        return self.text.replace("\n", " ")


def exceptions(config: object, path: str, line: int, problems: list[Problem]) -> list[str]:
    """The texts of an `anonymization: {allow: [{text: …, reason: …}]}` block (a case's front
    matter, the vocabulary); a Problem for every entry without both."""
    if config is None:
        return []
    entries = config.get("allow") if isinstance(config, dict) else None
    if not isinstance(entries, list):
        problems.append(Problem(path, line, "anonymization",
                                "expected 'allow:' with a list of {text: …, reason: …}",
                                str(config)))
        return []
    allowed = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not entry.get("text") or not entry.get("reason"):
            problems.append(Problem(path, line, f"anonymization.allow[{index}]",
                                    "each exception needs 'text' and 'reason'", str(entry)))
            continue
        allowed.append(str(entry["text"]))
    return allowed


def load_private_terms(path: Path, display: str | None = None,
                       problems: list[Problem] | None = None) -> list[str]:
    """The deny-list terms of `path`, one a line; `#` comments (whole lines, or after a space)
    and blank lines skipped. A file that cannot be read is a Problem, not an empty list."""
    from casebook.sources import decode

    display = display or str(path)
    problems = problems if problems is not None else []
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return []
    except OSError as error:
        problems.append(Problem(display, 0, "file", f"cannot read: {error.strerror}"))
        return []
    text = decode(data, display, problems)
    terms = []
    for line in (text or "").splitlines():
        term = re.sub(r"(^|\s)#.*", "", line).strip()
        if term:
            terms.append(term)
    return terms


# --- vocabulary the rules anchor on (roles, legal forms, kinds of body; never names) -------

PREFECTURES = (
    "北海道 青森 岩手 宮城 秋田 山形 福島 茨城 栃木 群馬 埼玉 千葉 東京 神奈川 新潟 富山 石川 "
    "福井 山梨 長野 岐阜 静岡 愛知 三重 滋賀 京都 大阪 兵庫 奈良 和歌山 鳥取 島根 岡山 広島 "
    "山口 徳島 香川 愛媛 高知 福岡 佐賀 長崎 熊本 大分 宮崎 鹿児島 沖縄"
).split()
REGIONS = (
    "日本 全国 国内 海外 東日本 西日本 北日本 北海道 東北 関東 北関東 南関東 首都圏 甲信越 "
    "信越 北陸 中部 東海 近畿 関西 中国 山陰 山陽 四国 九州 北九州 南九州 沖縄 本州 道央 道東 "
    "道南 道北 東京圏 大阪圏 名古屋圏 中京 京阪神 阪神"
).split()
# Geography a case may name: prefectures (with and without 都道府県) and regions.
PUBLIC_GEOGRAPHY = frozenset(
    [*PREFECTURES, *REGIONS, "東京都", "北海道", "京都府", "大阪府"]
    + [p + "県" for p in PREFECTURES if p not in ("東京", "北海道", "京都", "大阪")]
)

# National bodies that describe the support system, not a client or a regional office.
PUBLIC_BODIES = frozenset(
    "中小企業庁 経済産業省 中小企業基盤整備機構 中小機構 日本政策金融公庫 商工組合中央金庫 "
    "商工中金 日本商工会議所 全国商工会連合会 全国中小企業団体中央会 中央会 中小企業大学校 "
    "日本銀行 金融庁 財務省 内閣府 厚生労働省 農林水産省 国土交通省 総務省 環境省 文部科学省 "
    "特許庁 日本貿易振興機構 産業技術総合研究所 信用保証協会 よろず支援拠点全国本部".split()
)

ERAS = frozenset("令和 平成 昭和 大正 明治".split())

HONORIFICS = "様 さま さん サン 氏 君 くん クン ちゃん 殿 御中".split()
TITLES = (
    "社長 副社長 会長 副会長 専務 常務 取締役 代表取締役 代表 部長 次長 課長 係長 主任 室長 "
    "工場長 店長 所長 支店長 局長 院長 園長 校長 塾長 理事長 理事 専務理事 常務理事 代表理事 "
    "組合長 会頭 顧問 相談役 監査役 執行役員 女将 若女将 大将 親方 先生 教授 准教授 "
    "税理士 会計士 弁護士 司法書士 行政書士 社労士 診断士 オーナー"
).split()
HONORIFIC_WORDS = frozenset(HONORIFICS + TITLES)

LEGAL_FORMS = (
    "株式会社 有限会社 合同会社 合資会社 合名会社 一般社団法人 一般財団法人 公益社団法人 "
    "公益財団法人 社会福祉法人 医療法人社団 医療法人財団 医療法人 学校法人 宗教法人 "
    "特定非営利活動法人 NPO法人 事業協同組合 企業組合 協同組合 農事組合法人 税理士法人 "
    "弁護士法人 監査法人 司法書士法人 行政書士法人 社会保険労務士法人"
).split()
# After NFKC: ㈱ → (株), （株） → (株), ㈲ → (有) …
LEGAL_ABBREVIATIONS = "株 有 合 同 資 名 社 財 一社 一財 公社 公財 医 福 学 特非 NPO".split()

BUSINESS_WORDS = (
    "製作所 工業 商店 精工 工務店 建設 産業 食品 商事 物産 鉄工所 鉄工 酒造 旅館 自動車 電機 "
    "製菓 製麺 製薬 化学 印刷 運輸 運送 技研 工房 興業 本舗 農園 水産 醸造 精機 工機 商会 "
    "ホールディングス 電工 ホテル"
).split()
ORGANIZATION_WORDS = (
    "商工会議所 商工会 会議所 連合会 中央会 経済産業局 産業局 財務局 労働局 運輸局 整備局 "
    "振興局 県庁 都庁 府庁 道庁 市役所 区役所 役場 役所 支援拠点 振興センター 支援センター "
    "センター 振興公社 公社 財団 協会 組合 連盟 機構 公庫 銀行 信用金庫 信金 信用組合 信組 "
    "金庫 農協 漁協 大学 高校 高等学校 専門学校 研究所 試験場 協議会 委員会 病院 "
    "クリニック チーム 事務所 本部 支部 支店"
).split()
# Words that follow a 地名 and make it a locality rather than a stray tag.
LOCALITY_WORDS = frozenset("市 区 町 村 郡 駅 地区 周辺 近郊 界隈 沿線 出身 近辺".split())
ADMIN_SUFFIX = "市区町村郡"

# First word after a legal form that shows there is no name: 株式会社化, 株式会社組織 …
GENERIC_AFTER_LEGAL = frozenset(
    "化 的 等 組織 形態 制度 法人 会社 形式 同士 全体 以外 各社 企業 社員 役員 代表 株主 株式 "
    "定款 経営者 格 化率 数 間 同様".split()
)


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# --- regular expressions, on NFKC-folded lines ----------------------------------------------

_DASH = r"\-‐‑‒–—―−ー"
_D = f"[{_DASH}]"
_KNUM = "[〇一二三四五六七八九十]"

# Between the digit groups of a phone number: a dash, dot, slash, colon, comma, 〜, ・ or _
# (with spaces around it or not), spaces alone, or brackets.
_PHONE_SEP = rf"(?:\s{{0,2}}[{_DASH}.・･·/_~〜～:,ｰ]\s{{0,2}}|[\s()（）]{{1,2}})?"
# A run that may hold a phone number: 0 (or +81) and up to five more groups of digits.
_PHONE_RUN = re.compile(
    rf"(?<![0-9])(?:\+81{_PHONE_SEP}(?:\(0\))?|[(（](?=0\d{{1,4}}[)）])|(?=0))\d{{1,5}}[)）]?"
    rf"(?:{_PHONE_SEP}\d{{1,5}}){{0,5}}"
)
_DIGITS = re.compile(r"\d+")
_LATIN_UPPER = re.compile("[A-Z]")
_LATIN_WORD = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*\b")
_LATIN_PERSON = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?")
_LATIN_COMPANY = re.compile(
    r"\b[A-Z][A-Za-z&'-]+(?:\s+[A-Z][A-Za-z&'-]+)*,?\s+(?:Co\.,?\s*Ltd\.?|Co\.|Ltd\.?|Inc\.?|"
    r"LLC|K\.K\.|Corp\.?|Corporation|Company|GmbH)")
_LATIN_ADDRESS = re.compile(
    r"\b\d+-\d+(?:-\d+)?,?\s+[A-Z][a-z]+-(?:machi|cho|chō|mura|son|ku|shi|gun|chome)\b")
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_URL_END = r"[^\s<>()\[\]{}「」『』()、。,\"'`]*"
# Top-level domains a bare host name is recognised by (not .md, .py, .js: file names).
_TLDS = ("jp|com|net|org|info|biz|io|co|tokyo|osaka|nagoya|kyoto|yokohama|okinawa|xyz|site|"
         "online|shop|store|tech|app|dev|me|us|uk|de|fr|cn|kr|tw|asia|cc|tv|ai|link|club|work|"
         "blog|page|website|space|life|world|jpn|nippon")
_URL = re.compile(
    rf"[a-z][a-z0-9+.-]{{1,15}}://{_URL_END}"
    rf"|(?<![A-Za-z0-9])(?:mailto|tel|fax|sms|callto|geo):[^\s<>、。「」]+"
    rf"|(?<![A-Za-z0-9.@/:-])//[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:/{_URL_END})?"
    rf"|(?<![A-Za-z0-9.@/-])www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:/{_URL_END})?"
    rf"|(?<![A-Za-z0-9.@/-])(?:[A-Za-z0-9-]+\.)+(?:{_TLDS})(?![A-Za-z0-9-])(?:/{_URL_END})?"
    # a host name in Japanese: あおぞら商店.jp
    rf"|(?<![\w.@/-])[^\x00-\x7f\s、。，．「」『』（）]+(?:\.[\w-]+)*\.(?:{_TLDS})"
    rf"(?![A-Za-z0-9-])(?:/{_URL_END})?",
    re.IGNORECASE,
)
# A bare 123-4567 followed by a unit is a range (300-5000万円), not a postal code.
_UNIT = "[万億千円%人件名社年個台回倍時分秒]"
_POSTAL = re.compile(
    rf"〒 ?\d{{3}}{_D}?\d{{4}}(?!\d)"
    rf"|(?<![0-9{_DASH}.,/])\d{{3}}{_D}\d{{4}}(?![0-9{_DASH}])(?! ?{_UNIT})"
)
_DAY_NUM = rf"(?:\d{{1,2}}|{_KNUM}{{1,3}})"
# A day, or a span of days (5〜6日, 5・6日).
_DAYS = rf"(?P<DAY>{_DAY_NUM})(?:[〜~～・、{_DASH}]{_DAY_NUM})?"
_DAYS1, _DAYS2 = _DAYS.replace("DAY", "d1"), _DAYS.replace("DAY", "d2")
_MONTHS_EN = ("Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
              "Aug(?:ust)?|Sep(?:t|tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?")
_DATE = re.compile(
    rf"(?:(?:令和|平成|昭和) ?(?:\d{{1,2}}|{_KNUM}{{1,3}}|元)|\d{{4}}|{_KNUM}{{4}}) ?年 ?"
    rf"(?P<m1>{_DAY_NUM}) ?月 ?{_DAYS1} ?日"
    rf"|(?<![0-9〇一二三四五六七八九十年])(?P<m2>{_DAY_NUM}) ?月 ?{_DAYS2} ?日"
    rf"|(?<![0-9A-Za-z/.])(?:(?:令和|平成|昭和|[RHS]) ?(?:\d{{1,2}}|元)|\d{{4}})"
    rf"(?P<sep>[/.{_DASH}])(?P<m3>\d{{1,2}})(?P=sep)(?P<d3>\d{{1,2}})(?![0-9/.])"
    # 20230405
    rf"|(?<![0-9])(?:19|20)\d\d(?P<m4>0[1-9]|1[0-2])(?P<d4>0[1-9]|[12]\d|3[01])(?![0-9])"
    # 5/4/2023, 4/5/2023
    rf"|(?<![0-9/])(?P<m5>\d{{1,2}})/(?P<d5>\d{{1,2}})/(?:19|20)\d\d(?![0-9])"
    # April 5, 2023 / 5 April 2023
    rf"|\b(?:{_MONTHS_EN})\.? (?P<d6>\d{{1,2}})(?:st|nd|rd|th)?,? (?:19|20)\d\d\b"
    rf"|\b(?P<d7>\d{{1,2}}) (?:{_MONTHS_EN})\.? (?:19|20)\d\d\b"
    # 2023年の元日, 2023年4月第1水曜日
    rf"|(?:\d{{4}}|{_KNUM}{{4}}) ?年 ?の?(?:元日|元旦|大晦日)"
    rf"|(?:\d{{4}} ?年 ?)?(?P<m8>{_DAY_NUM}) ?月 ?の?第 ?[1-5一二三四五] ?[月火水木金土日]曜日?",
    re.IGNORECASE,
)
_NUM = rf"(?:\d+|{_KNUM}+|百)"
_PLACE_CHARS = "\u3005\u3006\u4e00-\u9fffァ-ヺヵヶー"
_ADDRESS = re.compile(
    rf"(?P<loc>(?:[ぁ-ゖ]{{1,5}}(?=[{ADMIN_SUFFIX}]))?[{_PLACE_CHARS}]+"
    rf"(?:[がのヶケつ][{_PLACE_CHARS}]+)*)"
    rf"(?P<block>{_NUM} ?丁目(?: ?{_NUM}(?:番地?|{_D})?(?: ?{_NUM}号?)?)?"
    rf"|{_NUM}番地(?:{_D}?{_NUM})*"
    rf"|{_NUM}番{_NUM}号?"
    rf"|[1-9]\d*{_D}\d+(?:{_D}\d+)?(?![0-9]))"
)
_LEGAL = re.compile(rf"{_alternation(LEGAL_FORMS)}|\((?:{_alternation(LEGAL_ABBREVIATIONS)})\)")
_BUSINESS_END = re.compile(rf"(?:{_alternation(BUSINESS_WORDS)})$")
_ORGANIZATION = re.compile(_alternation(ORGANIZATION_WORDS))
_BUSINESS = re.compile(_alternation(BUSINESS_WORDS))
# Sudachi only runs on a clause holding a word some name rule anchors on. Every rule needs a
# name right before its title, body or locality word, and a name does not end in punctuation,
# a space or (before a kanji title or body word) a particle such as の or は.
_AFTER_NAME = "(?<=[^\\s、。,.:()「」『』【】\\[\\]])"
_AFTER_KANJI_NAME = "(?<=[^\\s、。,.:()「」『』【】\\[\\]のはがをにでともへや])"
_ANCHOR_WORDS = (
    HONORIFICS + TITLES + BUSINESS_WORDS + ORGANIZATION_WORDS + sorted(LOCALITY_WORDS) + LEGAL_FORMS
)
_NEEDS_TOKENS = re.compile(
    # The leading character class lets the regex engine skip most positions at once.
    f"(?=[{re.escape(''.join({w[0] for w in _ANCHOR_WORDS}))}(0-9〇一二三四五六七八九十百])(?:"
    + "|".join(
        [
            _AFTER_NAME + f"(?:{_alternation(HONORIFICS)})",
            _AFTER_KANJI_NAME + f"(?:{_alternation(TITLES + BUSINESS_WORDS + ORGANIZATION_WORDS)})",
            f"(?:{_alternation(TITLES)})(?=[の ]?[{_PLACE_CHARS}])",
            _AFTER_KANJI_NAME + f"(?:{_alternation(sorted(LOCALITY_WORDS))})",
            _alternation(LEGAL_FORMS),
            rf"\((?:{_alternation(LEGAL_ABBREVIATIONS)})\)",
            rf"(?<=[{_PLACE_CHARS}])(?:\d+{_D}\d|{_NUM} ?(?:番|丁目))",
        ]
    )
    + ")"
)
_CLAUSE = re.compile(r"[^、。！？!?「」『』]+")
_DIGIT = re.compile("[0-9]")
# Kanji numerals as digits, for phone numbers and postal codes written 〇九〇-一二三四-五六七八.
_KANJI_TO_DIGIT = str.maketrans("〇一二三四五六七八九", "0123456789")
_HONORIFIC_SUFFIXES = frozenset("様 さま さん 氏 君 くん ちゃん 殿".split())
_HIRAGANA_RUN = re.compile("[ぁ-ゖー]+$")
_LATIN_ALIAS = re.compile(r"[A-Za-z]")
_KANJI_ONLY = re.compile(r"[\u3005\u4e00-\u9fff]+")
_HIRAGANA_ONLY = re.compile(r"[ぁ-ゖー]+")


# Characters a reader takes for another, folded for the deny-list only (one character for one,
# so offsets stay put): the old or variant forms of kanji common in names and shop names
# (髙橋 is 高橋, 山﨑 is 山崎, 櫻井 is 桜井), and Cyrillic and Greek letters that look Latin
# once lower-cased (АВС is abc). NFKC folds none of them. A curated table: no library here
# knows these itaiji, and Unicode's confusables list would also fold kana and digits.
_LOOKALIKES = str.maketrans(
    "髙﨑嵜邊邉齋齊斎櫻𠮷德濵濱廣國澤嶋嶌槇瀨眞藏壽會與舘冨龍實淺圓惠榮條驛學藝黑澁彌步萬豐兒"
    "增靜關檜"
    "авекмнорстхуіјѕαβεζηικμνορτυχ",
    "高崎崎辺辺斉斉斉桜吉徳浜浜広国沢島島槙瀬真蔵寿会与館富竜実浅円恵栄条駅学芸黒渋弥歩万豊児"
    "増静関桧"
    "abekmhopctxyijsabezhikmnoptyx")


def _fold_term(text: str) -> str:
    """The deny-list form of already NFKC-folded text: lower case, katakana as hiragana,
    look-alike characters as the ones they look like."""
    lowered = text.lower()
    if len(lowered) != len(text):  # İ lowers to two characters; keep offsets one-to-one
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return _kana_and_lookalikes(lowered)


def _kana_and_lookalikes_slow(text: str) -> str:
    return jaconv.kata2hira(text).translate(_LOOKALIKES)


@functools.cache
def _bmp_table() -> np.ndarray | None:
    """`_kana_and_lookalikes_slow` of every character below U+10000, as code points; None
    if a step ever made one character two (then every text takes the slow way)."""
    every = "".join(map(chr, range(0x10000)))
    table = np.frombuffer(_kana_and_lookalikes_slow(every).encode("utf-32-le", "surrogatepass"),
                          dtype=np.uint32)
    return table if table.size == 0x10000 else None


def _kana_and_lookalikes(text: str) -> str:
    """Katakana as hiragana and look-alikes as what they look like: jaconv's kata2hira and
    the look-alike table, through one array lookup. The output gate folds every written page
    (40 M characters at 1,000 cases); two `str.translate` passes took 4 s of that."""
    table = _bmp_table()
    data = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if table is None or data.size == 0 or int(data.max()) >= 0x10000:  # 𠮷: other planes
        return _kana_and_lookalikes_slow(text)
    return table[data].tobytes().decode("utf-32-le", "surrogatepass")


@functools.lru_cache(maxsize=8)
def _folded_terms(terms: tuple[str, ...]) -> tuple[str, ...]:
    return tuple({_fold_term(fold(t.strip()).text) for t in terms if t.strip()})


# What may stand between the characters of a deny-list term and still spell it for a reader:
# spaces, a line break, 秘密_山_商店, 秘密・山商店, 秘密-山商店.
_GAP_CHARS = r"[\s_*・･/\-‐－]"
_GAP = re.compile(_GAP_CHARS)


@functools.lru_cache(maxsize=256)
def _private_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    pieces = []
    for term in sorted(terms, key=len, reverse=True):
        piece = f"{_GAP_CHARS}*".join(re.escape(char) for char in _GAP.sub("", term))
        if term[0].isascii() and term[0].isalnum():
            piece = "(?<![a-z0-9])" + piece
        if term[-1].isascii() and term[-1].isalnum():
            piece += "(?![a-z0-9])"
        pieces.append(piece)
    return re.compile("|".join(pieces)) if pieces else None


# ゛゜ as the marks NFKC composes (カ゛ → ガ), as `fold` reads them.
_COMBINING_MARKS = str.maketrans(SPACING_MARKS, "\u3099\u309a")


def _combining_marks(text: str) -> str:
    # str.translate reads a dict per character; these two are rare, so look first.
    if any(mark in text for mark in SPACING_MARKS):
        return text.translate(_COMBINING_MARKS)
    return text


def _private_terms_in(text: str, terms: Sequence[str]) -> re.Pattern[str] | None:
    """A pattern for the deny-list terms that occur in `text` at all (usually none)."""
    folded_terms = _folded_terms(tuple(terms))
    if not folded_terms:
        return None
    # One pass over the whole text decides which terms need matching at all.
    whole = _GAP.sub("", _fold_term(unicodedata.normalize(
        "NFKC", _combining_marks(FORMAT.sub("", text)))))
    return _private_pattern(tuple(sorted(t for t in folded_terms if _GAP.sub("", t) in whole)))


# --- tokens ---------------------------------------------------------------------------------

NAME, PLACE, COUNTRY, PROPER, NOUN, NUMBER, PREFIX, SUFFIX, SPACE, OTHER = range(10)
_COMPOUND = frozenset({NAME, PLACE, COUNTRY, PROPER, NOUN, PREFIX, SUFFIX})
# Parts of speech that are not nouns, prefixes or suffixes: in a run of hiragana before an
# honorific they show Sudachi could not read the run as words (a name written in kana).
_FUNCTION_POS = frozenset("助動詞 助詞 動詞 形容詞 副詞 感動詞 連体詞 接続詞".split())
_POS_CATEGORY: dict[int, tuple[int, bool, str]] = {}


class _Token(NamedTuple):
    surface: str
    begin: int
    end: int
    category: int
    sahen: bool  # a サ変 noun (設立, 経営): a common word, never the start of a name
    name_part: str  # 姓 or 名 for a 人名, else ""
    oov: bool
    pos: int


def _category(pos: tuple[str, ...]) -> tuple[int, bool, str]:
    if pos[0] == "名詞":
        if pos[1] == "固有名詞":
            if pos[2] == "人名":
                return NAME, False, pos[3] if pos[3] in ("姓", "名") else ""
            if pos[2] == "地名":
                return (COUNTRY if pos[3] == "国" else PLACE), False, ""
            return PROPER, False, ""
        if pos[1] == "数詞":
            return NUMBER, False, ""
        return NOUN, "サ変" in pos[2], ""
    if pos[0] == "接頭辞":
        return PREFIX, False, ""
    if pos[0] == "接尾辞" and pos[1] == "名詞的":
        return SUFFIX, False, ""
    if pos[0] == "空白":
        return SPACE, False, ""
    return OTHER, False, ""


def _pos_category(pos_id: int) -> tuple[int, bool, str]:
    category = _POS_CATEGORY.get(pos_id)
    if category is None:
        category = _POS_CATEGORY[pos_id] = _category(part_of_speech(pos_id))
    return category


def _token(morph: Morph) -> _Token:
    return _Token(morph.surface, morph.begin, morph.end, *_pos_category(morph.pos), morph.oov,
                  morph.pos)


def _tokens(text: str) -> list[_Token]:
    """Sudachi's words of `text` (the shared, cached analysis)."""
    return [_token(m) for m in analyse(text)]


def _clause_tokens(tokens: list[_Token], start: int, end: int) -> list[_Token]:
    """The words of a line that lie within [start, end), offsets made relative to `start`."""
    return [t._replace(begin=t.begin - start, end=t.end - start) for t in tokens
            if t.begin >= start and t.end <= end]


def _is_alias(surface: str) -> bool:
    return len(surface) == 1 and bool(_LATIN_ALIAS.fullmatch(surface))


def _names_someone(token: _Token) -> bool:
    """Could this token be (part of) a personal name?"""
    if token.category == NAME:
        return not _is_alias(token.surface)
    if token.category == PLACE:
        # 福島さん is a person; 埼玉県さん or 川口市さん is not.
        return token.surface[-1] not in "都道府県" + ADMIN_SUFFIX
    if token.category == PROPER or (token.oov and token.surface.isalpha()):
        # Latin-only proper nouns are products and services (ChatGPTさん), not people.
        return token.surface not in ERAS and not token.surface.isascii()
    return False


def _is_proper_name(token: _Token, *, geography: bool) -> bool:
    """A token that makes a compound a specific name rather than a category word."""
    if _is_alias(token.surface) or token.surface in ERAS:
        return False
    if token.category in (NAME, PROPER):
        return True
    if token.category == PLACE:
        return geography or token.surface not in PUBLIC_GEOGRAPHY
    return token.oov and token.category == NOUN and not _HIRAGANA_ONLY.fullmatch(token.surface)


# --- the rules ------------------------------------------------------------------------------


class _Span(NamedTuple):
    start: int
    end: int
    kind: str


def _regex_spans(text: str) -> Iterator[_Span]:
    # Cheap membership tests first: most lines hold no digit, no @ and no dot.
    digits = text.translate(_KANJI_TO_DIGIT)  # one character for one: offsets stay the same
    has_digit = bool(_DIGIT.search(digits))
    if has_digit:
        yield from _phone_spans(digits)
        for match in _POSTAL.finditer(digits):
            yield _Span(match.start(), match.end(), "postal-code")
    if "@" in text:
        for match in _EMAIL.finditer(text):
            yield _Span(match.start(), match.end(), "email")
    if "." in text or ":" in text:
        for match in _URL.finditer(text):
            yield _Span(match.start(), match.end(), "url")
    if _LATIN_UPPER.search(text):
        yield from _latin_spans(text)
    if not has_digit and "月" not in text:
        return
    for match in _DATE.finditer(text):
        groups = match.groupdict()
        month = next((groups[f"m{i}"] for i in (1, 2, 3, 4, 5, 8) if groups.get(f"m{i}")), None)
        day = next((groups[f"d{i}"] for i in range(1, 8) if groups.get(f"d{i}")), None)
        if month is not None and not 1 <= _number(month) <= 12:
            continue
        if day is not None and not 1 <= _number(day) <= 31:
            continue
        yield _Span(match.start(), match.end(), "date")


def _phone_spans(text: str) -> Iterator[_Span]:
    """Runs of 10 or 11 digits starting with 0 (or +81), in groups with separators between."""
    at = 0
    while (run := _PHONE_RUN.search(text, at)) is not None:
        found = None
        count, international = 0, run.group().startswith("+81")
        for group in _DIGITS.finditer(run.group()):
            digits = group.group()
            if international and count == 0:
                digits = "0" + digits[2:].removeprefix("0")  # +81 3 … is 03 …
            count += len(digits)
            if count >= 10:
                if count <= 11:
                    found = run.start() + group.end()
                break
        if found is None:
            at = run.start() + 1
            continue
        yield _Span(run.start(), found, "phone")
        at = found


_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    # Kanji numerals up to 三十一 are enough for months and days.
    tens, _, units = text.rpartition("十")
    if "十" not in text:
        return int("".join(str(_KANJI_DIGITS[c]) for c in text)) if text else 0
    return (_KANJI_DIGITS.get(tens, 1) if tens else 1) * 10 + (_KANJI_DIGITS.get(units, 0))


def _address_spans(text: str, tokens: list[_Token]) -> Iterator[_Span]:
    for match in _ADDRESS.finditer(text):
        block_start, block = match.start("block"), match.group("block")
        start = _trim_address_start(match.start(), block_start, tokens)
        if start >= block_start:
            continue  # 地区1-2, 国内市場3-4割: nothing before the number is a place
        place = _names_a_place(start, block_start, tokens)
        if place or (("丁目" in block or "番" in block) and re.search(r"\d", block)):
            yield _Span(start, match.end(), "address")


def _names_a_place(start: int, end: int, tokens: list[_Token]) -> bool:
    for token in tokens:
        if token.end <= start or token.begin >= end:
            continue
        if token.category == PLACE:
            return True
        ends_admin = token.surface[-1] in "都道府県" + ADMIN_SUFFIX
        if ends_admin and (token.category in (SUFFIX, PROPER, NAME) or token.oov):
            return True
    return False


def _trim_address_start(start: int, block: int, tokens: list[_Token]) -> int:
    """Move the start of an address past leading words that are not places (本社は, 所在地)."""
    for token in tokens:
        if token.end <= start:
            continue
        if token.begin >= block:
            break
        if token.begin < start:
            if token.category == PLACE:
                return token.begin
            continue
        place_like = token.category in (PLACE, NAME, PROPER, SUFFIX) or token.oov
        if place_like or token.surface[-1] in ADMIN_SUFFIX:
            return token.begin
        start = token.end
    return min(start, block)


def _person_spans(tokens: list[_Token]) -> Iterator[_Span]:
    for i, token in enumerate(tokens):
        if token.surface not in HONORIFIC_WORDS:
            continue
        j = i - 1
        while j >= 0 and tokens[j].category == SPACE:
            j -= 1
        name: list[_Token] = []
        while j >= 0 and _names_someone(tokens[j]):
            name.insert(0, tokens[j])
            j -= 1
        if not name:
            continue
        if token.surface in TITLES and all(t.surface in PUBLIC_GEOGRAPHY for t in name):
            continue  # 関東支店長, 埼玉代表: a region and a post, not a person
        yield _Span(name[0].begin, token.end, "person")
    yield from _names_after_titles(tokens)


def _names_after_titles(tokens: list[_Token]) -> Iterator[_Span]:
    """代表取締役 山田太郎, 社長の田中は: a 人名 right after a title, ending a noun phrase."""
    for i, token in enumerate(tokens):
        if token.surface not in TITLES:
            continue
        j = i + 1
        if j < len(tokens) and (tokens[j].surface == "の" or tokens[j].category == SPACE):
            j += 1
        first = j
        while j < len(tokens) and tokens[j].category == NAME and not _is_alias(tokens[j].surface):
            j += 1
        if j == first:
            continue
        if (
            j < len(tokens)
            and tokens[j].category in _COMPOUND
            and (tokens[j].surface not in HONORIFIC_WORDS)
        ):
            continue  # 社長の川口工場: the 人名 tag is part of a longer noun
        yield _Span(tokens[first].begin, tokens[j - 1].end, "person")


def _speaker_spans(text: str, tokens: list[_Token]) -> Iterator[_Span]:
    """A dialogue speaker that is a personal name (田中: …, Tanaka: …), not a role (社長: …)."""
    names = [t for t in tokens if t.category == NAME and not _is_alias(t.surface)]
    if names:
        yield _Span(names[0].begin, names[-1].end, "person")
    for match in _LATIN_WORD.finditer(text):
        yield _Span(match.start(), match.end(), "person")


def _full_name_spans(tokens: list[_Token]) -> Iterator[_Span]:
    """A surname followed by a given name, with no title needed: 佐藤花子, 田中 太郎; and a
    surname standing alone in a sentence (営業の田中が): a role word would have been written."""
    for index, token in enumerate(tokens):
        if token.name_part != "姓" or _is_alias(token.surface):
            continue
        after = index + 1
        if after < len(tokens) and tokens[after].category == SPACE:
            after += 1
        if after < len(tokens) and tokens[after].name_part == "名":
            yield _Span(token.begin, tokens[after].end, "person")
            continue
        before = tokens[index - 1] if index else None
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        alone = ((before is None or before.category not in _COMPOUND)
                 and (following is None or following.category not in _COMPOUND))
        # 石川, 長野, 宮崎 alone are prefectures, which cases may name.
        if alone and len(token.surface) >= 2 and token.surface not in PUBLIC_GEOGRAPHY:
            yield _Span(token.begin, token.end, "person")


def _latin_spans(text: str) -> Iterator[_Span]:
    """Names written in Latin letters: Mr. Tanaka, Tanaka Seisakusho Co., Ltd., an address."""
    for pattern, kind in ((_LATIN_PERSON, "person"), (_LATIN_COMPANY, "company"),
                          (_LATIN_ADDRESS, "address")):
        for match in pattern.finditer(text):
            yield _Span(match.start(), match.end(), kind)


def _kana_name_spans(text: str, tokens: list[_Token]) -> Iterator[_Span]:
    """A name written in hiragana before an honorific: やまだたろうさま.

    Sudachi cuts such a run into pieces that are not nouns (やま|だ|たろう); a family word
    (おかあさん, みなさん, お客さま) is one noun, or a prefix and a noun.
    """
    for token in tokens:
        if token.surface not in _HONORIFIC_SUFFIXES:
            continue
        run = _HIRAGANA_RUN.search(text, 0, token.begin)
        if run is None or run.end() - run.start() < 4:
            continue
        start = max(run.start(), token.begin - 10)
        inside = [t for t in tokens if t.begin >= start and t.end <= token.begin]
        if inside and _names_someone(inside[-1]):
            continue  # けんたくん: a name Sudachi knows, found by the honorific rule
        while inside and part_of_speech(inside[0].pos)[0] in ("助詞", "助動詞"):
            inside.pop(0)  # のやまだたろうさま: the particle ends the words before the name
        if inside and any(part_of_speech(t.pos)[0] in _FUNCTION_POS for t in inside):
            yield _Span(inside[0].begin, token.end, "person")


def _compounds(tokens: list[_Token]) -> Iterator[list[_Token]]:
    run: list[_Token] = []
    for token in tokens:
        if token.category in _COMPOUND and (not run or run[-1].end == token.begin):
            run.append(token)
            continue
        if run:
            yield run
        run = [token] if token.category in _COMPOUND else []
    if run:
        yield run


def _body_spans(text: str, tokens: list[_Token]) -> Iterator[_Span]:
    """Organisations and companies named without a legal form: proper noun + kind of body."""
    for run in _compounds(tokens):
        for index, token in enumerate(run):
            if token.surface in PUBLIC_BODIES or _ORGANIZATION.fullmatch(token.surface):
                continue
            if not _is_proper_name(token, geography=True):
                continue
            yield from _body_after(text, run[index:])
            break


def _body_after(text: str, run: list[_Token]) -> Iterator[_Span]:
    start, end = run[0].begin, run[-1].end
    if run[0].surface.isascii():
        # Excel研修センター, LINE運用チーム: a product name only names a body it touches.
        end = run[1].end if len(run) > 1 else end
    token_ends = {t.end for t in run}
    organisation = _last_word_ending_a_token(_ORGANIZATION, text, start, end, token_ends)
    if organisation is not None:
        if text[start : organisation.end()] not in PUBLIC_BODIES and _named(
            text, run[0], organisation.start()
        ):
            yield _Span(start, organisation.end(), "organization")
        return
    if not _is_proper_name(run[0], geography=False):
        return
    business = _last_word_ending_a_token(_BUSINESS, text, start, end, token_ends)
    if business is not None and _named(text, run[0], business.start()):
        yield _Span(start, business.end(), "company")


def _last_word_ending_a_token(
    pattern: re.Pattern[str], text: str, start: int, end: int, token_ends: set[int]
) -> re.Match[str] | None:
    last = None
    for match in pattern.finditer(text, start + 1, end):
        if match.end() in token_ends:
            last = match
    return last


def _named(text: str, first: _Token, word_start: int) -> bool:
    """Is there a name before the kind-of-body word that starts at `word_start`?

    Sudachi knows some bodies as one proper noun. みずほ銀行 and 埼玉大学 carry a name, but
    産業振興センター (tagged 地名) does not: look at the part before the word by itself.
    """
    if word_start >= first.end:
        return True
    name = text[first.begin : word_start]
    if not name:
        return False
    if not _KANJI_ONLY.fullmatch(name):
        return True
    return any(_is_proper_name(t, geography=True) and t.category != COUNTRY for t in _tokens(name))


def _legal_form_spans(text: str, tokens: list[_Token]) -> Iterator[_Span]:
    for match in _LEGAL.finditer(text):
        after = _name_after(match.end(), tokens)
        if after is not None:
            yield _Span(match.start(), after, "company")
        before = _name_before(match.start(), tokens)
        if before is not None:
            yield _Span(before, match.end(), "company")


def _starts_legal_form(token: _Token) -> bool:
    return bool(_LEGAL.match(token.surface))


def _name_after(position: int, tokens: list[_Token]) -> int | None:
    """End of the company name written after a legal form at `position`, if any."""
    name: list[_Token] = []
    for token in tokens:
        if token.end <= position:
            continue
        if token.begin < position:
            return None  # NPO法人格: the legal form is part of a longer word
        if not name and token.category == SPACE and token.begin == position:
            position = token.end
            continue
        if token.category not in _COMPOUND | {NUMBER} or (name and name[-1].end != token.begin):
            break
        if token.surface in HONORIFIC_WORDS or _starts_legal_form(token):
            break
        name.append(token)
    if not name or name[0].begin != position:
        return None
    first = name[0]
    if first.category in (SUFFIX, NUMBER) or first.sahen or first.surface in GENERIC_AFTER_LEGAL:
        return None
    return name[-1].end if _is_company_name(name) else None


def _name_before(position: int, tokens: list[_Token]) -> int | None:
    """Start of the company name written before a legal form at `position`, if any."""
    name: list[_Token] = []
    for token in reversed(tokens):
        if token.begin >= position:
            continue
        if token.end > position:
            return None
        if not name and token.category == SPACE and token.end == position:
            position = token.begin
            continue
        if token.category not in _COMPOUND | {NUMBER} or (name and token.end != name[0].begin):
            break
        if token.surface in HONORIFIC_WORDS or _starts_legal_form(token):
            break
        name.insert(0, token)
    if not name or name[-1].end != position:
        return None
    return name[0].begin if _is_company_name(name) else None


def _is_company_name(name: list[_Token]) -> bool:
    surface = "".join(t.surface for t in name)
    if _is_alias(surface):
        return False
    if any(_is_proper_name(t, geography=False) for t in name):
        return True
    if any(not _KANJI_ONLY.fullmatch(t.surface) and t.category != NUMBER for t in name):
        return True  # kana or Latin: ヤマダ, こもれび会, ABC
    return bool(_BUSINESS_END.search(surface) or _ORGANIZATION.search(surface))


def _place_spans(tokens: list[_Token]) -> Iterator[_Span]:
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        adjacent = following is not None and following.begin == token.end
        if token.category == PROPER and token.surface.endswith("駅") and len(token.surface) > 1:
            yield _Span(token.begin, token.end, "place")
            continue
        if token.category != PLACE or token.surface in PUBLIC_GEOGRAPHY:
            continue
        if token.surface[-1] in ADMIN_SUFFIX:
            yield _Span(token.begin, token.end, "place")
        elif adjacent and following.surface in LOCALITY_WORDS:
            end = following.end if following.surface in ADMIN_SUFFIX else token.end
            yield _Span(token.begin, end, "place")


def _private_spans(folded: str, pattern: re.Pattern[str] | None) -> Iterator[_Span]:
    if pattern is None:
        return
    for match in pattern.finditer(_fold_term(folded)):
        yield _Span(match.start(), match.end(), "private-term")


def _line_spans(folded: str, *, speaker: bool) -> list[_Span]:
    spans = list(_regex_spans(folded))
    if not folded.strip():
        return spans
    morphs = analyse(folded)
    # Words become tokens only where a rule will look: most lines hold no name at all.
    surname = any(_pos_category(m.pos)[2] == "姓" for m in morphs)
    anchored = [clause for clause in _CLAUSE.finditer(folded)
                if _NEEDS_TOKENS.search(clause.group())]
    if not (speaker or surname or anchored):
        return spans
    line_tokens = [_token(m) for m in morphs]
    if speaker:
        spans.extend(_speaker_spans(folded, line_tokens))
    if surname:
        spans.extend(_full_name_spans(line_tokens))
    # Names never run across 、。「」, so the other rules only look at clauses holding a word
    # they anchor on.
    for clause in anchored:
        offset = clause.start()
        tokens = _clause_tokens(line_tokens, offset, clause.end())
        spans.extend(_Span(s.start + offset, s.end + offset, s.kind)
                     for s in _clause_spans(clause.group(), tokens))
    return spans


def _clause_spans(text: str, tokens: list[_Token]) -> Iterator[_Span]:
    yield from _address_spans(text, tokens)
    yield from _person_spans(tokens)
    yield from _kana_name_spans(text, tokens)
    yield from _legal_form_spans(text, tokens)
    yield from _body_spans(text, tokens)
    yield from _place_spans(tokens)


def _outermost(spans: list[_Span]) -> list[_Span]:
    """Drop spans lying inside another span (the earlier-listed one wins a tie)."""
    kept: list[_Span] = []
    for i, span in enumerate(spans):
        inside = any(
            other.start <= span.start
            and span.end <= other.end
            and ((other.end - other.start) > (span.end - span.start) or j < i)
            for j, other in enumerate(spans)
            if j != i
        )
        if not inside:
            kept.append(span)
    return kept


# --- texts --------------------------------------------------------------------------------


# What a deliberate exception ({anon="…"}, `anonymization.allow`) may let through: the name of
# a public body or place. A phone number, an address, a person or a date never.
EXCEPTABLE = frozenset({"organization", "company", "place"})


def scan(
    text: str,
    *,
    first_line: int = 1,
    speaker: bool = False,
    private_terms: Sequence[str] = (),
    allowed: Collection[str] = (),
    allowed_spans: Collection[tuple[int, int]] = (),
    breaks: Sequence[int] = (),
) -> list[Finding]:
    """Every identifying detail in a published text (lines from `first_line` on), in order.

    `speaker`: the text is a dialogue's speaker label, which must be a role, not a name.
    `allowed`: strings whose every occurrence is an exception; `allowed_spans`: (start, end)
    offsets in `text` that are (an `{anon=…}` annotation marks one place, not every other).
    `breaks`: offsets where the next source line starts (a paragraph joined from several
    lines), so findings are located on the line they were written on. A private term is
    found across line breaks too.
    """
    starts = sorted({0, *breaks, *(i + 1 for i, char in enumerate(text) if char == "\n")})

    def locate(offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(starts, offset) - 1
        return first_line + index, offset - starts[index] + 1

    exceptions = [a for a in allowed if a]
    findings: list[Finding] = []
    at = 0
    for unit in text.split("\n"):
        if unit.strip():
            folded = fold(unit)
            excepted = _occurrences(unit, exceptions)
            excepted += [(s - at, e - at) for s, e in allowed_spans]
            for span in sorted(_outermost(_line_spans(folded.text, speaker=speaker))):
                start, end = folded.span(span.start, span.end)
                if span.kind in EXCEPTABLE and any(s <= start and end <= e
                                                   for s, e in excepted):
                    continue
                findings.append(Finding(span.kind, unit[start:end], *locate(at + start)))
        at += len(unit) + 1
    private = _private_terms_in(text, private_terms)
    if private is not None:
        folded = fold(text)
        for span in _private_spans(folded.text, private):
            start, end = folded.span(span.start, span.end)
            findings.append(Finding(span.kind, text[start:end], *locate(start)))
        findings.sort(key=lambda f: (f.line, f.column))
    return findings


def find_private_terms(text: str, private_terms: Sequence[str]) -> list[Finding]:
    """The deny-list terms in `text` only (cheap: no other rule, no Sudachi)."""
    if _private_terms_in(text, private_terms) is None:
        return []
    return scan_private(text, private_terms)


def scan_private(text: str, private_terms: Sequence[str]) -> list[Finding]:
    pattern = _private_terms_in(text, private_terms)
    folded = fold(text)
    found = []
    for span in _private_spans(folded.text, pattern):
        start, end = folded.span(span.start, span.end)
        line = text.count("\n", 0, start) + 1
        found.append(Finding(span.kind, text[start:end], line,
                             start - (text.rfind("\n", 0, start) + 1) + 1))
    return found


def _occurrences(line: str, strings: list[str]) -> list[tuple[int, int]]:
    found = []
    for string in strings:
        start = line.find(string)
        while start != -1:
            found.append((start, start + len(string)))
            start = line.find(string, start + 1)
    return found
