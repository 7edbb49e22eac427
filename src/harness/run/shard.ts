/**
 * Splitting the runs of a command into N shards, so one command scales out over a job array:
 * shard i of N takes every N-th run, counting from i, in the order of run keys. The split
 * depends only on the keys, so every shard agrees on it without talking to the others.
 *
 * @module
 */

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  /** Which shard, from 1. */
  index: number;
  /** How many shards. */
  count: number;
}

/**
 * Parses `i/N` (1-based), e.g. `3/16`.
 *
 * @example
 * ```ts
 * import { parseShard } from "./shard.ts";
 * const s = parseShard("3/16");
 * if (s.index !== 3 || s.count !== 16) throw new Error("shard");
 * ```
 */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new Error(`--shard must be i/N with 1 ≤ i ≤ N (e.g. 3/16), got "${text}"`);
  }
  return { index, count };
}

/**
 * The items of one shard, in their original order: the items are ranked by key (code-unit
 * order) and shard i takes ranks i − 1, i − 1 + N, …. Shards are disjoint, cover every item
 * and differ in size by at most one.
 *
 * @example
 * ```ts
 * import { selectShard } from "./shard.ts";
 * const ids = ["d", "a", "c", "b", "e"];
 * const two = selectShard(ids, (x) => x, { index: 2, count: 2 });
 * if (two.join() !== "d,b") throw new Error("shard");
 * ```
 */
export function selectShard<T>(items: readonly T[], key: (item: T) => string, shard: Shard): T[] {
  const keys = items.map(key);
  const ranked = keys.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : 1));
  const chosen = new Set(ranked.filter((_, rank) => rank % shard.count === shard.index - 1));
  return items.filter((_, i) => chosen.has(i));
}
