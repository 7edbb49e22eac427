/**
 * The first-order TRPO learners: RL² as its authors' released code trains it for the paper's
 * tables (`rl2_fo_trpo`), and the memoryless baseline with the same update (`fo_trpo`). The
 * update is `src/algos/first_order_trpo.ts`; defaults of the `fo_trpo` block are that code's
 * (its Table 2 launcher: clip 0.1, 5 epochs of 128-trial minibatches, Adam 1e-3, gradients
 * clipped at 40, no entropy bonus) and the paper's trust region (mean KL 0.01).
 *
 * @module
 */
import { z } from "zod";
import type { Assert, Same } from "../type_check.ts";
import { type FirstOrderTrpoConfig, firstOrderTrpoUpdate } from "../algos/first_order_trpo.ts";
import type { OnPolicyLearner } from "./learner.ts";
import { LINE_SEARCH_DIAGNOSTICS, lineSearchDiagnostics } from "../algos/update_stats.ts";
import { defineLearner, type UpdateDefinition } from "./define.ts";

/** The zod schema of the `fo_trpo` block of a first-order TRPO learner. */
export const firstOrderTrpoSchema: z.ZodObject<{
  clip: z.ZodDefault<z.ZodNumber>;
  epochs: z.ZodDefault<z.ZodInt>;
  minibatch_trials: z.ZodDefault<z.ZodInt>;
  learning_rate: z.ZodDefault<z.ZodNumber>;
  max_kl: z.ZodDefault<z.ZodNumber>;
  gradient_clip: z.ZodDefault<z.ZodNumber>;
  backtrack_ratio: z.ZodDefault<z.ZodNumber>;
  max_backtracks: z.ZodDefault<z.ZodInt>;
  entropy_coeff: z.ZodDefault<z.ZodNumber>;
}, z.core.$strict> = z.strictObject({
  clip: z.number().gt(0).lt(1).default(0.1)
    .describe("clip range ε of the probability ratio (authors' code: 0.1)"),
  epochs: z.int().min(1).max(1000).default(5)
    .describe("passes over the batch per iteration (authors' code: 5)"),
  minibatch_trials: z.int().min(1).max(1_000_000).default(128)
    .describe("whole trials per minibatch (authors' code: 128)"),
  learning_rate: z.number().positive().max(1).default(1e-3)
    .describe("Adam step size (authors' code: 1e-3)"),
  max_kl: z.number().positive().max(10).default(0.01)
    .describe("trust region on the mean KL(old ‖ new) (paper: 0.01)"),
  gradient_clip: z.number().positive().default(40)
    .describe("every gradient entry is clipped to [−c, c] (authors' code: 40)"),
  backtrack_ratio: z.number().gt(0).lt(1).default(0.5)
    .describe("factor of each backtracking step towards the old parameters (authors' code: 0.5)"),
  max_backtracks: z.int().min(0).max(100).default(10)
    .describe("most backtracking steps (authors' code: 10)"),
  entropy_coeff: z.number().min(0).default(0)
    .describe("weight of the mean entropy added to the objective (authors' code: 0)"),
});

type _FirstOrderTrpoConfigIsTheSchemaOutput = Assert<
  Same<FirstOrderTrpoConfig, z.output<typeof firstOrderTrpoSchema>>
>;

/** The first-order TRPO update's part of a learner: the `fo_trpo` section. */
const FIRST_ORDER_TRPO: UpdateDefinition<FirstOrderTrpoConfig> = {
  section: "fo_trpo",
  updateStream: "minibatch-order",
  stallSettings: ["learning_rate", "clip", "max_kl", "gradient_clip"],
  actions: ["discrete"],
  schema: firstOrderTrpoSchema,
  // Old name → new name.
  renamed: { entropy_coef: "entropy_coeff" },
  update: (cfg, sampling) => ({ policy, params, batch, rng, optimizer }) => {
    const out = firstOrderTrpoUpdate(
      policy,
      params,
      batch,
      cfg,
      rng,
      sampling.chunk_trials,
      optimizer,
    );
    return { ...out, diagnostics: lineSearchDiagnostics(out.stats) };
  },
  // Its backtracking towards the old parameters: steps taken, fraction of the epochs' step kept.
  diagnostics: LINE_SEARCH_DIAGNOSTICS,
};

/** RL² trained by its authors' first-order TRPO. */
export const rl2FirstOrderTrpoLearner: OnPolicyLearner = defineLearner({
  kind: "rl2_fo_trpo",
  description: "RL² as its authors' code trains it: a GRU policy, first-order TRPO",
  memory: "recurrent",
  ...FIRST_ORDER_TRPO,
});

/** The memoryless baseline with the same first-order TRPO update. */
export const memorylessFirstOrderTrpoLearner: OnPolicyLearner = defineLearner({
  kind: "fo_trpo",
  description: "memoryless baseline: an MLP on the observation, trained by first-order TRPO",
  memory: "memoryless",
  ...FIRST_ORDER_TRPO,
});
