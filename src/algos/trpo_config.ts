/**
 * Every TRPO and value-fit hyperparameter, with its default and meaning, in one place.
 * Defaults are the RL² paper's (Appendix A) where it states one.
 *
 * @module
 */
import { z } from "zod";
import type { Assert, Same } from "../type_check.ts";

/** TRPO hyperparameters: the `trpo` block of an agent, defaults filled in. */
export interface TrpoConfig {
  /** Policy iterations (paper: up to 1000 for bandits, 10000 for MDPs). */
  iterations: number;
  /** Environment steps per iteration, a multiple of the trial length (paper: 250000). */
  batch_timesteps: number;
  /** Trust region: the bound δ on the mean KL between old and new policy (paper: 0.01). */
  max_kl: number;
  /** Discount over the whole trial (paper: 0.99). */
  gamma: number;
  /** GAE λ (paper: 0.3). */
  gae_lambda: number;
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
  /** Standardise advantages per batch. */
  normalize_advantages: boolean;
  /** Trials per forward/backward chunk: bounds memory; results agree up to float rounding. */
  chunk_trials: number;
}

/** Value-fit hyperparameters: the `value` block of an agent, defaults filled in. */
export interface ValueFitConfig {
  /** Passes over the batch per iteration. */
  epochs: number;
  /** Minibatches (of trials) per epoch. */
  minibatches: number;
  /** Adam step size. */
  learning_rate: number;
}

/** The zod schema of the `trpo` block of an RL² or memoryless-TRPO agent. */
export const trpoSchema: z.ZodObject<{
  iterations: z.ZodInt;
  batch_timesteps: z.ZodInt;
  max_kl: z.ZodDefault<z.ZodNumber>;
  gamma: z.ZodDefault<z.ZodNumber>;
  gae_lambda: z.ZodDefault<z.ZodNumber>;
  cg_iters: z.ZodDefault<z.ZodInt>;
  cg_damping: z.ZodDefault<z.ZodNumber>;
  backtrack_iters: z.ZodDefault<z.ZodInt>;
  backtrack_coeff: z.ZodDefault<z.ZodNumber>;
  fvp_subsample: z.ZodDefault<z.ZodNumber>;
  fd_step: z.ZodDefault<z.ZodNumber>;
  normalize_advantages: z.ZodDefault<z.ZodBoolean>;
  chunk_trials: z.ZodDefault<z.ZodInt>;
}, z.core.$strict> = z.strictObject({
  iterations: z.int().min(1).max(1_000_000).describe("policy iterations (paper: up to 1000)"),
  batch_timesteps: z.int().min(1).max(100_000_000)
    .describe("environment steps per iteration (paper: 250000); whole trials are sampled"),
  max_kl: z.number().positive().max(10).default(0.01).describe("trust region: mean KL bound δ"),
  gamma: z.number().min(0).max(1).default(0.99).describe("discount over the whole trial"),
  gae_lambda: z.number().min(0).max(1).default(0.3).describe("GAE λ"),
  cg_iters: z.int().min(1).max(1000).default(10).describe("conjugate-gradient iterations"),
  cg_damping: z.number().min(0).default(0.1).describe("damping added to the Fisher matrix"),
  backtrack_iters: z.int().min(1).max(100).default(10).describe("line-search halvings"),
  backtrack_coeff: z.number().gt(0).lt(1).default(0.5).describe("line-search shrink factor"),
  fvp_subsample: z.number().gt(0).max(1).default(1)
    .describe("fraction of trials used for Fisher–vector products (rllab subsample_factor)"),
  fd_step: z.number().positive().default(1e-2)
    .describe("norm of the parameter perturbation for the finite-difference J·v"),
  normalize_advantages: z.boolean().default(true).describe("standardise advantages per batch"),
  chunk_trials: z.int().min(1).default(1024)
    .describe(
      "trials per forward/backward chunk: bounds memory; results agree up to float rounding",
    ),
});

/** The zod schema of the `value` block: the value network's fit on every iteration's batch. */
export const valueFitSchema: z.ZodObject<{
  epochs: z.ZodDefault<z.ZodInt>;
  minibatches: z.ZodDefault<z.ZodInt>;
  learning_rate: z.ZodDefault<z.ZodNumber>;
}, z.core.$strict> = z.strictObject({
  epochs: z.int().min(0).max(1000).default(2).describe("passes over the batch per iteration"),
  minibatches: z.int().min(1).max(10000).default(2).describe("minibatches (of trials) per epoch"),
  learning_rate: z.number().positive().max(1).default(3e-3).describe("Adam step size"),
});

type _TrpoConfigIsTheSchemaOutput = Assert<Same<TrpoConfig, z.output<typeof trpoSchema>>>;
type _ValueFitConfigIsTheSchemaOutput = Assert<
  Same<ValueFitConfig, z.output<typeof valueFitSchema>>
>;
