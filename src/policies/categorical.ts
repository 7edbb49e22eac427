/**
 * Categorical distributions over actions, on host arrays of logits (row-major, one row of
 * `n` logits per state): probabilities, log-probabilities, sampling, entropy and KL, and the
 * {@link ActionDistribution} of a policy whose network gives the logits.
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import type { ActionDistribution, Actions, AdvantageSteps, SampledSteps } from "./distribution.ts";

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

/** Mean entropy of the probabilities of the valid steps of `steps` (`A` actions). */
function meanEntropy(steps: SampledSteps, A: number): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < steps.mask.length; i++) {
    if (steps.mask[i] !== 0) (sum += entropy(steps.distParams, i * A, A), n++);
  }
  return sum / n;
}

/** Σ ratio·Â + β·H(π) and Σ KL(old ‖ new) over the valid steps, the new policy at `logits`. */
function surrogateAndKlSums(
  logits: Float32Array,
  steps: AdvantageSteps,
  A: number,
  entropyCoeff: number,
): { surrogate: number; kl: number; n: number } {
  const p = new Float64Array(A);
  const old = steps.distParams;
  let surrogate = 0;
  let meanKl = 0;
  let n = 0;
  for (let i = 0; i < steps.mask.length; i++) {
    if (steps.mask[i] === 0) continue;
    softmax(logits, i * A, A, p, 0);
    const a = steps.actions[i]!;
    surrogate += (p[a]! / old[i * A + a]!) * steps.advantages[i]!;
    if (entropyCoeff !== 0) surrogate += entropyCoeff * entropy(p, 0, A);
    meanKl += kl(old.subarray(i * A, (i + 1) * A), p, 0, A);
    n++;
  }
  return { surrogate, kl: meanKl, n };
}

/**
 * The surrogate's gradient in the logits at the sampling policy p: Âᵢ/n · (onehot(aᵢ) − pᵢ) −
 * β/n · pᵢ ⊙ (log pᵢ + H(pᵢ)) for step i.
 */
function surrogateGradient(
  steps: AdvantageSteps,
  A: number,
  n: number,
  entropyCoeff: number,
  dLogits: Float32Array,
): void {
  const probs = steps.distParams;
  for (let i = 0; i < steps.mask.length; i++) {
    if (steps.mask[i] === 0) continue;
    const c = steps.advantages[i]! / n;
    const h = entropyCoeff === 0 ? 0 : entropy(probs, i * A, A);
    for (let a = 0; a < A; a++) {
      const p = probs[i * A + a]!;
      const dEntropy = entropyCoeff === 0 || p === 0 ? 0 : -p * (Math.log(p) + h);
      dLogits[i * A + a] = -c * p + (entropyCoeff / n) * dEntropy;
    }
    dLogits[i * A + steps.actions[i]!]! += c;
  }
}

/** M·(plus − minus)/(2h·n) per valid step, M = diag(p) − p pᵀ the KL's Hessian in the logits. */
function fisherOutputs(
  plus: Float32Array,
  minus: Float32Array,
  h: number,
  n: number,
  steps: SampledSteps,
  A: number,
  u: Float32Array,
): void {
  const probs = steps.distParams;
  for (let i = 0; i < steps.mask.length; i++) {
    if (steps.mask[i] === 0) continue;
    let pJv = 0;
    for (let a = 0; a < A; a++) pJv += probs[i * A + a]! * (plus[i * A + a]! - minus[i * A + a]!);
    for (let a = 0; a < A; a++) {
      const p = probs[i * A + a]!;
      u[i * A + a] = p * ((plus[i * A + a]! - minus[i * A + a]!) - pJv) / (2 * h * n);
    }
  }
}

/** (1/n)·∂/∂logits Σ KL(old ‖ new) over the valid steps = (softmax(logits) − p_old)/n per step. */
function klGradient(
  logits: Float32Array,
  steps: SampledSteps,
  A: number,
  n: number,
  dLogits: Float32Array,
): void {
  const q = new Float64Array(A);
  for (let i = 0; i < steps.mask.length; i++) {
    if (steps.mask[i] === 0) continue;
    softmax(logits, i * A, A, q, 0);
    for (let a = 0; a < A; a++) dLogits[i * A + a] = (q[a]! - steps.distParams[i * A + a]!) / n;
  }
}

/** The categorical distribution over `A` actions whose logits a network gives; no head. */
export function categoricalDistribution(A: number): ActionDistribution {
  return {
    kind: "categorical",
    outputDim: A,
    actionDim: 1,
    paramDim: A,
    headSize: 0,
    initHead: () => new Float32Array(0),
    newActions: (n) => new Int32Array(n),
    act(logits, _head, _active, greedy, rng, probs, actions: Actions) {
      for (let b = 0; b < actions.length; b++) {
        softmax(logits, b * A, A, probs, b * A);
        actions[b] = greedy ? argmax(probs, b * A, A) : sample(probs, b * A, A, rng);
      }
    },
    logProb: (logits, _head, actions, i) => logProb(logits, i * A, A, actions[i]!),
    addLogProbGradient(logits, _head, actions, i, w, dLogits) {
      const p = new Float64Array(A);
      softmax(logits, i * A, A, p, 0);
      for (let a = 0; a < A; a++) dLogits[i * A + a]! -= w * p[a]!;
      dLogits[i * A + actions[i]!]! += w;
    },
    meanEntropy: (steps) => meanEntropy(steps, A),
    surrogateAndKlSums: (logits, _head, steps, entropyCoeff) =>
      surrogateAndKlSums(logits, steps, A, entropyCoeff),
    addSurrogateGradient: (_logits, _head, steps, n, entropyCoeff, dLogits) =>
      surrogateGradient(steps, A, n, entropyCoeff, dLogits),
    addKlGradient: (logits, _head, steps, n, dLogits) => klGradient(logits, steps, A, n, dLogits),
    fisherOutputs: (plus, minus, h, n, steps, _head, u) =>
      fisherOutputs(plus, minus, h, n, steps, A, u),
    fisherHead: () => {},
  };
}
