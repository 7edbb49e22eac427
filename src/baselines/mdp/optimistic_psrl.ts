/**
 * Optimistic PSRL (TabulaRL's `OptimisticPSRL`; the RL² paper's OPSRL column): at each episode
 * start, draw several MDPs from the posterior, solve each, and act greedily on the element-wise
 * maximum of their Q tables.
 *
 * @module
 */
import { z } from "zod";
import type { TaskFamily } from "../../envs/env.ts";
import type { BaselineSpec, TrialAgent } from "../agent.ts";
import { emptyMdp, type MdpPrior, priorParams, TABULARL_PRIOR } from "./posterior.ts";
import { planningAgent } from "./planning_agent.ts";
import { qValues } from "./value_iteration.ts";

const params = z.strictObject({
  samples: z.int().min(1).max(1000).default(10)
    .describe("posterior samples per episode (TabulaRL nSamp=10; reproduces the paper)"),
  ...priorParams(TABULARL_PRIOR),
});

/** An agent acting on the element-wise max of the Q tables of `samples` posterior draws. */
export function posteriorSamplingAgent(
  family: TaskFamily,
  prior: MdpPrior,
  samples: number,
): TrialAgent {
  const H = family.maxEpisodeSteps;
  const model = emptyMdp(family.obsDim, family.numActions);
  const q = new Float64Array(H * family.obsDim * family.numActions);
  const sampleQ = new Float64Array(q.length);
  return planningAgent(family, prior, (posterior, _episode, rng) => {
    q.fill(-Infinity);
    for (let k = 0; k < samples; k++) {
      posterior.sample(rng, model);
      qValues(model, H, undefined, sampleQ);
      for (let i = 0; i < q.length; i++) if (sampleQ[i]! > q[i]!) q[i] = sampleQ[i]!;
    }
    return q;
  }, 0);
}

/** Optimistic posterior sampling with `samples` draws per episode. */
export const mdpOptimisticPsrl: BaselineSpec<z.infer<typeof params>> = {
  kind: "optimistic_psrl",
  task: "mdp",
  description:
    "max over several posterior samples' Q tables, each episode (TabulaRL OptimisticPSRL)",
  params,
  create: (p, family) => posteriorSamplingAgent(family, p, p.samples),
};
