/**
 * What a policy update reports: the measures every update has (its KL, the old policy's
 * entropy, the surrogate's gain, the gradient's norm, whether it moved), and its own
 * diagnostics by name, the measures only its kind of update has (a line search's steps, PPO's
 * clipping); each name is a column of the run's `progress.csv`.
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
}

/** An update's own diagnostics, by name: the `progress.csv` column each is written in. */
export type Diagnostics = Readonly<Record<string, number>>;

/**
 * The diagnostics of an update with a line search (TRPO's, first-order TRPO's backtracking,
 * MAML's meta-update): its evaluations or backtracking steps, and the fraction of the proposed
 * step it kept (0: none).
 */
export const LINE_SEARCH_DIAGNOSTICS: readonly string[] = ["line_search_steps", "step_fraction"];

/** The {@link LINE_SEARCH_DIAGNOSTICS} of a line search's stats. */
export function lineSearchDiagnostics(
  stats: { lineSearchSteps: number; stepFraction: number },
): Diagnostics {
  return { line_search_steps: stats.lineSearchSteps, step_fraction: stats.stepFraction };
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
