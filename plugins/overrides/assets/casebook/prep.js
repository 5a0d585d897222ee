/* Casebook /prep/ (相談の準備): the prep sheet for a new client, made in the browser.
 *
 * The profile is read from the page's address (the form submits to the page itself, so a sheet
 * can be bookmarked or sent); the data is the pipeline's assets/casebook/prep-data.js
 * (published cases, wall guides, vocabulary, weights). The ranking is casebook/prep.py's
 * rank() and likely_walls(), step for step: change both together (tests/browser/test_browser_prep.py
 * compares them). Everything is written with textContent: no text becomes markup. */
(() => {
  "use strict";

  const DATA = window.casebookPrepData;
  const sheet = document.getElementById("cb-prep-sheet");
  const form = document.getElementById("cb-prep-form");
  if (!DATA || !sheet || !form) return;
  const ROOT = sheet.dataset.root || "";
  const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
  const VOCAB_PUNCT = /[\s,，、・･/／()（）]+/gu;

  // --- text (casebook/prep.py: normalized, grams, rounded) ------------------------------

  function normalized(text) {
    const chars = [];
    const where = [];
    Array.from(text).forEach((char, index) => {
      for (const folded of char.normalize("NFKC").toLowerCase()) {
        if (LETTER_OR_DIGIT.test(folded)) {
          chars.push(folded);
          where.push(index);
        }
      }
    });
    return { chars, where };
  }

  function grams(chars) {
    if (chars.length === 1) return [chars[0]];
    const seen = new Set();
    for (let i = 0; i + 1 < chars.length; i++) seen.add(chars[i] + chars[i + 1]);
    return Array.from(seen);
  }

  const rounded = (value) => Math.floor(value * 10000 + 0.5) / 10000;
  const vocabularyKey = (value) => value.normalize("NFKC").replace(VOCAB_PUNCT, "").toLowerCase();

  class Query {
    constructor(text) {
      this.text = Array.from(text);
      const { chars, where } = normalized(text);
      this.chars = chars;
      this.where = where;
      this.grams = chars.length ? grams(chars) : [];
      const total = DATA.cases.length;
      this.weights = this.grams.map((gram) => {
        let found = 0;
        for (const c of DATA.cases) {
          if (c.request.includes(gram) || c.challenge.includes(gram)) found += 1;
        }
        return Math.log((total + 1) / (found + 0.5));
      });
      this.total = 0;
      for (const weight of this.weights) this.total += weight;
    }

    similarity(target) {
      if (!this.total || !target) return 0;
      let shared = 0;
      this.grams.forEach((gram, i) => {
        if (target.includes(gram)) shared += this.weights[i];
      });
      return shared / this.total;
    }

    runs(target) {
      const chars = this.chars;
      const found = [];
      let start = -1;
      for (let i = 0; i + 1 < chars.length; i++) {
        if (target.includes(chars[i] + chars[i + 1])) {
          if (start < 0) start = i;
        } else if (start >= 0) {
          found.push([start, i + 1]);
          start = -1;
        }
      }
      if (start >= 0) found.push([start, chars.length]);
      const kept = found.filter(([a, b]) => b - a >= DATA.limits.run);
      kept.sort((x, y) => (y[1] - y[0]) - (x[1] - x[0]) || x[0] - y[0]);
      return kept.slice(0, 2).map(([a, b]) =>
        this.text.slice(this.where[a], this.where[b - 1] + 1).join(""));
    }
  }

  function textReason(label, query, target, similarity) {
    if (similarity < DATA.limits.textReason) return null;
    const runs = query.runs(target);
    if (!runs.length) return null;
    return `${label}が似ている: ` + runs.map((r) => `「${r}」`).join("");
  }

  // --- the profile -----------------------------------------------------------------------

  const terms = {};
  for (const [facet, spec] of Object.entries(DATA.vocabulary)) {
    terms[facet] = { label: spec.label, list: spec.terms, byKey: new Map() };
    for (const term of spec.terms) {
      for (const name of term.names) {
        if (!terms[facet].byKey.has(name)) terms[facet].byKey.set(name, term);
      }
    }
  }
  const lookup = (facet, value) => terms[facet].byKey.get(vocabularyKey(value)) ||
    (facet === "employees" ? employeesBand(value) : null);

  // The head count grammar of casebook/headcount.py (HEAD_COUNT; tests/test_headcount.py
  // holds the table both are checked against). A head count is a range; its band holds all of it.
  const HEAD_COUNT = new RegExp(
    String.raw`(?:(?:従業員|社員|職員|スタッフ)数?\s*)?(?:(?:約|およそ|ほぼ)\s*)?([0-9]+)` +
    String.raw`(?:\s*[-〜~]\s*([0-9]+))?(?:\s*(人|名))?(?:\s*(以上|以下|未満|\+))?` +
    String.raw`(?:規模|程度|ほど|くらい|ぐらい|前後)?`, "u");

  const WHOLE_COUNT = new RegExp(`^(?:${HEAD_COUNT.source})$`, "u");

  /** The head counts a match stands for, [lowest, highest] (headcount.py: _range). */
  function countRange(match) {
    if (match[1].length > 9 || (match[2] || "").length > 9) return [1, 0];  // no business
    let low = Number(match[1]);
    let high = match[2] ? Number(match[2]) : low;
    if (match[4] === "以上" || match[4] === "+") high = Infinity;
    else if (match[4] === "以下") low = 1;
    else if (match[4] === "未満") [low, high] = [1, high - 1];
    return [low, high];
  }

  /** The band of a head count as a field value: 30, 30名, 約30人, 21〜50人 → 21-50. Band
   * labels are read by the same grammar ("21-50", "301+", "1-20人"). */
  function employeesBand(value) {
    const match = WHOLE_COUNT.exec(value.normalize("NFKC").trim());
    if (!match) return null;
    const [low, high] = countRange(match);
    if (low > high) return null;
    for (const term of terms.employees.list) {
      const band = WHOLE_COUNT.exec(term.label.normalize("NFKC").trim());
      if (!band) continue;
      const [bandLow, bandHigh] = countRange(band);
      if (bandLow <= low && high <= bandHigh) return term;
    }
    return null;
  }

  function profileFrom(params) {
    const unknown = [];
    const one = (facet) => {
      const value = (params.get(facet) || "").trim();
      if (!value) return null;
      const term = lookup(facet, value);
      if (!term) unknown.push(`${terms[facet].label}「${value}」`);
      return term;
    };
    const many = (facet) => {
      const found = [];
      for (const value of params.getAll(facet)) {
        if (!value.trim()) continue;
        const term = lookup(facet, value);
        if (!term) unknown.push(`${terms[facet].label}「${value}」`);
        else if (!found.includes(term)) found.push(term);
      }
      return found;
    };
    const profile = {
      industry: one("industry"), employees: one("employees"), prefecture: one("prefecture"),
      themes: many("theme"), walls: many("wall"), text: (params.get("text") || "").trim(),
    };
    profile.empty = !(profile.industry || profile.employees || profile.prefecture ||
      profile.themes.length || profile.walls.length || normalized(profile.text).chars.length);
    return { profile, unknown };
  }

  // --- ranking (casebook/prep.py: rank) ---------------------------------------------------

  function rank(profile, limit) {
    const W = DATA.weights;
    const query = new Query(profile.text);
    const position = new Map(terms.employees.list.map((t, i) => [t.slug, i]));
    const bySlug = (facet, slug) => terms[facet].list.find((t) => t.slug === slug);
    const hits = [];
    DATA.cases.forEach((c, order) => {
      let score = 0;
      const reasons = [];
      if (profile.industry && c.industry === profile.industry.slug) {
        score += W.industry;
        reasons.push(`同じ業種: ${profile.industry.label}`);
      }
      if (profile.employees && c.employees) {
        const gap = Math.abs(position.get(c.employees) - position.get(profile.employees.slug));
        if (gap === 0) {
          score += W.employees;
          reasons.push(`同じ従業員規模: ${profile.employees.label}`);
        } else if (gap === 1) {
          score += W.employees_near;
          reasons.push(`近い従業員規模: ${bySlug("employees", c.employees).label}`);
        }
      }
      if (profile.prefecture && c.prefecture) {
        if (c.prefecture === profile.prefecture.slug) {
          score += W.prefecture;
          reasons.push(`同じ都道府県: ${profile.prefecture.label}`);
        } else {
          const region = bySlug("prefecture", c.prefecture).group;
          if (region && region === profile.prefecture.group) {
            score += W.region;
            reasons.push(`同じ地方: ${region}`);
          }
        }
      }
      for (const theme of profile.themes) {
        if (c.themes.includes(theme.slug)) {
          score += W.theme;
          reasons.push(`相談テーマが同じ: ${theme.label}`);
        }
      }
      for (const wall of profile.walls) {
        if (c.walls.includes(wall.slug)) {
          score += W.wall;
          reasons.push(`想定している壁がある: ${wall.label}`);
        }
      }
      const request = query.similarity(c.request);
      const challenge = query.similarity(c.challenge);
      score += W.request * request;
      score += W.challenge * challenge;
      for (const [label, target, similarity] of [["当初の相談", c.request, request],
        ["設定された課題", c.challenge, challenge]]) {
        const reason = textReason(label, query, target, similarity);
        if (reason) reasons.push(reason);
      }
      score = rounded(score);
      if (score > 0) hits.push({ case: c, score, reasons, order });
    });
    hits.sort((a, b) => b.score - a.score || a.order - b.order);
    return limit == null ? hits : hits.slice(0, limit);
  }

  // --- likely walls (casebook/prep.py: likely_walls) --------------------------------------

  function likelyWalls(profile, hits) {
    const WW = DATA.wallWeights;
    const L = DATA.limits;
    const query = new Query(profile.text);
    const suspected = new Set(profile.walls.map((t) => t.slug));
    const best = hits.length ? hits[0].score : 0;
    const found = [];
    DATA.walls.forEach((guide, order) => {
      let score = 0;
      const why = [];
      if (suspected.has(guide.slug)) {
        score += WW.suspected;
        why.push("支援者が想定している壁");
      }
      const withWall = hits.filter((h) => h.case.walls.includes(guide.slug) &&
        h.score >= L.precedentShare * best);
      if (withWall.length && best) {
        for (const hit of withWall) score += WW.precedent * hit.score / best;
        why.push("似た事例にある壁: " + withWall.map((h) => h.case.alias).join("・"));
      }
      const similarity = query.similarity(guide.folded_signs);
      score += WW.signs * similarity;
      if (similarity >= L.textReason) {
        const runs = query.runs(guide.folded_signs);
        if (runs.length) {
          why.push("相談の言葉がサインに似ている: " + runs.map((r) => `「${r}」`).join(""));
        }
      }
      score = rounded(score);
      if (suspected.has(guide.slug) || score >= L.wallMin) {
        const questions = guide.questions.slice(0, L.guideQuestions).map((q) =>
          ({ text: q, source: `解説「${guide.label}」`, url: guide.url }));
        const lines = [];
        for (const hit of withWall) {
          for (const line of hit.case.questions) {
            lines.push({ text: line, source: `${hit.case.alias}の対話`, url: hit.case.url });
          }
        }
        questions.push(...lines.slice(0, L.dialogueQuestions));
        found.push({ guide, score, why, signs: guide.signs.slice(0, L.signs), questions, order });
      }
    });
    found.sort((a, b) => (suspected.has(a.guide.slug) ? 0 : 1) -
      (suspected.has(b.guide.slug) ? 0 : 1) || b.score - a.score || a.order - b.order);
    const kept = found.filter((w) => suspected.has(w.guide.slug));
    const rest = found.filter((w) => !suspected.has(w.guide.slug));
    return kept.concat(rest.slice(0, Math.max(0, L.walls - kept.length)));
  }

  // --- the sheet ---------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value != null) node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child == null) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }
  const link = (url, ...children) => el("a", { href: ROOT + url }, ...children);

  function render(profile, unknown) {
    sheet.replaceChildren();
    if (unknown.length) {
      sheet.append(el("p", { class: "cb-prep-warning", role: "alert" },
        `次の値はこのサイトの分類にないため、使わずに探しました: ${unknown.join("、")}`));
    }
    if (profile.empty) return;
    const hits = rank(profile, DATA.limits.cases);
    const walls = likelyWalls(profile, hits);
    sheet.append(el("h2", { id: "cb-prep-title" }, "相談の準備シート"));

    const rows = [];
    const row = (label, value) => { if (value) rows.push(el("dt", {}, label), el("dd", {}, value)); };
    row("業種", profile.industry && profile.industry.label);
    row("従業員規模", profile.employees && profile.employees.label);
    row("都道府県", profile.prefecture && profile.prefecture.label);
    row("相談テーマ", profile.themes.map((t) => t.label).join("、"));
    row("想定している壁", profile.walls.map((t) => t.label).join("、"));
    row("相談内容", profile.text);
    sheet.append(el("dl", { class: "cb-prep-profile" }, ...rows));

    sheet.append(el("h3", {}, "似ている先行事例"));
    if (!hits.length) {
      sheet.append(el("p", {}, "似ている事例は見つかりませんでした。業種や相談テーマ、相談内容を足してみてください。"));
    } else {
      sheet.append(el("ol", { class: "cb-prep-cases" }, ...hits.map((hit) => el("li",
        { "data-case-id": hit.case.id, "data-score": String(hit.score) },
        el("p", { class: "cb-prep-case-title" },
          link(hit.case.url, el("strong", {}, hit.case.alias), " ", hit.case.title)),
        el("p", { class: "cb-prep-reasons" }, "理由: " + hit.reasons.join("／")),
        hit.case.summary ? el("p", {}, "設定された課題: " + hit.case.summary) : null,
        hit.case.change ? el("p", {}, "生まれた変化: " + hit.case.change) : null))));
    }

    sheet.append(el("h3", {}, "背景にありそうな壁"));
    if (!walls.length) {
      sheet.append(el("p", {}, "手がかりが少なく、壁は挙げられませんでした。"));
    }
    for (const wall of walls) {
      const title = wall.guide.url ? link(wall.guide.url, wall.guide.label) : wall.guide.label;
      sheet.append(el("div", { class: "cb-prep-wall", "data-wall": wall.guide.slug },
        el("h4", {}, title, el("span", { class: "cb-prep-why" }, `（${wall.why.join("／")}）`)),
        wall.signs.length ? el("p", { class: "cb-prep-sub" }, "聞き取りたいサイン") : null,
        wall.signs.length ? el("ul", {}, ...wall.signs.map((s) => el("li", {}, s))) : null,
        wall.questions.length ? el("p", { class: "cb-prep-sub" }, "効いた問いかけ") : null,
        wall.questions.length ? el("ul", { class: "cb-prep-questions" }, ...wall.questions.map(
          (q) => el("li", {}, q.text, " ", el("span", { class: "cb-prep-source" },
            "（", link(q.url, q.source), "）")))) : null));
    }

    sheet.append(el("h3", {}, "初回ヒアリングで把握すること"));
    for (const group of DATA.checklist) {
      sheet.append(el("table", { class: "cb-prep-checklist" },
        el("caption", {}, group.heading),
        el("tbody", {}, ...group.items.map((item) => el("tr", {},
          el("th", { scope: "row" }, "☐ " + item), el("td", { class: "cb-prep-note" }, ""))))));
      if (group.note) sheet.append(el("p", { class: "cb-prep-small" }, group.note));
    }

    sheet.append(el("h3", {}, "支援の流れでの位置"));
    sheet.append(el("ol", { class: "cb-prep-steps" }, ...DATA.steps.map((step) => el("li",
      step.hearing ? { class: "cb-prep-here", "aria-current": "step" } : {},
      link(step.url, step.label), step.hearing ? " ← 初回ヒアリング" : null))));
  }

  // --- the form ----------------------------------------------------------------------------

  function fill(profile) {
    const set = (name, term) => { form.elements[name].value = term ? term.slug : ""; };
    set("industry", profile.industry);
    set("employees", profile.employees);
    set("prefecture", profile.prefecture);
    form.elements.text.value = profile.text;
    for (const [name, chosen] of [["theme", profile.themes], ["wall", profile.walls]]) {
      for (const box of form.querySelectorAll(`input[name="${name}"]`)) {
        box.checked = chosen.some((t) => t.slug === box.value);
      }
    }
    if (profile.walls.length) form.querySelector("details").open = true;
  }

  const { profile, unknown } = profileFrom(new URLSearchParams(window.location.search));
  fill(profile);
  render(profile, unknown);
  const print = form.querySelector(".cb-prep-print");
  if (!profile.empty) {
    print.hidden = false;
    print.addEventListener("click", () => window.print());
  }
  // Empty fields stay out of the address, so it reads like the profile.
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      if (String(value).trim()) params.append(key, String(value).trim());
    }
    window.location.search = params.toString();
  });

  window.casebookPrep = { rank: (params, limit) => rank(profileFrom(new URLSearchParams(params)).profile, limit) };
})();
