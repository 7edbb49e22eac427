import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import {
  bootstrapCi,
  bootstrapDistributions,
  bootstrapIntervals,
  type BootstrapScheme,
  meanDifferenceCi,
} from "../../src/analysis/bootstrap.ts";
import { grandMean, iqm, mean, type ScoreRows } from "../../src/analysis/summary.ts";

/** Population variance (denominator n), the variance of one bootstrap draw. */
function popVar(x: readonly number[]): number {
  const m = x.reduce((s, v) => s + v, 0) / x.length;
  return x.reduce((s, v) => s + (v - m) ** 2, 0) / x.length;
}

function matrix(rng: Rng, runs: number, tasks: number, draw: (r: Rng) => number): number[][] {
  return Array.from({ length: runs }, () => Array.from({ length: tasks }, () => draw(rng)));
}

function varianceOfMean(data: ScoreRows, scheme: BootstrapScheme): number {
  const { draws } = bootstrapDistributions([data], ([d]) => [grandMean(d!)], {
    rng: Rng.derive(3, "variance", scheme.length),
    scheme,
    resamples: 20_000,
  });
  return popVar([...draws[0]!]);
}

// 4 runs x 3 tasks with different spreads per task and per run
const DATA = [[1, 10, 0], [2, 14, 0], [4, 11, 5], [8, 20, 1]];
const RUNS = DATA.length;
const TASKS = DATA[0]!.length;
const column = (j: number) => DATA.map((row) => row[j]!);
const taskVars = [0, 1, 2].map((j) => popVar(column(j)));
const close = (actual: number, expected: number, relTol: number) =>
  assert.ok(
    Math.abs(actual - expected) <= relTol * Math.abs(expected),
    `${actual} is not within ${relTol * 100}% of ${expected}`,
  );

Deno.test("bootstrapDistributions stratified variance of the mean matches its closed form", () => {
  // Runs resampled within each task: Var* = sum_j popVar_j / (R T^2)
  const expected = taskVars.reduce((s, v) => s + v, 0) / (RUNS * TASKS * TASKS);
  close(varianceOfMean(DATA, "stratified"), expected, 0.05);
});

Deno.test("bootstrapDistributions stratified-tasks variance adds the between-task spread", () => {
  // Task j drawn at random, then its runs: Var* = (popVar(task means) + mean_j popVar_j / R) / T
  const taskMeans = [0, 1, 2].map((j) => mean(column(j)));
  const expected = (popVar(taskMeans) + mean(taskVars) / RUNS) / TASKS;
  close(varianceOfMean(DATA, "stratified-tasks"), expected, 0.05);
});

Deno.test("bootstrapDistributions nested variance adds seed and within-seed spread", () => {
  // Seed s drawn at random, then its tasks: Var* = (popVar(seed means) + mean_s popVar_s / T) / R
  const seedMeans = DATA.map((row) => mean(row));
  const expected = (popVar(seedMeans) + mean(DATA.map(popVar)) / TASKS) / RUNS;
  close(varianceOfMean(DATA, "nested"), expected, 0.05);
});

Deno.test("bootstrapDistributions nested resamples ragged seeds whole", () => {
  const ragged = [[5], [1, 3]];
  const { draws } = bootstrapDistributions([ragged], ([d]) => {
    for (const row of d!) {
      const values = [...Array.from(row)];
      const fromSeed0 = values.length === 1 && values[0] === 5;
      const fromSeed1 = values.length === 2 && values.every((v) => v === 1 || v === 3);
      assert.ok(fromSeed0 || fromSeed1, `row ${values} mixes seeds`);
    }
    return [grandMean(d!)];
  }, { rng: Rng.derive(4, "ragged"), scheme: "nested", resamples: 20_000 });
  // Exact expectation: 1/4 * 5 + 1/2 * (5 + 2 * 2) / 3 + 1/4 * 2 = 3.25
  close(mean(draws[0]!), 3.25, 0.01);
});

Deno.test("bootstrapDistributions stratified keeps every score in its own task", () => {
  const { draws } = bootstrapDistributions([[[0, 100], [1, 101], [2, 102]]], ([d]) => {
    for (const row of d!) assert.ok(row[0]! < 3 && row[1]! >= 100, "task moved");
    return [grandMean(d!)];
  }, { rng: Rng.derive(5, "strata"), scheme: "stratified", resamples: 500 });
  assert.equal(draws[0]!.length, 500);
});

Deno.test("bootstrapCi covers the true mean about 95% of the time", () => {
  const cases: [string, (r: Rng) => number, number][] = [
    ["normal", (r) => 3 + 2 * r.normal(), 3],
    ["exponential", (r) => -Math.log(1 - r.uniform()), 1],
  ];
  for (const [name, draw, trueMean] of cases) {
    const data = Rng.derive(6, "coverage data", name.length);
    const rng = Rng.derive(6, "coverage bootstrap", name.length);
    const repetitions = 400;
    let covered = 0;
    for (let rep = 0; rep < repetitions; rep++) {
      const sample = matrix(data, 30, 1, draw);
      const ci = bootstrapCi(sample, grandMean, { rng, scheme: "stratified", resamples: 1000 });
      if (ci.lower <= trueMean && trueMean <= ci.upper) covered++;
    }
    const rate = covered / repetitions;
    assert.ok(rate >= 0.9 && rate <= 0.98, `${name}: coverage ${rate}`);
  }
});

