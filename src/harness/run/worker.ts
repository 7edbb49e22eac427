/**
 * One run in its own process: trains and evaluates one agent (or evaluates one classic
 * baseline) and writes the run's folder: `manifest.json`, `progress.csv`, `eval.csv`,
 * `checkpoint.json` and `log.txt`. It tells its runner how it is doing with JSON lines on
 * stdout (see `progress.ts`); human-readable lines go to `log.txt`.
 *
 * The runner starts it as
 * `deno run --frozen --cached-only … src/harness/run/worker.ts --experiment FILE --run ID --dir DIR
 * --config-hash HASH [--backend B] [--resume] [--git JSON]`, with read access to the project,
 * the experiment file and its results, and write access to DIR only. Every write is atomic, so
 * the process may be killed at any moment; `--resume` continues from the last checkpoint and
 * gives the same CSVs as an uninterrupted run.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { type BackendInfo, type BackendName, BACKENDS, initBackend } from "../../backend.ts";
import type { LearnerAgentConfig } from "../../learners/learner.ts";
import { findLearner } from "../../learners/registry.ts";
import { type Experiment, loadExperiment } from "../../experiment/load.ts";
import { expandRuns, type Run } from "../../experiment/expand.ts";
import type { ClassicAgentConfig } from "../../experiment/schema.ts";
import { removeStaleTemps } from "./atomic.ts";
import { NonFiniteError } from "./health.ts";
import { acquireLock, BUSY_EXIT, FolderInUseError } from "./lock.ts";
import { openNoFollowSync } from "./nofollow.ts";
import { diskFullMessage, isDiskFull } from "./disk.ts";
import { type Checkpoint, loadCheckpoint } from "./checkpoint.ts";
import { mixedCommit, mixedMessage } from "./mixed.ts";
import { checkpointLength } from "./lengthen.ts";
import { checkpointOfRun } from "./resume_check.ts";
import {
  type GitState,
  lockHash,
  type Manifest,
  readManifest,
  RUN_FILES,
  type RunIdentity,
  runIdentity,
  withBackend,
  writeFinalManifest,
  writeManifest,
} from "./manifest.ts";
import { emit, evaluateBaseline, type RunContext, train } from "./run_work.ts";

/** What the runner tells a worker on its command line. */
export interface WorkerArgs {
  /** The experiment file. */
  experiment: string;
  /** The run's id in it. */
  run: string;
  /** The run's results folder. */
  dir: string;
  /** The run config's hash the runner computed (guards against an edited file). */
  configHash: string;
  /** The `--backend` override, if any. */
  backend?: BackendName;
  /** Intra-op threads of ONNX Runtime. */
  threads: number;
  /** Continue from the folder's checkpoint, if there is one. */
  resume: boolean;
  /** The project's git state, found by the runner (workers may not run git). */
  git: GitState | null;
  /** Continue a checkpoint written by another commit of the code (recorded in the manifest). */
  allowMixed?: boolean;
}

/** Parses the worker's command line (built by the runner). */
export function parseWorkerArgs(args: string[]): WorkerArgs {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      experiment: { type: "string" },
      run: { type: "string" },
      dir: { type: "string" },
      "config-hash": { type: "string" },
      backend: { type: "string" },
      threads: { type: "string", default: "1" },
      resume: { type: "boolean", default: false },
      git: { type: "string", default: "null" },
      "allow-mixed": { type: "boolean", default: false },
    },
  });
  const required = (name: "experiment" | "run" | "dir" | "config-hash") => {
    const value = values[name];
    if (value === undefined) throw new Error(`worker needs --${name}`);
    return value;
  };
  const backend = values.backend;
  if (backend !== undefined && !(BACKENDS as readonly string[]).includes(backend)) {
    throw new Error(`unknown backend "${backend}"; expected one of ${BACKENDS.join(", ")}`);
  }
  const threads = Number(values.threads);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`--threads must be a positive integer, got "${values.threads}"`);
  }
  return {
    threads,
    experiment: required("experiment"),
    run: required("run"),
    dir: required("dir"),
    configHash: required("config-hash"),
    ...(backend !== undefined && { backend: backend as BackendName }),
    resume: values.resume,
    git: JSON.parse(values.git),
    ...(values["allow-mixed"] && { allowMixed: true }),
  };
}

/**
 * Removes what an earlier attempt left, so a fresh start begins from nothing; its log stays
 * (the new attempt's lines follow it).
 */
async function clearRun(dir: string): Promise<void> {
  for (const file of Object.values(RUN_FILES)) {
    if (file === RUN_FILES.log) continue;
    await Deno.remove(join(dir, file)).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
  }
}

function openLog(dir: string): (line: string) => void {
  // Never through a symbolic link: a log.txt that is a link is refused, not appended to.
  const file = openNoFollowSync(join(dir, RUN_FILES.log), { append: true, create: true });
  const encoder = new TextEncoder();
  return (line) => {
    try {
      file.writeSync(encoder.encode(`${new Date().toISOString()} ${line}\n`));
    } catch {
      // A full disk: the line is lost, the error that caused it is reported by the runner.
    }
  };
}

