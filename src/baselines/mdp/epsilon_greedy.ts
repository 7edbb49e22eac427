/**
 * ε-greedy on the posterior-mean MDP (TabulaRL's `EpsilonGreedy`; the RL² paper's ε-Greedy
 * column): at each episode start, solve the posterior-mean MDP by value iteration; each step
 * take its best action, or with probability ε a uniform one.
 *
 * @module
 */
import { z } from "zod";
import type { TaskFamily } from "../../envs/env.ts";
import type { BaselineSpec, TrialAgent } from "../agent.ts";
import { emptyMdp, type MdpPrior, priorParams } from "./posterior.ts";
import { planningAgent } from "./planning_agent.ts";
import { qValues } from "./value_iteration.ts";

/** TabulaRL's near-flat `EpsilonGreedy` prior: unvisited (s,a) have mean reward ≈ 0. */
export const EPSILON_GREEDY_PRIOR: MdpPrior = {
  dirichlet_alpha: 1e-4,
  reward_prior_mean: 0,
  reward_prior_precision: 1e-4,
  reward_noise_precision: 1,
};

const params = z.strictObject({
  epsilon: z.number().min(0).max(1).default(0.1)
    .describe("probability of a uniform action (TabulaRL default 0.1; reproduces the paper)"),
  ...priorParams(EPSILON_GREEDY_PRIOR),
});

/** An agent acting ε-greedily on the posterior-mean MDP of `prior`, replanned every episode. */
export function meanMdpAgent(family: TaskFamily, prior: MdpPrior, epsilon: number): TrialAgent {
  const H = family.maxEpisodeSteps;
  const model = emptyMdp(family.obsDim, family.numActions);
  const q = new Float64Array(H * family.obsDim * family.numActions);
  return planningAgent(family, prior, (posterior) => {
    posterior.mean(model);
    return qValues(model, H, undefined, q);
  }, epsilon);
}

/** ε-greedy with respect to the posterior-mean MDP. */
export const mdpEpsilonGreedy: BaselineSpec<z.infer<typeof params>> = {
  kind: "epsilon_greedy",
  task: "mdp",
  description:
    "ε-greedy on the posterior-mean MDP, replanned each episode (TabulaRL EpsilonGreedy)",
  params,
  create: (p, family) => meanMdpAgent(family, p, p.epsilon),
};
