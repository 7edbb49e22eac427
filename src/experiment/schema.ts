/**
 * What a valid experiment file is: the zod schema, the single source of truth for validation,
 * defaults and the editors' JSON Schema. The rules that span several fields are in `rules.ts`,
 * and the translation of problems into words in `issues.ts`. Knows nothing about files or text
 * positions.
 *
 * @module
 */
import { z } from "zod";
import { taskSchema } from "../envs/registry.ts";
import { BACKENDS } from "../backend.ts";
import { BASELINES } from "../baselines/registry.ts";
import type { BaselineSpec } from "../baselines/agent.ts";
import type { LearnerAgentConfig } from "../learners/learner.ts";
import { findLearner, LEARNERS } from "../learners/registry.ts";
import { finetuneSchema } from "../learners/finetune.ts";
import type { Assert, Same } from "../type_check.ts";
import type { TuningConfig } from "../settings/agent.ts";
import type {
  EvaluationConfig,
  ExpectationConfig,
  ExperimentFields,
  PaperReference,
} from "../settings/experiment.ts";
export type { EvaluationConfig, ExpectationConfig, ExperimentFields, PaperReference, TuningConfig };

/** Most points an agent's ablations, or a baseline's tuning grid, may expand into. */
export const MAX_GRID_POINTS = 10_000;

function patternString(pattern: RegExp, expected: string, max?: number): z.ZodString {
  const string = max === undefined ? z.string() : z.string().max(max);
  return string.refine((s) => pattern.test(s), { message: `expected ${expected}` })
    .meta({ pattern: pattern.source });
}

/**
 * Longest experiment name: it names a folder under `results/` and is part of the plots' file
 * names, which must stay within the 255 bytes file systems allow.
 */
export const MAX_NAME_LENGTH = 100;

/** An ablation path: an agent name, then a dotted path of its fields. */
export const ABLATION_PATH = /^[a-z][a-z0-9_-]*(\.[A-Za-z0-9_]+)+$/;

const agentName = patternString(
  /^[a-z][a-z0-9_-]*$/,
  "a name of lowercase letters, digits, '_' and '-' that starts with a letter",
);

// ---- agents -------------------------------------------------------------------------------

/** The `tuning` block of a classic baseline with a grid. */
export const tuningSchema = z.strictObject({
  tasks: z.int().min(1).max(10_000_000).default(1000)
    .describe("tasks (one trial each) every grid point is scored on"),
  seed: z.int().min(0).default(9001)
    .describe("seed of the tuning tasks, apart from the evaluation tasks"),
}).prefault({}).describe("how the grid is searched before evaluation");

type _TuningConfigIsTheSchemaOutput = Assert<Same<TuningConfig, z.output<typeof tuningSchema>>>;

/** A resolved classic baseline: its kind, its hyperparameters, and an optional tuning grid. */
export interface ClassicAgentConfig {
  /** A `kind` of {@link BASELINES} for this experiment's task. */
  readonly kind: string;
  /** Values to try per hyperparameter; the best point on the tuning tasks is evaluated. */
  readonly grid?: Readonly<Record<string, readonly unknown[]>>;
  /** Present for baselines with hyperparameters. */
  readonly tuning?: TuningConfig;
  /** The baseline's hyperparameters, defaults filled in. */
  readonly [param: string]: unknown;
}

/** A resolved agent of any kind: a learner of the learner registry, or a classic baseline. */
export type AgentConfig = LearnerAgentConfig | ClassicAgentConfig;

/** True for an agent trained by a learner of {@link LEARNERS}. */
export function isLearnerAgent(agent: AgentConfig): agent is LearnerAgentConfig {
  return findLearner(agent.kind) !== undefined;
}

/**
 * True for a classic baseline: an agent of a kind of {@link BASELINES} (the schema admits no
 * kind that is neither a learner nor a baseline).
 */
export function isClassicAgent(agent: AgentConfig): agent is ClassicAgentConfig {
  return !isLearnerAgent(agent);
}

function paramsObject(spec: BaselineSpec): z.ZodObject {
  if (!(spec.params instanceof z.ZodObject)) {
    throw new Error(
      `baseline "${spec.kind}" for ${spec.task} must declare its params as a zod object`,
    );
  }
  return spec.params;
}

