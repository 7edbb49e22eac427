/**
 * What a valid experiment file is: the zod schema (the single source of truth for validation,
 * defaults and the editors' JSON Schema), the rules that span several fields, and issues that
 * say in words what was expected where. Knows nothing about files or text positions.
 *
 * @module
 */
import { z } from "zod";
import { createFamily, type TaskConfig, taskSchema } from "../envs/registry.ts";
import { BACKENDS } from "../backend.ts";
import { BASELINES } from "../baselines/registry.ts";
import type { BaselineSpec } from "../baselines/agent.ts";
import { gruPolicySchema, mlpPolicySchema } from "../policies/config.ts";
import { trpoSchema, valueFitSchema } from "../algos/trpo_config.ts";

/** Most points an agent's ablations, or a baseline's tuning grid, may expand into. */
export const MAX_GRID_POINTS = 10_000;

/** A key or index of a JSON path. */
export type PathSegment = string | number;
/** A JSON path: keys of objects and indices of arrays from the document's top. */
export type JsonPath = readonly PathSegment[];

/** One problem of an experiment, located by its JSON path. */
export interface SchemaIssue {
  /** Where the problem is. */
  readonly path: JsonPath;
  /** What was expected, in words. */
  readonly message: string;
  /** True when the problem is the last key of {@link path} itself, not its value. */
  readonly atKey?: boolean;
}

function patternString(pattern: RegExp, expected: string) {
  return z.string().refine((s) => pattern.test(s), { message: `expected ${expected}` })
    .meta({ pattern: pattern.source });
}

/** An ablation path: an agent name, then a dotted path of its fields. */
export const ABLATION_PATH = /^[a-z][a-z0-9_-]*(\.[A-Za-z0-9_]+)+$/;

const agentName = patternString(
  /^[a-z][a-z0-9_-]*$/,
  "a name of lowercase letters, digits, '_' and '-' that starts with a letter",
);

// ---- agents -------------------------------------------------------------------------------

const rl2AgentSchema = z.strictObject({
  kind: z.literal("rl2").describe(
    "RL²: a GRU policy whose memory spans the trial, trained by TRPO",
  ),
  policy: gruPolicySchema.prefault({}),
  trpo: trpoSchema,
  value: valueFitSchema.prefault({}),
});
/** A resolved RL² agent. */
export type Rl2AgentConfig = z.output<typeof rl2AgentSchema>;

const trpoAgentSchema = z.strictObject({
  kind: z.literal("trpo").describe(
    "memoryless baseline: an MLP on the observation, trained by TRPO",
  ),
  policy: mlpPolicySchema.prefault({}),
  trpo: trpoSchema,
  value: valueFitSchema.prefault({}),
});
/** A resolved memoryless TRPO agent. */
export type TrpoAgentConfig = z.output<typeof trpoAgentSchema>;

const tuningSchema = z.strictObject({
  tasks: z.int().min(1).max(10_000_000).default(1000)
    .describe("tasks (one trial each) every grid point is scored on"),
  seed: z.int().min(0).default(9001)
    .describe("seed of the tuning tasks, apart from the evaluation tasks"),
}).prefault({}).describe("how the grid is searched before evaluation");

/** How a classic baseline's grid is searched. */
export type TuningConfig = z.output<typeof tuningSchema>;

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

/** A resolved agent of any kind. */
export type AgentConfig = Rl2AgentConfig | TrpoAgentConfig | ClassicAgentConfig;

/** True for a classic baseline (anything but `rl2` and `trpo`). */
export function isClassicAgent(agent: AgentConfig): agent is ClassicAgentConfig {
  return agent.kind !== "rl2" && agent.kind !== "trpo";
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
 * The schema of one agent: `rl2`, `trpo`, or a classic baseline of {@link BASELINES} for task
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
  const schema = z.discriminatedUnion("kind", [
    rl2AgentSchema,
    trpoAgentSchema,
    ...classic,
  ]) as z.ZodType as z.ZodType<AgentConfig>;
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
}).prefault({}).describe("the evaluation protocol");

