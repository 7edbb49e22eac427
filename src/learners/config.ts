/**
 * The settings every learner shares, whatever its update rule: how a batch is sampled and its
 * advantages estimated (the `sampling` block), and how the value baseline is fitted (the
 * `value` block). Defaults are the RL² paper's (Appendix A) where it states one.
 *
 * @module
 */
import { z } from "zod";
import type { Assert, Same } from "../type_check.ts";
import type { ValueFitConfig } from "../algos/value_baseline.ts";
import type { SamplingConfig } from "../settings/agent.ts";
export type { SamplingConfig };

/** The zod schema of the `sampling` block, shared by every learner. */
export const samplingSchema: z.ZodObject<{
  iterations: z.ZodInt;
  batch_timesteps: z.ZodInt;
  gamma: z.ZodDefault<z.ZodNumber>;
  gae_lambda: z.ZodDefault<z.ZodNumber>;
  normalize_advantages: z.ZodDefault<z.ZodBoolean>;
  chunk_trials: z.ZodDefault<z.ZodInt>;
}, z.core.$strict> = z.strictObject({
  iterations: z.int().min(1).max(1_000_000).describe(
    "policy iterations, one batch and one update each (paper: up to 1000 for bandits)",
  ),
  batch_timesteps: z.int().min(1).max(100_000_000)
    .describe("environment steps per iteration (paper: 250000); whole trials are sampled"),
  gamma: z.number().min(0).max(1).default(0.99).describe(
    "discount over the whole trial (paper: 0.99)",
  ),
  gae_lambda: z.number().min(0).max(1).default(0.3).describe("GAE λ (paper: 0.3)"),
  normalize_advantages: z.boolean().default(true).describe("standardise advantages per batch"),
  chunk_trials: z.int().min(1).default(1024)
    .describe(
      "trials per forward/backward chunk: bounds memory; results agree up to float rounding",
    ),
});

/** The keys of the `sampling` block. */
export const SAMPLING_KEYS: readonly string[] = Object.keys(samplingSchema.shape);

/** The zod schema of the `value` block: the value network's fit on every iteration's batch. */
export const valueFitSchema: z.ZodObject<{
  epochs: z.ZodDefault<z.ZodInt>;
  minibatches: z.ZodDefault<z.ZodInt>;
  learning_rate: z.ZodDefault<z.ZodNumber>;
  normalize_targets: z.ZodDefault<z.ZodBoolean>;
  minibatch_trials: z.ZodOptional<z.ZodInt>;
  gradient_clip: z.ZodOptional<z.ZodNumber>;
}, z.core.$strict> = z.strictObject({
  epochs: z.int().min(0).max(1000).default(2).describe("passes over the batch per iteration"),
  minibatches: z.int().min(1).max(10000).default(2).describe("minibatches (of trials) per epoch"),
  learning_rate: z.number().positive().max(1).default(3e-3).describe("Adam step size"),
  normalize_targets: z.boolean().default(true)
    .describe("fit standardised returns (each batch's mean and spread) rather than raw returns"),
  minibatch_trials: z.int().min(1).max(1_000_000).optional()
    .describe(
      "whole trials per minibatch, replacing `minibatches` when given (authors' code: 128)",
    ),
  gradient_clip: z.number().positive().optional()
    .describe("clip every gradient entry to [−c, c] (authors' code: 40); none when absent"),
});

type _SamplingConfigIsTheSchemaOutput = Assert<
  Same<SamplingConfig, z.output<typeof samplingSchema>>
>;
type _ValueFitConfigIsTheSchemaOutput = Assert<
  Same<ValueFitConfig, z.output<typeof valueFitSchema>>
>;
