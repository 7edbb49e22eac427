/**
 * How a learner is put together from its two choices: its memory (RL²'s recurrent networks, a
 * GRU over the RL² input whose state spans the trial, or memoryless MLPs on the observation
 * alone; the value network has the policy's shape with one output) and its update rule with
 * the agent-block section that configures it. Every learner file is a few calls of
 * {@link defineLearner}.
 *
 * @module
 */
import { z } from "zod";
import type { TaskFamily } from "../envs/env.ts";
import { inputDim } from "../envs/trial.ts";
import { type SamplingConfig, samplingSchema, valueFitSchema } from "./config.ts";
import {
  type GruPolicyConfig,
  gruPolicySchema,
  type MlpPolicyConfig,
  mlpPolicySchema,
} from "../policies/config.ts";
import { gruNetwork } from "../policies/gru.ts";
import { mlpNetwork } from "../policies/mlp.ts";
import type {
  LearnerAgentConfig,
  LearnerNetworks,
  LearnerSpec,
  LoopContext,
  PolicyUpdate,
  TrainingLoop,
} from "./learner.ts";

/** RL²'s networks: GRUs whose input is (observation, previous action, reward, done). */
export function recurrentNetworks(family: TaskFamily, policy: GruPolicyConfig): LearnerNetworks {
  const D = inputDim(family, "rl2");
  const make = (outputDim: number) =>
    gruNetwork({
      inputDim: D,
      hidden: policy.gru,
      outputDim,
      norm: policy.norm,
      activation: policy.activation ?? "tanh",
      gainInit: policy.gain_init ?? "norm",
    });
  return {
    mode: "rl2",
    start: policy.start_input ?? "paper",
    policy: make(family.actionDim ?? family.numActions),
    value: make(1),
  };
}

/** Memoryless networks: MLPs on the observation only. */
export function memorylessNetworks(family: TaskFamily, policy: MlpPolicyConfig): LearnerNetworks {
  const D = inputDim(family, "observation");
  const make = (outputDim: number) =>
    mlpNetwork({ inputDim: D, hidden: policy.mlp, outputDim, norm: policy.norm });
  return {
    mode: "observation",
    start: "paper",
    policy: make(family.actionDim ?? family.numActions),
    value: make(1),
  };
}

/** The memory of a learner: RL²'s recurrent networks, or memoryless ones. */
export type Memory = "recurrent" | "memoryless";

/** Each memory's `policy` block schema and the networks it builds from that block. */
const MEMORIES: Record<
  Memory,
  { policy: z.ZodObject; networks(family: TaskFamily, policy: unknown): LearnerNetworks }
> = {
  recurrent: {
    policy: gruPolicySchema,
    networks: (family, policy) => recurrentNetworks(family, policy as GruPolicyConfig),
  },
  memoryless: {
    policy: mlpPolicySchema,
    networks: (family, policy) => memorylessNetworks(family, policy as MlpPolicyConfig),
  },
};

/** What {@link defineLearner} needs to know about a learner. */
export interface LearnerDefinition<C> {
  /** The `kind` of its agent blocks. */
  kind: string;
  /** One line for editors and messages. */
  description: string;
  /** RL²'s recurrent networks, or memoryless ones. */
  memory: Memory;
  /** The name of the agent-block section that configures its update (e.g. `trpo`). */
  section: string;
  /**
   * That section's schema; every field has a default.
   *
   * @internal A zod schema, outside this package's API.
   */
  schema: z.ZodObject;
  /** Its update rule for a resolved section and sampling block. */
  update(section: C, sampling: SamplingConfig): PolicyUpdate;
  /**
   * The name of the random stream its update draws from each iteration (Fisher subsamples,
   * minibatch orders); part of what makes a run's numbers, so never renamed.
   */
  stream: string;
  /** Fields of its section that can stop its updates, named when a run stalls. */
  stallSettings: readonly string[];
  /**
   * Keys of its section that were renamed: old name → new name, one line per rename. Files
   * that still use an old name are accepted and told the new one (`LearnerSpec.renamed`).
   */
  renamed?: Readonly<Record<string, string>>;
  /**
   * Its training loop on task families with continuous actions (a diagonal Gaussian policy on
   * its network); absent, such families are refused.
   */
  continuous?: (section: C, context: LoopContext) => TrainingLoop;
  /** Trajectories of a held-out task one evaluation episode stands for ({@link LearnerSpec}). */
  episodeTrajectories?: (section: C) => number;
}

/**
 * A learner of the registry: its agent block is `kind`, a `policy` of its memory, the shared
 * `sampling` and `value` blocks, and its update's own section.
 */
export function defineLearner<C>(definition: LearnerDefinition<C>): LearnerSpec {
  const memory = MEMORIES[definition.memory];
  return {
    kind: definition.kind,
    description: definition.description,
    schema: z.strictObject({
      kind: z.literal(definition.kind).describe(definition.description),
      policy: memory.policy.prefault({}),
      sampling: samplingSchema,
      [definition.section]: definition.schema.prefault({}),
      value: valueFitSchema.prefault({}),
    }),
    networks: (family, config) => memory.networks(family, config.policy),
    update: (config) => definition.update(config[definition.section] as C, config.sampling),
    updateStream: definition.stream,
    stallSettings: definition.stallSettings.map((f) => `${definition.section}.${f}`),
    ...(definition.renamed !== undefined && {
      renamed: { [definition.section]: definition.renamed },
    }),
    loop: (context) => {
      if (context.family.actionDim === undefined) return undefined;
      if (definition.continuous === undefined) {
        throw new Error(`${definition.kind} has no update for continuous actions yet`);
      }
      return definition.continuous(context.config[definition.section] as C, context);
    },
    ...(definition.episodeTrajectories !== undefined && {
      episodeTrajectories: (config: LearnerAgentConfig) =>
        definition.episodeTrajectories!(config[definition.section] as C),
    }),
  };
}