const paperSchema = z.strictObject({
  table: z.string().min(1).describe('the paper\'s table, e.g. "RL2 Table 1"'),
  row: z.string().min(1).describe('the table\'s row, e.g. "n=10, k=5"'),
  values: z.record(z.string(), z.number()).default({})
    .describe("the paper's number per agent name, for that agent's column"),
}).describe("where the paper reports this setting");

const expectationSchema = z.strictObject({
  agent: z.string().describe("the agent the claim is about"),
  better_than: z.string().optional().describe("another agent whose mean return it exceeds"),
  at_least: z.number().optional().describe("a mean return it reaches"),
  confidence: z.number().gt(0).lt(1).default(0.95)
    .describe("confidence of the one-sided interval that must support the claim"),
}).refine((e) => e.better_than !== undefined || e.at_least !== undefined, {
  message: "expected better_than or at_least (or both)",
});

const experimentFields = z.strictObject({
  $schema: z.string().optional().describe("this JSON Schema, for editors"),
  name: patternString(
    /^[a-z0-9][a-z0-9._-]*$/,
    "lowercase letters, digits, '.', '_' and '-', starting with a letter or digit",
  ).describe("the experiment's name; results go to results/<name>"),
  description: z.string().optional(),
  paper: paperSchema.optional(),
  task: taskSchema,
  seeds: seedsSchema,
  baseline: z.string().optional().describe("the agent every other agent is compared with"),
  evaluation: evaluationSchema,
  backend: z.enum(BACKENDS).default("auto").describe(
    "compute backend: auto (ONNX Runtime, else WASM), ort, wasm, cpu, node",
  ),
  checkpoint_every: z.int().min(1).default(10).describe("iterations between checkpoints"),
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

/** A resolved experiment: every default filled in (the editor-only `$schema` dropped). */
export type ExperimentConfig = Omit<z.output<typeof experimentFields>, "$schema"> & {
  readonly agents: Readonly<Record<string, AgentConfig>>;
};

const experimentSchemas = new Map<string | undefined, z.ZodObject>();

/**
 * The schema of a whole experiment file whose task is of kind `taskKind` (any kind when
 * undefined). Rules that span fields are in {@link validateExperiment}.
 */
export function experimentSchema(taskKind?: string): z.ZodObject {
  const cached = experimentSchemas.get(taskKind);
  if (cached !== undefined) return cached;
  const schema = experimentFields.safeExtend({
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

// ---- rules that span fields ---------------------------------------------------------------

/** The steps of one trial when every trial has the same length (bandits, MDPs), else undefined. */
export function trialSteps(task: TaskConfig): number | undefined {
  const family = createFamily(task);
  return family.fixedEpisodeLength ? task.episodes * family.maxEpisodeSteps : undefined;
}

function batchIssues(agent: Rl2AgentConfig | TrpoAgentConfig, task: TaskConfig): SchemaIssue[] {
  const length = trialSteps(task);
  const batch = agent.trpo.batch_timesteps;
  if (length === undefined || batch % length === 0) return [];
  const steps = length / task.episodes;
  const below = Math.floor(batch / length) * length;
  const nearest = below === 0
    ? `the nearest valid value is ${length}`
    : `the nearest valid values are ${below} and ${below + length}`;
  return [{
    path: ["trpo", "batch_timesteps"],
    message: `expected a multiple of the trial length ${length} (${task.episodes} episodes × ` +
      `${steps} step${steps === 1 ? "" : "s"}); ${nearest}`,
  }];
}

/** Issues for values that repeat, or that would give the same run id, at `path[i]`. */
export function duplicateIssues(
  values: readonly unknown[],
  path: JsonPath,
  label: (value: unknown) => string = canonicalJson,
): SchemaIssue[] {
  const labels = values.map(label);
  return labels.flatMap((l, i) => {
    const first = labels.indexOf(l);
    if (first === i) return [];
    const same = canonicalJson(values[first]) === canonicalJson(values[i]);
    return [{
      path: [...path, i],
      message: same
        ? `duplicate value (first at index ${first})`
        : `gives the same run id as the value at index ${first}`,
    }];
  });
}

function gridIssues(agent: ClassicAgentConfig, task: TaskConfig): SchemaIssue[] {
  const grid = Object.entries(agent.grid ?? {});
  const points = grid.reduce((n, [, values]) => n * values.length, 1);
  if (points > MAX_GRID_POINTS) {
    return [{
      path: ["grid"],
      message: `expected at most ${MAX_GRID_POINTS} grid points, got ${points}`,
    }];
  }
  const { grid: _, ...fixed } = agent;
  return grid.flatMap(([param, values]) => [
    ...duplicateIssues(values, ["grid", param]),
    ...values.flatMap((value, i) =>
      validateAgent({ ...fixed, [param]: value }, task).issues.map((issue) => ({
        path: ["grid", param, i],
        message: relativeMessage(issue, [param]),
      }))
    ),
  ]);
}

/** An issue's message, prefixed by its path when that differs from `expected`. */
export function relativeMessage(issue: SchemaIssue, expected: JsonPath): string {
  const same = issue.path.length === expected.length &&
    issue.path.every((segment, i) => segment === expected[i]);
  return same || issue.path.length === 0
    ? issue.message
    : `${formatPath(issue.path)}: ${issue.message}`;
}

/** The outcome of {@link validateAgent}. */
export interface AgentCheck {
  /** The resolved agent when its shape is valid (even if a cross-field rule failed). */
  readonly agent?: AgentConfig;
  /** Problems, with paths relative to the agent. */
  readonly issues: readonly SchemaIssue[];
}

/**
 * Validates one agent for `task`: its schema, then rules that need the task (a TRPO batch
 * is whole trials; every grid value of a baseline is valid).
 */
export function validateAgent(raw: unknown, task: TaskConfig): AgentCheck {
  const schema = agentSchema(task.kind);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { issues: translate(parsed.error.issues, schema, raw, task.kind) };
  const agent = parsed.data;
  return {
    agent,
    issues: isClassicAgent(agent) ? gridIssues(agent, task) : batchIssues(agent, task),
  };
}

function missingName(name: string, names: readonly string[]): string {
  return `no agent named "${name}"${suggestion(name, names)}`;
}

function referenceIssues(data: Record<string, unknown>, names: readonly string[]): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const unknownName = (name: unknown): name is string =>
    typeof name === "string" && !names.includes(name);
  if (unknownName(data.baseline)) {
    issues.push({ path: ["baseline"], message: missingName(data.baseline, names) });
  }
  if (isRecord(data.paper) && isRecord(data.paper.values)) {
    for (const name of Object.keys(data.paper.values)) {
      if (!names.includes(name)) {
        issues.push({
          path: ["paper", "values", name],
          atKey: true,
          message: missingName(name, names),
        });
      }
    }
  }
  const expectations = Array.isArray(data.expect) ? data.expect : [];
  expectations.forEach((e: unknown, i) => {
    if (!isRecord(e)) return;
    for (const field of ["agent", "better_than"]) {
      const name = e[field];
      if (unknownName(name)) {
        issues.push({ path: ["expect", i, field], message: missingName(name, names) });
      }
    }
    if (typeof e.agent === "string" && e.agent === e.better_than) {
      issues.push({
        path: ["expect", i, "better_than"],
        message: "expected an agent other than `agent`",
      });
    }
  });
  return issues;
}

/** Baselines whose tuning tasks would be the held-out tasks: same seed as the evaluation. */
function tuningSeedIssues(experiment: ExperimentConfig): SchemaIssue[] {
  const seed = experiment.evaluation.seed;
  return Object.entries(experiment.agents).flatMap(([name, agent]) =>
    isClassicAgent(agent) && agent.grid !== undefined && agent.tuning?.seed === seed
      ? [{
        path: ["agents", name, "tuning", "seed"],
        message: `expected a seed other than evaluation.seed (${seed}), so that the tuning ` +
          "tasks stay apart from the held-out tasks",
      }]
      : []
  );
}

/** The outcome of {@link validateExperiment}. */
export interface ExperimentCheck {
  /** The resolved experiment, when there is no issue. */
  readonly config?: ExperimentConfig;
  /** The resolved task, when the task block is valid. */
  readonly task?: TaskConfig;
  /** Every agent name of the file, with its resolved config when it is fully valid. */
  readonly agents: Readonly<Record<string, AgentConfig | undefined>>;
  /** Every problem found (ablation points are checked by `ablationIssues` in expand.ts). */
  readonly issues: readonly SchemaIssue[];
}

const TASK_KINDS: readonly unknown[] = [...(taskSchema._zod.propValues.kind ?? [])];

/** Validates a parsed experiment file: its schema, then the rules that span fields. */
export function validateExperiment(data: unknown): ExperimentCheck {
  if (!isRecord(data)) {
    return {
      agents: {},
      issues: [{ path: [], message: "expected an object of experiment fields" }],
    };
  }
  const rawTask = isRecord(data.task) ? data.task : {};
  const taskKind = TASK_KINDS.includes(rawTask.kind) ? String(rawTask.kind) : undefined;
  const schema = experimentSchema(taskKind);
  const parsed = schema.safeParse(data);
  const issues = parsed.success ? [] : translate(parsed.error.issues, schema, data, taskKind);
  const taskParse = taskSchema.safeParse(data.task);
  const task = taskParse.success ? taskParse.data : undefined;
  const rawAgents = isRecord(data.agents) ? data.agents : {};
  const agents: Record<string, AgentConfig | undefined> = {};
  for (const [name, raw] of Object.entries(rawAgents)) {
    const check = task === undefined ? { issues: [] } : validateAgent(raw, task);
    if (check.agent !== undefined) {
      issues.push(...check.issues.map((i) => ({ ...i, path: ["agents", name, ...i.path] })));
    }
    agents[name] = check.issues.length === 0 ? check.agent : undefined;
  }
  issues.push(...referenceIssues(data, Object.keys(rawAgents)));
  if (parsed.success) issues.push(...tuningSeedIssues(parsed.data as ExperimentConfig));
  if (!parsed.success || issues.length > 0) return { task, agents, issues };
  const { $schema: _, ...config } = parsed.data;
  return { config: config as ExperimentConfig, task, agents, issues };
}

// ---- issues in words ----------------------------------------------------------------------

/** True for a plain object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON with object keys sorted at every level and no whitespace: equal configs, equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** A JSON path as written in messages: `agents.rl2.trpo.max_kl`, `seeds[2]`, `ablations["a.b"]`. */
export function formatPath(path: JsonPath): string {
  if (path.length === 0) return "(top level)";
  return path.map((segment, i) => {
    if (typeof segment === "number") return `[${segment}]`;
    if (/^[A-Za-z_$][\w$-]*$/.test(segment)) return i === 0 ? segment : `.${segment}`;
    return `[${JSON.stringify(segment)}]`;
  }).join("");
}

/** Edit distance with adjacent transpositions (optimal string alignment), ignoring case. */
function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows = Array.from({ length: s.length + 1 }, (_, i) => [i, ...new Array(t.length).fill(0)]);
  for (let j = 1; j <= t.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const row = rows[i]!;
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      row[j] = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
      }
    }
  }
  return rows[s.length]![t.length]!;
}

/** The candidate closest to `word`, if one is within a third of its length (at least 1 edit). */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/**
 * `; did you mean "x"?` for the closest candidate (shown through `render`), else
 * `; expected one of "a", "b"` (nothing when there is no candidate).
 */
export function suggestion(
  word: string,
  candidates: readonly string[],
  render: (candidate: string) => string = (c) => c,
): string {
  const best = closest(word, candidates);
  if (best !== undefined) return `; did you mean "${render(best)}"?`;
  return candidates.length === 0 ? "" : `; expected one of ${quoteList(candidates)}`;
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (
      s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional ||
      s instanceof z.ZodNullable || s instanceof z.ZodReadonly
    ) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.in as z.ZodType;
    else return s;
  }
}

