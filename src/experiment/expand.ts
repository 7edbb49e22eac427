/**
 * Ablations: the checks of an `ablations` block, and the expansion of a resolved experiment
 * into its runs, one per (agent, ablation point, seed), each with a readable, stable id.
 *
 * @module
 */
import type { TaskConfig } from "../envs/registry.ts";
import { SAMPLING_KEYS } from "../learners/config.ts";
import {
  ABLATION_PATH,
  type AgentConfig,
  type ExperimentConfig,
  isClassicAgent,
  isLearnerAgent,
  MAX_GRID_POINTS,
} from "./schema.ts";
import { duplicateIssues, relativeMessage, validateAgent } from "./rules.ts";
import { isRecord } from "../canonical.ts";
import { type SchemaIssue, suggestion } from "./issues.ts";

/** Overrides of one agent: dotted path (starting with the agent's name) → value. */
export type AblationPoint = Readonly<Record<string, unknown>>;

/** One unit of work: an agent at one ablation point, trained and evaluated with one seed. */
export interface Run {
  /** Readable and stable: `rl2/gru=64+max_kl=0.02/seed-3`, or `ucb1/seed-0` without ablations. */
  readonly id: string;
  /** The agent's name in the experiment. */
  readonly agent: string;
  /** The ablation overrides of this run (empty when no ablation touches the agent). */
  readonly point: AblationPoint;
  /** The run's seed. */
  readonly seed: number;
  /** The agent's resolved config with the overrides applied. */
  readonly agentConfig: AgentConfig;
}

function agentOf(path: string): string {
  return path.slice(0, path.indexOf("."));
}

function fieldOf(path: string): string[] {
  return path.split(".").slice(1);
}

/** `value` as written in a run id: arrays joined by `x` (`64x64`), strings bare. */
function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(formatValue).join("x");
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** The ablation paths of `agent`, sorted, so the order does not depend on the file's. */
function pathsOf(ablations: Readonly<Record<string, readonly unknown[]>>, agent: string): string[] {
  return Object.keys(ablations).filter((p) => agentOf(p) === agent).sort();
}

/** Every combination of the paths' values; the first path varies slowest. */
function* points(
  paths: readonly string[],
  ablations: Readonly<Record<string, readonly unknown[]>>,
): Generator<AblationPoint> {
  const [first, ...rest] = paths;
  if (first === undefined) {
    yield {};
    return;
  }
  for (const value of ablations[first] ?? []) {
    for (const tail of points(rest, ablations)) yield { [first]: value, ...tail };
  }
}

/** Sets `field` (a path of keys and array indices) of a copy of `agent` to `value`. */
function withOverride(agent: unknown, field: readonly string[], value: unknown): unknown {
  const [key, ...rest] = field;
  if (key === undefined) return structuredClone(value);
  if (Array.isArray(agent)) {
    return agent.map((item, i) => String(i) === key ? withOverride(item, rest, value) : item);
  }
  const record = isRecord(agent) ? agent : {};
  return { ...record, [key]: withOverride(record[key], rest, value) };
}

function applyPoint(agent: AgentConfig, point: AblationPoint): unknown {
  return Object.entries(point).reduce<unknown>(
    (config, [path, value]) => withOverride(config, fieldOf(path), value),
    agent,
  );
}

/** The run-id label of a point: each path's last field (or more, if two paths share it). */
function pointLabel(point: AblationPoint): string {
  const paths = Object.keys(point);
  const last = (p: string) => p.slice(p.lastIndexOf(".") + 1);
  const key = (p: string) =>
    paths.filter((q) => last(q) === last(p)).length === 1 ? last(p) : fieldOf(p).join(".");
  return paths.map((p) => `${key(p)}=${formatValue(point[p])}`).join("+");
}

/** The first missing field of `field` in `agent`, with a suggestion, or undefined. */
function missingField(agent: AgentConfig, agentName: string, field: readonly string[]) {
  let node: unknown = agent;
  for (const [i, key] of field.entries()) {
    const keys = isRecord(node)
      ? Object.keys(node)
      : Array.isArray(node)
      ? node.map((_, j) => String(j))
      : [];
    if (!keys.includes(key)) {
      const prefix = [agentName, ...field.slice(0, i)].join(".");
      const hint = suggestion(key, keys, (k) => `${prefix}.${k}`);
      return `agent "${agentName}" has no field "${field.slice(0, i + 1).join(".")}"${hint}`;
    }
    node = isRecord(node) ? node[key] : (node as unknown[])[Number(key)];
  }
  return undefined;
}

