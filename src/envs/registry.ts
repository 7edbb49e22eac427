/**
 * Every task distribution by its `kind`: the experiment-file schema of its `task` block and
 * the factory that turns a validated block into a {@link TaskFamily}. A new distribution is
 * one file in `src/envs/` plus one entry here.
 *
 * @module
 */
import { z } from "zod";
import type { TaskFamily } from "./env.ts";
import { banditFamily, banditTaskSchema } from "./bandit.ts";
import { cartpoleFamily, cartpoleTaskSchema } from "./cartpole.ts";
import { mdpTaskSchema, tabularMdpFamily } from "./tabular_mdp.ts";

/** The `task` block of an experiment file. */
export const taskSchema = z.discriminatedUnion("kind", [
  banditTaskSchema,
  mdpTaskSchema,
  cartpoleTaskSchema,
]);
/** A validated `task` block. */
export type TaskConfig = z.infer<typeof taskSchema>;

/** The family a validated `task` block describes. */
export function createFamily(config: TaskConfig): TaskFamily {
  switch (config.kind) {
    case "bandit":
      return banditFamily(config) as TaskFamily;
    case "mdp":
      return tabularMdpFamily(config) as TaskFamily;
    case "cartpole":
      return cartpoleFamily(config) as TaskFamily;
  }
}
