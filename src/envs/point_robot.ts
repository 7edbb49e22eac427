/**
 * PEARL's point robot (Rakelly et al. 2019, App. B; the authors' `rlkit/envs/point_robot.py`):
 * a point on the plane moves by its action `(dx, dy)`, each component bounded by 0.1 (the
 * policy's action in [−1, 1] is multiplied by `max_speed`, as the authors' normalised action
 * space does, and clipped there), and an episode lasts `max_steps` (20) steps; it never ends
 * early. The reward is computed after the move.
 *
 * - dense (`sparse: false`): goals uniform in `[−1, 1]²`; every episode starts at a position
 *   drawn uniformly from `[−1, 1]²`; the reward is the negative distance to the goal.
 * - sparse (`sparse: true`): goals on the upper half of the unit circle, at one of
 *   `goal_count` (100) evenly spaced angles `π k / (goal_count − 1)`; every episode starts at
 *   the origin; the reward is `1 − distance` within `goal_radius` (0.2) of the goal and 0
 *   elsewhere. The batch also keeps the dense reward ({@link PointRobotBatch.denseRewards}):
 *   PEARL's actor-critic trains on it while its encoder and its evaluation see the sparse one.
 *
 * The policy observes the position `(x, y)`; the oracle variant (`oracle: true`) also observes
 * the goal, `(x, y, gx, gy)`.
 *
 * @module
 */
import { z } from "zod";
import type { Assert, Same } from "../type_check.ts";
import type { Rng } from "../rng.ts";
import type { EnvBatch, TaskFamily } from "./env.ts";
import { pointMasses } from "./point_mass.ts";
import type { PointRobotTaskConfig } from "../settings/task.ts";
export type { PointRobotTaskConfig };

/** The zod schema of the `task` block for PEARL's point robot (defaults: the authors'). */
export const pointRobotTaskSchema: z.ZodObject<{
  kind: z.ZodLiteral<"point_robot">;
  episodes: z.ZodInt;
  max_steps: z.ZodDefault<z.ZodInt>;
  sparse: z.ZodDefault<z.ZodBoolean>;
  goal_radius: z.ZodDefault<z.ZodNumber>;
  goal_count: z.ZodDefault<z.ZodInt>;
  max_speed: z.ZodDefault<z.ZodNumber>;
  oracle: z.ZodDefault<z.ZodBoolean>;
}, z.core.$strict> = z.strictObject({
  kind: z.literal("point_robot").describe("the task kind"),
  episodes: z.int().min(1).max(100000).describe("n, episodes per trial"),
  max_steps: z.int().min(1).max(100000).default(20)
    .describe("steps of every episode (PEARL: 20)"),
  sparse: z.boolean().default(false)
    .describe("goals on the upper half circle, start at the origin, reward only near the goal"),
  goal_radius: z.number().positive().max(10).default(0.2)
    .describe("sparse reward: 1 − distance within this distance of the goal (PEARL: 0.2)"),
  goal_count: z.int().min(2).max(1_000_000).default(100)
    .describe("sparse goals: this many evenly spaced angles on [0, π] (PEARL: 100 tasks)"),
  max_speed: z.number().positive().max(10).default(0.1)
    .describe("an action in [−1, 1] moves the point by up to this per axis (PEARL: 0.1)"),
  oracle: z.boolean().default(false)
    .describe("the observation includes the goal: the oracle reference line"),
});

/** One point-robot task: where its goal is. */
export interface PointRobotTask {
  /** The goal's x coordinate. */
  readonly goalX: number;
  /** The goal's y coordinate. */
  readonly goalY: number;
}

/** A point-robot batch: an {@link EnvBatch} that also reports the dense reward of each step. */
export interface PointRobotBatch extends EnvBatch<PointRobotTask> {
  /** The negative distance to the goal after the last step of each slot (the sparse tasks' too). */
  readonly denseRewards: Float32Array;
}

/** Whether a batch reports dense rewards beside its rewards (a {@link PointRobotBatch}). */
export function hasDenseRewards(
  batch: EnvBatch,
): batch is EnvBatch & { denseRewards: Float32Array } {
  return (batch as Partial<PointRobotBatch>).denseRewards instanceof Float32Array;
}

/** The family of point-robot tasks `config` describes. */
export function pointRobotFamily(
  config: Omit<PointRobotTaskConfig, "kind" | "episodes">,
): TaskFamily<PointRobotTask> {
  const { max_steps: maxSteps, max_speed: speed, oracle, sparse } = config;
  const obsDim = oracle ? 4 : 2;
  const clip = (v: number) => Math.min(speed, Math.max(-speed, speed * v));
  return {
    obsDim,
    numActions: 0,
    actionDim: 2,
    maxEpisodeSteps: maxSteps,
    fixedEpisodeLength: true,
    sampleTask(rng: Rng): PointRobotTask {
      if (!sparse) {
        const goalX = rng.uniformIn(-1, 1);
        return { goalX, goalY: rng.uniformIn(-1, 1) };
      }
      const angle = Math.PI * rng.int(config.goal_count) / (config.goal_count - 1);
      return { goalX: Math.cos(angle), goalY: Math.sin(angle) };
    },
    createBatch(size: number): PointRobotBatch {
      const points = pointMasses<PointRobotTask>(size, oracle);
      const denseRewards = new Float32Array(size);
      return {
        size,
        obs: points.obs,
        denseRewards,
        setTask: points.setTask,
        resetEpisode(slot, rng) {
          const x = sparse ? 0 : rng.uniformIn(-1, 1);
          points.reset(slot, x, sparse ? 0 : rng.uniformIn(-1, 1));
        },
        step(actions, active, _rng, rewards, dones) {
          for (let i = 0; i < size; i++) {
            if (active[i] !== 1) continue;
            const { dx, dy, steps } = points.move(
              i,
              clip(actions[i * 2]!),
              clip(actions[i * 2 + 1]!),
            );
            const distance = Math.sqrt(dx * dx + dy * dy);
            denseRewards[i] = -distance;
            rewards[i] = !sparse ? -distance : distance <= config.goal_radius ? 1 - distance : 0;
            dones[i] = steps >= maxSteps ? 1 : 0;
          }
        },
      };
    },
  };
}

type _PointRobotTaskConfigIsTheSchemaOutput = Assert<
  Same<PointRobotTaskConfig, z.output<typeof pointRobotTaskSchema>>
>;
