import assert from "node:assert/strict";
import { greedyBandit } from "../../../src/baselines/bandit/greedy.ts";
import { fixedTasks, runBaseline } from "./_run.ts";

Deno.test("greedyBandit loses at most the first pull on arms (1, 0), half the time", () => {
  // The first pull is a tie broken at random; after one pull of either arm, arm 0 leads forever.
  const n = 10;
  const { returns, mean, se } = runBaseline(greedyBandit, {}, fixedTasks([1, 0], 2000), n);
  for (const r of returns) assert.ok(r === n || r === n - 1, `return ${r}`);
  assert.ok(Math.abs(mean - (n - 0.5)) < 4 * se, `mean ${mean} ± ${se}`);
});
