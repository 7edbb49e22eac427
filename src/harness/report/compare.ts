/**
 * The `compare` command's input and output: reads results folders (only the resolved
 * experiment, the run manifests and the CSVs), refuses runs that do not belong together,
 * computes the comparison (`src/analysis/comparison.ts`) and writes `comparison.md`,
 * `comparison.csv` and SVG plots, all byte-identical when rerun.
 *
 * A results folder is one experiment's folder (holding `experiment.resolved.json`) or a
 * results root holding such folders. Folders of the same experiment (e.g. unmerged shards) are
 * read together when their resolved experiments are identical.
 *
 * @module
 */
import { join } from "node:path";
import { compareExperiment } from "../../analysis/comparison.ts";
import type {
  EvaluationPoint,
  ExperimentComparison,
  ExperimentResults,
  RunResults,
  TrainingPoint,
  VariantResults,
} from "../../analysis/comparison_types.ts";
import { expandRuns, type Run } from "../../experiment/expand.ts";
import { type ExperimentConfig, isClassicAgent } from "../../experiment/schema.ts";
import { canonicalJson, isRecord } from "../../canonical.ts";
import { formatPath, type JsonPath } from "../../experiment/issues.ts";
import { validateExperiment } from "../../experiment/rules.ts";
import { writeFileAtomic } from "../run/atomic.ts";
import { ADAPTATION_COLUMNS, type CsvTable, EVAL_COLUMNS, parseCsv } from "../run/csv.ts";
import {
  codeVersion,
  type Manifest,
  readManifest,
  RESOLVED_FILE,
  RUN_FILES,
  runIdentity,
} from "../run/manifest.ts";
import { ablationSpec, learningCurveSpec, renderSvg } from "./plot.ts";
import { comparisonMarkdown } from "./report.ts";
import { comparisonCsv } from "./comparison_csv.ts";
import { adaptationSpec } from "./adaptation_report.ts";
import { ablationPlotFile, adaptationPlotFile, curvePlotFile } from "./plot_files.ts";

/** Bootstrap resamples of a comparison unless told otherwise (`compare --resamples`). */
export const DEFAULT_RESAMPLES = 10_000;

/** The outputs `compare` can write. */
export const FORMATS = ["md", "csv", "svg"] as const;
/** One of {@link FORMATS}. */
export type Format = typeof FORMATS[number];

/** File names of the tables. */
export const COMPARISON_FILES = { md: "comparison.md", csv: "comparison.csv" } as const;

/** What to compare and how. */
export interface CompareOptions {
  /** Results folders. */
  inputs: readonly string[];
  /** Where the tables and plots go. */
  out: string;
  /** Which outputs to write. */
  formats: readonly Format[];
  /** The agent to compare with, instead of each experiment's `baseline`. */
  baseline?: string;
  /** The level of time to result, instead of a fraction of each agent's paper number. */
  level?: number;
  /** Bootstrap resamples. */
  resamples: number;
  /** Seed of the bootstraps. */
  seed: number;
}

/** One experiment's folders and resolved file text. */
interface ExperimentFolders {
  name: string;
  text: string;
  data: unknown;
  dirs: string[];
}

/** An experiment folder found in an input, with its resolved experiment. */
interface FoundFolder {
  dir: string;
  text: string;
  data: unknown;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

async function readFolder(dir: string): Promise<FoundFolder | undefined> {
  const file = join(dir, RESOLVED_FILE);
  const text = await readText(file);
  if (text === undefined) return undefined;
  try {
    return { dir, text, data: JSON.parse(text) };
  } catch (e) {
    throw new Error(`${file} is not JSON: ${e instanceof Error ? e.message : e}`);
  }
}

/** The experiment folders of one input: the input itself, or its subfolders with results. */
async function experimentFolders(input: string): Promise<FoundFolder[]> {
  const own = await readFolder(input);
  if (own !== undefined) return [own];
  const found: FoundFolder[] = [];
  try {
    for await (const entry of Deno.readDir(input)) {
      const folder = entry.isDirectory ? await readFolder(join(input, entry.name)) : undefined;
      if (folder !== undefined) found.push(folder);
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new Error(`${input}: no such folder`);
    throw e;
  }
  if (found.length === 0) {
    throw new Error(`${input} holds no experiment results (no ${RESOLVED_FILE})`);
  }
  return found.sort((a, b) => a.dir < b.dir ? -1 : 1);
}

/** Where two JSON values differ, e.g. `agents.rl2.trpo.iterations: 80 vs 60` (at most `limit`). */
export function jsonDifferences(a: unknown, b: unknown, limit = 5, path: JsonPath = []): string[] {
  if (canonicalJson(a) === canonicalJson(b)) return [];
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => jsonDifferences(a[k], b[k], limit, [...path, k])).slice(0, limit);
  }
  const show = (v: unknown) => v === undefined ? "absent" : canonicalJson(v);
  return [`${formatPath(path)}: ${show(a)} vs ${show(b)}`];
}

