import assert from "node:assert/strict";
import { navigationFamily, navigationTaskSchema } from "../../src/envs/navigation.ts";
import { banditFamily } from "../../src/envs/bandit.ts";
import { Learner } from "../../src/learners/train.ts";
import { resolveLearner } from "../../src/learners/registry.ts";
import { parseCheckpoint, serializeCheckpoint } from "../../src/harness/run/checkpoint.ts";
import { Rng } from "../../src/rng.ts";
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
    const learner = new Learner(family, 2, spec, config, seed);
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
    assert.equal(a.learner.state.policy.length, a.learner.policyNet.size + 2);
    assert.equal(a.learner.policyNet.outputDim, 2);
    assert.ok(a.logs.every((l) => l.accepted && l.kl > 0 && l.kl <= 0.01));
    assert.ok(a.logs.every((l) => l.timesteps <= 2 * 60 && l.returnMean < 0));
    const tasks = [family.sampleTask(Rng.derive(0, "t")), family.sampleTask(Rng.derive(1, "t"))];
    const evaluation = a.learner.evaluate(tasks, 5);
    assert.equal(evaluation.episodeReturns.length, 4);
    assert.deepEqual(evaluation, a.learner.evaluate(tasks, 5));
  });

  Deno.test(`${block.kind} on continuous actions: 2 iterations, a checkpoint and 2 more equal 4`, async () => {
    await useBackend("cpu");
    const whole = train(3, 4);
    const half = train(3, 2);
    const text = serializeCheckpoint({
      configHash: "",
      state: half.learner.state,
      seconds: 0,
      progress: [],
      eval: [],
    });
    const resumed = new Learner(family, 2, spec, config, 3, parseCheckpoint(text).state);
    const rest = [resumed.iterate(), resumed.iterate()];
    assert.deepEqual([...half.logs, ...rest], whole.logs);
    assert.deepEqual(resumed.state, whole.learner.state);
  });
}

Deno.test("learners without a continuous-action update refuse such families; maml_trpo refuses discrete ones", () => {
  const ppo = resolveLearner({ kind: "ppo", sampling: { iterations: 1, batch_timesteps: 6 } });
  assert.throws(() => new Learner(family, 1, ppo.spec, ppo.config, 0), /no update for continuous/);
  const maml = resolveLearner({ kind: "maml_trpo", sampling: { iterations: 1 } });
  assert.throws(
    () => new Learner(banditFamily({ arms: 2 }), 1, maml.spec, maml.config, 0),
    /continuous actions/,
  );
});
