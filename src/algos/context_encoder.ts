/**
 * PEARL's probabilistic context (Rakelly et al. 2019, §4.1): the encoder maps every transition
 * `c_n` of a task's context to a Gaussian factor `N(μ_n, σ²_n)` (σ²_n the softplus of the
 * network's second half, at least 1e-7), and the posterior over the latent z is their product,
 * `σ² = 1 / Σ 1/σ²_n`, `μ = σ² Σ μ_n/σ²_n` (permutation invariant). z is drawn as
 * `μ + σ ε`; the information bottleneck is KL(N(μ, σ²) ‖ N(0, I)). Closed forms and their
 * gradients, per latent coordinate.
 *
 * @module
 */

/** The smallest factor variance (the authors' clamp). */
export const MIN_FACTOR_VARIANCE = 1e-7;

/** The posterior of one task: the mean and variance of each latent coordinate. */
export interface Posterior {
  /** μ, one per latent coordinate. */
  readonly mean: Float64Array;
  /** σ², one per latent coordinate. */
  readonly variance: Float64Array;
}

/** Softplus, stable for large inputs. */
export function softplus(x: number): number {
  return x > 30 ? x : Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * The product of the `rows` factors of an encoder output (`rows × 2L`: L means, then L raw
 * variances).
 */
export function productOfGaussians(raw: Float64Array, rows: number, latent: number): Posterior {
  const mean = new Float64Array(latent);
  const variance = new Float64Array(latent);
  for (let k = 0; k < latent; k++) {
    let precision = 0, weighted = 0;
    for (let n = 0; n < rows; n++) {
      const s = Math.max(MIN_FACTOR_VARIANCE, softplus(raw[n * 2 * latent + latent + k]!));
      precision += 1 / s;
      weighted += raw[n * 2 * latent + k]! / s;
    }
    variance[k] = 1 / precision;
    mean[k] = weighted / precision;
  }
  return { mean, variance };
}

/** KL(N(μ, σ²) ‖ N(0, I)), summed over the latent coordinates. */
export function klToPrior(p: Posterior): number {
  let kl = 0;
  for (let k = 0; k < p.mean.length; k++) {
    const v = p.variance[k]!, m = p.mean[k]!;
    kl += 0.5 * (v + m * m - 1 - Math.log(v));
  }
  return kl;
}

/** z = μ + σ ε for a standard normal draw ε per coordinate. */
export function sampleLatent(p: Posterior, eps: Float64Array): Float64Array {
  return p.mean.map((m, k) => m + Math.sqrt(p.variance[k]!) * eps[k]!);
}

/**
 * The gradient, with respect to the encoder's raw outputs (`rows × 2L`), of
 * `klWeight · KL + Σ_k dz_k z_k` where z = μ + σ ε: the loss's gradient into the encoder
 * through the posterior.
 */
export function posteriorBackward(
  raw: Float64Array,
  rows: number,
  latent: number,
  p: Posterior,
  eps: Float64Array,
  dz: Float64Array,
  klWeight: number,
): Float64Array {
  const d = new Float64Array(rows * 2 * latent);
  for (let k = 0; k < latent; k++) {
    const v = p.variance[k]!, m = p.mean[k]!;
    const dMean = dz[k]! + klWeight * m;
    const dVar = dz[k]! * eps[k]! / (2 * Math.sqrt(v)) + klWeight * 0.5 * (1 - 1 / v);
    for (let n = 0; n < rows; n++) {
      const x = raw[n * 2 * latent + latent + k]!;
      const sp = softplus(x);
      const s = Math.max(MIN_FACTOR_VARIANCE, sp);
      const mu = raw[n * 2 * latent + k]!;
      d[n * 2 * latent + k] = dMean * v / s;
      const dS = dMean * v * (m - mu) / (s * s) + dVar * v * v / (s * s);
      d[n * 2 * latent + latent + k] = sp < MIN_FACTOR_VARIANCE ? 0 : dS * sigmoid(x);
    }
  }
  return d;
}
