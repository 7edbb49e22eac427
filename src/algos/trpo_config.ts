/**
 * Every TRPO and value-fit hyperparameter, with its default and meaning, in one place.
 * Defaults are the RL² paper's (Appendix A) where it states one.
 *
 * @module
 */
import { z } from "zod";

/** The `trpo` block of an RL² or memoryless-TRPO agent. */
export const trpoSchema = z.strictObject({
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
  entropy_coeff: z.number().min(0).max(100).default(0)
    .describe(
      "β of an entropy bonus β·mean H(π) added to the surrogate (0: the paper's objective); " +
        "the trust region is unchanged",
    ),
  normalize_advantages: z.boolean().default(true).describe("standardise advantages per batch"),
  chunk_trials: z.int().min(1).default(1024)
    .describe(
      "trials per forward/backward chunk: bounds memory; results agree up to float rounding",
    ),
});
/** TRPO hyperparameters. */
export type TrpoConfig = z.infer<typeof trpoSchema>;

/** The `value` block: the value network's fit on every iteration's batch. */
export const valueFitSchema = z.strictObject({
  epochs: z.int().min(0).max(1000).default(2).describe("passes over the batch per iteration"),
  minibatches: z.int().min(1).max(10000).default(2).describe("minibatches (of trials) per epoch"),
  learning_rate: z.number().positive().max(1).default(3e-3).describe("Adam step size"),
});
/** Value-fit hyperparameters. */
export type ValueFitConfig = z.infer<typeof valueFitSchema>;
