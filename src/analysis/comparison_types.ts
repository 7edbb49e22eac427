/**
 * What a comparison is made of and what it gives: the results of an experiment's runs as read
 * from their files, the options of a comparison, and the numbers of its tables (per setting and
 * agent, per ablation axis, and the experiment's checked expectations). The definitions of every
 * statistic are in `comparison.ts`.
 *
 * @module
 */
import type { AblationPoint } from "../experiment/expand.ts";
import type { ExperimentConfig } from "../experiment/schema.ts";
import { canonicalJson } from "../canonical.ts";
import type { Interval } from "./bootstrap.ts";
import type { CurvePoint } from "./curves.ts";
import type { AdaptationCurve } from "./adaptation.ts";
import type { TimeToResult } from "./time_to_result.ts";

/** Coverage of every two-sided interval in the tables. */
export const CONFIDENCE = 0.95;
/** Seeds needed before the IQM is shown (with fewer, trimming a quarter drops at most one). */
export const IQM_MIN_SEEDS = 5;
/** Resamples of the probability of improvement (rliable's default). */
export const IMPROVEMENT_RESAMPLES = 2000;
/** Resamples per point of a learning curve's band. */
export const CURVE_RESAMPLES = 2000;
/** Most points of a learning curve. */
export const CURVE_POINTS = 200;
/** Time to result's default level: this fraction of the agent's paper number. */
export const PAPER_LEVEL_FRACTION = 0.95;

/** The returns of one run at one evaluation point. */
export interface EvaluationPoint {
  /** Training iterations done before the evaluation (0 for classic baselines). */
  iteration: number;
  /** Training timesteps done before the evaluation. */
  timesteps: number;
  /** Training wall-clock seconds spent before the evaluation (0 for classic baselines). */
  seconds: number;
  /** The total reward of the trial on each evaluation task, in task order. */
  returns: Float64Array;
}

/** One training iteration of a run. */
export interface TrainingPoint {
  /** Training timesteps done after the iteration. */
  timesteps: number;
  /** Mean total reward of the iteration's training trials. */
  returnMean: number;
}

/** What one finished run produced. */
export interface RunResults {
  /** The run's seed. */
  seed: number;
  /** Its evaluations, in increasing iteration order (at least one). */
  evaluations: readonly EvaluationPoint[];
  /** Its training iterations, in order (none for classic baselines). */
  training: readonly TrainingPoint[];
  /**
   * Mean reward over the evaluation tasks of each episode of the trial at its last evaluation
   * (from `adaptation.csv`; absent in results written before that file existed).
   */
  adaptation?: readonly number[];
}

/** The runs of one agent at one ablation point. */
export interface VariantResults {
  /** The agent's name. */
  agent: string;
  /** The ablation point as in run ids (`gru=64+max_kl=0.02`), empty without ablations. */
  label: string;
  /** The ablation overrides. */
  point: AblationPoint;
  /** True for a classic baseline (evaluated, not trained). */
  classic: boolean;
  /** Its finished runs, in seed order (possibly none). */
  runs: readonly RunResults[];
}

/** The results of one experiment. */
export interface ExperimentResults {
  /** The experiment's name. */
  name: string;
  /** The resolved experiment. */
  config: ExperimentConfig;
  /** Every agent at every ablation point of the experiment, in run-expansion order. */
  variants: readonly VariantResults[];
  /** Run ids expected but without finished results, with the reason. */
  missing: readonly string[];
  /** The code versions (commits) that made the runs, when known. */
  commits?: readonly string[];
}

/** Settings of {@link compareExperiment}. */
export interface ComparisonOptions {
  /** Seed of every bootstrap. */
  seed: number;
  /** Resamples of the final, IQM, best and difference intervals. */
  resamples: number;
  /** The agent to compare with, instead of the experiment's `baseline`. */
  baseline?: string;
  /**
   * The held-out mean whose first attainment time to result measures, for every agent;
   * without it, {@link PAPER_LEVEL_FRACTION} of each agent's paper number, if any.
   */
  level?: number;
}

/** An agent's numbers at one ablation point. */
export interface VariantSummary {
  /** Seeds with results. */
  seeds: number[];
  /** The last evaluation iteration (the largest over seeds). */
  finalIteration?: number;
  /** Mean at the final evaluation, with its interval. */
  final?: Interval;
  /** Sample standard deviation of the seeds' final means (two seeds or more). */
  std?: number;
  /** IQM of the seeds' final means, with its interval ({@link IQM_MIN_SEEDS} seeds or more). */
  iqm?: Interval;
  /** The best evaluation point, when there are at least two common to every seed. */
  best?: { iteration: number; interval: Interval };
}

