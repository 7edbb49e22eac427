/**
 * An experiment's `expect` entries checked against its comparison: `better_than` (the paired
 * difference's one-sided lower bound above 0), `at_least` (the final mean at least a value) and
 * `not_below` (the final mean's two-sided interval reaching a value).
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
