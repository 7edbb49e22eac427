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
import { Learner } from "../../learners/train.ts";
import type { LearnerAgentConfig, LearnerSpec } from "../../learners/learner.ts";
import { findLearner } from "../../learners/registry.ts";
import { createFamily } from "../../envs/registry.ts";
import { findBaseline } from "../../baselines/registry.ts";
import { evaluateTrialAgent } from "../../baselines/evaluate.ts";
import { tuneBaseline } from "../../baselines/tune.ts";
import { loadExperiment } from "../../experiment/load.ts";
import { expandRuns, type Run } from "../../experiment/expand.ts";
import type { ClassicAgentConfig, ExperimentConfig } from "../../experiment/schema.ts";
import { canonicalJson } from "../../canonical.ts";
import { removeStaleTemps, writeFileAtomic } from "./atomic.ts";
import {
  checkIteration,
  checkReturns,
  NonFiniteError,
  relativeChange,
  StallWatch,
} from "./health.ts";
import { acquireLock } from "./lock.ts";
import { openNoFollowSync } from "./nofollow.ts";
import { isDiskFull } from "./disk.ts";
import { type Checkpoint, loadCheckpoint, saveCheckpoint } from "./checkpoint.ts";
import {
  ADAPTATION_COLUMNS,
  adaptationRows,
  type CsvRow,
  EVAL_COLUMNS,
  evalRows,
  formatCsv,
  PROGRESS_COLUMNS,
  progressRow,
  tuningTable,
} from "./csv.ts";
import {
  type GitState,
  lockHash,
  type Manifest,
  readManifest,
  RUN_FILES,
  runIdentity,
  withBackend,
  writeFinalManifest,
  writeManifest,
} from "./manifest.ts";
import { formatEvent, type WorkerEvent } from "./progress.ts";
import { evaluationTasks } from "../../experiment/evaluation.ts";
import { mean } from "../../analysis/summary.ts";

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

/** Everything one run's execution needs. */
interface RunContext {
  experiment: ExperimentConfig;
  run: Run;
  dir: string;
  configHash: string;
  checkpointEvery: number;
  checkpoint: Checkpoint | undefined;
  /** Iterations without an accepted update before a warning. */
  stallLimit: number;
  /** The code running this attempt, recorded in its checkpoints. */
  git: GitState | null;
  log: (line: string) => void;
  /** Says a warning in log.txt, on the runner's progress line and in the manifest. */
  warn: (iteration: number, message: string) => Promise<void>;
}

function emit(event: WorkerEvent): void {
  console.log(formatEvent(event));
}

async function writeCsv(dir: string, file: string, columns: readonly string[], rows: CsvRow[]) {
  await writeFileAtomic(join(dir, file), formatCsv(columns, rows));
}

/** Trains an agent of a learner, evaluating and checkpointing on the way. */
async function train(ctx: RunContext, spec: LearnerSpec, config: LearnerAgentConfig) {
  const { experiment, run, dir, log } = ctx;
  const { evaluation } = experiment;
  const family = createFamily(experiment.task);
  const tasks = evaluationTasks(family, evaluation);
  const total = config.sampling.iterations;
  const learner = new Learner(
    family,
    experiment.task.episodes,
    spec,
    config,
    run.seed,
    ctx.checkpoint?.state,
  );
  const progress = ctx.checkpoint?.progress ?? [];
  const evals = ctx.checkpoint?.eval ?? [];
  const adaptation = ctx.checkpoint?.adaptation ?? [];
  let seconds = ctx.checkpoint?.seconds ?? 0;

  const streak = ctx.checkpoint?.stallStreak;
  const stalls = streak === undefined
    ? StallWatch.resume(ctx.stallLimit, progress, spec.stallSettings)
    : new StallWatch(ctx.stallLimit, streak, spec.stallSettings);

  const evaluate = () => {
    const i = learner.state.iteration;
    const { trialReturns: returns, episodeReturns } = learner.evaluate(
      tasks,
      evaluation.seed,
      evaluation.greedy,
    );
    checkReturns(i, returns);
    // One row at a time: a spread of millions of rows would overflow the call stack.
    for (const row of evalRows(i, returns)) evals.push(row);
    adaptation.push(...adaptationRows(i, episodeReturns, experiment.task.episodes));
    const average = mean(returns);
    log(`evaluation at iteration ${i}: mean return ${average} on ${tasks.length} tasks`);
    emit({ event: "evaluation", iteration: i, mean: average });
  };

  emit({ event: "start", iteration: learner.state.iteration, total });
  if (learner.state.iteration === 0 && evaluation.every > 0) evaluate();
  while (learner.state.iteration < total) {
    const start = performance.now();
    const before = learner.state.policy.slice();
    const measured = learner.iterate();
    seconds += (performance.now() - start) / 1000;
    const change = relativeChange(before, learner.state.policy);
    const i = measured.iteration;
    // A KL cannot be negative: a measured one below 0 is float rounding of a step near 0.
    const step = measured.kl < 0 ? { ...measured, kl: 0 } : measured;
    if (measured.kl < 0) {
      log(
        `iteration ${i}: the measured KL ${measured.kl} is below 0 (float rounding of a step ` +
          "near 0); reported as 0",
      );
    }
    log(
      `iteration ${i}/${total}: timesteps ${step.timesteps}, return ${step.returnMean}, ` +
        `kl ${step.kl}, entropy ${step.entropy}, line search ${step.lineSearchSteps}`,
    );
    checkIteration(step, learner.state);
    progress.push(progressRow(step, seconds));
    const stall = stalls.observe({ ...step, change });
    if (stall !== undefined) await ctx.warn(i, stall);
    emit({
      event: "iteration",
      iteration: i,
      total,
      timesteps: step.timesteps,
      return: step.returnMean,
    });
    const evaluated = i === total || (evaluation.every > 0 && i % evaluation.every === 0);
    if (evaluated) evaluate();
    if (i === total || i % ctx.checkpointEvery === 0) {
      await saveCheckpoint(join(dir, RUN_FILES.checkpoint), {
        configHash: ctx.configHash,
        state: learner.state,
        seconds,
        progress,
        eval: evals,
        adaptation,
        stallStreak: stalls.streak,
        git: ctx.git,
      });
    }
    await writeCsv(dir, RUN_FILES.progress, PROGRESS_COLUMNS, progress);
    if (evaluated) await writeEvaluations(dir, evals, adaptation);
  }
  // A run resumed from its final checkpoint still rewrites its CSVs.
  await writeCsv(dir, RUN_FILES.progress, PROGRESS_COLUMNS, progress);
  await writeEvaluations(dir, evals, adaptation);
}

