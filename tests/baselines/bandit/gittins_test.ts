import assert from "node:assert/strict";
import { gittinsBandit } from "../../../src/baselines/bandit/gittins.ts";
import { fixedTasks, runBaseline } from "./_run.ts";

Deno.test("gittinsBandit loses at most the first pull on arms (1, 0)", () => {
  // The index rises with successes and falls with failures (checked in gittins_index_test.ts):
  // after one pull, arm 0 (Beta(2,1) or untried) leads arm 1 (untried or Beta(1,2)) forever.
  const n = 20;
  for (const discount of [0.5, 0.9]) {
    const tasks = fixedTasks([1, 0], 2000);
    const { returns, mean, se } = runBaseline(gittinsBandit, { discount, depth: 30 }, tasks, n);
    for (const r of returns) assert.ok(r === n || r === n - 1, `return ${r}`);
    assert.ok(Math.abs(mean - (n - 0.5)) < 4 * se, `mean ${mean} ± ${se}`);
  }
});

Deno.test("gittinsBandit rejects a discount outside (0, 1)", () => {
  assert.throws(() => gittinsBandit.params.parse({ discount: 1 }));
  assert.throws(() => gittinsBandit.params.parse({ discount: 0 }));
});
