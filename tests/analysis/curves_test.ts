import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { combineCurves, curveGrid, interpolate } from "../../src/analysis/curves.ts";

const options = (maxPoints = 100) => ({
  rng: Rng.derive(5, "curves-test"),
  resamples: 4000,
  maxPoints,
});

Deno.test("curveGrid() is the sorted union of the seeds' timesteps", () => {
  const grid = curveGrid([{ x: [0, 30, 60], y: [0, 0, 0] }, { x: [0, 25, 70], y: [0, 0, 0] }], 10);
  assert.deepEqual(grid, [0, 25, 30, 60, 70]);
});

Deno.test("curveGrid() spreads maxPoints evenly over the range when there are more timesteps", () => {
  const x = Array.from({ length: 11 }, (_, i) => i * 10);
  assert.deepEqual(curveGrid([{ x, y: x }], 3), [0, 50, 100]);
});

Deno.test("curveGrid() rejects timesteps that do not increase and values of the wrong length", () => {
  assert.throws(() => curveGrid([{ x: [0, 5, 5], y: [1, 2, 3] }], 10), /do not increase/);
  assert.throws(() => curveGrid([{ x: [0, 5], y: [1] }], 10), /as many values/);
});

Deno.test("interpolate() is linear between points, exact at them, undefined outside", () => {
  const curve = { x: [0, 10, 30], y: [1, 3, 2] };
  assert.equal(interpolate(curve, 10), 3);
  assert.equal(interpolate(curve, 5), 2);
  assert.equal(interpolate(curve, 20), 2.5);
  assert.equal(interpolate(curve, -1), undefined);
  assert.equal(interpolate(curve, 31), undefined);
});

Deno.test("combineCurves() aligns seeds on timesteps, not iterations", () => {
  // Seed A logs every 10 steps, seed B every 20: at 10, B is interpolated halfway to 4.
  const points = combineCurves(
    [{ x: [0, 10, 20], y: [0, 1, 2] }, { x: [0, 20], y: [0, 4] }],
    options(),
  );
  assert.deepEqual(points.map((p) => p.x), [0, 10, 20]);
  assert.deepEqual(points.map((p) => p.mean), [0, (1 + 2) / 2, (2 + 4) / 2]);
  assert.deepEqual(points.map((p) => p.seeds), [2, 2, 2]);
});

Deno.test("combineCurves() averages only the seeds that reach a timestep", () => {
  const points = combineCurves(
    [{ x: [0, 10, 20], y: [1, 2, 7] }, { x: [0, 10], y: [3, 4] }],
    options(),
  );
  const last = points[2]!;
  assert.deepEqual([last.x, last.mean, last.lower, last.upper, last.seeds], [20, 7, 7, 7, 1]);
});

Deno.test("combineCurves() band of two seeds spans them (means of 2 resampled seeds)", () => {
  // Resampling 2 seeds gives a, (a+b)/2 or b with chances 1/4, 1/2, 1/4: the 2.5th and 97.5th
  // percentiles are a and b.
  const [point] = combineCurves([{ x: [0], y: [2] }, { x: [0], y: [6] }], options());
  assert.deepEqual([point!.mean, point!.lower, point!.upper], [4, 2, 6]);
});

Deno.test("combineCurves() leaves out even-grid timesteps that no seed covers", () => {
  const points = combineCurves(
    [{ x: [0, 1, 2], y: [0, 0, 0] }, { x: [8, 9, 10], y: [1, 1, 1] }],
    options(3),
  );
  assert.deepEqual(points.map((p) => p.x), [0, 10]);
});
