// A form's problems next to the field they are about, said once: the message sits under the
// field, the field is aria-invalid and names the message in aria-describedby, and it goes
// as soon as the field is changed.

import { h, setText } from "./dom.js";

/** Show `message` on `field` (an input, select or fieldset); `anchor` is where it goes after. */
export function showFieldError(field, message, anchor = field) {
  const id = `${field.id || field.name}-error`;
  let note = document.getElementById(id);
  if (!note) {
    note = h("p", { class: "field-error", id, "data-testid": "field-error" });
    anchor.after(note);
  }
  setText(note, message);
  for (const control of controls(field)) {
    control.setAttribute("aria-invalid", "true");
    const described = new Set((control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean));
    described.add(id);
    control.setAttribute("aria-describedby", [...described].join(" "));
  }
  const clear = () => clearFieldError(field);
  field.addEventListener("input", clear, { once: true });
  field.addEventListener("change", clear, { once: true });
}

export function clearFieldError(field) {
  const id = `${field.id || field.name}-error`;
  document.getElementById(id)?.remove();
  for (const control of controls(field)) {
    control.removeAttribute("aria-invalid");
    const rest = (control.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && x !== id);
    if (rest.length) control.setAttribute("aria-describedby", rest.join(" "));
    else control.removeAttribute("aria-describedby");
  }
}

// A group of radios is told through each of its radios (a fieldset takes no aria-invalid).
function controls(field) {
  return field.tagName === "FIELDSET" ? [...field.querySelectorAll("input")] : [field];
}
