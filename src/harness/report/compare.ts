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
  ExperimentComparison,
  ExperimentResults,
  RunResults,
  VariantResults,
} from "../../analysis/comparison_types.ts";
import { expandRuns, type Run } from "../../experiment/expand.ts";
import { type ExperimentConfig, isClassicAgent } from "../../experiment/schema.ts";
import { jsonDifferences } from "../../experiment/differences.ts";
import { writeFileAtomic } from "../run/atomic.ts";
import { removeDeadTemps } from "../run/dead_temps.ts";
import {
  expectedEvaluations,
  readRun,
  type ReadText,
  readText,
  readTrainingCurve,
} from "../run/completeness.ts";
import {
  codeVersion,
  type Manifest,
  readManifest,
  recordedIdentity,
  RUN_FILES,
  runIdentity,
} from "../run/manifest.ts";
import { iterationsOf, lengthens } from "../run/lengthen.ts";
import { ablationSpec, learningCurveSpec, renderSvg } from "./plot.ts";
import { type ExperimentFolders, groupByExperiment, parseConfig } from "./experiment_folders.ts";
import { comparisonMarkdown } from "./report.ts";
import { comparisonCsv } from "./comparison_csv.ts";
import { INPUTS_FILE, inputsRecord, recordingReader } from "./comparison_inputs.ts";
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
  /**
   * Write the tables even when some runs are incomplete or corrupt (they are left out and the
   * tables name them); without it such runs fail the comparison.
   */
  allowIncomplete?: boolean;
}

export { expectedEvaluations, jsonDifferences, readTrainingCurve };

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
} | { incomplete: string };

