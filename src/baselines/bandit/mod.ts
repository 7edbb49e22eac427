/**
 * The bandit baselines of the RL² paper's Table 1, and the Bayes-optimal agent.
 *
 * @module
 */
import type { BaselineSpec } from "../agent.ts";
import { bayesOptimalBandit } from "./bayes_optimal.ts";
import { epsilonGreedyBandit } from "./epsilon_greedy.ts";
import { gittinsBandit } from "./gittins.ts";
import { greedyBandit } from "./greedy.ts";
import { optimisticThompsonBandit } from "./optimistic_thompson.ts";
import { randomBandit } from "./random.ts";
import { thompsonBandit } from "./thompson.ts";
import { ucb1Bandit } from "./ucb1.ts";

/**
 * Every bandit baseline: the paper's Table 1 columns in its order, then the Bayes-optimal agent
 * (the ceiling of the n = 10 rows, not in the paper).
 */
export const BANDIT_BASELINES: readonly BaselineSpec[] = [
  randomBandit,
  gittinsBandit,
  thompsonBandit,
  optimisticThompsonBandit,
  ucb1Bandit,
  epsilonGreedyBandit,
  greedyBandit,
  bayesOptimalBandit,
];
