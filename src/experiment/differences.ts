/**
 * Where two JSON values (two resolved experiments, say) differ, for messages that refuse to
 * put them together, for `validate --explain` and for the deviation lists in the headers of
 * files that extend another (`deviations.ts`).
 *
 * @module
 */
import { canonicalJson, isRecord } from "../canonical.ts";
import { formatPath, type JsonPath } from "./issues.ts";

/** One place where two JSON values differ. */
export interface JsonDifference {
  /** Where: the deepest path at which the two differ (objects are compared key by key). */
  readonly path: JsonPath;
  /** The first value there (`undefined`: absent). */
  readonly before: unknown;
  /** The second value there (`undefined`: absent). */
  readonly after: unknown;
}

/**
 * Every place where two JSON values differ, by path in sorted key order: objects are compared
 * key by key, anything else (numbers, strings, arrays) as a whole, and a key that only one side
 * has is one difference (its value against `undefined`).
 *
 * @example A changed width and a removed agent
 * ```ts
 * import { differingFields } from "./differences.ts";
 * const paper = { agents: { rl2: { gru: 256 }, ucb1: { c: 0.1 } } };
 * const child = { agents: { rl2: { gru: 64 } } };
 * const found = differingFields(paper, child).map((d) => d.path.join("."));
 * if (found.join(" ") !== "agents.rl2.gru agents.ucb1") throw new Error(found.join(" "));
 * ```
 */
export function differingFields(a: unknown, b: unknown, path: JsonPath = []): JsonDifference[] {
  if (canonicalJson(a) === canonicalJson(b)) return [];
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => differingFields(a[k], b[k], [...path, k]));
  }
  return [{ path, before: a, after: b }];
}

/** A value as differences show it: canonical JSON, or `absent` for `undefined`. */
export function showJson(value: unknown): string {
  return value === undefined ? "absent" : canonicalJson(value);
}

/**
 * Where two JSON values differ, e.g. `agents.rl2.trpo.iterations: 80 vs 60` (at most
 * `limit`), one line per {@link differingFields} entry.
 */
export function jsonDifferences(a: unknown, b: unknown, limit = 5, path: JsonPath = []): string[] {
  return differingFields(a, b, path).slice(0, limit).map((d) =>
    `${formatPath(d.path)}: ${showJson(d.before)} vs ${showJson(d.after)}`
  );
}
