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
import type { TaskConfig } from "../settings/task.ts";
export type { TaskConfig };
import { banditFamily, banditTaskSchema } from "./bandit.ts";
import { cartpoleFamily, cartpoleTaskSchema } from "./cartpole.ts";
import { navigationFamily, navigationTaskSchema } from "./navigation.ts";
import { mdpTaskSchema, tabularMdpFamily } from "./tabular_mdp.ts";
import { pointRobotFamily, pointRobotTaskSchema } from "./point_robot.ts";

/** The zod schema of the `task` block of an experiment file, by `kind`. */
export const taskSchema: z.ZodDiscriminatedUnion<
  [
    typeof banditTaskSchema,
    typeof mdpTaskSchema,
    typeof cartpoleTaskSchema,
    typeof navigationTaskSchema,
    typeof pointRobotTaskSchema,
  ],
  "kind"
> = z.discriminatedUnion("kind", [
  banditTaskSchema,
  mdpTaskSchema,
  cartpoleTaskSchema,
  navigationTaskSchema,
  pointRobotTaskSchema,
]);
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
    case "point_robot":
      return pointRobotFamily(config) as TaskFamily;
  }
}

type _TaskConfigIsTheSchemaOutput = Assert<Same<TaskConfig, z.output<typeof taskSchema>>>;

/**
 * Bounds of one trial's total reward that every task of the family keeps: a return outside
 * them cannot have been produced by the task (a corrupt or edited result). Bandits pay 0 or 1
 * per pull; CartPole 1 per step; a tabular MDP's reward is its mean plus noise, both normal
 * draws (Box–Muller on a uniform of at least 2⁻⁵³, so at most 8.6 standard deviations from
 * their means: 9 are allowed).
 *
 * @example
 * ```ts
 * import { returnBounds } from "./registry.ts";
 * const [lo, hi] = returnBounds({ kind: "bandit", arms: 5, episodes: 10 });
 * if (lo !== 0 || hi !== 10) throw new Error("bandit bounds");
 * ```
 */
export function returnBounds(config: TaskConfig): readonly [number, number] {
  switch (config.kind) {
    case "bandit":
      return [0, config.episodes];
    case "cartpole":
      return [0, config.episodes * config.max_steps];
    case "mdp": {
      const { mean, std } = config.reward_mean_prior;
      const step = Math.abs(mean) + MAX_NORMAL * (std + config.reward_std);
      const bound = config.episodes * config.horizon * step;
      return [-bound, bound];
    }
    case "navigation": {
      // Every step moves at most max_speed per axis (the velocity is clipped after action_scale
      // multiplies it), so the point stays within that many steps' reach of the origin, and the
      // goal within its range.
      const reach = config.max_steps * config.max_speed;
      const goal = Math.max(...config.goal_range.map(Math.abs));
      const distance = Math.SQRT2 * (reach + goal);
      return [-config.episodes * config.max_steps * distance, 0];
    }
    case "point_robot": {
      // Dense: the point starts within √2 of the origin and moves at most max_speed per axis a
      // step; the goal is within √2 of it. Sparse: at most 1 a step.
      const reach = Math.SQRT2 * (1 + config.max_steps * config.max_speed);
      const steps = config.episodes * config.max_steps;
      return config.sparse ? [0, steps] : [-steps * (reach + Math.SQRT2), 0];
    }
  }
}

/** The largest magnitude of a standard normal draw of `Rng.normal`, rounded up. */
const MAX_NORMAL = 9;
