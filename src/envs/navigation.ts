/**
 * The 2-D navigation tasks of MAML (Finn et al. 2017, §5.3): a point starts at the origin and
 * must reach a goal drawn per task uniformly from a square (`[−0.5, 0.5]²`). An action is a
 * velocity `(dx, dy)`, clipped to `[−max_speed, max_speed]` per axis (0.1), the point moves by
 * it, and the reward is the negative Euclidean distance from the point's new position to the
 * goal (reward after the move, as in every reference implementation: the authors' rllab
 * `PointEnvRandGoal`, pytorch-maml-rl's `2DNavigation-v0`, learn2learn's `Particles2D`). An
 * episode ends when the point is within `goal_tolerance` (0.01) of the goal on both axes (the
 * reference implementations' per-axis test) or after `max_steps` (100) steps. The policy
 * observes the position `(x, y)`; the oracle variant (`oracle: true`) also observes the goal,
 * `(x, y, gx, gy)`, so that one memoryless policy can solve every task (MAML's reference line).
 *
 * Actions are continuous: the family has {@link TaskFamily.actionDim} 2 and no discrete
 * actions; {@link EnvBatch.step} reads slot `i`'s action at `actions[2i], actions[2i + 1]`,
 * each first multiplied by `action_scale` (1; the authors' rllab launcher's `normalize`
 * wrapper maps a policy output of ±1 to ±0.1, which `action_scale: 0.1` reproduces).
 *
 * @module
 */
import { z } from "zod";
import type { Assert, Same } from "../type_check.ts";
import type { Rng } from "../rng.ts";
import type { EnvBatch, TaskFamily } from "./env.ts";
import { pointMasses } from "./point_mass.ts";
import type { NavigationTaskConfig } from "../settings/task.ts";
export type { NavigationTaskConfig };

/**
 * Bound of the goals' coordinates, `max_speed` and `action_scale` (MAML: 0.5, 0.1 and 1): with
 * the largest `max_steps` and `episodes` a trial's return stays above about −1.4e18, and its
 * square (the value loss) below float32's 3.4e38.
 */
export const MAX_NAVIGATION_SCALE = 1000;

/** The zod schema of the `task` block for 2-D navigation (defaults: MAML's). */
export const navigationTaskSchema: z.ZodObject<{
  kind: z.ZodLiteral<"navigation">;
  episodes: z.ZodInt;
  max_steps: z.ZodDefault<z.ZodInt>;
  goal_range: z.ZodDefault<z.ZodTuple<[z.ZodNumber, z.ZodNumber], null>>;
  max_speed: z.ZodDefault<z.ZodNumber>;
  goal_tolerance: z.ZodDefault<z.ZodNumber>;
  action_scale: z.ZodDefault<z.ZodNumber>;
  oracle: z.ZodDefault<z.ZodBoolean>;
}, z.core.$strict> = z.strictObject({
  kind: z.literal("navigation").describe("the task kind"),
  episodes: z.int().min(1).max(100000).describe("n, episodes per trial"),
  max_steps: z.int().min(1).max(100000).default(100)
    .describe("steps after which an episode ends (MAML: 100)"),
  goal_range: z.tuple([
    z.number().min(-MAX_NAVIGATION_SCALE).max(MAX_NAVIGATION_SCALE),
    z.number().min(-MAX_NAVIGATION_SCALE).max(MAX_NAVIGATION_SCALE),
  ])
    .refine(([lo, hi]) => lo < hi, "goal_range must be [lo, hi] with lo < hi")
    .default([-0.5, 0.5])
    .describe(
      `goals are drawn uniformly from [lo, hi]² (MAML: [−0.5, 0.5]); lo < hi, both within ` +
        `±${MAX_NAVIGATION_SCALE}`,
    ),
  max_speed: z.number().positive().max(MAX_NAVIGATION_SCALE).default(0.1)
    .describe(
      "each velocity component is clipped to [−max_speed, max_speed] (MAML: 0.1), at most " +
        `${MAX_NAVIGATION_SCALE}: a trial's return (at least −episodes × max_steps × √2 × ` +
        "(max |goal| + max_steps × max_speed) ≈ −1.4e18) and its square stay finite in float32",
    ),
  goal_tolerance: z.number().min(0).default(0.01)
    .describe("the episode ends when both coordinates are within this of the goal's (0.01)"),
  action_scale: z.number().positive().max(MAX_NAVIGATION_SCALE).default(1)
    .describe(
      "the policy's action is multiplied by this before clipping (1; the MAML authors' rllab " +
        `launcher normalises actions, which 0.1 reproduces), at most ${MAX_NAVIGATION_SCALE}`,
    ),
  oracle: z.boolean().default(false)
    .describe("the observation includes the goal: the oracle reference line"),
});

/** One navigation task: where its goal is. */
export interface NavigationTask {
  /** The goal's x coordinate. */
  readonly goalX: number;
  /** The goal's y coordinate. */
  readonly goalY: number;
}

/** The family of navigation tasks `config` describes. */
export function navigationFamily(
  config: Omit<NavigationTaskConfig, "kind" | "episodes">,
): TaskFamily<NavigationTask> {
  const { max_steps: maxSteps, max_speed: speed, goal_tolerance: tol, oracle } = config;
  const [lo, hi] = config.goal_range;
  const obsDim = oracle ? 4 : 2;
  const clip = (v: number) => Math.min(speed, Math.max(-speed, v));
  return {
    obsDim,
    numActions: 0,
    actionDim: 2,
    maxEpisodeSteps: maxSteps,
    fixedEpisodeLength: false,
    sampleTask(rng: Rng): NavigationTask {
      const goalX = rng.uniformIn(lo, hi);
      return { goalX, goalY: rng.uniformIn(lo, hi) };
    },
    createBatch(size: number): EnvBatch<NavigationTask> {
      const points = pointMasses<NavigationTask>(size, oracle);
      return {
        size,
        obs: points.obs,
        setTask: points.setTask,
        resetEpisode(slot) {
          points.reset(slot, 0, 0);
        },
        step(actions, active, _rng, rewards, dones) {
          for (let i = 0; i < size; i++) {
            if (active[i] !== 1) continue;
            const { dx, dy, steps } = points.move(
              i,
              clip(config.action_scale * actions[i * 2]!),
              clip(config.action_scale * actions[i * 2 + 1]!),
            );
            rewards[i] = -Math.sqrt(dx * dx + dy * dy);
            const reached = Math.abs(dx) < tol && Math.abs(dy) < tol;
            dones[i] = reached || steps >= maxSteps ? 1 : 0;
          }
        },
      };
    },
  };
}

type _NavigationTaskConfigIsTheSchemaOutput = Assert<
  Same<NavigationTaskConfig, z.output<typeof navigationTaskSchema>>
>;
