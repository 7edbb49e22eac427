import assert from "node:assert/strict";
import { banditFamily } from "../../src/envs/bandit.ts";
import { Trainer } from "../../src/learners/train.ts";
import { resolveLearner } from "../../src/learners/registry.ts";
import { assertResumes } from "./_resume.ts";
import { useBackend } from "../_backend.ts";

const family = banditFamily({ arms: 3 });

// The learners whose update keeps an Adam state across iterations, and the Adam steps each
// takes per iteration (15 trials of 4 steps a batch).
const learners = [
  [{ kind: "rl2_ppo", policy: { gru: 8 }, ppo: { epochs: 2, minibatches: 3 } }, 2 * 3],
  [{ kind: "ppo", policy: { mlp: [8] }, ppo: { epochs: 2, minibatches: 3 } }, 2 * 3],
  [
    {
      kind: "rl2_fo_trpo",
      policy: { gru: 8, activation: "relu", gain_init: "one", start_input: "no_action_done" },
      fo_trpo: { epochs: 2, minibatch_trials: 4, max_kl: 0.05 },
    },
    2 * 4,
  ],
  [{ kind: "fo_trpo", policy: { mlp: [8] }, fo_trpo: { epochs: 2, minibatch_trials: 4 } }, 2 * 4],
] as const;

for (const [block, stepsPerIteration] of learners) {
  const { kind } = block;
  const { spec, config } = resolveLearner({
    ...block,
    sampling: { iterations: 4, batch_timesteps: 60 },
    value: { epochs: 1, minibatches: 2 },
  });
  const train = (seed: number, iterations: number) => {
    const learner = new Trainer(family, 4, spec, config, seed);
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
    assert.equal(a.learner.state.policyOptimizer?.t, 3 * stepsPerIteration);
    assert.ok(a.logs.every((l) => l.accepted && l.kl > 0));
    assert.notDeepEqual(a.learner.state.policy, c.learner.state.policy);
  });

  Deno.test(`${kind}: each iteration gives its update's own diagnostics`, async () => {
    await useBackend("wasm");
    for (const log of train(1, 2).logs) {
      assert.deepEqual(Object.keys(log.diagnostics), spec.diagnostics);
      if (spec.diagnostics.includes("clip_fraction")) {
        // PPO: the share of clipped steps and the approximate KL, no line search.
        const { clip_fraction: clipped, approx_kl: approxKl } = log.diagnostics;
        assert.ok(clipped! >= 0 && clipped! <= 1, `clip fraction ${clipped}`);
        assert.ok(approxKl! > 0 && approxKl! < 5 * log.kl + 1e-3, `approximate KL ${approxKl}`);
      } else {
        // First-order TRPO: its backtracking's steps and the fraction of the step it kept.
        const fraction = log.diagnostics.step_fraction!;
        assert.equal(fraction, 0.5 ** log.diagnostics.line_search_steps!);
      }
    }
  });

  Deno.test(`${kind}: 2 iterations, a checkpoint and 2 more equal 4 iterations`, async () => {
    await useBackend("wasm");
    assertResumes(family, 4, spec, config, 3);
  });
}
