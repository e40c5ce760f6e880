// The few browser globals static/js/connection.js touches, for Node: location, localStorage and
// a WebSocket whose far end the test plays (open it, deliver server messages, read what was sent).

export const sockets = [];

export class FakeSocket {
  static OPEN = 1;

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.closed = null;
    sockets.push(this);
  }

  send(text) {
    this.sent.push(JSON.parse(text));
  }

  close(code, reason) {
    this.closed = { code, reason };
    this.readyState = 3;
  }

  /** The server accepts the socket: the client sends its hello. */
  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }

  deliver(message) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  /** The messages of `type` the client sent. */
  of(type) {
    return this.sent.filter((m) => m.type === type);
  }
}

class MemoryStorage {
  constructor() { this.items = new Map(); }
  getItem(k) { return this.items.has(k) ? this.items.get(k) : null; }
  setItem(k, v) { this.items.set(k, String(v)); }
  removeItem(k) { this.items.delete(k); }
  clear() { this.items.clear(); }
}

globalThis.location = { protocol: "http:", host: "hackrooms.test" };
globalThis.localStorage = new MemoryStorage();
globalThis.WebSocket = FakeSocket;

/** A fresh device: no sockets, empty storage. */
export function resetDevice() {
  sockets.length = 0;
  globalThis.localStorage.clear();
}
