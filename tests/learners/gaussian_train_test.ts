import assert from "node:assert/strict";
import { navigationFamily, navigationTaskSchema } from "../../src/envs/navigation.ts";
import { banditFamily } from "../../src/envs/bandit.ts";
import { Trainer } from "../../src/learners/train.ts";
import { resolveLearner } from "../../src/learners/registry.ts";
import { Rng } from "../../src/rng.ts";
import { assertResumes } from "./_resume.ts";
import { useBackend } from "../_backend.ts";

const family = navigationFamily(
  navigationTaskSchema.parse({ kind: "navigation", episodes: 2, max_steps: 6 }),
);

const blocks = [
  { kind: "rl2", policy: { gru: 8 } },
  { kind: "trpo", policy: { mlp: [8] } },
] as const;

for (const block of blocks) {
  const { spec, config } = resolveLearner({
    ...block,
    sampling: { iterations: 4, batch_timesteps: 60 },
    value: { epochs: 1, minibatches: 2 },
  });
  const train = (seed: number, iterations: number) => {
    const learner = new Trainer(family, 2, spec, config, seed);
    const logs = Array.from({ length: iterations }, () => learner.iterate());
    return { learner, logs };
  };

  Deno.test(`${block.kind} on continuous actions: a Gaussian policy, deterministic per seed`, async () => {
    await useBackend("cpu");
    const a = train(1, 2);
    const b = train(1, 2);
    const c = train(2, 2);
    assert.deepEqual(a.logs, b.logs);
    assert.deepEqual(a.learner.state, b.learner.state);
    assert.notDeepEqual(a.learner.state.policy, c.learner.state.policy);
    // The network's parameters and two log standard deviations, starting at 0.
    assert.equal(a.learner.state.policy.length, a.learner.networks!.policy.net.size + 2);
    assert.equal(a.learner.networks!.policy.net.outputDim, 2);
    assert.ok(a.logs.every((l) => l.accepted && l.kl > 0 && l.kl <= 0.01));
    assert.ok(a.logs.every((l) => l.timesteps <= 2 * 60 && l.returnMean < 0));
    const tasks = [family.sampleTask(Rng.derive(0, "t")), family.sampleTask(Rng.derive(1, "t"))];
    const evaluation = a.learner.evaluate(tasks, { seed: 5 });
    assert.equal(evaluation.episodeReturns.length, 4);
    assert.deepEqual(evaluation, a.learner.evaluate(tasks, { seed: 5 }));
  });

  Deno.test(`${block.kind} on continuous actions: 2 iterations, a checkpoint and 2 more equal 4`, async () => {
    await useBackend("cpu");
    assertResumes(family, 2, spec, config, 3);
  });
}

Deno.test("rl2 on continuous actions honours an entropy bonus and a Fisher subsample", async () => {
  await useBackend("cpu");
  const run = (trpo: Record<string, number>) => {
    const { spec, config } = resolveLearner({
      kind: "rl2",
      policy: { gru: 8 },
      sampling: { iterations: 2, batch_timesteps: 60 },
      value: { epochs: 1, minibatches: 2 },
      trpo,
    });
    const learner = new Trainer(family, 2, spec, config, 1);
    return { logs: [learner.iterate(), learner.iterate()], policy: learner.state.policy };
  };
  const plain = run({});
  const bonus = run({ entropy_coeff: 0.1 });
  const subsampled = run({ fvp_subsample: 0.5 });
  for (const r of [bonus, subsampled]) {
    assert.ok(r.logs.every((l) => l.accepted && l.kl > 0 && l.kl <= 0.01));
    assert.notDeepEqual(r.policy, plain.policy);
  }
  assert.deepEqual(run({ fvp_subsample: 0.5 }), subsampled);
  // The bonus pushes the log standard deviations (the last two parameters) up.
  const n = plain.policy.length;
  assert.ok(
    bonus.policy[n - 1]! + bonus.policy[n - 2]! > plain.policy[n - 1]! + plain.policy[n - 2]!,
  );
});

Deno.test("learners without a continuous-action update refuse such families; maml_trpo refuses discrete ones", () => {
  const ppo = resolveLearner({ kind: "ppo", sampling: { iterations: 1, batch_timesteps: 6 } });
  assert.throws(() => new Trainer(family, 1, ppo.spec, ppo.config, 0), /no update for continuous/);
  const maml = resolveLearner({ kind: "maml_trpo", sampling: { iterations: 1 } });
  assert.throws(
    () => new Trainer(banditFamily({ arms: 2 }), 1, maml.spec, maml.config, 0),
    /continuous actions/,
  );
});
