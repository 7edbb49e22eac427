/**
 * The TRPO learners: RL² (a GRU policy whose memory spans the trial, the paper's method) and
 * the memoryless TRPO baseline (an MLP on the observation, same budget and update). Both take
 * one TRPO step per iteration (`src/algos/trpo.ts`).
 *
 * @module
 */
import { z } from "zod";
import { samplingSchema, valueFitSchema } from "../algos/learner_config.ts";
import { type TrpoConfig, trpoSchema } from "../algos/trpo_config.ts";
import { trpoUpdate } from "../algos/trpo.ts";
import {
  type GruPolicyConfig,
  gruPolicySchema,
  type MlpPolicyConfig,
  mlpPolicySchema,
} from "../policies/config.ts";
import type { LearnerSpec } from "./learner.ts";
import { memorylessNetworks, recurrentNetworks } from "./networks.ts";

/** A TRPO learner on the networks that `networks` builds from its `policy` block. */
function trpoLearner(
  kind: string,
  description: string,
  policy: z.ZodObject,
  networks: LearnerSpec["networks"],
): LearnerSpec {
  return {
    kind,
    description,
    schema: z.strictObject({
      kind: z.literal(kind).describe(description),
      policy: policy.prefault({}),
      sampling: samplingSchema,
      trpo: trpoSchema.prefault({}),
      value: valueFitSchema.prefault({}),
    }),
    networks,
    update: (config) => {
      const trpo = config.trpo as TrpoConfig;
      const chunk = config.sampling.chunk_trials;
      return ({ net, params, batch, rng }) => trpoUpdate(net, params, batch, trpo, rng, chunk);
    },
  };
}

/** RL² trained by TRPO: the paper's method. */
export const rl2Learner: LearnerSpec = trpoLearner(
  "rl2",
  "RL²: a GRU policy whose memory spans the trial, trained by TRPO",
  gruPolicySchema,
  (family, config) => recurrentNetworks(family, config.policy as GruPolicyConfig),
);

/** The memoryless TRPO baseline: the same update on a policy without memory. */
export const memorylessTrpoLearner: LearnerSpec = trpoLearner(
  "trpo",
  "memoryless baseline: an MLP on the observation, trained by TRPO",
  mlpPolicySchema,
  (family, config) => memorylessNetworks(family, config.policy as MlpPolicyConfig),
);
