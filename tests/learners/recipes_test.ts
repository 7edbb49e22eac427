/**
 * The two learner recipes of docs/learners.md, as written there: an on-policy learner made with
 * `defineLearner` (here a vanilla policy-gradient step) trains in the shared loop on discrete and
 * continuous actions, and a learner with its own loop keeps its own arrays in `state.extra`.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { Rng } from "../../src/rng.ts";
import { banditFamily } from "../../src/envs/bandit.ts";
import { navigationFamily, navigationTaskSchema } from "../../src/envs/navigation.ts";
import { defineLearner } from "../../src/learners/define.ts";
import { Trainer } from "../../src/learners/train.ts";
import type { LearnerAgentConfig, OwnLoopLearner } from "../../src/learners/learner.ts";
import { emptyValueState } from "../../src/learners/state.ts";
import { vanillaPolicyGradient } from "../../src/algos/policy_gradient.ts";
import { useBackend } from "../_backend.ts";

const vpgSchema = z.strictObject({
  learning_rate: z.number().positive().default(0.1).describe("step size of the ascent"),
});

/** A vanilla policy-gradient learner: one gradient-ascent step per iteration. */
const vpg = defineLearner<z.output<typeof vpgSchema>>({
  kind: "vpg",
  description: "memoryless baseline: an MLP on the observation, one policy-gradient step",
  memory: "memoryless",
  section: "vpg",
  schema: vpgSchema,
  update: (cfg, sampling) => ({ policy, params, batch }) => {
    const g = vanillaPolicyGradient(policy, params, batch, sampling.chunk_trials);
    return {
      params: Float32Array.from(params, (p, i) => p + cfg.learning_rate * g[i]!),
      stats: {
        kl: 0,
        entropy: policy.dist.meanEntropy(batch),
        surrogateImprovement: 0,
        gradientNorm: Math.hypot(...g),
        accepted: true,
      },
      diagnostics: {},
    };
  },
  updateStream: "vpg",
  diagnostics: [],
  stallSettings: ["learning_rate"],
  actions: ["discrete", "continuous"],
});

Deno.test("an on-policy learner made as docs/learners.md says trains on both kinds of action", async () => {
  await useBackend("cpu");
  const config = vpg.schema.parse({
    kind: "vpg",
    policy: { mlp: [8] },
    sampling: { iterations: 2, batch_timesteps: 40 },
    value: { epochs: 1 },
  }) as LearnerAgentConfig;
  assert.deepEqual(config.vpg, { learning_rate: 0.1 });
  assert.deepEqual(vpg.stallSettings, ["vpg.learning_rate"]);
  const nav = navigationFamily(
    navigationTaskSchema.parse({ kind: "navigation", episodes: 2, max_steps: 5 }),
  );
  for (const family of [banditFamily({ arms: 3 }), nav]) {
    const learner = new Trainer(family, 2, vpg, config, 0);
    const before = learner.state.policy.slice();
    const logs = [learner.iterate(), learner.iterate()];
    assert.notDeepEqual(learner.state.policy, before);
    assert.ok(logs.every((l) => l.accepted && Object.keys(l.diagnostics).length === 0));
    const again = new Trainer(family, 2, vpg, config, 0);
    again.iterate();
    again.iterate();
    assert.deepEqual(again.state, learner.state);
  }
});

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
