import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { kl, softmax } from "../../src/policies/categorical.ts";
import { forwardOutputs } from "../../src/algos/unroll.ts";
import { clippedLossGradient } from "../../src/algos/ppo.ts";
import {
  type FirstOrderTrpoConfig,
  firstOrderTrpoUpdate,
} from "../../src/algos/first_order_trpo.ts";
import { useBackend } from "../_backend.ts";
import { A, B, net, policy, rewardedBatch, T } from "./_rewarded_batch.ts";

const cfg: FirstOrderTrpoConfig = {
  clip: 0.1,
  epochs: 5,
  minibatch_trials: 5,
  learning_rate: 1e-2,
  max_kl: 0.01,
  gradient_clip: 40,
  backtrack_ratio: 0.5,
  max_backtracks: 10,
  entropy_coeff: 0,
};

const batch = (seed: number) => rewardedBatch(seed, "fo-trpo-test", 3);

/** Mean KL(old ‖ new) over the batch's valid steps, from the categorical KL alone. */
function meanKl(params: Float32Array, data: ReturnType<typeof batch>["data"]): number {
  const logits = forwardOutputs(net, params, data, 64);
  const p = new Float64Array(A);
  let sum = 0, n = 0;
  for (let i = 0; i < T * B; i++) {
    if (data.mask[i] === 0) continue;
    softmax(logits, i * A, A, p, 0);
    sum += kl(data.distParams.subarray(i * A, (i + 1) * A), p, 0, A);
    n++;
  }
  return sum / n;
}

Deno.test("firstOrderTrpoUpdate(): its first Adam step moves every parameter by −lr·sign(∇loss)", async () => {
  await useBackend("cpu");
  const { params, data } = batch(2);
  const lr = 1e-3;
  const one = { ...cfg, epochs: 1, minibatch_trials: B, learning_rate: lr, max_kl: 1 };
  const out = firstOrderTrpoUpdate(policy, params, data, one, Rng.derive(2, "mb"), 64);
  // Adam's first step is lr·g/(|g| + ε'): the sign of the clipped loss's gradient, which
  // tests/algos/ppo_test.ts checks against central differences.
  const grad = clippedLossGradient(policy, params, data, { clip: 0.1, entropy_coeff: 0 }, 64);
  let checked = 0;
  for (let i = 0; i < net.size; i++) {
    if (Math.abs(grad[i]!) < 1e-4) continue;
    const step = out.params[i]! - params[i]!;
    assert.ok(Math.abs(step + lr * Math.sign(grad[i]!)) < 2e-2 * lr, `parameter ${i}: ${step}`);
    checked++;
  }
  assert.ok(checked > net.size / 2, `only ${checked} of ${net.size} gradients checked`);
  assert.equal(out.optimizer.t, 1);
  assert.equal(out.stats.lineSearchSteps, 0);
  assert.equal(out.stats.stepFraction, 1);
});

Deno.test("firstOrderTrpoUpdate() improves the surrogate within the trust region, inputs untouched", async () => {
  await useBackend("cpu");
  const { params, data } = batch(1);
  const before = params.slice();
  const optimizer = { m: new Float32Array(net.size), v: new Float32Array(net.size), t: 3 };
  const out = firstOrderTrpoUpdate(policy, params, data, cfg, Rng.derive(1, "mb"), 64, optimizer);
  assert.deepEqual(params, before);
  assert.equal(optimizer.t, 3);
  assert.equal(out.optimizer.t, 3 + cfg.epochs * Math.ceil(B / cfg.minibatch_trials));
  assert.ok(out.stats.accepted);
  assert.ok(out.stats.surrogateImprovement > 0, `gain ${out.stats.surrogateImprovement}`);
  const measured = meanKl(out.params, data);
  assert.ok(Math.abs(measured - out.stats.kl) < 1e-6, `KL ${measured} vs ${out.stats.kl}`);
  assert.ok(measured <= cfg.max_kl, `KL ${measured}`);
  const again = firstOrderTrpoUpdate(policy, params, data, cfg, Rng.derive(1, "mb"), 64, optimizer);
  assert.deepEqual(again.params, out.params);
  const other = firstOrderTrpoUpdate(policy, params, data, cfg, Rng.derive(2, "mb"), 64, optimizer);
  assert.notDeepEqual(other.params, out.params);
});

Deno.test("firstOrderTrpoUpdate() backtracks to the first point within the trust region", async () => {
  await useBackend("cpu");
  const { params, data } = batch(4);
  // Large steps leave every epoch outside the region: the last epoch's end is proposed.
  const big = { ...cfg, learning_rate: 0.3, max_kl: 0.002 };
  const out = firstOrderTrpoUpdate(policy, params, data, big, Rng.derive(4, "mb"), 64);
  const k = out.stats.lineSearchSteps;
  assert.ok(k >= 1 && k < big.max_backtracks, `${k} backtracking steps`);
  assert.equal(out.stats.stepFraction, 0.5 ** k);
  assert.ok(meanKl(out.params, data) <= big.max_kl);
  // With one step fewer allowed, the update stops at twice that fraction, outside the region,
  // on the same line from the old parameters.
  const fewer = { ...big, max_backtracks: k - 1 };
  const short = firstOrderTrpoUpdate(policy, params, data, fewer, Rng.derive(4, "mb"), 64);
  assert.equal(short.stats.stepFraction, 2 * out.stats.stepFraction);
  assert.ok(meanKl(short.params, data) > big.max_kl);
  for (let i = 0; i < net.size; i++) {
    const expected = params[i]! + 2 * (out.params[i]! - params[i]!);
    assert.ok(Math.abs(short.params[i]! - expected) < 1e-5, `parameter ${i}`);
  }
});

Deno.test("firstOrderTrpoUpdate() keeps the end of one of its epochs when the region is wide", async () => {
  await useBackend("cpu");
  const { params, data } = batch(6);
  const wide = { ...cfg, max_kl: 100 };
  const out = firstOrderTrpoUpdate(policy, params, data, wide, Rng.derive(6, "mb"), 64);
  assert.equal(out.stats.lineSearchSteps, 0);
  // The same stream with fewer epochs ends at that epoch's end (the orders are drawn in turn).
  const ends = Array.from(
    { length: cfg.epochs },
    (_, e) =>
      firstOrderTrpoUpdate(
        policy,
        params,
        data,
        { ...wide, epochs: e + 1 },
        Rng.derive(6, "mb"),
        64,
      )
        .params,
  );
  assert.ok(ends.some((end) => end.every((p, i) => p === out.params[i])), "not an epoch's end");
});

Deno.test("firstOrderTrpoUpdate() keeps the old parameters and optimiser state when the batch holds NaN", async () => {
  await useBackend("cpu");
  const { params, data } = batch(3);
  data.advantages[0] = NaN;
  const out = firstOrderTrpoUpdate(policy, params, data, cfg, Rng.derive(3, "mb"), 64);
  assert.equal(out.stats.accepted, false);
  assert.deepEqual(out.params, params);
  assert.equal(out.optimizer.t, 0);
});
