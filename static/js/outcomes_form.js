// One recommendation, co-edited live: each field is sent on its own (recommendation.edit with
// that field only), a moment after the person stops typing or when they leave the field. A
// field someone is typing in is never overwritten by others' edits; the others update at once.

import { fill, h, setText, syncList } from "./dom.js";
import { t } from "./i18n.js";

const FIELDS = [
  { name: "title", kind: "input", max: 200 },
  { name: "rationale", kind: "textarea", max: 4000 },
  { name: "action", kind: "textarea", max: 4000 },
  { name: "owner", kind: "input", max: 200 },
  { name: "due", kind: "date" },
];
const QUIET_MS = 700;  // how long after the last key press a field's edit is sent

/** Who a member or staff id is, for "last edited by". */
export function whoIs(state, id) {
  if (!id) return "";
  if (id === "followup") return t("out.byFollowup");
  const m = state.members.get(id);
  return m ? m.name : t("out.byStaff");
}

/** Vote total of ideas when this audience sees totals, else null. */
export function votesOf(state, ideaIds) {
  const tallies = state.voting.tallies;
  return tallies ? ideaIds.reduce((n, i) => n + (tallies[i] || 0), 0) : null;
}

/** The visible ideas a recommendation rests on, directly or through its clusters, once each. */
export function sourceIdeas(state, rec) {
  const ids = new Set(rec.ideas.filter((i) => state.ideas.has(i)));
  for (const idea of state.ideas.values()) {
    if (idea.cluster && rec.clusters.includes(idea.cluster) && !idea.hidden) ids.add(idea.id);
  }
  return [...ids];
}

export function recommendationCard(panel, rec) {
  const { conn } = panel;
  const id = rec.id;
  const inputs = {};
  const rows = FIELDS.map((f) => {
    const inputId = `rec-${id}-${f.name}`;
    const input = f.kind === "textarea"
      ? h("textarea", { id: inputId, rows: 2, maxlength: f.max })
      : h("input", { id: inputId, type: f.kind === "date" ? "date" : "text", maxlength: f.max });
    input.dataset.field = f.name;
    inputs[f.name] = input;
    let timer = null;
    const flush = () => {
      clearTimeout(timer);
      timer = null;
      if (!input.dataset.dirty) return;
      delete input.dataset.dirty;
      const value = f.name === "due" ? (input.value || null) : input.value.trim();
      const current = conn.state.outcomes.recommendations.get(id);
      if (!current || value === (current[f.name] ?? (f.name === "due" ? null : ""))) return;
      if (f.name === "title" && !value) return;  // a recommendation keeps a title
      conn.send("recommendation.edit", { id, [f.name]: value }, `rec-${id}`);
    };
    input.addEventListener("input", () => {
      input.dataset.dirty = "1";
      clearTimeout(timer);
      timer = setTimeout(flush, QUIET_MS);
    });
    input.addEventListener("change", flush);
    input.addEventListener("blur", flush);
    return h("div", { class: "field" }, h("label", { for: inputId }, t(`out.f.${f.name}`)), input);
  });
  const edited = h("p", { class: "hint", "data-testid": "rec-edited" });
  const votes = h("p", { class: "hint", "data-testid": "rec-votes" });
  const sources = h("ul", { class: "comment-list rec-sources" });
  const addSource = h("select", { "aria-label": t("out.linkIdea") });
  addSource.addEventListener("change", () => {
    if (addSource.value) conn.send("recommendation.link", { id, ideas: [addSource.value] }, `rec-${id}`);
    addSource.value = "";
  });
  const remove = h("button", { type: "button", class: "btn btn-small btn-danger",
    onclick: () => {
      if (confirm(t("out.deleteConfirm"))) conn.send("recommendation.delete", { id }, `rec-${id}`);
    } }, t("out.delete"));
  const el = h("article", { class: "card rec-card", "data-testid": "recommendation", dataset: { key: id } },
    ...rows, votes, h("h4", {}, t("out.sources")), sources, addSource, edited,
    h("div", { class: "row" }, remove), panel.errors.slot(`rec-${id}`));
  el._update = (r) => {
    const s = conn.state;
    for (const f of FIELDS) {
      const input = inputs[f.name];
      const value = r[f.name] ?? "";
      // Never clobber what this person is typing: only idle fields take others' edits.
      if (document.activeElement !== input && !input.dataset.dirty && input.value !== value) input.value = value;
      input.disabled = !panel.canWrite();
    }
    const ideas = sourceIdeas(s, r);
    const total = votesOf(s, ideas);
    setText(votes, total === null ? t("out.votesHidden") : t("out.votes", { count: total }));
    const clusterItems = r.clusters.filter((c) => s.clusters.has(c)).map((c) => ({ key: `k:${c}`, cluster: s.clusters.get(c) }));
    const ideaItems = r.ideas.filter((i) => s.ideas.has(i)).map((i) => ({ key: `i:${i}`, idea: s.ideas.get(i) }));
    syncList(sources, [...clusterItems, ...ideaItems], (x) => x.key, (x) => sourceRow(panel, id, x), (li, x) => {
      const text = x.cluster ? `${t("out.cluster")}: ${x.cluster.title}` : x.idea.text;
      const n = x.idea ? votesOf(s, [x.idea.id]) : null;
      setText(li._text, n === null ? text : `${text} (${t("out.votes", { count: n })})`);
      li._unlink.hidden = !panel.canWrite();
    });
    const options = [...s.ideas.values()].filter((i) => !r.ideas.includes(i.id) && !i.hidden);
    fill(addSource, h("option", { value: "" }, t("out.linkIdea")),
      options.map((i) => h("option", { value: i.id }, i.text.slice(0, 80))));
    addSource.hidden = !panel.canWrite() || !options.length;
    remove.hidden = !(panel.staff || (panel.canWrite() && r.created_by === conn.me?.id));
    setText(edited, r.edited_by ? t("out.editedBy", { name: whoIs(s, r.edited_by) }) : t("out.madeBy", { name: whoIs(s, r.created_by) }));
  };
  return el;
}

function sourceRow(panel, recId, x) {
  const text = h("span", {});
  const unlink = h("button", { type: "button", class: "btn btn-small",
    "aria-label": t("out.unlink"),
    onclick: () => panel.conn.send("recommendation.unlink", x.cluster
      ? { id: recId, clusters: [x.cluster.id] } : { id: recId, ideas: [x.idea.id] }, `rec-${recId}`) }, "×");
  const li = h("li", { dataset: { key: x.key } }, text, " ", unlink);
  li._text = text;
  li._unlink = unlink;
  return li;
}