async function groupByExperiment(inputs: readonly string[]): Promise<ExperimentFolders[]> {
  const byName = new Map<string, ExperimentFolders>();
  const problems: string[] = [];
  for (const input of inputs) {
    for (const { dir, text, data } of await experimentFolders(input)) {
      const name = isRecord(data) ? String(data.name) : "";
      const seen = byName.get(name);
      if (seen === undefined) {
        byName.set(name, { name, text, data, dirs: [dir] });
      } else if (seen.text.trim() === text.trim()) {
        seen.dirs.push(dir);
      } else {
        const where = jsonDifferences(seen.data, data).join("; ");
        problems.push(
          `cannot compare ${dir} with ${seen.dirs[0]}: both hold experiment "${name}" but ` +
            `their ${RESOLVED_FILE} differ (${where}); compare results of one experiment file`,
        );
      }
    }
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return [...byName.values()].sort((a, b) => a.name < b.name ? -1 : 1);
}

function parseConfig(folders: ExperimentFolders): ExperimentConfig {
  const check = validateExperiment(folders.data);
  if (check.config === undefined) {
    const issues = check.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join("; ");
    throw new Error(
      `${join(folders.dirs[0]!, RESOLVED_FILE)} is not a valid experiment: ${issues}`,
    );
  }
  return check.config;
}

/** A finite number from a CSV cell. */
function numberAt(table: CsvTable, row: number, column: number, file: string): number {
  const text = table.rows[row]?.[column] ?? "";
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) {
    throw new Error(
      `${file} row ${row + 2}, column ${table.columns[column]}: expected a number, got "${text}"`,
    );
  }
  return value;
}

function columnIndex(table: CsvTable, column: string, file: string): number {
  const i = table.columns.indexOf(column);
  if (i < 0) throw new Error(`${file} has no column "${column}" (has ${table.columns.join(", ")})`);
  return i;
}

async function readCsvFile(file: string): Promise<CsvTable> {
  const text = await readText(file);
  if (text === undefined) throw new Error(`${file} is missing`);
  return parseCsv(text);
}

/** Training timesteps and seconds done after each iteration (and before the first). */
type TrainingTimes = Map<number, { timesteps: number; seconds: number }>;

/** progress.csv: the training curve and the timesteps and seconds after each iteration. */
async function readProgress(
  file: string,
): Promise<{ training: TrainingPoint[]; times: TrainingTimes }> {
  const table = await readCsvFile(file);
  const [it, ts, ret, sec] = ["iteration", "timesteps", "return_mean", "seconds"].map((c) =>
    columnIndex(table, c, file)
  ) as [number, number, number, number];
  const training: TrainingPoint[] = [];
  const times: TrainingTimes = new Map([[0, { timesteps: 0, seconds: 0 }]]);
  table.rows.forEach((_, r) => {
    const point = {
      timesteps: numberAt(table, r, ts, file),
      returnMean: numberAt(table, r, ret, file),
    };
    training.push(point);
    times.set(numberAt(table, r, it, file), {
      timesteps: point.timesteps,
      seconds: numberAt(table, r, sec, file),
    });
  });
  return { training, times };
}

/** eval.csv: the returns of every evaluation task at every evaluation point. */
async function readEvaluations(
  file: string,
  tasks: number,
  times: TrainingTimes,
): Promise<EvaluationPoint[]> {
  const table = await readCsvFile(file);
  if (table.columns.join() !== EVAL_COLUMNS.join()) {
    throw new Error(`${file} has columns ${table.columns.join(",")}; expected ${EVAL_COLUMNS}`);
  }
  const byIteration = new Map<number, Float64Array>();
  table.rows.forEach((_, r) => {
    const iteration = numberAt(table, r, 0, file);
    const task = numberAt(table, r, 1, file);
    if (!Number.isInteger(task) || task < 0 || task >= tasks) {
      throw new Error(
        `${file} row ${r + 2}: task ${task} is not one of the ${tasks} evaluation tasks`,
      );
    }
    let returns = byIteration.get(iteration);
    if (returns === undefined) {
      byIteration.set(iteration, returns = new Float64Array(tasks).fill(NaN));
    }
    if (!Number.isNaN(returns[task]!)) {
      throw new Error(`${file} row ${r + 2}: task ${task} appears twice at iteration ${iteration}`);
    }
    returns[task] = numberAt(table, r, 2, file);
  });
  if (byIteration.size === 0) throw new Error(`${file} has no evaluations`);
  return [...byIteration].sort(([a], [b]) => a - b).map(([iteration, returns]) => {
    const gap = returns.findIndex(Number.isNaN);
    if (gap >= 0) throw new Error(`${file}: iteration ${iteration} has no return for task ${gap}`);
    const time = times.get(iteration);
    if (time === undefined) {
      throw new Error(`${file}: iteration ${iteration} is not in the run's progress.csv`);
    }
    return { iteration, ...time, returns };
  });
}