/** `schema` unwrapped, and narrowed to the option `data` selects when it is a discriminated union. */
function resolve(schema: z.ZodType, data: unknown): z.ZodType | undefined {
  const s = unwrap(schema);
  if (!(s instanceof z.ZodDiscriminatedUnion)) return s;
  const tag = isRecord(data) ? data[s.def.discriminator] : undefined;
  const option = (s.options as z.ZodType[]).find((o) =>
    o._zod.propValues?.[s.def.discriminator]?.has(tag as z.core.util.Primitive)
  );
  return option === undefined ? undefined : unwrap(option);
}

function child(schema: z.ZodType, data: unknown, key: PathSegment): z.ZodType | undefined {
  const s = resolve(schema, data);
  if (s instanceof z.ZodObject) return typeof key === "string" ? s.shape[key] : undefined;
  if (s instanceof z.ZodRecord) return s.valueType as z.ZodType;
  if (s instanceof z.ZodArray) return s.element as z.ZodType;
  if (s instanceof z.ZodTuple) {
    return typeof key === "number"
      ? (s.def.items[key] ?? s.def.rest ?? undefined) as z.ZodType
      : undefined;
  }
  return undefined;
}

/** The schema that validates `path` of `data`, unwrapped of defaults and optionality. */
function schemaAt(
  schema: z.ZodType | undefined,
  data: unknown,
  path: JsonPath,
): z.ZodType | undefined {
  let s = schema;
  let d = data;
  for (const key of path) {
    if (s === undefined) return undefined;
    s = child(s, d, key);
    d = valueAt(d, [key]);
  }
  return s === undefined ? undefined : unwrap(s);
}

