import assert from "node:assert/strict";
import { banditFamily } from "../../src/envs/bandit.ts";
import { Learner } from "../../src/algos/train.ts";
import { resolveLearner } from "../../src/learners/registry.ts";
import { parseCheckpoint, serializeCheckpoint } from "../../src/harness/run/checkpoint.ts";
import { useBackend } from "../_backend.ts";

const family = banditFamily({ arms: 3 });

for (const [kind, policy] of [["rl2_ppo", { gru: 8 }], ["ppo", { mlp: [8] }]] as const) {
  const { spec, config } = resolveLearner({
    kind,
    policy,
    sampling: { iterations: 4, batch_timesteps: 60 },
    ppo: { epochs: 2, minibatches: 3, learning_rate: 1e-2 },
    value: { epochs: 1, minibatches: 2 },
  });
  const train = (seed: number, iterations: number) => {
    const learner = new Learner(family, 4, spec, config, seed);
    const logs = Array.from({ length: iterations }, () => learner.iterate());
    return { learner, logs };
  };

  Deno.test(`${kind}: the same seed gives identical logs, parameters and Adam state`, async () => {
    await useBackend("wasm");
    const a = train(1, 3);
    const b = train(1, 3);
    const c = train(2, 3);
    assert.deepEqual(a.logs, b.logs);
    assert.deepEqual(a.learner.state, b.learner.state);
    assert.equal(a.learner.state.policyOptimizer?.t, 3 * 2 * 3);
    assert.ok(a.logs.every((l) => l.accepted && l.kl > 0 && l.lineSearchSteps === 0));
    assert.notDeepEqual(a.learner.state.policy, c.learner.state.policy);
  });

  Deno.test(`${kind}: 2 iterations, a checkpoint and 2 more equal 4 iterations`, async () => {
    await useBackend("wasm");
    const whole = train(3, 4);
    const half = train(3, 2);
    // Through a checkpoint's text, as a resumed run reads it.
    const text = serializeCheckpoint({
      configHash: "",
      state: half.learner.state,
      seconds: 0,
      progress: [],
      eval: [],
    });
    const resumed = new Learner(family, 4, spec, config, 3, parseCheckpoint(text).state);
    const rest = [resumed.iterate(), resumed.iterate()];
    assert.deepEqual([...half.logs, ...rest], whole.logs);
    assert.deepEqual(resumed.state, whole.learner.state);
  });
}
