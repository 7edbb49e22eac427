/**
 * MAML-TRPO's meta-update (Finn, Abbeel & Levine 2017, Alg. 3, as the authors' code and
 * garage/ProMP's MAML-TRPO run it), on batches already sampled: for each task of the meta-batch,
 * the inner batches D₀ … D_{S−1} (D_k sampled by θ_k) and the post-update batch D′ (sampled by
 * θ_S), each with its advantages. The inner steps are vanilla policy-gradient ascent,
 * θ_{k+1} = θ_k + α ∇ J_k(θ_k) with J_k(θ) = mean over D_k of log π_θ(a|s)·Â (the REINFORCE
 * surrogate, differentiated as a function of θ with the samples held fixed, as those
 * implementations do). The outer objective is the mean over tasks of TRPO's surrogate of the
 * adapted policy, L(θ) = mean_i mean_{D′_i} π_{θ_S(θ)}(a|s)/π_{θ_S(θ₀)}(a|s)·Â′, under the mean
 * KL of the adapted policies.
 *
 * Its gradient goes through the inner steps: ∇L = (I + αH₀)…(I + αH_{S−1}) ∇_{θ_S} L with
 * H_k = ∇²J_k(θ_k), each Hessian–vector product by central differences of ∇J_k (the tfjs
 * backend's second-order gradients are wrong, docs/backends.md). First-order MAML drops every
 * H_k. The KL's Hessian in θ is Jᵀ F J with J that same product and F the adapted policy's
 * Fisher matrix (`policy_gradient.ts`), so the trust region is taken in θ, as the authors' code
 * does by differentiating the KL through the inner step; first-order MAML uses F alone.
 *
 * @module
 */
import type { Policy } from "../policies/distribution.ts";
import { dot } from "./conjugate_gradient.ts";
import {
  fisherOperator,
  klGradient,
  surrogateAndKlSums,
  surrogateGradient,
  vanillaPolicyGradient,
} from "./policy_gradient.ts";
import { type TrustRegionConfig, type TrustRegionStats, trustRegionStep } from "./trust_region.ts";
import type { PolicyBatch } from "./unroll.ts";

/** MAML-TRPO's meta-update settings. */
export interface MetaUpdateConfig extends TrustRegionConfig {
  /** α, the inner step size (paper: 0.1). */
  inner_lr: number;
  /** Drop the Hessian terms (first-order MAML). */
  first_order: boolean;
  /** Norm of the parameter perturbation of the central differences of ∇J_k (H·v). */
  hvp_step: number;
  /** Norm of the parameter perturbation of the central differences of the means (J·v). */
  fd_step: number;
  /** Trials per forward/backward chunk. */
  chunk_trials: number;
  /**
   * How the constraint's Hessian–vector products are taken: exactly (Jᵀ F J, when absent) or
   * as the authors' code does ({@link float32FiniteDifferenceKlHessian}).
   */
  kl_hessian?: "exact" | "float32_finite_difference";
}

/** One task's batches: the inner ones (one per inner step) and the post-update one. */
export interface TaskBatches {
  /** D₀ … D_{S−1}, each sampled by θ_k, with advantages. */
  readonly inner: readonly PolicyBatch[];
  /** D′, sampled by θ_S, with advantages. */
  readonly post: PolicyBatch;
}

/** θ₀ = θ, θ_{k+1} = θ_k + α ∇J_k(θ_k): the parameters before each inner step, and after all. */
export function adaptedParams(
  policy: Policy,
  params: Float32Array,
  inner: readonly PolicyBatch[],
  cfg: Pick<MetaUpdateConfig, "inner_lr" | "chunk_trials">,
): Float32Array[] {
  const thetas = [params];
  for (const batch of inner) {
    const theta = thetas[thetas.length - 1]!;
    const g = vanillaPolicyGradient(policy, theta, batch, cfg.chunk_trials);
    thetas.push(Float32Array.from(theta, (p, i) => p + cfg.inner_lr * g[i]!));
  }
  return thetas;
}

