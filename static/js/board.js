// The idea board, shared by the three views. Cards are kept per idea id and updated in place,
// so a half-typed comment, an open comment list or keyboard focus survive live updates.
//
// mode: "participant" (own ideas editable, reactions, votes, comments as the phase allows),
// "facilitator" (moderation: hide, move, edit or delete anything) or "projector" (read-only).

import { t } from "./i18n.js";
import { announce, fill, h, setText, syncList } from "./dom.js";
import { allows, orderedIdeas } from "./state.js";
import { authorName, voterNames } from "./ui.js";
import { markPending } from "./board_pending.js";
import { boardKeys } from "./board_keys.js";

const NEW_CLUSTER = "_new";

/** A new cluster is named after its first card (the facilitator renames it). */
function titleOf(idea) {
  return idea.text.length > 60 ? `${idea.text.slice(0, 59)}…` : idea.text;
}

// Errors that speak of the limits in force when they were made: stale once the limits change.
const LIMIT_ERRORS = new Set(["budget_exceeded", "cap_exceeded"]);

export const REACTIONS = [
  { id: "+1", icon: "✓" },
  { id: "heart", icon: "♥" },
  { id: "idea", icon: "✱" },
  { id: "question", icon: "?" },
  { id: "concern", icon: "!" },
];

/** The votes this person has on each idea, counting commands still in the outbox. */
export function myVotes(conn) {
  const s = conn.state;
  const per = new Map();
  for (const idea of s.voting.mine) per.set(idea, (per.get(idea) || 0) + 1);
  for (const e of conn.pending()) {
    if (e.answered) continue;
    if (e.name === "vote.cast") per.set(e.args.idea, (per.get(e.args.idea) || 0) + 1);
    if (e.name === "vote.retract") per.set(e.args.idea, Math.max(0, (per.get(e.args.idea) || 0) - 1));
  }
  let used = 0;
  for (const n of per.values()) used += n;
  return { per, used, left: Math.max(0, s.voting.budget - used) };
}

export class Board {
  constructor(conn, errors, mode) {
    this.conn = conn;
    this.errors = errors;
    this.mode = mode;
    this.cards = new Map();
    this.returned = new Map();  // idea id -> {reason, count}: the viewer's dots the limits took back
    this.el = h("div", { class: `board board-${mode}`, "data-testid": "board" });
    conn.addEventListener("event", (e) => this.onEvent(e.detail));
    if (mode !== "projector") this.dragAndDrop();
    this.syncKeys = boardKeys(this.el);
  }

  /** Whether this viewer may cluster now: facilitators always, participants when the phase lets. */
  canCluster() {
    const s = this.conn.state;
    return Boolean(s) && (this.mode === "facilitator" || (this.mode === "participant" && allows(s, "clusters")));
  }

  /**
   * Clustering by drag and drop (the keyboard keeps each card's Cluster list): a card onto a
   * cluster moves it there; onto a card in a cluster, into that cluster; onto a card outside
   * any, a new cluster of both, named after the card dropped on (scrumlr's stacking).
   */
  dragAndDrop() {
    let dragged = null;
    const target = (e) => {
      const card = e.target.closest?.("li.idea");
      if (card && card.dataset.idea !== dragged) return card;
      return card ? null : e.target.closest?.("section.cluster");
    };
    const unmark = () => { for (const el of this.el.querySelectorAll(".drop-target")) el.classList.remove("drop-target"); };
    this.el.addEventListener("dragstart", (e) => {
      const card = e.target.closest?.("li.idea");
      if (!card || !this.canCluster()) return;
      dragged = card.dataset.idea;
      e.dataTransfer.setData("text/plain", dragged);
      e.dataTransfer.effectAllowed = "move";
      card.classList.add("dragging");
    });
    this.el.addEventListener("dragend", (e) => {
      e.target.closest?.("li.idea")?.classList.remove("dragging");
      dragged = null;
      unmark();
    });
    this.el.addEventListener("dragover", (e) => {
      const el = dragged && target(e);
      if (!el) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = "move";
      if (!el.classList.contains("drop-target")) {
        unmark();
        el.classList.add("drop-target");
      }
    });
    this.el.addEventListener("drop", (e) => {
      const el = dragged && target(e);
      unmark();
      if (!el) return;
      e.preventDefault();
      this.dropOn(dragged, el);
      dragged = null;
    });
  }

