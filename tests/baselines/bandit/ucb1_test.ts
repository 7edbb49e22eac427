import assert from "node:assert/strict";
import { Rng } from "../../../src/rng.ts";
import { banditFamily } from "../../../src/envs/bandit.ts";
import { ucb1Bandit } from "../../../src/baselines/bandit/ucb1.ts";
import { fixedTasks, runBaseline } from "./_run.ts";

/** The arm UCB1 pulls second, after arm 0 paid 1 on the first pull. */
function secondPull(c: number): number {
  const family = banditFamily({ arms: 2 });
  const agent = ucb1Bandit.create(ucb1Bandit.params.parse({ c }), family, 10);
  const rng = Rng.derive(1, "ucb1-test");
  agent.beginTrial(rng);
  const obs = new Float32Array(1);
  agent.observe(obs, 0, 1, obs, true);
  return agent.act(obs, rng);
}

Deno.test("ucb1Bandit uses μ̂ + c·sqrt(2 ln t / T) with T including the pseudo-counts", () => {
  // At t = 2: arm 0 is Beta(2,1), T = 3; arm 1 is Beta(1,1), T = 2. By hand:
  // c = 0.2: 2/3 + 0.2·0.6798 = 0.8026 > 1/2 + 0.2·0.8326 = 0.6665, so arm 0.
  // c = 2:   2/3 + 2·0.6798 = 2.0263 < 1/2 + 2·0.8326 = 2.1651, so arm 1.
  // Without pseudo-counts arm 1 (T = 0) would win for every c > 0.
  assert.equal(secondPull(0.2), 0);
  assert.equal(secondPull(2), 1);
});

Deno.test("ucb1Bandit loses at most the first pull on arms (1, 0) with c = 0.2", () => {
  // After arm 1 fails once its bound is ≤ 1/3 + 0.2·sqrt(2 ln 20 / 3) = 0.62 < 2/3 ≤ arm 0's
  // mean once pulled; an unpulled arm 1 (≤ 1/2 + 0.2·sqrt(ln 20) = 0.85) never beats arm 0's
  // (s+1)/(s+2) + bonus for n = 20, so only the first (tied) pull can go wrong.
  const n = 20;
  const { returns, mean, se } = runBaseline(ucb1Bandit, { c: 0.2 }, fixedTasks([1, 0], 2000), n);
  for (const r of returns) assert.ok(r === n || r === n - 1, `return ${r}`);
  assert.ok(Math.abs(mean - (n - 0.5)) < 4 * se, `mean ${mean} ± ${se}`);
});
