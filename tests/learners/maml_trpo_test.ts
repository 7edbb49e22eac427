import assert from "node:assert/strict";
import { navigationFamily, navigationTaskSchema } from "../../src/envs/navigation.ts";
import { Trainer } from "../../src/learners/train.ts";
import { resolveLearner } from "../../src/learners/registry.ts";
import { Rng } from "../../src/rng.ts";
import { assertResumes } from "./_resume.ts";
import { useBackend } from "../_backend.ts";

const family = navigationFamily(
  navigationTaskSchema.parse({ kind: "navigation", episodes: 3, max_steps: 8 }),
);

Deno.test("maml_trpo's defaults are the MAML paper's RL settings", () => {
  const { config } = resolveLearner({ kind: "maml_trpo", sampling: { iterations: 1 } });
  const c = config as unknown as Record<string, Record<string, unknown>>;
  assert.deepEqual(c.policy, { mlp: [100, 100], norm: "none" });
  assert.equal(c.maml!.meta_batch, 20);
  assert.equal(c.maml!.trajectories, 20);
  assert.equal(c.maml!.inner_steps, 1);
  assert.equal(c.maml!.inner_lr, 0.1);
  assert.equal(c.maml!.max_kl, 0.01);
  assert.equal(c.maml!.first_order, false);
  assert.equal(c.maml!.eval_later_lr, 0.05);
  assert.equal(c.sampling!.gamma, 0.99);
  assert.equal(c.sampling!.gae_lambda, 1);
});

for (const firstOrder of [false, true]) {
  const { spec, config } = resolveLearner({
    kind: "maml_trpo",
    policy: { mlp: [8] },
    sampling: { iterations: 4 },
    maml: { meta_batch: 2, trajectories: 3, first_order: firstOrder, inner_lr: 0.5 },
  });
  const train = (seed: number, iterations: number) => {
    const learner = new Trainer(family, 3, spec, config, seed);
    const logs = Array.from({ length: iterations }, () => learner.iterate());
    return { learner, logs };
  };
  const name = firstOrder ? "first-order" : "second-order";

  Deno.test(`maml_trpo (${name}): the same seed gives identical logs and parameters`, async () => {
    await useBackend("cpu");
    const a = train(1, 2);
    const b = train(1, 2);
    const c = train(2, 2);
    assert.deepEqual(a.logs, b.logs);
    assert.deepEqual(a.learner.state, b.learner.state);
    assert.notDeepEqual(a.learner.state.policy, c.learner.state.policy);
    // 2 tasks × 2 stages × 3 trajectories of at most 8 steps per iteration.
    assert.ok(a.logs[0]!.timesteps > 0 && a.logs[0]!.timesteps <= 2 * 2 * 3 * 8);
    assert.ok(a.logs.some((l) => l.accepted && l.kl > 0 && l.kl <= 0.01));
    assert.equal(a.learner.state.policy.length, (2 * 8 + 8) + (8 * 2 + 2) + 2);
  });

  Deno.test(`maml_trpo (${name}): 2 iterations, a checkpoint and 2 more equal 4 iterations`, async () => {
    await useBackend("cpu");
    assertResumes(family, 3, spec, config, 3);
  });
}

Deno.test("maml_trpo evaluates before adaptation and after each inner step, deterministically", async () => {
  await useBackend("cpu");
  const { spec, config } = resolveLearner({
    kind: "maml_trpo",
    policy: { mlp: [8] },
    sampling: { iterations: 1 },
    maml: { meta_batch: 2, trajectories: 3 },
  });
  const learner = new Trainer(family, 3, spec, config, 4);
  const taskRng = Rng.derive(9, "eval-tasks");
  const tasks = [family.sampleTask(taskRng), family.sampleTask(taskRng)];
  const a = learner.evaluate(tasks, { seed: 9 });
  assert.deepEqual(a, learner.evaluate(tasks, { seed: 9 }));
  assert.equal(a.episodeReturns.length, 2 * 3);
  for (let b = 0; b < 2; b++) {
    const stages = a.episodeReturns.subarray(b * 3, b * 3 + 3);
    assert.ok(stages.every((r) => r < 0 && r >= -8 * 1.5));
    assert.ok(Math.abs(a.trialReturns[b]! - stages.reduce((x, y) => x + y)) < 1e-9);
  }
  assert.notDeepEqual(a.episodeReturns, learner.evaluate(tasks, { seed: 10 }).episodeReturns);
});

Deno.test("maml_trpo's eval_trajectories sets K at evaluation only (K when absent)", async () => {
  await useBackend("cpu");
  const learnerWith = (maml: Record<string, unknown>) => {
    const { spec, config } = resolveLearner({
      kind: "maml_trpo",
      policy: { mlp: [8] },
      sampling: { iterations: 1 },
      maml: { meta_batch: 2, trajectories: 3, ...maml },
    });
    return new Trainer(family, 3, spec, config, 4);
  };
  const tasks = [family.sampleTask(Rng.derive(9, "eval-tasks"))];
  const plain = learnerWith({});
  const same = learnerWith({ eval_trajectories: 3 });
  const wide = learnerWith({ eval_trajectories: 12 });
  assert.deepEqual(plain.evaluate(tasks, { seed: 9 }), same.evaluate(tasks, { seed: 9 }));
  assert.notDeepEqual(plain.evaluate(tasks, { seed: 9 }), wide.evaluate(tasks, { seed: 9 }));
  // Training does not see it.
  assert.deepEqual(learnerWith({}).iterate(), learnerWith({ eval_trajectories: 12 }).iterate());
});

Deno.test("maml_trpo with the authors' float32 finite-difference KL Hessian trains deterministically", async () => {
  await useBackend("cpu");
  const { spec, config } = resolveLearner({
    kind: "maml_trpo",
    policy: { mlp: [8] },
    sampling: { iterations: 2 },
    maml: {
      meta_batch: 2,
      trajectories: 3,
      inner_lr: 0.5,
      kl_hessian: "float32_finite_difference",
    },
  });
  const run = () => {
    const learner = new Trainer(family, 3, spec, config, 1);
    return { logs: [learner.iterate(), learner.iterate()], policy: learner.state.policy };
  };
  const a = run();
  assert.deepEqual(a, run());
  // Every accepted step still respects the trust region: the line search checks the real KL.
  for (const log of a.logs) assert.ok(!log.accepted || (log.kl > 0 && log.kl <= 0.01));
  const exact = resolveLearner({
    kind: "maml_trpo",
    policy: { mlp: [8] },
    sampling: { iterations: 2 },
    maml: { meta_batch: 2, trajectories: 3, inner_lr: 0.5 },
  });
  const e = new Trainer(family, 3, exact.spec, exact.config, 1);
  e.iterate();
  assert.notDeepEqual(e.state.policy, a.policy);
});