/**
 * Takes the run's folder: its lock, its checkpoint when resuming (what an earlier attempt left
 * is cleared otherwise) and its log. The exit code when that fails, said in one line for the
 * runner: {@link BUSY_EXIT} when another live process holds the folder (nothing in it is
 * touched), 1 otherwise.
 */
async function openRun(
  args: WorkerArgs,
): Promise<{ checkpoint: Checkpoint | undefined; log: (line: string) => void } | number> {
  const { dir } = args;
  let checkpoint: Checkpoint | undefined;
  let earlier: boolean;
  let log: (line: string) => void;
  try {
    // Held until this process ends, however it ends: a second worker on the same run (say, one
    // left running by a runner that was killed alone) is refused instead of interleaving writes.
    await acquireLock(dir);
    await removeStaleTemps(dir);
    checkpoint = args.resume ? await loadCheckpoint(join(dir, RUN_FILES.checkpoint)) : undefined;
    earlier = await Deno.lstat(join(dir, RUN_FILES.log)).then(() => true, () => false);
    if (checkpoint === undefined) await clearRun(dir);
    log = openLog(dir);
  } catch (e) {
    // Before the log is open: one line for the runner, which adds it to the run's report.
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof FolderInUseError) {
      console.error(`run ${args.run} failed: ${message}`);
      return BUSY_EXIT;
    }
    if (isDiskFull(e)) await removeStaleTemps(dir).catch(() => {});
    console.error(
      `run ${args.run} failed: ` +
        (isDiskFull(e) ? diskFullMessage(dir, message) : `cannot start it in ${dir}: ${message}`),
    );
    return 1;
  }
  if (earlier) {
    log(
      checkpoint === undefined
        ? "starting from the beginning: no checkpoint of an earlier attempt (its lines are above)"
        : `continuing an earlier attempt from its checkpoint at iteration ${checkpoint.state.iteration}`,
    );
  }
  return { checkpoint, log };
}

/** The run as the experiment file gives it now, checked against the runner's and checkpoint's. */
interface CheckedRun {
  experiment: Experiment;
  run: Run;
  identity: RunIdentity;
  /** The manifest of the attempt the checkpoint comes from. */
  previous: Manifest | undefined;
  /** Whether the checkpoint was written by another commit (allowed by `--allow-mixed`). */
  mixed: boolean;
  /** The iterations the checkpoint's run was made for, when this attempt gives it more. */
  lengthenedFrom?: number;
}

/**
 * Loads the run from the experiment file and refuses to go on when its config changed since the
 * runner started, or the checkpoint belongs to another config or (without `--allow-mixed`) to
 * another commit of the code.
 */
async function checkRun(
  args: WorkerArgs,
  checkpoint: Checkpoint | undefined,
): Promise<CheckedRun> {
  const { dir } = args;
  const experiment = await withBackend(await loadExperiment(args.experiment), args.backend);
  const run = expandRuns(experiment).find((r) => r.id === args.run);
  if (run === undefined) throw new Error(`experiment ${args.experiment} has no run ${args.run}`);
  const identity = await runIdentity(experiment.config, run);
  if (identity.hash !== args.configHash) {
    throw new Error(
      `the config of run ${args.run} changed since the runner started (was the file edited?)`,
    );
  }
  const previous = checkpoint === undefined ? undefined : await readManifest(dir);
  const same = checkpoint === undefined ||
    await checkpointOfRun(checkpoint.configHash, identity, previous);
  // A checkpoint of a shorter run of this config (also one whose lengthening was interrupted).
  const lengthenedFrom = same || previous === undefined
    ? undefined
    : await checkpointLength(checkpoint.configHash, identity.config, previous);
  if (!same && lengthenedFrom === undefined) {
    throw new Error(
      `the checkpoint in ${dir} belongs to another config; remove the folder to start over`,
    );
  }
  const made = mixedCommit(checkpoint, previous, args.git);
  if (made !== undefined && args.allowMixed !== true) {
    throw new Error(mixedMessage(dir, made, args.git));
  }
  return {
    experiment,
    run,
    identity,
    previous,
    mixed: made !== undefined,
    ...(lengthenedFrom !== undefined && { lengthenedFrom }),
  };
}

/**
 * The manifest of this attempt, running: the earlier attempts' records followed by its own,
 * and the warnings of the iterations its checkpoint kept.
 */
