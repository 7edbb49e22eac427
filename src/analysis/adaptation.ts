/**
 * The adaptation curve: how much reward an agent earns in each episode of a trial, at its final
 * evaluation, with an interval over seeds. RL² should earn more in later episodes of a trial
 * than in its first, since its memory spans the trial; a curve that is flat after the first
 * episode says the agent does not learn across episodes.
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import { bootstrapCi, type Interval } from "./bootstrap.ts";
import { grandMean } from "./summary.ts";

/** An agent's mean reward in one episode of the trial, over seeds. */
export interface AdaptationPoint {
  /** The episode of the trial, from 1. */
  episode: number;
  /** Mean over seeds of each seed's mean over evaluation tasks, with its percentile interval. */
  reward: Interval;
}

/** An agent's adaptation curve and what its last episode gains over its first. */
export interface AdaptationCurve {
  /** One point per episode of the trial. */
  points: AdaptationPoint[];
  /** Mean over seeds of (last episode − first episode), with its percentile interval. */
  gain: Interval;
  /** The seeds it is over. */
  seeds: number;
}

/** How the intervals are drawn. */
export interface AdaptationOptions {
  /** The bootstrap's stream. */
  rng: Rng;
  /** Bootstrap resamples. */
  resamples: number;
  /** Two-sided confidence of the intervals. */
  confidence: number;
}

/**
 * The adaptation curve of an agent from its seeds' per-episode mean rewards (`perSeed[s][e]`,
 * every seed with the same number of episodes), intervals by resampling seeds.
 *
 * @example Two seeds that earn 1 then 3, and 2 then 4: a gain of 2
 * ```ts
 * import { Rng } from "../rng.ts";
 * import { adaptationCurve } from "./adaptation.ts";
 * const curve = adaptationCurve([[1, 3], [2, 4]], {
 *   rng: Rng.derive(0, "adaptation"),
 *   resamples: 200,
 *   confidence: 0.95,
 * });
 * if (curve.points[1]!.reward.point !== 3.5 || curve.gain.point !== 2) throw new Error("curve");
 * ```
 */
export function adaptationCurve(
  perSeed: readonly (readonly number[])[],
  options: AdaptationOptions,
): AdaptationCurve {
  const episodes = perSeed[0]?.length ?? 0;
  if (episodes === 0 || perSeed.some((s) => s.length !== episodes)) {
    throw new Error("every seed needs the same, non-zero number of episodes");
  }
  const interval = (values: number[]) =>
    bootstrapCi(values.map((v) => [v]), grandMean, {
      rng: options.rng,
      scheme: "stratified",
      resamples: options.resamples,
      confidence: options.confidence,
    });
  return {
    points: Array.from({ length: episodes }, (_, e) => ({
      episode: e + 1,
      reward: interval(perSeed.map((s) => s[e]!)),
    })),
    gain: interval(perSeed.map((s) => s[episodes - 1]! - s[0]!)),
    seeds: perSeed.length,
  };
}

/**
 * Where episode `episode` (from 1) of an evaluation trial sits on the trajectories axis: the
 * trajectories of the task spent before it, when each episode stands for `trajectories` of them
 * (K for MAML's stages).
 */
export function trajectoriesBefore(episode: number, trajectories: number): number {
  return (episode - 1) * trajectories;
}
