/**
 * An experiment's `expect` entries checked against its comparison: `better_than` (the paired
 * difference's one-sided lower bound above 0), `at_least` (the final mean at least a value) and
 * `not_below` (the final mean's two-sided interval reaching a value). With `episode`, a claim is
 * about the mean reward in that episode of the trial (the adaptation curve) instead of the
 * trial's return, and `better_than_episode` sets it against another episode of the same agent.
 *
 * @module
 */
import {
  type ExpectationResult,
  type ExperimentResults,
  variantName,
  type VariantResults,
} from "./comparison_types.ts";
import { quantileSorted } from "./summary.ts";
import { type ExperimentStatistics, pairKey } from "./experiment_statistics.ts";

/** What a claim is about: a variant's trial return, or its reward in one episode of the trial. */
interface Claimed {
  variant: VariantResults;
  episode?: number;
}

function label({ variant, episode }: Claimed): string {
  return episode === undefined
    ? variantName(variant)
    : `${variantName(variant)} episode ${episode}`;
}

function betterThan(
  stats: ExperimentStatistics,
  a: Claimed,
  b: Claimed,
  confidence: number,
): ExpectationResult {
  const claim = { variant: label(a), kind: "better_than" as const, other: label(b), confidence };
  const episodes = a.episode === undefined ? undefined : [a.episode, b.episode!] as const;
  const d = stats.difference(a.variant, b.variant, episodes);
  if (d === undefined) {
    return {
      ...claim,
      passed: false,
      unavailable: unavailable(a, "no seeds with results for both"),
    };
  }
  const bound = quantileSorted(d.sorted, 1 - confidence);
  return { ...claim, passed: bound > 0, value: d.point, bound, seeds: d.seeds };
}

function unavailable(a: Claimed, otherwise: string): string {
  return a.episode === undefined
    ? otherwise
    : `${otherwise}, each with the adaptation curve of a finished run (adaptation.csv)`;
}

function atLeast(
  stats: ExperimentStatistics,
  a: Claimed,
  threshold: number,
  confidence: number,
): ExpectationResult {
  const claim = { variant: label(a), kind: "at_least" as const, threshold, confidence };
  const final = stats.final(a.variant, a.episode);
  if (final === undefined) {
    return { ...claim, passed: false, unavailable: unavailable(a, "no finished runs") };
  }
  return {
    ...claim,
    passed: final.point >= threshold,
    value: final.point,
    bound: quantileSorted(final.sorted, 1 - confidence),
    seeds: final.seeds,
  };
}

/** `not_below`: the two-sided interval of the final mean reaches up to the threshold or beyond. */
function notBelow(
  stats: ExperimentStatistics,
  a: Claimed,
  threshold: number,
  confidence: number,
): ExpectationResult {
  const claim = { variant: label(a), kind: "not_below" as const, threshold, confidence };
  const final = stats.final(a.variant, a.episode);
  if (final === undefined) {
    return { ...claim, passed: false, unavailable: unavailable(a, "no finished runs") };
  }
  const upper = quantileSorted(final.sorted, 1 - (1 - confidence) / 2);
  return {
    ...claim,
    passed: upper >= threshold,
    value: final.point,
    bound: upper,
    seeds: final.seeds,
  };
}

/** Every expectation at every setting, once per distinct variant (or pair of variants). */
export function checkExpectations(
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
      const variant = variants.find((v) => v.agent === e.agent);
      if (variant === undefined) continue;
      const a = { variant, episode: e.episode };
      const other = variants.find((v) => v.agent === e.better_than);
      if (other !== undefined && once(`>${pairKey(variant, other)}`)) {
        out.push(betterThan(stats, a, { variant: other, episode: e.episode }, e.confidence));
      }
      if (e.better_than_episode !== undefined && once(`>>${variantName(variant)}`)) {
        out.push(betterThan(stats, a, { variant, episode: e.better_than_episode }, e.confidence));
      }
      if (e.at_least !== undefined && once(`≥${variantName(variant)}`)) {
        out.push(atLeast(stats, a, e.at_least, e.confidence));
      }
      if (e.not_below !== undefined && once(`⊇${variantName(variant)}`)) {
        out.push(notBelow(stats, a, e.not_below, e.confidence));
      }
    }
  }
  return out;
}
