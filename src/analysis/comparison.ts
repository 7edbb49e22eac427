/**
 * The numbers of a comparison table, computed from results already read: per setting (an
 * experiment at one ablation point) and agent, the mean total reward per trial at the final
 * evaluation with a nested bootstrap interval across seeds and evaluation tasks, the IQM of the
 * seeds, the best evaluation point, the paired difference to the baseline and the probability
 * of improvement over it; learning curves on timesteps; one table per ablation axis; and the
 * experiment's expectations checked. Pure: the same results and options give the same numbers.
 *
 * Definitions (the markdown report repeats them):
 * - A run's score on an evaluation task is the total reward of one trial. Seeds are the runs
 *   of one agent at one ablation point; all agents share the evaluation tasks.
 * - *final*: the mean over seeds and tasks at each run's last evaluation, with a 95%
 *   percentile interval of a nested bootstrap (resample seeds, then tasks within each seed).
 * - *IQM*: the interquartile mean of the seeds' mean scores, with five seeds or more.
 * - *best*: the evaluation point (common to all seeds) with the highest mean. Optimistic: the
 *   point is chosen on the data it is reported on, and its interval ignores that choice.
 * - *difference*: mean(agent) − mean(baseline) over the seeds both have, paired: seeds matched
 *   by seed number and both agents resampled with the same seed and task indices.
 * - *probability of improvement*: rliable's P(agent > baseline) at the final evaluation, with
 *   evaluation tasks as rliable's tasks and seeds as its runs.
 * - *bold*: in a setting, the highest final mean when its interval lies entirely above every
 *   other agent's interval (lower bound greater than each other upper bound).
 * - *time to level*: per trained agent, the timesteps and training seconds until a seed's
 *   held-out mean first reaches a level (the `level` option, else {@link PAPER_LEVEL_FRACTION} of
 *   the agent's paper number), as mean ± sample std over the seeds that reach it.
 * - *expectations*: `better_than` holds when the one-sided lower bound of the paired difference
 *   at the entry's confidence is above 0; `at_least` when the final mean is at least the value;
 *   `not_below` when the upper end of the final mean's two-sided interval at the entry's
 *   confidence is at least the value (the interval contains or exceeds it).
 *
 * @module
 */
