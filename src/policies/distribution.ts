/**
 * The action distribution a policy's network parameterises, behind one interface, so that one
 * sampler, one surrogate and one Fisher operator serve every kind of action: a categorical
 * distribution over A actions (the network gives logits; `categorical.ts`) or a diagonal
 * Gaussian over d reals (the network gives means, and d state-independent log standard
 * deviations follow the network's parameters as the policy's head; `gaussian.ts`).
 *
 * A batch records, at every step, the sampling policy's distribution parameters (the A
 * probabilities, or the d means) and, once, its head; every method works on host rows of them.
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import type { StepNetwork } from "./network.ts";

/** Actions of a batch: one index per step, or `d` reals per step. */
export type Actions = Int32Array | Float32Array;

/** The steps a distribution's sums run over, with the policy that sampled them. */
export interface SampledSteps {
  /** `T × B × actionDim` actions taken. */
  readonly actions: Actions;
  /** `T × B × paramDim` distribution parameters of the sampling policy at every step. */
  readonly distParams: Float32Array;
  /** The sampling policy's head parameters. */
  readonly head: Float32Array;
  /** `T × B`: 1 for a step, 0 for padding. */
  readonly mask: Float32Array;
}

/** Sampled steps with their advantages. */
export interface AdvantageSteps extends SampledSteps {
  /** `T × B` advantages (0 on padding). */
  readonly advantages: Float32Array;
}

/** A distribution over actions, parameterised by a network's outputs and a head. */
export interface ActionDistribution {
  /** Which kind of action it draws. */
  readonly kind: "categorical" | "gaussian";
  /** Network outputs per step: A logits, or d means. */
  readonly outputDim: number;
  /** Numbers per action: 1 (an index), or d. */
  readonly actionDim: number;
  /** Numbers per step a batch records of the sampling policy: A probabilities, or d means. */
  readonly paramDim: number;
  /** State-independent parameters after the network's: none, or d log standard deviations. */
  readonly headSize: number;
  /** The head's starting parameters. */
  initHead(): Float32Array;
  /** Room for `n` actions. */
  newActions(n: number): Actions;
  /**
   * One step of B slots: from the network's `outputs` (`B × outputDim`), writes each slot's
   * distribution parameters into `params` (`B × paramDim`) and its action into `actions`
   * (`B × actionDim`), drawn from `rng` or, when `greedy`, the most likely one.
   */
  act(
    outputs: Float32Array,
    head: Float32Array,
    active: Uint8Array,
    greedy: boolean,
    rng: Rng,
    params: Float32Array,
    actions: Actions,
  ): void;
  /** log π(a|s) of step `i`, the policy at `outputs` (`… × outputDim`) and `head`. */
  logProb(outputs: Float32Array, head: Float32Array, actions: Actions, i: number): number;
  /**
   * Adds `w` times ∇ log π(aᵢ|sᵢ) into `dOutputs` (step i's row) and `dHead`, the policy at
   * `outputs` and `head`.
   */
  addLogProbGradient(
    outputs: Float32Array,
    head: Float32Array,
    actions: Actions,
    i: number,
    w: number,
    dOutputs: Float32Array,
    dHead: Float64Array,
  ): void;
  /** Mean entropy of the sampling policy over the valid steps of `steps`. */
  meanEntropy(steps: SampledSteps): number;
  /**
   * Sums over the valid steps of `steps` of the surrogate term ratio·Â + β·H(π) and of
   * KL(old ‖ new), the new policy at `outputs` and `head`, with the number of those steps.
   */
  surrogateAndKlSums(
    outputs: Float32Array,
    head: Float32Array,
    steps: AdvantageSteps,
    entropyCoeff: number,
  ): { surrogate: number; kl: number; n: number };
  /**
   * ∂/∂(outputs, head) of (1/n)·Σ (ratioᵢ·Âᵢ + β·H(π(·|sᵢ))) over the valid steps of `steps`,
   * at the sampling policy (`outputs` and `head` are those of the policy that sampled them):
   * written into the valid rows of `dOutputs` (zero on entry), added into `dHead`.
   */
  addSurrogateGradient(
    outputs: Float32Array,
    head: Float32Array,
    steps: AdvantageSteps,
    n: number,
    entropyCoeff: number,
    dOutputs: Float32Array,
    dHead: Float64Array,
  ): void;
  /**
   * ∂/∂(outputs, head) of (1/n)·Σ KL(old ‖ new) over the valid steps of `steps`, the new policy
   * at `outputs` and `head`: written into the valid rows of `dOutputs` (zero on entry), added
   * into `dHead`.
   */
  addKlGradient(
    outputs: Float32Array,
    head: Float32Array,
    steps: SampledSteps,
    n: number,
    dOutputs: Float32Array,
    dHead: Float64Array,
  ): void;
  /**
   * The Fisher metric of the outputs at the sampling policy (its head `head`), applied over
   * the valid steps: into `u`, M·(plus − minus)/(2h·n) per step, where plus and minus are the
   * outputs at θ ± h·v (their difference is 2h·J·v) and M the Hessian of KL(old ‖ new) in the
   * outputs.
   */
  fisherOutputs(
    plus: Float32Array,
    minus: Float32Array,
    h: number,
    n: number,
    steps: SampledSteps,
    head: Float32Array,
    u: Float32Array,
  ): void;
  /**
   * The head's block of the Fisher matrix times the head's part of `v` (from `offset` on), into
   * `out` from `offset` on.
   */
  fisherHead(head: Float32Array, v: ArrayLike<number>, offset: number, out: Float64Array): void;
}

/** A policy: a network and the action distribution its outputs parameterise. */
export interface Policy {
  /** The network (its `outputDim` is the distribution's). */
  readonly net: StepNetwork;
  /** The action distribution. */
  readonly dist: ActionDistribution;
  /** Scalar parameters in all: the network's, then the head's. */
  readonly size: number;
}

/** The policy of `net` and `dist`. */
export function policyOf(net: StepNetwork, dist: ActionDistribution): Policy {
  if (net.outputDim !== dist.outputDim) {
    throw new Error(
      `network gives ${net.outputDim} outputs, the distribution needs ${dist.outputDim}`,
    );
  }
  return { net, dist, size: net.size + dist.headSize };
}

/** Fresh parameters: the network's initialisation from `rng`, then the head's. */
export function policyInit(policy: Policy, rng: Rng): Float32Array {
  const out = new Float32Array(policy.size);
  out.set(policy.net.init(rng));
  out.set(policy.dist.initHead(), policy.net.size);
  return out;
}

/** The network's parameters and the head's, as views of `params`. */
export function splitParams(
  policy: Policy,
  params: Float32Array,
): { net: Float32Array; head: Float32Array } {
  if (params.length !== policy.size) {
    throw new Error(`expected ${policy.size} parameters, got ${params.length}`);
  }
  return { net: params.subarray(0, policy.net.size), head: params.subarray(policy.net.size) };
}

/** The network's parameters of `params` on their own (`params` itself when there is no head). */
export function netParams(policy: Policy, params: Float32Array): Float32Array {
  return policy.dist.headSize === 0 ? params : splitParams(policy, params).net.slice();
}