/** One object for several same-named baselines (used when the task kind is unknown). */
function mergedParams(objects: readonly z.ZodObject[]): z.ZodObject {
  const fields = new Map<string, z.ZodType[]>();
  for (const object of objects) {
    for (const [key, field] of Object.entries(object.shape)) {
      const seen = fields.get(key) ?? [];
      if (!seen.includes(field)) seen.push(field);
      fields.set(key, seen);
    }
  }
  const everywhere = (key: string) => objects.every((o) => Object.hasOwn(o.shape, key));
  return z.strictObject(Object.fromEntries(
    [...fields].map(([key, options]) => {
      const field = options.length === 1 ? options[0]! : z.union(options);
      return [key, everywhere(key) ? field : field.optional()];
    }),
  ));
}

function classicAgentSchema(kind: string, specs: readonly BaselineSpec[]): z.ZodObject {
  const objects = specs.map(paramsObject);
  const params = objects.length === 1 ? objects[0]! : mergedParams(objects);
  const names = Object.keys(params.shape);
  const description = specs.map((s) => `${s.task} baseline: ${s.description}`).join("; ");
  const tuned: z.core.$ZodLooseShape = names.length === 0 ? {} : {
    grid: z.partialRecord(z.enum(names), z.array(z.unknown()).min(1)).optional()
      .describe("values to try per hyperparameter; the best point on the tuning tasks is used"),
    tuning: tuningSchema,
  };
  return params.safeExtend({ kind: z.literal(kind).describe(description), ...tuned });
}

const agentSchemas = new Map<string | undefined, z.ZodType<AgentConfig>>();

/**
 * The schema of one agent: a learner of {@link LEARNERS}, or a classic baseline of {@link BASELINES} for task
 * kind `taskKind` (for any task kind when undefined, as editors see it).
 */
export function agentSchema(taskKind?: string): z.ZodType<AgentConfig> {
  const cached = agentSchemas.get(taskKind);
  if (cached !== undefined) return cached;
  const byKind = Map.groupBy(
    BASELINES.filter((b) => taskKind === undefined || b.task === taskKind),
    (b) => b.kind,
  );
  const classic = [...byKind].map(([kind, specs]) => classicAgentSchema(kind, specs));
  const [first, ...rest] = [...LEARNERS.map((l) => l.schema), ...classic];
  const schema = z.discriminatedUnion("kind", [first!, ...rest]) as z.ZodType as z.ZodType<
    AgentConfig
  >;
  agentSchemas.set(taskKind, schema);
  return schema;
}

// ---- the experiment -----------------------------------------------------------------------

const seedsSchema = z.array(z.int().min(0).describe("a run's seed")).min(1)
  .superRefine((seeds, ctx) => {
    seeds.forEach((seed, i) => {
      const first = seeds.indexOf(seed);
      if (first < i) {
        ctx.addIssue({
          code: "custom",
          path: [i],
          message: `duplicate seed (first at index ${first})`,
        });
      }
    });
  })
  .meta({ uniqueItems: true })
  .describe("one run per seed and agent (distinct non-negative integers)");

const evaluationSchema = z.strictObject({
  tasks: z.int().min(1).max(10_000_000).default(1000)
    .describe("held-out tasks (one trial each) per evaluation"),
  seed: z.int().min(0).default(1000003)
    .describe("seed of the held-out tasks, the same for every agent and run"),
  every: z.int().min(0).default(0)
    .describe("evaluate every N iterations; 0 evaluates only at the end"),
  greedy: z.boolean().default(false)
    .describe("act by the most probable action instead of sampling while evaluating"),
  finetune: finetuneSchema.optional().describe(
    "evaluate the memoryless agents (trpo on continuous actions) as MAML is evaluated: " +
      "fine-tuned on each task, stage e of the trial the mean return of K trajectories after e " +
      "policy-gradient steps; absent: one trial",
  ),
}).prefault({}).describe("the evaluation protocol");

const paperSchema = z.strictObject({
  table: z.string().min(1).describe('the paper\'s table, e.g. "RL2 Table 1"'),
  row: z.string().min(1).describe('the table\'s row, e.g. "n=10, k=5"'),
  values: z.record(z.string(), z.number()).default({})
    .describe("the paper's number per agent name, for that agent's column"),
}).describe("where the paper reports this setting");

