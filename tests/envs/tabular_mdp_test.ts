import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { type MdpTask, mdpTaskSchema, tabularMdpFamily } from "../../src/envs/tabular_mdp.ts";

/** The family of a `task` block with the given keys (validated by the schema). */
function family(overrides: Record<string, unknown> = {}) {
  return tabularMdpFamily(mdpTaskSchema.parse({ kind: "mdp", episodes: 1, ...overrides }));
}

function meanAndVariance(xs: readonly number[]) {
  const mean = xs.reduce((a, b) => a + b) / xs.length;
  return { mean, variance: xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length };
}

/** The state of a one-hot observation row, checking that it is one-hot. */
function oneHotState(obs: Float32Array, slot: number, states: number): number {
  const row = [...obs.subarray(slot * states, (slot + 1) * states)];
  assert.equal(row.filter((v) => v === 1).length, 1, `${row}`);
  assert.equal(row.filter((v) => v === 0).length, states - 1, `${row}`);
  return row.indexOf(1);
}

Deno.test("tabularMdpFamily() transition rows are distributions", () => {
  const f = family({ states: 6, actions: 3 });
  const rng = Rng.derive(1, "mdp-rows");
  for (let i = 0; i < 200; i++) {
    const task = f.sampleTask(rng);
    assert.equal(task.transitions.length, 6 * 3 * 6);
    for (let row = 0; row < 6 * 3; row++) {
      const p = task.transitions.subarray(row * 6, row * 6 + 6);
      for (const v of p) assert.ok(v >= 0 && v <= 1, `${v}`);
      assert.ok(Math.abs(p.reduce((a, b) => a + b) - 1) < 1e-12);
    }
  }
});

Deno.test("tabularMdpFamily() transitions have Dirichlet(1) marginal moments", () => {
  const S = 10;
  const f = family({ states: S, actions: 5 });
  const rng = Rng.derive(2, "mdp-dirichlet");
  // Each coordinate of a row is Beta(1, S − 1): mean 1/S, variance (S − 1)/(S² (S + 1)), and
  // the variance of (X − 1/S)² is E(X − 1/S)⁴ − variance², with E(X − 1/S)⁴ computed from raw
  // Beta(1, S − 1) moments E Xᵏ = k! (S − 1)! / (S + k − 1)!.
  const raw = (k: number) => {
    let m = 1;
    for (let j = 1; j <= k; j++) m *= j / (S + j - 1);
    return m;
  };
  const mu = 1 / S;
  const variance = (S - 1) / (S * S * (S + 1));
  const fourth = raw(4) - 4 * mu * raw(3) + 6 * mu ** 2 * raw(2) - 3 * mu ** 4;
  for (const coordinate of [0, 4, 9]) {
    const xs: number[] = [];
    for (let i = 0; i < 400; i++) {
      const task = f.sampleTask(rng);
      for (let row = 0; row < S * 5; row++) xs.push(task.transitions[row * S + coordinate]!);
    }
    const m = meanAndVariance(xs);
    const n = xs.length;
    assert.ok(Math.abs(m.mean - mu) < 5 * Math.sqrt(variance / n), `mean ${m.mean}`);
    const se = Math.sqrt((fourth - variance ** 2) / n);
    assert.ok(Math.abs(m.variance - variance) < 5 * se, `variance ${m.variance} vs ${variance}`);
  }
});

