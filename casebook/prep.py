"""Preparing a hearing: from a consultation profile to precedents, likely walls and a checklist.

A supporter describes a new client — 業種, 従業員規模, 都道府県, 相談テーマ, the owner's request
in their own words, and the walls they already suspect. `rank()` orders the published cases by
shared facets and by how much of the request's wording each case's 当初の相談 and 設定された課題
share, and says why in words; `prep_sheet()` adds the walls that may lie behind the request
(with the signs to listen for and the questions that worked) and what to grasp in the first
hearing.

The browser's /prep/ page ranks with the same data (casebook/prep_data.py, written by the
pipeline) and a JavaScript copy of `rank()` (plugins/overrides/assets/casebook/prep.js).
Both must give the same order, so the text similarity uses nothing the browser cannot
reproduce exactly: texts are normalised one character at a time (NFKC, lower case, letters and
digits only) and compared by character pairs; scores are rounded to four decimals.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from casebook.library import Library
from casebook.model import SECTION_CHALLENGE, SECTION_CHANGE, SECTION_REQUEST, Guide
from casebook.urls import page_url
from casebook.vocabulary import Term, Vocabulary

# Where a wall guide keeps what the sheet prints: the owner's words first, then the
# editors' list of signs; the questions that work, then the ones that help.
SIGN_SECTIONS = ("聞こえてくる言葉", "ヒアリングでのサイン")
QUESTION_SECTIONS = ("効く問いかけ", "役立つ問いかけ")
# The dialogue skill whose supporter lines are the questions that worked.
QUESTION_SKILL = "toikake"

# Weight of each kind of match. The request is the strongest evidence: what an owner asks
# for first is what the precedents' 当初の相談 records.
WEIGHTS: dict[str, float] = {
    "industry": 3.0,
    "employees": 1.0,
    "employees_near": 0.5,
    "prefecture": 0.5,
    "region": 0.25,
    "theme": 2.0,
    "wall": 2.0,
    "request": 8.0,
    "challenge": 4.0,
}
# A text match is given as a reason from this similarity on, with a shared run of this many
# characters or more.
TEXT_REASON_MIN = 0.15
RUN_MIN = 4
# Likely walls: a suspected wall, walls of the top precedents (by their share of the best
# score), and walls whose signs share the request's wording.
WALL_WEIGHTS = {"suspected": 3.0, "precedent": 1.0, "signs": 4.0}
WALL_MIN = 0.5
WALL_LIMIT = 3
# A precedent speaks for its walls when it scores at least this share of the best.
WALL_PRECEDENT_SHARE = 0.5
# What a sheet prints of each wall, to stay within two A4 pages.
SIGNS_LIMIT = 5
GUIDE_QUESTIONS = 3
DIALOGUE_QUESTIONS = 2
DEFAULT_LIMIT = 5

# The first hearing is step ② (課題設定) and ③ (対話と傾聴で把握・調査) of the seven.
HEARING_STEPS = ("2-kickoff", "3-research")
# What step ④ asks to grasp through 対話と傾聴 (資料: よろず支援拠点の支援の流れ).
STEP4_ITEMS = (
    "目指す将来ビジョン",
    "当面の課題やビジョン実現に障害となる課題",
    "支援企業の状況（財務・経営）",
    "活用する支援策、支援機関",
    "大まかなスケジュール",
    "最終的なゴール",
)
# The four non-financial viewpoints of ローカルベンチマーク (編集部注: a tool supporters use,
# not named in the source document's process).
LOCABEN_VIEWPOINTS = ("経営者", "事業", "企業を取り巻く環境・関係者", "内部管理体制")
CHECKLIST = (
    ("④で把握する内容（資料: 課題の明確化・支援方針検討）", STEP4_ITEMS, ""),
    ("ローカルベンチマークの非財務の4つの視点", LOCABEN_VIEWPOINTS,
     "編集部注: 資料外の補足。ローカルベンチマークは経済産業省の企業診断ツールです。"),
)
PROFILE_FACETS = ("industry", "employees", "prefecture", "theme", "wall")


# --- text ---------------------------------------------------------------------------------

def normalized(text: str) -> tuple[str, list[int]]:
    """The text folded for comparison, and for each folded character its index in `text`.

    One character at a time: NFKC (ＩＴ → IT), lower case, letters and digits only. The
    browser does exactly this (`String.normalize`, `\\p{L}`, `\\p{N}`).
    """
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        for folded in unicodedata.normalize("NFKC", char).lower():
            if unicodedata.category(folded)[0] in "LN":
                out.append(folded)
                where.append(index)
    return "".join(out), where


def fold(text: str) -> str:
    return normalized(text)[0]


def grams(folded: str) -> list[str]:
    """The character pairs of a folded text, each once, in order of first appearance."""
    if len(folded) == 1:
        return [folded]
    return list(dict.fromkeys(folded[i:i + 2] for i in range(len(folded) - 1)))


def rounded(value: float) -> float:
    """Four decimals, as the browser rounds (Math.floor(x * 1e4 + 0.5) / 1e4)."""
    return math.floor(value * 10000 + 0.5) / 10000


# --- the data both rankings read ------------------------------------------------------------

@dataclass
class PrepCase:
    """What the ranking and the sheet know of one published case."""

    id: str
    alias: str
    title: str
    kind: str
    url: str  # relative to the site root
    industry: str  # slugs
    employees: str
    prefecture: str
    themes: list[str]
    walls: list[str]
    request: str  # folded 当初の相談
    challenge: str  # folded 設定された課題
    summary: str  # one line of 設定された課題
    change: str  # one line of 生まれた事業上の変化
    questions: list[str]  # supporter lines tagged 問いかけ in its dialogues


@dataclass
class WallGuide:
    """A wall and what its guide says to listen for and to ask."""

    slug: str
    label: str
    url: str
    signs: list[str]
    questions: list[str]
    folded_signs: str


@dataclass
class PrepIndex:
    """The published cases, the wall guides and the vocabulary of a profile."""

    vocabulary: Vocabulary
    cases: list[PrepCase]
    walls: list[WallGuide]
    steps: list[tuple[str, str, str]]  # slug, label, url

    def term(self, facet: str, slug: str) -> Term:
        found = self.vocabulary[facet].get(slug)
        assert found is not None, (facet, slug)
        return found

    def to_data(self) -> dict:
        """What the /prep/ page needs besides the cases (casebook/prep_data.py adds them, in
        parts), as JSON-ready data."""
        vocabulary = {}
        for name in PROFILE_FACETS:
            facet = self.vocabulary[name]
            vocabulary[name] = {
                "label": facet.label,
                "terms": [{"slug": t.slug, "label": t.label, "group": t.group,
                           "names": [vocabulary_key(n) for n in t.names]}
                          for t in facet.terms],
            }
        return {
            "weights": WEIGHTS,
            "wallWeights": WALL_WEIGHTS,
            "limits": {"textReason": TEXT_REASON_MIN, "run": RUN_MIN, "wallMin": WALL_MIN,
                       "walls": WALL_LIMIT, "dialogueQuestions": DIALOGUE_QUESTIONS,
                       "precedentShare": WALL_PRECEDENT_SHARE, "signs": SIGNS_LIMIT,
                       "guideQuestions": GUIDE_QUESTIONS,
                       "cases": DEFAULT_LIMIT},
            "vocabulary": vocabulary,
            "walls": [vars(w) for w in self.walls],
            "steps": self.step_list(),
            "checklist": checklist(),
        }

    def step_list(self) -> list[dict]:
        """The seven steps, the first hearing's marked."""
        return [{"slug": s, "label": label, "url": url, "hearing": s in HEARING_STEPS}
                for s, label, url in self.steps]


