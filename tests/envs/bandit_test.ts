import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { banditFamily, type BanditTask, banditTaskSchema } from "../../src/envs/bandit.ts";

/** Pulls `actions[i]` in every slot once; returns the rewards and done flags. */
function pull(
  env: ReturnType<ReturnType<typeof banditFamily>["createBatch"]>,
  actions: number[],
  rng: Rng,
) {
  const rewards = new Float32Array(actions.length).fill(-1);
  const dones = new Uint8Array(actions.length).fill(9);
  const active = new Uint8Array(actions.length).fill(1);
  env.step(new Int32Array(actions), active, rng, rewards, dones);
  return { rewards, dones };
}

Deno.test("banditFamily() has one-step episodes on a constant observation", () => {
  const f = banditFamily({ arms: 7 });
  assert.equal(f.obsDim, 1);
  assert.equal(f.numActions, 7);
  assert.equal(f.maxEpisodeSteps, 1);
  assert.equal(f.fixedEpisodeLength, true);
  const env = f.createBatch(3);
  assert.deepEqual([...env.obs], [0, 0, 0]);
});

Deno.test("banditFamily() sampleTask() draws every arm's p uniformly from [0, 1)", () => {
  const k = 5;
  const f = banditFamily({ arms: k });
  const rng = Rng.derive(1, "bandit-tasks");
  const n = 10000;
  const ps: number[] = [];
  for (let i = 0; i < n; i++) {
    const task = f.sampleTask(rng);
    assert.equal(task.p.length, k);
    for (const p of task.p) {
      assert.ok(p >= 0 && p < 1, `${p}`);
      ps.push(p);
    }
  }
  const mean = ps.reduce((a, b) => a + b) / ps.length;
  const variance = ps.reduce((a, b) => a + (b - mean) ** 2, 0) / ps.length;
  assert.ok(Math.abs(mean - 0.5) < 5 * Math.sqrt(1 / 12 / ps.length), `mean ${mean}`);
  assert.ok(Math.abs(variance - 1 / 12) < 5 * Math.sqrt(1 / 180 / ps.length), `var ${variance}`);
});

Deno.test("banditFamily() random arm pulls over many tasks pay 0.5 on average", () => {
  const k = 5;
  const f = banditFamily({ arms: k });
  const size = 500;
  const env = f.createBatch(size);
  const rng = Rng.derive(2, "bandit-random-arm");
  let total = 0;
  let pulls = 0;
  for (let round = 0; round < 40; round++) {
    for (let i = 0; i < size; i++) {
      env.setTask(i, f.sampleTask(rng));
      env.resetEpisode(i, rng);
    }
    const { rewards, dones } = pull(env, Array.from({ length: size }, () => rng.int(k)), rng);
    for (let i = 0; i < size; i++) {
      assert.equal(dones[i], 1, "every pull ends an episode");
      assert.ok(rewards[i] === 0 || rewards[i] === 1, `${rewards[i]}`);
      total += rewards[i]!;
      pulls++;
    }
  }
  // A pull pays 1 with marginal probability E[p] = 1/2, so its standard deviation is 1/2.
  const mean = total / pulls;
  assert.ok(Math.abs(mean - 0.5) < 5 * 0.5 / Math.sqrt(pulls), `mean payoff ${mean}`);
});

Deno.test("banditFamily() pays each arm with that arm's probability", () => {
  const task: BanditTask = { p: new Float64Array([0, 0.15, 0.5, 0.85, 1]) };
  const f = banditFamily({ arms: 5 });
  const size = 5;
  const env = f.createBatch(size);
  for (let i = 0; i < size; i++) env.setTask(i, task);
  const rng = Rng.derive(3, "bandit-arms");
  const n = 20000;
  const wins = new Float64Array(size);
  for (let t = 0; t < n; t++) {
    const { rewards } = pull(env, [0, 1, 2, 3, 4], rng);
    for (let i = 0; i < size; i++) wins[i]! += rewards[i]!;
  }
  task.p.forEach((p, arm) => {
    const se = Math.sqrt(p * (1 - p) / n);
    assert.ok(Math.abs(wins[arm]! / n - p) <= 5 * se, `arm ${arm}: ${wins[arm]} of ${n}`);
  });
});

Deno.test("banditFamily() is deterministic for one seed", () => {
  const f = banditFamily({ arms: 4 });
  const run = (seed: number) => {
    const rng = Rng.derive(seed, "bandit-determinism");
    const env = f.createBatch(8);
    const trace: number[] = [];
    for (let i = 0; i < 8; i++) {
      const task = f.sampleTask(rng);
      trace.push(...task.p);
      env.setTask(i, task);
    }
    for (let t = 0; t < 50; t++) {
      const { rewards, dones } = pull(env, Array.from({ length: 8 }, () => rng.int(4)), rng);
      trace.push(...rewards, ...dones);
    }
    return trace;
  };
  assert.deepEqual(run(4), run(4));
  assert.notDeepEqual(run(4), run(5));
});

Deno.test("banditFamily() step() leaves inactive slots untouched", () => {
  const f = banditFamily({ arms: 2 });
  const env = f.createBatch(3);
  const task: BanditTask = { p: new Float64Array([1, 1]) };
  for (let i = 0; i < 3; i++) env.setTask(i, task);
  const rewards = new Float32Array([-1, -1, -1]);
  const dones = new Uint8Array([9, 9, 9]);
  env.step(new Int32Array(3), new Uint8Array([1, 0, 1]), Rng.derive(6, "x"), rewards, dones);
  assert.deepEqual([...rewards], [1, -1, 1]);
  assert.deepEqual([...dones], [1, 9, 1]);
});

Deno.test("banditFamily() rejects a task with the wrong number of arms", () => {
  const env = banditFamily({ arms: 5 }).createBatch(2);
  assert.throws(
    () => env.setTask(0, { p: new Float64Array(3) }),
    /^Error: task has 3 arms, expected 5$/,
  );
  env.setTask(0, { p: new Float64Array(5) });
  assert.throws(() => pull(env, [0, 0], Rng.derive(7, "x")), /slot 1 has no task/);
});

Deno.test("banditTaskSchema fills defaults and rejects bad blocks", () => {
  assert.deepEqual(banditTaskSchema.parse({ kind: "bandit", episodes: 10 }), {
    kind: "bandit",
    arms: 5,
    episodes: 10,
  });
  for (
    const block of [
      { episodes: 10, arms: 1 },
      { episodes: 10, arms: 2.5 },
      { episodes: 0 },
      {},
      { episodes: 10, horizon: 3 },
    ]
  ) {
    assert.equal(banditTaskSchema.safeParse({ kind: "bandit", ...block }).success, false);
  }
});
