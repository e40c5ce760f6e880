// The room's outcomes panel (participants in the refine phase, facilitators always):
// recommendations made from a cluster or the top-voted ideas, co-edited live
// (outcomes_form.js), and the action items that carry them out, with owner, due and status.

import { fill, h, setText, syncList } from "./dom.js";
import { formatDateTime, t } from "./i18n.js";
import { allows, results } from "./state.js";
import { recommendationCard, whoIs } from "./outcomes_form.js";

export const STATUSES = ["open", "in_progress", "done", "dropped"];
const TOP = 3;  // ideas a recommendation "from the top-voted ideas" starts from

export class OutcomesPanel {
  /** `role` is "participant" or "facilitator"; `heading` the level of the panel's title. */
  constructor(conn, errors, role, heading = "h2") {
    this.conn = conn;
    this.errors = errors;
    this.staff = role === "facilitator";
    const uid = `out-${Math.random().toString(36).slice(2, 8)}`;
    this.closed = h("p", { class: "muted" }, t("out.closed"));
    this.fromTop = h("button", { type: "button", class: "btn", "data-testid": "rec-from-top",
      onclick: () => this.createFromTop() }, t("out.fromTop"));
    this.cluster = h("select", { "aria-label": t("out.pickCluster") });
    this.fromCluster = h("button", { type: "button", class: "btn", "data-testid": "rec-from-cluster",
      onclick: () => this.createFromCluster() }, t("out.fromCluster"));
    this.blank = h("button", { type: "button", class: "btn btn-quiet", "data-testid": "rec-blank",
      onclick: () => conn.send("recommendation.create", { title: t("out.untitled") }, "outcomes") }, t("out.blank"));
    this.creators = h("div", { class: "row" }, this.fromTop, this.cluster, this.fromCluster, this.blank);
    this.list = h("div", { class: "stack", "data-testid": "recommendations" });
    this.none = h("p", { class: "muted" }, t("out.none"));
    this.actions = h("ul", { class: "room-fields action-list", "data-testid": "actions" });
    this.noActions = h("p", { class: "muted" }, t("out.noActions"));
    this.actionForm = this.newActionForm(uid);
    this.el = h("section", { class: "card outcomes-panel", "aria-labelledby": uid, "data-testid": "outcomes" },
      h(heading, { id: uid }, t("out.title")), h("p", { class: "hint" }, t("out.intro")), this.closed,
      this.creators, errors.slot("outcomes"), this.none, this.list,
      h(heading === "h2" ? "h3" : "h4", {}, t("out.actionsTitle")), this.noActions, this.actions, this.actionForm);
  }

  /** Whether this person may write recommendations and action items now. */
  canWrite() {
    return this.staff || Boolean(this.conn.state && allows(this.conn.state, "outcomes"));
  }

  createFromTop() {
    const s = this.conn.state;
    const top = results(s).ideas.filter((i) => i.votes > 0).slice(0, TOP).map((i) => i.id);
    if (!top.length) return;
    const title = s.ideas.get(top[0])?.text.slice(0, 200) || t("out.untitled");
    this.conn.send("recommendation.create", { title, ideas: top }, "outcomes");
  }

  createFromCluster() {
    const c = this.conn.state.clusters.get(this.cluster.value);
    if (c) this.conn.send("recommendation.create", { title: c.title, clusters: [c.id] }, "outcomes");
  }

