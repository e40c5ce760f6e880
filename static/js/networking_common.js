// What the three networking views share: the sector and country names of the server's
// vocabulary, a person's profile in words, the round's timer in words, and where a group
// meets (a table or a call).

import { request } from "./api.js";
import { formatClock, h, setText } from "./dom.js";
import { t } from "./i18n.js";
import { roundRunning } from "./hall_networking.js";

let vocabulary = null;
let loading = null;

/** The server's sector and country names, once per page (ids are shown until they arrive). */
export function loadVocabulary() {
  loading ??= request("GET", "/api/vocabulary").then((v) => {
    vocabulary = { sector: new Map(v.sectors.map((o) => [o.id, o.label])), country: new Map(v.countries.map((o) => [o.id, o.label])) };
  }).catch(() => { loading = null; });
  return loading;
}

export function sectorName(id) {
  return vocabulary?.sector.get(id) || id || "";
}

export function countryName(id) {
  return vocabulary?.country.get(id) || id || "";
}

/** "Estonian Rescue Board · Rescue and emergency service · Estonia" (what is known). */
export function profileLine(p) {
  return [p.organization, sectorName(p.sector), countryName(p.country)].filter(Boolean).join(" · ");
}

/** The round's clock: "04:12 left", "Time is up", or "" with no round running. */
export function roundClock(round, now) {
  if (!round || round.ends_at == null) return "";
  const left = round.ends_at - now;
  return left > 0 ? t("net.timeLeft", { time: formatClock(left) }) : t("net.timeUp");
}

/**
 * A timer element for the round (role=timer, redrawn four times a second while on the page);
 * `roundOf()` gives the round now. The last minute is said once through `onLastMinute`.
 */
export function roundTimer(hall, roundOf, { large = false, onLastMinute = null } = {}) {
  const el = h("p", { class: large ? "net-timer net-timer-large" : "net-timer", role: "timer", "data-testid": "net-timer" });
  let said = null;
  const draw = () => {
    const round = roundOf();
    const running = roundRunning(round);
    setText(el, running ? roundClock(round, hall.now()) : "");
    el.hidden = !running;
    if (running && onLastMinute && round.ends_at - hall.now() <= 60000 && round.ends_at > hall.now() && said !== round.number) {
      said = round.number;
      if (el.isConnected) onLastMinute();
    }
  };
  const timer = setInterval(() => {
    if (!el.isConnected && el.dataset.seen) clearInterval(timer);
    if (el.isConnected) el.dataset.seen = "1";
    draw();
  }, 250);
  draw();
  return { el, draw };
}

/** Where a group meets, in words: "Table 4", "Call 5", or "Table 3, with a call" (mixed). */
export function whereText(group) {
  if (group.mode === "remote" || group.table === null || group.table === undefined) return t("net.callOf", { table: group.number });
  return group.call ? t("net.mixedAt", { table: group.table }) : t("net.table", { table: group.table });
}