/**
 * adaptation.csv: the mean reward of each episode of the trial at the run's last evaluation
 * (`iteration`); undefined when the run has no such file (results from before it existed).
 */
async function readAdaptation(
  file: string,
  iteration: number,
  episodes: number,
): Promise<number[] | undefined> {
  const text = await readText(file);
  if (text === undefined) return undefined;
  const table = parseCsv(text);
  if (table.columns.join() !== ADAPTATION_COLUMNS.join()) {
    throw new Error(
      `${file} has columns ${table.columns.join(",")}; expected ${ADAPTATION_COLUMNS}`,
    );
  }
  const rewards = new Array<number>(episodes).fill(NaN);
  table.rows.forEach((_, r) => {
    if (numberAt(table, r, 0, file) !== iteration) return;
    const episode = numberAt(table, r, 1, file);
    if (!Number.isInteger(episode) || episode < 1 || episode > episodes) {
      throw new Error(`${file} row ${r + 2}: episode ${episode} is not one of 1..${episodes}`);
    }
    rewards[episode - 1] = numberAt(table, r, 2, file);
  });
  const gap = rewards.findIndex(Number.isNaN);
  if (gap >= 0) {
    throw new Error(`${file}: iteration ${iteration} has no reward for episode ${gap + 1}`);
  }
  return rewards;
}

async function readRun(dir: string, run: Run, config: ExperimentConfig): Promise<RunResults> {
  const results = await readRunCurves(dir, run, config);
  const last = results.evaluations[results.evaluations.length - 1]!.iteration;
  const file = join(dir, RUN_FILES.adaptation);
  const adaptation = await readAdaptation(file, last, config.task.episodes);
  return adaptation === undefined ? results : { ...results, adaptation };
}

async function readRunCurves(
  dir: string,
  run: Run,
  config: ExperimentConfig,
): Promise<RunResults> {
  if (!isClassicAgent(run.agentConfig)) {
    return await readTrainingCurve(dir, run.seed, config.evaluation.tasks);
  }
  const times = new Map([[0, { timesteps: 0, seconds: 0 }]]);
  const evaluations = await readEvaluations(
    join(dir, RUN_FILES.eval),
    config.evaluation.tasks,
    times,
  );
  return { seed: run.seed, evaluations, training: [] };
}

/**
 * The curve of a trained run's folder as far as it got, finished or not: its training
 * iterations (progress.csv) and its evaluations on `tasks` tasks each (eval.csv).
 */
export async function readTrainingCurve(
  dir: string,
  seed: number,
  tasks: number,
): Promise<RunResults> {
  const { training, times } = await readProgress(join(dir, RUN_FILES.progress));
  const evaluations = await readEvaluations(join(dir, RUN_FILES.eval), tasks, times);
  return { seed, evaluations, training };
}

/** The run-id label of a run's ablation point: what lies between the agent and the seed. */
function labelOf(run: Run): string {
  return run.id.slice(
    run.agent.length + 1,
    Math.max(run.agent.length + 1, run.id.lastIndexOf("/")),
  );
}

/** Where a run's results are, or why there are none to use. */
type RunLookup = { dir: string; manifest: Manifest } | { missing: string } | {
  problem: string;
};

