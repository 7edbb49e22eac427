/**
 * One trust-region step on any objective, as TRPO takes it (Schulman et al. 2015): the natural
 * gradient direction x ≈ F⁻¹g by conjugate gradient on damped Fisher–vector products, scaled
 * so that ½ xᵀFx = δ, then a backtracking line search that accepts the first step whose
 * objective improves and whose measured mean KL is within δ. The Gaussian and MAML updates take
 * the whole step; the categorical TRPO update (`trpo.ts`) takes its two parts, so it can release
 * its Fisher operator before the line search.
 *
 * @module
 */
import { conjugateGradient, dot } from "./conjugate_gradient.ts";

/** The trust region's settings. */
export interface TrustRegionConfig {
  /** The bound δ on the mean KL. */
  max_kl: number;
  /** Conjugate-gradient iterations. */
  cg_iters: number;
  /** Damping added to the Fisher matrix. */
  cg_damping: number;
  /** Most line-search evaluations. */
  backtrack_iters: number;
  /** Line-search shrink factor. */
  backtrack_coeff: number;
}

/** What one trust-region step reports. */
export interface TrustRegionStats {
  /** Mean KL of the accepted step (0 if none). */
  kl: number;
  /** Gain of the objective (0 if none). */
  surrogateImprovement: number;
  /** Gain the linear model predicted for the full step. */
  expectedImprovement: number;
  /** Line-search evaluations made. */
  lineSearchSteps: number;
  /** Fraction of the full step kept (0 if none). */
  stepFraction: number;
  /** Norm of the gradient. */
  gradientNorm: number;
  /** Whether a step was taken. */
  accepted: boolean;
}

/**
 * The natural gradient direction x ≈ (F + λI)⁻¹g by `cg_iters` conjugate-gradient iterations
 * (λ = `cg_damping`, `fvp` is v ↦ F·v undamped), and xᵀ(F + λI)x.
 */
export function naturalDirection(
  g: ArrayLike<number>,
  fvp: (v: ArrayLike<number>) => ArrayLike<number>,
  cfg: Pick<TrustRegionConfig, "cg_iters" | "cg_damping">,
): { x: Float64Array; xFx: number } {
  const damped = (v: ArrayLike<number>) => {
    const fv = Float64Array.from(fvp(v));
    for (let i = 0; i < fv.length; i++) fv[i]! += cfg.cg_damping * v[i]!;
    return fv;
  };
  const x = conjugateGradient(damped, g, cfg.cg_iters);
  return { x, xFx: dot(x, damped(x)) };
}

/**
 * The backtracking line search from `params` along the natural gradient direction `x` (with
 * xᵀFx = `xFx`) scaled so that ½ xᵀFx = δ: the first of `backtrack_iters` steps, each
 * `backtrack_coeff` times the one before, whose objective (given by `evaluate`) improves on
 * `before` and whose mean KL is within δ; `params` when none is, or the direction is not one
 * of ascent. `stats` comes back completed with the search's findings.
 */
export function lineSearch<S extends TrustRegionStats>(
  params: Float32Array,
  g: ArrayLike<number>,
  direction: { x: Float64Array; xFx: number },
  before: number,
  evaluate: (candidate: Float32Array) => { surrogate: number; kl: number },
  cfg: Pick<TrustRegionConfig, "max_kl" | "backtrack_iters" | "backtrack_coeff">,
  stats: S,
): { params: Float32Array; stats: S } {
  const { x, xFx } = direction;
  if (!(xFx > 0) || !Number.isFinite(xFx)) return { params, stats };
  const scale = Math.sqrt((2 * cfg.max_kl) / xFx);
  stats.expectedImprovement = scale * dot(g, x);
  let fraction = 1;
  for (let k = 0; k < cfg.backtrack_iters; k++, fraction *= cfg.backtrack_coeff) {
    const candidate = Float32Array.from(params, (p, i) => p + fraction * scale * x[i]!);
    const { surrogate, kl } = evaluate(candidate);
    stats.lineSearchSteps = k + 1;
    const improvement = surrogate - before;
    if (
      Number.isFinite(improvement) && Number.isFinite(kl) && improvement > 0 && kl <= cfg.max_kl
    ) {
      return {
        params: candidate,
        stats: {
          ...stats,
          kl,
          surrogateImprovement: improvement,
          stepFraction: fraction,
          accepted: true,
        },
      };
    }
  }
  return { params, stats };
}

/**
 * The step from `params` along the natural gradient of an objective whose gradient at
 * `params` is `g` and whose value there is `before`; `fvp` is v ↦ F·v (undamped) and
 * `evaluate` gives the objective and mean KL at a candidate.
 */
export function trustRegionStep(
  params: Float32Array,
  g: ArrayLike<number>,
  before: number,
  fvp: (v: ArrayLike<number>) => ArrayLike<number>,
  evaluate: (candidate: Float32Array) => { surrogate: number; kl: number },
  cfg: TrustRegionConfig,
): { params: Float32Array; stats: TrustRegionStats } {
  const stats: TrustRegionStats = {
    kl: 0,
    surrogateImprovement: 0,
    expectedImprovement: 0,
    lineSearchSteps: 0,
    stepFraction: 0,
    gradientNorm: Math.sqrt(dot(g, g)),
    accepted: false,
  };
  const direction = naturalDirection(g, fvp, cfg);
  return lineSearch(params, g, direction, before, evaluate, cfg, stats);
}