def checklist() -> list[dict]:
    """What to grasp in the first hearing, with room for notes on the sheet."""
    return [{"heading": h, "items": list(items), "note": note} for h, items, note in CHECKLIST]


_VOCAB_PUNCT = re.compile(r"[\s,，、・･/／()（）]+")


def vocabulary_key(value: str) -> str:
    """A spelling as the vocabulary compares it (casebook.vocabulary.normalize)."""
    return _VOCAB_PUNCT.sub("", unicodedata.normalize("NFKC", value)).lower()


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip().lstrip("-*・ ")
    return ""


def prep_index(library: Library, directory_urls: bool = True) -> PrepIndex:
    """The ranking's view of the published cases and the wall guides of a library."""
    cases = []
    for case in library.published:
        def slug(facet: str, case=case) -> str:
            terms = case.terms(facet)
            return terms[0].slug if terms else ""

        questions = [u.text for d in case.doc.dialogues for u in d.utterances
                     if u.skill is not None and u.skill.slug == QUESTION_SKILL]
        cases.append(PrepCase(
            id=case.id, alias=case.alias, title=case.title, kind=case.kind,
            url=page_url(case.src_uri, directory_urls),
            industry=slug("industry"), employees=slug("employees"),
            prefecture=slug("prefecture"),
            themes=[t.slug for t in case.terms("theme")],
            walls=[t.slug for t in case.terms("wall")],
            request=fold(case.doc.section_text(SECTION_REQUEST)),
            challenge=fold(case.doc.section_text(SECTION_CHALLENGE)),
            summary=_first_line(case.doc.section_text(SECTION_CHALLENGE)),
            change=_first_line(case.doc.section_text(SECTION_CHANGE)),
            questions=questions,
        ))
    vocabulary = library.vocabulary
    walls = []
    for term in vocabulary["wall"].terms:
        guide = _guide(library.guides_for(term))
        signs = _items(guide, SIGN_SECTIONS)
        walls.append(WallGuide(
            slug=term.slug, label=term.label,
            url=page_url(guide.src_uri, directory_urls) if guide else "",
            signs=signs, questions=_items(guide, QUESTION_SECTIONS),
            folded_signs=fold("\n".join(signs))))
    steps = []
    if "step" in vocabulary:
        for term in vocabulary["step"].terms:
            url = page_url(f"{vocabulary['step'].path}/{term.slug}.md", directory_urls)
            steps.append((term.slug, term.label, url))
    return PrepIndex(vocabulary, cases, walls, steps)


