// "Run a forum": the form that creates a forum (POST /api/forums) and then hands out the
// organizer's conductor link, the facilitators' console link, the join code and link, and the
// projector link.

import { api } from "./api.js";
import { errorBox, fill, h, loadJSON, saveJSON, setText } from "./dom.js";
import { LABELS, labelText } from "./forum.js";
import { t } from "./i18n.js";

const CREATED = "hackrooms.created";
const PROJECTORS = "hackrooms.projectors";  // the conductor shows each forum's projector link

export function createForumCard() {
  const card = h("section", { class: "card", "aria-labelledby": "create-title", "data-testid": "create-card" });
  form(card);
  return card;
}

function form(card) {
  const title = h("input", { id: "f-title", type: "text", maxlength: 160, required: true });
  const topic = h("textarea", { id: "f-topic", rows: 2, maxlength: 2000 });
  const label = h("select", { id: "f-label", "aria-describedby": "f-label-hint" },
    LABELS.map((l) => h("option", { value: l }, labelText({ id: l }).name)));
  const labelHint = h("p", { class: "hint", id: "f-label-hint" }, labelText({ id: LABELS[0] }).meaning);
  label.addEventListener("change", () => setText(labelHint, labelText({ id: label.value }).meaning));
  const format = h("select", { id: "f-format", "aria-describedby": "f-format-hint", "data-testid": "format" },
    h("option", { value: "" }, t("create.formatRooms")));
  const formatHint = h("p", { class: "hint", id: "f-format-hint" }, t("create.formatHint"));
  const templates = new Map();
  // The formats on offer (the built-in pilot, then saved ones); rooms only if none can be read.
  api.templates().then((answer) => {
    for (const tpl of answer.templates) {
      templates.set(tpl.id, tpl);
      format.append(h("option", { value: tpl.id }, tpl.name));
    }
  }).catch(() => {});
  const rooms = h("ol", { class: "room-fields" });
  const slot = h("div", { class: "error-slot" });
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, t("create.submit"));
  let counter = 0;

  const renumber = () => {
    [...rooms.children].forEach((li, i) => {
      setText(li._legend, t("create.room", { n: i + 1 }));
      li._remove.hidden = rooms.children.length === 1;
      li._remove.setAttribute("aria-label", t("create.removeRoom", { n: i + 1 }));
    });
  };
  const addRoom = () => {
    counter += 1;
    const n = counter;
    const legend = h("legend", {});
    const remove = h("button", { type: "button", class: "btn btn-small btn-quiet", onclick: () => { li.remove(); renumber(); } }, "✕");
    const li = h("li", {}, h("fieldset", { class: "room-field" }, legend,
      h("div", { class: "field" }, h("label", { for: `r-title-${n}` }, t("create.roomTitle")),
        h("input", { id: `r-title-${n}`, type: "text", maxlength: 120, required: true, class: "room-title-input" })),
      h("div", { class: "field" }, h("label", { for: `r-challenge-${n}` }, t("create.challenge")),
        h("textarea", { id: `r-challenge-${n}`, rows: 2, maxlength: 4000, class: "room-challenge-input" })),
      remove));
    li._legend = legend;
    li._remove = remove;
    rooms.append(li);
    renumber();
    return li;
  };
  addRoom();

  const roomsPart = h("div", { class: "stack" }, rooms,
    h("div", { class: "row" }, h("button", { type: "button", class: "btn", onclick: () => addRoom().querySelector("input").focus() }, t("create.addRoom"))));
  const agenda = h("p", { class: "hint", "data-testid": "format-agenda", hidden: true });
  format.addEventListener("change", () => {
    const tpl = templates.get(format.value);
    roomsPart.hidden = Boolean(tpl);
    // Hidden room fields must not block the form: required applies to the visible ones only.
    roomsPart.querySelectorAll("input").forEach((input) => { input.required = !tpl; });
    agenda.hidden = !tpl;
    if (tpl) {
      setText(agenda, t("create.formatSessions", { sessions: tpl.sessions.map((s) => s.title).join(" → ") }));
      if (!topic.value.trim()) topic.value = tpl.topic;
      label.value = tpl.label;
      label.dispatchEvent(new Event("change"));
    }
  });
  const el = h("form", { class: "stack", "data-testid": "create-form" },
    h("div", { class: "field" }, h("label", { for: "f-title" }, t("create.forumTitle")), title),
    h("div", { class: "field" }, h("label", { for: "f-topic" }, t("create.topic")), topic),
    h("div", { class: "field" }, h("label", { for: "f-label" }, t("create.label")), labelHint, label),
    h("div", { class: "field" }, h("label", { for: "f-format" }, t("create.format")), formatHint, format, agenda),
    roomsPart,
    slot, h("div", { class: "row" }, submit));
  el.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!el.reportValidity()) return;
    submit.disabled = true;
    setText(submit, t("create.creating"));
    try {
      const body = { title: title.value.trim(), topic: topic.value.trim(), label: label.value };
      if (templates.has(format.value)) {
        body.template = format.value;
      } else {
        body.rooms = [...rooms.children].map((li) => ({
          title: li.querySelector(".room-title-input").value.trim(),
          challenge: li.querySelector(".room-challenge-input").value.trim(),
        }));
      }
      const made = await api.createForum(body);
      remember(made);
      done(card, made);
    } catch (failure) {
      fill(slot, errorBox(failure));
      submit.disabled = false;
      setText(submit, t("create.submit"));
    }
  });
  fill(card, h("h2", { id: "create-title" }, t("create.title")), h("p", {}, t("create.intro")), el, createdList());
}

