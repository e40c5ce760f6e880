// The server clock as this device estimates it: offset = server now - (t0 + t1) / 2 of a round
// trip sent at t0 and answered at t1. The round trip with the smallest delay gives the best
// estimate; an older best is replaced after a few samples, so a clock that drifts is followed.
// Pure: no DOM, no socket (unit-tested in tests/client/clock.test.mjs).

const KEEP_BEST_FOR = 5;  // samples a best round trip stays the reference before any may replace it

export class ClockOffset {
  constructor() {
    this.offset = 0;
    this.bestRtt = Infinity;
    this.age = 0;
  }

  /** Take one round trip into account; true when the offset changed. */
  sample(t0, t1, serverNow) {
    if (!t0 || typeof serverNow !== "number" || t1 < t0) return false;
    const rtt = t1 - t0;
    if (rtt > this.bestRtt && this.age++ <= KEEP_BEST_FOR) return false;
    this.bestRtt = rtt;
    this.age = 0;
    this.offset = serverNow - (t0 + t1) / 2;
    return true;
  }

  /** Start a new series (a new connection): its first sample is taken whatever its delay. */
  restart() {
    this.age = 0;
  }

  /** Server time at local time `local`. */
  at(local) {
    return local + this.offset;
  }
}