def _guide(guides: list[Guide]) -> Guide | None:
    published = [g for g in guides if not g.is_draft]
    # The wall's own guide explains it alone; an overview explains all five.
    return min(published, key=lambda g: sum(len(t) for t in g.explains.values()),
               default=None)


def _items(guide: Guide | None, titles: tuple[str, ...]) -> list[str]:
    if guide is None:
        return []
    items: list[str] = []
    for title in titles:
        section = guide.doc.section(title)
        if section is not None:
            items += [item for item in section.items if item not in items]
    return items


# --- the profile ----------------------------------------------------------------------------

@dataclass
class Profile:
    """A new client as the supporter describes them."""

    industry: Term | None = None
    employees: Term | None = None
    prefecture: Term | None = None
    themes: list[Term] = field(default_factory=list)
    walls: list[Term] = field(default_factory=list)
    text: str = ""

    @property
    def empty(self) -> bool:
        return not (self.industry or self.employees or self.prefecture or self.themes
                    or self.walls or fold(self.text))

    def to_dict(self) -> dict:
        def one(term: Term | None) -> str | None:
            return term.label if term else None

        return {"industry": one(self.industry), "employees": one(self.employees),
                "prefecture": one(self.prefecture), "themes": [t.label for t in self.themes],
                "walls": [t.label for t in self.walls], "text": self.text}