function remember(made) {
  const list = loadJSON(CREATED, []);
  list.unshift({ title: made.forum.title, url: made.organizer.url, code: made.join.code });
  saveJSON(CREATED, list.slice(0, 10));
  saveJSON(PROJECTORS, { ...loadJSON(PROJECTORS, {}), [made.forum.id]: made.observer.url });
}

function createdList() {
  const list = loadJSON(CREATED, []);
  if (!list.length) return null;
  return h("details", { class: "created" }, h("summary", {}, t("create.yours")),
    h("ul", {}, list.map((f) => h("li", {}, h("a", { href: f.url }, f.title), ` (${f.code})`))));
}

function copyRow(id, label, value, testid) {
  const input = h("input", { id, type: "text", readonly: true, value, "data-testid": testid, class: "input-link" });
  const button = h("button", { type: "button", class: "btn btn-small", onclick: async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      input.select();
      document.execCommand?.("copy");
    }
    setText(button, t("create.copied"));
  } }, t("create.copy"));
  return h("div", { class: "field" }, h("label", { for: id }, label), h("div", { class: "row row-nowrap" }, input, button));
}

function done(card, made) {
  const projector = copyRow("l-proj", t("create.projector"), made.observer.url, "projector-link");
  const heading = h("h2", { id: "create-title", tabindex: "-1" }, t("create.doneTitle"));
  fill(card, heading,
    h("p", {}, t("create.doneIntro")),
    h("div", { class: "join-code-box" }, h("p", { class: "eyebrow" }, t("create.joinCode")),
      h("p", { class: "join-code", "data-testid": "join-code" }, made.join.code)),
    copyRow("l-org", t("create.organizerLink"), made.organizer.url, "organizer-link"),
    h("p", {}, h("a", { class: "btn btn-primary", href: made.organizer.url, "data-testid": "open-conductor" }, t("create.openConductor"))),
    copyRow("l-fac", t("create.facilitatorLink"), made.facilitator.url, "facilitator-link"),
    copyRow("l-join", t("create.joinLink"), made.join.url, "join-link"),
    projector,
    h("p", {}, h("button", { type: "button", class: "btn", onclick: () => form(card) }, t("create.another"))));
  heading.focus();
}
