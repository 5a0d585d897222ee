/* Casebook /prep/ (相談の準備): the prep sheet for a new client, made in the browser.
 *
 * The profile is read from the page's address (the form submits to the page itself, so a sheet
 * can be bookmarked or sent). The data is the pipeline's (casebook/prep_data.py):
 * assets/casebook/prep-data.js on opening the page (vocabulary, wall guides, weights and each
 * case's facets as numbers), then, for a sheet, only the parts it needs — the pair parts
 * holding the request's character pairs (which cases' texts hold each pair), and the case
 * parts with the display text of the top hits. Parts are scripts calling
 * window.casebookPrepPart, so the page works from file:// too. The ranking is
 * casebook/prep.py's rank() and likely_walls(), step for step: change both together
 * (tests/browser/test_browser_prep.py compares them). Everything is written with textContent:
 * no text becomes markup. */
(() => {
  "use strict";

  const DATA = window.casebookPrepData;
  const sheet = document.getElementById("cb-prep-sheet");
  const form = document.getElementById("cb-prep-form");
  if (!DATA || !sheet || !form) return;
  const ROOT = sheet.dataset.root || "";
  const PARTS = DATA.parts;
  const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
  const VOCAB_PUNCT = /[\s,，、・･/／()（）]+/gu;
  const IN_REQUEST = 1;
  const IN_CHALLENGE = 2;

  // --- the parts (casebook/prep_data.py) -------------------------------------------------

  const loaded = new Map();
  const loading = new Map();
  window.casebookPrepPart = (name, data) => { loaded.set(name, data); };

  /** A part of the data, loaded once by a script element (which file:// allows). */
  function part(name) {
    if (loaded.has(name)) return Promise.resolve(loaded.get(name));
    if (!loading.has(name)) {
      loading.set(name, new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = `${ROOT}${PARTS.dir}/${name}.js?v=${PARTS.version}`;
        script.onload = () => (loaded.has(name) ? resolve(loaded.get(name))
          : reject(new Error(`${script.src} did not hold ${name}`)));
        script.onerror = () => {
          loading.delete(name);
          reject(new Error(`${script.src} could not be loaded`));
        };
        document.head.append(script);
      }));
    }
    return loading.get(name);
  }

  const pairPart = (key) => key.codePointAt(0) % PARTS.pairs;
  const DIGIT = new Map();
  Array.from(PARTS.terminal).forEach((c, i) => DIGIT.set(c, i));
  Array.from(PARTS.more).forEach((c, i) => DIGIT.set(c, -1 - i));

  /** A key's cases: their places in the index (ascending) and where the key occurs (bits). */
  function decode(text) {
    const orders = [];
    const wheres = [];
    let value = 0;
    let previous = -1;
    for (let i = 0; i < text.length; i++) {
      const digit = DIGIT.get(text[i]);
      if (digit < 0) {
        value = value * 32 + (-1 - digit);
        continue;
      }
      value = value * 32 + digit;
      const order = previous + 1 + Math.floor(value / 3);
      orders.push(order);
      wheres.push(value % 3 + 1);
      previous = order;
      value = 0;
    }
    return { orders, wheres };
  }

  /** The cases whose texts hold `gram`: a pair, or one character (a pair starting with it,
   * or the text's last character). Its part must be loaded. */
  function postings(gram) {
    const keys = loaded.get(`pairs-${pairPart(gram)}`);
    if (Array.from(gram).length > 1) {
      return Object.hasOwn(keys, gram) ? decode(keys[gram]) : { orders: [], wheres: [] };
    }
    const merged = new Map();
    for (const [key, text] of Object.entries(keys)) {
      if (!key.startsWith(gram)) continue;
      const found = decode(text);
      found.orders.forEach((order, i) => merged.set(order, (merged.get(order) || 0) | found.wheres[i]));
    }
    const orders = Array.from(merged.keys()).sort((a, b) => a - b);
    return { orders, wheres: orders.map((order) => merged.get(order)) };
  }

  // --- text (casebook/prep.py: normalized, grams, rounded, _Query) ----------------------

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
    }

    /** Load the parts of the request's pairs; weigh each pair by its rarity over the cases. */
    async load() {
      const parts = new Set(this.grams.map(pairPart));
      await Promise.all(Array.from(parts, (n) => part(`pairs-${n}`)));
      this.postings = this.grams.map(postings);
      const total = DATA.count;
      this.weights = this.postings.map((p) => Math.log((total + 1) / (p.orders.length + 0.5)));
      this.total = 0;
      for (const weight of this.weights) this.total += weight;
      return this;
    }

    /** Per case, the weight of the request's pairs its 当初の相談 and 設定された課題 hold:
     * added pair by pair in the request's order, as prep.py adds them. */
    shared() {
      const request = new Float64Array(DATA.count);
      const challenge = new Float64Array(DATA.count);
      this.postings.forEach(({ orders, wheres }, i) => {
        const weight = this.weights[i];
        for (let j = 0; j < orders.length; j++) {
          if (wheres[j] & IN_REQUEST) request[orders[j]] += weight;
          if (wheres[j] & IN_CHALLENGE) challenge[orders[j]] += weight;
        }
      });
      return { request, challenge };
    }

    /** Does case `order`'s text (`bit`) hold `gram`? */
    holds(order, bit) {
      const index = new Map(this.grams.map((gram, i) => [gram, i]));
      return (gram) => {
        const { orders, wheres } = this.postings[index.get(gram)];
        let low = 0;
        let high = orders.length - 1;
        while (low <= high) {
          const middle = (low + high) >> 1;
          if (orders[middle] === order) return (wheres[middle] & bit) !== 0;
          if (orders[middle] < order) low = middle + 1;
          else high = middle - 1;
        }
        return false;
      };
    }

    similarity(target) {
      if (!this.total || !target) return 0;
      let shared = 0;
      this.grams.forEach((gram, i) => {
        if (target.includes(gram)) shared += this.weights[i];
      });
      return shared / this.total;
    }

    /** Up to two longest stretches of the request (as written) whose pairs `has` holds. */
    runs(has) {
      const chars = this.chars;
      const found = [];
      let start = -1;
      for (let i = 0; i + 1 < chars.length; i++) {
        if (has(chars[i] + chars[i + 1])) {
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

  function textReason(label, query, has, similarity) {
    if (similarity < DATA.limits.textReason) return null;
    const runs = query.runs(has);
    if (!runs.length) return null;
    return `${label}が似ている: ` + runs.map((r) => `「${r}」`).join("");
  }

  // --- the profile -----------------------------------------------------------------------

  const terms = {};
  for (const [facet, spec] of Object.entries(DATA.vocabulary)) {
    terms[facet] = { label: spec.label, list: spec.terms, byKey: new Map() };
    spec.terms.forEach((term, index) => { term.index = index; }); // as the cases' facets count
    for (const term of spec.terms) {
      for (const name of term.names) {
        if (!terms[facet].byKey.has(name)) terms[facet].byKey.set(name, term);
      }
    }
  }
  const lookup = (facet, value) => terms[facet].byKey.get(vocabularyKey(value)) ||
    (facet === "employees" ? employeesBand(value) : null);

  /** The band of a head count as a field value: 30, 30名, 約30人, 21〜50人 → 21-50
   * (headcount.js: the grammar of casebook/headcount.py). */
  function employeesBand(value) {
    const range = window.casebookHeadCount.rangeOf(value);
    if (!range) return null;
    const list = terms.employees.list;
    const label = window.casebookHeadCount.band(range[0], range[1], list.map((t) => t.label));
    return label === null ? null : list.find((term) => term.label === label);
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

  /** Case `order`'s score from its facets; its reasons into `reasons` if given. */
  function facetScore(profile, order, reasons) {
    const W = DATA.weights;
    const F = DATA.facets;
    const say = (text) => { if (reasons) reasons.push(text); };
    let score = 0;
    if (profile.industry && F.industry[order] === profile.industry.index) {
      score += W.industry;
      say(`同じ業種: ${profile.industry.label}`);
    }
    const employees = F.employees[order];
    if (profile.employees && employees >= 0) {
      const gap = Math.abs(employees - profile.employees.index);
      if (gap === 0) {
        score += W.employees;
        say(`同じ従業員規模: ${profile.employees.label}`);
      } else if (gap === 1) {
        score += W.employees_near;
        say(`近い従業員規模: ${terms.employees.list[employees].label}`);
      }
    }
    const prefecture = F.prefecture[order];
    if (profile.prefecture && prefecture >= 0) {
      if (prefecture === profile.prefecture.index) {
        score += W.prefecture;
        say(`同じ都道府県: ${profile.prefecture.label}`);
      } else {
        const region = terms.prefecture.list[prefecture].group;
        if (region && region === profile.prefecture.group) {
          score += W.region;
          say(`同じ地方: ${region}`);
        }
      }
    }
    for (const theme of profile.themes) {
      if (F.theme[order].includes(theme.index)) {
        score += W.theme;
        say(`相談テーマが同じ: ${theme.label}`);
      }
    }
    for (const wall of profile.walls) {
      if (F.wall[order].includes(wall.index)) {
        score += W.wall;
        say(`想定している壁がある: ${wall.label}`);
      }
    }
    return score;
  }

  /** A case's display text, from its case part (loaded). */
  function caseOf(order) {
    const [id, alias, title, kind, url, summary, change, questions] =
      loaded.get(`cases-${Math.floor(order / PARTS.cases)}`)[order % PARTS.cases];
    const walls = DATA.facets.wall[order].map((i) => terms.wall.list[i].slug);
    return { id, alias, title, kind, url, summary, change, questions, walls };
  }

  async function rank(profile, limit) {
    const W = DATA.weights;
    const query = await new Query(profile.text).load();
    const shared = query.shared();
    const hits = [];
    for (let order = 0; order < DATA.count; order++) {
      let score = facetScore(profile, order, null);
      const request = query.total ? shared.request[order] / query.total : 0;
      const challenge = query.total ? shared.challenge[order] / query.total : 0;
      score += W.request * request;
      score += W.challenge * challenge;
      score = rounded(score);
      if (score > 0) hits.push({ order, score, request, challenge });
    }
    hits.sort((a, b) => b.score - a.score || a.order - b.order);
    const top = limit == null ? hits : hits.slice(0, limit);
    const wanted = new Set(top.map((hit) => Math.floor(hit.order / PARTS.cases)));
    await Promise.all(Array.from(wanted, (n) => part(`cases-${n}`)));
    // The reasons, for the hits shown only: they do not change the order.
    return top.map(({ order, score, request, challenge }) => {
      const reasons = [];
      facetScore(profile, order, reasons);
      for (const [label, bit, similarity] of [["当初の相談", IN_REQUEST, request],
        ["設定された課題", IN_CHALLENGE, challenge]]) {
        const reason = textReason(label, query, query.holds(order, bit), similarity);
        if (reason) reasons.push(reason);
      }
      return { case: caseOf(order), score, reasons, order, query };
    });
  }

  // --- likely walls (casebook/prep.py: likely_walls) --------------------------------------

  async function likelyWalls(profile, hits) {
    const WW = DATA.wallWeights;
    const L = DATA.limits;
    const query = hits.length ? hits[0].query : await new Query(profile.text).load();
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
        const runs = query.runs((gram) => guide.folded_signs.includes(gram));
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

  async function render(profile, unknown) {
    sheet.replaceChildren();
    if (unknown.length) {
      sheet.append(el("p", { class: "cb-prep-warning", role: "alert" },
        `次の値はこのサイトの分類にないため、使わずに探しました: ${unknown.join("、")}`));
    }
    if (profile.empty) return;
    let hits;
    let walls;
    try {
      hits = await rank(profile, DATA.limits.cases);
      walls = await likelyWalls(profile, hits);
    } catch (error) {
      sheet.append(el("p", { class: "cb-prep-warning", role: "alert" },
        "準備シートのデータを読み込めませんでした。ページを読み込み直してください。"));
      console.error(error);
      return;
    }
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

  // For the benchmark: the ranking alone (its parts loaded once), as the sheet shows it.
  window.casebookPrep = {
    rank: async (params, limit) => (await rank(profileFrom(new URLSearchParams(params)).profile,
      limit)).map((hit) => ({ id: hit.case.id, score: hit.score, reasons: hit.reasons })),
  };
})();
