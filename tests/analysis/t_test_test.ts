import assert from "node:assert/strict";
import { welchTTest } from "../../src/analysis/t_test.ts";

const close = (actual: number, expected: number, tol: number) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);

Deno.test("welchTTest computes t and the Welch-Satterthwaite df by hand", () => {
  // x: mean 3, variance 2.5, n 5; y: mean 4, variance 4, n 3
  const vx = 2.5 / 5;
  const vy = 4 / 3;
  const r = welchTTest([1, 2, 3, 4, 5], [2, 4, 6]);
  close(r.t, -1 / Math.sqrt(vx + vy), 1e-14);
  close(r.df, (vx + vy) ** 2 / (vx ** 2 / 4 + vy ** 2 / 2), 1e-12);
  // scipy.stats.ttest_ind(x, y, equal_var=False, alternative="greater").pvalue
  close(r.p, 0.746892914173576, 1e-12);
});

Deno.test("welchTTest p-value matches scipy for a significant difference", () => {
  const r = welchTTest([3.1, 2.7, 3.9, 4.4, 3.0], [2.2, 2.9, 1.8, 2.5, 3.6, 2.0]);
  close(r.t, 2.213603079853527, 1e-12);
  close(r.df, 8.415055587745973, 1e-12);
  close(r.p, 0.02807025925120982, 1e-12);
});

Deno.test("welchTTest one-sided p-values of swapped samples sum to one", () => {
  const x = [0.3, 1.9, 2.2, 0.8];
  const y = [1.1, 1.4, 0.2, 0.9, 1.7];
  close(welchTTest(x, y).p + welchTTest(y, x).p, 1, 1e-14);
  assert.equal(welchTTest(x, x).p, 0.5);
});

Deno.test("welchTTest decides zero-variance samples by their means", () => {
  assert.equal(welchTTest([2, 2], [1, 1, 1]).p, 0);
  assert.equal(welchTTest([1, 1], [2, 2, 2]).p, 1);
  const same = welchTTest([1, 1], [1, 1, 1]);
  assert.deepEqual(same, { t: 0, df: 3, p: 0.5 });
  assert.throws(() => welchTTest([1], [1, 2]), /at least 2 values/);
});
