/**
 * What the runner decides before it starts anything: the experiments loaded (each name once),
 * the runs `--only` and `--shard` select, and per experiment folder which runs to skip (done, under
 * `--resume`), continue or start, refusing a folder that holds another version of the experiment
 * (one that differs in more than {@link REPORT_FIELDS} and, under `--resume`, agents given more
 * iterations, `lengthen.ts`, or new agents, `added_agents.ts`).
 *
 * @module
 */
import { join } from "node:path";
import type { BackendName } from "../../backend.ts";
import { type Experiment, loadExperiment } from "../../experiment/load.ts";
import { expandRuns, type Run } from "../../experiment/expand.ts";
import { canonicalJson, isRecord } from "../../canonical.ts";
import { writeFileAtomic } from "./atomic.ts";
import {
  type GitState,
  readManifest,
  RESOLVED_FILE,
  RUN_FILES,
  runIdentity,
  withBackend,
} from "./manifest.ts";
import { loadCheckpoint } from "./checkpoint.ts";
import { mixedCommit, mixedMessage } from "./mixed.ts";
import { selectShard } from "./shard.ts";
import { atEarlierLength, lengthens } from "./lengthen.ts";
import { addedAgents, withoutAgents } from "./added_agents.ts";
import { writeProblem } from "./writable.ts";
import type { Job, RunOptions, RunResult } from "./run_options.ts";

/** Loads every file (throwing on the first rejected one) with the backend override applied. */
export async function loadAll(
  files: readonly string[],
  backend?: BackendName,
): Promise<Experiment[]> {
  const experiments: Experiment[] = [];
  for (const file of files) {
    experiments.push(await withBackend(await loadExperiment(file), backend));
  }
  const names = new Map<string, string>();
  for (const { config, path } of experiments) {
    const other = names.get(config.name);
    if (other !== undefined) {
      throw new Error(`${other} and ${path} both name the experiment "${config.name}"`);
    }
    names.set(config.name, path);
  }
  return experiments;
}

/** The runs of all experiments chosen by `--only` and `--shard`, in expansion order. */
export function selectRuns(experiments: readonly Experiment[], options: RunOptions) {
  let runs = experiments.flatMap((experiment) =>
    expandRuns(experiment).map((run) => ({
      experiment,
      run,
      key: `${experiment.config.name}/${run.id}`,
    }))
  );
  if (options.only !== undefined) {
    const only = options.only;
    const unknown = only.filter((name) =>
      !experiments.some((e) => Object.hasOwn(e.config.agents, name))
    );
    if (unknown.length > 0) {
      throw new Error(
        `--only: no agent named ${unknown.map((n) => `"${n}"`).join(", ")} in ` +
          experiments.map((e) => e.path).join(", "),
      );
    }
    runs = runs.filter((r) => only.includes(r.run.agent));
  }
  return options.shard === undefined ? runs : selectShard(runs, (r) => r.key, options.shard);
}

/**
 * The fields of an experiment that only `compare` reads (its description, baseline, paper row and
 * expectations): no run's numbers depend on them, so results made before such an edit are still
 * the experiment's, and `--resume` takes the folder and rewrites its resolved experiment.
 */
export const REPORT_FIELDS = ["description", "baseline", "paper", "expect"] as const;

/** The canonical text of a resolved experiment without its {@link REPORT_FIELDS}, or undefined. */
function runFields(canonical: string): string | undefined {
  let data: unknown;
  try {
    data = JSON.parse(canonical);
  } catch {
    return undefined;
  }
  if (!isRecord(data)) return undefined;
  const rest: Record<string, unknown> = { ...data };
  for (const field of REPORT_FIELDS) delete rest[field];
  return canonicalJson(rest);
}

/** What {@link plan} decided for one experiment. */
export interface Plan {
  jobs: Job[];
  skipped: RunResult[];
  /**
   * Writes `experiment.resolved.json` when the folder has none yet, or one that differs only in
   * {@link REPORT_FIELDS}, agents' iterations or new agents (under `--resume`).
   */
  writeResolved?: () => Promise<void>;
}

/**
 * Why `--resume` is needed for an experiment that grew past its results: new agents, agents given
 * more iterations, or both.
 */
