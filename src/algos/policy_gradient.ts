/**
 * Policy-gradient algebra over batches of trials, for any action distribution
 * (`src/policies/distribution.ts`): gradients of weighted log-likelihoods (the vanilla policy
 * gradient MAML's inner steps ascend), TRPO's surrogate and its gradient, the mean KL, and the
 * Fisher–vector product of the mean KL. Gradients in the network's outputs go through its
 * backward pass (`unroll.ts`); those in the distribution's head are summed on the host.
 *
 * The Fisher–vector product is F·v = Jᵀ M (J v) for the network, with J the Jacobian of its
 * outputs and M the Hessian of the mean KL in them (diag(p) − p pᵀ for a categorical
 * distribution, diag(σ⁻²) for a Gaussian's means), plus the head's own block. J·v comes from
 * central differences of the outputs and Jᵀ(·) from one ordinary backward pass, which avoids
 * tfjs 4.22's wrong second-order gradients (docs/backends.md#wrong-higher-order-gradients).
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import {
  type AdvantageSteps,
  netParams,
  type Policy,
  splitParams,
} from "../policies/distribution.ts";
import {
  backprop,
  forwardOutputs,
  linearize,
  type PolicyBatch,
  type TrialInputs,
} from "./unroll.ts";
import { selectColumns, trialRange } from "../compute/trials.ts";
import { timed } from "../compute/profile.ts";

/** The number of valid (unmasked) steps of a `T × B` mask. */
export function validSteps(mask: Float32Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  return n;
}

/** The steps of trials `b0 .. b1` of `batch`, time-major. */
export function trialSteps(
  policy: Policy,
  batch: Omit<PolicyBatch, "inputs">,
  b0: number,
  b1: number,
): AdvantageSteps {
  const { T, B } = batch;
  const { actionDim, paramDim } = policy.dist;
  return {
    actions: trialRange(batch.actions, T, B, actionDim, b0, b1),
    distParams: trialRange(batch.distParams, T, B, paramDim, b0, b1),
    head: batch.head,
    mask: trialRange(batch.mask, T, B, 1, b0, b1),
    advantages: trialRange(batch.advantages, T, B, 1, b0, b1),
  };
}

/** The trials `trials` of a batch, in that order. */
export function selectTrials(
  policy: Policy,
  batch: PolicyBatch,
  trials: ArrayLike<number>,
): PolicyBatch {
  const { T, B } = batch;
  const { actionDim, paramDim } = policy.dist;
  return {
    T,
    B: trials.length,
    inputs: selectColumns(batch.inputs, T, B, batch.inputs.length / (T * B), trials),
    mask: selectColumns(batch.mask, T, B, 1, trials),
    actions: selectColumns(batch.actions, T, B, actionDim, trials),
    distParams: selectColumns(batch.distParams, T, B, paramDim, trials),
    head: batch.head,
    advantages: selectColumns(batch.advantages, T, B, 1, trials),
  };
}

/** The gradient of the network's part (`net`) and the head's part (`head`) as one vector. */
function joined(policy: Policy, net: Float32Array, head: Float64Array): Float32Array {
  if (policy.dist.headSize === 0) return net;
  const out = new Float32Array(policy.size);
  out.set(net);
  for (let j = 0; j < head.length; j++) out[policy.net.size + j] = head[j]!;
  return out;
}

/**
 * The weight of step `row` (= t·B + b) given its log-likelihood under the parameters the
 * gradient is taken at.
 */
export type StepWeight = (row: number, logProb: number) => number;

/**
 * ∇θ Σᵢ wᵢ log π_θ(aᵢ|sᵢ) over the valid steps of `data` at `params`, each weight wᵢ held
 * constant (given by `weight` from the step's log-likelihood at `params`): one forward and one
 * backward pass.
 */
