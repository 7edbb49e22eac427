import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import {
  probabilityOfImprovement,
  probabilityOfImprovementCi,
} from "../../src/analysis/improvement.ts";

const close = (actual: number, expected: number, tol = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);

/** Mann–Whitney U of x against y from mid-ranks of the pooled sample: R_x − n_x (n_x + 1) / 2. */
function uFromRanks(x: number[], y: number[]): number {
  const pooled = [...x, ...y].sort((p, q) => p - q);
  const midRank = (v: number) => {
    const first = pooled.indexOf(v) + 1;
    const last = pooled.lastIndexOf(v) + 1;
    return (first + last) / 2;
  };
  const rankSum = x.reduce((s, v) => s + midRank(v), 0);
  return rankSum - x.length * (x.length + 1) / 2;
}

Deno.test("probabilityOfImprovement counts wins and half ties per task, then averages", () => {
  // Task 0: x 1 2 3 vs y 2 2 0 -> 1 + (0.5 + 0.5 + 1) + 3 = 6 of 9
  // Task 1: x 0 0 5 vs y 0 1 4 -> 0.5 + 0.5 + 3 = 4 of 9
  const x = [[1, 0], [2, 0], [3, 5]];
  const y = [[2, 0], [2, 1], [0, 4]];
  close(probabilityOfImprovement(x, y), (6 / 9 + 4 / 9) / 2);
});

Deno.test("probabilityOfImprovement allows different numbers of runs", () => {
  // x 1 3 vs y 0 3 5 -> 1 + (1 + 0.5) = 2.5 of 6
  close(probabilityOfImprovement([[1], [3]], [[0], [3], [5]]), 2.5 / 6);
});

Deno.test("probabilityOfImprovement equals the rank-sum Mann-Whitney U with ties", () => {
  const rng = Rng.derive(1, "mann-whitney");
  for (let trial = 0; trial < 20; trial++) {
    const nx = 2 + rng.int(6);
    const ny = 2 + rng.int(6);
    const x = Array.from({ length: nx }, () => rng.int(5));
    const y = Array.from({ length: ny }, () => rng.int(5));
    const p = probabilityOfImprovement(x.map((v) => [v]), y.map((v) => [v]));
    close(p, uFromRanks(x, y) / (nx * ny));
  }
});

Deno.test("probabilityOfImprovement is 0.5 for identical agents and complements when swapped", () => {
  const rng = Rng.derive(2, "symmetry");
  const x = Array.from({ length: 5 }, () => Array.from({ length: 4 }, () => rng.int(4)));
  const y = Array.from({ length: 3 }, () => Array.from({ length: 4 }, () => rng.int(4)));
  assert.equal(probabilityOfImprovement(x, x), 0.5);
  close(probabilityOfImprovement(x, y) + probabilityOfImprovement(y, x), 1);
  assert.throws(() => probabilityOfImprovement(x, [[1, 2]]), /same tasks/);
});

Deno.test("probabilityOfImprovementCi is [1, 1] when X beats Y in every run and task", () => {
  const x = [[5, 6], [7, 8], [9, 9]];
  const y = [[1, 2], [0, 3], [4, 4]];
  const ci = probabilityOfImprovementCi(x, y, { rng: Rng.derive(3, "b") });
  assert.deepEqual(ci, { point: 1, lower: 1, upper: 1 });
});

Deno.test("probabilityOfImprovementCi brackets the point and is reproducible", () => {
  const rng = Rng.derive(4, "data");
  const x = Array.from({ length: 5 }, () => Array.from({ length: 3 }, () => rng.normal() + 0.5));
  const y = Array.from({ length: 5 }, () => Array.from({ length: 3 }, () => rng.normal()));
  const ci = probabilityOfImprovementCi(x, y, { rng: Rng.derive(4, "b"), resamples: 1000 });
  assert.equal(ci.point, probabilityOfImprovement(x, y));
  assert.ok(ci.lower < ci.point && ci.point < ci.upper, JSON.stringify(ci));
  assert.ok(ci.lower >= 0 && ci.upper <= 1);
  assert.deepEqual(
    probabilityOfImprovementCi(x, y, { rng: Rng.derive(4, "b"), resamples: 1000 }),
    ci,
  );
});
