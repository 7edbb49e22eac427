/**
 * Every block of settings an experiment file holds, each by the zod schema that declares it:
 * the list `src/settings/` (their TypeScript types) and `docs/settings.md` (their reference
 * page) are written from.
 *
 * @module
 */
import type { z } from "zod";
import { banditTaskSchema } from "../envs/bandit.ts";
import { mdpTaskSchema } from "../envs/tabular_mdp.ts";
import { cartpoleTaskSchema } from "../envs/cartpole.ts";
import { navigationTaskSchema } from "../envs/navigation.ts";
import { pointRobotTaskSchema } from "../envs/point_robot.ts";
import { taskSchema } from "../envs/registry.ts";
import { gruPolicySchema, mlpPolicySchema } from "../policies/config.ts";
import { samplingSchema, valueFitSchema } from "../learners/config.ts";
import { trpoSchema } from "../learners/trpo.ts";
import { finetuneSchema } from "../learners/finetune.ts";
import { ppoSchema } from "../learners/ppo.ts";
import { firstOrderTrpoSchema } from "../learners/first_order_trpo.ts";
import { mamlPolicySchema, mamlSamplingSchema, mamlSchema } from "../learners/maml_trpo.ts";
import { pearlSamplingSchema, pearlSchema } from "../learners/pearl_config.ts";
import { expectationSchema, experimentFieldsSchema, tuningSchema } from "./schema.ts";
import type { NamedType } from "./settings_types.ts";

/** One block of an experiment file: where it sits, what it is, its schema and its type's name. */
export interface Block {
  /** Where the block sits in an experiment file, e.g. `agents.NAME.trpo`. */
  readonly path: string;
  /** Which agents or tasks have it. */
  readonly where: string;
  /** One sentence on what it holds; its type's documentation. */
  readonly doc: string;
  /** Its schema. */
  readonly schema: z.ZodType;
  /** Its TypeScript type's name and the module of `src/settings/` that declares it; none for a
   * block without one. */
  readonly type?: { readonly name: string; readonly module: SettingsModule };
}

const experimentShape = experimentFieldsSchema.shape;

/** The modules of `src/settings/`, each with what it holds. */
export const SETTINGS_MODULES = {
  task: "The types of the `task` block of an experiment file, one per kind of task.",
  agent: "The types of the blocks of an agent of an experiment file: its network, sampling, " +
    "value fit, update and tuning.",
  experiment: "The types of the fields of an experiment file other than its task and agents.",
} as const;

/** A module of `src/settings/`. */
export type SettingsModule = keyof typeof SETTINGS_MODULES;