  newActionForm(uid) {
    const title = h("input", { id: `${uid}-at`, type: "text", maxlength: 200, required: true });
    const owner = h("input", { id: `${uid}-ao`, type: "text", maxlength: 200 });
    const member = h("select", { id: `${uid}-am` });
    const due = h("input", { id: `${uid}-ad`, type: "date" });
    const rec = h("select", { id: `${uid}-ar` });
    const form = h("form", { class: "stack", "data-testid": "action-form" },
      h("div", { class: "field" }, h("label", { for: title.id }, t("out.a.title")), title),
      h("div", { class: "field" }, h("label", { for: owner.id }, t("out.a.owner")), owner),
      h("div", { class: "field" }, h("label", { for: member.id }, t("out.a.member")), member),
      h("div", { class: "field" }, h("label", { for: due.id }, t("out.a.due")), due),
      h("div", { class: "field" }, h("label", { for: rec.id }, t("out.a.under")), rec),
      h("div", { class: "row" }, h("button", { type: "submit", class: "btn btn-primary" }, t("out.a.add"))),
      this.errors.slot("action-add"));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (!title.value.trim()) return title.focus();
      const args = { title: title.value.trim(), owner: owner.value.trim() };
      if (member.value) args.owner_member = member.value;
      if (due.value) args.due = due.value;
      if (rec.value) args.recommendation = rec.value;
      this.conn.send("action.add", args, "action-add");
      form.reset();
    });
    form._member = member;
    form._rec = rec;
    return form;
  }

  render() {
    const s = this.conn.state;
    if (!s || !s.outcomes) return;
    const write = this.canWrite();
    this.closed.hidden = write;
    this.creators.hidden = !write;
    this.actionForm.hidden = !write;
    const hasTop = results(s).ideas.some((i) => i.votes > 0);
    this.fromTop.hidden = !hasTop;  // vote totals are known here only once visible to us
    const clusters = [...s.clusters.values()];
    if (this.cluster.options.length !== clusters.length || [...this.cluster.options].some((o, i) => o.value !== clusters[i].id || o.text !== clusters[i].title)) {
      fill(this.cluster, clusters.map((c) => h("option", { value: c.id }, c.title)));
    }
    this.cluster.hidden = this.fromCluster.hidden = !clusters.length;
    const recs = [...s.outcomes.recommendations.values()];
    this.none.hidden = recs.length > 0;
    syncList(this.list, recs, (r) => r.id, (r) => recommendationCard(this, r), (el, r) => el._update(r));
    this.syncSelect(this.actionForm._member, [["", t("out.a.noMember")], ...[...s.members.values()].map((m) => [m.id, m.name])]);
    this.syncSelect(this.actionForm._rec, [["", t("out.a.noRec")], ...recs.map((r) => [r.id, r.title])]);
    const items = [...s.outcomes.actions.values()];
    this.noActions.hidden = items.length > 0;
    syncList(this.actions, items, (a) => a.id, (a) => this.actionRow(a), (li, a) => li._update(a));
  }

  syncSelect(select, options) {
    const same = select.options.length === options.length
      && options.every(([v, label], i) => select.options[i].value === v && select.options[i].text === label);
    if (same) return;
    const value = select.value;
    fill(select, options.map(([v, label]) => h("option", { value: v }, label)));
    select.value = options.some(([v]) => v === value) ? value : "";
  }

  actionRow(a) {
    const id = a.id;
    const title = h("strong", { class: "action-title" });
    const meta = h("p", { class: "hint" });
    const status = h("select", { "aria-label": t("out.a.status"), "data-testid": "action-status" },
      STATUSES.map((st) => h("option", { value: st }, t(`out.s.${st}`))));
    const note = h("input", { type: "text", maxlength: 1000, placeholder: t("out.a.note"), "aria-label": t("out.a.note") });
    const save = h("button", { type: "button", class: "btn btn-small", onclick: () => {
      this.conn.send("action.status", { id, status: status.value, note: note.value.trim() }, `act-${id}`);
      note.value = "";
      delete status.dataset.dirty;
    } }, t("out.a.update"));
    status.addEventListener("change", () => { status.dataset.dirty = "1"; });
    const history = h("ol", { class: "history" });
    const details = h("details", {}, h("summary", {}, t("out.a.history")), history);
    const remove = h("button", { type: "button", class: "btn btn-small btn-danger",
      onclick: () => { if (confirm(t("out.a.deleteConfirm"))) this.conn.send("action.delete", { id }, `act-${id}`); } }, t("out.delete"));
    const controls = h("div", { class: "row" }, status, note, save);
    const li = h("li", { class: "card action-item", "data-testid": "action-item", dataset: { key: id } },
      title, meta, controls, details, this.staff ? remove : null, this.errors.slot(`act-${id}`));
    li._update = (item) => {
      const s = this.conn.state;
      setText(title, item.title);
      const rec = item.recommendation ? s.outcomes.recommendations.get(item.recommendation) : null;
      const owner = [item.owner, item.owner_member ? whoIs(s, item.owner_member) : ""].filter(Boolean).join(" · ");
      setText(meta, [t(`out.s.${item.status}`), owner && t("out.a.ownedBy", { owner }),
        item.due && t("out.a.dueOn", { due: item.due }), rec && t("out.a.underRec", { title: rec.title })]
        .filter(Boolean).join(" — "));
      li.dataset.status = item.status;
      if (!status.dataset.dirty && document.activeElement !== status) status.value = item.status;
      const mine = item.owner_member && item.owner_member === this.conn.me?.id;
      controls.hidden = !(this.canWrite() || mine);
      syncList(history, item.history.map((x, i) => ({ ...x, i })), (x) => x.i,
        () => h("li", {}), (el, x) => setText(el, `${formatDateTime(x.at)}: ${t(`out.s.${x.status}`)} (${whoIs(s, x.by)})${x.note ? ` — ${x.note}` : ""}`));
      details.hidden = item.history.length === 0;
    };
    return li;
  }
}
