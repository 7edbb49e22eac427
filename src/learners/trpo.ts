/**
 * The TRPO learners: RL² (a GRU policy whose memory spans the trial, the paper's method) and
 * the memoryless TRPO baseline (an MLP on the observation, same budget and update). Both take
 * one TRPO step per iteration (`src/algos/trpo.ts`), on discrete or continuous actions.
 *
 * @module
 */
import { z } from "zod";
import type { Assert, Same } from "../type_check.ts";
import { type TrpoConfig, trpoUpdate } from "../algos/trpo.ts";
import type { OnPolicyLearner } from "./learner.ts";
import { LINE_SEARCH_DIAGNOSTICS, lineSearchDiagnostics } from "../algos/update_stats.ts";
import { defineLearner, type UpdateDefinition } from "./define.ts";

/** The zod schema of the `trpo` block of a TRPO learner (RL² or memoryless). */
export const trpoSchema: z.ZodObject<{
  max_kl: z.ZodDefault<z.ZodNumber>;
  cg_iters: z.ZodDefault<z.ZodInt>;
  cg_damping: z.ZodDefault<z.ZodNumber>;
  backtrack_iters: z.ZodDefault<z.ZodInt>;
  backtrack_coeff: z.ZodDefault<z.ZodNumber>;
  fvp_subsample: z.ZodDefault<z.ZodNumber>;
  fd_step: z.ZodDefault<z.ZodNumber>;
  entropy_coeff: z.ZodDefault<z.ZodNumber>;
}, z.core.$strict> = z.strictObject({
  max_kl: z.number().positive().max(10).default(0.01).describe(
    "trust region: the bound δ on the mean KL between old and new policy (paper: 0.01)",
  ),
  cg_iters: z.int().min(1).max(1000).default(10).describe("conjugate-gradient iterations"),
  cg_damping: z.number().min(0).default(0.1).describe("damping added to the Fisher matrix"),
  backtrack_iters: z.int().min(1).max(100).default(10).describe("line-search halvings"),
  backtrack_coeff: z.number().gt(0).lt(1).default(0.5).describe("line-search shrink factor"),
  fvp_subsample: z.number().gt(0).max(1).default(1)
    .describe("fraction of trials used for Fisher–vector products (rllab subsample_factor)"),
  fd_step: z.number().positive().default(1e-2)
    .describe("norm of the parameter perturbation for the finite-difference J·v"),
  entropy_coeff: z.number().min(0).max(100).default(0)
    .describe(
      "β of an entropy bonus β·mean H(π) added to the surrogate (0: the paper's objective); " +
        "the trust region is unchanged",
    ),
});

type _TrpoConfigIsTheSchemaOutput = Assert<Same<TrpoConfig, z.output<typeof trpoSchema>>>;

/** The TRPO update's part of a learner: the `trpo` section and one TRPO step per iteration. */
const TRPO: UpdateDefinition<TrpoConfig> = {
  section: "trpo",
  updateStream: "fvp-subsample",
  stallSettings: ["cg_damping", "fd_step", "max_kl"],
  schema: trpoSchema,
  update: (trpo, sampling) => ({ policy, params, batch, rng }) => {
    const out = trpoUpdate(policy, params, batch, trpo, rng, sampling.chunk_trials);
    return { ...out, diagnostics: lineSearchDiagnostics(out.stats) };
  },
  actions: ["discrete", "continuous"],
  // Its line search: evaluations made, fraction of the natural-gradient step kept.
  diagnostics: LINE_SEARCH_DIAGNOSTICS,
  // Old key → where the experiment holds it now (fine-tuning is an evaluation protocol).
  moved: { finetune: "evaluation.finetune" },
};

/** RL² trained by TRPO: the paper's method. */
export const rl2Learner: OnPolicyLearner = defineLearner({
  kind: "rl2",
  description: "RL²: a GRU policy whose memory spans the trial, trained by TRPO",
  memory: "recurrent",
  ...TRPO,
});

/** The memoryless TRPO baseline: the same update on a policy without memory. */
export const memorylessTrpoLearner: OnPolicyLearner = defineLearner({
  kind: "trpo",
  description: "memoryless baseline: an MLP on the observation, trained by TRPO",
  memory: "memoryless",
  ...TRPO,
});