/** How an agent compares with the baseline in one setting. */
export interface BaselineComparison {
  /** The baseline's variant name. */
  baseline: string;
  /** Seeds both have (the difference is paired over these). */
  seeds: number;
  /** mean(agent) − mean(baseline) with its interval. */
  difference: Interval;
  /** P(agent > baseline) with its interval. */
  improvement: Interval;
}

/** One agent's row of a setting. */
export interface SettingRow {
  /** The agent's name. */
  agent: string;
  /** The agent at its ablation point: `rl2/gru=64`, or just the agent. */
  variant: string;
  /** True for a classic baseline. */
  classic: boolean;
  /** Its numbers. */
  summary: VariantSummary;
  /** Against the baseline, for agents other than the baseline with seeds in common. */
  versus?: BaselineComparison;
  /** The paper's number for the agent. */
  paper?: number;
  /** The highest final mean of the setting, with an interval above all others. */
  bold: boolean;
  /** Learning curve of a trained agent. */
  curve?: CurvePoint[];
  /** Time to result of a trained agent, when there is a level to reach. */
  timeToLevel?: TimeToResult;
  /** Reward per episode of the trial at the final evaluation, when every run recorded it. */
  adaptation?: AdaptationCurve;
  /**
   * Trajectories of the task one episode of its trial stands for, when not 1: K for an agent
   * evaluated by adaptation steps (MAML's stages, a fine-tuned baseline's).
   */
  episodeTrajectories?: number;
}

/** One setting: an experiment at one ablation point, every agent. */
export interface Setting {
  /** The ablation point (`gru=64`; `rl2:gru=64 trpo:max_kl=0.02` when several agents are ablated), empty without ablations. */
  label: string;
  /** One row per agent, in name order. */
  rows: SettingRow[];
}

/** One ablation axis of an agent: its values down, the agent's other axes across. */
export interface AxisTable {
  /** The ablated agent. */
  agent: string;
  /** The ablation path, e.g. `rl2.policy.gru`. */
  path: string;
  /** One label per column: the other axes' values (`rl2.trpo.max_kl=0.01`), or one empty label. */
  columns: string[];
  /** One row per value of the axis, in the file's order. */
  rows: { value: unknown; cells: (VariantSummary | undefined)[] }[];
  /** The baseline, when it is another agent with a single variant. */
  baseline?: { variant: string; summary: VariantSummary };
}

/** The outcome of one expectation at one setting. */
export interface ExpectationResult {
  /** The claimed agent's variant. */
  variant: string;
  /** Which claim. */
  kind: "better_than" | "at_least" | "not_below";
  /** The other variant, for `better_than`. */
  other?: string;
  /** The threshold, for `at_least` and `not_below`. */
  threshold?: number;
  /** Confidence of the bound: one-sided, or two-sided for `not_below`. */
  confidence: number;
  /** Whether the claim holds. */
  passed: boolean;
  /** Why it could not be evaluated (no runs, no common seeds). */
  unavailable?: string;
  /** The difference (`better_than`) or the final mean (`at_least`, `not_below`). */
  value?: number;
  /**
   * The bound the claim was judged by: the one-sided lower confidence bound of {@link value} at
   * {@link confidence} (`better_than`, `at_least`), or the upper end of its two-sided interval
   * at {@link confidence} (`not_below`).
   */
  bound?: number;
  /** Seeds used (paired seeds for `better_than`). */
  seeds?: number;
}

/** Everything the tables and plots of one experiment show. */
export interface ExperimentComparison {
  /** The experiment's name. */
  name: string;
  /** The resolved experiment. */
  config: ExperimentConfig;
  /** The agent compared with, if any. */
  baseline?: string;
  /** What the learning curves show: evaluation returns, or training returns without intermediate evaluations. */
  curveSource: "evaluation" | "training";
  /** One per ablation point (a single one without ablations). */
  settings: Setting[];
  /** One per ablation path. */
  axes: AxisTable[];
  /** The experiment's `expect` entries, one result per distinct pair of variants. */
  expectations: ExpectationResult[];
  /** Runs without finished results. */
  missing: readonly string[];
  /** The code versions (commits) that made the runs, when known. */
  commits?: readonly string[];
}

/**
 * An agent at an ablation point, named as in run ids: `rl2/gru=64`, or `rl2` without ablations.
 *
 * @example
 * ```ts
 * import { variantName } from "./comparison_types.ts";
 * if (variantName({ agent: "rl2", label: "gru=64" }) !== "rl2/gru=64") throw new Error("name");
 * ```
 */
export function variantName(v: Pick<VariantResults, "agent" | "label">): string {
  return v.label === "" ? v.agent : `${v.agent}/${v.label}`;
}

/** An ablation value as shown in tables and plots: strings bare, everything else as JSON. */
export function valueText(value: unknown): string {
  return typeof value === "string" ? value : canonicalJson(value);
}
