/**
 * Probability of improvement P(X > Y) of rliable (Agarwal et al., 2021): the chance that a run
 * of agent X beats a run of agent Y on a task, averaged over tasks.
 *
 * @module
 */
import { bootstrapIntervals, type BootstrapOptions, type Interval } from "./bootstrap.ts";
import type { ScoreRows } from "./summary.ts";

function taskCount(scores: ScoreRows, name: string): number {
  const tasks = scores[0]?.length ?? 0;
  if (tasks === 0) throw new Error(`${name} needs at least one run and one task`);
  if (scores.some((row) => row.length !== tasks)) {
    throw new Error(`${name} needs the same number of tasks in every run`);
  }
  return tasks;
}

/**
 * P(X > Y): per task, the Mann–Whitney U of X's runs against Y's runs (a pair with x > y counts
 * 1, a tie 0.5) divided by n_X·n_Y; then the mean over tasks. Rows are runs, columns the same
 * tasks for both agents; the numbers of runs may differ. Identical scores give 0.5.
 *
 * @example X wins two of the nine pairs and ties two
 * ```ts
 * import { probabilityOfImprovement } from "./improvement.ts";
 * const p = probabilityOfImprovement([[1], [2], [3]], [[2], [2], [4]]);
 * if (Math.abs(p - 3 / 9) > 1e-12) throw new Error("wrong probability");
 * ```
 */
export function probabilityOfImprovement(x: ScoreRows, y: ScoreRows): number {
  const tasks = taskCount(x, "probability of improvement X");
  if (taskCount(y, "probability of improvement Y") !== tasks) {
    throw new Error("probability of improvement needs the same tasks for X and Y");
  }
  let total = 0;
  for (let j = 0; j < tasks; j++) {
    let u = 0;
    for (const xr of x) {
      const xv = xr[j]!;
      for (const yr of y) {
        const yv = yr[j]!;
        u += xv > yv ? 1 : xv === yv ? 0.5 : 0;
      }
    }
    total += u / (x.length * y.length);
  }
  return total / tasks;
}

/**
 * {@link probabilityOfImprovement} with a percentile bootstrap interval. Defaults follow
 * rliable: 2,000 resamples, runs resampled within each task (`"stratified"`), X and Y resampled
 * independently.
 */
export function probabilityOfImprovementCi(
  x: ScoreRows,
  y: ScoreRows,
  options: Omit<BootstrapOptions, "scheme"> & { scheme?: BootstrapOptions["scheme"] },
): Interval {
  const settings = {
    ...options,
    scheme: options.scheme ?? "stratified",
    resamples: options.resamples ?? 2000,
  };
  return bootstrapIntervals([x, y], ([a, b]) => [probabilityOfImprovement(a!, b!)], settings)[0]!;
}
