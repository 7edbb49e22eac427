/**
 * Random tabular MDPs (RL² paper §3.2): per task, reward means μ(s,a) ~ N(μ0, σ0²) with
 * rewards N(μ(s,a), σ²) redrawn every visit, transitions P(·|s,a) ~ Dirichlet(α,…,α); episodes
 * of fixed horizon start in state 0. The observation is the one-hot current state.
 *
 * @module
 */
import { z } from "zod";
import type { Assert, Same } from "../type_check.ts";
import type { Rng } from "../rng.ts";
import type { EnvBatch, TaskFamily } from "./env.ts";
import type { MdpTaskConfig } from "../settings/task.ts";
export type { MdpTaskConfig };

/**
 * Bound of the reward prior's mean, spread and noise: with the largest horizon and episode
 * count a trial's return stays below about 2e13, and the value loss (its square) below float32's
 * 3.4e38.
 */
export const MAX_REWARD_SCALE = 1000;

/**
 * Bounds of the transition prior's concentration α. A Gamma(α) draw for α < 1 is
 * Gamma(α + 1) · u^(1/α) with a uniform u ≥ 2⁻⁵³: at α ≥ 0.05, u^(1/α) ≥ 2⁻¹⁰⁶⁰ stays within
 * float64 (down to 2⁻¹⁰⁷⁴), so a row's draws do not all underflow to 0 (which made the row 0/0,
 * silently). At most 10⁶ (the rows are then uniform to within 0.1%): a row's sum stays finite.
 */
export const MIN_DIRICHLET_ALPHA = 0.05;
/** See {@link MIN_DIRICHLET_ALPHA}. */
export const MAX_DIRICHLET_ALPHA = 1e6;

/** The zod schema of the `task` block for tabular MDPs (defaults: the paper's). */
export const mdpTaskSchema: z.ZodObject<{
  kind: z.ZodLiteral<"mdp">;
  states: z.ZodDefault<z.ZodInt>;
  actions: z.ZodDefault<z.ZodInt>;
  horizon: z.ZodDefault<z.ZodInt>;
  episodes: z.ZodInt;
  reward_mean_prior: z.ZodDefault<
    z.ZodObject<{ mean: z.ZodDefault<z.ZodNumber>; std: z.ZodDefault<z.ZodNumber> }, z.core.$strict>
  >;
  reward_std: z.ZodDefault<z.ZodNumber>;
  dirichlet_alpha: z.ZodDefault<z.ZodNumber>;
}, z.core.$strict> = z.strictObject({
  kind: z.literal("mdp").describe("the task kind"),
  states: z.int().min(1).max(1000).default(10).describe("|S|, the number of states (paper: 10)"),
  actions: z.int().min(2).max(100).default(5).describe("|A|, the number of actions (paper: 5)"),
  horizon: z.int().min(1).max(10000).default(10).describe("steps per episode (paper: 10)"),
  episodes: z.int().min(1).max(100000).describe("n, episodes per trial"),
  reward_mean_prior: z.strictObject({
    mean: z.number().min(-MAX_REWARD_SCALE).max(MAX_REWARD_SCALE).default(1)
      .describe(`mean of the mean rewards, within ±${MAX_REWARD_SCALE}`),
    std: z.number().min(0).max(MAX_REWARD_SCALE).default(1)
      .describe(`spread of the mean rewards, at most ${MAX_REWARD_SCALE}`),
  }).default({ mean: 1, std: 1 }).describe(
    `μ(s,a) ~ N(mean, std²); bounded so that a trial's return (at most horizon × episodes × ` +
      `(|mean| + 9 (std + reward_std)) ≈ 2e13) and its square stay finite in float32`,
  ),
  reward_std: z.number().min(0).max(MAX_REWARD_SCALE).default(1)
    .describe(`reward noise around μ(s,a) (paper: 1), at most ${MAX_REWARD_SCALE}`),
  dirichlet_alpha: z.number().min(MIN_DIRICHLET_ALPHA).max(MAX_DIRICHLET_ALPHA).default(1)
    .describe(
      "concentration of the Dirichlet prior of every transition row (paper: 1, flat), within " +
        `[${MIN_DIRICHLET_ALPHA}, ${MAX_DIRICHLET_ALPHA}]: below, a row's Gamma draws can all ` +
        "underflow to 0 and the row would be 0/0; above, their sum overflows",
    ),
});

/** One MDP: `rewardMean[s*A + a]`, `transitions[(s*A + a)*S + s']`. */
export interface MdpTask {
  /** Number of states S. */
  readonly states: number;
  /** Number of actions A. */
  readonly actions: number;
  /** Mean reward of every state–action pair, `rewardMean[s*A + a]`. */
  readonly rewardMean: Float64Array;
  /** Transition probabilities, `transitions[(s*A + a)*S + s']`. */
  readonly transitions: Float64Array;
}

/** The family of random MDPs described by `config`. */
export function tabularMdpFamily(
  config: Omit<MdpTaskConfig, "kind" | "episodes">,
): TaskFamily<MdpTask> {
  const { states: S, actions: A, horizon } = config;
  const alpha = new Float64Array(S).fill(config.dirichlet_alpha);
  return {
    obsDim: S,
    numActions: A,
    maxEpisodeSteps: horizon,
    fixedEpisodeLength: true,
    sampleTask(rng: Rng): MdpTask {
      const rewardMean = new Float64Array(S * A);
      for (let i = 0; i < S * A; i++) {
        rewardMean[i] = config.reward_mean_prior.mean + config.reward_mean_prior.std * rng.normal();
      }
      const transitions = new Float64Array(S * A * S);
      for (let i = 0; i < S * A; i++) {
        rng.dirichlet(alpha, transitions.subarray(i * S, (i + 1) * S));
      }
      return { states: S, actions: A, rewardMean, transitions };
    },
    createBatch(size: number): EnvBatch<MdpTask> {
      const tasks: (MdpTask | undefined)[] = new Array(size);
      const state = new Int32Array(size);
      const t = new Int32Array(size);
      const obs = new Float32Array(size * S);
      const place = (slot: number, s: number) => {
        obs.fill(0, slot * S, (slot + 1) * S);
        obs[slot * S + s] = 1;
        state[slot] = s;
      };
      return {
        size,
        obs,
        setTask(slot, task) {
          if (task.states !== S || task.actions !== A) {
            throw new Error(`task is ${task.states}×${task.actions}, expected ${S}×${A}`);
          }
          tasks[slot] = task;
        },
        resetEpisode(slot) {
          t[slot] = 0;
          place(slot, 0);
        },
        step(actions, active, rng, rewards, dones) {
          for (let i = 0; i < size; i++) {
            if (active[i] !== 1) continue;
            const task = tasks[i];
            if (task === undefined) throw new Error(`slot ${i} has no task`);
            const sa = state[i]! * A + actions[i]!;
            rewards[i] = task.rewardMean[sa]! + config.reward_std * rng.normal();
            place(i, rng.categorical(task.transitions, sa * S, S));
            t[i] = t[i]! + 1;
            dones[i] = t[i]! >= horizon ? 1 : 0;
          }
        },
      };
    },
  };
}

type _MdpTaskConfigIsTheSchemaOutput = Assert<Same<MdpTaskConfig, z.output<typeof mdpTaskSchema>>>;