export function weightedLogLikGradient(
  policy: Policy,
  params: Float32Array,
  data: TrialInputs & { readonly actions: PolicyBatch["actions"] },
  weight: StepWeight,
  chunkTrials: number,
): Float32Array {
  const { dist } = policy;
  const { T, B } = data;
  const { head } = splitParams(policy, params);
  const dHead = new Float64Array(dist.headSize);
  const net = backprop(policy.net, netParams(policy, params), data, chunkTrials, (out, b0, b1) => {
    const n = b1 - b0;
    const actions = trialRange(data.actions, T, B, dist.actionDim, b0, b1);
    const dOut = new Float32Array(out.length);
    for (let t = 0; t < T; t++) {
      for (let k = 0; k < n; k++) {
        const row = t * B + b0 + k;
        if (data.mask[row] === 0) continue;
        const i = t * n + k;
        const w = weight(row, dist.logProb(out, head, actions, i));
        if (w !== 0) dist.addLogProbGradient(out, head, actions, i, w, dOut, dHead);
      }
    }
    return dOut;
  });
  return joined(policy, net, dHead);
}

/**
 * The vanilla policy gradient ∇θ mean(log π_θ(a|s)·Â) over the valid steps at `params` (the
 * REINFORCE surrogate MAML's inner step ascends).
 */
export function vanillaPolicyGradient(
  policy: Policy,
  params: Float32Array,
  batch: PolicyBatch,
  chunkTrials: number,
): Float32Array {
  const n = validSteps(batch.mask);
  return weightedLogLikGradient(
    policy,
    params,
    batch,
    (row) => batch.advantages[row]! / n,
    chunkTrials,
  );
}

/**
 * Adds the gradient in the outputs (`dOutputs`, zero on entry) and the head (`dHead`) of a mean
 * over the valid `steps` (`n` of them in the whole batch) at the policy's `outputs` and `head`.
 */
type StepsGradient = (
  outputs: Float32Array,
  head: Float32Array,
  steps: AdvantageSteps,
  n: number,
  dOutputs: Float32Array,
  dHead: Float64Array,
) => void;

/** ∇θ of a mean over the valid steps of `batch` whose gradient in the outputs `fill` gives. */
function stepsGradient(
  policy: Policy,
  params: Float32Array,
  batch: PolicyBatch,
  chunkTrials: number,
  fill: StepsGradient,
): Float32Array {
  const { head } = splitParams(policy, params);
  const n = validSteps(batch.mask);
  const dHead = new Float64Array(policy.dist.headSize);
  const net = backprop(policy.net, netParams(policy, params), batch, chunkTrials, (out, b0, b1) => {
    const dOut = new Float32Array(out.length);
    fill(out, head, trialSteps(policy, batch, b0, b1), n, dOut, dHead);
    return dOut;
  });
  return joined(policy, net, dHead);
}

/**
 * ∇θ of TRPO's surrogate mean(π_θ(a|s)/π_old(a|s) · Â) + β·mean H(π_θ(·|s)) at the parameters
 * that sampled `batch` (β = `entropyCoeff`).
 */
export function surrogateGradient(
  policy: Policy,
  params: Float32Array,
  batch: PolicyBatch,
  chunkTrials: number,
  entropyCoeff = 0,
): Float32Array {
  return stepsGradient(
    policy,
    params,
    batch,
    chunkTrials,
    (out, head, steps, n, dOut, dHead) =>
      policy.dist.addSurrogateGradient(out, head, steps, n, entropyCoeff, dOut, dHead),
  );
}

/** ∇θ of the mean KL(old ‖ new) over the valid steps of `batch`, the new policy at `params`. */
export function klGradient(
  policy: Policy,
  params: Float32Array,
  batch: PolicyBatch,
  chunkTrials: number,
): Float32Array {
  return stepsGradient(policy, params, batch, chunkTrials, policy.dist.addKlGradient);
}

/**
 * Sums over the valid steps of `batch` of the surrogate term ratio·Â + β·H(π) (β =
 * `entropyCoeff`) and of KL(old ‖ new), the new policy at `params`, with the number of steps.
 */
