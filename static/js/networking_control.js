// The conductor's speed networking (data-slot="networking-control"): the round now (number,
// timer, its groups), one button each to start the next round with the people online, give
// it more time, end it early and re-pair the people whose partner did not show; the round's
// quality figures (cross-sector groups against the exact bound, cross-country groups,
// repeats, same-organization pairs, and in words what the pairing had to relax); who waits
// (online but in no group, or sitting rounds out); the settings; and how many people
// connected (GET /api/forums/{id}/networking: counts only, never a contact detail).

import { request } from "./api.js";
import { fill, h, setText, syncList } from "./dom.js";
import { currentSession, nextSession } from "./hall.js";
import { compareText, t } from "./i18n.js";
import { follow } from "./plenary_common.js";
import { configOf, lastRound, netOf, roundRunning } from "./hall_networking.js";
import { loadVocabulary, roundTimer, sectorName, countryName } from "./networking_common.js";

export const RUN_ORIGIN = "net-run";
export const CONFIG_ORIGIN = "net-config";
const COUNTS_MS = 5000;

/** The conductor's networking card; `forumId` and `token` read the connection counts. */
export function networkingControl(hall, errors, { forumId, token }) {
  const state = h("p", { class: "net-c-state", "data-testid": "net-c-state" });
  const timer = roundTimer(hall, () => lastRound(hall.state));
  const start = h("button", { type: "button", class: "btn btn-primary btn-small", "data-testid": "net-start" });
  const extend = h("button", { type: "button", class: "btn btn-small", "data-testid": "net-extend" }, t("net.c.extend"));
  const end = h("button", { type: "button", class: "btn btn-small btn-danger", "data-testid": "net-end" }, t("net.c.end"));
  const repair = h("button", { type: "button", class: "btn btn-small", "data-testid": "net-repair",
    "aria-describedby": "net-repair-hint" }, t("net.c.repair"));
  const repairHint = h("p", { class: "hint", id: "net-repair-hint" }, t("net.c.repairHint"));
  const online = h("p", { class: "hint", "data-testid": "net-online" });
  const quality = h("dl", { class: "net-quality", "data-testid": "net-quality" });
  const relaxed = h("p", { class: "net-relaxed", "data-testid": "net-relaxed" });
  const groups = h("ul", { class: "net-groups", "data-testid": "net-groups" });
  const waiting = h("p", { class: "net-waiting", "data-testid": "net-waiting" });
  const out = h("p", { class: "hint", "data-testid": "net-opted-out" });
  const counts = h("p", { class: "net-counts", "data-testid": "net-counts" });
  const settings = configForm(hall, errors);
  const root = h("section", { class: "card net-control", "aria-labelledby": "net-c-h", "data-slot": "networking-control",
    "data-testid": "networking-control", hidden: true },
    h("h2", { id: "net-c-h" }, t("net.c.title")), state, timer.el, online,
    h("div", { class: "row net-c-actions" }, start, extend, end, repair), repairHint, errors.slot(RUN_ORIGIN),
    h("h3", { class: "mix-h" }, t("net.c.quality")), quality, relaxed,
    h("h3", { class: "mix-h" }, t("net.c.groups")), groups, waiting, out, counts, settings.el);

  const present = () => [...hall.roster.keys()].filter((id) => hall.state?.members.has(id));
  start.addEventListener("click", () => send(hall, errors, "round.start", { present: present() }));
  extend.addEventListener("click", () => send(hall, errors, "round.extend", { seconds: 60 }));
  end.addEventListener("click", () => {
    if (window.confirm(t("net.c.endConfirm"))) send(hall, errors, "round.end", {});
  });
  repair.addEventListener("click", () => send(hall, errors, "round.repair", { present: present() }));

  let known = null;
  const loadCounts = async () => {
    if (!root.isConnected || root.hidden) return;
    try {
      known = await request("GET", `/api/forums/${encodeURIComponent(forumId)}/networking`, { token });
    } catch {
      known = known || null;
    }
    drawCounts(counts, known);
  };
  const poll = setInterval(() => {
    if (!document.body.contains(root) && root.dataset.seen) clearInterval(poll);
    else loadCounts();
  }, COUNTS_MS);

  const draw = (s) => {
    const x = currentSession(s);
    const shown = x?.kind === "networking" || nextSession(s)?.kind === "networking";
    root.hidden = !shown;
    if (!shown) return;
    root.dataset.seen = "1";
    const net = netOf(s);
    const config = configOf(s);
    const round = lastRound(s);
    const running = roundRunning(round);
    const next = (round?.number || 0) + 1;
    const inNetworking = x?.kind === "networking";
    setText(state, !round ? t("net.c.none", { total: config.rounds })
      : running ? t("net.c.running", { n: round.number, total: config.rounds })
        : t("net.c.ended", { n: round.number, total: config.rounds }));
    root.dataset.round = round ? String(round.number) : "";
    root.dataset.running = running ? "true" : "false";
    timer.draw();
    const people = present();
    setText(online, t("net.c.online", { count: people.length }));
    const pending = hall.pending().filter((e) => e.name.startsWith("round."));
    start.hidden = running;
    start.disabled = !inNetworking || pending.length > 0;
    setText(start, next > config.rounds ? t("net.c.startExtra", { n: next }) : t("net.c.start", { n: next }));
    extend.hidden = end.hidden = repair.hidden = !running;
    repairHint.hidden = !running;
    for (const b of [extend, end, repair]) b.disabled = pending.length > 0;
    drawQuality(quality, relaxed, round);
    drawGroups(groups, s, round);
    const grouped = new Set((running ? round.groups : []).flatMap((g) => g.members));
    const idle = people.filter((id) => !grouped.has(id) && !net.optedOut.has(id));
    setText(waiting, running ? (idle.length ? t("net.c.waiting", { count: idle.length, names: namesOf(s, idle) }) : t("net.c.nobody"))
      : t("net.c.ready", { count: idle.length }));
    const outIds = [...net.optedOut];
    setText(out, outIds.length ? t("net.c.optedOut", { count: outIds.length, names: namesOf(s, outIds) }) : "");
    out.hidden = !outIds.length;
    settings.draw(config);
    errors.render();
  };
  follow(hall, root, draw, (e) => {
    if (e.name.startsWith("contact.") || e.name.startsWith("round.")) loadCounts();
  });
  hall.addEventListener("presence", () => hall.state && draw(hall.state));
  loadVocabulary().then(() => { if (hall.state) draw(hall.state); });
  setTimeout(loadCounts, 0);
  return root;
}

