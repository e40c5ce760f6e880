// The participant's speed networking (data-slot="networking"): whom they meet now (each
// partner's name, organization, sector, country and "what I work on") and where (a table
// number, large, or a call link opened in one tap), with the round's timer; between rounds a
// waiting screen; a toggle to sit rounds out; "Stay in touch" for each person met, now or in
// an earlier round ("asked" is one-sided and seen by nobody else; "connected" once both
// asked); and "My connections": the details each connection chose to share, from
// GET /api/me/connections, with a CSV download. Contact details never come over the hall's
// socket: only the HTTP answer for this person's own token carries them.

import { request } from "./api.js";
import { announce, fill, h, setText, syncList } from "./dom.js";
import { t } from "./i18n.js";
import { follow } from "./plenary_common.js";
import { isAsked, isConnected, metPeople, myGroup, netOf, optedOut, roundOf, roundRunning } from "./hall_networking.js";
import { loadVocabulary, profileLine, roundTimer, whereText } from "./networking_common.js";

export const OPT_ORIGIN = "net-opt";
export const TOUCH_ORIGIN = "net-touch";

/** The participant's networking panel; `token` reads their own connections over HTTP. */
export function networkingPanel(hall, errors, token) {
  const meet = meetPart(hall, errors);
  const opt = optPart(hall, errors);
  const met = metPart(hall, errors);
  const mine = connectionsPart(token);
  const root = h("div", { class: "networking", "data-slot": "networking", "data-testid": "networking" },
    meet.el, met.el, mine.el, opt.el);
  loadVocabulary().then(() => hall.emit?.("state"));
  follow(hall, root, (s) => {
    meet.draw(s);
    opt.draw(s);
    met.draw(s);
    errors.render();
  }, (e, s) => {
    if (e.name === "round.started" && myGroup(s)) announce(t("net.announce.started", { n: roundOf(s)?.number ?? "" }));
    if (e.name === "round.ended") announce(t("net.announce.ended"));
    if (e.name === "contact.connected") {
      announce(t("net.announce.connected"));
      mine.load();
    }
  });
  mine.load();
  return root;
}

// You meet now ------------------------------------------------------------------------------

function meetPart(hall, errors) {
  const eyebrow = h("p", { class: "eyebrow", "data-testid": "net-round" });
  const heading = h("h2", { id: "net-meet-h" });
  const lead = h("p", { class: "lead", "data-testid": "net-status" });
  const where = h("div", { class: "net-where", "data-testid": "net-where" });
  const partners = h("ul", { class: "net-partners", "data-testid": "net-partners" });
  const timer = roundTimer(hall, () => roundOf(hall.state), { onLastMinute: () => announce(t("net.announce.lastMinute")) });
  const el = h("section", { class: "card net-meet", "aria-labelledby": "net-meet-h", "data-testid": "net-meet" },
    eyebrow, heading, timer.el, where, lead, partners, errors.slot(TOUCH_ORIGIN));
  let whereKey = null;

  function draw(s) {
    const net = netOf(s);
    const round = roundOf(s);
    const group = myGroup(s);
    const total = net.config?.rounds;
    setText(eyebrow, round ? (total ? t("net.roundOf", { n: round.number, total }) : t("net.round", { n: round.number })) : t("net.title"));
    el.dataset.state = group ? "meeting" : "waiting";
    timer.draw();
    if (group) {
      setText(heading, t("net.meetNow"));
      setText(lead, group.partners.length > 1 ? t("net.meetThree") : t("net.meetTwo"));
      const key = `${round.number}|${group.table}|${group.call}`;
      if (key !== whereKey) {
        whereKey = key;
        fill(where, whereOf(group));
      }
      where.hidden = false;
      syncList(partners, group.partners, (p) => p.id, (p) => partnerCard(hall, p, "now"), (li, p) => li._update(p, s));
      partners.hidden = false;
      return;
    }
    whereKey = null;
    fill(where);
    where.hidden = true;
    partners.hidden = true;
    fill(partners);
    setText(heading, t("net.waitTitle"));
    setText(lead, waitingText(s, net, round));
  }
  return { el, draw };
}