/** The keys an object at `path` of `data` may have. */
function allowedKeys(schema: z.ZodType | undefined, data: unknown, path: JsonPath): string[] {
  const at = schemaAt(schema, data, path);
  const s = at === undefined ? undefined : resolve(at, valueAt(data, path));
  if (s instanceof z.ZodObject) return Object.keys(s.shape);
  if (s instanceof z.ZodRecord && s.keyType instanceof z.ZodEnum) {
    return s.keyType.options.map(String);
  }
  return [];
}

function valueAt(data: unknown, path: JsonPath): unknown {
  let d = data;
  for (const key of path) {
    if (Array.isArray(d) && typeof key === "number") d = d[key];
    else if (isRecord(d) && typeof key === "string" && Object.hasOwn(d, key)) d = d[key];
    else return undefined;
  }
  return d;
}

function isPresent(data: unknown, path: JsonPath): boolean {
  if (path.length === 0) return true;
  const parent = valueAt(data, path.slice(0, -1));
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) return typeof key === "number" && key < parent.length;
  return isRecord(parent) && typeof key === "string" && Object.hasOwn(parent, key);
}

const NOUNS: Record<string, string> = {
  int: "an integer",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  object: "an object",
  record: "an object",
  array: "an array",
  tuple: "an array",
};

