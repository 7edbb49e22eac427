/**
 * Posterior sampling for RL (TabulaRL's `PSRL`; the RL² paper's PSRL column): at each episode
 * start, draw one MDP from the posterior and follow its optimal policy for the episode.
 *
 * @module
 */
import { z } from "zod";
import type { BaselineSpec } from "../agent.ts";
import { priorParams, TABULARL_PRIOR } from "./posterior.ts";
import { posteriorSamplingAgent } from "./optimistic_psrl.ts";

const params = z.strictObject(priorParams(TABULARL_PRIOR));

/** One posterior sample per episode (optimistic PSRL with one sample). */
export const mdpPsrl: BaselineSpec<z.infer<typeof params>> = {
  kind: "psrl",
  task: "mdp",
  description: "optimal policy of one posterior-sampled MDP per episode (TabulaRL PSRL)",
  params,
  create: (p, family) => posteriorSamplingAgent(family, p, 1),
};
