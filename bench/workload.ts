/**
 * Benchmark workloads shared by the suite and its probes: an RL² learner (TRPO, first-order
 * TRPO or PPO) on bandits k=5 n=10 or MDPs n=10 with a GRU policy, and the FLOP count of one
 * forward pass.
 *
 * @module
 */
import { banditFamily } from "../src/envs/bandit.ts";
import { tabularMdpFamily } from "../src/envs/tabular_mdp.ts";
import { mdpTaskSchema } from "../src/envs/tabular_mdp.ts";
import { Trainer } from "../src/learners/train.ts";
import { resolveLearner } from "../src/learners/registry.ts";
import type { TaskFamily } from "../src/envs/env.ts";

/** The two benchmarked task settings. */
export const SETTINGS = {
  "bandit-k5-n10": () => ({ family: banditFamily({ arms: 5 }) as TaskFamily, episodes: 10 }),
  "mdp-n10": () => ({
    family: tabularMdpFamily(mdpTaskSchema.parse({ kind: "mdp", episodes: 10 })) as TaskFamily,
    episodes: 10,
  }),
} as const;

/** A benchmarked setting's name. */
export type SettingName = keyof typeof SETTINGS;

/** How a benchmarked learner updates its policy, beyond the defaults of its block. */
export type BenchUpdate =
  | { kind: "rl2"; fvpSubsample?: number }
  | { kind: "rl2_fo_trpo"; epochs?: number; minibatchTrials?: number }
  | { kind: "rl2_ppo"; epochs?: number; minibatches?: number };

/** An RL² learner with the paper's GRU size unless told otherwise (TRPO by default). */
export function benchLearner(
  setting: SettingName,
  batchTimesteps: number,
  o: { gru?: number; update?: BenchUpdate } = {},
): Trainer {
  const { family, episodes } = SETTINGS[setting]();
  const update = o.update ?? { kind: "rl2" };
  const section = update.kind === "rl2"
    ? { trpo: { fvp_subsample: update.fvpSubsample ?? 0.1 } }
    : update.kind === "rl2_fo_trpo"
    ? {
      fo_trpo: {
        ...(update.epochs !== undefined && { epochs: update.epochs }),
        ...(update.minibatchTrials !== undefined && { minibatch_trials: update.minibatchTrials }),
      },
      // The authors' value fit: the same minibatch optimiser.
      value: { epochs: 5, minibatch_trials: update.minibatchTrials ?? 128, learning_rate: 1e-3 },
    }
    : {
      ppo: {
        ...(update.epochs !== undefined && { epochs: update.epochs }),
        ...(update.minibatches !== undefined && { minibatches: update.minibatches }),
      },
    };
  const { spec, config } = resolveLearner({
    kind: update.kind,
    policy: { gru: o.gru ?? 256 },
    sampling: { iterations: 1, batch_timesteps: batchTimesteps },
    ...section,
  });
  return new Trainer(family, episodes, spec, config, 0);
}

/** Multiply–adds of one GRU step (three gates, input and recurrent matrices, output head). */
export function gruStepMacs(inputDim: number, hidden: number, outputs: number): number {
  return 3 * (inputDim * hidden + hidden * hidden) + hidden * outputs;
}

/**
 * The process's peak RSS in MiB (VmHWM of /proc/self/status), or null where it cannot be read:
 * off Linux, or without `--allow-all` (Deno grants reading /proc/self only with it).
 */
export async function peakRssMiB(): Promise<number | null> {
  const status = await Deno.readTextFile("/proc/self/status").catch(() => "");
  const kib = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
  return kib === undefined ? null : Number(kib) / 1024;
}
