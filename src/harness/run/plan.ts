/**
 * What the runner decides before it starts anything: the experiments loaded (each name once),
 * the runs `--only` and `--shard` select, and per experiment folder which runs to skip (done),
 * continue (interrupted with the same config and code) or start, refusing a folder that holds
 * another version of the experiment (one that differs in more than {@link REPORT_FIELDS} and,
 * under `--resume`, agents given more iterations, `lengthen.ts`, or new agents,
 * `added_agents.ts`) or runs that another live process still writes.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import type { BackendName } from "../../backend.ts";
import { type Experiment, loadExperiment } from "../../experiment/load.ts";
import { expandRuns, type Run } from "../../experiment/expand.ts";
import { renamedResolved } from "../../experiment/renamed_results.ts";
import { canonicalJson, isRecord } from "../../canonical.ts";
import { writeFileAtomic } from "./atomic.ts";
import {
  type GitState,
  readManifest,
  recordedIdentity,
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
import { lockHolder } from "./lock.ts";
import { typedCommand } from "./run_cli.ts";
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
  return `${path} ${what} beyond the results in ${dir}: pass --resume to ${todo}: ` +
    typedCommand(["--resume"], ["--fresh"]);
}

/** What {@link plan} is told of the runner's options and code. */
export interface PlanOptions {
  /** `--resume`: also take a folder whose runs were given more iterations or new agents. */
  resume: boolean;
  /** `--allow-mixed`: continue checkpoints written by another commit. */
  allowMixed: boolean;
  /** The code about to run, null outside git. */
  git: GitState | null;
  /** Aborted, planning stops at the next run (the runner then writes nothing). */
  signal?: AbortSignal;
}

/** What planning asks of folders, each folder once (an experiment may have many runs). */
interface FolderChecks {
  /** Why `path` may not be written ({@link writeProblem}). */
  writable(path: string): Promise<string | undefined>;
  /** The names in folder `path` (none when it does not exist). */
  entries(path: string): Promise<Set<string>>;
}

function folderChecks(): FolderChecks {
  const problems = new Map<string, Promise<string | undefined>>();
  const listings = new Map<string, Promise<Set<string>>>();
  const list = async (path: string) => {
    const names = new Set<string>();
    try {
      for await (const entry of Deno.readDir(path)) names.add(entry.name);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory)) throw e;
    }
    return names;
  };
  return {
    writable: (path) => problems.get(path) ?? problems.set(path, writeProblem(path)).get(path)!,
    entries: (path) => listings.get(path) ?? listings.set(path, list(path)).get(path)!,
  };
}

/** How one run is planned: a job, a skip, or why neither can be. */
type RunPlan = { job: Job } | { skipped: RunResult } | { problem: string };

/** Why a run whose folder another live process holds cannot be planned, else undefined. */
async function busyProblem(key: string, runDir: string): Promise<string | undefined> {
  const holder = await lockHolder(runDir);
  if (holder === "free") return undefined;
  const who = holder === "unknown" ? "another process" : `pid ${holder.pid}`;
  return `run ${key} in ${runDir} is still being written by ${who} (a worker left running, ` +
    "say by a runner that was killed alone); wait for it to end, or stop it, then run again";
}

/**
 * Plans one run: skip it (done with the same config), continue it (an earlier attempt with the
 * same config and code, or a run given more iterations) or start it.
 */
async function planRun(
  experiment: Experiment,
  dir: string,
  selected: { run: Run; key: string },
  options: PlanOptions,
  folder: FolderChecks,
): Promise<RunPlan> {
  const { run, key } = selected;
  const runDir = join(dir, ...run.id.split("/"));
  // A folder not made yet is checked through its parent, shared by the runs of an agent.
  const made = (await folder.entries(dirname(runDir))).has(basename(runDir));
  const problem = await folder.writable(made ? runDir : dirname(runDir));
  if (problem !== undefined) {
    return { problem: `cannot write run ${key}: ${problem.replace(dirname(runDir), runDir)}` };
  }
  const { config, hash } = await runIdentity(experiment.config, run);
  const manifest = made ? await readManifest(runDir) : undefined;
  const job: Job = { key, experiment, run, dir: runDir, configHash: hash, resume: false };
  if (manifest === undefined) return { job };
  // A run made before a setting was renamed or moved is read in today's spelling.
  const recorded = await recordedIdentity(manifest);
  const lengthened = lengthens(recorded.config, config);
  if (recorded.hash !== hash && !lengthened) {
    return {
      problem: `run ${key} in ${runDir} was made with another config; use another --out, or ` +
        `start over with: ${typedCommand(["--fresh"], ["--resume", "--allow-mixed"])}`,
    };
  }
  if (manifest.status === "done" && !lengthened) {
    return { skipped: { key, dir: runDir, outcome: "skipped", detail: "already done" } };
  }
  const busy = await busyProblem(key, runDir);
  if (busy !== undefined) return { problem: busy };
  if (!options.allowMixed) {
    // A checkpoint that cannot be read fails its own run, in the worker, not the others.
    const checkpoint = await loadCheckpoint(join(runDir, RUN_FILES.checkpoint))
      .catch(() => undefined);
    const writer = mixedCommit(checkpoint, manifest, options.git);
    if (writer !== undefined) {
      return {
        problem: `${mixedMessage(runDir, writer, options.git)}; continue with: ` +
          `${typedCommand(["--resume", "--allow-mixed"], ["--fresh"])}, or start over with: ` +
          typedCommand(["--fresh"], ["--resume", "--allow-mixed"]),
      };
    }
  }
  return { job: { ...job, resume: true } };
}

/**
 * Checks an experiment's locked folder against what is about to run, and plans each run: skip
 * (done with the same config), continue (an earlier attempt with the same config and code, or,
 * under `--resume`, a run given more iterations) or start. Throws, before anything is written,
 * when the folder holds another version of the experiment, runs made with another config, runs
 * another live process still writes, or (without `--allow-mixed`) checkpoints to continue that
 * another commit wrote; each message gives the command that goes on.
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
  // In today's spelling: a folder made before a setting was renamed or moved is the same version.
  const existing = await Deno.readTextFile(resolvedPath).then(renamedResolved, () => undefined);
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
        `(was ${experiment.path} edited, or --backend changed?); use another --out, or start ` +
        `over with: ${typedCommand(["--fresh"], ["--resume", "--allow-mixed"])}`,
    );
  }
  if (grown && !resume) problems.push(growthProblem(experiment.path, dir, added, earlier !== kept));
  const jobs: Job[] = [];
  const skipped: RunResult[] = [];
  const folder = folderChecks();
  for (const selection of selected) {
    if (options.signal?.aborted === true) break;
    const planned = await planRun(experiment, dir, selection, options, folder);
    if ("problem" in planned) problems.push(planned.problem);
    else if ("job" in planned) jobs.push(planned.job);
    else skipped.push(planned.skipped);
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return {
    jobs,
    skipped,
    ...(!same &&
      { writeResolved: () => writeFileAtomic(resolvedPath, experiment.canonical + "\n") }),
  };
}
