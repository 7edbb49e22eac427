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

/**
 * The columns every learner's `progress.csv` starts with: what every iteration measures. Its
 * learner's own diagnostics follow, then `seconds` ({@link progressColumns}).
 */
export const SHARED_PROGRESS_COLUMNS: readonly string[] = [
  "iteration",
  "timesteps",
  "return_mean",
  "return_std",
  "kl",
  "entropy",
  "surrogate_improvement",
  "value_loss",
  "explained_variance",
  "advantage_mean",
  "advantage_std",
  "gradient_norm",
];

/**
 * The columns of `progress.csv` for a learner whose own diagnostics are `diagnostics`: the
 * shared ones, its own, then the training seconds so far.
 *
 * @example TRPO's
 * ```ts
 * import { progressColumns } from "./csv.ts";
 * const columns = progressColumns(["line_search_steps", "step_fraction"]);
 * if (columns.slice(-3).join() !== "line_search_steps,step_fraction,seconds") throw new Error();
 * ```
 */
export function progressColumns(diagnostics: readonly string[]): string[] {
  return [...SHARED_PROGRESS_COLUMNS, ...diagnostics, "seconds"];
}

/**
 * The columns of the progress rows a checkpoint holds when it does not record them: those of
 * every `progress.csv` written before each learner wrote its own diagnostics (TRPO's line
 * search for all; PPO wrote 0 and 1 there). Files of this layout stay readable: every reader
 * finds its columns by name.
 */
export const UNRECORDED_PROGRESS_COLUMNS: readonly string[] = [
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
];

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
 * The `progress.csv` row of one iteration, in the columns of {@link progressColumns}.
 *
 * @param log what the learner reported for the iteration
 * @param diagnostics the names of its learner's own diagnostics, each of which `log` gives
 * @param seconds wall-clock seconds of training up to and including this iteration
 */
export function progressRow(
  log: IterationLog,
  diagnostics: readonly string[],
  seconds: number,
): CsvRow {
  const own = diagnostics.map((name) => {
    const value = Object.hasOwn(log.diagnostics, name) ? log.diagnostics[name] : undefined;
    if (value === undefined) {
      throw new Error(`iteration ${log.iteration}: the update reported no diagnostic "${name}"`);
    }
    return value;
  });
  return [
    log.iteration,
    log.timesteps,
    log.returnMean,
    log.returnStd,
    log.kl,
    log.entropy,
    log.surrogateImprovement,
    log.valueLoss,
    log.explainedVariance,
    log.advantageMean,
    log.advantageStd,
    log.gradientNorm,
    ...own,
  ].map(String).concat(seconds.toFixed(3));
}

/**
 * `rows` of the columns `from` laid out in the columns `to`, each cell by its column's name;
 * a column `from` does not have is left empty. `rows` itself when the columns are the same.
 *
 * @example A row of the unrecorded layout in PPO's columns
 * ```ts
 * import { progressColumns, relayRows, UNRECORDED_PROGRESS_COLUMNS } from "./csv.ts";
 * const row = ["1", "9", "2", "0", "0.1", "1.6", "0.2", "3", "0", "0.5", "0", "1", "1", "4", "7"];
 * const [out] = relayRows([row], UNRECORDED_PROGRESS_COLUMNS, progressColumns(["clip_fraction"]));
 * if (out!.slice(-3).join() !== "4,,7") throw new Error("gradient_norm, clip_fraction, seconds");
 * ```
 */
export function relayRows(
  rows: readonly CsvRow[],
  from: readonly string[],
  to: readonly string[],
): CsvRow[] {
  if (from.length === to.length && from.every((column, i) => column === to[i])) {
    return [...rows];
  }
  const at = to.map((column) => from.indexOf(column));
  return rows.map((row) => at.map((i) => i < 0 ? "" : row[i] ?? ""));
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
