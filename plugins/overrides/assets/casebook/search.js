/* Casebook header search: Pagefind's own UI in a dialog, loaded from this site on first use.
 *
 * The index holds each run of kanji and kana as character bigrams spelt in letters and
 * digits (search/pagefind.py says why). A query is spelt the same way before Pagefind sees it,
 * and excerpts are spelt back into characters before they are shown. */
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

  /** A query as index words: 資金繰り → 資金 金繰 繰り; a lone 社 → every bigram starting 社. */
  function spellQuery(term) {
    return term.normalize("NFKC").replace(RUN, (run) => {
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

  /** Index words back to characters, with the words of `term` marked.
   *
   * `html` is Pagefind's excerpt: text it has escaped, with <mark> around hits. A decoded
   * index word can be any character, `<` and `"` included (a page may even spell one on
   * purpose), so each is escaped again before the result goes into the page. */
  function readable(html, term) {
    let text = html
      .replace(/<\/?mark>/g, "")
      .replace(WORD, (_, code) => escapeHTML(String.fromCodePoint(parseInt(code, 36))))
      // Spaces next to kanji and kana are the spelling's; the page's own are GAP words.
      .replace(AROUND_CJK, "")
      .replace(new RegExp(`\\s*${GAP}[\\s${GAP}]*`, "gu"), " ")
      .trim();
    const words = (term || "").normalize("NFKC").split(/\s+/).filter(Boolean)
      .map((word) => escapeRegExp(escapeHTML(word)))
      .sort((a, b) => b.length - a.length);
    if (words.length) {
      text = text.replace(new RegExp(words.join("|"), "giu"), (found) => `<mark>${found}</mark>`);
    }
    return text;
  }

  window.casebookSearch = { spellText, spellQuery, readable };

  const dialog = document.querySelector("[data-cb-search]");
  const opener = document.querySelector("[data-cb-search-open]");
  if (!dialog || !opener) return;

  // data-cb-root is MkDocs' relative way back to the site root ("." or "../.."), so the bundle
  // and the result links resolve from any page depth and under any deployment path.
  const root = new URL(dialog.dataset.cbRoot.replace(/\/*$/, "/"), location.href);
  const bundle = new URL("pagefind/", root);
  const status = dialog.querySelector("[data-cb-search-status]");
  let loading = null;
  let lastTerm = "";

  const translations = {
    placeholder: "キーワードを入力（例: 資金繰り、後継者）",
    search_label: "事例と解説を検索",
    filters_label: "絞り込み",
    zero_results: "「[SEARCH_TERM]」に一致するページはありませんでした",
    many_results: "「[SEARCH_TERM]」の検索結果 [COUNT] 件",
    one_result: "「[SEARCH_TERM]」の検索結果 [COUNT] 件",
    searching: "「[SEARCH_TERM]」を検索しています…",
  };

  const input = () => dialog.querySelector(".pagefind-ui__search-input");

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`${src} could not be loaded`));
      document.head.append(script);
    });
  }

  function loadUI() {
    if (loading) return loading;
    const css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = new URL("pagefind-ui.css", bundle).href;
    document.head.append(css);
    loading = loadScript(new URL("pagefind-ui.js", bundle).href).then(() => {
      // eslint-disable-next-line no-undef
      const ui = new PagefindUI({
        element: "[data-cb-search-ui]",
        bundlePath: bundle.pathname,
        baseUrl: root.pathname,
        showImages: false,
        showSubResults: true,
        // Pagefind's own reset keeps Material's typography (admonition-styled <details>) out.
        resetStyles: true,
        // Beside the results on a wide screen; on a phone the filters would push them off it.
        openFilters: matchMedia("(min-width: 45em)").matches ? ["壁"] : [],
        showEmptyFilters: false,
        // Index words are characters, so this is about two lines of Japanese.
        excerptLength: 60,
        debounceTimeoutMs: 150,
        translations,
        processTerm: (term) => {
          lastTerm = term;
          return spellQuery(term);
        },
        processResult: (result) => {
          const title = result.meta.title || "";
          const same = (a, b) => a.replace(/\s+/g, "") === b.replace(/\s+/g, "");
          result.excerpt = readable(result.excerpt, lastTerm);
          const subs = (result.sub_results || []).map((sub) =>
            ({ ...sub, title: readable(sub.title, ""), excerpt: readable(sub.excerpt, lastTerm) }));
          // The page's h1 comes back as a section repeating the title; given the page's own URL,
          // Pagefind's UI shows it as the page's excerpt instead.
          const top = subs.find((sub) => same(sub.title, title));
          const rest = subs.filter((sub) => sub !== top);
          result.sub_results = top ? [{ ...top, url: result.url }, ...rest] : rest;
          return result;
        },
      });
      // Pagefind's box has only a title; a screen reader needs a real name.
      input()?.setAttribute("aria-label", translations.search_label);
      status.textContent = "";
      return ui;
    });
    loading.catch((error) => {
      status.textContent = "検索の索引を読み込めませんでした。ページを再読み込みしてください。";
      console.error("casebook search:", error);
      loading = null;
    });
    return loading;
  }

  function open() {
    if (!dialog.open) dialog.showModal();
    loadUI().then(() => input()?.focus(), () => {});
  }

  opener.addEventListener("click", open);
  // Start fetching while the pointer is on its way to the button.
  opener.addEventListener("pointerenter", () => loadUI().catch(() => {}), { once: true });
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