  dropOn(ideaId, el) {
    const s = this.conn.state;
    const idea = s.ideas.get(ideaId);
    if (!idea) return;
    if (el.matches("section.cluster")) {
      const cluster = el.dataset.cluster === "_none" ? null : el.dataset.cluster;
      if ((idea.cluster ?? null) !== cluster) this.send("idea.move", { id: ideaId, cluster }, ideaId);
      return;
    }
    const onto = s.ideas.get(el.dataset.idea);
    if (!onto) return;
    if (onto.cluster && s.clusters.has(onto.cluster)) {
      if (idea.cluster !== onto.cluster) this.send("idea.move", { id: ideaId, cluster: onto.cluster }, ideaId);
      return;
    }
    this.send("cluster.create", { title: titleOf(onto), ideas: [onto.id, ideaId] }, ideaId);
  }

  /** Tell a voter which of their dots went back when the limits were lowered, and why. */
  onEvent(m) {
    const d = m.data || {};
    if (m.name === "voting.configured") {
      for (const id of this.cards.keys()) {
        if (LIMIT_ERRORS.has(this.errors.errors.get(`idea:${id}`)?.code)) this.errors.clear(`idea:${id}`);
      }
      return;
    }
    if (m.name === "vote.cast" && d.voter === this.conn.me?.id) this.returned.delete(d.idea);
    if (m.name !== "vote.retracted" || d.voter !== this.conn.me?.id || d.reason === "retracted") return;
    const known = this.returned.get(d.idea);
    this.returned.set(d.idea, { reason: d.reason, count: (known?.reason === d.reason ? known.count : 0) + 1 });
    clearTimeout(this.announceSoon);
    this.announceSoon = setTimeout(() => announce(t("vote.returnedAnnounce", { count: [...this.returned.values()].reduce((n, r) => n + r.count, 0) })), 0);
  }

  /** The sentence on a card whose dots went back: how many and which limit took them. */
  returnedText(ideaId) {
    const r = this.returned.get(ideaId);
    if (!r) return "";
    const v = this.conn.state.voting;
    return r.reason === "cap_lowered"
      ? t("vote.returnedCap", { count: r.count, cap: v.cap })
      : t("vote.returnedBudget", { count: r.count, budget: v.budget });
  }

  render() {
    const s = this.conn.state;
    if (!s) return;
    const ideas = orderedIdeas(s);
    const groups = [...s.clusters.values()].map((c) => ({ key: c.id, title: c.title, ideas: ideas.filter((i) => i.cluster === c.id) }));
    const loose = ideas.filter((i) => !i.cluster || !s.clusters.has(i.cluster));
    if (loose.length || !groups.length) groups.push({ key: "_none", title: groups.length ? t("ideas.unclustered") : null, ideas: loose });
    syncList(this.el, groups, (g) => g.key, () => this.group(), (el, g) => this.fillGroup(el, g));
    for (const id of this.cards.keys()) if (!s.ideas.has(id)) this.cards.delete(id);
    this.syncKeys();
  }

  group() {
    const title = h("h3", { class: "cluster-title" });
    const list = h("ul", { class: "cards" });
    const empty = h("p", { class: "muted" });
    const el = h("section", { class: "cluster" }, title, empty, list);
    el._refs = { title, list, empty };
    return el;
  }

  fillGroup(el, g) {
    const { title, list, empty } = el._refs;
    title.hidden = !g.title;
    setText(title, g.title || "");
    el.dataset.cluster = g.key;
    el.setAttribute("aria-label", g.title || t("ideas.title"));
    empty.hidden = g.ideas.length > 0;
    setText(empty, t("ideas.none"));
    syncList(list, g.ideas, (i) => i.id, (i) => {
      const card = this.cards.get(i.id) || this.card(i);
      this.cards.set(i.id, card);
      return card;
    }, (card, i) => this.fillCard(card, i));
  }

