import assert from "node:assert/strict";
import { Trainer } from "../../src/learners/train.ts";
import { resolveLearner } from "../../src/learners/registry.ts";
import { pointRobotFamily, pointRobotTaskSchema } from "../../src/envs/point_robot.ts";
import type { TaskFamily } from "../../src/envs/env.ts";

// A one-task distribution: the goal (0.6, 0.6), 10-step episodes from random starts. The
// context carries no information, so this is SAC alone.
const base = pointRobotFamily(
  pointRobotTaskSchema.parse({ kind: "point_robot", episodes: 1, max_steps: 10 }),
);
const family: TaskFamily = { ...base, sampleTask: () => ({ goalX: 0.6, goalY: 0.6 }) };
const tasks = Array.from({ length: 16 }, () => ({ goalX: 0.6, goalY: 0.6 }));

function run(seed: number): { before: number; after: number } {
  const { spec, config } = resolveLearner({
    kind: "pearl",
    sampling: { iterations: 3, gamma: 0.9 },
    pearl: {
      hidden: [16, 16],
      encoder_hidden: [8],
      latent: 1,
      train_tasks: 1,
      meta_batch: 1,
      batch: 32,
      context_batch: 8,
      train_steps: 250,
      initial_steps: 100,
      tasks_per_iteration: 1,
      steps_prior: 50,
      extra_rl_steps: 50,
      reward_scale: 10,
      policy_lr: 3e-3,
      q_lr: 3e-3,
      v_lr: 3e-3,
      context_lr: 3e-3,
      tau: 0.05,
    },
  });
  const learner = new Trainer(family, 1, spec, config, seed);
  const mean = () =>
    learner.evaluate(tasks, { seed: 9, greedy: true }).trialReturns.reduce((a, b) => a + b, 0) /
    tasks.length;
  const before = mean();
  for (let i = 0; i < 3; i++) learner.iterate();
  return { before, after: mean() };
}

Deno.test("pearl's SAC on a one-task distribution moves to the goal: gain well above the seeds' spread", () => {
  const runs = [0, 1, 2].map(run);
  const gains = runs.map((r) => r.after - r.before);
  const spread = Math.max(...gains) - Math.min(...gains);
  // Every seed gains over 1 per 10-step episode (an untrained policy earns about −10), and the
  // smallest gain is over three times the spread of the gains across seeds.
  assert.ok(Math.min(...gains) > Math.max(1, 3 * spread), `gains ${gains}, spread ${spread}`);
});
