/**
 * Reading a run's CSVs and checking that the run is complete: every training iteration in
 * `progress.csv`, every evaluation point that the experiment's `evaluation.every` implies in
 * `eval.csv`, each with every task, and every return within the bounds its task family
 * states. Used by `compare`, `merge` and `reproduce --table-only`, so that an incomplete or
 * corrupt run is named (file, line, what is missing) instead of silently reported short.
 *
 * @module
 */
import { join } from "node:path";
import type {
  EvaluationPoint,
  RunResults,
  TrainingPoint,
} from "../../analysis/comparison_types.ts";
import type { Run } from "../../experiment/expand.ts";
import { type ExperimentConfig, isClassicAgent } from "../../experiment/schema.ts";
import { returnBounds } from "../../envs/registry.ts";
import { ADAPTATION_COLUMNS, type CsvTable, EVAL_COLUMNS, parseCsv } from "./csv.ts";
import { RUN_FILES } from "./manifest.ts";
import { readTextNoFollow } from "./read_nofollow.ts";

/** Reads a results file: its text, or undefined when there is no such file. */
export type ReadText = (path: string) => Promise<string | undefined>;

/**
 * A file's text, or undefined when there is no such file; never through a symbolic link
 * ({@link readTextNoFollow}).
 */
export function readText(path: string): Promise<string | undefined> {
  return readTextNoFollow(path);
}

/** A finite number from a CSV cell, within `bounds` when given. */
function numberAt(
  table: CsvTable,
  row: number,
  column: number,
  file: string,
  bounds?: readonly [number, number],
): number {
  const text = table.rows[row]?.[column] ?? "";
  const value = Number(text);
  const where = `${file} line ${row + 2}, column ${table.columns[column]}`;
  if (text.trim() === "" || !Number.isFinite(value)) {
    throw new Error(`${where}: expected a finite number, got "${text}"`);
  }
  if (bounds !== undefined && (value < bounds[0] || value > bounds[1])) {
    throw new Error(
      `${where}: ${text} is outside [${bounds[0]}, ${bounds[1]}], the returns the task can give`,
    );
  }
  return value;
}

function columnIndex(table: CsvTable, column: string, file: string): number {
  const i = table.columns.indexOf(column);
  if (i < 0) throw new Error(`${file} has no column "${column}" (has ${table.columns.join(", ")})`);
  return i;
}

