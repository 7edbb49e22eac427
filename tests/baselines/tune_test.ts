import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { banditFamily } from "../../src/envs/bandit.ts";
import { evaluateTrialAgent } from "../../src/baselines/evaluate.ts";
import { epsilonGreedyBandit } from "../../src/baselines/bandit/epsilon_greedy.ts";
import { gittinsBandit } from "../../src/baselines/bandit/gittins.ts";
import { ucb1Bandit } from "../../src/baselines/bandit/ucb1.ts";
import { gridPoints, tuneBaseline, tuningTasks } from "../../src/baselines/tune.ts";

const EVALUATION_SEED = 1000003;

Deno.test("gridPoints() crosses the value lists, names sorted, first name slowest", () => {
  const expected = [
    { a: "x", b: 1 },
    { a: "x", b: 2 },
    { a: "y", b: 1 },
    { a: "y", b: 2 },
    { a: "z", b: 1 },
    { a: "z", b: 2 },
  ];
  assert.deepEqual(gridPoints({ b: [1, 2], a: ["x", "y", "z"] }), expected);
  assert.deepEqual(gridPoints({ a: ["x", "y", "z"], b: [1, 2] }), expected);
});

Deno.test("gridPoints() of an empty grid is the single empty point", () => {
  assert.deepEqual(gridPoints({}), [{}]);
});

Deno.test("tuneBaseline() prefers ε = 0 to ε = 1 (random play) and scores random at n/2", () => {
  const family = banditFamily({ arms: 5 });
  const episodes = 50;
  const result = tuneBaseline({
    spec: epsilonGreedyBandit,
    family,
    episodes,
    params: { epsilon: 0.5 },
    grid: { epsilon: [1, 0] },
    tuning: { tasks: 400, seed: 11 },
    evaluationSeed: EVALUATION_SEED,
  });
  assert.deepEqual(result.best, { epsilon: 0 });
  assert.deepEqual(result.scores.map((s) => s.point), [{ epsilon: 1 }, { epsilon: 0 }]);
  // Random play earns p̄ = 1/2 per pull; the standard error over 400 trials of 50 pulls is
  // below sqrt(50·(1/4 + 1/12)) / 20 ≈ 0.21 (Bernoulli noise plus the task's mean arm).
  assert.ok(Math.abs(result.scores[0]!.mean - episodes / 2) < 0.8, `${result.scores[0]!.mean}`);
  // Greedy on 5 uniform arms is far above random (the best arm alone is worth 50·5/6 ≈ 41.7).
  assert.ok(result.scores[1]!.mean > episodes / 2 + 5, `${result.scores[1]!.mean}`);
});

Deno.test("tuneBaseline() scores each point on the tuning tasks with the given stream", () => {
  const family = banditFamily({ arms: 3 });
  const tuning = { tasks: 50, seed: 5 };
  const result = tuneBaseline({
    spec: ucb1Bandit,
    family,
    episodes: 20,
    params: { c: 0.2 },
    grid: { c: [0, 1] },
    tuning,
    evaluationSeed: EVALUATION_SEED,
    stream: 3,
  });
  const rng = Rng.derive(tuning.seed, "tuning-tasks");
  const tasks = Array.from({ length: tuning.tasks }, () => family.sampleTask(rng));
  for (const [i, c] of [0, 1].entries()) {
    const agent = ucb1Bandit.create({ c }, family, 20);
    const returns = evaluateTrialAgent(family, agent, tasks, 20, tuning.seed, 3);
    let mean = 0;
    for (const r of returns) mean += r / returns.length;
    assert.ok(Math.abs(result.scores[i]!.mean - mean) < 1e-12, `c=${c}`);
  }
});

Deno.test("tuneBaseline() breaks ties by grid order", () => {
  // One pull: every arm's index is its prior mean 1/2 whatever c is, so every point makes the
  // same random tie-breaks on the same tasks and scores exactly the same.
  const result = tuneBaseline({
    spec: ucb1Bandit,
    family: banditFamily({ arms: 4 }),
    episodes: 1,
    params: { c: 0.2 },
    grid: { c: [0.5, 0.1, 0.3] },
    tuning: { tasks: 200, seed: 3 },
    evaluationSeed: EVALUATION_SEED,
  });
  const means = result.scores.map((s) => s.mean);
  assert.ok(means.every((m) => m === means[0]), `${means}`);
  assert.deepEqual(result.best, { c: 0.5 });
});

Deno.test("tuneBaseline() keeps the fixed parameters and is deterministic", () => {
  const options = {
    spec: gittinsBandit,
    family: banditFamily({ arms: 3 }),
    episodes: 15,
    params: { discount: 0.9, depth: 12 },
    grid: { discount: [0.5, 0.95] },
    tuning: { tasks: 100, seed: 21 },
    evaluationSeed: EVALUATION_SEED,
  };
  const first = tuneBaseline(options);
  const second = tuneBaseline(options);
  assert.deepEqual(second, first);
  assert.equal(first.best.depth, 12);
  assert.ok([0.5, 0.95].includes(first.best.discount as number));
  const other = tuneBaseline({ ...options, stream: 1 });
  assert.notDeepEqual(other.scores, first.scores);
});

Deno.test("tuneBaseline() reports every score through onScore, in order", () => {
  const seen: [number, number, number][] = [];
  const result = tuneBaseline({
    spec: epsilonGreedyBandit,
    family: banditFamily({ arms: 2 }),
    episodes: 5,
    params: {},
    grid: { epsilon: [0.3, 0.1, 0.2] },
    tuning: { tasks: 10, seed: 2 },
    evaluationSeed: EVALUATION_SEED,
    onScore: (score, index, total) => seen.push([score.point.epsilon as number, index, total]),
  });
  assert.deepEqual(seen, [[0.3, 0, 3], [0.1, 1, 3], [0.2, 2, 3]]);
  assert.equal(result.scores.length, 3);
});

Deno.test("tuneBaseline() refuses a tuning seed equal to the evaluation seed", () => {
  assert.throws(
    () =>
      tuneBaseline({
        spec: ucb1Bandit,
        family: banditFamily({ arms: 2 }),
        episodes: 5,
        params: {},
        grid: { c: [0.1] },
        tuning: { tasks: 10, seed: 77 },
        evaluationSeed: 77,
      }),
    /tuning seed of baseline "ucb1" equals the evaluation seed 77/,
  );
});

Deno.test("tuningTasks() never coincide with the evaluation tasks, even for one seed", () => {
  const family = banditFamily({ arms: 2 });
  const key = (t: { p: Float64Array }) => Array.from(t.p).join(",");
  for (const tuningSeed of [9001, EVALUATION_SEED]) {
    const tuning = tuningTasks(family, { tasks: 2000, seed: tuningSeed });
    const rng = Rng.derive(EVALUATION_SEED, "eval-tasks");
    const held = new Set(Array.from({ length: 2000 }, () => key(family.sampleTask(rng))));
    assert.equal(tuning.length, 2000);
    assert.equal(tuning.filter((t) => held.has(key(t))).length, 0);
  }
});
