import assert from "node:assert/strict";
import { randomBandit } from "../../../src/baselines/bandit/random.ts";
import { fixedTasks, runBaseline } from "./_run.ts";

Deno.test("randomBandit earns n/2 on arms (1, 0)", () => {
  const n = 10;
  const { mean, se } = runBaseline(randomBandit, {}, fixedTasks([1, 0], 2000), n);
  assert.ok(Math.abs(mean - n / 2) < 4 * se, `mean ${mean} ± ${se}`);
});

Deno.test("randomBandit pulls each of k arms equally often", () => {
  // Arm i pays only on arm i == 2, so the return counts the pulls of that arm: n/k on average.
  const n = 20, k = 4;
  const { mean, se } = runBaseline(randomBandit, {}, fixedTasks([0, 0, 1, 0], 2000), n);
  assert.ok(Math.abs(mean - n / k) < 4 * se, `mean ${mean} ± ${se}`);
});
