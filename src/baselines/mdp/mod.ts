/**
 * The MDP baselines of the RL² paper's Table 2.
 *
 * @module
 */
import type { BaselineSpec } from "../agent.ts";
import { mdpBeb } from "./beb.ts";
import { mdpEpsilonGreedy } from "./epsilon_greedy.ts";
import { mdpGreedy } from "./greedy.ts";
import { mdpOptimisticPsrl } from "./optimistic_psrl.ts";
import { mdpPsrl } from "./psrl.ts";
import { mdpRandom } from "./random.ts";
import { mdpUcrl2 } from "./ucrl2.ts";

/** Every MDP baseline. */
export const MDP_BASELINES: readonly BaselineSpec[] = [
  mdpRandom,
  mdpPsrl,
  mdpOptimisticPsrl,
  mdpUcrl2,
  mdpBeb,
  mdpEpsilonGreedy,
  mdpGreedy,
];
