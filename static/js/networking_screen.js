// The projector's speed networking (data-slot="networking-screen"): the round's number and
// timer, large, and the table plan of the people on site (table number -> names), so that
// everyone in the room finds their table at a glance. Remote groups meet on calls: the
// projector does not see them (their links stay with the people in them). Between rounds: what comes next.

import { h, setText, syncList } from "./dom.js";
import { compareText, t } from "./i18n.js";
import { follow } from "./plenary_common.js";
import { configOf, lastRound, roundRunning, tablePlan } from "./hall_networking.js";
import { roundTimer } from "./networking_common.js";

/** The projector's networking screen. */
export function networkingScreen(hall) {
  const round = h("p", { class: "proj-net-round", "data-testid": "net-round" });
  const timer = roundTimer(hall, () => lastRound(hall.state), { large: true });
  const status = h("p", { class: "proj-what", "data-testid": "net-status" });
  const plan = h("ol", { class: "net-plan", "data-testid": "net-plan", "aria-label": t("net.s.plan") });
  const calls = h("p", { class: "proj-net-calls", "data-testid": "net-calls" });
  const root = h("section", { class: "proj-networking", "aria-label": t("net.s.title"), "data-slot": "networking-screen",
    "data-testid": "networking-screen" }, h("div", { class: "proj-net-head" }, round, timer.el), status, plan, calls);
  follow(hall, root, (s) => {
    const r = lastRound(s);
    const running = roundRunning(r);
    const total = configOf(s).rounds;
    setText(round, r ? t("net.roundOf", { n: r.number, total }) : t("net.s.soon"));
    timer.draw();
    setText(status, !r ? t("net.s.before") : running ? t("net.s.find") : r.number >= total ? t("net.s.done") : t("net.s.between"));
    const tables = tablePlan(s);
    syncList(plan, tables, (x) => `${r.number}:${x.table}`, () => {
      const number = h("span", { class: "net-plan-table" });
      const names = h("span", { class: "net-plan-names" });
      const li = h("li", { class: "net-plan-row" }, number, names);
      return Object.assign(li, { _number: number, _names: names });
    }, (li, x) => {
      setText(li._number, t("net.table", { table: x.table }));
      setText(li._names, [...x.names].sort(compareText).join(" · "));  // easy to scan for one's own
    });
    plan.hidden = !tables.length;
    plan.classList.toggle("net-plan-many", tables.length > 8);
    setText(calls, running ? t("net.s.calls") : "");
    calls.hidden = !running;
  });
  return root;
}
