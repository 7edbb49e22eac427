import assert from "node:assert/strict";
import { gae, standardize } from "../../src/algos/gae.ts";

Deno.test("gae() matches a hand-worked example with episode and trial boundaries", () => {
  // Two trials (columns), T = 3. Trial 0 has an episode boundary after step 0 (inside the
  // trial, so GAE runs across it); trial 1 ends after step 1 (step 2 is padding).
  const T = 3, B = 2, gamma = 0.5, lambda = 0.5;
  // time-major: [t * B + b]
  const rewards = new Float32Array([1, 2, 0, 4, 3, 9]);
  const values = new Float32Array([0.5, 1, 1, 2, 2, 7]);
  const mask = new Float32Array([1, 1, 1, 1, 1, 0]);
  const { advantages, returns } = gae(rewards, values, mask, T, B, gamma, lambda);
  // Trial 0: δ2 = 3 − 2 = 1; δ1 = 0 + 0.5·2 − 1 = 0; δ0 = 1 + 0.5·1 − 0.5 = 1.
  // Â2 = 1; Â1 = 0 + 0.25·1 = 0.25; Â0 = 1 + 0.25·0.25 = 1.0625.
  // Returns: G2 = 3; G1 = 0 + 0.5·3 = 1.5; G0 = 1 + 0.5·1.5 = 1.75.
  // Trial 1 (ends at t = 1, so V after it is 0): δ1 = 4 − 2 = 2; δ0 = 2 + 0.5·2 − 1 = 2.
  // Â1 = 2; Â0 = 2 + 0.25·2 = 2.5. Returns: G1 = 4; G0 = 2 + 0.5·4 = 4.
  const close = (a: Float32Array, b: number[]) =>
    b.forEach((x, i) => assert.ok(Math.abs(a[i]! - x) < 1e-6, `index ${i}: ${a[i]} ≠ ${x}`));
  close(advantages, [1.0625, 2.5, 0.25, 2, 1, 0]);
  close(returns, [1.75, 4, 1.5, 4, 3, 0]);
});

Deno.test("gae() with λ = 1 and V = 0 gives discounted returns; with λ = 0 gives TD errors", () => {
  const rewards = new Float32Array([1, 1, 1]);
  const mask = new Float32Array([1, 1, 1]);
  const full = gae(rewards, new Float32Array(3), mask, 3, 1, 0.9, 1);
  assert.ok(Math.abs(full.advantages[0]! - (1 + 0.9 + 0.81)) < 1e-6);
  const values = new Float32Array([0.3, 0.2, 0.1]);
  const td = gae(rewards, values, mask, 3, 1, 0.9, 0);
  assert.ok(Math.abs(td.advantages[0]! - (1 + 0.9 * 0.2 - 0.3)) < 1e-6);
  assert.ok(Math.abs(td.advantages[2]! - (1 - 0.1)) < 1e-6);
});

Deno.test("standardize() gives mean 0 and std 1 on valid steps and leaves padding at 0", () => {
  const x = new Float32Array([1, 2, 3, 100]);
  standardize(x, new Float32Array([1, 1, 1, 0]));
  assert.ok(Math.abs(x[0]! + x[1]! + x[2]!) < 1e-6);
  assert.ok(Math.abs((x[0]! ** 2 + x[1]! ** 2 + x[2]! ** 2) / 3 - 1) < 1e-5);
  assert.equal(x[3], 0);
});
