/**
 * Every task distribution by its `kind`: the experiment-file schema of its `task` block and
 * the factory that turns a validated block into a {@link TaskFamily}. A new distribution is
 * one file in `src/envs/` plus one entry here.
 *
 * @module
 */
import { z } from "zod";
import type { Assert, Same } from "../type_check.ts";
import type { TaskFamily } from "./env.ts";
import { banditFamily, type BanditTaskConfig, banditTaskSchema } from "./bandit.ts";
import { cartpoleFamily, type CartPoleTaskConfig, cartpoleTaskSchema } from "./cartpole.ts";
import { navigationFamily, type NavigationTaskConfig, navigationTaskSchema } from "./navigation.ts";
import { type MdpTaskConfig, mdpTaskSchema, tabularMdpFamily } from "./tabular_mdp.ts";

/** The zod schema of the `task` block of an experiment file, by `kind`. */
export const taskSchema: z.ZodDiscriminatedUnion<
  [
    typeof banditTaskSchema,
    typeof mdpTaskSchema,
    typeof cartpoleTaskSchema,
    typeof navigationTaskSchema,
  ],
  "kind"
> = z.discriminatedUnion("kind", [
  banditTaskSchema,
  mdpTaskSchema,
  cartpoleTaskSchema,
  navigationTaskSchema,
]);
/** A validated `task` block, defaults filled in. */
export type TaskConfig =
  | BanditTaskConfig
  | MdpTaskConfig
  | CartPoleTaskConfig
  | NavigationTaskConfig;

/** The family a validated `task` block describes. */
export function createFamily(config: TaskConfig): TaskFamily {
  switch (config.kind) {
    case "bandit":
      return banditFamily(config) as TaskFamily;
    case "mdp":
      return tabularMdpFamily(config) as TaskFamily;
    case "cartpole":
      return cartpoleFamily(config) as TaskFamily;
    case "navigation":
      return navigationFamily(config) as TaskFamily;
  }
}

type _TaskConfigIsTheSchemaOutput = Assert<Same<TaskConfig, z.output<typeof taskSchema>>>;