/** One claim of the `expect` list. */
export const expectationSchema = z.strictObject({
  agent: z.string().describe("the agent the claim is about"),
  better_than: z.string().optional().describe("another agent whose mean return it exceeds"),
  at_least: z.number().optional().describe("a mean return it reaches"),
  not_below: z.number().optional()
    .describe("a number the two-sided interval of its final mean contains or exceeds"),
  episode: z.number().int().min(1).optional().describe(
    "the episode of the trial (from 1) the claim is about: its mean reward there at the final " +
      "evaluation (the adaptation curve) instead of the trial's return",
  ),
  better_than_episode: z.number().int().min(1).optional()
    .describe("another episode of the same agent's trial whose mean reward `episode`'s exceeds"),
  confidence: z.number().gt(0).lt(1).default(0.95).describe(
    "confidence of the interval that must support the claim (one-sided for better_than and " +
      "at_least, two-sided for not_below)",
  ),
}).refine(
  (e) =>
    e.better_than !== undefined || e.at_least !== undefined || e.not_below !== undefined ||
    e.better_than_episode !== undefined,
  { message: "expected at least one of better_than, at_least, not_below, better_than_episode" },
).refine((e) => e.better_than_episode === undefined || e.episode !== undefined, {
  message: "expected `episode` with `better_than_episode` (the episode that does better)",
  path: ["episode"],
}).refine((e) => e.better_than_episode === undefined || e.better_than_episode !== e.episode, {
  message: "expected an episode other than `episode`",
  path: ["better_than_episode"],
});

/** The fields of an experiment file other than `agents`. */
export const experimentFieldsSchema = z.strictObject({
  $schema: z.string().optional().describe("this JSON Schema, for editors"),
  extends: z.string().optional()
    .describe(
      "an experiment file (relative to this one) whose fields this one keeps unless it sets " +
        "them: objects merge key by key, other values replace the parent's",
    ),
  name: patternString(
    /^[a-z0-9][a-z0-9._-]*$/,
    "lowercase letters, digits, '.', '_' and '-', starting with a letter or digit",
    MAX_NAME_LENGTH,
  ).describe(
    `the experiment's name; results go to results/<name> (at most ${MAX_NAME_LENGTH} characters)`,
  ),
  description: z.string().optional().describe("free text: what the experiment is for"),
  paper: paperSchema.optional(),
  task: taskSchema.describe("the task distribution"),
  seeds: seedsSchema,
  baseline: z.string().optional().describe("the agent every other agent is compared with"),
  evaluation: evaluationSchema,
  backend: z.enum(BACKENDS).default("auto").describe(
    "compute backend: auto (ONNX Runtime, else WASM), ort, wasm, cpu, node",
  ),
  checkpoint_every: z.int().min(1).default(10).describe("iterations between checkpoints"),
  no_update_warning: z.int().min(1).default(10)
    .describe("warn when this many iterations in a row change the policy by no accepted step"),
  ablations: z.record(
    patternString(
      ABLATION_PATH,
      'an agent name and a dotted field path, e.g. "rl2.trpo.max_kl"',
    ),
    z.array(z.unknown()).min(1),
  ).default({}).describe("overrides to cross: every combination of values is its own run"),
  expect: z.array(expectationSchema).default([])
    .describe("claims checked by compare; a failed claim fails the command"),
});

/**
 * A resolved experiment: every default filled in (the editor-only `$schema` dropped, and a
 * parent's fields laid under the file's own: `extends`).
 */
export interface ExperimentConfig extends Omit<ExperimentFields, "$schema" | "extends"> {
  /** The agents to train and evaluate, by name. */
  readonly agents: Readonly<Record<string, AgentConfig>>;
}
type _ExperimentFieldsIsTheSchemaOutput = Assert<
  Same<ExperimentFields, z.output<typeof experimentFieldsSchema>>
>;

const experimentSchemas = new Map<string | undefined, z.ZodObject>();

/**
 * The schema of a whole experiment file whose task is of kind `taskKind` (any kind when
 * undefined). Rules that span fields are in {@link validateExperiment}.
 */
export function experimentSchema(taskKind?: string): z.ZodObject {
  const cached = experimentSchemas.get(taskKind);
  if (cached !== undefined) return cached;
  const schema = experimentFieldsSchema.safeExtend({
    agents: z.record(agentName, agentSchema(taskKind))
      .refine((agents) => Object.keys(agents).length > 0, {
        message: "expected at least one agent",
      })
      .meta({ minProperties: 1 })
      .describe("the agents to train and evaluate, by name"),
  });
  experimentSchemas.set(taskKind, schema);
  return schema;
}