function attemptManifest(
  args: WorkerArgs,
  checked: CheckedRun,
  checkpoint: Checkpoint | undefined,
  backend: BackendInfo,
  lock: string | null,
): Manifest {
  const { previous, mixed, lengthenedFrom } = checked;
  const now = new Date().toISOString();
  const { config } = checked.identity;
  const manifest: Manifest = {
    experiment: checked.experiment.config.name,
    run: args.run,
    experiment_hash: checked.experiment.hash,
    config_hash: checked.identity.hash,
    config,
    seed: config.seed,
    status: "running",
    started: previous?.started ?? now,
    resumed: previous === undefined ? [] : [...previous.resumed, now],
    ended: null,
    git: args.git,
    deno: Deno.version,
    tfjs: {
      version: backend.tfjsVersion,
      backend_requested: backend.requested,
      backend: backend.name,
    },
    compute: { backend: backend.name, version: backend.version, threads: backend.threads },
    lock_hash: lock,
    cores: navigator.hardwareConcurrency,
  };
  manifest.attempts = [
    ...(previous?.attempts ??
      (previous === undefined ? [] : [{ started: previous.started, git: previous.git }])),
    {
      started: manifest.resumed.at(-1) ?? manifest.started,
      git: args.git,
      ...(checkpoint !== undefined && { from_iteration: checkpoint.state.iteration }),
      ...(mixed && { mixed: true }),
      ...(lengthenedFrom !== undefined && { lengthened_from: lengthenedFrom }),
    },
  ];
  // Warnings of iterations after the checkpoint are said again when those iterations rerun.
  const kept = previous?.warnings?.filter((w) => w.iteration <= checkpoint!.state.iteration);
  if (kept !== undefined && kept.length > 0) manifest.warnings = kept;
  return manifest;
}

/** Trains the run's learner, or evaluates its classic baseline (returning what tuning chose). */
async function work(ctx: RunContext): Promise<Record<string, unknown> | undefined> {
  const agent = ctx.run.agentConfig;
  const learner = findLearner(agent.kind);
  if (learner === undefined) return await evaluateBaseline(ctx, agent as ClassicAgentConfig);
  await train(ctx, learner, agent as LearnerAgentConfig);
  return undefined;
}

/**
 * Says why the run failed: in its log (with the stack of an unexpected error), in one line for
 * the runner, and in its manifest when it has one.
 */
async function reportFailure(
  args: WorkerArgs,
  e: unknown,
  log: (line: string) => void,
  manifest: Manifest | undefined,
): Promise<void> {
  const { dir } = args;
  const message = e instanceof Error ? e.message : String(e);
  const full = isDiskFull(e);
  // Whatever the disk full interrupted leaves no temporary file (and frees their space).
  if (full) await removeStaleTemps(dir).catch(() => {});
  const error = full ? diskFullMessage(dir, message) : message;
  // An expected failure is said in one line; anything else with its stack, for a bug report.
  const expected = e instanceof NonFiniteError || full;
  log(`failed: ${expected || !(e instanceof Error) ? error : e.stack ?? e.message}`);
  // The runner shows this line; the stack, if any, is in the log only.
  console.error(`run ${args.run} failed: ${error}`);
  if (manifest !== undefined) {
    const failed: Manifest = { ...manifest, status: "failed", error, ended: nowIso() };
    await writeFinalManifest(dir, failed).catch((w) =>
      console.error(
        `cannot mark ${join(dir, RUN_FILES.manifest)} failed: ${
          w instanceof Error ? w.message : w
        }`,
      )
    );
  }
}

/** Runs one run to its end; returns the process exit code. */
export async function runWorker(args: WorkerArgs): Promise<number> {
  const { dir } = args;
  const opened = await openRun(args);
  if (typeof opened === "number") return opened;
  const { checkpoint, log } = opened;
  let manifest: Manifest | undefined;
  try {
    const checked = await checkRun(args, checkpoint);
    const { experiment, identity } = checked;
    const backend = await initBackend(experiment.config.backend, {
      threads: args.threads,
      warn: (line) => (log(line), emit({ event: "note", text: line })),
    });
    manifest = attemptManifest(args, checked, checkpoint, backend, await lockHash());
    await writeManifest(dir, manifest);
    log(
      `run ${args.run} of ${experiment.config.name}: config ${identity.hash}, backend ${backend.name}` +
        (checkpoint === undefined ? "" : `, resumed at iteration ${checkpoint.state.iteration}`),
    );
    const tuned = await work({
      experiment: experiment.config,
      run: checked.run,
      dir,
      configHash: identity.hash,
      checkpointEvery: experiment.config.checkpoint_every,
      checkpoint,
      stallLimit: experiment.config.no_update_warning,
      git: args.git,
      log,
      warn: async (iteration, message) => {
        log(`warning at iteration ${iteration}: ${message}`);
        emit({ event: "warning", iteration, message });
        const warnings = [...(manifest!.warnings ?? []), { iteration, message }];
        manifest = { ...manifest!, warnings };
        await writeManifest(dir, manifest);
      },
    });
    await writeManifest(dir, {
      ...manifest,
      status: "done",
      ended: new Date().toISOString(),
      ...(tuned !== undefined && { tuned }),
    });
    log("done");
    emit({ event: "done" });
    return 0;
  } catch (e) {
    await reportFailure(args, e, log, manifest);
    return 1;
  }
}

function nowIso(): string {
  return new Date().toISOString();
}

if (import.meta.main) {
  Deno.exit(await runWorker(parseWorkerArgs(Deno.args)));
}
