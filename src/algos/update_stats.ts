/**
 * What a policy update reports: the measures every update has (its KL, the old policy's
 * entropy, the surrogate's gain, the gradient's norm, whether it moved), and the ones only some
 * updates have: a line search's (TRPO, first-order TRPO's backtracking) and PPO's clipping.
 *
 * @module
 */

/** What one policy update reports. */
export interface UpdateStats {
  /** Mean KL(old ‖ new) over the batch (0 when the policy did not change). */
  kl: number;
  /** Mean entropy of the policy that sampled the batch. */
  entropy: number;
  /** Gain of the update's surrogate objective over the batch (0 when the policy did not change). */
  surrogateImprovement: number;
  /** Norm of the objective's gradient (TRPO: at the old parameters; epochs: mean over steps). */
  gradientNorm: number;
  /** False when the update kept the old parameters. */
  accepted: boolean;
  /** Updates with a line search: its evaluations or backtracking steps. */
  lineSearchSteps?: number;
  /** Updates with a line search: the fraction of the proposed step kept (0: none). */
  stepFraction?: number;
  /** PPO: share of the batch's steps whose probability ratio ended outside [1 − ε, 1 + ε]. */
  clipFraction?: number;
  /** PPO: the approximate KL mean((r − 1) − log r) of the batch at the new parameters. */
  approxKl?: number;
}

/** What an update that kept the old parameters reports. */
export function unchangedStats(entropy: number): UpdateStats {
  return {
    kl: 0,
    entropy,
    surrogateImprovement: 0,
    accepted: false,
    gradientNorm: 0,
  };
}
