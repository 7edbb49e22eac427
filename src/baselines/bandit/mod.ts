/**
 * The bandit baselines of the RL² paper's Table 1.
 *
 * @module
 */
import type { BaselineSpec } from "../agent.ts";

/** Every bandit baseline. */
export const BANDIT_BASELINES: readonly BaselineSpec[] = [];
