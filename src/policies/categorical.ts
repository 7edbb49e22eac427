/**
 * Categorical distributions over actions, on host arrays of logits (row-major, one row of
 * `n` logits per state): probabilities, log-probabilities, sampling, entropy and KL.
 *
 * @module
 */
import type { Rng } from "../rng.ts";

/** Softmax of `logits[offset .. offset+n)` into `out[outOffset ..)`, computed stably. */
export function softmax(
  logits: ArrayLike<number>,
  offset: number,
  n: number,
  out: Float32Array | Float64Array,
  outOffset = offset,
): void {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, logits[offset + i]!);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(logits[offset + i]! - max);
    out[outOffset + i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) out[outOffset + i]! /= sum;
}

/** log p(a) for the row of `n` logits at `offset`. */
export function logProb(logits: ArrayLike<number>, offset: number, n: number, a: number): number {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, logits[offset + i]!);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(logits[offset + i]! - max);
  return logits[offset + a]! - max - Math.log(sum);
}

/**
 * Entropy −Σ p log p of the row of `n` probabilities at `offset`.
 *
 * @example The uniform distribution over 4 actions
 * ```ts
 * import { entropy } from "./categorical.ts";
 * const h = entropy([0.25, 0.25, 0.25, 0.25], 0, 4);
 * if (Math.abs(h - Math.log(4)) > 1e-12) throw new Error("entropy of uniform is log n");
 * ```
 */
export function entropy(p: ArrayLike<number>, offset: number, n: number): number {
  let h = 0;
  for (let i = 0; i < n; i++) {
    const pi = p[offset + i]!;
    if (pi > 0) h -= pi * Math.log(pi);
  }
  return h;
}

/** KL(p ‖ q) = Σ p log(p/q) between two rows of `n` probabilities. */
export function kl(
  p: ArrayLike<number>,
  q: ArrayLike<number>,
  offset: number,
  n: number,
): number {
  let d = 0;
  for (let i = 0; i < n; i++) {
    const pi = p[offset + i]!;
    if (pi > 0) d += pi * (Math.log(pi) - Math.log(q[offset + i]!));
  }
  return d;
}

/** An action drawn from the row of `n` probabilities at `offset`. */
export function sample(p: ArrayLike<number>, offset: number, n: number, rng: Rng): number {
  return rng.categorical(p, offset, n);
}

/** The most probable action of a row (lowest index on ties). */
export function argmax(p: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (p[offset + i]! > p[offset + best]!) best = i;
  return best;
}
