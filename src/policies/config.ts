/**
 * Network shapes of the RL² (recurrent) and memoryless (feed-forward) agents.
 *
 * @module
 */
import { z } from "zod";
import type { Assert, Same } from "../type_check.ts";
import type { Norm } from "./network.ts";

const norm: z.ZodDefault<z.ZodEnum<{ weight: "weight"; layer: "layer"; none: "none" }>> = z
  .enum(["weight", "layer", "none"]).default("weight")
  .describe("weight normalisation (paper), layer normalisation, or none");

/** GRU network settings: the `policy` block of an RL² agent, defaults filled in. */
export interface GruPolicyConfig {
  /** GRU units (paper: 256). */
  gru: number;
  /** How weight matrices are normalised (paper: weight normalisation). */
  norm: Norm;
}

/** MLP network settings: the `policy` block of the memoryless TRPO baseline, defaults filled in. */
export interface MlpPolicyConfig {
  /** Hidden layer sizes (ReLU). */
  mlp: number[];
  /** How weight matrices are normalised. */
  norm: Norm;
}

/** The zod schema of an RL² agent's `policy` block: a GRU; the value network has the same shape. */
export const gruPolicySchema: z.ZodObject<
  { gru: z.ZodDefault<z.ZodInt>; norm: typeof norm },
  z.core.$strict
> = z.strictObject({
  gru: z.int().min(1).max(4096).default(256).describe("GRU units (paper: 256)"),
  norm,
});
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