/** H·v with H = ∇²J(θ) of the inner surrogate on `batch`, by central differences of ∇J. */
export function innerHvp(
  policy: Policy,
  theta: Float32Array,
  batch: PolicyBatch,
  v: ArrayLike<number>,
  step: number,
  chunkTrials: number,
): Float64Array {
  const out = new Float64Array(theta.length);
  const norm = Math.sqrt(dot(v, v));
  if (norm === 0) return out;
  const h = step / norm;
  const at = (sign: number) =>
    vanillaPolicyGradient(
      policy,
      Float32Array.from(theta, (p, i) => p + sign * h * v[i]!),
      batch,
      chunkTrials,
    );
  const plus = at(1);
  const minus = at(-1);
  for (let i = 0; i < out.length; i++) out[i] = (plus[i]! - minus[i]!) / (2 * h);
  return out;
}

/**
 * u ↦ (I + αH₀)…(I + αH_{S−1}) u (`transpose` false: applies H_{S−1} first; true: the
 * transposed product, H₀ first), every H_k at θ_k; the identity for first-order MAML.
 */
function chain(
  policy: Policy,
  thetas: readonly Float32Array[],
  inner: readonly PolicyBatch[],
  u: ArrayLike<number>,
  cfg: MetaUpdateConfig,
  transpose: boolean,
): Float64Array {
  let x = Float64Array.from(u);
  if (cfg.first_order) return x;
  const order = inner.map((_, k) => k);
  if (!transpose) order.reverse();
  for (const k of order) {
    const hx = innerHvp(policy, thetas[k]!, inner[k]!, x, cfg.hvp_step, cfg.chunk_trials);
    x = Float64Array.from(x, (xi, i) => xi + cfg.inner_lr * hx[i]!);
  }
  return x;
}

/** A gradient at a task's adapted parameters on its post-update batch. */
type OuterGradient = (
  policy: Policy,
  adapted: Float32Array,
  post: PolicyBatch,
  chunkTrials: number,
) => Float32Array;

/**
 * The mean over tasks of `outer`'s gradient at each task's adapted parameters (on its
 * post-update batch), taken back through the inner steps (without the Hessian terms when
 * first-order).
 */
function throughInnerSteps(
  outer: OuterGradient,
  policy: Policy,
  params: Float32Array,
  tasks: readonly TaskBatches[],
  cfg: MetaUpdateConfig,
): Float64Array {
  const total = new Float64Array(params.length);
  for (const task of tasks) {
    const thetas = adaptedParams(policy, params, task.inner, cfg);
    const g = outer(policy, thetas[thetas.length - 1]!, task.post, cfg.chunk_trials);
    const back = chain(policy, thetas, task.inner, g, cfg, false);
    for (let i = 0; i < total.length; i++) total[i]! += back[i]! / tasks.length;
  }
  return total;
}

/**
 * ∇θ of the meta-objective at `params`, the mean over tasks of the post-update surrogate's
 * gradient taken back through the inner steps (without the Hessian terms when first-order).
 */
export const metaGradient = (
  policy: Policy,
  params: Float32Array,
  tasks: readonly TaskBatches[],
  cfg: MetaUpdateConfig,
): Float64Array => throughInnerSteps(surrogateGradient, policy, params, tasks, cfg);

/**
 * ∇θ of the trust region's constraint at `params`: the mean over tasks of KL(π_{θ_S(θ₀)} ‖
 * π_{θ_S(θ)}) on the post-update batches (θ₀ the parameters that sampled them), through the
 * inner steps.
 */
export const metaKlGradient = (
  policy: Policy,
  params: Float32Array,
  tasks: readonly TaskBatches[],
  cfg: MetaUpdateConfig,
): Float64Array => throughInnerSteps(klGradient, policy, params, tasks, cfg);

/** The meta-objective and the adapted policies' mean KL (mean over tasks) at `params`. */
export function metaObjective(
  policy: Policy,
  params: Float32Array,
  tasks: readonly TaskBatches[],
  cfg: Pick<MetaUpdateConfig, "inner_lr" | "chunk_trials">,
): { surrogate: number; kl: number } {
  let surrogate = 0;
  let kl = 0;
  for (const task of tasks) {
    const thetas = adaptedParams(policy, params, task.inner, cfg);
    const s = surrogateAndKlSums(
      policy,
      thetas[thetas.length - 1]!,
      task.post,
      cfg.chunk_trials,
    );
    surrogate += s.surrogate / s.n / tasks.length;
    kl += s.kl / s.n / tasks.length;
  }
  return { surrogate, kl };
}

/** What one meta-update reports. */
export interface MetaUpdateStats extends TrustRegionStats {
  /** Mean entropy of the adapted policies that sampled the post-update batches. */
  entropy: number;
}

