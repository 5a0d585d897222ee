/* Casebook practice: the drills of /practice/, the record of /practice/progress/ and the answer
 * boxes under a case's 考えてみよう questions.
 *
 * Questions come from the drill's JSON file (written by the build from published cases,
 * casebook/practice.py). What the learner answers and writes is kept in this browser's
 * localStorage only: nothing is sent anywhere and nothing is fetched from another host.
 * Every text from the data is put into the page as text (textContent), never as HTML. */
(() => {
  "use strict";

  // Keyed by the site's folder (this script is its assets/casebook/practice.js), so that two
  // sites on one host keep their records apart.
  const SITE = new URL("../../", document.currentScript.src).pathname;
  const RECORD_KEY = `casebook.practice.v1:${SITE}`;
  const ANSWER_KEY = `casebook.answer:${SITE}:`;

  // --- the record kept in this browser ----------------------------------------------------

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // storage switched off: practise without a record
    }
  }

  function emptyRecord() {
    return { version: 1, last: "", questions: {} };
  }

  /** A record as read from storage or a file; anything unreadable becomes null. */
  function cleanRecord(data) {
    if (!data || typeof data !== "object" || typeof data.questions !== "object" ||
        data.questions === null || Array.isArray(data.questions)) return null;
    const record = emptyRecord();
    record.last = typeof data.last === "string" ? data.last : "";
    for (const [id, entry] of Object.entries(data.questions)) {
      if (!entry || typeof entry !== "object") continue;
      const answered = Number(entry.answered) || 0;
      const correct = Math.min(Number(entry.correct) || 0, answered);
      if (answered <= 0 || typeof entry.drill !== "string") continue;
      record.questions[id] = {
        drill: entry.drill,
        terms: Array.isArray(entry.terms) ? entry.terms.filter((t) => typeof t === "string") : [],
        answered,
        correct,
        lastCorrect: Boolean(entry.lastCorrect),
        at: typeof entry.at === "string" ? entry.at : "",
      };
    }
    return record;
  }

  function loadRecord() {
    const store = storage();
    if (!store) return emptyRecord();
    try {
      return cleanRecord(JSON.parse(store.getItem(RECORD_KEY) || "null")) || emptyRecord();
    } catch (error) {
      return emptyRecord();
    }
  }

  function saveRecord(record) {
    const store = storage();
    if (store) store.setItem(RECORD_KEY, JSON.stringify(record));
  }

  function today() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  function showDate(iso) {
    const parts = iso.split("-").map(Number);
    return parts.length === 3 ? `${parts[0]}年${parts[1]}月${parts[2]}日` : iso;
  }

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    for (const child of children) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function shuffle(items) {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = Math.floor(Math.random() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  // --- a drill ----------------------------------------------------------------------------

  function drill(root) {
    const name = root.dataset.cbPractice;
    const siteRoot = new URL(root.dataset.cbRoot, document.baseURI);
    const form = root.querySelector("[data-cb-question]");
    const status = root.querySelector("[data-cb-status]");
    const filter = root.querySelector("[data-cb-filter]");
    const missed = root.querySelector("[data-cb-missed]");
    const context = root.querySelector("[data-cb-context]");
    const text = root.querySelector("[data-cb-text]");
    const caseLink = root.querySelector("[data-cb-case]");
    const feedback = root.querySelector("[data-cb-feedback]");
    const next = root.querySelector("[data-cb-next]");
    const inputs = [...root.querySelectorAll("input[name=answer]")];
    const labels = Object.fromEntries(inputs.map((input) =>
      [input.value, input.parentElement.textContent.trim()]));
    // The drill comes in parts (casebook/practice.py): one, chosen at random, is fetched
    // first and asked at once; the others follow and join the questions still to come.
    const parts = shuffle(root.dataset.cbData.split(" ").filter(Boolean));
    let loaded = 0;
    let questions = [];
    let pool = [];
    let at = 0;
    let checked = false;

    function wanted(question, record) {
      const term = filter.value;
      return (!term || question.answers.includes(term)) && (!missed.checked ||
        (record.questions[question.id] && !record.questions[question.id].lastCorrect));
    }

    function choose() {
      const record = loadRecord();
      pool = shuffle(questions.filter((q) => wanted(q, record)));
      at = 0;
      show();
    }

    function arrived(data) {
      const cases = data.cases || {};
      const added = (Array.isArray(data.questions) ? data.questions : [])
        .filter((q) => cases[q.case])
        .map((q) => Object.assign({}, q, { case: cases[q.case] }));
      questions = questions.concat(added);
      loaded += 1;
      const record = loadRecord();
      const more = added.filter((q) => wanted(q, record));
      if (!pool.length) {
        pool = shuffle(more);
        at = 0;
        show();
      } else {
        // Behind the question on screen, in a new shuffled order with the ones to come.
        pool = pool.slice(0, at + 1).concat(shuffle(pool.slice(at + 1).concat(more)));
        showStatus();
      }
    }

    function fetchPart(url) {
      // Asked of the server each time ("no-cache" revalidates, a 304 if unchanged): a part
      // kept from before the site was rebuilt would not match this page's questions.
      return fetch(url, { cache: "no-cache" }).then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      });
    }

    function describe() {
      const parts = [];
      if (filter.value) parts.push(`「${labels[filter.value]}」で絞り込み`);
      if (missed.checked) parts.push("間違えた問題だけ");
      return parts.length ? `（${parts.join("・")}）` : "";
    }

    function showStatus() {
      const loading = loaded < parts.length ? "（問題を読み込んでいます）" : "";
      if (!pool.length) {
        status.textContent = loading || (missed.checked
          ? `間違えた問題はありません${describe()}。`
          : `該当する問題がありません${describe()}。`);
      } else {
        status.textContent = `問題 ${at + 1} / ${pool.length}${describe()}${loading}`;
      }
    }

    function show() {
      checked = false;
      feedback.hidden = true;
      feedback.replaceChildren();
      showStatus();
      if (!pool.length) {
        form.hidden = true;
        return;
      }
      const question = pool[at];
      form.hidden = false;
      context.replaceChildren(...question.context.map((line) => line.speaker
        ? el("p", { class: "cb-practice__turn" }, el("strong", {}, line.speaker), "：", line.text)
        : el("p", { class: "cb-practice__before" }, line.text)));
      const body = [];
      if (question.speaker) body.push(el("strong", {}, question.speaker), "：");
      if (question.mark) {
        const [start, end] = question.mark;
        body.push(question.text.slice(0, start),
          el("mark", { class: "cb-practice__mark" }, question.text.slice(start, end)),
          question.text.slice(end));
      } else {
        body.push(el("mark", { class: "cb-practice__mark" }, question.text));
      }
      text.replaceChildren(el("p", {}, ...body));
      caseLink.href = new URL(question.case.url, siteRoot).href;
      caseLink.replaceChildren(el("strong", {}, question.case.alias), " ", question.case.title);
      for (const input of inputs) input.checked = false;
    }

    function check(event) {
      event.preventDefault();
      if (!pool.length || checked) return;
      const question = pool[at];
      const chosen = inputs.filter((input) => input.checked).map((input) => input.value);
      if (!chosen.length) {
        feedback.hidden = false;
        feedback.replaceChildren(el("p", {}, "選択肢を選んでから答え合わせしてください。"));
        feedback.focus();
        return;
      }
      checked = true;
      const right = chosen.length === question.answers.length &&
        chosen.every((slug) => question.answers.includes(slug));
      const record = loadRecord();
      const entry = record.questions[question.id] ||
        { drill: name, terms: question.answers, answered: 0, correct: 0 };
      entry.drill = name;
      entry.terms = question.answers;
      entry.answered += 1;
      entry.correct += right ? 1 : 0;
      entry.lastCorrect = right;
      entry.at = today();
      record.questions[question.id] = entry;
      record.last = entry.at;
      saveRecord(record);

      const guides = question.answers.map((slug) => {
        const input = inputs.find((i) => i.value === slug);
        return input ? el("a", { href: input.dataset.cbGuide }, input.dataset.cbGuideTitle) : null;
      }).filter(Boolean);
      const explained = [];
      guides.forEach((link, i) => { if (i) explained.push("・"); explained.push(link); });
      feedback.hidden = false;
      feedback.replaceChildren(
        el("p", { class: right ? "cb-practice__right" : "cb-practice__wrong" },
          el("strong", {}, right ? "正解" : "不正解")),
        el("p", {}, "正しい答え: ", question.answers.map((slug) => labels[slug] || slug).join("・")),
        el("p", {}, "解説: ", ...explained),
        el("p", {}, "事例を読む: ",
          el("a", { href: caseLink.href }, el("strong", {}, question.case.alias), " ",
            question.case.title)));
      feedback.focus();
    }

    function advance() {
      if (!pool.length) return;
      at += 1;
      if (at >= pool.length) {
        choose();
        status.textContent += "　一巡しました。順番を変えてもう一度出題します。";
      } else {
        show();
      }
      const first = inputs[0];
      if (first && !form.hidden) first.focus();
    }

    form.addEventListener("submit", check);
    next.addEventListener("click", advance);
    filter.addEventListener("change", choose);
    missed.addEventListener("change", choose);
    status.textContent = "問題を読み込んでいます…";
    parts.reduce((previous, url) => previous.then(() => fetchPart(url)).then(arrived),
      Promise.resolve())
      .catch(() => {
        status.textContent = questions.length
          ? `${status.textContent}　一部の問題を読み込めませんでした。`
          : "問題を読み込めませんでした。ページを開き直してください。";
      });
  }

  // --- the progress page ------------------------------------------------------------------

  function tally(record) {
    const counts = {};
    const add = (key, entry) => {
      const count = counts[key] || (counts[key] = { answered: 0, correct: 0 });
      count.answered += entry.answered;
      count.correct += entry.correct;
    };
    // Questions no longer in the site (an older build) still count: they were answered.
    for (const entry of Object.values(record.questions)) {
      add(`drill:${entry.drill}`, entry);
      counts[`drill:${entry.drill}`].questions = (counts[`drill:${entry.drill}`].questions || 0) + 1;
      for (const term of entry.terms) add(`term:${entry.drill}:${term}`, entry);
    }
    return counts;
  }

  function progress(root) {
    const message = root.querySelector("[data-cb-progress-message]");

    function render() {
      const record = loadRecord();
      const counts = tally(record);
      const last = root.querySelector("[data-cb-progress-last]");
      last.textContent = record.last
        ? `最後に練習した日: ${showDate(record.last)}`
        : "まだ練習していません。";
      for (const row of root.querySelectorAll("[data-cb-drill], [data-cb-term]")) {
        const key = row.dataset.cbDrill ? `drill:${row.dataset.cbDrill}` : `term:${row.dataset.cbTerm}`;
        const count = counts[key] || { answered: 0, correct: 0 };
        const rate = count.answered ? Math.round((100 * count.correct) / count.answered) : 0;
        row.querySelector(".cb-progress__bar > span").style.width = `${rate}%`;
        row.querySelector(".cb-progress__count").textContent = count.answered
          ? `${count.answered} 回中 ${count.correct} 回正解（${rate}%）`
          : "まだ答えていません";
        row.classList.toggle("cb-progress__row--empty", !count.answered);
        const reach = row.querySelector(".cb-progress__reach");
        if (reach) {
          reach.textContent = `${row.dataset.cbTotal} 問のうち ${count.questions || 0} 問に答えました`;
        }
      }
      const weak = [];
      for (const row of root.querySelectorAll("[data-cb-term^='wall:']")) {
        const count = counts[`term:${row.dataset.cbTerm}`];
        if (count && count.answered >= 2 && count.correct / count.answered < 0.7) {
          weak.push([count.correct / count.answered, row.querySelector("a").textContent,
            Math.round((100 * count.correct) / count.answered)]);
        }
      }
      weak.sort((a, b) => a[0] - b[0]);
      const weakText = root.querySelector("[data-cb-progress-weak]");
      const wallsAnswered = Object.keys(counts).some((k) => k.startsWith("term:wall:"));
      weakText.textContent = weak.length
        ? `苦手な壁: ${weak.map((w) => `${w[1]}（正答率 ${w[2]}%）`).join("、")}`
        : wallsAnswered
          ? "正答率が 7 割を下回る壁はありません（2 回以上答えた壁で判断します）。"
          : "壁ごとに 2 回以上答えると、正答率の低い壁をここに示します。";
    }

    root.querySelector("[data-cb-export]").addEventListener("click", () => {
      const blob = new Blob([JSON.stringify(loadRecord(), null, 1)], { type: "application/json" });
      const link = el("a", { href: URL.createObjectURL(blob),
        download: `casebook-practice-${today()}.json` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
      message.textContent = "記録を書き出しました。";
    });
    root.querySelector("[data-cb-import]").addEventListener("change", (event) => {
      const file = event.target.files[0];
      if (!file) return;
      file.text().then((text) => {
        let record = null;
        try {
          record = cleanRecord(JSON.parse(text));
        } catch (error) {
          record = null;
        }
        if (!record) {
          message.textContent = `「${file.name}」は学習の記録として読めませんでした。`;
          return;
        }
        saveRecord(record);
        render();
        message.textContent = `「${file.name}」から記録を読み込みました（${Object.keys(record.questions).length} 問分）。`;
      });
      event.target.value = "";
    });
    root.querySelector("[data-cb-clear]").addEventListener("click", () => {
      if (!window.confirm("このブラウザの学習の記録をすべて消します。よろしいですか？")) return;
      const store = storage();
      if (store) store.removeItem(RECORD_KEY);
      render();
      message.textContent = "記録を消しました。";
    });
    render();
  }

  // --- answer boxes under 考えてみよう --------------------------------------------------

  function answerBox(box) {
    const key = ANSWER_KEY + box.dataset.cbAnswer;
    const store = storage();
    if (!store) return;
    box.value = store.getItem(key) || "";
    box.addEventListener("input", () => {
      if (box.value) store.setItem(key, box.value);
      else store.removeItem(key);
    });
  }

  function start() {
    document.querySelectorAll("[data-cb-practice]").forEach(drill);
    document.querySelectorAll("[data-cb-progress]").forEach(progress);
    document.querySelectorAll("textarea[data-cb-answer]").forEach(answerBox);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
