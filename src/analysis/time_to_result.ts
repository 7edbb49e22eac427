/**
 * Time to result: how much training a run needs before its held-out mean first reaches a
 * level, in timesteps and in training wall time, and its spread over seeds. A run that never
 * reaches the level within its evaluations does not count towards the spread; the number of
 * seeds that did is reported beside it.
 *
 * @module
 */
import { mean, std } from "./summary.ts";

/** One evaluation of a run, as far as time to result needs it. */
export interface TimedEvaluation {
  /** Training timesteps done before the evaluation. */
  timesteps: number;
  /** Training wall-clock seconds spent before the evaluation. */
  seconds: number;
  /** The return on each evaluation task. */
  returns: ArrayLike<number>;
}

/** Where a run first reached the level. */
export interface Reached {
  /** Training timesteps done before that evaluation. */
  timesteps: number;
  /** Training wall-clock seconds spent before that evaluation. */
  seconds: number;
}

/** Mean, sample standard deviation (two values or more) and range over seeds. */
export interface Spread {
  /** The mean. */
  mean: number;
  /** The sample standard deviation, with two values or more. */
  std?: number;
  /** The smallest value. */
  min: number;
  /** The largest value. */
  max: number;
}

/** An agent's time to result over its seeds. */
export interface TimeToResult {
  /** The level the held-out mean had to reach. */
  level: number;
  /** Seeds with results. */
  seeds: number;
  /** Seeds whose held-out mean reached the level. */
  reached: number;
  /** Over the seeds that reached it: timesteps until they did. */
  timesteps?: Spread;
  /** Over the seeds that reached it: training seconds until they did. */
  seconds?: Spread;
}

/**
 * The first evaluation, in the given (training) order, whose mean over tasks is at least
 * `level`; undefined if none is.
 *
 * @example
 * ```ts
 * import { firstReached } from "./time_to_result.ts";
 * const evals = [
 *   { timesteps: 0, seconds: 0, returns: [1, 2] },
 *   { timesteps: 50, seconds: 3, returns: [4, 6] },
 *   { timesteps: 90, seconds: 5, returns: [9, 9] },
 * ];
 * if (firstReached(evals, 5)?.timesteps !== 50) throw new Error("mean 5 first at 50 steps");
 * ```
 */
export function firstReached(
  evaluations: readonly TimedEvaluation[],
  level: number,
): Reached | undefined {
  const hit = evaluations.find((e) => mean(e.returns) >= level);
  return hit === undefined ? undefined : { timesteps: hit.timesteps, seconds: hit.seconds };
}

function spread(values: readonly number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  return {
    mean: mean(values),
    ...(values.length >= 2 && { std: std(values) }),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/** Time to `level` of each run (one run per seed), summarised over the seeds. */
export function timeToResult(
  runs: readonly (readonly TimedEvaluation[])[],
  level: number,
): TimeToResult {
  const hits = runs.map((r) => firstReached(r, level)).filter((h) => h !== undefined);
  const timesteps = spread(hits.map((h) => h.timesteps));
  const seconds = spread(hits.map((h) => h.seconds));
  return {
    level,
    seeds: runs.length,
    reached: hits.length,
    ...(timesteps !== undefined && { timesteps }),
    ...(seconds !== undefined && { seconds }),
  };
}
