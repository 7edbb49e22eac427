/**
 * What a worker does inside one run: train an agent of a learner (evaluating, checkpointing and
 * watching its health on the way) or evaluate a classic baseline (tuned first on its tuning
 * tasks when it has a grid), writing the run's CSVs. The worker process around it
 * (`worker.ts`) reads its arguments, keeps the manifest and the lock, and reports failures.
 *
 * @module
 */
import { join } from "node:path";
import { type IterationLog, Trainer } from "../../learners/train.ts";
import type { LearnerAgentConfig, LearnerSpec } from "../../learners/learner.ts";
import { createFamily } from "../../envs/registry.ts";
import { findBaseline } from "../../baselines/registry.ts";
import { evaluateTrialAgent } from "../../baselines/evaluate.ts";
import { tuneBaseline } from "../../baselines/tune.ts";
import type { Run } from "../../experiment/expand.ts";
import type { ClassicAgentConfig, ExperimentConfig } from "../../experiment/schema.ts";
import { evaluationTasks } from "../../experiment/evaluation.ts";
import { canonicalJson } from "../../canonical.ts";
import { mean } from "../../analysis/summary.ts";
import { writeFileAtomic } from "./atomic.ts";
import { checkIteration, checkReturns, relativeChange, StallWatch } from "./health.ts";
import { type Checkpoint, saveCheckpoint } from "./checkpoint.ts";
import { checkResumable } from "./resume_check.ts";
import {
  ADAPTATION_COLUMNS,
  adaptationRows,
  type CsvRow,
  EVAL_COLUMNS,
  evalRows,
  formatCsv,
  progressColumns,
  progressRow,
  relayRows,
  tuningTable,
  UNRECORDED_PROGRESS_COLUMNS,
} from "./csv.ts";
import { type GitState, RUN_FILES } from "./manifest.ts";
import { formatEvent, formatReturn, type WorkerEvent } from "./progress.ts";

/** Everything one run's execution needs. */
export interface RunContext {
  /** The resolved experiment. */
  experiment: ExperimentConfig;
  /** The run in it. */
  run: Run;
  /** The run's results folder. */
  dir: string;
  /** The run config's hash, recorded in its checkpoints. */
  configHash: string;
  /** Iterations between checkpoints. */
  checkpointEvery: number;
  /** The checkpoint the run continues from, if any. */
  checkpoint: Checkpoint | undefined;
  /** Iterations without an accepted update before a warning. */
  stallLimit: number;
  /** The code running this attempt, recorded in its checkpoints. */
  git: GitState | null;
  /** Appends a line to log.txt. */
  log: (line: string) => void;
  /** Says a warning in log.txt, on the runner's progress line and in the manifest. */
  warn: (iteration: number, message: string) => Promise<void>;
}

/** Tells the runner of an event: one JSON line on stdout. */
export function emit(event: WorkerEvent): void {
  console.log(formatEvent(event));
}

async function writeCsv(dir: string, file: string, columns: readonly string[], rows: CsvRow[]) {
  await writeFileAtomic(join(dir, file), formatCsv(columns, rows));
}

/** What a run has measured so far: its CSVs' rows and its training time. */
interface RunRecords {
  /** The learner's own diagnostics, the columns of `progress.csv` after the shared ones. */
  diagnostics: readonly string[];
  /** `progress.csv` rows. */
  progress: CsvRow[];
  /** `eval.csv` rows. */
  evals: CsvRow[];
  /** `adaptation.csv` rows. */
  adaptation: CsvRow[];
  /** Training wall-clock seconds. */
  seconds: number;
}

/** Evaluates the trainer's agent on the evaluation tasks and records the returns. */
function evaluateLearner(
  ctx: RunContext,
  trainer: Trainer,
  tasks: readonly unknown[],
  records: RunRecords,
): void {
  const { evaluation, task } = ctx.experiment;
  const i = trainer.state.iteration;
  const { trialReturns: returns, episodeReturns } = trainer.evaluate(tasks, evaluation);
  checkReturns(i, returns);
  // One row at a time: a spread of millions of rows would overflow the call stack.
  for (const row of evalRows(i, returns)) records.evals.push(row);
  records.adaptation.push(...adaptationRows(i, episodeReturns, task.episodes));
  const average = mean(returns);
  ctx.log(
    `evaluation at iteration ${i}: mean return ${formatReturn(average)} on ${tasks.length} tasks`,
  );
  emit({ event: "evaluation", iteration: i, mean: average });
}

/**
 * Records an iteration the learner measured: logs it, checks its health, adds its progress
 * row, warns of a stall and reports it to the runner.
 */