async function readCsvFile(file: string, read: ReadText): Promise<CsvTable> {
  const text = await read(file);
  if (text === undefined) throw new Error(`${file} is missing`);
  try {
    // A byte-order mark (some editors and spreadsheets write one) is not part of the header.
    return parseCsv(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new Error(`${file}: ${e instanceof Error ? e.message : e}`);
  }
}

/** Training timesteps and seconds done after each iteration (and before the first). */
type TrainingTimes = Map<number, { timesteps: number; seconds: number }>;

/** progress.csv: the training curve and the timesteps and seconds after each iteration. */
async function readProgress(
  file: string,
  bounds: readonly [number, number] | undefined,
  read: ReadText,
): Promise<{ training: TrainingPoint[]; times: TrainingTimes }> {
  const table = await readCsvFile(file, read);
  const [it, ts, ret, sec] = ["iteration", "timesteps", "return_mean", "seconds"].map((c) =>
    columnIndex(table, c, file)
  ) as [number, number, number, number];
  const training: TrainingPoint[] = [];
  const times: TrainingTimes = new Map([[0, { timesteps: 0, seconds: 0 }]]);
  table.rows.forEach((_, r) => {
    const point = {
      timesteps: numberAt(table, r, ts, file),
      returnMean: numberAt(table, r, ret, file, bounds),
    };
    training.push(point);
    const iteration = numberAt(table, r, it, file);
    if (iteration !== r + 1) {
      throw new Error(
        `${file} line ${r + 2}: iteration ${iteration} where iteration ${r + 1} was expected ` +
          "(rows missing or out of order)",
      );
    }
    times.set(iteration, { timesteps: point.timesteps, seconds: numberAt(table, r, sec, file) });
  });
  return { training, times };
}

/** eval.csv: the returns of every evaluation task at every evaluation point. */
async function readEvaluations(
  file: string,
  tasks: number,
  times: TrainingTimes,
  bounds: readonly [number, number] | undefined,
  read: ReadText,
): Promise<EvaluationPoint[]> {
  const table = await readCsvFile(file, read);
  if (table.columns.join() !== EVAL_COLUMNS.join()) {
    throw new Error(`${file} has columns ${table.columns.join(",")}; expected ${EVAL_COLUMNS}`);
  }
  const byIteration = new Map<number, Float64Array>();
  table.rows.forEach((_, r) => {
    const iteration = numberAt(table, r, 0, file);
    const task = numberAt(table, r, 1, file);
    if (!Number.isInteger(task) || task < 0 || task >= tasks) {
      throw new Error(
        `${file} line ${r + 2}: task ${task} is not one of the ${tasks} evaluation tasks`,
      );
    }
    let returns = byIteration.get(iteration);
    if (returns === undefined) {
      byIteration.set(iteration, returns = new Float64Array(tasks).fill(NaN));
    }
    if (!Number.isNaN(returns[task]!)) {
      throw new Error(
        `${file} line ${r + 2}: task ${task} appears twice at iteration ${iteration}`,
      );
    }
    returns[task] = numberAt(table, r, 2, file, bounds);
  });
  if (byIteration.size === 0) throw new Error(`${file} has no evaluations`);
  return [...byIteration].sort(([a], [b]) => a - b).map(([iteration, returns]) => {
    const gaps = returns.reduce((n, r) => n + Number(Number.isNaN(r)), 0);
    if (gaps > 0) {
      const gap = returns.findIndex(Number.isNaN);
      throw new Error(
        `${file}: the evaluation at iteration ${iteration} has ${tasks - gaps} of its ${tasks} ` +
          `tasks (task ${gap} is the first missing)`,
      );
    }
    const time = times.get(iteration);
    if (time === undefined) {
      throw new Error(`${file}: iteration ${iteration} is not in the run's progress.csv`);
    }
    return { iteration, ...time, returns };
  });
}

/**
 * The evaluation points a finished run has: a classic baseline's one at iteration 0; a trained
 * agent's at its last iteration and, with `evaluation.every` N > 0, before training and at
 * every multiple of N.
 *
 * @example
 * ```ts
 * import { expectedEvaluations } from "./completeness.ts";
 * if (expectedEvaluations(6, 3, false).join() !== "0,3,6") throw new Error("points");
 * if (expectedEvaluations(7, 0, false).join() !== "7") throw new Error("end only");
 * ```
 */
export function expectedEvaluations(iterations: number, every: number, classic: boolean): number[] {
  if (classic) return [0];
  const points = new Set<number>(every > 0 ? [0] : []);
  for (let i = every; every > 0 && i <= iterations; i += every) points.add(i);
  points.add(iterations);
  return [...points].sort((a, b) => a - b);
}

/**
 * Reads a finished run and checks that it is complete: every training iteration in
 * progress.csv, every evaluation point that `evaluation.every` implies in eval.csv, each with
 * every task, and every value within what the task can give. Throws, naming the file and
 * what is missing or wrong. Files are read with `read` (by default {@link readText}).
 */
export async function readRun(
  dir: string,
  run: Run,
  config: ExperimentConfig,
  read: ReadText = readText,
): Promise<RunResults> {
  const bounds = returnBounds(config.task);
  const classic = isClassicAgent(run.agentConfig);
  const { tasks, every } = config.evaluation;
  let results: RunResults;
  let iterations = 0;
  if (!classic) {
    iterations = (run.agentConfig as { sampling: { iterations: number } }).sampling.iterations;
    const progress = join(dir, RUN_FILES.progress);
    const { training, times } = await readProgress(progress, bounds, read);
    if (training.length !== iterations) {
      throw new Error(
        `${progress} ends at iteration ${training.length} of ${iterations} (the run's last ` +
          "iteration is missing)",
      );
    }
    const eval_ = join(dir, RUN_FILES.eval);
    const evaluations = await readEvaluations(eval_, tasks, times, bounds, read);
    results = { seed: run.seed, evaluations, training };
  } else {
    const times = new Map([[0, { timesteps: 0, seconds: 0 }]]);
    const eval_ = join(dir, RUN_FILES.eval);
    const evaluations = await readEvaluations(eval_, tasks, times, bounds, read);
    results = { seed: run.seed, evaluations, training: [] };
  }
  const expected = expectedEvaluations(iterations, every, classic);
  const found = results.evaluations.map((e) => e.iteration);
  const absent = expected.filter((i) => !found.includes(i));
  const extra = found.filter((i) => !expected.includes(i));
  if (absent.length > 0 || extra.length > 0) {
    throw new Error(
      `${join(dir, RUN_FILES.eval)} has evaluations at iterations ${found.join(", ")}; ` +
        `expected ${expected.join(", ")}` +
        (absent.length > 0 ? ` (missing ${absent.join(", ")})` : "") +
        (extra.length > 0 ? ` (unexpected ${extra.join(", ")})` : ""),
    );
  }
  const last = results.evaluations[results.evaluations.length - 1]!.iteration;
  const adaptation = await readAdaptation(
    join(dir, RUN_FILES.adaptation),
    last,
    config.task.episodes,
    read,
  );
  return adaptation === undefined ? results : { ...results, adaptation };
}

/**
 * adaptation.csv: the mean reward of each episode of the trial at the run's last evaluation
 * (`iteration`); undefined when the run has no such file (results from before it existed).
 */
async function readAdaptation(
  file: string,
  iteration: number,
  episodes: number,
  read: ReadText,
): Promise<number[] | undefined> {
  if (await read(file) === undefined) return undefined;
  const table = await readCsvFile(file, read);
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
      throw new Error(`${file} line ${r + 2}: episode ${episode} is not one of 1..${episodes}`);
    }
    rewards[episode - 1] = numberAt(table, r, 2, file);
  });
  const gap = rewards.findIndex(Number.isNaN);
  if (gap >= 0) {
    throw new Error(`${file}: iteration ${iteration} has no reward for episode ${gap + 1}`);
  }
  return rewards;
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
  const { training, times } = await readProgress(
    join(dir, RUN_FILES.progress),
    undefined,
    readText,
  );
  const evaluations = await readEvaluations(
    join(dir, RUN_FILES.eval),
    tasks,
    times,
    undefined,
    readText,
  );
  return { seed, evaluations, training };
}
