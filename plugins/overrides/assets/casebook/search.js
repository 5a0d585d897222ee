/* Casebook header search: a dialog that searches the site with Pagefind, in the browser.
 *
 * The index holds each run of kanji and kana as character bigrams spelt in letters and
 * digits (search/pagefind.py says why). A query is cut into its content words (particles and
 * endings left out), each word is spelt the same way, and Pagefind is asked for each word:
 * pages holding every word come first; when too few do, pages holding the rarest words. Case
 * pages are listed before guides and term pages. Excerpts are spelt back into characters, and
 * escaped, before they are shown. Nothing is fetched from any other host. */
(() => {
  "use strict";

  // The spelling shared with search/pagefind.py: change both together.
  const MARKER = "\u01c2";
  const GAP = "\u01c1";
  const CJK = "\\u3005-\\u3007\\u3041-\\u3096\\u309d-\\u309f\\u30a1-\\u30fa\\u30fc-\\u30ff" +
    "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
  const RUN = new RegExp(`[${CJK}]+`, "gu");
  const WORD = new RegExp(`${MARKER}([0-9a-z]{4})[0-9a-z]{4}`, "gu");
  const base36 = (char) => char.codePointAt(0).toString(36).padStart(4, "0");
  const END = "0000";

  /** Text as the index holds it (search/pagefind.py's spell()). */
  function spellText(text) {
    return text.normalize("NFKC").replaceAll(MARKER, "").replaceAll(GAP, "")
      .replace(/\s+/g, ` ${GAP} `).replace(RUN, (run) => {
        const chars = [...run];
        const words = chars.map((char, i) =>
          MARKER + base36(char) + (i + 1 < chars.length ? base36(chars[i + 1]) : END));
        return ` ${words.join(" ")} `;
      });
  }

  /** A word as index words: 資金繰り → 資金 金繰 繰り; a lone 社 → every bigram starting 社. */
  function spellQuery(term) {
    return term.normalize("NFKC").replaceAll(MARKER, "").replaceAll(GAP, "")
      .replace(RUN, (run) => {
        const chars = [...run];
        if (chars.length === 1) return ` ${MARKER}${base36(chars[0])} `;
        const words = chars.slice(0, -1).map((char, i) =>
          MARKER + base36(char) + base36(chars[i + 1]));
        return ` ${words.join(" ")} `;
      }).replace(/\s+/g, " ").trim();
  }

  const escapeHTML = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;")
    .replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const WIDE = `[${CJK}\\u3000-\\u303f\\uff01-\\uff60]`;  // kanji, kana, Japanese punctuation
  const AROUND_CJK = new RegExp(`\\s+(?=${WIDE})|(?<=${WIDE})\\s+`, "gu");

  /** Index words back to characters, with `words` marked.
   *
   * `html` is Pagefind's excerpt: text it has escaped, with <mark> around hits. A decoded
   * index word can be any character, `<` and `"` included (a page may even spell one on
   * purpose), so each is escaped again before the result goes into the page. */
  function readable(html, words) {
    let text = html
      .replace(/<\/?mark>/g, "")
      .replace(WORD, (_, code) => escapeHTML(String.fromCodePoint(parseInt(code, 36))))
      // Spaces next to kanji and kana are the spelling's; the page's own are GAP words.
      .replace(AROUND_CJK, "")
      .replace(new RegExp(`\\s*${GAP}[\\s${GAP}]*`, "gu"), " ")
      .trim();
    const marked = (Array.isArray(words) ? words : String(words || "").split(/\s+/))
      .map((word) => word.normalize("NFKC")).filter(Boolean)
      .map((word) => escapeRegExp(escapeHTML(word)))
      .sort((a, b) => b.length - a.length);
    if (marked.length) {
      text = text.replace(new RegExp(marked.join("|"), "giu"), (found) => `<mark>${found}</mark>`);
    }
    return text;
  }

  // --- what a query asks for --------------------------------------------------------------

  // Where a query is cut into words: particles, copulas, light verbs and words that are
  // everywhere. Everything between two of them is one word, as typed: the index is character
  // pairs, so 後継者 or 言い出せない need no cutting (and the browser's segmenter cuts verbs
  // badly: 言|い|出|せ|ない). 「ない」 is kept: 付いてこない is not 付いてくる.
  const BREAKS = new Set((
    "の に は を が と で へ や も か な ば って から まで より など なら だけ " +
    "しか ほど くらい ぐらい こそ でも ので のに けど けれど けれども し たり だり つつ ながら " +
    "だ です ます でし まし う よう そう らしい みたい " +
    "する し いる ある あり なる なっ こと ため とき ところ これ それ あれ この その あの " +
    "ここ そこ どう どの どんな 何 的 等 について における による として という"
  ).split(" "));
  const HIRAGANA = /^[\u3041-\u309f\u30fc]+$/u;
  const segmenter = typeof Intl !== "undefined" && Intl.Segmenter
    ? new Intl.Segmenter("ja", { granularity: "word" }) : null;

  /** The query cut into word-like pieces, null where it breaks (spaces, punctuation). */
  function pieces(text) {
    if (segmenter) {
      return [...segmenter.segment(text)].map((s) => (s.isWordLike ? s.segment : null));
    }
    // Without Intl.Segmenter: particles between two characters that are not hiragana.
    return text.split(/([\s、。・,.!?！？「」『』（）()]+|(?<=[^\u3041-\u309f])[のにはをがとでへやも](?=[^\u3041-\u309f]))/u)
      .map((piece, i) => (i % 2 ? null : piece));
  }

  /** The content words of a query: 「荷主に運賃の値上げを言い出せない」 → 荷主 運賃 値上げ
   * 言い出せない. */
  function queryWords(query) {
    const text = query.normalize("NFKC").trim();
    const words = [];
    let word = "";
    const end = () => {
      // A lone particle-like scrap of kana (the segmenter's leftovers) is no word.
      const scrap = HIRAGANA.test(word) && [...word].length < 3 && word !== "ない";
      if (word && !scrap && !words.includes(word)) words.push(word);
      word = "";
    };
    for (const piece of text ? pieces(text) : []) {
      if (piece === null || BREAKS.has(piece)) end();
      else word += piece;
    }
    end();
    return words;
  }

  // --- asking Pagefind ----------------------------------------------------------------------

  const dialog = document.querySelector("[data-cb-search]");
  const rootURL = new URL(((dialog && dialog.dataset.cbRoot) || ".").replace(/\/*$/, "/"),
    location.href);
  const bundle = new URL("pagefind/", rootURL);
  let engine = null;

  /** A Pagefind bundle ready to search: its API, its page count, how a word is spelt in it.
   * `spelt: false` is for a bundle of the pages as they are (bench/pagefind_spelling.py). */
  async function openEngine(bundleURL, { spelt = true } = {}) {
    const api = await import(new URL("pagefind.js", bundleURL).href);
    await api.options({ baseUrl: rootURL.pathname, excerptLength: 40 });
    // A large site is indexed in parts (search/pagefind.py, PART_PAGES): searched as one.
    const listed = await fetch(new URL("casebook-parts.json", bundleURL))
      .then((r) => (r.ok ? r.json() : { parts: [] }), () => ({ parts: [] }));
    const parts = (listed.parts || []).map((part) => new URL(part, bundleURL));
    for (const part of parts) {
      await api.mergeIndex(part.href, { baseUrl: rootURL.pathname });
    }
    const entries = await Promise.all([bundleURL, ...parts].map((url) =>
      fetch(new URL("pagefind-entry.json", url)).then((r) => r.json())));
    const pageCount = entries.flatMap((entry) => Object.values(entry.languages || {}))
      .reduce((sum, language) => sum + (language.page_count || 0), 0) || 1;
    return { api, pageCount, spell: spelt ? spellQuery : (word) => word.normalize("NFKC") };
  }

  /** The site's own bundle, opened on first use. */
  function pagefind() {
    if (!engine) {
      engine = openEngine(bundle);
      engine.catch(() => { engine = null; });
    }
    return engine;
  }

  // A query of this many words that too few pages match in full is answered with the pages
  // matching most of it, the rarest words counting most. `casebook search` falls back in the
  // same spirit by rules of its own (search/query.py: parts or words, then character pairs);
  // nothing checks that the two agree.
  const LONG_QUERY = 3;
  const ENOUGH = 3;

  /** Pages for a query and filters, best first: {mode, words, hits: [{result, matched}]}. */
  async function rank(query, filters = {}, using = null) {
    const { api, pageCount, spell } = using || await pagefind();
    const words = queryWords(query);
    const options = Object.keys(filters).length ? { filters } : {};
    if (!words.length) {
      if (!options.filters) return { mode: "none", words, hits: [] };
      const found = await api.search(null, options);
      return { mode: "filters", words, hits: found.results.map((result) => ({ result, matched: 0 })) };
    }
    // Each word: the pages holding it. (A case page's copy also holds the names of its
    // terms, synonyms included, so 物流 finds the cases tagged 運輸業，郵便業.)
    const perWord = await Promise.all(words.map(async (word) => {
      const spelt = spell(word);
      const found = spelt ? (await api.search(spelt, options)).results : [];
      return new Map(found.map((result) => [result.id, result]));
    }));
    const weights = perWord.map((found) => Math.log(1 + pageCount / (1 + found.size)));
    const pages = new Map();
    perWord.forEach((found, index) => {
      for (const [id, result] of found) {
        const page = pages.get(id) || { result, matched: 0, weight: 0, score: 0 };
        page.matched += 1;
        page.weight += weights[index];
        page.score += result.score * weights[index];
        pages.set(id, page);
      }
    });
    const hits = [...pages.values()];
    const complete = hits.filter((hit) => hit.matched === words.length);
    let mode = "and";
    if (!complete.length || (words.length >= LONG_QUERY && complete.length < ENOUGH)) {
      mode = hits.length ? "or" : "none";
      hits.sort((a, b) => (b.weight - a.weight) || (b.score - a.score));
      return { mode, words, hits };
    }
    complete.sort((a, b) => b.score - a.score);
    return { mode, words, hits: complete };
  }

  const CASE_PAGE = /\/cases\/[^/]+\/?(index\.html)?$/;

  /** The first `limit` hits as shown: loaded, case pages first. */
  async function shown(ranked, limit = 30) {
    const loaded = await Promise.all(ranked.hits.slice(0, limit).map(async (hit) => {
      const data = await hit.result.data();
      return { ...hit, data, isCase: CASE_PAGE.test(new URL(data.url, location.href).pathname) };
    }));
    return [...loaded.filter((hit) => hit.isCase), ...loaded.filter((hit) => !hit.isCase)];
  }

  /** What the judged-query evaluation reads: the URLs a query shows, in order. */
  async function urls(query, filters = {}, using = null) {
    return (await shown(await rank(query, filters, using), 20)).map((hit) => hit.data.url);
  }

  window.casebookSearch = {
    spellText, spellQuery, readable, queryWords, rank, urls, openEngine,
  };

  // --- the dialog -----------------------------------------------------------------------------

  const opener = document.querySelector("[data-cb-search-open]");
  if (!dialog || !opener) return;
  const form = dialog.querySelector("[data-cb-search-form]");
  const input = dialog.querySelector("[data-cb-search-input]");
  const status = dialog.querySelector("[data-cb-search-status]");
  const results = dialog.querySelector("[data-cb-search-results]");
  const filterBox = dialog.querySelector("[data-cb-search-filters]");
  const filterGroups = dialog.querySelector("[data-cb-filter-groups]");
  const PAGE_SIZE = 10;
  let shownLimit = PAGE_SIZE;
  let generation = 0;

  // Filters in the order a supporter narrows by; others after them.
  const FILTER_ORDER = ["種別", "壁", "アプローチ", "業種", "相談テーマ", "従業員規模", "都道府県",
    "支援機関"];

  function selectedFilters() {
    const chosen = {};
    for (const box of filterGroups.querySelectorAll("input:checked")) {
      (chosen[box.dataset.filter] ||= []).push(box.value);
    }
    return chosen;
  }

  async function showFilters() {
    if (filterGroups.childElementCount) return;
    const { api } = await pagefind();
    const available = await api.filters();
    const keys = Object.keys(available).sort((a, b) =>
      ((FILTER_ORDER.indexOf(a) + 99) % 99) - ((FILTER_ORDER.indexOf(b) + 99) % 99));
    for (const [index, key] of keys.entries()) {
      const group = document.createElement("fieldset");
      group.className = "cb-search__filter";
      const legend = document.createElement("legend");
      legend.textContent = key;
      group.append(legend);
      for (const [value, count] of Object.entries(available[key]).sort((a, b) => b[1] - a[1])) {
        const label = document.createElement("label");
        const box = document.createElement("input");
        box.type = "checkbox";
        box.value = value;
        box.dataset.filter = key;
        box.id = `cb-filter-${index}-${group.childElementCount}`;
        box.addEventListener("change", () => { shownLimit = PAGE_SIZE; run(); });
        const name = document.createElement("span");
        name.textContent = value;
        const number = document.createElement("span");
        number.className = "cb-search__count";
        number.textContent = `${count}`;
        label.append(box, name, number);
        group.append(label);
      }
      filterGroups.append(group);
    }
  }

  const MODE_NOTES = {
    or: "すべての語を含むページが少ないため、いずれかの語を含むページも表示しています。",
    filters: "絞り込みに当てはまるページです。",
  };

  function resultItem(hit, words) {
    const item = document.createElement("li");
    item.className = `cb-search__result${hit.isCase ? " cb-search__result--case" : ""}`;
    const link = document.createElement("a");
    link.className = "cb-search__result-link";
    link.href = hit.data.url;
    link.textContent = hit.data.meta.title || hit.data.url;
    const excerpt = document.createElement("p");
    excerpt.className = "cb-search__result-excerpt";
    excerpt.innerHTML = readable(hit.data.excerpt || "", words);  // escaped in readable()
    item.append(link, excerpt);
    return item;
  }

  function section(title, hits, words) {
    const wrapper = document.createElement("section");
    wrapper.className = "cb-search__group";
    const heading = document.createElement("h3");
    heading.className = "cb-search__group-title";
    heading.textContent = `${title}（${hits.length}件）`;
    const list = document.createElement("ol");
    list.className = "cb-search__list";
    list.append(...hits.map((hit) => resultItem(hit, words)));
    wrapper.append(heading, list);
    return wrapper;
  }

  // 「30人」「従業員30名」「約30人」: the 従業員規模 band that holds the head count, as a filter.
  // The grammar is headcount.js's (casebook/headcount.py's); in a query a head count needs 人
  // or 名. The bands are the index's own filter values ("21-50", "301+"), so they follow the
  // vocabulary.
  const EMPLOYEES = "従業員規模";
  let bands = null;

  async function headCount(query) {
    const counts = window.casebookHeadCount;
    const folded = query.normalize("NFKC");
    const match = [...folded.matchAll(counts.pattern())].find((m) => m[3]);
    if (!match) return null;
    const [low, high] = counts.range(match);
    if (low > high) return null;
    if (!bands) bands = (await (await pagefind()).api.filters())[EMPLOYEES] || {};
    const band = counts.band(low, high, Object.keys(bands));
    if (band === null) return null;
    const rest = folded.slice(0, match.index) + " " + folded.slice(match.index + match[0].length);
    return { band, rest: rest.split(/\s+/u).filter(Boolean).join(" ") };
  }

  async function run() {
    const current = ++generation;
    const typed = input.value;
    let query = typed;
    const filters = selectedFilters();
    let countNote = "";
    const count = filters[EMPLOYEES] ? null : await headCount(query).catch(() => null);
    if (current !== generation) return;
    if (count) {
      filters[EMPLOYEES] = [count.band];
      query = count.rest;
      countNote = `従業員規模「${count.band}」の事例に絞り込んでいます。`;
    }
    if (!query.trim() && !Object.keys(filters).length) {
      results.replaceChildren();
      status.textContent = "キーワードを入力するか、絞り込みを選んでください。";
      return;
    }
    status.textContent = `「${typed}」を検索しています…`;
    let ranked;
    let hits;
    try {
      ranked = await rank(query, filters);
      hits = await shown(ranked, shownLimit);
    } catch (error) {
      if (current !== generation) return;
      status.textContent = "検索の索引を読み込めませんでした。ページを再読み込みしてください。";
      console.error("casebook search:", error);
      return;
    }
    if (current !== generation) return;  // a newer search has started
    const total = ranked.hits.length;
    const label = typed.trim() ? `「${typed.trim()}」` : "絞り込み";
    if (!total) {
      results.replaceChildren();
      status.textContent = `${label}に一致するページはありませんでした`;
      return;
    }
    const note = countNote || MODE_NOTES[ranked.mode];
    status.textContent = `${label}の検索結果 ${total} 件` + (note ? `。${note}` : "");
    const shownWords = ranked.words;
    const cases = hits.filter((hit) => hit.isCase);
    const others = hits.filter((hit) => !hit.isCase);
    const parts = [];
    if (cases.length) parts.push(section("事例", cases, shownWords));
    if (others.length) parts.push(section("解説・分類", others, shownWords));
    if (total > shownLimit) {
      const more = document.createElement("button");
      more.type = "button";
      more.className = "cb-search__more md-button";
      more.textContent = "さらに表示";
      more.addEventListener("click", () => { shownLimit += PAGE_SIZE * 2; run(); });
      parts.push(more);
    }
    results.replaceChildren(...parts);
  }

  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    shownLimit = PAGE_SIZE;
    timer = setTimeout(run, 150);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });

  function open() {
    if (!dialog.open) dialog.showModal();
    input.focus();
    // On a phone the filters start folded, below the results; on a wide screen, open beside.
    filterBox.open = matchMedia("(min-width: 45em)").matches;
    pagefind().then(showFilters).then(() => {
      if (!input.value.trim()) status.textContent = "キーワードを入力するか、絞り込みを選んでください。";
    }, (error) => {
      status.textContent = "検索の索引を読み込めませんでした。ページを再読み込みしてください。";
      console.error("casebook search:", error);
    });
  }

  opener.addEventListener("click", open);
  // Start fetching while the pointer is on its way to the button.
  opener.addEventListener("pointerenter", () => pagefind().catch(() => {}), { once: true });
  dialog.querySelector("[data-cb-search-close]").addEventListener("click", () => dialog.close());
  // A click on the backdrop lands on the dialog element itself.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });

  const typing = (element) =>
    element instanceof HTMLElement &&
    (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));

  document.addEventListener("keydown", (event) => {
    if (event.isComposing || dialog.open) return;
    const slash = event.key === "/" && !typing(event.target);
    const commandK = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k";
    if (slash || commandK) {
      event.preventDefault();
      open();
    }
  });
})();
