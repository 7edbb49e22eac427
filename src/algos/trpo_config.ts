/**
 * Every hyperparameter of the TRPO update (the `trpo` block of a TRPO learner), with its
 * default and meaning, in one place. Defaults are the RL² paper's (Appendix A) where it states
 * one; the sampling and value-fit settings every learner shares are in `learner_config.ts`.
 *
 * @module
 */
import { z } from "zod";
import type { Assert, Same } from "../type_check.ts";

/** TRPO hyperparameters: the `trpo` block of an agent, defaults filled in. */
export interface TrpoConfig {
  /** Trust region: the bound δ on the mean KL between old and new policy (paper: 0.01). */
  max_kl: number;
  /** Conjugate-gradient iterations. */
  cg_iters: number;
  /** Damping added to the Fisher matrix. */
  cg_damping: number;
  /** Line-search halvings. */
  backtrack_iters: number;
  /** Line-search shrink factor. */
  backtrack_coeff: number;
  /** Fraction of trials used for Fisher–vector products (rllab's `subsample_factor`). */
  fvp_subsample: number;
  /** Norm of the parameter perturbation for the finite-difference J·v. */
  fd_step: number;
  /** β of an entropy bonus β·mean H(π) in the surrogate (0: the paper's objective). */
  entropy_coeff: number;
}

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
  max_kl: z.number().positive().max(10).default(0.01).describe("trust region: mean KL bound δ"),
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
