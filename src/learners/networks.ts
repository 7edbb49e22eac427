/**
 * The two kinds of agent networks a learner can use: RL²'s recurrent pair (a GRU over the
 * RL² input, its memory spanning the trial) and the memoryless pair (an MLP on the observation
 * alone). The value network has the policy's shape with one output.
 *
 * @module
 */
import type { TaskFamily } from "../envs/env.ts";
import { inputDim } from "../envs/trial.ts";
import type { GruPolicyConfig, MlpPolicyConfig } from "../policies/config.ts";
import { gruNetwork } from "../policies/gru.ts";
import { mlpNetwork } from "../policies/mlp.ts";
import type { LearnerNetworks } from "./learner.ts";

/** RL²'s networks: GRUs whose input is (observation, previous action, reward, done). */
export function recurrentNetworks(family: TaskFamily, policy: GruPolicyConfig): LearnerNetworks {
  const D = inputDim(family, "rl2");
  const make = (outputDim: number) =>
    gruNetwork({ inputDim: D, hidden: policy.gru, outputDim, norm: policy.norm });
  return { mode: "rl2", policy: make(family.numActions), value: make(1) };
}

/** Memoryless networks: MLPs on the observation only. */
export function memorylessNetworks(family: TaskFamily, policy: MlpPolicyConfig): LearnerNetworks {
  const D = inputDim(family, "observation");
  const make = (outputDim: number) =>
    mlpNetwork({ inputDim: D, hidden: policy.mlp, outputDim, norm: policy.norm });
  return { mode: "observation", policy: make(family.numActions), value: make(1) };
}
