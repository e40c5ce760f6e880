// The board as one tab stop (a roving focus): Tab reaches the current card, the arrow keys
// (or j / k, Home, End) move from card to card, Enter goes into a card's actions, Escape comes
// back out to the card. With many ideas the page stays a few Tab presses long. Shared by the
// participant view, the facilitator console and (read-only) the projector.

import { h } from "./dom.js";
import { t } from "./i18n.js";

const NEXT = new Set(["ArrowDown", "ArrowRight", "j"]);
const PREVIOUS = new Set(["ArrowUp", "ArrowLeft", "k"]);
const CONTROLS = "button, input, select, textarea, summary, a[href]";
let boards = 0;

/** Give `el` (the board) roving focus; call the returned sync() after every render. */
export function boardKeys(el) {
  boards += 1;
  const hint = h("p", { class: "visually-hidden", id: `board-keys-${boards}` }, t("board.keys"));
  el.append(hint);
  const state = { current: null, entered: null };
  const cards = () => [...el.querySelectorAll("li.idea > article")];

  const sync = () => {
    const all = cards();
    if (!all.includes(state.current)) state.current = all[0] || null;
    if (state.entered && !all.includes(state.entered)) state.entered = null;
    if (!hint.isConnected || hint.parentNode !== el) el.append(hint);
    for (const card of all) {
      card.tabIndex = card === state.current && card !== state.entered ? 0 : -1;
      card.setAttribute("aria-describedby", hint.id);
      for (const control of card.querySelectorAll(CONTROLS)) {
        if (card === state.entered) {
          if (control.dataset.roving) {
            control.removeAttribute("tabindex");
            delete control.dataset.roving;
          }
        } else if (!control.dataset.roving) {
          control.tabIndex = -1;
          control.dataset.roving = "1";
        }
      }
    }
  };

  const go = (card) => {
    if (!card) return;
    state.current = card;
    state.entered = null;
    sync();
    card.focus();
  };

  el.addEventListener("keydown", (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const all = cards();
    const card = e.target.closest?.("li.idea > article");
    if (!card) return;
    if (e.target === card) {
      const at = all.indexOf(card);
      if (NEXT.has(e.key)) go(all[Math.min(all.length - 1, at + 1)]);
      else if (PREVIOUS.has(e.key)) go(all[Math.max(0, at - 1)]);
      else if (e.key === "Home") go(all[0]);
      else if (e.key === "End") go(all[all.length - 1]);
      else if (e.key === "Enter") {
        state.entered = card;
        sync();
        [...card.querySelectorAll(CONTROLS)].find((c) => c.offsetParent !== null)?.focus();
      } else return;
      e.preventDefault();
    } else if (e.key === "Escape" && !e.target.closest(".edit-form")) {
      e.preventDefault();
      go(card);
    }
  });

  // A click (or a screen reader's own navigation) into a card's control enters that card.
  el.addEventListener("focusin", (e) => {
    const card = e.target.closest?.("li.idea > article");
    if (!card) return;
    state.current = card;
    state.entered = e.target === card ? null : card;
    sync();
  });
  el.addEventListener("focusout", (e) => {
    if (state.entered && !el.contains(e.relatedTarget)) {
      state.entered = null;
      sync();
    }
  });
  return sync;
}
