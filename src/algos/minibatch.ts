/**
 * Epochs of Adam steps on minibatches of whole trials, the loop PPO and first-order TRPO share
 * (and the value fit's gradient clipping): each epoch draws an order of the batch's trials,
 * cuts it into minibatches, and takes one Adam step per minibatch on the gradient the update
 * gives for it. Whole trials keep a recurrent policy's memory intact: every minibatch is
 * unrolled from its trials' first steps.
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import type { Policy } from "../policies/distribution.ts";
import type { AdamState } from "./adam.ts";
import { adamStep } from "./adam.ts";
import { selectTrials, validSteps } from "./policy_gradient.ts";
import type { PolicyBatch } from "./unroll.ts";
import { inPhase, timed } from "../compute/profile.ts";

/** Rescales `grad` in place so its Euclidean norm is at most `maxNorm`; returns its norm. */
export function clipGradNorm(grad: Float32Array, maxNorm: number): number {
  let ss = 0;
  for (let i = 0; i < grad.length; i++) ss += grad[i]! * grad[i]!;
  const norm = Math.sqrt(ss);
  if (norm > maxNorm) { for (let i = 0; i < grad.length; i++) grad[i]! *= maxNorm / norm; }
  return norm;
}

/** Clips every entry of `grad` to [−c, c] in place; returns the norm before clipping. */
export function clipGradValues(grad: Float32Array, c: number): number {
  let ss = 0;
  for (let i = 0; i < grad.length; i++) {
    ss += grad[i]! * grad[i]!;
    grad[i] = Math.min(c, Math.max(-c, grad[i]!));
  }
  return Math.sqrt(ss);
}

/** How the epochs run. */
export interface EpochsConfig {
  /** Passes over the batch. */
  epochs: number;
  /** Whole trials per minibatch. */
  minibatchTrials: number;
  /** Adam's step size. */
  learningRate: number;
}

/** What an update does with the epochs. */
export interface EpochsHooks {
  /**
   * The clipped loss gradient of a minibatch (of at least one valid step) at `params`, and
   * its norm before clipping.
   */
  gradient(params: Float32Array, minibatch: PolicyBatch): { gradient: Float32Array; norm: number };
  /** Called at the end of every epoch with the parameters then. */
  epochEnd?(params: Float32Array): void;
}

/** Where the epochs ended. */
export interface EpochsResult {
  /** The parameters after the last step. */
  params: Float32Array;
  /** Adam's state after the last step. */
  optimizer: AdamState;
  /** Mean over the steps of the gradient's norm before clipping (0 without steps). */
  gradientNorm: number;
}

/**
 * The epochs from `params` and Adam state `optimizer` (neither modified), minibatch orders
 * drawn from `rng`; undefined when a gradient's norm is not finite (the update is abandoned).
 */
export function adamEpochs(
  policy: Policy,
  params: Float32Array,
  batch: PolicyBatch,
  cfg: EpochsConfig,
  rng: Rng,
  optimizer: AdamState,
  hooks: EpochsHooks,
): EpochsResult | undefined {
  const { B } = batch;
  const current = params.slice();
  const adam: AdamState = { m: optimizer.m.slice(), v: optimizer.v.slice(), t: optimizer.t };
  let normSum = 0;
  let steps = 0;
  const epoch = (): boolean => {
    const order = rng.permutation(B);
    for (let start = 0; start < B; start += cfg.minibatchTrials) {
      const trials = order.subarray(start, Math.min(B, start + cfg.minibatchTrials));
      const minibatch = timed("host: copies", () => selectTrials(policy, batch, trials));
      if (validSteps(minibatch.mask) === 0) continue;
      const { gradient, norm } = hooks.gradient(current, minibatch);
      if (!Number.isFinite(norm)) return false;
      normSum += norm;
      steps++;
      timed("host: Adam", () => adamStep(current, gradient, adam, cfg.learningRate));
    }
    hooks.epochEnd?.(current);
    return true;
  };
  for (let e = 0; e < cfg.epochs; e++) if (!inPhase(`epoch ${e + 1}`, epoch)) return undefined;
  return { params: current, optimizer: adam, gradientNorm: steps === 0 ? 0 : normSum / steps };
}
