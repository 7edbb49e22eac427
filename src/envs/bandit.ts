/**
 * Bernoulli multi-armed bandits (RL² paper §3.1): k arms with p_i ~ U[0,1] drawn per task;
 * an episode is one pull, so n episodes are n pulls. The observation is the paper's constant
 * placeholder 0.
 *
 * @module
 */
import { z } from "zod";
import type { Assert, Same } from "../type_check.ts";
import type { Rng } from "../rng.ts";
import type { EnvBatch, TaskFamily } from "./env.ts";
import type { BanditTaskConfig } from "../settings/task.ts";
export type { BanditTaskConfig };

/** The zod schema of the `task` block of an experiment file for bandits. */
export const banditTaskSchema: z.ZodObject<{
  kind: z.ZodLiteral<"bandit">;
  arms: z.ZodDefault<z.ZodInt>;
  episodes: z.ZodInt;
}, z.core.$strict> = z.strictObject({
  kind: z.literal("bandit").describe("the task kind"),
  arms: z.int().min(2).max(1000).default(5).describe("k, the number of arms"),
  episodes: z.int().min(1).max(100000).describe("n, pulls (one-step episodes) per trial"),
});

/** One bandit task: the success probability of every arm. */
export interface BanditTask {
  /** `p[i]`: the probability that arm i pays 1. */
  readonly p: Float64Array;
}

/** The family of k-armed Bernoulli bandits with uniform arm means. */
export function banditFamily(config: { arms: number }): TaskFamily<BanditTask> {
  const k = config.arms;
  return {
    obsDim: 1,
    numActions: k,
    maxEpisodeSteps: 1,
    fixedEpisodeLength: true,
    sampleTask(rng: Rng): BanditTask {
      const p = new Float64Array(k);
      for (let i = 0; i < k; i++) p[i] = rng.uniform();
      return { p };
    },
    createBatch(size: number): EnvBatch<BanditTask> {
      const tasks: (BanditTask | undefined)[] = new Array(size);
      return {
        size,
        obs: new Float32Array(size),
        setTask(slot, task) {
          if (task.p.length !== k) throw new Error(`task has ${task.p.length} arms, expected ${k}`);
          tasks[slot] = task;
        },
        resetEpisode() {},
        step(actions, active, rng, rewards, dones) {
          for (let i = 0; i < size; i++) {
            if (active[i] !== 1) continue;
            const task = tasks[i];
            if (task === undefined) throw new Error(`slot ${i} has no task`);
            rewards[i] = rng.uniform() < task.p[actions[i]!]! ? 1 : 0;
            dones[i] = 1;
          }
        },
      };
    },
  };
}

type _BanditTaskConfigIsTheSchemaOutput = Assert<
  Same<BanditTaskConfig, z.output<typeof banditTaskSchema>>
>;
