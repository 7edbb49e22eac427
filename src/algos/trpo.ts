/**
 * One TRPO policy update (Schulman et al. 2015), as in the RL² paper, for any action
 * distribution: the surrogate's gradient g at the old parameters, the Fisher–vector product of
 * the mean KL (`policy_gradient.ts`), and one trust-region step (`trust_region.ts`: conjugate
 * gradient, the step scaled to the trust region `max_kl`, a backtracking line search that
 * accepts a step only if the surrogate improves and the measured mean KL stays within
 * `max_kl`).
 *
 * The surrogate may carry an entropy bonus, mean(ratio·Â) + β·mean H(π_θ(·|s)) with β =
 * `entropy_coeff` (0, the paper's objective, by default); the trust region stays the mean KL.
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import type { Policy } from "../policies/distribution.ts";
import {
  fisherOperator,
  subsampleTrials,
  surrogateAndKl,
  surrogateGradient,
  validSteps,
} from "./policy_gradient.ts";
import { type TrustRegionStats, trustRegionStep } from "./trust_region.ts";
import type { PolicyBatch } from "./unroll.ts";
import type { TrpoConfig } from "../settings/agent.ts";
export type { TrpoConfig };

/** Diagnostics of one TRPO update: the trust-region step's, and the old policy's entropy. */
export interface TrpoStats extends TrustRegionStats {
  /** Mean entropy of the old policy. */
  entropy: number;
}

/**
 * One TRPO update of the flat policy parameters, forward and backward passes in chunks of
 * `chunkTrials` trials, the Fisher matrix on a `fvp_subsample` share of the trials drawn from `rng`.
 * Returns the new parameters (the old ones when the line search finds no acceptable step) and
 * the update's diagnostics.
 */
export function trpoUpdate(
  policy: Policy,
  params: Float32Array,
  batch: PolicyBatch,
  cfg: TrpoConfig,
  rng: Rng,
  chunkTrials: number,
): { params: Float32Array; stats: TrpoStats } {
  const beta = cfg.entropy_coeff;
  const entropy = policy.dist.meanEntropy(batch);
  const g = surrogateGradient(policy, params, batch, chunkTrials, beta);
  const fisherBatch = subsampleTrials(policy, batch, cfg.fvp_subsample, rng);
  const fisher = fisherOperator(policy, params, fisherBatch, cfg.fd_step, chunkTrials);

  // At θ_old every ratio is 1, so the surrogate is the mean advantage (plus the entropy bonus
  // of the old policy): no forward pass needed.
  let before = 0;
  for (let i = 0; i < batch.T * batch.B; i++) before += batch.mask[i]! * batch.advantages[i]!;
  before = before / validSteps(batch.mask) + beta * entropy;
  const evaluate = (candidate: Float32Array) =>
    surrogateAndKl(policy, candidate, batch, chunkTrials, beta);
  const step = trustRegionStep(params, g, before, fisher, evaluate, cfg);
  return { params: step.params, stats: { ...step.stats, entropy } };
}
