/**
 * The MDP baselines of the RL² paper's Table 2.
 *
 * @module
 */
import type { BaselineSpec } from "../agent.ts";

/** Every MDP baseline. */
export const MDP_BASELINES: readonly BaselineSpec[] = [];
