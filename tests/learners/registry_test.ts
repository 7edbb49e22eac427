import assert from "node:assert/strict";
import type { z } from "zod";
import { banditFamily } from "../../src/envs/bandit.ts";
import { Trainer } from "../../src/learners/train.ts";
import { BASELINES } from "../../src/baselines/registry.ts";
import type { LearnerSpec, UpdateInput } from "../../src/learners/learner.ts";
import { findLearner, LEARNERS, resolveLearner } from "../../src/learners/registry.ts";
import { agentSchema } from "../../src/experiment/schema.ts";
import { useBackend } from "../_backend.ts";

Deno.test("LEARNERS: kinds are unique and never a classic baseline's", () => {
  const kinds = LEARNERS.map((l) => l.kind);
  assert.equal(new Set(kinds).size, kinds.length);
  for (const kind of kinds) assert.ok(!BASELINES.some((b) => b.kind === kind), kind);
  assert.equal(findLearner("rl2")?.kind, "rl2");
  assert.equal(findLearner("ucb1"), undefined);
});

Deno.test("every learner's block is an agent of the experiment schema, with shared defaults", () => {
  for (const learner of LEARNERS) {
    const shape = learner.schema.shape;
    const counts = "batch_timesteps" in (shape.sampling as z.ZodObject).shape;
    const sampling = counts ? { iterations: 2, batch_timesteps: 10 } : { iterations: 2 };
    const block = { kind: learner.kind, sampling };
    const { config } = resolveLearner(block);
    assert.deepEqual(agentSchema("bandit").parse(block), config, learner.kind);
    assert.equal(config.sampling.gamma, 0.99);
    // Learners with a value network share its fit's defaults (PEARL's sizes are its own block's).
    if ("value" in shape) assert.equal(config.value.epochs, 2, learner.kind);
  }
  assert.throws(() => resolveLearner({ kind: "ucb1" }), /no learner of kind "ucb1"/);
});

Deno.test("Trainer runs the update rule of its spec, with its optimiser state carried over", async () => {
  await useBackend("cpu");
  const rl2 = findLearner("rl2")!;
  assert.equal(rl2.shape, "on-policy");
  if (rl2.shape !== "on-policy") return;
  const calls: UpdateInput[] = [];
  // A learner that keeps the policy and counts its updates in an optimiser state.
  const spy: LearnerSpec = {
    ...rl2,
    kind: "spy",
    update: () => (input) => {
      calls.push(input);
      const t = (input.optimizer?.t ?? 0) + 1;
      return {
        params: input.params,
        stats: {
          kl: 0,
          entropy: 1,
          surrogateImprovement: 0,
          accepted: true,
          gradientNorm: 0,
        },
        diagnostics: { line_search_steps: 0, step_fraction: 1 },
        optimizer: { m: new Float32Array(1), v: new Float32Array(1), t },
      };
    },
  };
  const { config } = resolveLearner({
    kind: "rl2",
    policy: { gru: 4 },
    sampling: { iterations: 3, batch_timesteps: 30 },
    value: { epochs: 0 },
  });
  const learner = new Trainer(banditFamily({ arms: 3 }), 3, spy, config, 0);
  const before = learner.state.policy.slice();
  for (let i = 0; i < 3; i++) learner.iterate();
  assert.equal(calls.length, 3);
  assert.deepEqual(calls.map((c) => c.optimizer?.t), [undefined, 1, 2]);
  assert.equal(learner.state.policyOptimizer?.t, 3);
  assert.deepEqual(learner.state.policy, before);
  assert.equal(calls[0]!.batch.advantages.length, calls[0]!.batch.T * calls[0]!.batch.B);
});
