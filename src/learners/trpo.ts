/**
 * The TRPO learners: RL² (a GRU policy whose memory spans the trial, the paper's method) and
 * the memoryless TRPO baseline (an MLP on the observation, same budget and update). Both take
 * one TRPO step per iteration (`src/algos/trpo.ts`).
 *
 * @module
 */
import { type TrpoConfig, trpoSchema } from "../algos/trpo_config.ts";
import { trpoUpdate } from "../algos/trpo.ts";
import type { LearnerSpec } from "./learner.ts";
import { defineLearner, type LearnerDefinition } from "./define.ts";

/** The TRPO update's part of a learner: the `trpo` section and one TRPO step per iteration. */
const TRPO: Pick<LearnerDefinition<TrpoConfig>, "section" | "schema" | "update" | "stream"> = {
  section: "trpo",
  stream: "fvp-subsample",
  schema: trpoSchema,
  update: (trpo, sampling) => ({ net, params, batch, rng }) =>
    trpoUpdate(net, params, batch, trpo, rng, sampling.chunk_trials),
};

/** RL² trained by TRPO: the paper's method. */
export const rl2Learner: LearnerSpec = defineLearner({
  kind: "rl2",
  description: "RL²: a GRU policy whose memory spans the trial, trained by TRPO",
  memory: "recurrent",
  ...TRPO,
});

/** The memoryless TRPO baseline: the same update on a policy without memory. */
export const memorylessTrpoLearner: LearnerSpec = defineLearner({
  kind: "trpo",
  description: "memoryless baseline: an MLP on the observation, trained by TRPO",
  memory: "memoryless",
  ...TRPO,
});