  send(name, args, idea) {
    this.conn.send(name, args, `idea:${idea}`);
  }

  card(idea) {
    const id = idea.id;
    const textId = `idea-${id}-text`;
    const refs = {};
    refs.text = h("p", { class: "idea-text", id: textId });
    refs.meta = h("p", { class: "idea-meta" });
    refs.badges = h("p", { class: "badges" });
    refs.tally = h("p", { class: "idea-tally", "data-testid": "idea-votes" });
    refs.reactions = h("div", { class: "reactions", role: "group", "aria-label": t("reactions.label") });
    refs.votes = h("div", { class: "vote-controls" });
    refs.returned = h("p", { class: "vote-returned", "data-testid": "votes-returned", hidden: true });
    refs.voters = h("p", { class: "idea-voters hint", "data-testid": "idea-voters", hidden: true });
    refs.tools = h("div", { class: "idea-tools" });
    refs.editForm = this.editForm(idea, refs);
    refs.comments = h("details", { class: "comments" });
    refs.error = this.errors.slot(`idea:${id}`);
    const li = h("li", { class: "idea", "data-idea": id },
      h("article", { "aria-labelledby": textId },
        refs.text, refs.editForm, refs.meta, refs.badges, refs.tally, refs.voters, refs.reactions, refs.votes, refs.returned,
        refs.tools, refs.comments, refs.error));
    li._refs = refs;
    this.buildComments(idea, refs);
    return li;
  }

