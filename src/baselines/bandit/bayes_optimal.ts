/**
 * The Bayes-optimal agent of the Bernoulli bandits (not one of the paper's baselines): it pulls
 * the arm whose exact value under the task distribution, from `bayes_values.ts`, is largest,
 * ties broken at random. Its expected score over the task distribution is the ceiling of every
 * column of a Table 1 row; on a finite set of evaluation tasks its mean also shows how easy that
 * draw of tasks is. Solved exactly for trials of at most 20 pulls (the n = 10 rows).
 *
 * @module
 */
import { z } from "zod";
import type { BaselineSpec } from "../agent.ts";
import { argmaxRandomTie } from "../argmax.ts";
import { beliefAgent } from "./belief_agent.ts";
import { banditBayesValues } from "./bayes_values.ts";

const params = z.strictObject({});

/** The `bayes_optimal` bandit baseline. */
export const bayesOptimalBandit: BaselineSpec<z.infer<typeof params>> = {
  kind: "bayes_optimal",
  task: "bandit",
  description: "the exact Bayes-optimal policy under the tasks' Uniform(0, 1) arms (n ≤ 20)",
  params,
  create(_params, family, episodes) {
    const arms = family.numActions;
    const values = banditBayesValues(arms, episodes);
    const scores = new Float64Array(arms);
    return beliefAgent(arms, (counts, rng) => {
      const pulled = Array.from(
        { length: arms },
        (_, i) => [counts.alpha[i]! - 1, counts.beta[i]! - 1] as const,
      );
      for (let i = 0; i < arms; i++) scores[i] = values.pullValue(pulled, i);
      return argmaxRandomTie(scores, rng);
    });
  },
};
