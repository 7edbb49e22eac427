/**
 * The Bayesian model every MDP baseline keeps of the unknown MDP (TabulaRL's
 * `FiniteHorizonTabularAgent`): each transition row P(·|s,a) has a Dirichlet posterior, each
 * mean reward μ(s,a) a Normal posterior with known reward-noise precision. The posterior mean
 * (TabulaRL's `map_mdp`) and posterior samples are written into an {@link MdpTask}-shaped model.
 *
 * @module
 */
import { z } from "zod";
import type { Rng } from "../../rng.ts";
import type { MdpTask } from "../../envs/tabular_mdp.ts";

/** Prior of the posterior: TabulaRL's `alpha0`, `mu0`, `tau0` and `tau`. */
export interface MdpPrior {
  /** Concentration of the flat Dirichlet prior on every transition row (`alpha0`). */
  readonly dirichlet_alpha: number;
  /** Prior mean of every mean reward (`mu0`). */
  readonly reward_prior_mean: number;
  /** Prior precision of every mean reward (`tau0`). */
  readonly reward_prior_precision: number;
  /** Known precision of the reward noise (`tau`). */
  readonly reward_noise_precision: number;
}

/** TabulaRL's default prior (PSRL, OPSRL, BEB): `alpha0=1, mu0=0, tau0=1, tau=1`. */
export const TABULARL_PRIOR: MdpPrior = {
  dirichlet_alpha: 1,
  reward_prior_mean: 0,
  reward_prior_precision: 1,
  reward_noise_precision: 1,
};

/** The zod fields of an {@link MdpPrior} with these defaults, to spread into a params schema. */
export function priorParams(defaults: MdpPrior) {
  return {
    dirichlet_alpha: z.number().positive().default(defaults.dirichlet_alpha)
      .describe("Dirichlet concentration of every transition row (TabulaRL alpha0)"),
    reward_prior_mean: z.number().default(defaults.reward_prior_mean)
      .describe(
        "prior mean of every mean reward (TabulaRL mu0; its default 0, not the tasks' true 1, " +
          "reproduces the paper, docs/protocol.md#mdp-baselines)",
      ),
    reward_prior_precision: z.number().positive().default(defaults.reward_prior_precision)
      .describe("prior precision of every mean reward (TabulaRL tau0)"),
    reward_noise_precision: z.number().positive().default(defaults.reward_noise_precision)
      .describe("known precision of the reward noise (TabulaRL tau)"),
  };
}

/** A zero model of `states` × `actions` to write posterior means or samples into. */
export function emptyMdp(states: number, actions: number): MdpTask {
  return {
    states,
    actions,
    rewardMean: new Float64Array(states * actions),
    transitions: new Float64Array(states * actions * states),
  };
}

/** The posterior over one tabular MDP, updated one transition at a time. */
export class MdpPosterior {
  /** Number of states S. */
  readonly states: number;
  /** Number of actions A. */
  readonly actions: number;
  /** The prior the posterior starts from. */
  readonly prior: MdpPrior;
  /** Dirichlet parameters `[(s*A + a)*S + s']`: prior concentration plus observed transitions. */
  readonly transitionAlpha: Float64Array;
  /** Sum of each row of {@link transitionAlpha}, `[s*A + a]`. */
  readonly transitionAlphaSum: Float64Array;
  /** Observed transitions out of each (s,a). */
  readonly transitionCount: Int32Array;
  /** Posterior mean of each mean reward. */
  readonly rewardMean: Float64Array;
  /** Posterior precision of each mean reward: τ0 + n·τ. */
  readonly rewardPrecision: Float64Array;
  /** Observed rewards of each (s,a). */
  readonly rewardCount: Int32Array;
  readonly #alphaRows: Float64Array[];

  /** The prior over MDPs of `states` × `actions`. */
  constructor(states: number, actions: number, prior: MdpPrior) {
    this.states = states;
    this.actions = actions;
    this.prior = prior;
    const SA = states * actions;
    this.transitionAlpha = new Float64Array(SA * states);
    this.transitionAlphaSum = new Float64Array(SA);
    this.transitionCount = new Int32Array(SA);
    this.rewardMean = new Float64Array(SA);
    this.rewardPrecision = new Float64Array(SA);
    this.rewardCount = new Int32Array(SA);
    this.#alphaRows = Array.from(
      { length: SA },
      (_, sa) => this.transitionAlpha.subarray(sa * states, (sa + 1) * states),
    );
    this.reset();
  }

  /** Forgets every observation. */
  reset(): void {
    const p = this.prior;
    this.transitionAlpha.fill(p.dirichlet_alpha);
    this.transitionAlphaSum.fill(p.dirichlet_alpha * this.states);
    this.transitionCount.fill(0);
    this.rewardMean.fill(p.reward_prior_mean);
    this.rewardPrecision.fill(p.reward_prior_precision);
    this.rewardCount.fill(0);
  }

  /**
   * Conditions on reward `reward` of action `action` in `state` and, unless `next` is
   * undefined, on the transition to `next` (TabulaRL leaves out the last step of an episode).
   */
  observe(state: number, action: number, reward: number, next: number | undefined): void {
    const sa = state * this.actions + action;
    const tau = this.prior.reward_noise_precision;
    const precision = this.rewardPrecision[sa]!;
    this.rewardMean[sa] = (this.rewardMean[sa]! * precision + reward * tau) / (precision + tau);
    this.rewardPrecision[sa] = precision + tau;
    this.rewardCount[sa]! += 1;
    if (next === undefined) return;
    this.transitionAlpha[sa * this.states + next]! += 1;
    this.transitionAlphaSum[sa]! += 1;
    this.transitionCount[sa]! += 1;
  }

  /** Writes the posterior-mean MDP (TabulaRL's `map_mdp`) into `out`. */
  mean(out: MdpTask): void {
    const S = this.states;
    out.rewardMean.set(this.rewardMean);
    for (let sa = 0; sa < S * this.actions; sa++) {
      const sum = this.transitionAlphaSum[sa]!;
      for (let j = sa * S; j < (sa + 1) * S; j++) {
        out.transitions[j] = this.transitionAlpha[j]! / sum;
      }
    }
  }

  /** Writes one MDP drawn from the posterior into `out`. */
  sample(rng: Rng, out: MdpTask): void {
    const S = this.states;
    for (let sa = 0; sa < S * this.actions; sa++) {
      out.rewardMean[sa] = this.rewardMean[sa]! +
        rng.normal() / Math.sqrt(this.rewardPrecision[sa]!);
      rng.dirichlet(this.#alphaRows[sa]!, out.transitions.subarray(sa * S, (sa + 1) * S));
    }
  }
}