class ProfileError(ValueError):
    """Values of a profile the vocabulary does not know, each with the closest valid one."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


def make_profile(vocabulary: Vocabulary, *, industry: str | None = None,
                 employees: str | None = None, prefecture: str | None = None,
                 themes: list[str] | tuple[str, ...] = (),
                 walls: list[str] | tuple[str, ...] = (), text: str = "") -> Profile:
    """A profile from values in any spelling the vocabulary accepts; ProfileError lists every
    unknown value with the closest valid one."""
    messages: list[str] = []

    def look(facet: str, value: str | None) -> Term | None:
        if value is None or not value.strip():
            return None
        term = vocabulary[facet].get(value)  # a head count too: 30名 → 21-50
        if term is None:
            label = vocabulary[facet].label
            message = f"--{facet}: unknown {label} '{value}'"
            hint = vocabulary[facet].suggest(value)
            if hint:
                message += f" — did you mean '{hint}'?"
            else:
                known = "、".join(t.label for t in vocabulary[facet].terms[:8])
                message += f" (for example: {known})"
            messages.append(message)
        return term

    profile = Profile(
        industry=look("industry", industry), employees=look("employees", employees),
        prefecture=look("prefecture", prefecture),
        themes=_unique(look("theme", v) for v in themes),
        walls=_unique(look("wall", v) for v in walls), text=text.strip())
    if messages:
        raise ProfileError(messages)
    return profile


def _unique(terms) -> list[Term]:
    return list(dict.fromkeys(t for t in terms if t is not None))


# --- ranking --------------------------------------------------------------------------------

@dataclass
class Hit:
    """A precedent for the profile: its score and the reasons, in words."""

    case: PrepCase
    score: float
    reasons: list[str]
    order: int = 0  # the case's place in the index: ties keep it


class _Query:
    """The request's character pairs and their weights over the published cases."""

    def __init__(self, index: PrepIndex, text: str) -> None:
        self.text = text
        self.folded, self.where = normalized(text)
        self.grams = grams(self.folded) if self.folded else []
        total = len(index.cases)
        self.weights = []
        for gram in self.grams:
            found = sum(1 for c in index.cases if gram in c.request or gram in c.challenge)
            self.weights.append(math.log((total + 1) / (found + 0.5)))
        self.total = 0.0
        for weight in self.weights:
            self.total += weight

    def similarity(self, target: str) -> float:
        if not self.total or not target:
            return 0.0
        shared = 0.0
        for gram, weight in zip(self.grams, self.weights, strict=True):
            if gram in target:
                shared += weight
        return shared / self.total

    def runs(self, target: str) -> list[str]:
        """Up to two longest stretches of the request (as written) found in `target`."""
        folded = self.folded
        found: list[tuple[int, int]] = []  # (start, end) in folded characters
        start = -1
        for i in range(len(folded) - 1):
            if folded[i:i + 2] in target:
                if start < 0:
                    start = i
            elif start >= 0:
                found.append((start, i + 1))
                start = -1
        if start >= 0:
            found.append((start, len(folded)))
        found = [r for r in found if r[1] - r[0] >= RUN_MIN]
        found.sort(key=lambda r: (-(r[1] - r[0]), r[0]))
        return [self.text[self.where[a]:self.where[b - 1] + 1] for a, b in found[:2]]


def _text_reason(label: str, query: _Query, target: str, similarity: float) -> str | None:
    if similarity < TEXT_REASON_MIN:
        return None
    runs = query.runs(target)
    if not runs:
        return None
    return f"{label}が似ている: " + "".join(f"「{r}」" for r in runs)


