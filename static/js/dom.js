// Small DOM helpers. Text is always set with textContent or text nodes: what people type is
// never parsed as HTML.

import { t, has } from "./i18n.js";

/** Build an element: h("button", {class: "btn", onclick: fn}, "text", child, ...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (name === "class") {
      el.className = value;
    } else if (name === "dataset") {
      Object.assign(el.dataset, value);
    } else if (name === "text") {
      el.textContent = value;
    } else if (name in el && typeof value !== "string") {
      el[name] = value;
    } else {
      el.setAttribute(name, value === true ? "" : value);
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace all children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Set text only when it changed (keeps screen readers and selections calm). */
export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

export function show(el, visible) {
  el.hidden = !visible;
}

/**
 * Keep the children of `container` in step with `items`, reusing the element of each key so
 * that focus, open details and half-typed text survive updates.
 */
export function syncList(container, items, keyOf, create, update) {
  const existing = new Map();
  for (const child of container.children) {
    if (child.dataset.key !== undefined) existing.set(child.dataset.key, child);
  }
  let cursor = container.firstElementChild;
  const keep = new Set();
  for (const item of items) {
    const key = String(keyOf(item));
    keep.add(key);
    let el = existing.get(key);
    if (!el) {
      el = create(item);
      el.dataset.key = key;
    }
    update(el, item);
    if (el !== cursor) container.insertBefore(el, cursor);
    else cursor = cursor.nextElementSibling;
  }
  for (const [key, el] of existing) if (!keep.has(key)) el.remove();
}

let liveTimer = null;
/** Announce a sentence to screen readers through the page's polite live region. */
export function announce(message) {
  const region = document.getElementById("announcer");
  if (!region) return;
  clearTimeout(liveTimer);
  region.textContent = "";
  // A fresh text node after a tick makes screen readers read it even if it repeats.
  liveTimer = setTimeout(() => { region.textContent = message; }, 50);
}

/** A friendly sentence for a server error code, with the server's own words as the detail. */
export function errorText(code) {
  const key = `error.${code}`;
  return has(key) ? t(key) : t("error.http");
}

/** An error message element: friendly text plus the server's message as detail. */
export function errorBox(error, onDismiss) {
  const box = h("div", { class: "error", role: "alert" },
    h("p", { class: "error-text" }, errorText(error.code)));
  if (error.message) {
    // Said once, plainly: the server's own words are there for whoever asks, folded away
    // when the catalogue has a sentence for the code.
    const detail = h("p", { class: "error-detail" }, t("error.detail", { message: error.message }));
    box.append(has(`error.${error.code}`)
      ? h("details", { class: "error-more" }, h("summary", {}, t("error.more")), detail) : detail);
  }
  if (onDismiss) {
    box.append(h("button", { type: "button", class: "btn btn-small btn-quiet", onclick: onDismiss }, t("error.dismiss")));
  }
  return box;
}

/** Format ms as m:ss (or h:mm:ss), rounding up so 0:00 appears only when time is up. */
export function formatClock(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const hours = Math.floor(total / 3600);
  const ss = String(s).padStart(2, "0");
  if (hours > 0) return `${hours}:${String(m).padStart(2, "0")}:${ss}`;
  return `${String(m).padStart(2, "0")}:${ss}`;
}

/** A random operation id (works without a secure context, unlike crypto.randomUUID). */
export function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Read the URL fragment (#token=...&room=...) as a map. */
export function fragment() {
  return new URLSearchParams(location.hash.replace(/^#/, ""));
}

export function storage() {
  try {
    localStorage.setItem("hackrooms.probe", "1");
    localStorage.removeItem("hackrooms.probe");
    return localStorage;
  } catch {
    const memory = new Map();
    return {
      getItem: (k) => (memory.has(k) ? memory.get(k) : null),
      setItem: (k, v) => memory.set(k, String(v)),
      removeItem: (k) => memory.delete(k),
    };
  }
}

export function loadJSON(key, fallback) {
  try {
    const raw = storage().getItem(key);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

export function saveJSON(key, value) {
  storage().setItem(key, JSON.stringify(value));
}
