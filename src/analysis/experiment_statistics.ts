/**
 * The bootstraps of one experiment's comparison, each from its own seeded stream and cached per
 * variant and pair of variants: final means and their draws, best points, paired differences,
 * probabilities of improvement, learning curves and adaptation curves.
 *
 * @module
 */
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
import {
  type BaselineComparison,
  type ComparisonOptions,
  CONFIDENCE,
  CURVE_POINTS,
  CURVE_RESAMPLES,
  type EvaluationPoint,
  type ExperimentComparison,
  IMPROVEMENT_RESAMPLES,
  IQM_MIN_SEEDS,
  type RunResults,
  variantName,
  type VariantResults,
  type VariantSummary,
} from "./comparison_types.ts";

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

/** A statistic over seeds (a final mean, a paired difference) with its bootstrap draws, sorted. */
export interface SeedStatistic {
  /** The statistic of the data. */
  point: number;
  /** Its bootstrap draws, in increasing order. */
  sorted: Float64Array;
  /** The seeds (paired seeds for a difference) it is over. */
  seeds: number;
}

/**
 * Each run's mean reward in episode `episode` (from 1) of the trial at its last evaluation, as
 * one row of one score per seed; undefined unless every run recorded that episode.
 */
function episodeRows(runs: readonly RunResults[], episode: number): Float64Array[] | undefined {
  const values = runs.map((r) => r.adaptation?.[episode - 1]);
  if (values.length === 0 || values.some((x) => x === undefined)) return undefined;
  return values.map((x) => Float64Array.of(x!));
}

/** The value cached under `key`, made and cached on first use. */
export function memo<K, V>(cache: Map<K, V>, key: K, make: () => V): V {
  if (!cache.has(key)) cache.set(key, make());
  return cache.get(key) as V;
}

/** `a` and `b` as one cache key. */
export function pairKey(a: VariantResults, b: VariantResults): string {
  return `${variantName(a)}\u0000${variantName(b)}`;
}

/** Bootstraps of one experiment, each from its own stream, cached per variant and pair. */
export class ExperimentStatistics {
  readonly #summaries = new Map<VariantResults, VariantSummary>();
  readonly #finalDraws = new Map<VariantResults, Float64Array>();
  readonly #differences = new Map<string, SeedStatistic | undefined>();
  readonly #versus = new Map<string, BaselineComparison | undefined>();
  readonly #curves = new Map<VariantResults, CurvePoint[] | undefined>();
  readonly #adaptation = new Map<VariantResults, AdaptationCurve | undefined>();
  readonly #episodes = new Map<string, SeedStatistic | undefined>();

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

  /**
   * The final mean of `v` with its sorted bootstrap draws: the trial's return (the same draws as
   * {@link VariantSummary.final}), or with `episode` the mean reward in that episode of the trial
   * (seeds resampled); undefined without finished runs, or, for an episode, unless every run
   * recorded its adaptation curve.
   */
  final(v: VariantResults, episode?: number): SeedStatistic | undefined {
    if (episode !== undefined) return this.#episodeStatistic(v, episode);
    const { final, seeds } = this.summary(v);
    if (final === undefined) return undefined;
    return { point: final.point, sorted: this.#drawsOfFinal(v), seeds: seeds.length };
  }

  #episodeStatistic(v: VariantResults, episode: number): SeedStatistic | undefined {
    return memo(this.#episodes, `${variantName(v)}\u0000${episode}`, () => {
      const rows = episodeRows(v.runs, episode);
      if (rows === undefined) return undefined;
      const { point, draws } = bootstrapDistributions(
        [rows],
        ([r]) => [grandMean(r!)],
        this.#bootstrap(`episode-${episode}`, v),
      );
      return { point: point[0]!, sorted: draws[0]!.sort(), seeds: rows.length };
    });
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

  /**
   * The paired difference a − b over their common seeds: of the trial's return, or with
   * `episodes` of the mean reward in episode `episodes[0]` of a's trial and `episodes[1]` of
   * b's (a and b may then be the same variant). Undefined without common seeds, or, for
   * episodes, unless every run recorded its adaptation curve.
   */
  difference(
    a: VariantResults,
    b: VariantResults,
    episodes?: readonly [number, number],
  ): SeedStatistic | undefined {
    const key = `${pairKey(a, b)}${episodes === undefined ? "" : `\u0000${episodes.join("-")}`}`;
    return memo(this.#differences, key, () => {
      const bySeed = new Map(b.runs.map((r) => [r.seed, r]));
      const pairs = a.runs.flatMap((r) => {
        const twin = bySeed.get(r.seed);
        return twin === undefined ? [] : [[r, twin] as const];
      });
      if (pairs.length === 0) return undefined;
      const rows = episodes === undefined
        ? [finalRows(pairs.map((p) => p[0])), finalRows(pairs.map((p) => p[1]))]
        : [
          episodeRows(pairs.map((p) => p[0]), episodes[0]),
          episodeRows(pairs.map((p) => p[1]), episodes[1]),
        ];
      if (rows.some((r) => r === undefined)) return undefined;
      const purpose = episodes === undefined ? "difference" : `difference-${episodes.join("-")}`;
      const { point, draws } = bootstrapDistributions(
        rows as ScoreRows[],
        ([x, y]) => [grandMean(x!) - grandMean(y!)],
        { ...this.#bootstrap(purpose, a, b), paired: true },
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
