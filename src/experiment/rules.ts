/**
 * The rules of an experiment file that span several fields, checked after its schema: a
 * learner's batch is whole trials, a baseline's grid values are valid, names that refer to
 * agents name one, tuning tasks stay apart from the held-out ones, and settings written in an
 * older layout are told where they moved. {@link validateExperiment} runs the whole check, after
 * reading keys written under an older name as their new one (`renames.ts`).
 *
 * @module
 */
import { createFamily, type TaskConfig, taskSchema } from "../envs/registry.ts";
import { SAMPLING_KEYS } from "../learners/config.ts";
import type { LearnerAgentConfig } from "../learners/learner.ts";
import { findLearner } from "../learners/registry.ts";
import { canonicalJson, isRecord } from "../canonical.ts";
import {
  type AgentConfig,
  agentSchema,
  type ClassicAgentConfig,
  type ExperimentConfig,
  experimentSchema,
  isClassicAgent,
  MAX_GRID_POINTS,
} from "./schema.ts";
import { formatPath, type JsonPath, type SchemaIssue, suggestion, translate } from "./issues.ts";
import { renameKeys } from "./renames.ts";
import { unsupportedIssues } from "./support.ts";

/** The steps of one trial when every trial has the same length (bandits, MDPs), else undefined. */
export function trialSteps(task: TaskConfig): number | undefined {
  const family = createFamily(task);
  return family.fixedEpisodeLength ? task.episodes * family.maxEpisodeSteps : undefined;
}

