/**
 * Thompson sampling (RL² paper §3.1): every pull, draw each arm's mean from its Beta posterior
 * (prior Beta(1,1), the true task distribution) and pull the largest draw.
 *
 * @module
 */
import { z } from "zod";
import type { BaselineSpec } from "../agent.ts";
import { indexAgent } from "./belief_agent.ts";

const params = z.strictObject({});

/** The `thompson` bandit baseline. */
export const thompsonBandit: BaselineSpec<z.infer<typeof params>> = {
  kind: "thompson",
  task: "bandit",
  description: "pulls the arm with the largest draw from its Beta posterior",
  params,
  create: (_params, family) =>
    indexAgent(
      family.numActions,
      (counts, arm, rng) => rng.beta(counts.alpha[arm]!, counts.beta[arm]!),
    ),
};
