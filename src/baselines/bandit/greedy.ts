/**
 * Greedy (RL² paper §3.1): ε-greedy with ε = 0, i.e. always the arm with the best empirical mean
 * (one pseudo-success and one pseudo-failure per arm), ties broken at random.
 *
 * @module
 */
import { z } from "zod";
import type { BaselineSpec } from "../agent.ts";
import { epsilonGreedyAgent } from "./epsilon_greedy.ts";

const params = z.strictObject({});

/** The `greedy` bandit baseline. */
export const greedyBandit: BaselineSpec<z.infer<typeof params>> = {
  kind: "greedy",
  task: "bandit",
  description: "always the best empirical mean (ε-greedy with ε = 0)",
  params,
  create: (_params, family) => epsilonGreedyAgent(family.numActions, 0),
};
