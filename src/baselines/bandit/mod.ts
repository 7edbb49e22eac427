/**
 * The bandit baselines of the RL² paper's Table 1.
 *
 * @module
 */
import type { BaselineSpec } from "../agent.ts";
import { epsilonGreedyBandit } from "./epsilon_greedy.ts";
import { gittinsBandit } from "./gittins.ts";
import { greedyBandit } from "./greedy.ts";
import { optimisticThompsonBandit } from "./optimistic_thompson.ts";
import { randomBandit } from "./random.ts";
import { thompsonBandit } from "./thompson.ts";
import { ucb1Bandit } from "./ucb1.ts";

/** Every bandit baseline, in the column order of the paper's Table 1. */
export const BANDIT_BASELINES: readonly BaselineSpec[] = [
  randomBandit,
  gittinsBandit,
  thompsonBandit,
  optimisticThompsonBandit,
  ucb1Bandit,
  epsilonGreedyBandit,
  greedyBandit,
];
