/* Casebook: the 「壁を伏せて読む」 switch of case pages. A learner reads a case with its walls
   hidden (badges, the header card's walls, the related cases' reasons) and finds them alone;
   the choice is kept in this browser and prints too (a handout without answers). */
(() => {
  "use strict";
  const KEY = "casebook.hideWalls";
  const root = document.documentElement;
  const remembered = () => {
    try { return localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  };
  const remember = (on) => {
    try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
  };
  const show = (on, buttons) => {
    root.classList.toggle("cb-walls-hidden", on);
    for (const button of buttons) button.setAttribute("aria-pressed", on ? "true" : "false");
  };
  const buttons = [...document.querySelectorAll(".cb-hide-walls")];
  if (!buttons.length) return;
  show(remembered(), buttons);
  for (const button of buttons) {
    button.hidden = false;
    button.addEventListener("click", () => {
      const on = !root.classList.contains("cb-walls-hidden");
      show(on, buttons);
      remember(on);
    });
  }
})();
