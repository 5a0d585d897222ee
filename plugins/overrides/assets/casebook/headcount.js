/* Casebook: head counts (従業員規模) in the browser, shared by search.js (the search box) and
 * prep.js (/prep/). The grammar of casebook/headcount.py (HEAD_COUNT, head_count_band):
 * a head count is a range, and its band is the one band that holds all of it. Change both
 * together: tests/test_headcount.py holds the table, and tests/browser/test_browser_headcount.py
 * checks both pages against it. Loaded in every page's head (plugins/overrides/main.html). */
(() => {
  "use strict";

  const SOURCE =
    String.raw`(?:(?:従業員|社員|職員|スタッフ)数?\s*)?(?:(?:約|およそ|ほぼ)\s*)?([0-9]+)` +
    String.raw`(?:\s*[-〜~]\s*([0-9]+))?(?:\s*(人|名))?(?:\s*(以上|以下|未満|\+))?` +
    String.raw`(?:規模|程度|ほど|くらい|ぐらい|前後)?`;
  const WHOLE = new RegExp(`^(?:${SOURCE})$`, "u");

  /** The head counts a match stands for, [lowest, highest] (headcount.py: _range); an empty
   * range ([1, 0]) for numbers no business has. */
  function range(match) {
    if (match[1].length > 9 || (match[2] || "").length > 9) return [1, 0];
    let low = Number(match[1]);
    let high = match[2] ? Number(match[2]) : low;
    if (match[4] === "以上" || match[4] === "+") high = Infinity;
    else if (match[4] === "以下") low = 1;
    else if (match[4] === "未満") [low, high] = [1, high - 1];
    return [low, high];
  }

  /** The range of a whole value (a field, a band label): 30, 30名, 約30人, 21-50, 301+. */
  function rangeOf(value) {
    const match = WHOLE.exec(value.normalize("NFKC").trim());
    return match ? range(match) : null;
  }

  window.casebookHeadCount = {
    /** A new global RegExp of the grammar, to find head counts inside a text. */
    pattern: () => new RegExp(SOURCE, "gu"),
    range,
    rangeOf,
    /** Of `labels` (band labels read by the same grammar), the one holding the whole
     * range [low, high]; null if none does (an empty range, or one straddling two bands). */
    band(low, high, labels) {
      if (low > high) return null;
      for (const label of labels) {
        const found = rangeOf(label);
        if (found && found[0] <= low && high <= found[1]) return label;
      }
      return null;
    },
  };
})();
