// The conductor's rooms mix (data-slot="room-mix"): per room of a hackathon session its
// headcount and capacity, its mix of sectors, countries and on site / remote (in words and
// numbers), who is in it, and the people with no room; "Balance rooms" with the people online
// now (the hall's presence roster), and a move of any one person to another room.
//
// Everything comes from the hall's replica (hall_assignment.js) and its presence: the mix is
// recomputed from the members' profiles, so it stays right when a profile changes.

import { request } from "./api.js";
import { fill, h, setText, syncList } from "./dom.js";
import { mixOf, sessionRooms, unassigned } from "./hall_assignment.js";
import { compareText, t } from "./i18n.js";
import { headcountText } from "./rooms_picker.js";

export const BALANCE_ORIGIN = "room-balance";
export const MOVE_ORIGIN = "room-move";

let vocabulary = null;  // sector and country names of the server, once
async function loadVocabulary() {
  try {
    const v = await request("GET", "/api/vocabulary");
    vocabulary = { sector: new Map(v.sectors.map((o) => [o.id, o.label])), country: new Map(v.countries.map((o) => [o.id, o.label])) };
  } catch {
    vocabulary = null;  // ids are shown instead; the mix is still right
  }
}

function valueName(key, id) {
  if (key === "attendance") return t(`mix.attendance.${id}`);
  return vocabulary?.[key]?.get(id) || id;
}

/** "Rescue and emergency service 2, Municipality 1": most common first, then by name. */
function countsText(key, counts) {
  const rows = [...counts].map(([id, n]) => [valueName(key, id), n]);
  rows.sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
  return rows.length ? rows.map(([name, n]) => `${name} ${n}`).join(", ") : t("mix.none");
}

export class RoomMix {
  /** `sessionOf()`: the hackathon session to show unless the organizer chose one. */
  constructor(hall, errors, sessionOf) {
    this.hall = hall;
    this.errors = errors;
    this.sessionOf = sessionOf;
    this.chosen = null;
    this.choose = h("select", { id: "mix-session" });
    this.choose.addEventListener("change", () => {
      this.chosen = this.choose.value || null;
      this.render();
    });
    this.chooseField = h("div", { class: "field mix-session" }, h("label", { for: "mix-session" }, t("mix.session")), this.choose);
    this.online = h("p", { class: "mix-online", "data-testid": "mix-online" });
    this.keep = h("input", { type: "checkbox", id: "mix-keep", checked: true });
    this.balance = h("button", { type: "button", class: "btn btn-primary btn-small", "data-testid": "balance",
      onclick: () => this.sendBalance() }, t("mix.balance"));
    this.rooms = h("div", { class: "mix-rooms", "data-testid": "mix-rooms" });
    this.spare = h("ul", { class: "mix-people", "data-testid": "unassigned" });
    this.spareHead = h("h3", { class: "mix-h" });
    this.note = h("p", { class: "hint" });
    this.el = h("div", { class: "mix", "data-slot": "room-mix", "data-testid": "room-mix" },
      h("h3", { class: "mix-h" }, t("mix.title")), this.chooseField, this.note, this.online,
      h("div", { class: "row mix-balance" }, this.balance,
        h("span", { class: "choice" }, this.keep, h("label", { for: "mix-keep" }, t("mix.keep")))),
      errors.slot(BALANCE_ORIGIN), this.rooms, this.spareHead, this.spare, errors.slot(MOVE_ORIGIN));
    hall.addEventListener("presence", () => this.render());
    loadVocabulary().then(() => this.render());
  }

  session() {
    const list = this.hall.state?.agenda.sessions.filter((x) => x.kind === "hackathon") || [];
    return list.find((x) => x.id === this.chosen) || this.sessionOf() || null;
  }

  /** Who is online now and a member of the hall: the people a balance places. */
  present() {
    const s = this.hall.state;
    return [...this.hall.roster.keys()].filter((id) => s.members.has(id));
  }

  sendBalance() {
    const x = this.session();
    if (!x) return;
    this.errors.clear(BALANCE_ORIGIN);
    this.hall.send("assignment.balance", { session: x.id, present: this.present(), keep_picks: this.keep.checked }, BALANCE_ORIGIN);
  }

  move(member, room) {
    this.errors.clear(MOVE_ORIGIN);
    this.hall.send("assignment.move", { member, room }, MOVE_ORIGIN);
  }