function batchIssues(agent: LearnerAgentConfig, task: TaskConfig): SchemaIssue[] {
  const length = trialSteps(task);
  const batch = agent.sampling.batch_timesteps;
  // maml_trpo and pearl have no batch_timesteps: their batches are counted in their own units.
  if (length === undefined || batch === undefined || batch % length === 0) return [];
  const steps = length / task.episodes;
  const below = Math.floor(batch / length) * length;
  const nearest = below === 0
    ? `the nearest valid value is ${length}`
    : `the nearest valid values are ${below} and ${below + length}`;
  return [{
    path: ["sampling", "batch_timesteps"],
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
 * Validates one agent for `task`: its schema, then rules that need the task (what the agent
 * cannot do on the task, `support.ts`; a TRPO batch is whole trials; every grid value of a
 * baseline is valid).
 */
export function validateAgent(raw: unknown, task: TaskConfig): AgentCheck {
  const moved = movedKeyIssues(raw);
  if (moved.length > 0) return { issues: moved };
  const schema = agentSchema(task.kind);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { issues: translate(parsed.error.issues, schema, raw, task.kind) };
  const agent = parsed.data;
  return {
    agent,
    issues: [
      ...unsupportedIssues(agent, task),
      ...isClassicAgent(agent) ? gridIssues(agent, task) : batchIssues(agent, task),
    ],
  };
}

/**
 * For a learner's block written before the `sampling` block existed: one issue per setting
 * still in its `trpo` block, saying where it goes now (the rest of the block is not checked,
 * so that no knock-on issue hides what to do).
 */
export function movedKeyIssues(raw: unknown): SchemaIssue[] {
  if (!isRecord(raw) || typeof raw.kind !== "string" || findLearner(raw.kind) === undefined) {
    return [];
  }
  const trpo = isRecord(raw.trpo) ? raw.trpo : {};
  return Object.keys(trpo).filter((key) => SAMPLING_KEYS.includes(key)).map((key) => ({
    path: ["trpo", key],
    atKey: true,
    message: `moved to the agent's sampling block: write "sampling": { "${key}": … } ` +
      "(sampling and advantage settings have their own block, shared by every learner)",
  }));
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

/**
 * Most `eval.csv` rows (tasks × evaluation points) one run may write: its rows are kept in
 * memory and in every checkpoint, a JSON text that must stay well within the longest string
 * the JavaScript engine can hold (about 500 million characters; a row takes up to ~40).
 */
export const MAX_EVAL_ROWS = 10_000_000;

/** An evaluation protocol whose rows a trained run could not hold. */
function evaluationSizeIssues(experiment: ExperimentConfig): SchemaIssue[] {
  const { tasks, every } = experiment.evaluation;
  return Object.entries(experiment.agents).flatMap(([name, agent]) => {
    if (isClassicAgent(agent)) return [];
    const iterations = agent.sampling?.iterations ?? 0;
    // Before training and at every multiple of `every`, and at the last iteration.
    const points = every > 0
      ? 1 + Math.floor(iterations / every) + (iterations % every === 0 ? 0 : 1)
      : 1;
    return tasks * points <= MAX_EVAL_ROWS ? [] : [{
      path: ["evaluation", "tasks"],
      message: `${tasks} tasks at ${points} evaluation points of agent "${name}" make ` +
        `${tasks * points} eval.csv rows; a run holds at most ${MAX_EVAL_ROWS} ` +
        "(fewer tasks, or a larger evaluation.every)",
    }];
  }).slice(0, 1);
}

/** Expectations about an episode the trial does not have. */
function episodeIssues(experiment: ExperimentConfig, task: TaskConfig): SchemaIssue[] {
  return experiment.expect.flatMap((e, i) =>
    (["episode", "better_than_episode"] as const).flatMap((field) => {
      const episode = e[field];
      return episode === undefined || episode <= task.episodes ? [] : [{
        path: ["expect", i, field],
        message: `expected an episode of the trial, 1 to ${task.episodes}`,
      }];
    })
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
  /**
   * What was accepted but should be written otherwise: keys under an older name, read as the
   * new one (`renamed to NEW (accepted; write the new name)`), at the old key.
   */
  readonly notices: readonly SchemaIssue[];
}

const TASK_KINDS: readonly unknown[] = [...(taskSchema._zod.propValues.kind ?? [])];

/**
 * Validates a parsed experiment file: its keys under an older name read as their new one, then
 * its schema, then the rules that span fields. Every issue's path is as the file wrote it (an
 * old key where one was read as its new name).
 */
export function validateExperiment(given: unknown): ExperimentCheck {
  if (!isRecord(given)) {
    return {
      agents: {},
      issues: [{ path: [], message: "expected an object of experiment fields" }],
      notices: [],
    };
  }
  const renaming = renameKeys(given);
  const { config, ...checked } = checkExperiment(renaming.data as Record<string, unknown>);
  return {
    ...checked,
    // A place that gives a key under both names is rejected, whatever the rest says.
    ...(config !== undefined && renaming.issues.length === 0 && { config }),
    issues: [
      ...renaming.issues,
      ...checked.issues.map((i) => ({ ...i, path: renaming.original(i.path) })),
    ],
    notices: renaming.notices,
  };
}

/** {@link validateExperiment} of data whose keys are all under their current names. */
function checkExperiment(data: Record<string, unknown>): Omit<ExperimentCheck, "notices"> {
  const rawTask = isRecord(data.task) ? data.task : {};
  const taskKind = TASK_KINDS.includes(rawTask.kind) ? String(rawTask.kind) : undefined;
  const schema = experimentSchema(taskKind);
  const parsed = schema.safeParse(data);
  const rawAgents = isRecord(data.agents) ? data.agents : {};
  // An agent in the layout before the sampling block: only what moved is said about it.
  const moved = Object.entries(rawAgents).flatMap(([name, raw]) =>
    movedKeyIssues(raw).map((i) => ({ ...i, path: ["agents", name, ...i.path] }))
  );
  const outdated = new Set(moved.map((i) => i.path[1]));
  const issues = [
    ...(parsed.success ? [] : translate(parsed.error.issues, schema, data, taskKind))
      .filter((i) => !(i.path[0] === "agents" && outdated.has(i.path[1]!))),
    ...moved,
  ];
  const taskParse = taskSchema.safeParse(data.task);
  const task = taskParse.success ? taskParse.data : undefined;
  const agents: Record<string, AgentConfig | undefined> = {};
  for (const [name, raw] of Object.entries(rawAgents)) {
    const check = task === undefined || outdated.has(name)
      ? { issues: [] }
      : validateAgent(raw, task);
    if (check.agent !== undefined) {
      issues.push(...check.issues.map((i) => ({ ...i, path: ["agents", name, ...i.path] })));
    }
    agents[name] = check.issues.length === 0 ? check.agent : undefined;
  }
  // Names that refer to agents are checked only against a valid agents block: otherwise every
  // reference would be reported as unknown after the one real problem.
  if (isRecord(data.agents)) issues.push(...referenceIssues(data, Object.keys(rawAgents)));
  if (parsed.success) {
    const experiment = parsed.data as unknown as ExperimentConfig;
    issues.push(...tuningSeedIssues(experiment), ...evaluationSizeIssues(experiment));
    if (task !== undefined) issues.push(...episodeIssues(experiment, task));
  }
  if (!parsed.success || issues.length > 0) return { task, agents, issues };
  const { $schema: _, extends: _parent, ...config } = parsed.data;
  return { config: config as unknown as ExperimentConfig, task, agents, issues };
}
