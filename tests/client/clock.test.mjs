// static/js/clock.js: the server clock offset from round trips.
import { test } from "node:test";
import assert from "node:assert/strict";

import { ClockOffset } from "../../static/js/clock.js";

test("the offset is the server time minus the middle of the round trip", () => {
  const c = new ClockOffset();
  assert.ok(c.sample(1000, 1100, 5050));
  assert.equal(c.offset, 4000);
  assert.equal(c.at(2000), 6000);
});

test("a slower round trip does not replace a faster one", () => {
  const c = new ClockOffset();
  c.sample(1000, 1020, 2010);  // rtt 20: offset 1000
  assert.equal(c.sample(3000, 3400, 5000), false);  // rtt 400: worse, ignored
  assert.equal(c.offset, 1000);
  assert.ok(c.sample(6000, 6010, 7105));  // rtt 10: better
  assert.equal(c.offset, 1100);
});

test("after a few slower samples the best is renewed, so drift is followed", () => {
  const c = new ClockOffset();
  c.sample(1000, 1010, 2005);
  let changed = false;
  for (let i = 0; i < 7 && !changed; i += 1) changed = c.sample(2000 + i * 100, 2050 + i * 100, 9000);
  assert.ok(changed);
  assert.notEqual(c.offset, 1000);
});

test("a sample without a server time or with time running backwards is ignored", () => {
  const c = new ClockOffset();
  assert.equal(c.sample(1000, 1100, undefined), false);
  assert.equal(c.sample(1000, 900, 5000), false);
  assert.equal(c.sample(0, 100, 5000), false);
  assert.equal(c.offset, 0);
});
