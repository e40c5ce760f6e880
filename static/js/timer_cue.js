// The cue when the room timer runs out: a visual one on every screen while the time is up (the
// timer box flashes and says so), and a short beep made with Web Audio (no sound file), which
// each device may mute. The choice is remembered per device (localStorage), per kind of screen.

import { h, loadJSON, saveJSON } from "./dom.js";
import { t } from "./i18n.js";

const KEY = "hackrooms.timerSound";

/** Whether this device plays the sound on this kind of screen (default: `byDefault`). */
export function soundOn(screen, byDefault) {
  const saved = loadJSON(KEY, {});
  return typeof saved[screen] === "boolean" ? saved[screen] : byDefault;
}

function remember(screen, on) {
  saveJSON(KEY, { ...loadJSON(KEY, {}), [screen]: on });
}

let audio = null;

/** Three short beeps (880 Hz); browsers allow it after the person touched the page once. */
function beep() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return false;
  audio ||= new Context();
  if (audio.state === "suspended") audio.resume();
  const start = audio.currentTime + 0.05;
  for (let i = 0; i < 3; i += 1) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, start + i * 0.4);
    gain.gain.exponentialRampToValueAtTime(0.3, start + i * 0.4 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.4 + 0.3);
    osc.connect(gain).connect(audio.destination);
    osc.start(start + i * 0.4);
    osc.stop(start + i * 0.4 + 0.32);
  }
  return true;
}

/**
 * The cue of `box` (a timer widget): `data-cue="on"` on the box while the time is up, and a
 * "Sound when time is up" switch. `screen` names the kind of screen the choice is kept for.
 */
export function timerCue(conn, box, { screen = "participant", sound = false } = {}) {
  const id = `timer-sound-${Math.random().toString(36).slice(2, 8)}`;
  const input = h("input", { type: "checkbox", id, "data-testid": "timer-sound" });
  input.checked = soundOn(screen, sound);
  input.addEventListener("change", () => {
    remember(screen, input.checked);
    if (input.checked && audio?.state === "suspended") audio.resume();
  });
  const banner = h("p", { class: "timer-cue", "data-testid": "timer-cue", role: "status", hidden: true }, t("timer.cue"));
  const draw = () => {
    const up = conn.state?.timer.status === "expired";
    box.dataset.cue = up ? "on" : "off";
    banner.hidden = !up;
  };
  conn.addEventListener("state", draw);
  conn.addEventListener("event", (e) => {
    if (e.detail.name !== "timer.expired") return;
    draw();
    // Only the live expiry sounds: a page opened later shows the cue, silently.
    const fresh = conn.now() - e.detail.at < 5000;  // not one replayed on a late resume
    if (fresh && input.checked && box.isConnected && beep()) box.dataset.sound = String(Number(box.dataset.sound || 0) + 1);
  });
  draw();
  return h("div", { class: "timer-cue-wrap" }, banner,
    h("div", { class: "choice timer-sound" }, input, h("label", { for: id }, t("timer.sound"))));
}
