/**
 * Network shapes of the RL² (recurrent) and memoryless (feed-forward) agents.
 *
 * @module
 */
import { z } from "zod";
import type { Assert, Same } from "../type_check.ts";
import type { GruPolicyConfig, MlpPolicyConfig } from "../settings/agent.ts";
export type { GruPolicyConfig, MlpPolicyConfig };

const norm: z.ZodDefault<z.ZodEnum<{ weight: "weight"; layer: "layer"; none: "none" }>> = z
  .enum(["weight", "layer", "none"]).default("weight")
  .describe("weight normalisation (paper), layer normalisation, or none");

/** The zod schema of an RL² agent's `policy` block: a GRU; the value network has the same shape. */
export const gruPolicySchema: z.ZodObject<
  {
    gru: z.ZodDefault<z.ZodInt>;
    norm: typeof norm;
    activation: z.ZodOptional<z.ZodEnum<{ tanh: "tanh"; relu: "relu" }>>;
    gain_init: z.ZodOptional<z.ZodEnum<{ norm: "norm"; one: "one" }>>;
    start_input: z.ZodOptional<
      z.ZodEnum<{ action_0: "action_0"; no_action_done: "no_action_done" }>
    >;
  },
  z.core.$strict
> = z.strictObject({
  gru: z.int().min(1).max(4096).default(256).describe("GRU units (paper: 256)"),
  norm,
  activation: z.enum(["tanh", "relu"]).optional()
    .describe(
      "the GRU candidate's nonlinearity, for policy and value networks; tanh when absent " +
        "(the paper's appendix and its authors' code: relu)",
    ),
  gain_init: z.enum(["norm", "one"]).optional()
    .describe(
      "weight-normalisation gains start at the initial columns' norms (norm, when absent) or " +
        "at 1 (one: every column starts with unit norm, as in the authors' code)",
    ),
  start_input: z.enum(["action_0", "no_action_done"]).optional()
    .describe(
      "the input at a trial's first step: the previous action is action 0 (a zero vector on " +
        "continuous actions), reward 0, done 0 (action_0, when absent: the paper's appendix), " +
        "or there is no previous action, reward 0, done 1 (no_action_done: the authors' code)",
    ),
});

/**
 * Old values of the GRU block's settings, by setting: old value → new value. Files and results
 * that hold an old value are read with the new one (`src/experiment/renames.ts`).
 */
export const GRU_POLICY_RENAMED_VALUES: Readonly<
  Record<string, Readonly<Record<string, string>>>
> = {
  start_input: { paper: "action_0", code: "no_action_done" },
};
/** The zod schema of the memoryless TRPO baseline's `policy` block: an MLP on the observation. */
export const mlpPolicySchema: z.ZodObject<
  { mlp: z.ZodDefault<z.ZodArray<z.ZodInt>>; norm: typeof norm },
  z.core.$strict
> = z.strictObject({
  mlp: z.array(z.int().min(1).max(4096)).min(1).max(8).default([64, 64])
    .describe("hidden layer sizes (ReLU)"),
  norm,
});

type _GruPolicyConfigIsTheSchemaOutput = Assert<
  Same<GruPolicyConfig, z.output<typeof gruPolicySchema>>
>;
type _MlpPolicyConfigIsTheSchemaOutput = Assert<
  Same<MlpPolicyConfig, z.output<typeof mlpPolicySchema>>
>;
