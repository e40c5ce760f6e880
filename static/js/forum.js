// What every screen of a forum shares: the forum's title, topic and confidentiality label
// (id and meaning, always visible), the hall's id, session words and clock times.

import { fill, h, setText } from "./dom.js";
import { en, formatTime, has, t } from "./i18n.js";

export const LABELS = ["chatham-house", "tlp-clear", "tlp-green", "tlp-amber", "tlp-amber-strict", "tlp-red"];
export const KINDS = ["plenary", "hackathon", "networking", "evaluation", "break"];

/**
 * The id of a forum's hall, from an API answer (/api/me, the join answer). Rooms declared by
 * a hall are named "<hall>-<seq>-<n>", so a forum with rooms names its hall even where the
 * answer does not carry `hall` itself.
 */
export function hallIdOf(answer) {
  if (answer?.hall?.id) return answer.hall.id;
  if (answer?.forum?.hall) return answer.forum.hall;
  const room = (answer?.rooms || []).find((r) => /-\d+-\d+$/.test(r.id));
  return room ? room.id.replace(/-\d+-\d+$/, "") : null;
}

/** The label's name and one-line meaning, in this page's language. */
export function labelText(label) {
  const id = label?.id || "";
  return {
    name: has(`label.${id}`) ? t(`label.${id}`) : id,
    meaning: has(`label.${id}.meaning`) ? t(`label.${id}.meaning`) : label?.meaning || "",
  };
}

/** The label badge: the name (a symbol and words, never colour alone) and its meaning. */
export function labelBadge(hallConn, { compact = false } = {}) {
  const name = h("strong", { class: "label-name", "data-testid": "label-name" });
  const meaning = h("span", { class: "label-meaning", "data-testid": "label-meaning" });
  const box = h("p", { class: compact ? "label label-compact" : "label", "data-testid": "label" },
    h("span", { class: "label-icon", "aria-hidden": "true" }, "⚑"), " ",
    h("span", { class: "visually-hidden" }, `${t("forum.label")}: `), name, " ", meaning);
  const draw = () => {
    const s = hallConn.state;
    if (!s) return;
    const text = labelText(s.hall.label);
    box.dataset.label = s.hall.label.id;
    setText(name, text.name);
    setText(meaning, text.meaning);
  };
  hallConn.addEventListener("state", draw);
  draw();
  return box;
}

/** The forum's title, topic and label: the header of every participant and projector screen. */
export function forumBanner(hallConn, { heading = "p", large = false } = {}) {
  const title = h(heading, { class: large ? "forum-title forum-title-large" : "forum-title", "data-testid": "forum-title" });
  const topic = h("p", { class: "forum-topic", "data-testid": "topic" });
  const box = h("div", { class: "forum-banner", "data-testid": "forum-banner" }, title, topic, labelBadge(hallConn));
  const draw = () => {
    const s = hallConn.state;
    if (!s) return;
    setText(title, s.hall.title);
    setText(topic, s.hall.topic ? t("forum.topic", { topic: s.hall.topic }) : "");
    topic.hidden = !s.hall.topic;
  };
  hallConn.addEventListener("state", draw);
  draw();
  return box;
}

/**
 * A phase's name in the reader's language: the catalogue's for a built-in phase under its
 * built-in (English) label, else the label the room gave it.
 */
export function phaseName(phase) {
  if (!phase) return "";
  const key = `phase.${phase.id}`;
  return key in en && (!phase.label || phase.label === en[key]) ? t(key) : phase.label || phase.id;
}

/** The word for a session kind. */
export function kindText(kind) {
  return t(`kind.${kind}`);
}

/** A clock time (hours and minutes) of server ms, in this browser's time zone and the reader's language. */
export function clockTime(ms) {
  if (ms === null || ms === undefined) return "";
  return formatTime(ms);
}

/** Whole minutes of a duration, rounded to the nearest. */
export function minutesOf(ms) {
  return Math.round(ms / 60000);
}

/** A "coming next" line: the next session's title and planned time, or the end. */
export function nextLine(el, next) {
  if (!next) return fill(el, t("forum.nextNone"));
  const at = next.planned_start ? ` (${clockTime(next.planned_start)})` : "";
  return fill(el, t("forum.next", { title: next.title, kind: kindText(next.kind) }), at);
}