/** Writes `eval.csv` and `adaptation.csv` (the latter only when it has rows). */
async function writeEvaluations(dir: string, evals: CsvRow[], adaptation: CsvRow[]) {
  await writeCsv(dir, RUN_FILES.eval, EVAL_COLUMNS, evals);
  if (adaptation.length > 0) {
    await writeCsv(dir, RUN_FILES.adaptation, ADAPTATION_COLUMNS, adaptation);
  }
}

/**
 * Evaluates a classic baseline: no training, one evaluation at iteration 0. A baseline with a
 * `grid` is first tuned on its tuning tasks (apart from the held-out ones), every point scored
 * with the run's own random stream; the scores go to `tuning.csv` and the chosen
 * hyperparameters are returned for the manifest.
 */
async function evaluateBaseline(
  ctx: RunContext,
  agent: ClassicAgentConfig,
): Promise<Record<string, unknown> | undefined> {
  const { experiment, run, dir, log } = ctx;
  const { task, evaluation } = experiment;
  const spec = findBaseline(agent.kind, task.kind);
  if (spec === undefined) throw new Error(`no baseline "${agent.kind}" for ${task.kind} tasks`);
  const { kind: _, grid, tuning, ...fixed } = agent;
  const family = createFamily(task);
  emit({ event: "start", iteration: 0, total: 0 });
  let params = spec.params.parse(fixed) as Record<string, unknown>;
  let tuned: Record<string, unknown> | undefined;
  if (grid !== undefined && Object.keys(grid).length > 0 && tuning !== undefined) {
    const result = tuneBaseline({
      spec,
      family,
      episodes: task.episodes,
      params,
      grid,
      tuning,
      evaluationSeed: evaluation.seed,
      stream: run.seed,
      onScore: (score, i, total) => {
        log(
          `tuning ${i + 1}/${total}: ${canonicalJson(score.point)} scores ${score.mean} ` +
            `on ${tuning.tasks} tuning tasks`,
        );
        emit({ event: "tuning", point: i + 1, total, mean: score.mean });
      },
    });
    const table = tuningTable(result);
    await writeCsv(dir, RUN_FILES.tuning, table.columns, table.rows);
    params = { ...result.best };
    tuned = { ...result.scores[result.chosen]!.point };
    log(`tuning chose ${canonicalJson(tuned)}`);
  }
  const tasks = evaluationTasks(family, evaluation);
  const agentImpl = spec.create(params, family, task.episodes);
  const episodeReturns = new Float64Array(tasks.length * task.episodes);
  const returns = evaluateTrialAgent(
    family,
    agentImpl,
    tasks,
    task.episodes,
    evaluation.seed,
    run.seed,
    episodeReturns,
  );
  checkReturns(0, returns);
  const average = mean(returns);
  log(`evaluation of ${agent.kind} with ${canonicalJson(params)}: mean return ${average}`);
  emit({ event: "evaluation", iteration: 0, mean: average });
  await writeEvaluations(
    dir,
    evalRows(0, returns),
    adaptationRows(0, episodeReturns, task.episodes),
  );
  return tuned;
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

function manifestFor(
  args: WorkerArgs,
  experiment: { config: ExperimentConfig; hash: string },
  identity: Awaited<ReturnType<typeof runIdentity>>,
  backend: BackendInfo,
  lock: string | null,
  previous: Manifest | undefined,
): Manifest {
  const now = new Date().toISOString();
  return {
    experiment: experiment.config.name,
    run: args.run,
    experiment_hash: experiment.hash,
    config_hash: identity.hash,
    config: identity.config,
    seed: identity.config.seed,
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
}

/** Runs one run to its end; returns the process exit code. */
export async function runWorker(args: WorkerArgs): Promise<number> {
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
    if (isDiskFull(e)) await removeStaleTemps(dir).catch(() => {});
    console.error(
      `run ${args.run} failed: ` +
        (isDiskFull(e)
          ? `no space left on the device of ${dir} (${message}); free some space (or run with ` +
            "another --out), then continue with --resume"
          : `cannot start it in ${dir}: ${message}`),
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
  let manifest: Manifest | undefined;
  try {
    const experiment = await withBackend(await loadExperiment(args.experiment), args.backend);
    const run = expandRuns(experiment).find((r) => r.id === args.run);
    if (run === undefined) throw new Error(`experiment ${args.experiment} has no run ${args.run}`);
    const identity = await runIdentity(experiment.config, run);
    if (identity.hash !== args.configHash) {
      throw new Error(
        `the config of run ${args.run} changed since the runner started (was the file edited?)`,
      );
    }
    if (checkpoint !== undefined && checkpoint.configHash !== identity.hash) {
      throw new Error(
        `the checkpoint in ${dir} belongs to another config; remove the folder to start over`,
      );
    }
    const previous = checkpoint === undefined ? undefined : await readManifest(dir);
    const made = checkpoint === undefined ? undefined : checkpoint.git ?? previous?.git;
    const mixed = made !== undefined && made !== null && args.git !== null &&
      made.commit !== args.git.commit;
    if (mixed && args.allowMixed !== true) {
      throw new Error(
        `the checkpoint in ${dir} was written by commit ${made.commit}, this is commit ` +
          `${args.git!.commit}: continuing would mix two versions of the code in one run; ` +
          `check out ${made.commit.slice(0, 12)} to continue it, remove ${dir} to start it over, ` +
          "or pass --allow-mixed to continue with this code (recorded in its manifest)",
      );
    }
    const backend = await initBackend(experiment.config.backend, {
      threads: args.threads,
      warn: (line) => (log(line), emit({ event: "note", text: line })),
    });
    manifest = manifestFor(args, experiment, identity, backend, await lockHash(), previous);
    manifest.attempts = [
      ...(previous?.attempts ??
        (previous === undefined ? [] : [{ started: previous.started, git: previous.git }])),
      {
        started: manifest.resumed.at(-1) ?? manifest.started,
        git: args.git,
        ...(checkpoint !== undefined && { from_iteration: checkpoint.state.iteration }),
        ...(mixed && { mixed: true }),
      },
    ];
    // Warnings of iterations after the checkpoint are said again when those iterations rerun.
    const kept = previous?.warnings?.filter((w) => w.iteration <= checkpoint!.state.iteration);
    if (kept !== undefined && kept.length > 0) manifest.warnings = kept;
    await writeManifest(dir, manifest);
    log(
      `run ${args.run} of ${experiment.config.name}: config ${identity.hash}, backend ${backend.name}` +
        (checkpoint === undefined ? "" : `, resumed at iteration ${checkpoint.state.iteration}`),
    );
    const ctx: RunContext = {
      experiment: experiment.config,
      run,
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
    };
    const agent = run.agentConfig;
    let tuned: Record<string, unknown> | undefined;
    const learner = findLearner(agent.kind);
    if (learner !== undefined) await train(ctx, learner, agent as LearnerAgentConfig);
    else tuned = await evaluateBaseline(ctx, agent as ClassicAgentConfig);
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
    const message = e instanceof Error ? e.message : String(e);
    const full = isDiskFull(e);
    // Whatever the disk full interrupted leaves no temporary file (and frees their space).
    if (full) await removeStaleTemps(dir).catch(() => {});
    const error = full
      ? `no space left on the device of ${dir} (${message}); free some space (or run with ` +
        "another --out), then continue with --resume"
      : message;
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
    return 1;
  }
}

function nowIso(): string {
  return new Date().toISOString();
}

if (import.meta.main) {
  Deno.exit(await runWorker(parseWorkerArgs(Deno.args)));
}