function growthProblem(path: string, dir: string, added: string[], longer: boolean): string {
  const names = added.map((a) => `"${a}"`).join(", ");
  const what = [
    ...(added.length > 0 ? [`adds agents (${names})`] : []),
    ...(longer ? ["gives agents more iterations"] : []),
  ].join(" and ");
  const todo = [
    ...(added.length > 0 ? ["run the new agents"] : []),
    ...(longer ? ["train the longer runs on from their last checkpoints"] : []),
  ].join(" and ");
  return `${path} ${what} beyond the results in ${dir}: pass --resume to ${todo}`;
}

/** What {@link plan} is told of the runner's options and code. */
export interface PlanOptions {
  /** `--resume`: skip done runs, continue the others from their checkpoints. */
  resume: boolean;
  /** `--allow-mixed`: continue checkpoints written by another commit. */
  allowMixed: boolean;
  /** The code about to run, null outside git. */
  git: GitState | null;
}

/**
 * Checks an experiment's locked folder against what is about to run, and plans each run: skip
 * (done with the same config, under `--resume`), continue (also a run given more iterations) or
 * start. Throws, before anything is written, when the folder holds another version of the
 * experiment, runs made with another config, or (without `--allow-mixed`) checkpoints to continue
 * that another commit wrote.
 */
export async function plan(
  experiment: Experiment,
  dir: string,
  selected: readonly { run: Run; key: string }[],
  options: PlanOptions,
): Promise<Plan> {
  const { resume } = options;
  const problems: string[] = [];
  const resolvedPath = join(dir, RESOLVED_FILE);
  const existing = await Deno.readTextFile(resolvedPath).catch(() => undefined);
  const same = existing?.trim() === experiment.canonical;
  const sameRuns = existing !== undefined &&
    runFields(existing) === runFields(experiment.canonical);
  const added = existing === undefined ? [] : addedAgents(existing, experiment.canonical);
  const kept = withoutAgents(experiment.canonical, added);
  const earlier = existing === undefined ? undefined : atEarlierLength(existing, kept);
  const grown = !sameRuns && earlier !== undefined && runFields(existing!) === runFields(earlier);
  const torn = existing !== undefined && runFields(existing) === undefined;
  if (torn) {
    problems.push(
      `${resolvedPath} is unreadable (torn or corrupt: not an experiment in JSON); remove it and ` +
        `pass --resume to write it again from ${experiment.path} (every run's manifest holds ` +
        "its own config), or use another --out",
    );
  } else if (existing !== undefined && !same && !sameRuns && !grown) {
    problems.push(
      `${resolvedPath} holds another version of experiment "${experiment.config.name}" ` +
        `(was ${experiment.path} edited, or --backend changed?); use another --out or remove ${dir}`,
    );
  }
  if (grown && !resume) problems.push(growthProblem(experiment.path, dir, added, earlier !== kept));
  const jobs: Job[] = [];
  const skipped: RunResult[] = [];
  for (const { run, key } of selected) {
    const runDir = join(dir, ...run.id.split("/"));
    const problem = await writeProblem(runDir);
    if (problem !== undefined) problems.push(`cannot write run ${key}: ${problem}`);
    const { config, hash } = await runIdentity(experiment.config, run);
    const manifest = await readManifest(runDir);
    const lengthened = manifest !== undefined && lengthens(manifest.config, config);
    if (manifest !== undefined && manifest.config_hash !== hash && !lengthened) {
      problems.push(
        `run ${key} in ${runDir} was made with another config; use another --out or remove it`,
      );
    } else if (manifest !== undefined && !resume) {
      problems.push(`run ${key} already has results in ${runDir}; pass --resume to continue`);
    } else if (manifest?.status === "done" && !lengthened) {
      skipped.push({ key, dir: runDir, outcome: "skipped", detail: "already done" });
    } else {
      if (manifest !== undefined && !options.allowMixed) {
        // A checkpoint that cannot be read fails its own run, in the worker, not the others.
        const checkpoint = await loadCheckpoint(join(runDir, RUN_FILES.checkpoint))
          .catch(() => undefined);
        const made = mixedCommit(checkpoint, manifest, options.git);
        if (made !== undefined) problems.push(mixedMessage(runDir, made, options.git));
      }
      jobs.push({ key, experiment, run, dir: runDir, configHash: hash, resume });
    }
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return {
    jobs,
    skipped,
    ...(!same &&
      { writeResolved: () => writeFileAtomic(resolvedPath, experiment.canonical + "\n") }),
  };
}
