// The participant's room picker of a hackathon session: each room with its title, challenge,
// headcount and capacity, one button to choose it (`assignment.pick`). The hall decides: the
// person is in a room once the hall says so (their `mine`), and a full room is refused with
// `room_full`, shown in the picker's error slot while the choice stays open.

import { h, setText, syncList } from "./dom.js";
import { kindText } from "./forum.js";
import { sessionRooms } from "./hall_assignment.js";
import { t } from "./i18n.js";

export const PICK_ORIGIN = "room-pick";

/** "3 of 5 people", "Full: 5 of 5 people", "3 people (no limit)". */
export function headcountText(room) {
  if (room.capacity === null) return t("rooms.countOpen", { count: room.headcount });
  return t(room.full ? "rooms.countFull" : "rooms.count", { count: room.headcount, capacity: room.capacity });
}

/** A pick of this device still waiting for the hall's answer, or null. */
export function pendingPick(hall) {
  return hall.pending().find((e) => e.name === "assignment.pick") || null;
}

/**
 * The picker of session `x`: `{el, update}`. `mine` is the person's room in the session (the
 * picker is shown again by "Change room"); `onBack` returns to it without asking the hall.
 */
export function roomPicker(hall, errors, x, { onBack }) {
  const list = h("ul", { class: "room-list room-picks" });
  const lead = h("p", { class: "lead" });
  const el = h("section", { class: "card narrow", "aria-labelledby": "rooms-title", "data-testid": "room-picker" },
    h("p", { class: "eyebrow" }, kindText("hackathon")),
    h("h1", { id: "rooms-title" }, t("rooms.title")),
    lead, h("p", {}, t("rooms.pickIntro")), errors.slot(PICK_ORIGIN), list);

  const row = (r) => {
    const heading = h("h2", { class: "room-pick-title", id: `pick-h-${r.id}` });
    const challenge = h("p", { class: "hint room-pick-challenge" });
    const count = h("p", { class: "room-pick-count", id: `pick-n-${r.id}`, "data-testid": "room-count" });
    const button = h("button", { type: "button", class: "btn btn-primary btn-block", "aria-describedby": count.id });
    button.addEventListener("click", () => {
      if (button.dataset.mine) return onBack(r.id);
      errors.clear(PICK_ORIGIN);
      hall.send("assignment.pick", { room: r.id }, PICK_ORIGIN);
      return undefined;
    });
    const li = h("li", { class: "room-pick", "data-room": r.id }, heading, challenge, count, button);
    Object.assign(li, { _heading: heading, _challenge: challenge, _count: count, _button: button });
    return li;
  };

  const update = (session, mine) => {
    const pending = pendingPick(hall);
    setText(lead, session.title);
    syncList(list, sessionRooms(hall.state, session), (r) => r.id, row, (li, r) => {
      setText(li._heading, r.title);
      setText(li._challenge, r.challenge);
      li._challenge.hidden = !r.challenge;
      const yours = r.id === mine;
      setText(li._count, yours ? `${headcountText(r)} · ${t("rooms.yours")}` : headcountText(r));
      li.dataset.full = r.full ? "true" : "false";
      li.classList.toggle("room-pick-mine", yours);
      if (yours) li._button.dataset.mine = "1";
      else delete li._button.dataset.mine;
      const waiting = pending?.args.room === r.id;
      li._button.disabled = Boolean(pending);
      setText(li._button, waiting ? t("rooms.joining", { room: r.title })
        : yours ? t("rooms.back", { room: r.title }) : t("rooms.enter", { room: r.title }));
    });
    errors.render();
  };
  update(x, null);
  return { el, update };
}

/**
 * What to tell a person whose room in the session changed from `before` to `now` (ids; null:
 * none), or null when there is nothing to say. `own` is true when the change answers their pick.
 */
export function roomNotice(session, before, now, own) {
  const title = (id) => session.rooms.find((r) => r.id === id)?.title ?? "";
  if (now === before) return null;
  if (now === null) return before ? t("rooms.notice.removed", { room: title(before) }) : null;
  if (own) return t("rooms.notice.picked", { room: title(now) });
  return before ? t("rooms.notice.moved", { room: title(now) }) : t("rooms.notice.placed", { room: title(now) });
}
