import assert from "node:assert/strict";
import { BANDIT_BASELINES } from "../../../src/baselines/bandit/mod.ts";
import { findBaseline } from "../../../src/baselines/registry.ts";
import { randomBandit } from "../../../src/baselines/bandit/random.ts";
import { bayesOptimalBandit } from "../../../src/baselines/bandit/bayes_optimal.ts";
import { banditBayesValues } from "../../../src/baselines/bandit/bayes_values.ts";
import { runBaseline, sampledTasks } from "./_run.ts";

/** RL² paper Table 1, row n = 10, k = 5. */
const PAPER_N10_K5: Record<string, number> = {
  random: 5.0,
  gittins: 6.6,
  thompson: 5.7,
  optimistic_thompson: 6.5,
  ucb1: 6.7,
  epsilon_greedy: 6.6,
  greedy: 6.6,
};

Deno.test("BANDIT_BASELINES holds every Table 1 baseline and the Bayes-optimal agent once, found by the registry", () => {
  const kinds = BANDIT_BASELINES.map((b) => b.kind);
  assert.equal(new Set(kinds).size, kinds.length, `a kind twice: ${kinds}`);
  for (const kind of [...Object.keys(PAPER_N10_K5), "bayes_optimal"]) {
    assert.ok(kinds.includes(kind), kind);
  }
  for (const spec of BANDIT_BASELINES) {
    assert.equal(spec.task, "bandit");
    assert.equal(findBaseline(spec.kind, "bandit"), spec);
  }
});

Deno.test("BANDIT_BASELINES params have defaults and reject unknown keys", () => {
  for (const spec of BANDIT_BASELINES) {
    assert.doesNotThrow(() => spec.params.parse({}), spec.kind);
    assert.throws(() => spec.params.parse({ unknown_key: 1 }), spec.kind);
  }
});

Deno.test("BANDIT_BASELINES agents all beat random on k = 5, n = 10", () => {
  const tasks = sampledTasks(5, 400, 11);
  const random = runBaseline(randomBandit, {}, tasks, 10);
  for (const spec of BANDIT_BASELINES) {
    if (spec === randomBandit) continue;
    const { returns } = runBaseline(spec, {}, tasks, 10);
    const diffs = returns.map((r, i) => r - random.returns[i]!);
    const mean = diffs.reduce((s, d) => s + d, 0) / diffs.length;
    const sd = Math.sqrt(diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / (diffs.length - 1));
    assert.ok(mean > 3 * sd / Math.sqrt(diffs.length), `${spec.kind}: +${mean} (sd ${sd})`);
  }
});

Deno.test("BANDIT_BASELINES agents are deterministic and forget between trials", () => {
  const [a, b, c] = sampledTasks(5, 3, 12);
  for (const spec of BANDIT_BASELINES) {
    // The Bayes-optimal agent is solved for at most 20 pulls.
    const n = spec === bayesOptimalBandit ? 15 : 30;
    const first = runBaseline(spec, {}, [a!, b!], n, 5).returns;
    assert.deepEqual(runBaseline(spec, {}, [a!, b!], n, 5).returns, first, spec.kind);
    // Task 1 sees the same random stream either way; only the trial before it differs.
    const other = runBaseline(spec, {}, [c!, b!], n, 5).returns;
    assert.equal(other[1], first[1], spec.kind);
  }
});

Deno.test("the Table 1 baselines' defaults land within 3% of Table 1 at n = 10, k = 5", () => {
  // 1000 tasks, as in the paper. Thompson sampling is the exception: its expected return here is
  // about 5.85 (20,000-task re-simulations: ours, and 5.83 in
  // docs/protocol.md#re-simulations-of-the-baselines), 2.6% above the paper's 5.7, so a 1000-task
  // sample (standard error about 1.1%) exceeds +3% for about half the seeds. It is held to the
  // re-simulated 5.83 instead. The Bayes-optimal agent, not in the paper, is held to its exact
  // expected return.
  const reference: Record<string, number> = {
    ...PAPER_N10_K5,
    thompson: 5.83,
    bayes_optimal: banditBayesValues(5, 10).trial,
  };
  const tasks = sampledTasks(5, 1000, 2016);
  for (const [kind, want] of Object.entries(reference)) {
    const { mean } = runBaseline(findBaseline(kind, "bandit")!, {}, tasks, 10, 2017);
    assert.ok(Math.abs(mean - want) <= 0.03 * want, `${kind}: ${mean} vs ${want}`);
  }
});