  editForm(idea, refs) {
    const area = h("textarea", { id: `edit-${idea.id}`, rows: 3, maxlength: 1000, required: true });
    const form = h("form", { class: "edit-form", hidden: true },
      h("label", { for: `edit-${idea.id}` }, t("ideas.editLabel")), area,
      h("div", { class: "row" },
        h("button", { type: "submit", class: "btn btn-primary btn-small" }, t("ideas.save")),
        h("button", { type: "button", class: "btn btn-small", onclick: () => this.closeEdit(refs) }, t("ideas.cancel"))));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const text = area.value.trim();
      const current = this.conn.state.ideas.get(idea.id);
      if (text && current && text !== current.text) this.send("idea.edit", { id: idea.id, text }, idea.id);
      this.closeEdit(refs);
    });
    form.addEventListener("keydown", (e) => { if (e.key === "Escape") this.closeEdit(refs); });
    refs.area = area;
    return form;
  }

  openEdit(idea, refs) {
    refs.editForm.hidden = false;
    refs.text.hidden = true;
    refs.area.value = idea.text;
    refs.area.focus();
  }

  closeEdit(refs) {
    refs.editForm.hidden = true;
    refs.text.hidden = false;
    refs.editButton?.focus();
  }

  buildComments(idea, refs) {
    refs.commentCount = h("summary", {});
    refs.commentList = h("ul", { class: "comment-list" });
    if (this.mode === "projector") {
      // Read-only: the facilitator opens a card's comments to talk them through with the room.
      fill(refs.comments, refs.commentCount, refs.commentList);
      return;
    }
    const input = h("input", { id: `comment-${idea.id}`, type: "text", maxlength: 1000, autocomplete: "off" });
    refs.commentForm = h("form", { class: "comment-form" },
      h("label", { for: `comment-${idea.id}` }, t("comments.add")),
      h("div", { class: "row" }, input, h("button", { type: "submit", class: "btn btn-small" }, t("comments.post"))));
    refs.commentClosed = h("p", { class: "muted" }, t("comments.closed"));
    refs.commentForm.addEventListener("submit", (e) => {
      e.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      this.send("comment.add", { idea: idea.id, text }, idea.id);
      input.value = "";
    });
    fill(refs.comments, refs.commentCount, refs.commentList, refs.commentForm, refs.commentClosed);
  }

  fillCard(li, idea) {
    const refs = li._refs;
    const s = this.conn.state;
    const me = this.conn.me?.id;
    const mine = idea.author === me;
    const fac = this.mode === "facilitator";
    const participant = this.mode === "participant";
    setText(refs.text, idea.text);
    li.classList.toggle("idea-hidden", idea.hidden);
    if (this.canCluster()) li.setAttribute("draggable", "true");
    else li.removeAttribute("draggable");
    li.classList.toggle("idea-mine", mine);
    setText(refs.meta, [authorName(s, idea.author, me), idea.edited_at ? t("ideas.edited") : ""].filter(Boolean).join(" · "));
    fill(refs.badges, idea.hidden ? h("span", { class: "badge badge-warn" }, "⚑ ", t("ideas.hiddenBadge")) : null);
    refs.badges.hidden = !idea.hidden;

    const tallies = s.voting.tallies;
    const showTally = tallies && (fac || s.voting.revealed);
    refs.tally.hidden = !showTally;
    if (showTally) setText(refs.tally, t("vote.total", { count: tallies[idea.id] || 0 }));
    const voters = showTally ? voterNames(s, idea.id) : "";
    refs.voters.hidden = !voters;
    setText(refs.voters, voters ? t("vote.votersList", { names: voters }) : "");
    const returned = participant ? this.returnedText(idea.id) : "";
    refs.returned.hidden = !returned;
    setText(refs.returned, returned);

    this.fillReactions(refs, idea, participant && allows(s, "reactions"));
    this.fillVotes(refs, idea, participant);
    this.fillTools(refs, idea, { fac, mine, participant });
    this.fillComments(refs, idea, { fac, me, participant });
    markPending(li, idea);
  }

  fillReactions(refs, idea, interactive) {
    const me = this.conn.me?.id;
    const items = REACTIONS.filter((r) => interactive || (idea.reactions[r.id] || []).length);
    refs.reactions.hidden = !items.length;
    syncList(refs.reactions, items, (r) => `${r.id}:${interactive}`,
      (r) => interactive
        ? h("button", { type: "button", class: "chip", onclick: () => this.send("reaction.toggle", { idea: idea.id, reaction: r.id }, idea.id) })
        : h("span", { class: "chip chip-static" }),
      (el, r) => {
        const who = idea.reactions[r.id] || [];
        const label = t(`reaction.${r.id}`);
        if (interactive) el.setAttribute("aria-pressed", String(who.includes(me)));
        el.title = label;
        const text = `${r.icon} ${label} ${who.length}`;
        if (el.textContent !== text) {
          fill(el, h("span", { "aria-hidden": "true" }, r.icon), ` ${label} `, h("span", { class: "count" }, String(who.length)));
        }
      });
  }

  fillVotes(refs, idea, participant) {
    const s = this.conn.state;
    const on = participant && s.voting.open && allows(s, "votes") && !idea.hidden;
    refs.votes.hidden = !on;
    if (!on) return;
    const votes = myVotes(this.conn);
    const n = votes.per.get(idea.id) || 0;
    if (!refs.voteParts) {
      const minus = h("button", { type: "button", class: "btn btn-small vote-minus", onclick: () => this.send("vote.retract", { idea: idea.id }, idea.id) }, "−");
      const plus = h("button", { type: "button", class: "btn btn-small btn-primary vote-plus", onclick: () => this.send("vote.cast", { idea: idea.id }, idea.id) }, "+");
      const count = h("span", { class: "vote-count", "data-testid": "my-votes" });
      refs.voteParts = { minus, plus, count };
      fill(refs.votes, minus, count, plus);
    }
    const { minus, plus, count } = refs.voteParts;
    const short = idea.text.length > 60 ? `${idea.text.slice(0, 57)}…` : idea.text;
    minus.setAttribute("aria-label", t("vote.retractFor", { text: short }));
    plus.setAttribute("aria-label", t("vote.castFor", { text: short }));
    // aria-disabled keeps the button focusable and explains itself on use (the server says why).
    minus.setAttribute("aria-disabled", String(n === 0));
    plus.setAttribute("aria-disabled", String(votes.left === 0 || n >= s.voting.cap));
    setText(count, t("vote.mine", { count: n }));
  }

  fillTools(refs, idea, { fac, mine, participant }) {
    const s = this.conn.state;
    const canEdit = fac || (participant && mine && allows(s, "ideas"));
    const items = [];
    if (canEdit) items.push("edit", "delete");
    if (fac) items.push(idea.hidden ? "unhide" : "hide");
    if (this.canCluster()) items.push("move");
    refs.tools.hidden = !items.length;
    syncList(refs.tools, items, (k) => k, (k) => this.tool(k, idea, refs), (el, k) => {
      if (k === "move") this.fillMove(el, idea);
    });
  }

  tool(kind, idea, refs) {
    const id = idea.id;
    if (kind === "edit") {
      refs.editButton = h("button", { type: "button", class: "btn btn-small", onclick: () => this.openEdit(this.conn.state.ideas.get(id), refs) }, t("ideas.edit"));
      return refs.editButton;
    }
    if (kind === "delete") {
      return h("button", { type: "button", class: "btn btn-small btn-danger", onclick: () => {
        if (window.confirm(t("ideas.deleteConfirm"))) this.send("idea.delete", { id }, id);
      } }, t("ideas.delete"));
    }
    if (kind === "hide" || kind === "unhide") {
      return h("button", { type: "button", class: "btn btn-small", onclick: () => this.send("idea.hide", { id, hidden: kind === "hide" }, id) },
        t(kind === "hide" ? "ideas.hide" : "ideas.unhide"));
    }
    const select = h("select", { id: `move-${id}`, onchange: () => {
      // "New cluster": the keyboard's way to start a cluster, as a drop on a loose card does.
      if (select.value === NEW_CLUSTER) return this.send("cluster.create", { title: titleOf(this.conn.state.ideas.get(id)), ideas: [id] }, id);
      return this.send("idea.move", { id, cluster: select.value || null }, id);
    } });
    const el = h("span", { class: "move" }, h("label", { for: `move-${id}` }, t("ideas.moveTo")), select);
    el._select = select;
    return el;
  }

  fillMove(el, idea) {
    const select = el._select;
    const s = this.conn.state;
    const options = [["", t("ideas.noCluster")], ...[...s.clusters.values()].map((c) => [c.id, c.title]),
      [NEW_CLUSTER, t("clusters.newWith")]];
    const signature = JSON.stringify(options);
    if (select._signature !== signature) {
      fill(select, options.map(([value, label]) => h("option", { value }, label)));
      select._signature = signature;
    }
    select.value = idea.cluster && s.clusters.has(idea.cluster) ? idea.cluster : "";
  }

  fillComments(refs, idea, { fac, me, participant }) {
    const s = this.conn.state;
    const projector = this.mode === "projector";
    const open = !projector && (fac || allows(s, "comments"));
    setText(refs.commentCount, t("comments.title", { count: idea.comments.length }));
    refs.comments.hidden = projector && !idea.comments.length;  // nothing to open on a big screen
    if (!projector) {
      refs.commentForm.hidden = !open;
      refs.commentClosed.hidden = open || !participant;
    }
    syncList(refs.commentList, idea.comments, (c) => c.id, (c) => {
      const li = h("li", { class: "comment" });
      li._text = h("span", { class: "comment-text" });
      li._who = h("span", { class: "comment-meta" });
      li._del = h("button", { type: "button", class: "btn btn-small btn-quiet", "aria-label": t("comments.delete"),
        onclick: () => this.send("comment.delete", { idea: idea.id, id: c.id }, idea.id) }, "✕");
      li.append(li._text, " ", li._who, " ", li._del);
      return li;
    }, (li, c) => {
      setText(li._text, c.text);
      setText(li._who, `— ${authorName(s, c.author, me)}`);
      li._del.hidden = !(fac || (c.author === me && open));
    });
  }
}
