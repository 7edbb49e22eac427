/**
 * UCB1 in the RL² paper's form (§3.1): ucb_i(t) = μ̂_i(t−1) + c·sqrt(2 log t / T_i(t−1)), with the
 * statistics of every arm initialised to one success and one failure. So μ̂_i is the posterior
 * mean under Beta(1,1) and T_i counts the arm's pulls plus the two pseudo-counts; t is the
 * 1-based number of the current pull (real pulls only), so the first pull is a uniform tie.
 *
 * @module
 */
import { z } from "zod";
import type { BaselineSpec } from "../agent.ts";
import { indexAgent } from "./belief_agent.ts";

const params = z.strictObject({
  c: z.number().min(0).max(100).default(0.2)
    .describe("exploration scale (paper: tuned per setting, value not given)"),
});

/** The `ucb1` bandit baseline. */
export const ucb1Bandit: BaselineSpec<z.infer<typeof params>> = {
  kind: "ucb1",
  task: "bandit",
  description: "upper confidence bound μ̂ + c·sqrt(2 log t / T) with Beta(1,1) pseudo-counts",
  params,
  create: ({ c }, family) =>
    indexAgent(family.numActions, (counts, arm) => {
      const t = counts.pulls + 1;
      return counts.mean(arm) + c * Math.sqrt(2 * Math.log(t) / counts.count(arm));
    }),
};
