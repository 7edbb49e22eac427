/**
 * How an on-policy learner is put together from its two choices: its memory (RL²'s recurrent
 * networks, a GRU over the RL² input whose state spans the trial, or memoryless MLPs on the
 * observation alone; the value network has the policy's shape with one output) and its update
 * rule with the agent-block section that configures it. The TRPO, PPO and first-order TRPO
 * learners are each two calls of {@link defineLearner}; a learner with its own loop (MAML)
 * writes its {@link OwnLoopLearner} entry itself.
 *
 * @module
 */
import { z } from "zod";
import type { TaskFamily } from "../envs/env.ts";
import { inputDim } from "../envs/trial.ts";
import { type SamplingConfig, samplingSchema, valueFitSchema } from "./config.ts";
import {
  GRU_POLICY_RENAMED_VALUES,
  type GruPolicyConfig,
  gruPolicySchema,
  type MlpPolicyConfig,
  mlpPolicySchema,
} from "../policies/config.ts";
import { gruNetwork } from "../policies/gru.ts";
import { mlpNetwork } from "../policies/mlp.ts";
import type { StepNetwork } from "../policies/network.ts";
import { type ActionDistribution, type Policy, policyOf } from "../policies/distribution.ts";
import { categoricalDistribution } from "../policies/categorical.ts";
import { gaussianDistribution } from "../policies/gaussian.ts";
import type {
  ActionKind,
  LearnerAgentConfig,
  LearnerNetworks,
  Memory,
  OnPolicyLearner,
  PolicyUpdate,
} from "./learner.ts";

/**
 * The action distribution of a family's actions: categorical over its actions, or a diagonal
 * Gaussian (standard deviation 1 at the start) over its continuous ones.
 */
export function familyDistribution(family: TaskFamily): ActionDistribution {
  return family.actionDim === undefined
    ? categoricalDistribution(family.numActions)
    : gaussianDistribution(family.actionDim);
}

/** The policy of `net` on a family's actions. */
function familyPolicy(family: TaskFamily, net: StepNetwork): Policy {
  return policyOf(net, familyDistribution(family));
}

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
    start: policy.start_input ?? "action_0",
    policy: familyPolicy(family, make(familyDistribution(family).outputDim)),
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
    start: "action_0",
    policy: familyPolicy(family, make(familyDistribution(family).outputDim)),
    value: make(1),
  };
}

/**
 * Each memory's `policy` block: its schema, the old values of its settings, and the networks it
 * builds from it.
 */
const MEMORIES: Record<Memory, {
  policy: z.ZodObject;
  renamedValues?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  networks(family: TaskFamily, policy: unknown): LearnerNetworks;
}> = {
  recurrent: {
    policy: gruPolicySchema,
    renamedValues: GRU_POLICY_RENAMED_VALUES,
    networks: (family, policy) => recurrentNetworks(family, policy as GruPolicyConfig),
  },
  memoryless: {
    policy: mlpPolicySchema,
    networks: (family, policy) => memorylessNetworks(family, policy as MlpPolicyConfig),
  },
};

/** What {@link defineLearner} needs to know about an on-policy learner. */
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
  updateStream: string;
  /** Fields of its section that can stop its updates, named when a run stalls. */
  stallSettings: readonly string[];
  /** The kinds of action its update handles. */
  actions: readonly ActionKind[];
  /** The names of its update's own diagnostics (`LearnerSpec.diagnostics`). */
  diagnostics: readonly string[];
  /**
   * Keys of its section that were renamed: old name → new name, one line per rename. Files
   * that still use an old name are accepted and told the new one (`LearnerSpec.renamed`).
   */
  renamed?: Readonly<Record<string, string>>;
  /**
   * Keys of its section that moved elsewhere in the experiment: old key → the experiment path
   * it is read at now (`LearnerSpec.moved`).
   */
  moved?: Readonly<Record<string, string>>;
}

/**
 * The part of a {@link LearnerDefinition} that an update brings (its section and its rule), shared
 * by the learners that train the same update with RL²'s memory and without.
 */
export type UpdateDefinition<C> = Omit<LearnerDefinition<C>, "kind" | "description" | "memory">;

/**
 * An on-policy learner of the registry: its agent block is `kind`, a `policy` of its memory,
 * the shared `sampling` and `value` blocks, and its update's own section.
 */
export function defineLearner<C>(definition: LearnerDefinition<C>): OnPolicyLearner {
  const memory = MEMORIES[definition.memory];
  const section = (config: LearnerAgentConfig) => config[definition.section] as C;
  return {
    shape: "on-policy",
    memory: definition.memory,
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
    update: (config) => definition.update(section(config), config.sampling),
    updateStream: definition.updateStream,
    stallSettings: definition.stallSettings.map((f) => `${definition.section}.${f}`),
    actions: definition.actions,
    diagnostics: definition.diagnostics,
    ...(definition.renamed !== undefined && {
      renamed: { [definition.section]: definition.renamed },
    }),
    ...(memory.renamedValues !== undefined && { renamedValues: { policy: memory.renamedValues } }),
    ...(definition.moved !== undefined && {
      moved: Object.fromEntries(
        Object.entries(definition.moved).map(([key, to]) => [`${definition.section}.${key}`, to]),
      ),
    }),
  };
}
