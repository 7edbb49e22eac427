/**
 * What a worker does inside one run: train an agent of a learner (evaluating, checkpointing and
 * watching its health on the way) or evaluate a classic baseline (tuned first on its tuning
 * tasks when it has a grid), writing the run's CSVs. The worker process around it
 * (`worker.ts`) reads its arguments, keeps the manifest and the lock, and reports failures.
 *
 * @module
 */
import { join } from "node:path";
import { Learner } from "../../learners/train.ts";
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
import { type GitState, RUN_FILES } from "./manifest.ts";
import { formatEvent, type WorkerEvent } from "./progress.ts";

/** Everything one run's execution needs. */
export interface RunContext {
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

export function emit(event: WorkerEvent): void {
  console.log(formatEvent(event));
}

async function writeCsv(dir: string, file: string, columns: readonly string[], rows: CsvRow[]) {
  await writeFileAtomic(join(dir, file), formatCsv(columns, rows));
}

/** Trains an agent of a learner, evaluating and checkpointing on the way. */
export async function train(ctx: RunContext, spec: LearnerSpec, config: LearnerAgentConfig) {
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
  log(`evaluation of ${agent.kind} with ${canonicalJson(params)}: mean return ${average}`);
  emit({ event: "evaluation", iteration: 0, mean: average });
  await writeEvaluations(
    dir,
    evalRows(0, returns),
    adaptationRows(0, episodeReturns, task.episodes),
  );
  return tuned;
}
