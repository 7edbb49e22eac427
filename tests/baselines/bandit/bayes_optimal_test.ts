import assert from "node:assert/strict";
import { bayesOptimalBandit } from "../../../src/baselines/bandit/bayes_optimal.ts";
import { banditBayesValues } from "../../../src/baselines/bandit/bayes_values.ts";
import { gittinsBandit } from "../../../src/baselines/bandit/gittins.ts";
import { banditFamily } from "../../../src/envs/bandit.ts";
import { fixedTasks, runBaseline, sampledTasks } from "./_run.ts";

Deno.test("bayesOptimalBandit earns its exact expected return on tasks of the paper's distribution", () => {
  for (const k of [5, 10]) {
    const { mean, se } = runBaseline(bayesOptimalBandit, {}, sampledTasks(k, 20000, 40 + k), 10);
    const exact = banditBayesValues(k, 10).trial;
    assert.ok(Math.abs(mean - exact) < 4 * se, `k = ${k}: ${mean} ± ${se} vs ${exact}`);
  }
});

Deno.test("bayesOptimalBandit earns at least Gittins on the same tasks", () => {
  // The exact optimum in expectation; paired on 20,000 tasks, Gittins (γ 0.9) is below it.
  const tasks = sampledTasks(5, 20000, 77);
  const best = runBaseline(bayesOptimalBandit, {}, tasks, 10).returns;
  const gittins = runBaseline(gittinsBandit, {}, tasks, 10).returns;
  const diffs = best.map((r, i) => r - gittins[i]!);
  const mean = diffs.reduce((s, d) => s + d, 0) / diffs.length;
  const sd = Math.sqrt(diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / (diffs.length - 1));
  assert.ok(mean > -2 * sd / Math.sqrt(diffs.length), `${mean} (sd ${sd})`);
});

Deno.test("bayesOptimalBandit stays on an arm that pays and leaves one that does not", () => {
  // Arms (1, 0): the first pull is a coin toss between them; after it the agent keeps arm 0
  // (it paid) or moves to it (arm 1 failed, arm 0 is untried), so it loses at most one pull.
  const n = 10;
  const { returns } = runBaseline(bayesOptimalBandit, {}, fixedTasks([1, 0], 200), n);
  for (const r of returns) assert.ok(r === n || r === n - 1, `return ${r}`);
  assert.ok(returns.some((r) => r === n) && returns.some((r) => r === n - 1));
});

Deno.test("bayesOptimalBandit refuses trials longer than it solves", () => {
  assert.throws(
    () => bayesOptimalBandit.create({}, banditFamily({ arms: 5 }), 100),
    /at most 20 pulls per trial, got 100/,
  );
});
