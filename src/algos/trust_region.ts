/**
 * One trust-region step on any objective, as TRPO takes it (Schulman et al. 2015) and as
 * Spinning Up writes it: the natural gradient direction x ≈ F⁻¹g by conjugate gradient on
 * damped Fisher–vector products, the step size √(2δ / xᵀFx) that puts ½ xᵀFx at δ, then a
 * backtracking line search that accepts the first step whose objective improved and whose
 * measured mean KL is within δ. TRPO (`trpo.ts`) and MAML's meta-update (`maml.ts`) take it.
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
  /** Line-search evaluations made (the accepted one included). */
  lineSearchSteps: number;
  /** Fraction of the full step kept (0 if none). */
  stepFraction: number;
  /** Euclidean norm of the objective's gradient at the old parameters. */
  gradientNorm: number;
  /** Whether a step was taken. */
  accepted: boolean;
}

/** v ↦ F·v (undamped), freed by `dispose` when it holds memory. */
export interface FisherProduct {
  /** F·v. */
  apply(v: ArrayLike<number>): ArrayLike<number>;
  /** Frees what the product keeps; called once the direction is found. */
  dispose?(): void;
}

/**
 * The step from `params` along the natural gradient of an objective whose gradient at
 * `params` is `g` and whose value there is `before`; `fisher` gives F·v and `evaluate` the
 * objective and mean KL at a candidate. Returns `params` when no candidate is accepted or the
 * direction is not one of ascent.
 */
export function trustRegionStep(
  params: Float32Array,
  g: ArrayLike<number>,
  before: number,
  fisher: FisherProduct,
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
  // x ≈ (F + λI)⁻¹ g by conjugate gradient, and xᵀ(F + λI)x.
  const damped = (v: ArrayLike<number>) => {
    const fv = Float64Array.from(fisher.apply(v));
    for (let i = 0; i < fv.length; i++) fv[i]! += cfg.cg_damping * v[i]!;
    return fv;
  };
  let x: Float64Array, xFx: number;
  try {
    x = conjugateGradient(damped, g, cfg.cg_iters);
    xFx = dot(x, damped(x));
  } finally {
    fisher.dispose?.();
  }
  if (!(xFx > 0) || !Number.isFinite(xFx)) return { params, stats };

  // The full step puts ½ xᵀFx at δ; back off by `backtrack_coeff` until one is accepted.
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