/** Why this person meets nobody now, in words. */
function waitingText(s, net, round) {
  if (optedOut(s)) return t("net.wait.out");
  if (!round) return t("net.wait.first");
  if (roundRunning(round)) return t("net.wait.late");
  const total = net.config?.rounds;
  if (total && round.number >= total) return t("net.wait.done");
  return t("net.wait.next");
}

/** The table number (large) or the call link, one tap, in a new tab. */
function whereOf(group) {
  const table = group.table === null || group.table === undefined ? null
    : [h("p", { class: "net-where-label" }, t("net.goTo")),
      h("p", { class: "net-table", "data-testid": "net-table" }, t("net.table", { table: group.table }))];
  if (group.call) {
    return [table, h("p", { class: "net-where-label" }, whereText(group)),
      h("a", { class: "btn btn-primary btn-block net-call", href: group.call, target: "_blank", rel: "noopener",
        "data-testid": "net-call" }, t("net.joinCall")),
      h("p", { class: "hint net-call-url" }, group.call)];
  }
  return table;
}

/** One person met (now or earlier): their profile and "Stay in touch". */
function partnerCard(hall, p, when) {
  const name = h("h3", { class: "net-name", id: `net-${when}-${p.id}` });
  const profile = h("p", { class: "net-profile" });
  const about = h("p", { class: "net-about", "data-testid": "net-about" });
  const state = h("p", { class: "net-touch-state", "data-testid": "net-touch-state" });
  const button = h("button", { type: "button", class: "btn btn-small", "data-testid": "net-touch", "aria-describedby": name.id });
  const li = h("li", { class: "net-partner", "data-member": p.id }, name, profile, about, h("div", { class: "row" }, button, state));
  li._update = (now, s) => {
    setText(name, now.name);
    setText(profile, profileLine(now));
    setText(about, now.about ? t("net.about", { about: now.about }) : "");
    about.hidden = !now.about;
    const connected = isConnected(s, now.id);
    const asked = isAsked(s, now.id);
    const waiting = hall.pending().some((e) => e.name.startsWith("contact.") && e.args.member === now.id);
    li.dataset.touch = connected ? "connected" : asked ? "asked" : "none";
    setText(state, connected ? `✓ ${t("net.touch.connected")}` : asked ? `… ${t("net.touch.asked")}` : "");
    button.hidden = connected;
    button.disabled = waiting;
    setText(button, asked ? t("net.touch.withdraw") : t("net.touch.ask"));
    button.onclick = () => hall.send(asked ? "contact.withdraw" : "contact.request", { member: now.id }, TOUCH_ORIGIN);
  };
  return li;
}

// People met earlier ------------------------------------------------------------------------

function metPart(hall, errors) {
  const list = h("ul", { class: "net-partners net-met", "data-testid": "net-met" });
  const el = h("section", { class: "card", "aria-labelledby": "net-met-h", hidden: true },
    h("h2", { id: "net-met-h" }, t("net.metTitle")), h("p", { class: "hint" }, t("net.metHint")), list);
  function draw(s) {
    const now = new Set((myGroup(s)?.partners || []).map((p) => p.id));
    const earlier = metPeople(s).filter((p) => !now.has(p.id));
    el.hidden = !earlier.length;
    syncList(list, earlier, (p) => p.id, (p) => partnerCard(hall, p, "met"), (li, p) => li._update(p, s));
  }
  void errors;
  return { el, draw };
}

// Opting out --------------------------------------------------------------------------------