function pathIssues(
  path: string,
  values: readonly unknown[],
  agent: AgentConfig,
  task: TaskConfig,
): SchemaIssue[] {
  const name = agentOf(path);
  const field = fieldOf(path);
  const at = ["ablations", path];
  if (field[0] === "kind") {
    return [{
      path: at,
      atKey: true,
      message: "the agent kind cannot be ablated; declare another agent instead",
    }];
  }
  if (isLearnerAgent(agent) && field[0] === "trpo" && SAMPLING_KEYS.includes(field[1] ?? "")) {
    return [{
      path: at,
      atKey: true,
      message: `moved to the agent's sampling block: write "${name}.sampling.${field[1]}" ` +
        "(sampling and advantage settings have their own block, shared by every learner)",
    }];
  }
  const missing = missingField(agent, name, field);
  if (missing !== undefined) return [{ path: at, atKey: true, message: missing }];
  if (
    isClassicAgent(agent) && field[0] !== undefined && Object.hasOwn(agent.grid ?? {}, field[0])
  ) {
    return [{
      path: at,
      atKey: true,
      message: `"${field[0]}" is also in the agent's tuning grid; ablate it or tune it, not both`,
    }];
  }
  return [
    ...duplicateIssues(values, at, formatValue),
    ...values.flatMap((value, i) =>
      validateAgent(withOverride(agent, field, value), task).issues.map((issue) => ({
        path: [...at, i],
        message: relativeMessage(issue, field),
      }))
    ),
  ];
}

function pointIssues(
  name: string,
  paths: readonly string[],
  ablations: Readonly<Record<string, readonly unknown[]>>,
  agent: AgentConfig,
  task: TaskConfig,
): SchemaIssue[] {
  const at = ["ablations", paths[0]!];
  const count = paths.reduce((n, p) => n * (ablations[p]?.length ?? 0), 1);
  if (count > MAX_GRID_POINTS) {
    return [{
      path: at,
      atKey: true,
      message: `agent "${name}" has ${count} ablation points; expected at most ${MAX_GRID_POINTS}`,
    }];
  }
  if (paths.length < 2) return [];
  const failures = [...points(paths, ablations)].flatMap((point) => {
    const first = validateAgent(applyPoint(agent, point), task).issues[0];
    return first === undefined ? [] : [{ point, issue: first }];
  });
  const [failure] = failures;
  if (failure === undefined) return [];
  const more = failures.length > 1 ? ` (and ${failures.length - 1} more points)` : "";
  return [{
    path: at,
    atKey: true,
    message: `the ablation point ${pointLabel(failure.point)} of agent "${name}" is invalid: ` +
      `${relativeMessage(failure.issue, [])}${more}`,
  }];
}

/**
 * Problems of an `ablations` block (as written in the file): every path must name an agent
 * and one of its resolved fields, every value and every combination must give a valid agent.
 * Entries of the wrong shape, and agents that are themselves invalid (`undefined` in
 * `agents`), are skipped: the schema reports those.
 */
export function ablationIssues(
  ablations: unknown,
  task: TaskConfig,
  agents: Readonly<Record<string, AgentConfig | undefined>>,
): SchemaIssue[] {
  if (!isRecord(ablations)) return [];
  const valid = Object.fromEntries(
    Object.entries(ablations).filter((entry): entry is [string, unknown[]] =>
      ABLATION_PATH.test(entry[0]) && Array.isArray(entry[1]) && entry[1].length > 0
    ),
  );
  const names = Object.keys(agents);
  const issues: SchemaIssue[] = [];
  const clean = new Set(names);
  for (const [path, values] of Object.entries(valid)) {
    const name = agentOf(path);
    const agent = agents[name];
    const outer = Object.keys(valid).find((p) => path.startsWith(`${p}.`));
    if (!names.includes(name)) {
      issues.push({
        path: ["ablations", path],
        atKey: true,
        message: `no agent named "${name}"${suggestion(name, names)}`,
      });
    } else if (outer !== undefined) {
      clean.delete(name);
      issues.push({
        path: ["ablations", path],
        atKey: true,
        message: `overlaps the ablation of "${outer}"; ablate one or the other`,
      });
    } else if (agent !== undefined) {
      const found = pathIssues(path, values, agent, task);
      if (found.length > 0) clean.delete(name);
      issues.push(...found);
    }
  }
  for (const name of clean) {
    const agent = agents[name];
    const paths = pathsOf(valid, name);
    if (agent !== undefined && paths.length > 0) {
      issues.push(...pointIssues(name, paths, valid, agent, task));
    }
  }
  return issues;
}

/**
 * The runs of a resolved experiment: agents by name, then ablation points (paths sorted, the
 * first varying slowest, values in the file's order), then seeds in the file's order. Throws
 * when a point gives an invalid agent (the experiment was not loaded by `loadExperiment`).
 */
export function expandRuns(experiment: { readonly config: ExperimentConfig }): Run[] {
  const { config } = experiment;
  const runs: Run[] = [];
  for (const name of Object.keys(config.agents).sort()) {
    const agent = config.agents[name]!;
    for (const point of points(pathsOf(config.ablations, name), config.ablations)) {
      const label = pointLabel(point);
      const check = validateAgent(applyPoint(agent, point), config.task);
      if (check.agent === undefined || check.issues.length > 0) {
        throw new Error(`ablation point ${label} gives an invalid agent "${name}"`);
      }
      for (const seed of config.seeds) {
        runs.push({
          id: [name, ...(label === "" ? [] : [label]), `seed-${seed}`].join("/"),
          agent: name,
          point,
          seed,
          agentConfig: check.agent,
        });
      }
    }
  }
  return runs;
}
