import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { gruNetwork } from "../../src/policies/gru.ts";
import { fitValues, predictValues, valueInit } from "../../src/algos/value_baseline.ts";
import { forwardOutputs } from "../../src/algos/unroll.ts";
import type { ValueFitConfig } from "../../src/algos/value_baseline.ts";
import { useBackend } from "../_backend.ts";

const T = 6, B = 16, D = 3;
const net = gruNetwork({ inputDim: D, hidden: 8, outputDim: 1, norm: "weight" });

/** Random inputs whose targets are a learnable function of them (mean 40, spread about 10). */
function problem(seed: number) {
  const rng = Rng.derive(seed, "value-baseline-test");
  const inputs = Float32Array.from({ length: T * B * D }, () => rng.normal());
  const mask = new Float32Array(T * B).fill(1);
  for (let b = 0; b < 4; b++) mask[(T - 1) * B + b] = 0;
  const targets = Float32Array.from({ length: T * B }, (_, i) => 40 + 10 * inputs[i * D]!);
  return { rng, data: { T, B, inputs, mask }, targets };
}

function maskedMoments(x: Float32Array, mask: Float32Array) {
  let n = 0, sum = 0;
  for (let i = 0; i < x.length; i++) if (mask[i] !== 0) (n++, sum += x[i]!);
  let ss = 0;
  for (let i = 0; i < x.length; i++) if (mask[i] !== 0) ss += (x[i]! - sum / n) ** 2;
  return { mean: sum / n, std: Math.sqrt(ss / n) };
}

function meanSquaredError(pred: Float32Array, targets: Float32Array, mask: Float32Array) {
  let n = 0, sse = 0;
  for (let i = 0; i < pred.length; i++) {
    if (mask[i] !== 0) (n++, sse += (pred[i]! - targets[i]!) ** 2);
  }
  return sse / n;
}

const fit = (normalize: boolean): ValueFitConfig => ({
  epochs: 30,
  minibatches: 2,
  learning_rate: 1e-2,
  normalize_targets: normalize,
});

Deno.test("normalised targets: the fit keeps the valid steps' mean and spread, and predicts in return units", async () => {
  await useBackend("cpu");
  const { rng, data, targets } = problem(1);
  const state = valueInit(net, rng);
  const before = meanSquaredError(predictValues(net, state, data, 8), targets, data.mask);
  fitValues(net, state, data, targets, fit(true), rng, 8);
  const moments = maskedMoments(targets, data.mask);
  assert.ok(Math.abs(state.mean - moments.mean) < 1e-9 * Math.abs(moments.mean));
  assert.ok(Math.abs(state.std - moments.std) < 1e-9 * moments.std);
  const after = meanSquaredError(predictValues(net, state, data, 8), targets, data.mask);
  assert.ok(after < 0.2 * moments.std ** 2, `error ${after} vs variance ${moments.std ** 2}`);
  assert.ok(after < before / 10, `error ${before} → ${after}`);
});

Deno.test("raw targets: no scaling is kept, so the prediction is the network's own output", async () => {
  await useBackend("cpu");
  const { rng, data, targets } = problem(2);
  const state = valueInit(net, rng);
  fitValues(net, state, data, targets, fit(false), rng, 8);
  assert.equal(state.mean, 0);
  assert.equal(state.std, 1);
  assert.deepEqual(predictValues(net, state, data, 8), forwardOutputs(net, state.params, data, 8));
});

Deno.test("targets far from 0 are fitted better in the same budget when normalised", async () => {
  await useBackend("cpu");
  const { data, targets } = problem(3);
  const errors = [true, false].map((normalize) => {
    const state = valueInit(net, Rng.derive(3, "same-init"));
    fitValues(net, state, data, targets, fit(normalize), Rng.derive(3, "same-order"), 8);
    return meanSquaredError(predictValues(net, state, data, 8), targets, data.mask);
  });
  assert.ok(errors[0]! < errors[1]! / 4, `normalised ${errors[0]} vs raw ${errors[1]}`);
});

Deno.test("minibatches of a given number of trials, gradients clipped: one Adam step each", async () => {
  await useBackend("cpu");
  const { data, targets } = problem(5);
  const move = (gradient_clip?: number) => {
    const state = valueInit(net, Rng.derive(5, "init"));
    const before = state.params.slice();
    const cfg = {
      ...fit(true),
      epochs: 3,
      minibatch_trials: 5,
      ...(gradient_clip && { gradient_clip }),
    };
    fitValues(net, state, data, targets, cfg, Rng.derive(5, "order"), 64);
    assert.equal(state.adam.t, 3 * Math.ceil(B / 5));
    return Math.max(...state.params.map((p, i) => Math.abs(p - before[i]!)));
  };
  // Entries clipped to ±1e-9, far below Adam's ε, make every step a small fraction of the step
  // size; unclipped, Adam moves some parameter by about the step size per step.
  const unclipped = move(), clipped = move(1e-9);
  assert.ok(unclipped > 3 * 4 * 1e-2 * 0.5, `unclipped ${unclipped}`);
  assert.ok(clipped < 0.2 * unclipped, `clipped ${clipped} vs unclipped ${unclipped}`);
});
