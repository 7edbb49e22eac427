/**
 * The one mechanism behind every bandit baseline except random: keep Beta counts per arm, reset
 * them when a trial begins, update them after every pull, and choose the next arm from them.
 *
 * @module
 */
import type { Rng } from "../../rng.ts";
import type { TrialAgent } from "../agent.ts";
import { argmaxRandomTie } from "../argmax.ts";
import { BetaCounts } from "./beta_counts.ts";

/** Picks an arm from the current counts. */
export type ArmChoice = (counts: BetaCounts, rng: Rng) => number;

/** A score of one arm given the current counts (an index policy pulls the arm with the largest). */
export type ArmScore = (counts: BetaCounts, arm: number, rng: Rng) => number;

/**
 * A trial agent for an `arms`-armed Bernoulli bandit that acts by `choose` on its Beta counts.
 *
 * @example Always the first arm
 * ```ts
 * import { Rng } from "../../rng.ts";
 * import { beliefAgent } from "./belief_agent.ts";
 * const agent = beliefAgent(3, () => 0);
 * const rng = Rng.derive(1, "doc");
 * agent.beginTrial(rng);
 * if (agent.act(new Float32Array(1), rng) !== 0) throw new Error("not the first arm");
 * ```
 */
export function beliefAgent(arms: number, choose: ArmChoice): TrialAgent {
  const counts = new BetaCounts(arms);
  return {
    beginTrial() {
      counts.reset();
    },
    act(_obs, rng) {
      return choose(counts, rng);
    },
    observe(_obs, action, reward) {
      counts.update(action, reward);
    },
  };
}

/**
 * An index policy: scores every arm with `score` and pulls the best, ties broken at random.
 *
 * @example Pull the arm with the highest posterior mean
 * ```ts
 * import { Rng } from "../../rng.ts";
 * import { indexAgent } from "./belief_agent.ts";
 * const agent = indexAgent(2, (c, arm) => c.mean(arm));
 * const rng = Rng.derive(1, "doc");
 * agent.beginTrial(rng);
 * const obs = new Float32Array(1);
 * agent.observe(obs, 1, 1, obs, true);
 * if (agent.act(obs, rng) !== 1) throw new Error("not the better arm");
 * ```
 */
export function indexAgent(arms: number, score: ArmScore): TrialAgent {
  const scores = new Float64Array(arms);
  return beliefAgent(arms, (counts, rng) => {
    for (let i = 0; i < arms; i++) scores[i] = score(counts, i, rng);
    return argmaxRandomTie(scores, rng);
  });
}
