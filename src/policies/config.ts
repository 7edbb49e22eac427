/**
 * Network shapes of the RL² (recurrent) and memoryless (feed-forward) agents.
 *
 * @module
 */
import { z } from "zod";

const norm = z.enum(["weight", "layer", "none"]).default("weight")
  .describe("weight normalisation (paper), layer normalisation, or none");

/** The `policy` block of an RL² agent: a GRU; the value network has the same shape. */
export const gruPolicySchema = z.strictObject({
  gru: z.int().min(1).max(4096).default(256).describe("GRU units (paper: 256)"),
  norm,
});
/** The `policy` block of the memoryless TRPO baseline: an MLP on the current observation. */
export const mlpPolicySchema = z.strictObject({
  mlp: z.array(z.int().min(1).max(4096)).min(1).max(8).default([64, 64])
    .describe("hidden layer sizes (ReLU)"),
  norm,
});
/** GRU network settings. */
export type GruPolicyConfig = z.infer<typeof gruPolicySchema>;
/** MLP network settings. */
export type MlpPolicyConfig = z.infer<typeof mlpPolicySchema>;