function bound(issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall): string {
  const small = issue.code === "too_small";
  const limit = small ? issue.minimum : issue.maximum;
  if (issue.origin === "array" || issue.origin === "string") {
    const unit = issue.origin === "array" ? "item" : "character";
    const amount = issue.exact ? "exactly" : small ? "at least" : "at most";
    return `expected ${amount} ${limit} ${unit}${limit === 1 ? "" : "s"}`;
  }
  if (issue.origin === "int" && Math.abs(Number(limit)) === Number.MAX_SAFE_INTEGER) {
    return `expected an integer from ${-Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`;
  }
  if (small && limit === 0 && !issue.inclusive) return "expected a positive number";
  const op = small ? (issue.inclusive ? ">=" : ">") : (issue.inclusive ? "<=" : "<");
  return `expected a number ${op} ${limit}`;
}

function describe(issue: z.core.$ZodIssue, value: unknown, present: boolean): string {
  switch (issue.code) {
    case "invalid_type": {
      const noun = NOUNS[issue.expected] ?? issue.expected;
      if (!present) return `required field is missing; expected ${noun}`;
      if (typeof value === "number" && !Number.isFinite(value)) {
        return `number is out of range (beyond ±1.8e308); expected ${noun}`;
      }
      return `expected ${noun}`;
    }
    case "too_small":
    case "too_big":
      return bound(issue);
    case "invalid_value": {
      const expected = issue.values.length === 1
        ? `expected ${quoteList(issue.values)}`
        : `expected one of ${quoteList(issue.values)}`;
      const best = typeof value === "string"
        ? closest(value, issue.values.filter((v) => typeof v === "string"))
        : undefined;
      return best === undefined ? expected : `${expected}; did you mean "${best}"?`;
    }
    case "invalid_format":
      return issue.pattern === undefined
        ? `expected a ${issue.format}`
        : `expected a string matching ${issue.pattern}`;
    case "not_multiple_of":
      return `expected a multiple of ${issue.divisor}`;
    default:
      return issue.message;
  }
}

