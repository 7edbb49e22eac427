/**
 * Every task distribution by its `kind`: the experiment-file schema of its `task` block, the
 * factory that turns a validated block into a {@link TaskFamily}, and the bounds of a trial's
 * return. A new distribution is one file in `src/envs/`, its schema in {@link taskSchema} and
 * its entry in `TASKS` here (docs/learners.md, "Adding a component").
 *
 * @module
 */
import { z } from "zod";
import type { Assert, Same } from "../type_check.ts";
import type { TaskFamily } from "./env.ts";
import type {
  MdpTaskConfig,
  NavigationTaskConfig,
  PointRobotTaskConfig,
  TaskConfig,
} from "../settings/task.ts";
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
/** What the registry knows of one kind of task beyond its schema. */
interface TaskEntry<C> {
  /** The family a validated `task` block of this kind describes. */
  family(config: C): TaskFamily;
  /** The bounds of one trial's total reward ({@link returnBounds}). */
  returnBounds(config: C): readonly [number, number];
}

/** Every kind of task's entry: its family, and the bounds of a trial's total reward. */
const TASKS: { readonly [K in TaskConfig["kind"]]: TaskEntry<Extract<TaskConfig, { kind: K }>> } = {
  // Bandits pay 0 or 1 per pull.
  bandit: { family: banditFamily, returnBounds: (c) => [0, c.episodes] },
  mdp: { family: tabularMdpFamily, returnBounds: mdpReturnBounds },
  // CartPole pays 1 per step.
  cartpole: { family: cartpoleFamily, returnBounds: (c) => [0, c.episodes * c.max_steps] },
  navigation: { family: navigationFamily, returnBounds: navigationReturnBounds },
  point_robot: { family: pointRobotFamily, returnBounds: pointRobotReturnBounds },
};

/** The entry of `config`'s kind, typed for `config`. */
function entryOf<C extends TaskConfig>(config: C): TaskEntry<C> {
  return TASKS[config.kind] as unknown as TaskEntry<C>;
}

/** The family a validated `task` block describes. */
export function createFamily(config: TaskConfig): TaskFamily {
  return entryOf(config).family(config);
}

type _TaskConfigIsTheSchemaOutput = Assert<Same<TaskConfig, z.output<typeof taskSchema>>>;

/**
 * Bounds of one trial's total reward that every task of the family keeps: a return outside
 * them cannot have been produced by the task (a corrupt or edited result).
 *
 * @example
 * ```ts
 * import { returnBounds } from "./registry.ts";
 * const [lo, hi] = returnBounds({ kind: "bandit", arms: 5, episodes: 10 });
 * if (lo !== 0 || hi !== 10) throw new Error("bandit bounds");
 * ```
 */
export function returnBounds(config: TaskConfig): readonly [number, number] {
  return entryOf(config).returnBounds(config);
}

/**
 * A tabular MDP's reward is its mean plus noise, both normal draws (Box–Muller on a uniform of
 * at least 2⁻⁵³, so at most 8.6 standard deviations from their means: 9 are allowed).
 */
function mdpReturnBounds(config: MdpTaskConfig): readonly [number, number] {
  const { mean, std } = config.reward_mean_prior;
  const step = Math.abs(mean) + MAX_NORMAL * (std + config.reward_std);
  const bound = config.episodes * config.horizon * step;
  return [-bound, bound];
}

/**
 * Every navigation step moves at most max_speed per axis (the velocity is clipped after
 * action_scale multiplies it), so the point stays within that many steps' reach of the origin,
 * and the goal within its range.
 */
function navigationReturnBounds(config: NavigationTaskConfig): readonly [number, number] {
  const reach = config.max_steps * config.max_speed;
  const goal = Math.max(...config.goal_range.map(Math.abs));
  const distance = Math.SQRT2 * (reach + goal);
  return [-config.episodes * config.max_steps * distance, 0];
}

/**
 * Dense point robot: the point starts within √2 of the origin and moves at most max_speed per
 * axis a step; the goal is within √2 of it. Sparse: at most 1 a step.
 */
function pointRobotReturnBounds(config: PointRobotTaskConfig): readonly [number, number] {
  const reach = Math.SQRT2 * (1 + config.max_steps * config.max_speed);
  const steps = config.episodes * config.max_steps;
  return config.sparse ? [0, steps] : [-steps * (reach + Math.SQRT2), 0];
}

/** The largest magnitude of a standard normal draw of `Rng.normal`, rounded up. */
const MAX_NORMAL = 9;