Deno.test("bootstrapCi nested covers the mean of a two-level model", () => {
  // Seed effects N(0, 1), task returns N(seed effect, 2^2); true mean 0
  const data = Rng.derive(7, "nested data");
  const rng = Rng.derive(7, "nested bootstrap");
  const repetitions = 200;
  let covered = 0;
  for (let rep = 0; rep < repetitions; rep++) {
    const sample = Array.from({ length: 20 }, () => {
      const effect = data.normal();
      return Array.from({ length: 5 }, () => effect + 2 * data.normal());
    });
    const ci = bootstrapCi(sample, grandMean, { rng, scheme: "nested", resamples: 500 });
    if (ci.lower <= 0 && 0 <= ci.upper) covered++;
  }
  const rate = covered / repetitions;
  assert.ok(rate >= 0.9 && rate <= 0.99, `coverage ${rate}`);
});

Deno.test("bootstrapCi narrows with more data", () => {
  const data = Rng.derive(8, "shrink");
  const width = (n: number) => {
    const ci = bootstrapCi(matrix(data, n, 1, (r) => r.normal()), grandMean, {
      rng: Rng.derive(8, "shrink bootstrap"),
      scheme: "stratified",
      resamples: 2000,
    });
    return ci.upper - ci.lower;
  };
  const small = width(20);
  const large = width(2000);
  // Width scales as 1 / sqrt(n): a factor 10 here
  assert.ok(small > 6 * large && small < 15 * large, `widths ${small} and ${large}`);
});

Deno.test("bootstrapCi is deterministic for one seed and varies across seeds", () => {
  const data = matrix(Rng.derive(9, "data"), 5, 4, (r) => r.normal());
  const run = (seed: number) =>
    bootstrapCi(data, iqm, {
      rng: Rng.derive(seed, "bootstrap"),
      scheme: "nested",
      resamples: 300,
    });
  assert.deepEqual(run(1), run(1));
  assert.notDeepEqual(run(1), run(2));
  const ci = run(1);
  assert.equal(ci.point, iqm(data));
  assert.ok(ci.lower <= ci.upper);
});

Deno.test("bootstrapIntervals of a vector statistic equals one bootstrap per component", () => {
  const data = matrix(Rng.derive(10, "data"), 6, 3, (r) => r.normal());
  const options = { scheme: "stratified-tasks", resamples: 400, confidence: 0.9 } as const;
  const both = bootstrapIntervals([data], ([d]) => [grandMean(d!), iqm(d!)], {
    ...options,
    rng: Rng.derive(10, "b"),
  });
  const alone = [grandMean, iqm].map((f) =>
    bootstrapCi(data, f, { ...options, rng: Rng.derive(10, "b") })
  );
  assert.deepEqual(both, alone);
});

Deno.test("bootstrapCi with constant tasks has a zero-width stratified interval", () => {
  const data = [[1, 7, 3], [1, 7, 3], [1, 7, 3]];
  const options = { rng: Rng.derive(11, "b"), resamples: 500 };
  const stratified = bootstrapCi(data, grandMean, { ...options, scheme: "stratified" });
  assert.deepEqual(stratified, { point: 11 / 3, lower: 11 / 3, upper: 11 / 3 });
  const tasks = bootstrapCi(data, grandMean, { ...options, scheme: "stratified-tasks" });
  assert.ok(tasks.upper - tasks.lower > 1, "task resampling adds the between-task spread");
});

Deno.test("meanDifferenceCi paired removes variation the agents share", () => {
  const a = matrix(Rng.derive(12, "a"), 5, 50, (r) => Math.floor(10 * r.uniform()));
  const b = a.map((row) => row.map((v) => v + 1));
  const options = { rng: Rng.derive(12, "b"), scheme: "nested", resamples: 1000 } as const;
  const paired = meanDifferenceCi(b, a, { ...options, paired: true });
  assert.equal(paired.point, 1);
  assert.ok(Math.abs(paired.lower - 1) < 1e-12 && Math.abs(paired.upper - 1) < 1e-12);
  const unpaired = meanDifferenceCi(b, a, { ...options, paired: false });
  assert.ok(unpaired.lower < 0.8 && unpaired.upper > 1.2, `unpaired ${JSON.stringify(unpaired)}`);
});

Deno.test("bootstrap rejects inconsistent input", () => {
  const rng = Rng.derive(13, "b");
  assert.throws(
    () => bootstrapCi([[1, 2], [3]], grandMean, { rng, scheme: "stratified" }),
    /same number of tasks/,
  );
  assert.throws(
    () => meanDifferenceCi([[1, 2]], [[1, 2], [3, 4]], { rng, scheme: "nested", paired: true }),
    /same shape/,
  );
  assert.throws(
    () => bootstrapCi([[1]], grandMean, { rng, scheme: "nested", resamples: 0 }),
    /positive integer/,
  );
  assert.throws(
    () => bootstrapCi([[1]], grandMean, { rng, scheme: "nested", confidence: 1 }),
    /confidence/,
  );
});