function discriminatorIssue(
  issue: z.core.$ZodIssueInvalidUnion,
  schema: z.ZodType | undefined,
  data: unknown,
  rel: JsonPath,
  path: JsonPath,
  taskKind: string | undefined,
): SchemaIssue {
  const value = valueAt(data, rel);
  const options = "options" in issue ? (issue.options ?? []) : [];
  if (!isPresent(data, rel)) {
    return { path, message: `required field is missing; expected one of ${quoteList(options)}` };
  }
  const isAgent = taskKind !== undefined &&
    schemaAt(schema, data, rel.slice(0, -1)) === agentSchema(taskKind);
  const elsewhere = [...new Set(BASELINES.filter((b) => b.kind === value).map((b) => b.task))];
  if (isAgent && elsewhere.length > 0) {
    return {
      path,
      message: `baseline "${value}" is for ${elsewhere.join(" and ")} tasks, ` +
        `this experiment's task is "${taskKind}"`,
    };
  }
  const names = options.filter((o) => typeof o === "string");
  return {
    path,
    message: typeof value === "string"
      ? `unknown kind "${value}"${suggestion(value, names)}`
      : `expected one of ${quoteList(options)}`,
  };
}

/** zod issues as {@link SchemaIssue}s: one per unknown key, with suggestions for misspellings. */
function translate(
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType | undefined,
  data: unknown,
  taskKind: string | undefined,
  base: JsonPath = [],
): SchemaIssue[] {
  return issues.flatMap((issue): SchemaIssue[] => {
    const rel = issue.path.map((k) => typeof k === "number" ? k : String(k));
    const path = [...base, ...rel];
    switch (issue.code) {
      case "unrecognized_keys": {
        const allowed = allowedKeys(schema, data, rel);
        return issue.keys.map((key) => ({
          path: [...path, key],
          atKey: true,
          message: `unknown key "${key}"${suggestion(key, allowed)}`,
        }));
      }
      case "invalid_key": {
        const key = rel[rel.length - 1];
        const inner = issue.issues[0];
        const why = inner === undefined ? issue.message : describe(inner, key, true);
        return [{ path, atKey: true, message: `invalid key ${JSON.stringify(key)}: ${why}` }];
      }
      case "invalid_union": {
        if (issue.discriminator !== undefined) {
          return [discriminatorIssue(issue, schema, data, rel, path, taskKind)];
        }
        const union = schemaAt(schema, data, rel);
        const options = union instanceof z.ZodUnion ? union.options as z.ZodType[] : [];
        const best = issue.errors.reduce(
          (b, errors, i) => errors.length < (issue.errors[b]?.length ?? Infinity) ? i : b,
          0,
        );
        const errors = issue.errors[best];
        if (errors === undefined) return [{ path, message: issue.message }];
        return translate(errors, options[best], valueAt(data, rel), taskKind, path);
      }
      default:
        return [{ path, message: describe(issue, valueAt(data, rel), isPresent(data, rel)) }];
    }
  });
}