function send(hall, errors, name, args) {
  errors.clear(RUN_ORIGIN);
  hall.send(name, args, RUN_ORIGIN);
}

function namesOf(s, ids) {
  return ids.map((id) => s.members.get(id)?.name || id).sort(compareText).join(", ");
}

function percent(part, whole) {
  return whole ? Math.round((100 * part) / whole) : 100;
}

/** The figures in words and numbers: "3 of 4 groups (75%)", never a bar alone. */
function drawQuality(dl, relaxedEl, round) {
  const q = round?.quality;
  if (!q) {
    fill(dl);
    setText(relaxedEl, round ? "" : t("net.c.noFigures"));
    return;
  }
  const groups = q.groups ?? round.groups.length;
  const share = q.bound_share ?? (q.sector_bound ? q.cross_sector / q.sector_bound : 1);
  const rows = [
    ["sector", t("net.q.sector"), t("net.q.sectorValue", { count: q.cross_sector, groups, share: percent(q.cross_sector, groups),
      bound: q.sector_bound, ofBound: Math.round(100 * share) })],
    ["country", t("net.q.country"), t("net.q.countryValue", { count: q.cross_country, groups, share: percent(q.cross_country, groups) })],
    ["repeats", t("net.q.repeats"), String(q.repeats)],
    ["organization", t("net.q.organization"), String(q.same_organization)],
  ];
  fill(dl, rows.map(([key, term, value]) => [h("dt", {}, term), h("dd", { "data-q": key }, value)]));
  const relaxed = round.relaxed || [];
  setText(relaxedEl, relaxed.length ? t("net.q.relaxed", { list: relaxed.map((r) => t(`net.relax.${r}`)).join("; ") })
    : `✓ ${t("net.q.allHeld")}`);
}

