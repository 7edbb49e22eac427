import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import {
  hasDenseRewards,
  pointRobotFamily,
  pointRobotTaskSchema,
} from "../../src/envs/point_robot.ts";
import { createFamily, returnBounds } from "../../src/envs/registry.ts";
import { resolveLearner } from "../../src/learners/registry.ts";
import { Trainer } from "../../src/learners/train.ts";
import { useBackend } from "../_backend.ts";

const defaults = (block: Record<string, unknown>) =>
  pointRobotTaskSchema.parse({ kind: "point_robot", episodes: 2, ...block });

function stepOnce(
  sparse: boolean,
  goal: { goalX: number; goalY: number },
  action: [number, number],
  steps = 1,
) {
  const family = pointRobotFamily(defaults({ sparse }));
  const batch = family.createBatch(1);
  batch.setTask(0, goal);
  batch.resetEpisode(0, Rng.derive(3, "test"));
  const start = [batch.obs[0]!, batch.obs[1]!];
  const rewards = new Float32Array(1), dones = new Uint8Array(1);
  for (let t = 0; t < steps; t++) {
    batch.step(Float32Array.from(action), Uint8Array.of(1), Rng.derive(0, "test"), rewards, dones);
  }
  assert.ok(hasDenseRewards(batch));
  return {
    start,
    obs: [batch.obs[0]!, batch.obs[1]!],
    reward: rewards[0]!,
    dense: batch.denseRewards[0]!,
    done: dones[0]!,
  };
}

Deno.test("point robot: the authors' defaults (horizon 20, speed 0.1, radius 0.2, 100 sparse goals)", () => {
  const c = defaults({});
  assert.deepEqual(
    [c.max_steps, c.max_speed, c.goal_radius, c.goal_count, c.sparse, c.oracle],
    [20, 0.1, 0.2, 100, false, false],
  );
  assert.equal(createFamily(c).maxEpisodeSteps, 20);
  assert.equal(createFamily(c).actionDim, 2);
});

Deno.test("dense point robot: random start in [−1, 1]², move by 0.1 × action, reward −distance after it", () => {
  const { start, obs, reward, dense, done } = stepOnce(false, { goalX: 0.5, goalY: -0.5 }, [
    1,
    -0.5,
  ]);
  assert.ok(start.every((x) => x >= -1 && x <= 1) && (start[0] !== 0 || start[1] !== 0));
  assert.ok(Math.abs(obs[0]! - (start[0]! + 0.1)) < 1e-6);
  assert.ok(Math.abs(obs[1]! - (start[1]! - 0.05)) < 1e-6);
  const d = Math.sqrt((obs[0]! - 0.5) ** 2 + (obs[1]! + 0.5) ** 2);
  assert.ok(Math.abs(reward + d) < 1e-6);
  assert.equal(dense, reward);
  assert.equal(done, 0);
});

Deno.test("point robot: actions beyond ±1 are clipped to 0.1 a step; the episode ends at step 20, not at the goal", () => {
  const far = stepOnce(false, { goalX: 0, goalY: 0 }, [5, -5]);
  assert.ok(Math.abs(far.obs[0]! - far.start[0]! - 0.1) < 1e-6);
  assert.ok(Math.abs(far.obs[1]! - far.start[1]! + 0.1) < 1e-6);
  assert.equal(stepOnce(true, { goalX: 0, goalY: 0 }, [0, 0], 19).done, 0);
  assert.equal(stepOnce(true, { goalX: 0, goalY: 0 }, [0, 0], 20).done, 1);
});

Deno.test("sparse point robot: start at the origin; 1 − distance within 0.2 of the goal, else 0; dense kept", () => {
  // Ten steps of (0, 1) from the origin reach (0, 1): distance 0 from the goal (0, 1).
  const at = stepOnce(true, { goalX: 0, goalY: 1 }, [0, 1], 10);
  assert.ok(Math.abs(at.obs[1]! - 1) < 1e-9 && at.obs[0] === 0);
  assert.ok(Math.abs(at.reward - 1) < 1e-6 && Math.abs(at.dense) < 1e-6);
  // Nine steps reach (0, 0.9): distance 0.1, reward 0.9.
  const near = stepOnce(true, { goalX: 0, goalY: 1 }, [0, 1], 9);
  assert.ok(Math.abs(near.reward - 0.9) < 1e-6 && Math.abs(near.dense + 0.1) < 1e-6);
  // Seven steps reach (0, 0.7): distance 0.3 > 0.2, reward 0, dense −0.3.
  const out = stepOnce(true, { goalX: 0, goalY: 1 }, [0, 1], 7);
  assert.equal(out.reward, 0);
  assert.ok(Math.abs(out.dense + 0.3) < 1e-6);
});

Deno.test("point robot goals: dense uniform in [−1, 1]²; sparse at π k / 99 on the unit half circle", () => {
  const rng = Rng.derive(1, "test");
  const dense = pointRobotFamily(defaults({}));
  const sparse = pointRobotFamily(defaults({ sparse: true }));
  for (let i = 0; i < 200; i++) {
    const g = dense.sampleTask(rng);
    assert.ok(Math.abs(g.goalX) <= 1 && Math.abs(g.goalY) <= 1);
    const s = sparse.sampleTask(rng);
    assert.ok(Math.abs(Math.hypot(s.goalX, s.goalY) - 1) < 1e-12 && s.goalY >= -1e-12);
    const k = Math.atan2(s.goalY, s.goalX) / Math.PI * 99;
    assert.ok(Math.abs(k - Math.round(k)) < 1e-9);
  }
});

Deno.test("point robot oracle observes the goal; return bounds hold the extremes", () => {
  const family = pointRobotFamily(defaults({ oracle: true }));
  const batch = family.createBatch(1);
  batch.setTask(0, { goalX: 0.3, goalY: -0.2 });
  batch.resetEpisode(0, Rng.derive(0, "test"));
  assert.ok(Math.abs(batch.obs[2]! - 0.3) < 1e-7 && Math.abs(batch.obs[3]! + 0.2) < 1e-7);
  const [lo, hi] = returnBounds(defaults({}));
  assert.ok(lo <= -2 * 20 * 2 * Math.SQRT2 && hi === 0);
  assert.deepEqual(returnBounds(defaults({ sparse: true })), [0, 40]);
});

Deno.test("RL² and MAML-TRPO train and evaluate on the point robot, dense and sparse", async () => {
  await useBackend("cpu");
  for (const sparse of [false, true]) {
    const family = createFamily(defaults({ sparse, max_steps: 5 }));
    const agents = [
      { kind: "rl2", policy: { gru: 4 }, sampling: { iterations: 1, batch_timesteps: 20 } },
      {
        kind: "maml_trpo",
        policy: { mlp: [4] },
        sampling: { iterations: 1 },
        maml: { meta_batch: 2, trajectories: 2 },
      },
    ];
    for (const block of agents) {
      const { spec, config } = resolveLearner(block);
      const learner = new Trainer(family, 2, spec, config, 0);
      const log = learner.iterate();
      assert.ok(
        log.timesteps > 0 && Number.isFinite(log.returnMean),
        `${block.kind} sparse=${sparse}`,
      );
      const r = learner.evaluate([{ goalX: 0, goalY: 1 }], { seed: 1 });
      assert.equal(r.episodeReturns.length, 2);
    }
  }
});
