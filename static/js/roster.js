// Who is in the room, for its facilitators: everyone who has entered it (the room's members),
// on site or remote, and whether they are online now (the presence roster, which only staff
// receive). Online people first, then by name.

import { h, setText, syncList } from "./dom.js";
import { t } from "./i18n.js";

/** A card listing the room's people; redraws itself on the connection's state and presence. */
export function rosterCard(conn, roomId) {
  const summary = h("p", { class: "roster-summary", "data-testid": "roster-summary" });
  const list = h("ul", { class: "roster", "data-testid": "roster" });
  const el = h("section", { class: "card roster-card", "aria-labelledby": `roster-${roomId}` },
    h("h3", { id: `roster-${roomId}` }, t("roster.title")), summary, list);
  const draw = () => {
    const s = conn.state;
    if (!s) return;
    const online = conn.roster || new Map();
    // The member profile is the newest (a changed profile arrives as member.joined).
    const people = [...s.members.values()].map((m) => ({ ...(online.get(m.id) || {}), ...m, online: online.has(m.id) }));
    for (const [id, entry] of online) if (!s.members.has(id)) people.push({ ...entry, online: true });
    people.sort((a, b) => Number(b.online) - Number(a.online) || String(a.name).localeCompare(String(b.name)));
    setText(summary, t("roster.summary", { online: people.filter((p) => p.online).length, count: people.length }));
    syncList(list, people, (p) => p.id, () => {
      const li = h("li", { class: "roster-person" });
      li._name = h("span", { class: "roster-name" });
      li._how = h("span", { class: "roster-how" });
      li._state = h("span", { class: "badge roster-state" });
      li.append(li._name, " ", li._how, " ", li._state);
      return li;
    }, (li, p) => {
      li.dataset.online = String(p.online);
      setText(li._name, p.name || t("ideas.unknownAuthor"));
      setText(li._how, p.attendance ? `· ${t(`join.attendance.${p.attendance}`)}` : "");
      setText(li._state, p.online ? `● ${t("roster.online")}` : `○ ${t("roster.away")}`);
    });
  };
  conn.addEventListener("state", draw);
  conn.addEventListener("presence", draw);
  draw();
  return el;
}