async function recordIteration(
  ctx: RunContext,
  trainer: Trainer,
  measured: IterationLog,
  change: number,
  records: RunRecords,
  stalls: StallWatch,
): Promise<void> {
  const { log } = ctx;
  const total = trainer.config.sampling.iterations;
  const i = measured.iteration;
  // A KL cannot be negative: a measured one below 0 is float rounding of a step near 0.
  const step = measured.kl < 0 ? { ...measured, kl: 0 } : measured;
  if (measured.kl < 0) {
    log(
      `iteration ${i}: the measured KL ${measured.kl} is below 0 (float rounding of a step ` +
        "near 0); reported as 0",
    );
  }
  const own = records.diagnostics.map((name) =>
    `, ${name.replaceAll("_", " ")} ${step.diagnostics[name]?.toPrecision(4)}`
  );
  log(
    `iteration ${i}/${total}: timesteps ${step.timesteps}, ` +
      `return ${formatReturn(step.returnMean)}, kl ${step.kl.toPrecision(4)}, ` +
      `entropy ${step.entropy.toFixed(4)}${own.join("")}`,
  );
  checkIteration(step, trainer.state);
  records.progress.push(progressRow(step, records.diagnostics, records.seconds));
  const stall = stalls.observe({ ...step, change });
  if (stall !== undefined) await ctx.warn(i, stall);
  emit({
    event: "iteration",
    iteration: i,
    total,
    timesteps: step.timesteps,
    return: step.returnMean,
  });
}

/** Saves the trainer's state and the records so far in the run's checkpoint. */
async function checkpointRun(
  ctx: RunContext,
  trainer: Trainer,
  records: RunRecords,
  stalls: StallWatch,
): Promise<void> {
  await saveCheckpoint(join(ctx.dir, RUN_FILES.checkpoint), {
    configHash: ctx.configHash,
    state: trainer.state,
    seconds: records.seconds,
    progress: records.progress,
    progressColumns: progressColumns(records.diagnostics),
    eval: records.evals,
    adaptation: records.adaptation,
    stallStreak: stalls.streak,
    git: ctx.git,
  });
}

/** Trains an agent of a learner, evaluating and checkpointing on the way. */
export async function train(ctx: RunContext, spec: LearnerSpec, config: LearnerAgentConfig) {
  const { experiment, run, dir } = ctx;
  const { evaluation } = experiment;
  const family = createFamily(experiment.task);
  const tasks = evaluationTasks(family, evaluation);
  const total = config.sampling.iterations;
  const { checkpoint } = ctx;
  const trainer = new Trainer(family, experiment.task.episodes, spec, config, run.seed);
  // An evaluation lies on the schedule: every `every` iterations and at the end. A run trained on
  // past its old end drops the evaluations there that the new schedule does not make.
  const evaluated = (i: number) =>
    i === total || (evaluation.every > 0 && i % evaluation.every === 0);
  if (checkpoint !== undefined) {
    const path = join(dir, RUN_FILES.checkpoint);
    checkResumable(path, checkpoint, trainer.state, total, evaluated);
    trainer.state = checkpoint.state;
  }
  const scheduled = (rows: CsvRow[] | undefined) =>
    (rows ?? []).filter((row) => evaluated(Number(row[0])));
  // Rows a checkpoint holds in other columns (an older layout) are laid out in the learner's.
  const columns = progressColumns(spec.diagnostics);
  const from = checkpoint?.progressColumns ?? UNRECORDED_PROGRESS_COLUMNS;
  const records: RunRecords = {
    diagnostics: spec.diagnostics,
    progress: relayRows(checkpoint?.progress ?? [], from, columns),
    evals: scheduled(checkpoint?.eval),
    adaptation: scheduled(checkpoint?.adaptation),
    seconds: checkpoint?.seconds ?? 0,
  };
  const streak = checkpoint?.stallStreak;
  const stalls = streak === undefined
    ? StallWatch.resume(ctx.stallLimit, records.progress, spec.stallSettings)
    : new StallWatch(ctx.stallLimit, streak, spec.stallSettings);

  emit({ event: "start", iteration: trainer.state.iteration, total });
  if (trainer.state.iteration === 0 && evaluated(0)) evaluateLearner(ctx, trainer, tasks, records);
  while (trainer.state.iteration < total) {
    const start = performance.now();
    const before = trainer.state.policy.slice();
    const measured = trainer.iterate();
    records.seconds += (performance.now() - start) / 1000;
    const change = relativeChange(before, trainer.state.policy);
    await recordIteration(ctx, trainer, measured, change, records, stalls);
    const i = measured.iteration;
    if (evaluated(i)) evaluateLearner(ctx, trainer, tasks, records);
    if (i === total || i % ctx.checkpointEvery === 0) {
      await checkpointRun(ctx, trainer, records, stalls);
    }
    await writeCsv(dir, RUN_FILES.progress, columns, records.progress);
    if (evaluated(i)) await writeEvaluations(dir, records.evals, records.adaptation);
  }
  // A run resumed from its final checkpoint still rewrites its CSVs.
  await writeCsv(dir, RUN_FILES.progress, columns, records.progress);
  await writeEvaluations(dir, records.evals, records.adaptation);
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
export async function evaluateBaseline(
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
  log(
    `evaluation of ${agent.kind} with ${canonicalJson(params)}: ` +
      `mean return ${formatReturn(average)}`,
  );
  emit({ event: "evaluation", iteration: 0, mean: average });
  await writeEvaluations(
    dir,
    evalRows(0, returns),
    adaptationRows(0, episodeReturns, task.episodes),
  );
  return tuned;
}
