/**
 * The index of a results folder for `deno task serve`: its experiments (folders holding
 * `experiment.resolved.json`) and their runs (folders holding `manifest.json`), each with its
 * status from the manifest, iteration reached and time per iteration from `progress.csv`. A file
 * that cannot be read or parsed becomes a problem of its experiment or run; the rest is listed.
 *
 * @module
 */
import { join } from "node:path";
import { type Manifest, RESOLVED_FILE, RUN_FILES, type RunWarning } from "../run/manifest.ts";
import { type FileProblem, problemOf, type ResultsRoot } from "./files.ts";

/** How deep below the results folder experiment folders are looked for. */
const EXPERIMENT_DEPTH = 4;
/** How deep below an experiment folder run folders are looked for (agent/label/seed). */
const RUN_DEPTH = 4;

/** The last row of a run's `progress.csv`. */
export interface ProgressTail {
  /** Iterations done. */
  iteration: number;
  /** Timesteps trained. */
  timesteps: number;
  /** Training seconds so far. */
  seconds: number;
}

/** One run as the index lists it. */
export interface RunSummary {
  /** Run id: its folder relative to the experiment's (`rl2/seed-0`). */
  id: string;
  /** Its folder relative to the results folder. */
  path: string;
  /** The agent (first segment of the id). */
  agent: string;
  /** The ablation point (the segments between agent and seed), empty without ablations. */
  label: string;
  /** The seed, from the manifest. */
  seed: number | null;
  /** The manifest's status, or `unknown` when the manifest cannot be read. */
  status: Manifest["status"] | "unknown";
  /** Why it failed. */
  error?: string;
  /** Warnings the run gave. */
  warnings: RunWarning[];
  /** Iterations done (progress.csv), null for untrained agents. */
  iteration: number | null;
  /** Iterations planned (the agent's `sampling.iterations`), null for untrained agents. */
  iterations: number | null;
  /** Training seconds per iteration so far. */
  secondsPerIteration: number | null;
  /** When it started and ended (ISO times from the manifest). */
  started: string | null;
  /** When it ended, null while running. */
  ended: string | null;
  /** Unreadable files of the run. */
  problems: FileProblem[];
}

/** One experiment as the index lists it. */
export interface ExperimentSummary {
  /** The experiment's name. */
  name: string;
  /** Its folder relative to the results folder. */
  path: string;
  /** Agents of the experiment file, in name order. */
  agents: string[];
  /** Seeds seen in its runs. */
  seeds: number[];
  /** Its runs, in id order. */
  runs: RunSummary[];
  /** Unreadable files. */
  problems: FileProblem[];
}

/** The index of a results folder. */
export interface IndexView {
  /** Its experiments, in path order. */
  experiments: ExperimentSummary[];
  /** Every `comparison.csv` of the folder, relative to it. */
  comparisons: string[];
}

/** The last complete row of `progress.csv` text, or undefined when it has no rows. */
export function progressTail(text: string): ProgressTail | undefined {
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  const newline = body.indexOf("\n");
  if (newline < 0) {
    progressColumns(body);
    return undefined;
  }
  const [it, ts, sec] = progressColumns(body.slice(0, newline));
  const last = body.slice(body.lastIndexOf("\n") + 1).replace(/\r$/, "").split(",");
  const [iteration, timesteps, seconds] = [it, ts, sec].map((i) => Number(last[i]));
  if (![iteration, timesteps, seconds].every(Number.isFinite) || last.some((c) => c === "")) {
    throw new Error("its last row is not complete");
  }
  return { iteration: iteration!, timesteps: timesteps!, seconds: seconds! };
}

/** Where `progress.csv`'s header line puts iteration, timesteps and seconds. */
function progressColumns(header: string): [number, number, number] {
  const columns = header.replace(/\r$/, "").split(",");
  const at = [
    columns.indexOf("iteration"),
    columns.indexOf("timesteps"),
    columns.indexOf("seconds"),
  ];
  if (at.some((i) => i < 0)) throw new Error("no iteration, timesteps or seconds column");
  return at as [number, number, number];
}

function parseManifest(text: string): Manifest {
  const value = JSON.parse(text);
  if (typeof value !== "object" || value === null || typeof value.status !== "string") {
    throw new Error("not a run manifest (no status)");
  }
  return value as Manifest;
}

function plannedIterations(manifest: Manifest): number | null {
  const agent = manifest.config?.agent_config as { sampling?: { iterations?: unknown } };
  const n = agent?.sampling?.iterations;
  return typeof n === "number" ? n : null;
}

