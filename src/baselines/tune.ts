/**
 * Grid search of a classic baseline's hyperparameters, as the RL² paper did ("a separate grid
 * search for each of the experimental settings"): every point of the grid is scored by its mean
 * total reward on tuning tasks that are apart from the held-out evaluation tasks, and the best
 * point is the one to evaluate.
 *
 * @module
 */
import { Rng } from "../rng.ts";
import type { TaskFamily } from "../envs/env.ts";
import type { BaselineSpec } from "./agent.ts";
import { evaluateTrialAgent } from "./evaluate.ts";

/** Hyperparameters of a baseline, by name. */
export type BaselineParams = Readonly<Record<string, unknown>>;

/** Where the tuning tasks come from: `tasks` of them, drawn with `seed`. */
export interface TuningTasks {
  /** Tasks (one trial each) every grid point is scored on. */
  readonly tasks: number;
  /** Seed of the tuning tasks; must differ from the evaluation seed. */
  readonly seed: number;
}

/**
 * The tuning tasks: `tuning.tasks` draws from `Rng.derive(tuning.seed, "tuning-tasks")`. The
 * held-out tasks come from `Rng.derive(evaluation.seed, "eval-tasks")`, another stream.
 */
export function tuningTasks<Task>(family: TaskFamily<Task>, tuning: TuningTasks): Task[] {
  const rng = Rng.derive(tuning.seed, "tuning-tasks");
  return Array.from({ length: tuning.tasks }, () => family.sampleTask(rng));
}

/**
 * Every point of `grid`: the cross product of its value lists. Parameters are taken in sorted
 * order of their names, the first varying slowest, and each parameter's values in the listed
 * order, so the order does not depend on the order of the keys in the file.
 *
 * @example Two parameters
 * ```ts
 * import { gridPoints } from "./tune.ts";
 * const points = gridPoints({ b: [1, 2], a: ["x", "y"] });
 * if (JSON.stringify(points[1]) !== '{"a":"x","b":2}') throw new Error("wrong order");
 * ```
 */
export function gridPoints(grid: Readonly<Record<string, readonly unknown[]>>): BaselineParams[] {
  return Object.keys(grid).sort().reduce<BaselineParams[]>(
    (points, name) =>
      points.flatMap((point) => (grid[name] ?? []).map((value) => ({ ...point, [name]: value }))),
    [{}],
  );
}

/** One grid point's score. */
export interface GridScore {
  /** The grid's values at this point (only the tuned parameters). */
  readonly point: BaselineParams;
  /** Mean total reward per trial on the tuning tasks. */
  readonly mean: number;
}

/** The outcome of {@link tuneBaseline}. */
export interface TuningResult {
  /** The hyperparameters to evaluate with: the fixed ones with the best point applied, parsed. */
  readonly best: BaselineParams;
  /** Every grid point with its score, in {@link gridPoints} order. */
  readonly scores: readonly GridScore[];
  /** The index in {@link scores} of the best point. */
  readonly chosen: number;
}

/** What {@link tuneBaseline} needs. */
export interface TuneOptions<Task> {
  /** The baseline. */
  readonly spec: BaselineSpec;
  /** The task family of the experiment. */
  readonly family: TaskFamily<Task>;
  /** n, episodes per trial. */
  readonly episodes: number;
  /** The agent's fixed hyperparameters (defaults and inline values); the grid overrides them. */
  readonly params: BaselineParams;
  /** Values to try per hyperparameter. */
  readonly grid: Readonly<Record<string, readonly unknown[]>>;
  /** The tuning tasks. */
  readonly tuning: TuningTasks;
  /** Seed of the held-out evaluation tasks; tuning refuses to share it. */
  readonly evaluationSeed: number;
  /**
   * Stream of the agent's randomness (as in `evaluateTrialAgent`); every grid point sees the
   * same draws. Default 0.
   */
  readonly stream?: number;
  /** Called after each grid point is scored, e.g. to log progress. */
  readonly onScore?: (score: GridScore, index: number, total: number) => void;
}

/**
 * Scores every point of `grid` on the tuning tasks and returns the best one (the highest mean
 * total reward; ties go to the first point in {@link gridPoints} order). All points run on the
 * same tasks with the same random draws (`Rng.derive(tuning.seed, "trial-agent", stream, i)`),
 * so they are compared on equal terms. Throws when the tuning seed equals the evaluation seed.
 */
export function tuneBaseline<Task>(options: TuneOptions<Task>): TuningResult {
  const { spec, family, episodes, params, grid, tuning, evaluationSeed, stream = 0 } = options;
  if (tuning.seed === evaluationSeed) {
    throw new Error(
      `the tuning seed of baseline "${spec.kind}" equals the evaluation seed ${evaluationSeed}; ` +
        "choose another tuning.seed so the tuning tasks stay apart from the held-out tasks",
    );
  }
  const tasks = tuningTasks(family, tuning);
  const points = gridPoints(grid);
  const scores: GridScore[] = [];
  let best = 0;
  for (const [i, point] of points.entries()) {
    const agent = spec.create(spec.params.parse({ ...params, ...point }), family, episodes);
    const returns = evaluateTrialAgent(family, agent, tasks, episodes, tuning.seed, stream);
    const score = { point, mean: returns.reduce((sum, r) => sum + r, 0) / returns.length };
    scores.push(score);
    if (score.mean > scores[best]!.mean) best = i;
    options.onScore?.(score, i, points.length);
  }
  return {
    best: spec.params.parse({ ...params, ...points[best] }) as BaselineParams,
    scores,
    chosen: best,
  };
}
