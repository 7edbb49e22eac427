/**
 * The smallest learner with its own loop (docs/learners.md, "A learner with its own loop"): it
 * keeps its own arrays in `state.extra`, and a trainer restored from its state continues it.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { Rng } from "../../src/rng.ts";
import { banditFamily } from "../../src/envs/bandit.ts";
import { Trainer } from "../../src/learners/train.ts";
import type { LearnerAgentConfig, OwnLoopLearner } from "../../src/learners/learner.ts";
import { emptyValueState } from "../../src/learners/state.ts";

/** A learner with its own loop that counts its iterations in an array of its own. */
const counter: OwnLoopLearner = {
  shape: "own-loop",
  kind: "counter",
  description: "counts",
  schema: z.strictObject({ kind: z.literal("counter") }),
  stallSettings: [],
  actions: ["discrete", "continuous"],
  diagnostics: [],
  loop: (c) => ({
    init: () => ({
      iteration: 0,
      timesteps: 0,
      policy: new Float32Array(1),
      value: emptyValueState(),
      extra: { counts: new Float32Array(2) },
    }),
    iterate(state) {
      const counts = state.extra!.counts!;
      counts[0]!++;
      counts[1] = Rng.derive(c.seed, "counter", state.iteration).uniform();
      state.iteration++;
      return {
        iteration: state.iteration,
        timesteps: 0,
        returnMean: counts[0]!,
        returnStd: 0,
        kl: 0,
        entropy: 0,
        surrogateImprovement: 0,
        valueLoss: 0,
        accepted: true,
        explainedVariance: 0,
        advantageMean: 0,
        advantageStd: 0,
        gradientNorm: 0,
        diagnostics: {},
      };
    },
    evaluate: (_state, tasks) => ({
      trialReturns: new Float64Array(tasks.length),
      episodeReturns: new Float64Array(tasks.length * c.episodes),
    }),
  }),
};

Deno.test("a learner with its own loop keeps its own arrays in the state and resumes from it", () => {
  const family = banditFamily({ arms: 2 });
  const config = { kind: "counter" } as unknown as LearnerAgentConfig;
  const learner = new Trainer(family, 3, counter, config, 5);
  assert.equal(learner.networks, undefined);
  learner.iterate();
  const resumed = new Trainer(family, 3, counter, config, 5, structuredClone(learner.state));
  learner.iterate();
  resumed.iterate();
  assert.deepEqual(resumed.state, learner.state);
  assert.equal(learner.state.extra!.counts![0], 2);
  assert.equal(learner.evaluate([0, 1], { seed: 1 }).episodeReturns.length, 6);
});