import type { AblationPoint } from "../experiment/expand.ts";
import type { ExperimentConfig } from "../experiment/schema.ts";
import { canonicalJson } from "../canonical.ts";
import { Rng } from "../rng.ts";
import {
  bootstrapCi,
  bootstrapDistributions,
  type BootstrapOptions,
  type Interval,
} from "./bootstrap.ts";
import { combineCurves, type CurvePoint } from "./curves.ts";
import { type AdaptationCurve, adaptationCurve } from "./adaptation.ts";
import { probabilityOfImprovementCi } from "./improvement.ts";
import { grandMean, iqm, mean, quantileSorted, type ScoreRows, std } from "./summary.ts";
import { type TimeToResult, timeToResult } from "./time_to_result.ts";

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
 * import { variantName } from "./comparison.ts";
 * if (variantName({ agent: "rl2", label: "gru=64" }) !== "rl2/gru=64") throw new Error("name");
 * ```
 */
export function variantName(v: Pick<VariantResults, "agent" | "label">): string {
  return v.label === "" ? v.agent : `${v.agent}/${v.label}`;
}

/** The two-sided percentile interval of sorted bootstrap draws at `confidence`. */
function percentile(point: number, sorted: Float64Array, confidence = CONFIDENCE): Interval {
  const alpha = (1 - confidence) / 2;
  return {
    point,
    lower: quantileSorted(sorted, alpha),
    upper: quantileSorted(sorted, 1 - alpha),
  };
}

function seedMeans(rows: ScoreRows): number[][] {
  return rows.map((row) => [mean(row)]);
}

function lastEvaluation(run: RunResults): EvaluationPoint {
  const last = run.evaluations[run.evaluations.length - 1];
  if (last === undefined) throw new Error(`the run of seed ${run.seed} has no evaluation`);
  return last;
}

function finalRows(runs: readonly RunResults[]): Float64Array[] {
  return runs.map((run) => lastEvaluation(run).returns);
}

/** The paired bootstrap distribution of a difference, its draws sorted. */
interface Difference {
  point: number;
  sorted: Float64Array;
  seeds: number;
}

/** The value cached under `key`, made and cached on first use. */
function memo<K, V>(cache: Map<K, V>, key: K, make: () => V): V {
  if (!cache.has(key)) cache.set(key, make());
  return cache.get(key) as V;
}

/** `a` and `b` as one cache key. */
function pairKey(a: VariantResults, b: VariantResults): string {
  return `${variantName(a)}\u0000${variantName(b)}`;
}

/** Bootstraps of one experiment, each from its own stream, cached per variant and pair. */
class ExperimentStatistics {
  readonly #summaries = new Map<VariantResults, VariantSummary>();
  readonly #finalDraws = new Map<VariantResults, Float64Array>();
  readonly #differences = new Map<string, Difference | undefined>();
  readonly #versus = new Map<string, BaselineComparison | undefined>();
  readonly #curves = new Map<VariantResults, CurvePoint[] | undefined>();
  readonly #adaptation = new Map<VariantResults, AdaptationCurve | undefined>();

  constructor(
    readonly name: string,
    readonly options: ComparisonOptions,
    readonly curveSource: ExperimentComparison["curveSource"],
  ) {}

  #bootstrap(purpose: string, ...variants: VariantResults[]): BootstrapOptions {
    const key = ["compare", purpose, this.name, ...variants.map(variantName)].join("/");
    return {
      rng: Rng.derive(this.options.seed, key),
      scheme: "nested",
      resamples: this.options.resamples,
      confidence: CONFIDENCE,
    };
  }

  /** The numbers of a variant. */
  summary(v: VariantResults): VariantSummary {
    return memo(this.#summaries, v, () => this.#summarize(v));
  }

  #summarize(v: VariantResults): VariantSummary {
    const seeds = v.runs.map((r) => r.seed);
    if (v.runs.length === 0) return { seeds };
    const rows = finalRows(v.runs);
    const withIqm = v.runs.length >= IQM_MIN_SEEDS;
    const { point, draws } = bootstrapDistributions(
      [rows],
      ([r]) => withIqm ? [grandMean(r!), iqm(seedMeans(r!))] : [grandMean(r!)],
      this.#bootstrap("final", v),
    );
    const [finalDraws, iqmDraws] = draws.map((d) => d.sort());
    this.#finalDraws.set(v, finalDraws!);
    const means = rows.map(mean);
    const final = percentile(point[0]!, finalDraws!);
    return {
      seeds,
      finalIteration: Math.max(...v.runs.map((r) => lastEvaluation(r).iteration)),
      final,
      ...(means.length >= 2 && { std: std(means) }),
      ...(iqmDraws !== undefined && { iqm: percentile(point[1]!, iqmDraws) }),
      ...this.#best(v, final),
    };
  }

  /** The sorted bootstrap draws of the final mean. */
  #drawsOfFinal(v: VariantResults): Float64Array {
    this.summary(v);
    const draws = this.#finalDraws.get(v);
    if (draws === undefined) throw new Error(`${variantName(v)} has no finished runs`);
    return draws;
  }

  /** The one-sided lower confidence bound of the final mean at `confidence`. */
  lowerBound(v: VariantResults, confidence: number): number {
    return quantileSorted(this.#drawsOfFinal(v), 1 - confidence);
  }

  /**
   * The two-sided interval of the final mean at `confidence`, from the same draws as
   * {@link VariantSummary.final} (which is this interval at {@link CONFIDENCE}).
   */
  finalInterval(v: VariantResults, confidence: number): Interval {
    return percentile(this.summary(v).final!.point, this.#drawsOfFinal(v), confidence);
  }

  #best(v: VariantResults, final: Interval): Pick<VariantSummary, "best"> {
    const [first, ...others] = v.runs.map((r) => r.evaluations.map((e) => e.iteration));
    const common = (first ?? []).filter((it) => others.every((its) => its.includes(it)));
    if (common.length < 2) return {};
    const rowsAt = (it: number) =>
      v.runs.map((r) => r.evaluations.find((e) => e.iteration === it)!.returns);
    let bestIteration = common[0]!;
    let bestMean = -Infinity;
    for (const it of common) {
      const m = grandMean(rowsAt(it));
      if (m > bestMean) [bestIteration, bestMean] = [it, m];
    }
    const isFinal = v.runs.every((r) => lastEvaluation(r).iteration === bestIteration);
    const interval = isFinal
      ? final
      : bootstrapCi(rowsAt(bestIteration), grandMean, this.#bootstrap("best", v));
    return { best: { iteration: bestIteration, interval } };
  }

  /** The paired difference a − b over their common seeds; undefined without common seeds. */
  difference(a: VariantResults, b: VariantResults): Difference | undefined {
    return memo(this.#differences, pairKey(a, b), () => {
      const bySeed = new Map(b.runs.map((r) => [r.seed, r]));
      const pairs = a.runs.flatMap((r) => {
        const twin = bySeed.get(r.seed);
        return twin === undefined ? [] : [[r, twin] as const];
      });
      if (pairs.length === 0) return undefined;
      const { point, draws } = bootstrapDistributions(
        [finalRows(pairs.map((p) => p[0])), finalRows(pairs.map((p) => p[1]))],
        ([x, y]) => [grandMean(x!) - grandMean(y!)],
        { ...this.#bootstrap("difference", a, b), paired: true },
      );
      return { point: point[0]!, sorted: draws[0]!.sort(), seeds: pairs.length };
    });
  }

  /** How `a` compares with the baseline `b`; undefined without common seeds. */
  versus(a: VariantResults, b: VariantResults): BaselineComparison | undefined {
    return memo(this.#versus, pairKey(a, b), () => this.#compare(a, b));
  }

  #compare(a: VariantResults, b: VariantResults): BaselineComparison | undefined {
    const difference = this.difference(a, b);
    if (difference === undefined) return undefined;
    const improvement = probabilityOfImprovementCi(finalRows(a.runs), finalRows(b.runs), {
      ...this.#bootstrap("improvement", a, b),
      scheme: "stratified",
      resamples: Math.min(IMPROVEMENT_RESAMPLES, this.options.resamples),
    });
    return {
      baseline: variantName(b),
      seeds: difference.seeds,
      difference: percentile(difference.point, difference.sorted),
      improvement,
    };
  }

  /** The learning curve of a trained variant; undefined for classic baselines. */
  curve(v: VariantResults): CurvePoint[] | undefined {
    return memo(this.#curves, v, () => this.#combine(v));
  }

  /** The adaptation curve of a variant whose every run recorded one. */
  adaptation(v: VariantResults): AdaptationCurve | undefined {
    return memo(this.#adaptation, v, () => {
      const perSeed = v.runs.map((r) => r.adaptation);
      if (perSeed.length === 0 || perSeed.some((a) => a === undefined)) return undefined;
      const { rng, confidence = CONFIDENCE } = this.#bootstrap("adaptation", v);
      return adaptationCurve(perSeed as number[][], {
        rng,
        resamples: Math.min(CURVE_RESAMPLES, this.options.resamples),
        confidence,
      });
    });
  }

  #combine(v: VariantResults): CurvePoint[] | undefined {
    const seedCurves = v.classic || v.runs.length === 0
      ? []
      : v.runs.map((run) =>
        this.curveSource === "evaluation"
          ? {
            x: run.evaluations.map((e) => e.timesteps),
            y: run.evaluations.map((e) => mean(e.returns)),
          }
          : { x: run.training.map((t) => t.timesteps), y: run.training.map((t) => t.returnMean) }
      ).filter((c) => c.x.length > 0);
    return seedCurves.length === 0 ? undefined : combineCurves(seedCurves, {
      rng: this.#bootstrap("curve", v).rng,
      resamples: Math.min(CURVE_RESAMPLES, this.options.resamples),
      maxPoints: CURVE_POINTS,
    });
  }
}

/** Every combination of one variant per agent (agents in name order, the first varying slowest). */
function settingsOf(results: ExperimentResults): { label: string; variants: VariantResults[] }[] {
  const agents = Object.keys(results.config.agents).sort();
  const byAgent = agents.map((a) => results.variants.filter((v) => v.agent === a))
    .filter((list) => list.length > 0);
  const ablated = byAgent.filter((list) => list.some((v) => v.label !== "")).length;
  let combos: VariantResults[][] = [[]];
  for (const list of byAgent) combos = combos.flatMap((c) => list.map((v) => [...c, v]));
  return combos.map((variants) => ({
    label: variants.filter((v) => v.label !== "")
      .map((v) => ablated > 1 ? `${v.agent}:${v.label}` : v.label).join(" "),
    variants,
  }));
}

/** Marks the row whose final interval lies entirely above every other row's. */
function markBest(rows: SettingRow[]): void {
  const scored = rows.filter((r) => r.summary.final !== undefined);
  if (scored.length < 2) return;
  const top = scored.reduce((a, b) => b.summary.final!.point > a.summary.final!.point ? b : a);
  const separated = scored.every((r) =>
    r === top || top.summary.final!.lower > r.summary.final!.upper
  );
  top.bold = separated;
}

function buildSetting(
  setting: { label: string; variants: VariantResults[] },
  stats: ExperimentStatistics,
  config: ExperimentConfig,
  baseline: string | undefined,
  level: number | undefined,
): Setting {
  const reference = setting.variants.find((v) => v.agent === baseline);
  const rows = setting.variants.map((v): SettingRow => {
    const versus = reference === undefined || reference === v
      ? undefined
      : stats.versus(v, reference);
    const paper = config.paper?.values[v.agent];
    const curve = stats.curve(v);
    const adaptation = stats.adaptation(v);
    const target = level ?? (paper === undefined ? undefined : PAPER_LEVEL_FRACTION * paper);
    const timeToLevel = v.classic || v.runs.length === 0 || target === undefined
      ? undefined
      : timeToResult(v.runs.map((r) => r.evaluations), target);
    return {
      agent: v.agent,
      variant: variantName(v),
      classic: v.classic,
      summary: stats.summary(v),
      ...(versus !== undefined && { versus }),
      ...(paper !== undefined && { paper }),
      bold: false,
      ...(curve !== undefined && { curve }),
      ...(timeToLevel !== undefined && { timeToLevel }),
      ...(adaptation !== undefined && { adaptation }),
    };
  });
  markBest(rows);
  return { label: setting.label, rows };
}

/** An ablation value as shown in tables and plots: strings bare, everything else as JSON. */
export function valueText(value: unknown): string {
  return typeof value === "string" ? value : canonicalJson(value);
}

function buildAxes(
  results: ExperimentResults,
  stats: ExperimentStatistics,
  baseline: string | undefined,
): AxisTable[] {
  const { ablations } = results.config;
  const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
  return Object.keys(ablations).sort().map((path) => {
    const agent = path.slice(0, path.indexOf("."));
    const variants = results.variants.filter((v) => v.agent === agent);
    const others = Object.keys(ablations).sort().filter((p) =>
      p !== path && p.startsWith(`${agent}.`)
    );
    const columnOf = (v: VariantResults) =>
      others.map((p) => `${p}=${valueText(v.point[p])}`).join("+");
    const columns = [...new Set(variants.map(columnOf))];
    const rows = (ablations[path] ?? []).map((value) => ({
      value,
      cells: columns.map((column) => {
        const v = variants.find((c) => same(c.point[path], value) && columnOf(c) === column);
        return v === undefined ? undefined : stats.summary(v);
      }),
    }));
    const reference = results.variants.filter((v) => v.agent === baseline);
    const only = reference.length === 1 && baseline !== agent ? reference[0] : undefined;
    return {
      agent,
      path,
      columns,
      rows,
      ...(only !== undefined && {
        baseline: { variant: variantName(only), summary: stats.summary(only) },
      }),
    };
  });
}

function betterThan(
  stats: ExperimentStatistics,
  a: VariantResults,
  b: VariantResults,
  confidence: number,
): ExpectationResult {
  const claim = {
    variant: variantName(a),
    kind: "better_than" as const,
    other: variantName(b),
    confidence,
  };
  const d = stats.difference(a, b);
  if (d === undefined) {
    return { ...claim, passed: false, unavailable: "no seeds with results for both" };
  }
  const bound = quantileSorted(d.sorted, 1 - confidence);
  return { ...claim, passed: bound > 0, value: d.point, bound, seeds: d.seeds };
}

function atLeast(
  stats: ExperimentStatistics,
  a: VariantResults,
  threshold: number,
  confidence: number,
): ExpectationResult {
  const claim = { variant: variantName(a), kind: "at_least" as const, threshold, confidence };
  const { final, seeds } = stats.summary(a);
  if (final === undefined) return { ...claim, passed: false, unavailable: "no finished runs" };
  return {
    ...claim,
    passed: final.point >= threshold,
    value: final.point,
    bound: stats.lowerBound(a, confidence),
    seeds: seeds.length,
  };
}

/** `not_below`: the two-sided interval of the final mean reaches up to the threshold or beyond. */
function notBelow(
  stats: ExperimentStatistics,
  a: VariantResults,
  threshold: number,
  confidence: number,
): ExpectationResult {
  const claim = { variant: variantName(a), kind: "not_below" as const, threshold, confidence };
  const { final, seeds } = stats.summary(a);
  if (final === undefined) return { ...claim, passed: false, unavailable: "no finished runs" };
  const { upper } = stats.finalInterval(a, confidence);
  return {
    ...claim,
    passed: upper >= threshold,
    value: final.point,
    bound: upper,
    seeds: seeds.length,
  };
}

/** Every expectation at every setting, once per distinct variant (or pair of variants). */
function checkExpectations(
  results: ExperimentResults,
  settings: readonly { variants: VariantResults[] }[],
  stats: ExperimentStatistics,
): ExpectationResult[] {
  const out: ExpectationResult[] = [];
  for (const e of results.config.expect) {
    const seen = new Set<string>();
    const once = (key: string) => {
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    };
    for (const { variants } of settings) {
      const a = variants.find((v) => v.agent === e.agent);
      const b = variants.find((v) => v.agent === e.better_than);
      if (a === undefined) continue;
      if (b !== undefined && once(`>${pairKey(a, b)}`)) {
        out.push(betterThan(stats, a, b, e.confidence));
      }
      if (e.at_least !== undefined && once(`≥${variantName(a)}`)) {
        out.push(atLeast(stats, a, e.at_least, e.confidence));
      }
      if (e.not_below !== undefined && once(`⊇${variantName(a)}`)) {
        out.push(notBelow(stats, a, e.not_below, e.confidence));
      }
    }
  }
  return out;
}

/**
 * The comparison of one experiment's results: settings, ablation axes and expectations. Every
 * bootstrap draws from `Rng.derive(seed, "compare/<statistic>/<experiment>/<variants>")`, so a
 * number does not depend on which other numbers were computed.
 */
export function compareExperiment(
  results: ExperimentResults,
  options: ComparisonOptions,
): ExperimentComparison {
  const { config } = results;
  const baseline = options.baseline ?? config.baseline;
  if (baseline !== undefined && !Object.hasOwn(config.agents, baseline)) {
    throw new Error(`experiment "${results.name}" has no agent "${baseline}" to compare with`);
  }
  const curveSource = config.evaluation.every > 0 ? "evaluation" : "training";
  const stats = new ExperimentStatistics(results.name, options, curveSource);
  const combos = settingsOf(results);
  return {
    name: results.name,
    config,
    ...(baseline !== undefined && { baseline }),
    curveSource,
    settings: combos.map((s) => buildSetting(s, stats, config, baseline, options.level)),
    axes: buildAxes(results, stats, baseline),
    expectations: checkExpectations(results, combos, stats),
    missing: results.missing,
    ...(results.commits !== undefined && { commits: results.commits }),
  };
}