Deno.test("tabularMdpFamily() reward means are N(1, 1) by default", () => {
  const f = family();
  const rng = Rng.derive(3, "mdp-rewards");
  const xs: number[] = [];
  for (let i = 0; i < 400; i++) xs.push(...f.sampleTask(rng).rewardMean);
  const { mean, variance } = meanAndVariance(xs);
  const n = xs.length;
  assert.equal(n, 400 * 10 * 5);
  assert.ok(Math.abs(mean - 1) < 5 / Math.sqrt(n), `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 5 * Math.sqrt(2 / n), `variance ${variance}`);
});

Deno.test("tabularMdpFamily() reward means follow a configured prior", () => {
  const f = family({ reward_mean_prior: { mean: -2, std: 0.5 } });
  const rng = Rng.derive(4, "mdp-prior");
  const xs: number[] = [];
  for (let i = 0; i < 200; i++) xs.push(...f.sampleTask(rng).rewardMean);
  const { mean, variance } = meanAndVariance(xs);
  assert.ok(Math.abs(mean + 2) < 5 * 0.5 / Math.sqrt(xs.length), `mean ${mean}`);
  assert.ok(Math.abs(variance - 0.25) < 5 * 0.25 * Math.sqrt(2 / xs.length), `var ${variance}`);
});

Deno.test("tabularMdpFamily() episodes start in state 0 and last exactly horizon steps", () => {
  const S = 4;
  const horizon = 7;
  const f = family({ states: S, actions: 3, horizon });
  assert.equal(f.obsDim, S);
  assert.equal(f.numActions, 3);
  assert.equal(f.maxEpisodeSteps, horizon);
  assert.equal(f.fixedEpisodeLength, true);
  const size = 5;
  const env = f.createBatch(size);
  const rng = Rng.derive(5, "mdp-episodes");
  const rewards = new Float32Array(size);
  const dones = new Uint8Array(size);
  const active = new Uint8Array(size).fill(1);
  for (let i = 0; i < size; i++) env.setTask(i, f.sampleTask(rng));
  for (let ep = 0; ep < 3; ep++) {
    for (let i = 0; i < size; i++) {
      env.resetEpisode(i, rng);
      assert.equal(oneHotState(env.obs, i, S), 0);
    }
    for (let t = 1; t <= horizon; t++) {
      const actions = Int32Array.from({ length: size }, () => rng.int(3));
      env.step(actions, active, rng, rewards, dones);
      for (let i = 0; i < size; i++) {
        oneHotState(env.obs, i, S);
        assert.equal(dones[i], t === horizon ? 1 : 0, `slot ${i} step ${t}`);
      }
    }
  }
});

Deno.test("tabularMdpFamily() steps follow the task's transitions and reward means", () => {
  const S = 3;
  const task: MdpTask = {
    states: S,
    actions: 2,
    rewardMean: new Float64Array([0.5, -1, 2, 3, 0, 0]),
    transitions: new Float64Array([
      0.2,
      0.8,
      0,
      0,
      0.1,
      0.9,
      1,
      0,
      0,
      0,
      0,
      1,
      0.3,
      0.3,
      0.4,
      0,
      1,
      0,
    ]),
  };
  const f = family({ states: S, actions: 2, horizon: 1, reward_std: 0.5 });
  const env = f.createBatch(2);
  env.setTask(0, task);
  env.setTask(1, task);
  const rng = Rng.derive(6, "mdp-step");
  const n = 20000;
  const next = [new Float64Array(S), new Float64Array(S)];
  const rewardsSeen: number[][] = [[], []];
  const rewards = new Float32Array(2);
  const dones = new Uint8Array(2);
  for (let t = 0; t < n; t++) {
    env.resetEpisode(0, rng);
    env.resetEpisode(1, rng);
    env.step(new Int32Array([0, 1]), new Uint8Array([1, 1]), rng, rewards, dones);
    assert.deepEqual([...dones], [1, 1]);
    for (const a of [0, 1]) {
      next[a]![oneHotState(env.obs, a, S)]! += 1;
      rewardsSeen[a]!.push(rewards[a]!);
    }
  }
  for (const a of [0, 1]) {
    for (let s = 0; s < S; s++) {
      const p = task.transitions[a * S + s]!;
      const se = Math.sqrt(p * (1 - p) / n);
      assert.ok(Math.abs(next[a]![s]! / n - p) <= 5 * se, `action ${a} → ${s}: ${next[a]![s]}`);
    }
    const { mean, variance } = meanAndVariance(rewardsSeen[a]!);
    const mu = task.rewardMean[a]!;
    assert.ok(Math.abs(mean - mu) < 5 * 0.5 / Math.sqrt(n), `reward mean ${mean} vs ${mu}`);
    assert.ok(Math.abs(variance - 0.25) < 5 * 0.25 * Math.sqrt(2 / n), `reward var ${variance}`);
  }
});

Deno.test("tabularMdpFamily() a uniform random policy earns about 1 per step", () => {
  const A = 5;
  const f = family();
  const size = 500;
  const env = f.createBatch(size);
  const rng = Rng.derive(7, "mdp-random-policy");
  const rewards = new Float32Array(size);
  const dones = new Uint8Array(size);
  const active = new Uint8Array(size).fill(1);
  const perTask = new Array<number>(size).fill(0);
  for (let i = 0; i < size; i++) env.setTask(i, f.sampleTask(rng));
  const episodes = 10;
  for (let ep = 0; ep < episodes; ep++) {
    for (let i = 0; i < size; i++) env.resetEpisode(i, rng);
    for (let t = 0; t < 10; t++) {
      env.step(Int32Array.from({ length: size }, () => rng.int(A)), active, rng, rewards, dones);
      for (let i = 0; i < size; i++) perTask[i]! += rewards[i]! / (episodes * 10);
    }
  }
  // The policy ignores μ, so every reward has mean E μ = 1; tasks are independent, so the
  // spread of per-task averages gives the standard error.
  const { mean, variance } = meanAndVariance(perTask);
  assert.ok(Math.abs(mean - 1) < 5 * Math.sqrt(variance / size), `mean reward ${mean}`);
});

Deno.test("tabularMdpFamily() is deterministic for one seed", () => {
  const f = family({ states: 5, actions: 3, horizon: 4 });
  const run = (seed: number) => {
    const rng = Rng.derive(seed, "mdp-determinism");
    const env = f.createBatch(4);
    const trace: number[] = [];
    for (let i = 0; i < 4; i++) {
      const task = f.sampleTask(rng);
      trace.push(...task.rewardMean, ...task.transitions);
      env.setTask(i, task);
      env.resetEpisode(i, rng);
    }
    const rewards = new Float32Array(4);
    const dones = new Uint8Array(4);
    for (let t = 0; t < 40; t++) {
      const actions = Int32Array.from({ length: 4 }, () => rng.int(3));
      env.step(actions, new Uint8Array([1, 1, 1, 1]), rng, rewards, dones);
      trace.push(...env.obs, ...rewards, ...dones);
      for (let i = 0; i < 4; i++) if (dones[i] === 1) env.resetEpisode(i, rng);
    }
    return trace;
  };
  assert.deepEqual(run(8), run(8));
  assert.notDeepEqual(run(8), run(9));
});

Deno.test("tabularMdpFamily() step() leaves inactive slots untouched", () => {
  const f = family({ states: 3, actions: 2, horizon: 2 });
  const env = f.createBatch(2);
  const rng = Rng.derive(10, "mdp-inactive");
  const task = f.sampleTask(rng);
  env.setTask(0, task);
  env.setTask(1, task);
  env.resetEpisode(0, rng);
  env.resetEpisode(1, rng);
  const rewards = new Float32Array([-9, -9]);
  const dones = new Uint8Array([9, 9]);
  for (let t = 0; t < 3; t++) {
    env.step(new Int32Array([1, 1]), new Uint8Array([1, 0]), rng, rewards, dones);
    assert.deepEqual([...env.obs.subarray(3)], [1, 0, 0]);
    assert.equal(rewards[1], -9);
    assert.equal(dones[1], 9);
  }
  env.step(new Int32Array([1, 1]), new Uint8Array([0, 1]), rng, rewards, dones);
  assert.equal(dones[1], 0, "inactive steps do not count towards the horizon");
});

Deno.test("tabularMdpFamily() rejects a task of another shape", () => {
  const env = family({ states: 4, actions: 2 }).createBatch(1);
  const other = family({ states: 3, actions: 2 }).sampleTask(Rng.derive(11, "x"));
  assert.throws(() => env.setTask(0, other), /^Error: task is 3×2, expected 4×2$/);
});

Deno.test("mdpTaskSchema fills the paper's defaults and rejects bad blocks", () => {
  assert.deepEqual(mdpTaskSchema.parse({ kind: "mdp", episodes: 10 }), {
    kind: "mdp",
    states: 10,
    actions: 5,
    horizon: 10,
    episodes: 10,
    reward_mean_prior: { mean: 1, std: 1 },
    reward_std: 1,
    dirichlet_alpha: 1,
  });
  for (
    const block of [
      { episodes: 10, actions: 1 },
      { episodes: 10, dirichlet_alpha: 0 },
      { episodes: 10, reward_std: -1 },
      { episodes: 10, reward_mean_prior: { mean: 1, sd: 1 } },
      { episodes: 10, arms: 5 },
      {},
    ]
  ) {
    assert.equal(mdpTaskSchema.safeParse({ kind: "mdp", ...block }).success, false);
  }
});