function optPart(hall, errors) {
  const box = h("input", { type: "checkbox", id: "net-out", "data-testid": "net-out", "aria-describedby": "net-out-hint" });
  box.addEventListener("change", () => {
    errors.clear(OPT_ORIGIN);
    hall.send("networking.opt_out", { out: box.checked }, OPT_ORIGIN);
  });
  const el = h("section", { class: "card net-opt", "aria-labelledby": "net-opt-h" },
    h("h2", { id: "net-opt-h" }, t("net.optTitle")),
    h("div", { class: "choice" }, box, h("label", { for: "net-out" }, t("net.optOut")),
      h("p", { class: "hint", id: "net-out-hint" }, t("net.optHint"))), errors.slot(OPT_ORIGIN));
  function draw(s) {
    const waiting = hall.pending().find((e) => e.name === "networking.opt_out");
    box.checked = waiting ? Boolean(waiting.args.out) : optedOut(s);
  }
  return { el, draw };
}

// My connections (HTTP: the only place contact details are) --------------------------------

function connectionsPart(token) {
  const list = h("ul", { class: "net-connections", "data-testid": "net-connections" });
  const empty = h("p", { class: "muted" }, t("net.conn.none"));
  const problem = h("p", { class: "form-problem", role: "status" });
  const download = h("button", { type: "button", class: "btn btn-small", "data-testid": "net-download", hidden: true,
    onclick: () => downloadCsv(token, problem) }, t("net.conn.download"));
  const el = h("section", { class: "card", "aria-labelledby": "net-conn-h", "data-testid": "net-connections-card" },
    h("h2", { id: "net-conn-h" }, t("net.conn.title")), h("p", { class: "hint" }, t("net.conn.hint")),
    empty, list, h("div", { class: "row" }, download,
      // The forum's results page (static/js/results.js); the token stays in the fragment.
      h("a", { class: "btn btn-small", href: `/results#token=${encodeURIComponent(token)}`, "data-testid": "results-link" }, t("res.open"))),
    problem);
  let loading = null;
  async function load() {
    if (loading) return loading;
    loading = (async () => {
      try {
        const answer = await request("GET", "/api/me/connections", { token });
        draw(answer.connections || []);
        setText(problem, "");
      } catch (failure) {
        setText(problem, t("net.conn.failed"));
        void failure;
      } finally {
        loading = null;
      }
    })();
    return loading;
  }
  function draw(connections) {
    empty.hidden = connections.length > 0;
    download.hidden = !connections.length;
    syncList(list, connections, (c) => c.member?.id ?? c.id, () => {
      const li = h("li", { class: "net-connection" });
      return li;
    }, (li, c) => fill(li, ...connectionRow(c)));
  }
  return { el, load };
}

function connectionRow(c) {
  const who = c.member || c;
  const details = c.contact || {};
  const rows = [];
  if (details.email) rows.push([t("net.conn.email"), h("a", { href: `mailto:${details.email}` }, details.email)]);
  if (details.phone) rows.push([t("net.conn.phone"), h("a", { href: `tel:${details.phone.replace(/[^+\d]/g, "")}` }, details.phone)]);
  if (details.link && /^https?:\/\//i.test(details.link)) {
    rows.push([t("net.conn.link"), h("a", { href: details.link, target: "_blank", rel: "noopener" }, details.link)]);
  } else if (details.link) rows.push([t("net.conn.link"), details.link]);
  return [h("h3", { class: "net-name" }, who.name || ""),
    h("p", { class: "net-profile" }, profileLine(who)),
    who.about ? h("p", { class: "net-about" }, t("net.about", { about: who.about })) : null,
    rows.length ? h("dl", { class: "net-details" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]))
      : h("p", { class: "hint" }, t("net.conn.nothingShared"))];
}

/** The CSV needs the token as a header, which a plain link cannot send: fetch it, offer a Blob. */
async function downloadCsv(token, problem) {
  try {
    const response = await fetch("/api/me/connections.csv", { headers: { Authorization: `Bearer ${token}` }, cache: "no-store" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const url = URL.createObjectURL(await response.blob());
    const a = h("a", { href: url, download: "connections.csv", hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    setText(problem, "");
  } catch {
    setText(problem, t("net.conn.failed"));
  }
}
