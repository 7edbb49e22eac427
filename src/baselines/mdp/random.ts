/**
 * The uniformly random MDP baseline (the "Random" column of the RL² paper's Table 2).
 *
 * @module
 */
import { z } from "zod";
import type { BaselineSpec } from "../agent.ts";

const params = z.strictObject({});

/** Takes a uniformly random action at every step. */
export const mdpRandom: BaselineSpec<z.infer<typeof params>> = {
  kind: "random",
  task: "mdp",
  description: "uniformly random actions",
  params,
  create(_params, family) {
    const A = family.numActions;
    return {
      beginTrial() {},
      act: (_obs, rng) => rng.int(A),
      observe() {},
    };
  },
};