async function lookUpRun(
  folders: ExperimentFolders,
  config: ExperimentConfig,
  run: Run,
): Promise<RunLookup> {
  const found = [];
  for (const root of folders.dirs) {
    const dir = join(root, ...run.id.split("/"));
    const manifest = await readManifest(dir);
    if (manifest !== undefined) found.push({ dir, manifest });
  }
  const [first, second] = found;
  const key = `${folders.name}/${run.id}`;
  if (first === undefined) return { missing: `${run.id} (no results)` };
  if (second !== undefined) {
    return {
      problem: `run ${key} is in both ${first.dir} and ${second.dir}; ` +
        `merge the folders first (deno task merge)`,
    };
  }
  const { hash } = await runIdentity(config, run);
  const made = first.manifest.config_hash;
  if (made !== hash) {
    return {
      problem: `run ${key} in ${first.dir} was made with another config (config hash ` +
        `${made.slice(0, 12)}…, expected ${hash.slice(0, 12)}…): only runs that differ in ` +
        `their ablation point and seed can be compared`,
    };
  }
  if (first.manifest.status !== "done") return { missing: `${run.id} (${first.manifest.status})` };
  return { dir: first.dir, manifest: first.manifest };
}

async function readExperiment(folders: ExperimentFolders): Promise<ExperimentResults> {
  const config = parseConfig(folders);
  const problems: string[] = [];
  const missing: string[] = [];
  const variants = new Map<string, VariantResults & { runs: RunResults[] }>();
  const versions = new Set<string>();
  for (const run of expandRuns({ config })) {
    const label = labelOf(run);
    const key = `${run.agent}/${label}`;
    const variant = variants.get(key) ?? {
      agent: run.agent,
      label,
      point: run.point,
      classic: isClassicAgent(run.agentConfig),
      runs: [],
    };
    variants.set(key, variant);
    const lookup = await lookUpRun(folders, config, run);
    if ("problem" in lookup) problems.push(lookup.problem);
    else if ("missing" in lookup) missing.push(lookup.missing);
    else {
      variant.runs.push(await readRun(lookup.dir, run, config));
      versions.add(codeVersion(lookup.manifest));
    }
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  for (const v of variants.values()) v.runs.sort((a, b) => a.seed - b.seed);
  return {
    name: folders.name,
    config,
    variants: [...variants.values()],
    missing,
    commits: [...versions].sort(),
  };
}

/**
 * Reads results folders: one entry per experiment, in name order. Throws, listing every
 * problem, when folders hold different versions of one experiment, when a run was made with a
 * config other than the resolved experiment's at its ablation point and seed, or when a run is
 * in two folders. Runs without results, or not done, are listed in `missing`.
 */
export async function readResults(inputs: readonly string[]): Promise<ExperimentResults[]> {
  const results: ExperimentResults[] = [];
  for (const folders of await groupByExperiment(inputs)) {
    results.push(await readExperiment(folders));
  }
  return results;
}

/** What {@link compareResults} did. */
export interface CompareSummary {
  /** One comparison per experiment. */
  comparisons: ExperimentComparison[];
  /** The files written, relative to the output folder, in order. */
  files: string[];
}

/** The SVG files of the comparisons, by name relative to the output folder. */
async function plots(comparisons: readonly ExperimentComparison[]): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const c of comparisons) {
    for (const setting of c.settings) {
      const spec = learningCurveSpec(c, setting);
      if (spec !== undefined) {
        files.set(curvePlotFile(c.name, setting.label), await renderSvg(spec));
      }
      const adaptation = adaptationSpec(c, setting);
      if (adaptation !== undefined) {
        files.set(adaptationPlotFile(c.name, setting.label), await renderSvg(adaptation));
      }
    }
    for (const axis of c.axes) {
      const spec = ablationSpec(c, axis);
      if (spec !== undefined) files.set(ablationPlotFile(c.name, axis.path), await renderSvg(spec));
    }
  }
  return files;
}

/** Reads results, compares them, and writes the chosen outputs into `out`. */
export async function compareResults(options: CompareOptions): Promise<CompareSummary> {
  const results = await readResults(options.inputs);
  const comparisons = results.map((r) =>
    compareExperiment(r, {
      seed: options.seed,
      resamples: options.resamples,
      ...(options.baseline !== undefined && { baseline: options.baseline }),
      ...(options.level !== undefined && { level: options.level }),
    })
  );
  const svgs = options.formats.includes("svg") ? await plots(comparisons) : new Map();
  const files = new Map<string, string>();
  if (options.formats.includes("md")) {
    const settings = {
      resamples: options.resamples,
      seed: options.seed,
      plots: new Set(svgs.keys()),
    };
    files.set(COMPARISON_FILES.md, comparisonMarkdown(comparisons, settings));
  }
  if (options.formats.includes("csv")) files.set(COMPARISON_FILES.csv, comparisonCsv(comparisons));
  for (const [name, text] of svgs) files.set(name, text);
  await Deno.mkdir(options.out, { recursive: true });
  for (const [name, text] of files) await writeFileAtomic(join(options.out, name), text);
  return { comparisons, files: [...files.keys()] };
}