export function surrogateAndKlSums(
  policy: Policy,
  params: Float32Array,
  batch: PolicyBatch,
  chunkTrials: number,
  entropyCoeff = 0,
): { surrogate: number; kl: number; n: number } {
  const outputs = forwardOutputs(policy.net, netParams(policy, params), batch, chunkTrials);
  const { head } = splitParams(policy, params);
  return timed(
    "host: objective",
    () => policy.dist.surrogateAndKlSums(outputs, head, batch, entropyCoeff),
  );
}

/**
 * The surrogate mean(ratio·Â) + β·mean H(π) (β = `entropyCoeff`) and mean KL(old ‖ new) of
 * the policy at `params` over a batch.
 */
export function surrogateAndKl(
  policy: Policy,
  params: Float32Array,
  batch: PolicyBatch,
  chunkTrials: number,
  entropyCoeff = 0,
): { surrogate: number; kl: number } {
  const sums = surrogateAndKlSums(policy, params, batch, chunkTrials, entropyCoeff);
  return { surrogate: sums.surrogate / sums.n, kl: sums.kl / sums.n };
}

/** States and sampling policy a Fisher–vector product is taken over. */
export type FisherBatch = TrialInputs & Pick<PolicyBatch, "actions" | "distParams" | "head">;

/** v ↦ F·v at fixed parameters; holds the forward pass of its batch until disposed. */
export interface FisherOperator {
  /** F·v. */
  apply(v: ArrayLike<number>): Float64Array;
  /** Frees what the operator keeps. */
  dispose(): void;
}

/**
 * F·v, with F the Fisher information (Hessian of the mean KL) of the policy over the valid
 * steps of `batch` at `params`, the policy that sampled it; J·v by central differences with
 * ‖h·v_net‖ = `fdStep`, Jᵀ(·) by one backward pass from the forward pass at `params`, kept
 * across products when `batch` fits in one chunk.
 */
export function fisherOperator(
  policy: Policy,
  params: Float32Array,
  batch: FisherBatch,
  fdStep: number,
  chunkTrials: number,
): FisherOperator {
  const { dist } = policy;
  const P = policy.net.size;
  const W = dist.outputDim;
  const { T, B } = batch;
  const n = validSteps(batch.mask);
  const base = netParams(policy, params);
  const { head } = splitParams(policy, params);
  const lin = linearize(policy.net, base, batch, chunkTrials);
  const apply = (v: ArrayLike<number>) => {
    const out = new Float64Array(policy.size);
    dist.fisherHead(head, v, P, out);
    let norm = 0;
    for (let i = 0; i < P; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm);
    if (norm === 0) return out;
    const h = fdStep / norm;
    const shifted = (sign: number) => Float32Array.from(base, (p, i) => p + sign * h * v[i]!);
    const plus = forwardOutputs(policy.net, shifted(1), batch, chunkTrials);
    const minus = forwardOutputs(policy.net, shifted(-1), batch, chunkTrials);
    const u = new Float32Array(plus.length);
    dist.fisherOutputs(plus, minus, h, n, batch, head, u);
    const grad = lin.gradient((_, b0, b1) => trialRange(u, T, B, W, b0, b1));
    for (let i = 0; i < P; i++) out[i] = grad[i]!;
    return out;
  };
  return { apply, dispose: () => lin.dispose() };
}

/** A random `fraction` of the trials of `batch` (all of it when 1), in their order. */
export function subsampleTrials(
  policy: Policy,
  batch: PolicyBatch,
  fraction: number,
  rng: Rng,
): FisherBatch {
  if (fraction >= 1) return batch;
  const count = Math.max(1, Math.round(batch.B * fraction));
  const trials = rng.permutation(batch.B).subarray(0, count).sort();
  return selectTrials(policy, batch, trials);
}
