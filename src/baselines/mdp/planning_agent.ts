/**
 * The loop every model-based MDP baseline shares (TabulaRL's `FiniteHorizonTabularAgent` run
 * by `run_finite_tabular_experiment`): at the start of each episode a planner turns the
 * posterior into a Q table for that episode; each step takes the Q table's best action for
 * the current state and step (ties broken uniformly), or with probability ε a uniform action.
 *
 * @module
 */
import type { Rng } from "../../rng.ts";
import type { TaskFamily } from "../../envs/env.ts";
import type { TrialAgent } from "../agent.ts";
import { argmaxRandomTie } from "../argmax.ts";
import { MdpPosterior, type MdpPrior } from "./posterior.ts";

/**
 * Computes the Q table (`q[(h*S + s)*A + a]`, see `value_iteration.ts`) for the episode about
 * to start; `episode` counts from 1 (TabulaRL's `update_policy(ep)`).
 */
export type Planner = (posterior: MdpPosterior, episode: number, rng: Rng) => Float64Array;

/** The index of the 1 in a one-hot observation. */
function stateOf(obs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 1; i < obs.length; i++) if (obs[i]! > obs[s]!) s = i;
  return s;
}

/**
 * An agent on `family` (one-hot states, fixed horizon) that keeps a posterior with `prior`,
 * replans with `plan` at every episode start and acts ε-greedily on the plan. The transition
 * of an episode's last step is not counted (TabulaRL's `pContinue = 0`).
 */
export function planningAgent(
  family: TaskFamily,
  prior: MdpPrior,
  plan: Planner,
  epsilon: number,
): TrialAgent {
  const S = family.obsDim;
  const A = family.numActions;
  const posterior = new MdpPosterior(S, A, prior);
  let q: Float64Array = new Float64Array(0);
  let episode = 0;
  let step = 0;
  return {
    beginTrial() {
      posterior.reset();
      episode = 0;
      step = 0;
    },
    act(obs, rng) {
      if (step === 0) q = plan(posterior, episode + 1, rng);
      if (epsilon > 0 && rng.uniform() < epsilon) return rng.int(A);
      const row = (step * S + stateOf(obs)) * A;
      return argmaxRandomTie(q.subarray(row, row + A), rng);
    },
    observe(obs, action, reward, nextObs, episodeDone) {
      posterior.observe(stateOf(obs), action, reward, episodeDone ? undefined : stateOf(nextObs));
      step++;
      if (episodeDone) {
        episode++;
        step = 0;
      }
    },
  };
}