/** The summary of the run folder `dir` of the experiment folder `experimentDir`. */
export async function summarizeRun(
  root: ResultsRoot,
  experimentDir: string,
  dir: string,
): Promise<RunSummary> {
  const id = root.relative(dir).slice(root.relative(experimentDir).length).replace(/^\//, "");
  const segments = id.split("/");
  const problems: FileProblem[] = [];
  const attempt = async <T>(file: string, kind: string, parse: (t: string) => T) => {
    try {
      return await root.read(join(dir, file), kind, parse);
    } catch (e) {
      problems.push(problemOf(root.relative(join(dir, file)), e));
      return undefined;
    }
  };
  const manifest = await attempt(RUN_FILES.manifest, "manifest", parseManifest);
  const tail = await attempt(RUN_FILES.progress, "progress-tail", progressTail);
  return {
    id,
    path: root.relative(dir),
    agent: segments[0] ?? "",
    label: segments.slice(1, -1).join("/"),
    seed: typeof manifest?.seed === "number" ? manifest.seed : null,
    status: manifest?.status ?? "unknown",
    ...(manifest?.error !== undefined && { error: manifest.error }),
    warnings: Array.isArray(manifest?.warnings) ? manifest.warnings : [],
    iteration: tail?.iteration ?? null,
    iterations: manifest === undefined ? null : plannedIterations(manifest),
    secondsPerIteration: tail === undefined || tail.iteration === 0
      ? null
      : tail.seconds / tail.iteration,
    started: manifest?.started ?? null,
    ended: manifest?.ended ?? null,
    problems,
  };
}

/** The run folders below an experiment folder (those holding a manifest), in path order. */
export async function runFolders(root: ResultsRoot, dir: string, depth = RUN_DEPTH) {
  const found: string[] = [];
  for (const entry of await root.list(dir)) {
    if (!entry.isDirectory) continue;
    const sub = join(dir, entry.name);
    if ((await root.stamp(join(sub, RUN_FILES.manifest))) !== undefined) found.push(sub);
    else if (depth > 1) found.push(...await runFolders(root, sub, depth - 1));
  }
  return found;
}

function resolvedAgents(text: string): { name: string; agents: string[] } {
  const value = JSON.parse(text);
  if (typeof value?.name !== "string") throw new Error("no experiment name");
  const agents = typeof value.agents === "object" && value.agents !== null
    ? Object.keys(value.agents).sort()
    : [];
  return { name: value.name, agents };
}

/** The summary of one experiment folder (holding `experiment.resolved.json`). */
export async function summarizeExperiment(
  root: ResultsRoot,
  dir: string,
): Promise<ExperimentSummary> {
  const problems: FileProblem[] = [];
  let head = { name: root.relative(dir).split("/").at(-1) ?? "", agents: [] as string[] };
  try {
    head = (await root.read(join(dir, RESOLVED_FILE), "resolved-head", resolvedAgents)) ?? head;
  } catch (e) {
    problems.push(problemOf(root.relative(join(dir, RESOLVED_FILE)), e));
  }
  const runs = await Promise.all(
    (await runFolders(root, dir)).map((r) => summarizeRun(root, dir, r)),
  );
  const seeds = [...new Set(runs.flatMap((r) => r.seed === null ? [] : [r.seed]))];
  const agents = head.agents.length > 0 ? head.agents : [...new Set(runs.map((r) => r.agent))];
  return {
    name: head.name,
    path: root.relative(dir),
    agents,
    seeds: seeds.sort((a, b) => a - b),
    runs,
    problems,
  };
}

async function walk(
  root: ResultsRoot,
  dir: string,
  depth: number,
  out: { experiments: string[]; comparisons: string[] },
): Promise<void> {
  if ((await root.stamp(join(dir, "comparison.csv"))) !== undefined) {
    out.comparisons.push(join(dir, "comparison.csv"));
  }
  if ((await root.stamp(join(dir, RESOLVED_FILE))) !== undefined) {
    out.experiments.push(dir);
    return;
  }
  if (depth === 0) return;
  for (const entry of await root.list(dir)) {
    if (entry.isDirectory) await walk(root, join(dir, entry.name), depth - 1, out);
  }
}

/** The experiment folders and `comparison.csv` files of the results folder (absolute paths). */
export async function findExperiments(
  root: ResultsRoot,
): Promise<{ experiments: string[]; comparisons: string[] }> {
  const out = { experiments: [] as string[], comparisons: [] as string[] };
  await walk(root, root.dir, EXPERIMENT_DEPTH, out);
  return out;
}

/** The index of the results folder. */
export async function indexView(root: ResultsRoot): Promise<IndexView> {
  const { experiments, comparisons } = await findExperiments(root);
  return {
    experiments: await Promise.all(experiments.map((d) => summarizeExperiment(root, d))),
    comparisons: comparisons.map((c) => root.relative(c)),
  };
}