def rank(index: PrepIndex, profile: Profile, limit: int | None = DEFAULT_LIMIT) -> list[Hit]:
    """The published cases closest to the profile, best first, each with its reasons."""
    query = _Query(index, profile.text)
    employees = index.vocabulary["employees"].terms
    position = {t.slug: i for i, t in enumerate(employees)}
    hits: list[Hit] = []
    for order, case in enumerate(index.cases):
        score = 0.0
        reasons: list[str] = []
        if profile.industry and case.industry == profile.industry.slug:
            score += WEIGHTS["industry"]
            reasons.append(f"同じ業種: {profile.industry.label}")
        if profile.employees and case.employees:
            gap = abs(position[case.employees] - position[profile.employees.slug])
            if gap == 0:
                score += WEIGHTS["employees"]
                reasons.append(f"同じ従業員規模: {profile.employees.label}")
            elif gap == 1:
                score += WEIGHTS["employees_near"]
                reasons.append(f"近い従業員規模: {index.term('employees', case.employees).label}")
        if profile.prefecture and case.prefecture:
            if case.prefecture == profile.prefecture.slug:
                score += WEIGHTS["prefecture"]
                reasons.append(f"同じ都道府県: {profile.prefecture.label}")
            else:
                region = index.term("prefecture", case.prefecture).group
                if region and region == profile.prefecture.group:
                    score += WEIGHTS["region"]
                    reasons.append(f"同じ地方: {region}")
        for theme in profile.themes:
            if theme.slug in case.themes:
                score += WEIGHTS["theme"]
                reasons.append(f"相談テーマが同じ: {theme.label}")
        for wall in profile.walls:
            if wall.slug in case.walls:
                score += WEIGHTS["wall"]
                reasons.append(f"想定している壁がある: {wall.label}")
        request = query.similarity(case.request)
        challenge = query.similarity(case.challenge)
        score += WEIGHTS["request"] * request
        score += WEIGHTS["challenge"] * challenge
        for label, target, similarity in (("当初の相談", case.request, request),
                                          ("設定された課題", case.challenge, challenge)):
            reason = _text_reason(label, query, target, similarity)
            if reason:
                reasons.append(reason)
        score = rounded(score)
        if score > 0:
            hits.append(Hit(case, score, reasons, order))
    hits.sort(key=lambda h: (-h.score, h.order))
    return hits if limit is None else hits[:limit]


# --- the sheet ------------------------------------------------------------------------------

@dataclass
class Question:
    text: str
    source: str
    url: str


@dataclass
class LikelyWall:
    """A wall that may lie behind the request: why, what to listen for, what to ask."""

    guide: WallGuide
    score: float
    why: list[str]
    signs: list[str]
    questions: list[Question]


@dataclass
class Sheet:
    """The prep sheet: profile, precedents, likely walls, checklist, the seven steps."""

    profile: Profile
    cases: list[Hit]
    walls: list[LikelyWall]
    checklist: list[dict]
    steps: list[dict]

    def to_dict(self, site_url: str = "") -> dict:
        """As JSON-ready data; URLs relative to the site root, or under `site_url`."""
        return {
            "profile": self.profile.to_dict(),
            "cases": [{"id": h.case.id, "alias": h.case.alias, "title": h.case.title,
                       "kind": h.case.kind, "url": site_url + h.case.url, "score": h.score,
                       "reasons": h.reasons, "summary": h.case.summary,
                       "change": h.case.change} for h in self.cases],
            "walls": [{"wall": w.guide.label, "slug": w.guide.slug,
                       "url": site_url + w.guide.url if w.guide.url else "",
                       "score": w.score, "why": w.why, "signs": w.signs,
                       "questions": [{"text": q.text, "source": q.source,
                                      "url": site_url + q.url if q.url else ""}
                                     for q in w.questions]} for w in self.walls],
            "checklist": self.checklist,
            "steps": self.steps,
        }


