/**
 * Random: pulls a uniformly random arm every time (RL² paper §3.1).
 *
 * @module
 */
import { z } from "zod";
import type { BaselineSpec } from "../agent.ts";

const params = z.strictObject({});

/** The `random` bandit baseline. */
export const randomBandit: BaselineSpec<z.infer<typeof params>> = {
  kind: "random",
  task: "bandit",
  description: "pulls a uniformly random arm",
  params,
  create(_params, family) {
    const arms = family.numActions;
    return {
      beginTrial() {},
      act: (_obs, rng) => rng.int(arms),
      observe() {},
    };
  },
};