/** v ↦ F·v for the meta-objective's trust region; holds forward passes until disposed. */
export interface MetaFisher {
  /** F·v. */
  apply(v: ArrayLike<number>): Float64Array;
  /** Frees what the operator keeps. */
  dispose(): void;
}

/**
 * The Hessian in θ of the mean over tasks of KL(π_{θ_S(params)} ‖ π_{θ_S(θ)}) on the post-update
 * batches, at θ = `params`: mean_i J_iᵀ F_i J_i with J_i = ∂θ_S/∂θ (the identity for
 * first-order MAML) and F_i the adapted policy's Fisher matrix on task i's post-update batch.
 */
export function metaFisherOperator(
  policy: Policy,
  params: Float32Array,
  tasks: readonly TaskBatches[],
  cfg: MetaUpdateConfig,
): MetaFisher {
  const perTask = tasks.map((task) => {
    const thetas = adaptedParams(policy, params, task.inner, cfg);
    const adapted = thetas[thetas.length - 1]!;
    const fisher = fisherOperator(
      policy,
      adapted,
      task.post,
      cfg.fd_step,
      cfg.chunk_trials,
    );
    return { task, thetas, fisher };
  });
  return {
    apply(v) {
      const out = new Float64Array(params.length);
      for (const { task, thetas, fisher } of perTask) {
        const jv = chain(policy, thetas, task.inner, v, cfg, true);
        const back = chain(policy, thetas, task.inner, fisher.apply(jv), cfg, false);
        for (let i = 0; i < out.length; i++) out[i]! += back[i]! / tasks.length;
      }
      return out;
    },
    dispose() {
      for (const { fisher } of perTask) fisher.dispose();
    },
  };
}

/**
 * The constraint's Hessian–vector product as the MAML authors' rllab code computes it
 * (`FiniteDifferenceHvp`): central differences of {@link metaKlGradient} at θ ± ε·v with
 * ε = `baseEps`/‖θ‖ (rllab: 1e-8), every operation rounded to float32 as in their
 * TensorFlow graph. At a policy's usual parameter sizes ε·vᵢ is below half a float32 spacing
 * of most θᵢ, so only the coordinates it does move enter the difference (docs/protocol.md,
 * "The authors' code behind Table 4").
 */
export function float32FiniteDifferenceKlHessian(
  policy: Policy,
  params: Float32Array,
  tasks: readonly TaskBatches[],
  cfg: MetaUpdateConfig,
  baseEps = 1e-8,
): MetaFisher {
  const f = Math.fround;
  const eps = f(baseEps / (f(Math.sqrt(dot(params, params))) + 1e-8));
  return {
    apply(v) {
      const xs = Float32Array.from(v);
      const at = (sign: number) => {
        const shifted = Float32Array.from(params, (p, i) => p + sign * f(eps * xs[i]!));
        return Float32Array.from(metaKlGradient(policy, shifted, tasks, cfg));
      };
      const plus = at(1), minus = at(-1);
      const twoEps = f(2 * eps);
      return Float64Array.from(plus, (p, i) => f(f(p - minus[i]!) / twoEps));
    },
    dispose() {},
  };
}

/** One MAML-TRPO meta-update from `params`: the new parameters and its diagnostics. */
export function mamlTrpoUpdate(
  policy: Policy,
  params: Float32Array,
  tasks: readonly TaskBatches[],
  cfg: MetaUpdateConfig,
): { params: Float32Array; stats: MetaUpdateStats } {
  let entropy = 0;
  for (const task of tasks) entropy += policy.dist.meanEntropy(task.post);
  entropy /= tasks.length;
  const g = metaGradient(policy, params, tasks, cfg);
  // At θ₀ every ratio is 1: the objective is the mean advantage of the post-update batches.
  let before = 0;
  for (const task of tasks) {
    let s = 0, n = 0;
    for (let i = 0; i < task.post.mask.length; i++) {
      if (task.post.mask[i] !== 0) (s += task.post.advantages[i]!, n++);
    }
    before += s / n / tasks.length;
  }
  const step = trustRegionStep(
    params,
    g,
    before,
    cfg.kl_hessian === "float32_finite_difference"
      ? float32FiniteDifferenceKlHessian(policy, params, tasks, cfg)
      : metaFisherOperator(policy, params, tasks, cfg),
    (candidate) => metaObjective(policy, candidate, tasks, cfg),
    cfg,
  );
  return { params: step.params, stats: { ...step.stats, entropy } };
}