  render() {
    const s = this.hall.state;
    if (!s) return;
    const hackathons = s.agenda.sessions.filter((x) => x.kind === "hackathon");
    const x = this.session();
    this.drawChoice(hackathons, x);
    this.el.hidden = !x;
    if (!x) return;
    setText(this.note, x.id === s.agenda.now ? t("mix.now") : t("mix.later"));
    const rooms = sessionRooms(s, x);
    const online = this.present().length;
    setText(this.online, t("mix.online", { count: online, members: s.members.size }));
    const waiting = this.hall.pending().some((e) => e.name === "assignment.balance");
    this.balance.disabled = waiting;
    setText(this.balance, waiting ? t("mix.balancing") : t("mix.balance"));
    syncList(this.rooms, rooms, (r) => r.id, (r) => this.roomBlock(r), (el, r) => this.drawRoom(el, r, rooms));
    const spare = unassigned(s, x);
    setText(this.spareHead, t("mix.unassigned", { count: spare.length }));
    syncList(this.spare, spare, (m) => m.id, (m) => this.personRow(m), (li, m) => this.drawPerson(li, m, null, rooms));
    this.errors.render();
  }

  drawChoice(hackathons, x) {
    this.chooseField.hidden = hackathons.length < 2;
    const key = hackathons.map((y) => `${y.id}=${y.title}`).join("|");
    if (this.choose.dataset.key !== key) {
      fill(this.choose, hackathons.map((y) => h("option", { value: y.id }, y.title)));
      this.choose.dataset.key = key;
    }
    if (x && document.activeElement !== this.choose) this.choose.value = x.id;
  }

  roomBlock(r) {
    const title = h("h4", { class: "mix-room-title", id: `mix-h-${r.id}` });
    const count = h("p", { class: "mix-count", "data-testid": "mix-count" });
    const attendance = h("p", { class: "mix-line", "data-testid": "mix-attendance" });
    const sectors = h("p", { class: "mix-line", "data-testid": "mix-sectors" });
    const countries = h("p", { class: "mix-line", "data-testid": "mix-countries" });
    const people = h("ul", { class: "mix-people", "data-testid": "mix-people" });
    const el = h("section", { class: "mix-room", "data-room": r.id, "data-testid": "mix-room", "aria-labelledby": title.id },
      title, count, attendance, sectors, countries, people);
    Object.assign(el, { _title: title, _count: count, _attendance: attendance, _sectors: sectors, _countries: countries, _people: people });
    return el;
  }

  drawRoom(el, r, rooms) {
    const s = this.hall.state;
    const ids = r.members.map((m) => m.id);
    const mix = mixOf(s, ids);
    setText(el._title, r.title);
    setText(el._count, headcountText(r));
    el.dataset.full = r.full ? "true" : "false";
    const on = mix.attendance.get("onsite") || 0;
    const off = mix.attendance.get("remote") || 0;
    setText(el._attendance, t("mix.attendance", { onsite: on, remote: off }));
    setText(el._sectors, t("mix.sectors", { list: countsText("sector", mix.sector) }));
    setText(el._countries, t("mix.countries", { list: countsText("country", mix.country) }));
    const people = r.members.map((m) => ({ ...(s.members.get(m.id) || { id: m.id, name: m.id }), how: m.how }))
      .sort((a, b) => compareText(a.name, b.name));
    syncList(el._people, people, (m) => m.id, (m) => this.personRow(m), (li, m) => this.drawPerson(li, m, r.id, rooms));
  }

  personRow(m) {
    const name = h("span", { class: "mix-name" });
    const how = h("span", { class: "hint mix-how" });
    const select = h("select", { class: "mix-move" });
    select.addEventListener("change", () => {
      if (select.value && select.value !== select.dataset.room) this.move(m.id, select.value);
      select.value = select.dataset.room;  // the hall's event moves the person, or the error says why not
    });
    const li = h("li", { class: "mix-person", "data-member": m.id }, name, " ", how, select);
    Object.assign(li, { _name: name, _how: how, _select: select });
    return li;
  }

  drawPerson(li, m, roomId, rooms) {
    setText(li._name, m.name);
    const profile = [m.attendance ? t(`mix.attendance.${m.attendance}`) : "", m.how ? t(`mix.how.${m.how}`) : ""].filter(Boolean);
    setText(li._how, profile.length ? `(${profile.join(", ")})` : "");
    const select = li._select;
    select.setAttribute("aria-label", t("mix.moveLabel", { name: m.name }));
    const key = `${roomId}|${rooms.map((r) => `${r.id}=${r.title}`).join("|")}`;
    if (select.dataset.key !== key) {
      const options = roomId ? [] : [h("option", { value: "" }, t("mix.choose"))];
      for (const r of rooms) options.push(h("option", { value: r.id }, r.id === roomId ? t("mix.inRoom", { room: r.title }) : t("mix.moveTo", { room: r.title })));
      fill(select, options);
      select.dataset.key = key;
    }
    select.dataset.room = roomId || "";
    if (document.activeElement !== select) select.value = roomId || "";
  }
}
