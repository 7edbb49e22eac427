/**
 * Where two JSON values (two resolved experiments, say) differ, for messages that refuse to
 * put them together.
 *
 * @module
 */
import { canonicalJson, isRecord } from "../canonical.ts";
import { formatPath, type JsonPath } from "./issues.ts";

/**
 * Where two JSON values differ, e.g. `agents.rl2.trpo.iterations: 80 vs 60` (at most
 * `limit`).
 */
export function jsonDifferences(a: unknown, b: unknown, limit = 5, path: JsonPath = []): string[] {
  if (canonicalJson(a) === canonicalJson(b)) return [];
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => jsonDifferences(a[k], b[k], limit, [...path, k])).slice(0, limit);
  }
  const show = (v: unknown) => v === undefined ? "absent" : canonicalJson(v);
  return [`${formatPath(path)}: ${show(a)} vs ${show(b)}`];
}
