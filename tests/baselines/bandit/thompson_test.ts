import assert from "node:assert/strict";
import { thompsonBandit } from "../../../src/baselines/bandit/thompson.ts";
import { fixedTasks, runBaseline, secondArmRate, thompsonOnOneZero } from "./_run.ts";

Deno.test("thompsonBandit matches the exact expected return on arms (1, 0)", () => {
  const n = 20;
  const { mean, se } = runBaseline(thompsonBandit, {}, fixedTasks([1, 0], 4000), n);
  const expected = thompsonOnOneZero(n);
  assert.ok(n - 3 < expected && expected < n - 1, `reference ${expected}`);
  assert.ok(Math.abs(mean - expected) < 4 * se, `mean ${mean} ± ${se}, expected ${expected}`);
});

Deno.test("thompsonBandit pulls an arm with its posterior probability of being best", () => {
  // Beta(2,1) against Beta(1,1): P(second is larger) = ∫ 2y (1 − y) dy = 1/3.
  const draws = 6000;
  const rate = secondArmRate(thompsonBandit, {}, draws);
  assert.ok(Math.abs(rate - 1 / 3) < 4 * Math.sqrt((2 / 9) / draws), `rate ${rate}`);
});
