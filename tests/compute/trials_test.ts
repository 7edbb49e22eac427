import assert from "node:assert/strict";
import { scatterTrials, selectColumns, trialRange } from "../../src/compute/trials.ts";

// 3 steps × 4 trials × 2 values: entry (t, b, k) holds 100t + 10b + k.
const [T, B, W] = [3, 4, 2];
const data = Float32Array.from({ length: T * B * W }, (_, i) => {
  const t = Math.floor(i / (B * W)), b = Math.floor(i / W) % B, k = i % W;
  return 100 * t + 10 * b + k;
});

Deno.test("selectColumns() and trialRange() take trials out of time-major data", () => {
  assert.deepEqual([...selectColumns(data, T, B, W, [2, 0])], [
    20,
    21,
    0,
    1,
    120,
    121,
    100,
    101,
    220,
    221,
    200,
    201,
  ]);
  assert.deepEqual(trialRange(data, T, B, W, 1, 3), selectColumns(data, T, B, W, [1, 2]));
  assert.equal(trialRange(data, T, B, W, 0, B), data, "the whole range is the array itself");
  const ints = Int32Array.from([1, 2, 3, 4]);
  assert.ok(selectColumns(ints, 2, 2, 1, [1]) instanceof Int32Array);
});

Deno.test("scatterTrials() writes a range of trials back where trialRange() took it", () => {
  const rebuilt = new Float32Array(data.length);
  for (const [b0, b1] of [[0, 1], [1, 3], [3, 4]] as const) {
    scatterTrials(rebuilt, trialRange(data, T, B, W, b0, b1), T, B, W, b0);
  }
  assert.deepEqual(rebuilt, data);
});