function drawGroups(list, s, round) {
  const groups = roundRunning(round) ? round.groups : [];
  syncList(list, groups, (g) => `${round.number}:${g.number}`, () => h("li", { class: "net-group" }), (li, g) => {
    const people = g.members.map((id) => {
      const m = s.members.get(id);
      if (!m) return id;
      const bits = [sectorName(m.sector), countryName(m.country)].filter(Boolean).join(", ");
      return bits ? `${m.name} (${bits})` : m.name;
    });
    const absent = new Set(round.absent || []);
    li.dataset.mode = g.mode;
    setText(li, `${whereShort(g)}: ${people.join(" · ")}${g.members.some((id) => absent.has(id)) ? ` ${t("net.c.absent")}` : ""}`);
  });
  list.hidden = !groups.length;
}

function whereShort(g) {
  if (g.mode === "remote") return t("net.callOf", { table: g.number });
  if (g.mode === "mixed") return t("net.mixedAt", { table: g.table ?? g.number });
  return t("net.table", { table: g.table ?? g.number });
}

function drawCounts(el, counts) {
  if (!counts) return setText(el, "");
  const n = counts.connections ?? counts.total ?? 0;
  const parts = [t("net.c.connections", { count: n })];
  if (counts.cross_sector !== undefined) parts.push(t("net.c.crossSector", { count: counts.cross_sector }));
  if (counts.cross_country !== undefined) parts.push(t("net.c.crossCountry", { count: counts.cross_country }));
  if (counts.requests !== undefined) parts.push(t("net.c.requests", { count: counts.requests }));
  return setText(el, parts.join(" · "));
}

// Settings ----------------------------------------------------------------------------------

function configForm(hall, errors) {
  const field = (id, label, input, hint) => {
    input.id = id;
    return h("div", { class: hint ? "field field-wide" : "field" },
      h("label", { for: id }, label), hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null, input);
  };
  const rounds = h("input", { type: "number", min: 1, max: 20, inputmode: "numeric" });
  const minutes = h("input", { type: "number", min: 1, max: 60, step: 0.5, inputmode: "decimal" });
  const grace = h("input", { type: "number", min: 0, max: 600, step: 10, inputmode: "numeric" });
  const template = h("input", { type: "text", maxlength: 300, spellcheck: false, "aria-describedby": "net-template-hint" });
  const mixed = h("input", { type: "checkbox", id: "net-mixed", "aria-describedby": "net-mixed-hint" });
  const form = h("form", { class: "stack", "data-testid": "net-config" },
    h("div", { class: "inline-fields" }, field("net-rounds", t("net.cfg.rounds"), rounds),
      field("net-minutes", t("net.cfg.minutes"), minutes), field("net-grace", t("net.cfg.grace"), grace)),
    field("net-template", t("net.cfg.template"), template, t("net.cfg.templateHint")),
    h("div", { class: "choice" }, mixed, h("label", { for: "net-mixed" }, t("net.cfg.mixed")),
      h("p", { class: "hint", id: "net-mixed-hint" }, t("net.cfg.mixedHint"))),
    h("button", { type: "submit", class: "btn btn-small" }, t("net.cfg.save")), errors.slot(CONFIG_ORIGIN));
  form.addEventListener("input", () => { form.dataset.dirty = "1"; });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const args = { rounds: Number(rounds.value), seconds: Math.round(Number(minutes.value) * 60),
      template: template.value.trim(), mixed: mixed.checked, grace_seconds: Number(grace.value) };
    form.dataset.dirty = "";
    errors.clear(CONFIG_ORIGIN);
    hall.send("networking.configure", args, CONFIG_ORIGIN);
  });
  const el = h("details", { class: "add-details net-settings", "data-testid": "net-settings" },
    h("summary", {}, t("net.cfg.title")), form);
  return {
    el,
    draw(config) {
      if (form.dataset.dirty || form.contains(document.activeElement)) return;
      rounds.value = config.rounds;
      minutes.value = config.seconds / 60;
      grace.value = config.grace_seconds;
      template.value = config.template;
      mixed.checked = config.mixed;
    },
  };
}
