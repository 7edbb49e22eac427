import assert from "node:assert/strict";
import type { IterationLog, LearnerState } from "../../../src/learners/train.ts";
import { findLearner } from "../../../src/learners/registry.ts";
import {
  checkIteration,
  checkReturns,
  NEGLIGIBLE_KL,
  StallWatch,
} from "../../../src/harness/run/health.ts";

const step: IterationLog = {
  iteration: 7,
  timesteps: 70,
  returnMean: 1,
  returnStd: 0.5,
  kl: 0.01,
  entropy: 1,
  surrogateImprovement: 0.1,
  valueLoss: 2,
  accepted: true,
  explainedVariance: 0.5,
  advantageMean: 0,
  advantageStd: 1,
  gradientNorm: 2,
  diagnostics: { line_search_steps: 1, step_fraction: 1 },
};

function state(): LearnerState {
  return {
    iteration: 7,
    timesteps: 70,
    policy: Float32Array.of(0.1, 0.2, 0.3),
    value: {
      params: Float32Array.of(1, 2),
      adam: { m: new Float32Array(2), v: new Float32Array(2), t: 1 },
      mean: 0,
      std: 1,
    },
  };
}

Deno.test("checkIteration() names the iteration and the first non-finite quantity", () => {
  checkIteration(step, state());
  assert.throws(
    () => checkIteration({ ...step, valueLoss: Infinity }, state()),
    /^NonFiniteError: iteration 7: the value loss is Infinity; /,
  );
  const bad = state();
  bad.policy[2] = NaN;
  assert.throws(() => checkIteration(step, bad), /iteration 7: policy parameter 2 is NaN/);
  const badStd = state();
  badStd.value.std = -Infinity;
  assert.throws(() => checkIteration(step, badStd), /the value target spread is -Infinity/);
  const diagnostics = { line_search_steps: 1, step_fraction: NaN };
  assert.throws(
    () => checkIteration({ ...step, diagnostics }, state()),
    /iteration 7: the update's step fraction is NaN/,
  );
  assert.throws(() => checkReturns(4, [1, 2, NaN]), /iteration 4: the return on evaluation task 2/);
  checkReturns(4, [1, 2, 3]);
});

Deno.test("StallWatch warns once per stretch of iterations without an update", () => {
  const watch = new StallWatch(3);
  const still = (iteration: number, kl = 0, accepted = false) =>
    watch.observe({ iteration, kl, accepted });
  assert.equal(still(1), undefined);
  assert.equal(still(2, NEGLIGIBLE_KL / 2, true), undefined);
  assert.match(still(3)!, /not changed in the last 3 iterations \(1–3\)/);
  assert.equal(still(4), undefined, "said once per stretch");
  assert.equal(still(5, 0.01, true), undefined);
  assert.equal(still(6), undefined);
  assert.equal(still(7), undefined);
  assert.match(still(8)!, /\(6–8\)/);
});

Deno.test("StallWatch names the stalled learner's own settings", () => {
  const hint = (kind: string) => {
    const watch = new StallWatch(1, 0, findLearner(kind)!.stallSettings);
    return watch.observe({ iteration: 1, kl: 0, accepted: false })!;
  };
  assert.match(hint("rl2"), /check trpo\.cg_damping, trpo\.fd_step and trpo\.max_kl$/);
  assert.match(hint("rl2_ppo"), /check ppo\.learning_rate, ppo\.clip and ppo\.max_grad_norm$/);
  assert.doesNotMatch(hint("rl2_ppo"), /cg_damping/);
  assert.match(hint("rl2_fo_trpo"), /check fo_trpo\.learning_rate, .* and fo_trpo\.gradient_clip$/);
});

Deno.test("StallWatch.resume() continues the stretch at the end of progress.csv rows", () => {
  const row = (kl: string) => ["1", "10", "1", "0", kl, "1", "0", "0", "1", "0.1"];
  const watch = StallWatch.resume(3, [row("0.01"), row("0"), row("1e-12")]);
  assert.match(watch.observe({ iteration: 4, kl: 0, accepted: false })!, /\(2–4\)/);
  const fresh = StallWatch.resume(3, [row("0"), row("0.01")]);
  assert.equal(fresh.observe({ iteration: 3, kl: 0, accepted: false }), undefined);
});
