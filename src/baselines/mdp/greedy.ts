/**
 * Greedy on the posterior-mean MDP: ε-greedy with ε = 0 (the RL² paper's Greedy column).
 *
 * @module
 */
import { z } from "zod";
import type { BaselineSpec } from "../agent.ts";
import { priorParams } from "./posterior.ts";
import { EPSILON_GREEDY_PRIOR, meanMdpAgent } from "./epsilon_greedy.ts";

const params = z.strictObject(priorParams(EPSILON_GREEDY_PRIOR));

/** Always the best action of the posterior-mean MDP. */
export const mdpGreedy: BaselineSpec<z.infer<typeof params>> = {
  kind: "greedy",
  task: "mdp",
  description: "optimal policy of the posterior-mean MDP, replanned each episode (ε = 0)",
  params,
  create: (p, family) => meanMdpAgent(family, p, 0),
};
