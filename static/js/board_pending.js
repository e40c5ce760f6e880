// Marks on a card for this person's changes still waiting to be sent or confirmed (the view's
// idea carries them: pending.js). Shown at once, offline too, with words, not colour alone.

import { h, setText } from "./dom.js";
import { t } from "./i18n.js";

/** Mark the card `li` of `idea`: a waiting edit or deletion, reactions and comments. */
export function markPending(li, idea) {
  const p = idea.pending || { text: false, deleted: false, reactions: [] };
  const note = p.deleted ? t("pending.deleted") : p.text ? t("pending.edited") : "";
  li.classList.toggle("idea-pending", Boolean(note));
  let mark = li.querySelector(".pending-mark");
  if (note && !mark) {
    mark = h("p", { class: "pending-mark", "data-testid": "pending-mark" });
    li.querySelector(".idea-meta")?.after(mark);
  }
  if (mark) {
    mark.hidden = !note;
    setText(mark, note ? `⏳ ${note}` : "");
  }
  for (const chip of li.querySelectorAll(".reactions > [data-key]")) {
    const waiting = p.reactions.includes(chip.dataset.key.split(":")[0]);
    chip.classList.toggle("chip-pending", waiting);
    if (waiting) chip.dataset.pending = t("pending.short");
    else delete chip.dataset.pending;
  }
  const comments = new Map(idea.comments.map((c) => [c.id, c]));
  for (const row of li.querySelectorAll(".comment-list > li[data-key]")) markComment(row, comments.get(row.dataset.key));
}

function markComment(row, comment) {
  const waiting = Boolean(comment?.pending);
  row.classList.toggle("comment-pending", waiting);
  if (waiting && row._del) row._del.hidden = true;  // nothing to delete on the server yet
  let badge = row.querySelector(".comment-waiting");
  if (waiting && !badge) {
    badge = h("span", { class: "badge comment-waiting" });
    row.append(" ", badge);
  }
  if (badge) {
    badge.hidden = !waiting;
    setText(badge, comment?.deleting ? t("pending.deleting") : t("pending.short"));
  }
}
