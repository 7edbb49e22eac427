import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import {
  navigationFamily,
  type NavigationTask,
  navigationTaskSchema,
} from "../../src/envs/navigation.ts";
import { createFamily, returnBounds, taskSchema } from "../../src/envs/registry.ts";
import { inputDim } from "../../src/envs/trial.ts";

const DEFAULTS = navigationTaskSchema.parse({ kind: "navigation", episodes: 1 });

/** Runs one slot from the origin through `moves`; the rewards, dones and positions seen. */
function rollout(task: NavigationTask, moves: [number, number][], config = DEFAULTS) {
  const family = navigationFamily(config);
  const env = family.createBatch(1);
  const rng = Rng.derive(0, "test");
  env.setTask(0, task);
  env.resetEpisode(0, rng);
  const start = [...env.obs];
  const rewards = new Float32Array(1);
  const dones = new Uint8Array(1);
  const seen: { reward: number; done: number; obs: number[] }[] = [];
  for (const [dx, dy] of moves) {
    env.step(Float32Array.of(dx, dy), Uint8Array.of(1), rng, rewards, dones);
    seen.push({ reward: rewards[0]!, done: dones[0]!, obs: [...env.obs] });
  }
  return { start, seen };
}

Deno.test("navigation defaults are MAML's: horizon 100, goals in [−0.5, 0.5]², speed 0.1", () => {
  assert.deepEqual(DEFAULTS, {
    kind: "navigation",
    episodes: 1,
    max_steps: 100,
    goal_range: [-0.5, 0.5],
    max_speed: 0.1,
    goal_tolerance: 0.01,
    action_scale: 1,
    oracle: false,
  });
  const family = createFamily(taskSchema.parse({ kind: "navigation", episodes: 2 }));
  assert.equal(family.obsDim, 2);
  assert.equal(family.actionDim, 2);
  assert.equal(family.numActions, 0);
  assert.equal(family.maxEpisodeSteps, 100);
  assert.equal(family.fixedEpisodeLength, false);
  // RL²'s input: position, the previous (continuous) action, reward and done.
  assert.equal(inputDim(family, "rl2"), 2 + 2 + 2);
  assert.equal(inputDim(family, "observation"), 2);
  assert.throws(() => taskSchema.parse({ kind: "navigation", episodes: 1, goal_range: [1, 0] }));
});

Deno.test("goals are uniform on the square: in range, mean ≈ 0, variance ≈ 1/12", () => {
  const family = navigationFamily(DEFAULTS);
  const rng = Rng.derive(1, "goals");
  const n = 20000;
  let mean = 0;
  let square = 0;
  for (let i = 0; i < n; i++) {
    const { goalX, goalY } = family.sampleTask(rng) as NavigationTask;
    for (const g of [goalX, goalY]) {
      assert.ok(g >= -0.5 && g <= 0.5);
      mean += g / (2 * n);
      square += g * g / (2 * n);
    }
  }
  assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
  assert.ok(Math.abs(square - 1 / 12) < 0.005, `variance ${square}`);
});

Deno.test("the point starts at the origin, moves by the clipped velocity, reward after the move", () => {
  const task = { goalX: 0.3, goalY: -0.2 };
  const { start, seen } = rollout(task, [[0.05, 0.02], [1, -3], [-0.04, 0.5]]);
  assert.deepEqual(start, [0, 0]);
  const positions = [[0.05, 0.02], [0.15, -0.08], [0.11, 0.02]];
  seen.forEach(({ reward, done, obs }, k) => {
    const [x, y] = positions[k]!;
    assert.ok(Math.abs(obs[0]! - x!) < 1e-6 && Math.abs(obs[1]! - y!) < 1e-6, `${obs} at ${k}`);
    const distance = Math.hypot(x! - 0.3, y! + 0.2);
    assert.ok(Math.abs(reward + distance) < 1e-6, `reward ${reward} vs −${distance}`);
    assert.equal(done, 0);
  });
});

Deno.test("an episode ends within 0.01 of the goal on both axes, and at the horizon", () => {
  const task = { goalX: 0.1, goalY: 0.195 };
  // (0.1, 0.2) is 0.005 away on y: done.
  const near = rollout(task, [[0.1, 0.1], [0, 0.1]]);
  assert.deepEqual(near.seen.map((s) => s.done), [0, 1]);
  // (0.1, 0.18) is 0.015 away on y: not done.
  const off = rollout(task, [[0.1, 0.1], [0, 0.08]]);
  assert.deepEqual(off.seen.map((s) => s.done), [0, 0]);
  const idle = rollout(task, Array.from({ length: 100 }, () => [0, 0] as [number, number]));
  assert.deepEqual(idle.seen.map((s) => s.done), [...new Array(99).fill(0), 1]);
  assert.ok(idle.seen.every((s) => Math.abs(s.reward + Math.hypot(0.1, 0.195)) < 1e-6));
});

Deno.test("the oracle observes the goal; action_scale scales before clipping", () => {
  const task = { goalX: -0.4, goalY: 0.25 };
  const oracle = rollout(task, [[1, 0.5]], { ...DEFAULTS, oracle: true, action_scale: 0.1 });
  assert.deepEqual(oracle.start, [0, 0, -0.4, 0.25].map(Math.fround));
  const [x, y, gx, gy] = oracle.seen[0]!.obs;
  assert.ok(Math.abs(x! - 0.1) < 1e-6 && Math.abs(y! - 0.05) < 1e-6);
  assert.deepEqual([gx, gy], [-0.4, 0.25].map(Math.fround));
  assert.equal(navigationFamily({ ...DEFAULTS, oracle: true }).obsDim, 4);
});

Deno.test("inactive slots are left untouched; every slot keeps its own task", () => {
  const family = navigationFamily(DEFAULTS);
  const env = family.createBatch(2);
  const rng = Rng.derive(2, "test");
  env.setTask(0, { goalX: 0.5, goalY: 0.5 });
  env.setTask(1, { goalX: -0.5, goalY: -0.5 });
  env.resetEpisode(0, rng);
  env.resetEpisode(1, rng);
  const rewards = Float32Array.of(7, 7);
  const dones = Uint8Array.of(0, 0);
  env.step(Float32Array.of(0.1, 0.1, 0.1, 0.1), Uint8Array.of(1, 0), rng, rewards, dones);
  assert.deepEqual([...env.obs], [0.1, 0.1, 0, 0].map(Math.fround));
  assert.ok(Math.abs(rewards[0]! + Math.hypot(0.4, 0.4)) < 1e-6);
  assert.equal(rewards[1], 7);
});

Deno.test("returnBounds holds the farthest run for every action_scale (the clip bounds a step)", () => {
  for (const scale of [0.1, 1, 10]) {
    const config = navigationTaskSchema.parse({
      kind: "navigation",
      episodes: 1,
      action_scale: scale,
    });
    const moves = Array.from({ length: 100 }, (): [number, number] => [1e3, 1e3]);
    const { seen } = rollout({ goalX: -0.5, goalY: -0.5 }, moves, config);
    const total = seen.reduce((s, x) => s + x.reward, 0);
    const [lo, hi] = returnBounds(config);
    assert.ok(total >= lo && total <= hi, `scale ${scale}: ${total} outside [${lo}, ${hi}]`);
  }
});
