import assert from "node:assert/strict";
import {
  flatten,
  grandMean,
  iqm,
  mean,
  median,
  optimalityGap,
  performanceProfile,
  quantile,
  quantileSorted,
  standardError,
  std,
  trimmedMean,
} from "../../src/analysis/summary.ts";

const close = (actual: number, expected: number, tol = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);

Deno.test("mean, std and standardError match hand-worked values", () => {
  const x = [2, 4, 4, 4, 5, 5, 7, 9];
  assert.equal(mean(x), 5);
  close(std(x), Math.sqrt(32 / 7));
  close(standardError(x), Math.sqrt(32 / 7) / Math.sqrt(8));
  assert.equal(std([3, 3, 3]), 0);
});

Deno.test("mean and std reject too few values", () => {
  assert.throws(() => mean([]), /at least 1 value/);
  assert.throws(() => std([1]), /at least 2 values/);
});

Deno.test("quantile interpolates linearly at (n - 1) * q like numpy", () => {
  const x = [40, 10, 80, 20]; // sorted 10, 20, 40, 80
  close(quantile(x, 0.3), 19); // h = 0.9: 10 + 0.9 * (20 - 10)
  close(quantile(x, 0.75), 50); // h = 2.25: 40 + 0.25 * (80 - 40)
  assert.equal(quantile(x, 0), 10);
  assert.equal(quantile(x, 1), 80);
  assert.equal(quantile([7], 0.4), 7);
  assert.equal(quantileSorted([1, 2, 3, 4], 0.25), 1.75);
  assert.deepEqual(x, [40, 10, 80, 20], "input is not reordered");
  assert.throws(() => quantile(x, 1.5), /quantile level/);
});

Deno.test("median is the middle value or the mean of the middle two", () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([5, 1, 3, 4]), 3.5);
});

Deno.test("trimmedMean drops floor(proportion * n) values from each end", () => {
  // n = 9, cut 2: sorted 1 1 2 3 4 5 5 6 9 -> 2 3 4 5 5
  close(trimmedMean([3, 1, 4, 1, 5, 9, 2, 6, 5], 0.25), 19 / 5);
  // n = 7, cut 1: sorted 0 1 2 3 4 5 100 -> 1 2 3 4 5
  close(trimmedMean([100, 0, 3, 1, 5, 2, 4], 0.25), 3);
  // n = 3, cut 0: the plain mean
  close(trimmedMean([1, 2, 10], 0.25), 13 / 3);
  assert.throws(() => trimmedMean([1, 2], 0.5), /trim proportion/);
});

Deno.test("iqm flattens runs x tasks and ignores the outer quartiles", () => {
  // 10 scores, cut 2 per end: sorted 1..9, 100 -> 3 4 5 6 7 8
  close(iqm([[100, 1, 5, 3, 2], [9, 7, 4, 6, 8]]), 5.5);
  close(iqm([[1, 2], [3, 4]]), 2.5); // cut 1 per end: 2 3
});

Deno.test("flatten and grandMean weight every score equally", () => {
  assert.deepEqual([...flatten([[1, 2], [3], [4, 5, 6]])], [1, 2, 3, 4, 5, 6]);
  close(grandMean([[1, 2], [3], [4, 5, 6]]), 21 / 6);
  assert.throws(() => grandMean([[]]), /at least 1 value/);
});

Deno.test("optimalityGap caps scores at gamma before averaging", () => {
  // min(score, 1): 0.5 1 0.9 0.3 -> mean 0.675
  close(optimalityGap([[0.5, 1.2], [0.9, 0.3]]), 0.325);
  // gamma 2: nothing capped, gap = 2 - 0.725
  close(optimalityGap([[0.5, 1.2], [0.9, 0.3]], 2), 1.275);
  assert.equal(optimalityGap([[3, 4]]), 0);
});

Deno.test("performanceProfile counts scores strictly above each threshold", () => {
  const scores = [[0.1, 0.4, 0.4], [0.7, 0.9, 1.3]];
  const taus = [-1, 0.4, 0.5, 1, 2];
  const brute = taus.map((t) => scores.flat().filter((s) => s > t).length / 6);
  assert.deepEqual([...performanceProfile(scores, taus)], brute);
  assert.deepEqual([...performanceProfile(scores, [0.4])], [0.5]);
});
