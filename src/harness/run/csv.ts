/**
 * The two CSV files of a run: `progress.csv` (one row per training iteration) and `eval.csv`
 * (one row per evaluation task at every evaluation point). Numbers are written with full
 * precision and deterministically (`String` of the float64 value), so the same run gives the
 * same bytes; only the `seconds` column depends on the machine.
 *
 * @module
 */
import { stringify } from "csv-stringify/sync";
import { parse } from "csv-parse/sync";
import type { IterationLog } from "../../learners/train.ts";
import type { TuningResult } from "../../baselines/tune.ts";
import { canonicalJson } from "../../canonical.ts";

/** Columns of `progress.csv`. */
export const PROGRESS_COLUMNS = [
  "iteration",
  "timesteps",
  "return_mean",
  "return_std",
  "kl",
  "entropy",
  "surrogate_improvement",
  "value_loss",
  "line_search_steps",
  "explained_variance",
  "advantage_mean",
  "advantage_std",
  "step_fraction",
  "gradient_norm",
  "seconds",
] as const;

/** Columns of `eval.csv`. */
export const EVAL_COLUMNS = ["iteration", "task", "return"] as const;

/**
 * Columns of `adaptation.csv`: at every evaluation point, the mean over the evaluation tasks of
 * the total reward of each episode of the trial (episodes numbered from 1).
 */
export const ADAPTATION_COLUMNS = ["iteration", "episode", "return"] as const;

/** Columns that measure wall time and so differ between otherwise identical runs. */
export const TIMING_COLUMNS: readonly string[] = ["seconds"];

/** One formatted CSV row. */
export type CsvRow = string[];

/**
 * The `progress.csv` row of one iteration.
 *
 * @param log what the learner reported for the iteration
 * @param seconds wall-clock seconds of training up to and including this iteration
 */
export function progressRow(log: IterationLog, seconds: number): CsvRow {
  return [
    log.iteration,
    log.timesteps,
    log.returnMean,
    log.returnStd,
    log.kl,
    log.entropy,
    log.surrogateImprovement,
    log.valueLoss,
    log.lineSearchSteps,
    log.explainedVariance,
    log.advantageMean,
    log.advantageStd,
    log.stepFraction,
    log.gradientNorm,
  ].map(String).concat(seconds.toFixed(3));
}

/**
 * The `eval.csv` rows of one evaluation point: one row per task, in task order.
 *
 * @param iteration training iterations done before the evaluation (0 for untrained agents)
 * @param returns the total reward of the trial on each evaluation task
 */
export function evalRows(iteration: number, returns: ArrayLike<number>): CsvRow[] {
  return Array.from(returns, (r, task) => [String(iteration), String(task), String(r)]);
}

/**
 * The `adaptation.csv` rows of one evaluation point: one row per episode of the trial, the
 * mean over tasks of that episode's total reward.
 *
 * @param iteration training iterations done before the evaluation (0 for untrained agents)
 * @param episodeReturns `tasks × n`: each task's episode rewards, `[task * n + episode]`
 * @param episodes n, the episodes of a trial
 */
export function adaptationRows(
  iteration: number,
  episodeReturns: Float64Array,
  episodes: number,
): CsvRow[] {
  const tasks = episodeReturns.length / episodes;
  const sums = new Float64Array(episodes);
  for (let i = 0; i < episodeReturns.length; i++) sums[i % episodes]! += episodeReturns[i]!;
  return Array.from(sums, (sum, e) => [String(iteration), String(e + 1), String(sum / tasks)]);
}

/**
 * The columns and rows of `tuning.csv`: one column per tuned hyperparameter (sorted by name),
 * then `mean_return` on the tuning tasks and `chosen` (1 for the point that was evaluated).
 * Strings are written as they are, other values as canonical JSON.
 */
export function tuningTable(result: TuningResult): CsvTable {
  const columns = Object.keys(result.scores[0]?.point ?? {}).sort();
  const cell = (value: unknown) => typeof value === "string" ? value : canonicalJson(value);
  const rows = result.scores.map(({ point, mean }, i) => [
    ...columns.map((name) => cell(point[name])),
    String(mean),
    i === result.chosen ? "1" : "0",
  ]);
  return { columns: [...columns, "mean_return", "chosen"], rows };
}

/**
 * A CSV file's text: a header line, then the rows.
 *
 * @example
 * ```ts
 * import { formatCsv } from "./csv.ts";
 * if (formatCsv(["a", "b"], [["1", "x,y"]]) !== 'a,b\n1,"x,y"\n') throw new Error("csv");
 * ```
 */
export function formatCsv(columns: readonly string[], rows: readonly CsvRow[]): string {
  return stringify([[...columns], ...rows]);
}

/** A parsed CSV file: its header and its rows as text. */
export interface CsvTable {
  /** The header. */
  columns: string[];
  /** The rows after the header. */
  rows: CsvRow[];
}

/**
 * Parses CSV text written by {@link formatCsv}.
 *
 * @example
 * ```ts
 * import { parseCsv } from "./csv.ts";
 * const t = parseCsv("a,b\n1,2\n");
 * if (t.columns.join() !== "a,b" || t.rows[0]?.[1] !== "2") throw new Error("parse");
 * ```
 */
export function parseCsv(text: string): CsvTable {
  const [columns = [], ...rows] = parse(text) as string[][];
  return { columns, rows };
}
