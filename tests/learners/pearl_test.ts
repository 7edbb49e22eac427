import assert from "node:assert/strict";
import { Trainer } from "../../src/learners/train.ts";
import { resolveLearner } from "../../src/learners/registry.ts";
import { pointRobotFamily, pointRobotTaskSchema } from "../../src/envs/point_robot.ts";
import { banditFamily } from "../../src/envs/bandit.ts";
import type { TaskFamily } from "../../src/envs/env.ts";
import { parseCheckpoint, serializeCheckpoint } from "../../src/harness/run/checkpoint.ts";
import { assertResumes } from "./_resume.ts";

const TINY = {
  hidden: [8, 8],
  encoder_hidden: [8],
  latent: 2,
  train_tasks: 3,
  meta_batch: 2,
  batch: 8,
  context_batch: 4,
  train_steps: 3,
  initial_steps: 20,
  tasks_per_iteration: 2,
  steps_prior: 10,
  steps_posterior: 10,
  extra_rl_steps: 10,
};

function robot(block: Record<string, unknown> = {}) {
  return pointRobotFamily(
    pointRobotTaskSchema.parse({ kind: "point_robot", episodes: 3, ...block }),
  );
}

function pearl(pearlBlock: Record<string, unknown>, iterations = 4) {
  return resolveLearner({ kind: "pearl", sampling: { iterations }, pearl: pearlBlock });
}

function issuePaths(block: Record<string, unknown>): string[] {
  const { spec } = pearl({});
  const r = spec.schema.safeParse({ kind: "pearl", sampling: { iterations: 1 }, pearl: block });
  return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
}

Deno.test("pearl schema: the authors' defaults; bad settings refused with the field named", () => {
  const p = pearl({}).config.pearl as Record<string, unknown>;
  assert.deepEqual(
    [
      p.latent,
      p.hidden,
      p.meta_batch,
      p.batch,
      p.context_batch,
      p.tau,
      p.kl_weight,
      p.reward_scale,
    ],
    [5, [300, 300, 300], 16, 256, 64, 0.005, 0.1, 5],
  );
  assert.equal(pearl({}).config.sampling.gamma, 0.99);
  assert.deepEqual(issuePaths({ latent: 0 }), ["pearl.latent"]);
  assert.deepEqual(issuePaths({ context_batch: 100, batch: 8, buffer_size: 50 }), [
    "pearl.context_batch",
  ]);
  assert.deepEqual(issuePaths({ batch: 100, buffer_size: 80, context_batch: 8 }), ["pearl.batch"]);
  assert.deepEqual(issuePaths({ steps_prior: 0, steps_posterior: 0 }), ["pearl.steps_prior"]);
  assert.deepEqual(issuePaths({ hidden: [] }), ["pearl.hidden"]);
});

Deno.test("pearl refuses a family with discrete actions", () => {
  const { spec, config } = pearl(TINY);
  assert.throws(
    () => new Trainer(banditFamily({ arms: 3 }) as TaskFamily, 3, spec, config, 0),
    /continuous actions/,
  );
});

Deno.test("pearl: a checkpoint (networks, Adam states, replay buffers) resumes exactly; same seed, same numbers", () => {
  const { spec, config } = pearl(TINY);
  const family = robot({ sparse: true }) as TaskFamily;
  assertResumes(family, 3, spec, config, 7);
  const run = () => {
    const l = new Trainer(family, 3, spec, config, 7);
    const logs = [l.iterate(), l.iterate()];
    return { logs, l, eval: l.evaluate([{ goalX: 0, goalY: 1 }], { seed: 3, greedy: true }) };
  };
  const a = run(), b = run();
  assert.deepEqual(a.logs, b.logs);
  assert.deepEqual(a.eval, b.eval);
  const back = parseCheckpoint(
    serializeCheckpoint({ configHash: "", state: a.l.state, seconds: 0, progress: [], eval: [] }),
  );
  const buffer = back.state.extra!.rl_buffer_0!;
  // size, top, then rows of (o, a, r, r_context, o′, done): 20 initial steps at least.
  assert.ok(buffer[0]! >= 20 && buffer.length === 2 + buffer[0]! * 9);
  assert.deepEqual(back.state.extra, a.l.state.extra);
});

Deno.test("pearl evaluation: exploration episodes use the prior, later ones the posterior of the trial's context", () => {
  const { spec, config } = pearl({ ...TINY, exploration_trajectories: 1 });
  const { config: allPrior } = pearl({ ...TINY, exploration_trajectories: 3 });
  const family = robot() as TaskFamily;
  const tasks = [{ goalX: 0.5, goalY: -0.5 }, { goalX: -0.2, goalY: 0.9 }];
  const one = new Trainer(family, 3, spec, config, 2);
  const three = new Trainer(family, 3, spec, allPrior, 2);
  one.iterate();
  three.iterate();
  const a = one.evaluate(tasks, { seed: 4, greedy: true }),
    b = three.evaluate(tasks, { seed: 4, greedy: true });
  assert.equal(a.episodeReturns.length, 6);
  // Same first episode (the prior's z, same draws); the second differs once the posterior is used.
  assert.equal(a.episodeReturns[0], b.episodeReturns[0]);
  assert.notEqual(a.episodeReturns[1], b.episodeReturns[1]);
  assert.ok(
    Math.abs(
      a.trialReturns[0]! - (a.episodeReturns[0]! + a.episodeReturns[1]! + a.episodeReturns[2]!),
    ) < 1e-9,
  );
});
