import assert from "node:assert/strict";
import { BetaCounts } from "../../../src/baselines/bandit/beta_counts.ts";

Deno.test("BetaCounts starts at one success and one failure per arm and counts pulls", () => {
  const c = new BetaCounts(3);
  for (let arm = 0; arm < 3; arm++) {
    assert.equal(c.mean(arm), 0.5);
    assert.equal(c.count(arm), 2);
  }
  c.update(1, 1);
  c.update(1, 1);
  c.update(1, 0);
  c.update(2, 0);
  assert.equal(c.mean(1), 3 / 5); // (1 + 2 successes) / (2 + 3 pulls)
  assert.equal(c.count(1), 5);
  assert.equal(c.mean(2), 1 / 3);
  assert.equal(c.mean(0), 0.5);
  assert.equal(c.pulls, 4);
});

Deno.test("BetaCounts.reset() forgets every pull", () => {
  const c = new BetaCounts(2);
  c.update(0, 1);
  c.update(1, 0);
  c.reset();
  assert.deepEqual([...c.alpha, ...c.beta, c.pulls], [1, 1, 1, 1, 0]);
});

Deno.test("BetaCounts.update() rejects an arm out of range", () => {
  assert.throws(() => new BetaCounts(2).update(2, 1), /out of range/);
});