def likely_walls(index: PrepIndex, profile: Profile, hits: list[Hit]) -> list[LikelyWall]:
    """Walls that may lie behind the request, most likely first."""
    query = _Query(index, profile.text)
    suspected = {t.slug for t in profile.walls}
    best = hits[0].score if hits else 0.0
    found = []
    for guide in index.walls:
        score = 0.0
        why: list[str] = []
        if guide.slug in suspected:
            score += WALL_WEIGHTS["suspected"]
            why.append("支援者が想定している壁")
        with_wall = [h for h in hits if guide.slug in h.case.walls
                     and h.score >= WALL_PRECEDENT_SHARE * best]
        if with_wall and best:
            for hit in with_wall:
                score += WALL_WEIGHTS["precedent"] * hit.score / best
            why.append("似た事例にある壁: " + "・".join(h.case.alias for h in with_wall))
        similarity = query.similarity(guide.folded_signs)
        score += WALL_WEIGHTS["signs"] * similarity
        if similarity >= TEXT_REASON_MIN:
            runs = query.runs(guide.folded_signs)
            if runs:
                why.append("相談の言葉がサインに似ている: " + "".join(f"「{r}」" for r in runs))
        score = rounded(score)
        if guide.slug in suspected or score >= WALL_MIN:
            questions = [Question(q, f"解説「{guide.label}」", guide.url)
                         for q in guide.questions[:GUIDE_QUESTIONS]]
            lines = [Question(line, f"{hit.case.alias}の対話", hit.case.url)
                     for hit in with_wall for line in hit.case.questions]
            questions += lines[:DIALOGUE_QUESTIONS]
            found.append(LikelyWall(guide, score, why, guide.signs[:SIGNS_LIMIT], questions))
    order = {g.slug: i for i, g in enumerate(index.walls)}
    found.sort(key=lambda w: (w.guide.slug not in suspected, -w.score, order[w.guide.slug]))
    kept = [w for w in found if w.guide.slug in suspected]
    kept += [w for w in found if w.guide.slug not in suspected][:max(0, WALL_LIMIT - len(kept))]
    return kept


def prep_sheet(index: PrepIndex, profile: Profile, limit: int = DEFAULT_LIMIT) -> Sheet:
    """Everything to take into the first hearing for this profile."""
    hits = rank(index, profile, limit)
    return Sheet(profile, hits, likely_walls(index, profile, hits), checklist(),
                 index.step_list())


def sheet_markdown(sheet: Sheet, site_url: str = "") -> str:
    """The sheet as Markdown, to paste into a note or print."""
    profile = sheet.profile
    lines = ["# 相談の準備シート", "", "## 相談の概要", ""]
    for label, value in (("業種", profile.industry), ("従業員規模", profile.employees),
                         ("都道府県", profile.prefecture)):
        if value:
            lines.append(f"- {label}: {value.label}")
    if profile.themes:
        lines.append("- 相談テーマ: " + "、".join(t.label for t in profile.themes))
    if profile.walls:
        lines.append("- 想定している壁: " + "、".join(t.label for t in profile.walls))
    if profile.text:
        lines.append(f"- 相談内容: {profile.text}")
    lines += ["", "## 似ている先行事例", ""]
    if not sheet.cases:
        lines.append("似ている事例は見つかりませんでした。")
    for number, hit in enumerate(sheet.cases, 1):
        case = hit.case
        lines.append(f"{number}. **{case.alias}** [{case.title}]({site_url}{case.url})")
        lines.append(f"   - 理由: {'／'.join(hit.reasons)}")
        if case.summary:
            lines.append(f"   - 設定された課題: {case.summary}")
        if case.change:
            lines.append(f"   - 生まれた変化: {case.change}")
    lines += ["", "## 背景にありそうな壁", ""]
    if not sheet.walls:
        lines.append("手がかりが少なく、壁は挙げられませんでした。")
    for wall in sheet.walls:
        lines += [f"### {wall.guide.label}（{'／'.join(wall.why)}）", ""]
        if wall.signs:
            lines.append("聞き取りたいサイン:")
            lines += [f"- {s}" for s in wall.signs]
            lines.append("")
        if wall.questions:
            lines.append("効いた問いかけ:")
            lines += [f"- {q.text}（{q.source}）" for q in wall.questions]
            lines.append("")
    lines += ["## 初回ヒアリングで把握すること", ""]
    for group in sheet.checklist:
        lines.append(f"**{group['heading']}**")
        lines += [f"- [ ] {item}：" for item in group["items"]]
        if group["note"]:
            lines.append(f"\n※ {group['note']}")
        lines.append("")
    lines += ["## 支援の流れでの位置", ""]
    for number, step in enumerate(sheet.steps, 1):
        mark = " ← 初回ヒアリング" if step["hearing"] else ""
        lines.append(f"{'①②③④⑤⑥⑦'[number - 1] if number <= 7 else number} {step['label']}{mark}")
    return "\n".join(lines).rstrip() + "\n"
