/**
 * Per-arm Beta posterior counts of a Bernoulli bandit under the Beta(1,1) prior the RL² paper
 * gives its baselines: every arm starts with one success and one failure.
 *
 * @module
 */

/** Beta(α, β) posterior parameters of every arm; α counts successes and β failures, prior included. */
export class BetaCounts {
  /** α per arm: 1 + observed successes. */
  readonly alpha: Float64Array;
  /** β per arm: 1 + observed failures. */
  readonly beta: Float64Array;
  /** Real pulls so far (pseudo-counts excluded). */
  pulls = 0;

  /**
   * Counts for `arms` arms, at the prior.
   *
   * @example A success moves the posterior mean up
   * ```ts
   * import { BetaCounts } from "./beta_counts.ts";
   * const c = new BetaCounts(2);
   * c.update(0, 1);
   * if (c.mean(0) !== 2 / 3 || c.mean(1) !== 1 / 2) throw new Error("wrong means");
   * ```
   */
  constructor(arms: number) {
    this.alpha = new Float64Array(arms).fill(1);
    this.beta = new Float64Array(arms).fill(1);
  }

  /** Number of arms. */
  get arms(): number {
    return this.alpha.length;
  }

  /** Back to the prior: one success and one failure per arm, no pulls. */
  reset(): void {
    this.alpha.fill(1);
    this.beta.fill(1);
    this.pulls = 0;
  }

  /** Records one pull of `arm` with a reward in [0, 1] (1 is a success). */
  update(arm: number, reward: number): void {
    if (!(arm >= 0 && arm < this.arms)) throw new Error(`arm ${arm} is out of range`);
    this.alpha[arm]! += reward;
    this.beta[arm]! += 1 - reward;
    this.pulls++;
  }

  /** Posterior mean α/(α+β): the empirical mean with one pseudo-success and one pseudo-failure. */
  mean(arm: number): number {
    const a = this.alpha[arm]!;
    return a / (a + this.beta[arm]!);
  }

  /** α+β: the arm's pulls plus the two pseudo-counts. */
  count(arm: number): number {
    return this.alpha[arm]! + this.beta[arm]!;
  }
}
