import assert from "node:assert/strict";
import {
  episodeReturns,
  fitLinearBaseline,
  linearBaselineAdvantages,
} from "../../src/algos/linear_baseline.ts";

// Two trials (B = 2) of T = 4 steps, observation size 1: trial 0 is two episodes of 2 steps,
// trial 1 one episode of 3 steps and padding.
const T = 4, B = 2;
const data = {
  T,
  B,
  inputs: Float32Array.of(0.1, 0.5, 0.2, 0.6, 0.3, 0.7, 0.4, 0),
  mask: Float32Array.of(1, 1, 1, 1, 1, 1, 1, 0),
  rewards: Float32Array.of(1, 2, 3, 4, 5, 6, 7, 0),
  episodeEnds: Uint8Array.of(0, 0, 1, 0, 0, 1, 1, 0),
};

Deno.test("episodeReturns discounts within each episode only", () => {
  const g = 0.5;
  const r = episodeReturns(data, g);
  // Trial 0: rewards 1, 3 | 5, 7. Trial 1: 2, 4, 6.
  const expected = [1 + g * 3, 2 + g * (4 + g * 6), 3, 4 + g * 6, 5 + g * 7, 6, 7, 0];
  assert.deepEqual([...r].map((x) => +x.toFixed(12)), expected);
});

Deno.test("the linear baseline reproduces targets that are linear in its features", () => {
  // Target = 2 + 3·o − o², exactly representable (the ridge term shrinks only slightly).
  const targets = Array.from(data.inputs, (o) => 2 + 3 * o - o * o);
  const fit = fitLinearBaseline(data, 1, targets);
  for (let i = 0; i < 7; i++) assert.ok(Math.abs(fit[i]! - targets[i]!) < 1e-3, `step ${i}`);
  assert.equal(fit[7], 0);
});

Deno.test("with λ = 1 the advantages are returns minus the fitted baseline", () => {
  const adv = linearBaselineAdvantages(data, 1, 0.9, 1, false);
  const returns = episodeReturns(data, 0.9);
  const baseline = fitLinearBaseline(data, 1, returns);
  for (let i = 0; i < 7; i++) {
    assert.ok(Math.abs(adv[i]! - (returns[i]! - baseline[i]!)) < 1e-4, `step ${i}`);
  }
  const normalized = linearBaselineAdvantages(data, 1, 0.9, 1, true);
  const valid = [...normalized].slice(0, 7);
  const mean = valid.reduce((a, b) => a + b) / 7;
  assert.ok(Math.abs(mean) < 1e-6);
  assert.ok(Math.abs(valid.reduce((a, b) => a + (b - mean) ** 2, 0) / 7 - 1) < 1e-3);
});