/** The blocks, in the order of the reference page. */
export const BLOCKS: readonly Block[] = [
  {
    path: "task",
    where: 'kind "bandit"',
    doc: "The `task` block of a Bernoulli-bandit experiment, defaults filled in.",
    schema: banditTaskSchema,
    type: { name: "BanditTaskConfig", module: "task" },
  },
  {
    path: "task",
    where: 'kind "mdp"',
    doc: "The `task` block of a random tabular-MDP experiment, defaults filled in (the paper's).",
    schema: mdpTaskSchema,
    type: { name: "MdpTaskConfig", module: "task" },
  },
  {
    path: "task",
    where: 'kind "cartpole"',
    doc: "The `task` block of a randomized-CartPole experiment, defaults filled in (gym's).",
    schema: cartpoleTaskSchema,
    type: { name: "CartPoleTaskConfig", module: "task" },
  },
  {
    path: "task",
    where: 'kind "navigation"',
    doc: "The `task` block of a 2-D navigation experiment, defaults filled in (MAML's).",
    schema: navigationTaskSchema,
    type: { name: "NavigationTaskConfig", module: "task" },
  },
  {
    path: "task",
    where: 'kind "point_robot"',
    doc: "The `task` block of a PEARL point-robot experiment, defaults filled in (the authors').",
    schema: pointRobotTaskSchema,
    type: { name: "PointRobotTaskConfig", module: "task" },
  },
  {
    path: "agents.NAME.policy",
    where: "rl2, rl2_ppo, rl2_fo_trpo",
    doc: "The GRU network of an RL² agent (the value network has the same shape).",
    schema: gruPolicySchema,
    type: { name: "GruPolicyConfig", module: "agent" },
  },
  {
    path: "agents.NAME.policy",
    where: "trpo, ppo, fo_trpo",
    doc: "The MLP network of a memoryless agent, on the observation.",
    schema: mlpPolicySchema,
    type: { name: "MlpPolicyConfig", module: "agent" },
  },
  {
    path: "agents.NAME.sampling",
    where: "every learner but maml_trpo",
    doc: "How a learner samples its batch and estimates advantages, defaults filled in.",
    schema: samplingSchema,
    type: { name: "SamplingConfig", module: "agent" },
  },
  {
    path: "agents.NAME.value",
    where: "every learner",
    doc: "How a learner fits its value network on every iteration's batch.",
    schema: valueFitSchema,
    type: { name: "ValueFitConfig", module: "agent" },
  },
  {
    path: "agents.NAME.trpo",
    where: "rl2, trpo",
    doc: "TRPO hyperparameters, defaults filled in (the paper's where it gives one).",
    schema: trpoSchema,
    type: { name: "TrpoConfig", module: "agent" },
  },
  {
    path: "agents.NAME.ppo",
    where: "rl2_ppo, ppo",
    doc: "PPO hyperparameters, defaults filled in (CleanRL's).",
    schema: ppoSchema,
    type: { name: "PpoConfig", module: "agent" },
  },
  {
    path: "agents.NAME.fo_trpo",
    where: "rl2_fo_trpo, fo_trpo",
    doc: "First-order TRPO hyperparameters, defaults filled in (the RL² authors' code's).",
    schema: firstOrderTrpoSchema,
    type: { name: "FirstOrderTrpoConfig", module: "agent" },
  },
  {
    path: "agents.NAME.maml",
    where: "maml_trpo",
    doc: "MAML-TRPO hyperparameters, defaults filled in (the MAML paper's and rllab's).",
    schema: mamlSchema,
    type: { name: "MamlConfig", module: "agent" },
  },
  {
    path: "agents.NAME.policy",
    where: "maml_trpo",
    doc: "MAML's Gaussian policy: an MLP for the mean.",
    schema: mamlPolicySchema,
  },
  {
    path: "agents.NAME.sampling",
    where: "maml_trpo",
    doc: "MAML's sampling: the shared block with rllab's λ = 1, `batch_timesteps` unused.",
    schema: mamlSamplingSchema,
  },
  {
    path: "agents.NAME.pearl",
    where: "pearl",
    doc: "PEARL hyperparameters, defaults filled in (the authors' configs/default.py).",
    schema: pearlSchema,
  },
  {
    path: "agents.NAME.sampling",
    where: "pearl",
    doc: "PEARL's sampling: iterations and γ, `batch_timesteps` unused.",
    schema: pearlSamplingSchema,
  },
  {
    path: "agents.NAME.tuning",
    where: "classic baselines with a grid",
    doc: "How a classic baseline's grid is searched before evaluation.",
    schema: tuningSchema,
    type: { name: "TuningConfig", module: "agent" },
  },
  {
    path: "evaluation",
    where: "every experiment",
    doc: "The evaluation protocol of an experiment.",
    schema: experimentShape.evaluation,
    type: { name: "EvaluationConfig", module: "experiment" },
  },
  {
    path: "evaluation.finetune",
    where: "memoryless agents on continuous actions",
    doc: "How a memoryless agent is fine-tuned on an evaluation task (MAML's protocol).",
    schema: finetuneSchema,
    type: { name: "FinetuneConfig", module: "experiment" },
  },
  {
    path: "paper",
    where: "experiments the paper reports",
    doc: "Where the paper reports an experiment's setting.",
    schema: experimentShape.paper.unwrap(),
    type: { name: "PaperReference", module: "experiment" },
  },
  {
    path: "expect[]",
    where: "every experiment",
    doc: "A claim `compare --check` verifies: an agent beats another, reaches a return, or is " +
      "not shown to fall below a number.",
    schema: expectationSchema,
    type: { name: "ExpectationConfig", module: "experiment" },
  },
  {
    path: "(the file)",
    where: "every experiment",
    doc: "The fields of an experiment file other than its agents, defaults filled in.",
    schema: experimentFieldsSchema,
    type: { name: "ExperimentFields", module: "experiment" },
  },
];

/** The types of `src/settings/`: every block that has one, and the `task` union. */
export function settingsTypes(): NamedType[] {
  const types = BLOCKS.flatMap((b) =>
    b.type === undefined ? [] : [{ ...b.type, doc: b.doc, schema: b.schema }]
  );
  const task = {
    name: "TaskConfig",
    module: "task",
    doc: "A `task` block of any kind.",
    schema: taskSchema,
  };
  const tasks = types.filter((t) => t.module === "task");
  return [...tasks, task, ...types.filter((t) => t.module !== "task")];
}