async function lookUpRun(
  folders: ExperimentFolders,
  config: ExperimentConfig,
  run: Run,
  read: ReadText,
): Promise<RunLookup> {
  const found = [];
  for (const root of folders.dirs) {
    const dir = join(root, ...run.id.split("/"));
    const manifest = await readManifest(dir, read);
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
  const identity = await runIdentity(config, run);
  const { hash } = identity;
  // A run made before a setting was renamed or moved is read in today's spelling.
  const recorded = await recordedIdentity(first.manifest);
  const made = recorded.hash;
  if (made !== hash && lengthens(recorded.config, identity.config)) {
    return {
      incomplete: `made for ${iterationsOf(first.manifest.config.agent_config)} iterations, ` +
        `the experiment now gives it ${iterationsOf(identity.config.agent_config)}: not trained ` +
        "on to them yet",
    };
  }
  if (made !== hash) {
    return {
      problem: `run ${key} in ${first.dir} was made with another config (config hash ` +
        `${made.slice(0, 12)}…, expected ${hash.slice(0, 12)}…): only runs that differ in ` +
        `their ablation point and seed can be compared`,
    };
  }
  if (first.manifest.status !== "done") {
    const why = first.manifest.status === "failed" && first.manifest.error !== undefined
      ? `: ${first.manifest.error}`
      : "";
    return {
      incomplete: `${join(first.dir, RUN_FILES.manifest)}: status ${first.manifest.status}, ` +
        `not done${why}`,
    };
  }
  return { dir: first.dir, manifest: first.manifest };
}

/**
 * The runs of a variant that have no adaptation.csv while others have one (a file deleted or
 * lost, not results made before the file existed, whose every run lacks it), removed from the
 * variant: its adaptation curve is over all of its seeds or none.
 */
function withoutAdaptation(
  variant: { runs: RunResults[] },
  folderOf: ReadonlyMap<RunResults, { id: string; dir: string }>,
): { id: string; dir: string }[] {
  if (variant.runs.every((r) => r.adaptation === undefined)) return [];
  const lacking = variant.runs.filter((r) => r.adaptation === undefined);
  variant.runs = variant.runs.filter((r) => r.adaptation !== undefined);
  return lacking.map((r) => folderOf.get(r)!);
}

async function readExperiment(
  folders: ExperimentFolders,
  allowIncomplete: boolean,
  read: ReadText,
): Promise<ExperimentResults> {
  const config = parseConfig(folders);
  const problems: string[] = [];
  const missing: string[] = [];
  const incomplete: string[] = [];
  const variants = new Map<string, VariantResults & { runs: RunResults[] }>();
  const versions = new Set<string>();
  const folderOf = new Map<RunResults, { id: string; dir: string }>();
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
    const lookup = await lookUpRun(folders, config, run, read);
    if ("problem" in lookup) problems.push(lookup.problem);
    else if ("missing" in lookup) missing.push(lookup.missing);
    else if ("incomplete" in lookup) {
      incomplete.push(`run ${folders.name}/${run.id} is incomplete: ${lookup.incomplete}`);
      missing.push(`${run.id} (incomplete)`);
    } else {
      try {
        const results = await readRun(lookup.dir, run, config, read);
        variant.runs.push(results);
        folderOf.set(results, { id: run.id, dir: lookup.dir });
        versions.add(codeVersion(lookup.manifest));
      } catch (e) {
        incomplete.push(
          `run ${folders.name}/${run.id} is incomplete or corrupt: ` +
            (e instanceof Error ? e.message : String(e)),
        );
        missing.push(`${run.id} (incomplete or corrupt)`);
      }
    }
  }
  for (const variant of variants.values()) {
    for (const { id, dir } of withoutAdaptation(variant, folderOf)) {
      incomplete.push(
        `run ${folders.name}/${id} is incomplete or corrupt: ${join(dir, RUN_FILES.adaptation)} ` +
          `is missing (other seeds of agent "${variant.agent}" have their adaptation curve)`,
      );
      missing.push(`${id} (incomplete or corrupt)`);
    }
  }
  if (!allowIncomplete) problems.push(...incomplete);
  if (problems.length > 0) {
    throw new Error(
      problems.join("\n") +
        (!allowIncomplete && incomplete.length > 0
          ? "\nno table is written from incomplete runs: finish them (deno task run … --resume), " +
            "or pass --allow-incomplete to leave them out and name them in the table"
          : ""),
    );
  }
  for (const line of incomplete) console.error(`warning: ${line}; left out of the table`);
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
 * config other than the resolved experiment's at its ablation point and seed, when a run is
 * in two folders, or when a run is incomplete or corrupt (not done, made for fewer iterations
 * than the experiment now gives it, iterations or evaluations missing, values the task cannot
 * give) unless `allowIncomplete`. Runs without results, and
 * incomplete runs when allowed, are listed in `missing`. Every file is read with `options.read`
 * (by default {@link readText}: never through a symbolic link).
 */
export async function readResults(
  inputs: readonly string[],
  options: { allowIncomplete?: boolean; read?: ReadText } = {},
): Promise<ExperimentResults[]> {
  const read = options.read ?? readText;
  const results: ExperimentResults[] = [];
  for (const folders of await groupByExperiment(inputs, read)) {
    results.push(await readExperiment(folders, options.allowIncomplete === true, read));
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
  const recorder = recordingReader(readText);
  const results = await readResults(options.inputs, {
    ...(options.allowIncomplete !== undefined && { allowIncomplete: options.allowIncomplete }),
    read: recorder.read,
  });
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
  if (options.formats.includes("csv")) {
    files.set(COMPARISON_FILES.csv, comparisonCsv(comparisons));
    // After the table: a kill between the two leaves the old record, which calls it stale.
    files.set(INPUTS_FILE, await inputsRecord(recorder.seen, options.out));
  }
  for (const [name, text] of svgs) files.set(name, text);
  await Deno.mkdir(options.out, { recursive: true });
  // What a killed compare left (its writer has ended).
  await removeDeadTemps(options.out);
  for (const [name, text] of files) await writeFileAtomic(join(options.out, name), text);
  return { comparisons, files: [...files.keys()] };
}
