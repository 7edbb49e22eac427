/**
 * Gittins indices of Bernoulli arms with Beta(a, b) posteriors under discount γ, by calibration
 * against a standard arm (Gittins, Glazebrook & Weber 2011, ch. 8): the index of state (a, b) is
 * the per-step retirement reward λ at which pulling the arm at least once more and retiring
 * (a standard arm worth λ/(1−γ)) are equally good.
 *
 * For a given λ the value of the arm-or-retire problem comes from backward induction over the
 * Beta states reachable from (a, b) in at most `depth` pulls, (a+i, b+d−i) for d ≤ depth. At the
 * truncation the arm is treated as known to have its posterior mean μ (no further learning), so
 * a leaf is worth max(μ, λ)/(1−γ). λ is then found by bisection on [μ(a,b), 1]: the advantage of
 * continuing over retiring is positive below the index and zero above it.
 *
 * Cost per state: about depth²/2 × 27 (bisection steps to 1e-8) updates; indices are memoised
 * per (γ, depth) for the whole process, so many tasks share one table.
 *
 * @module
 */

/** Bisection stops when the bracket around the index is narrower than this. */
const TOLERANCE = 1e-8;

/**
 * How much more the best pull-or-retire policy started at (a, b) earns than retiring now on λ per
 * step (discounted reward, ≥ 0): positive iff pulling beats retiring. `work` holds one level of
 * the state triangle (length ≥ depth + 1).
 */
function continuationAdvantage(
  a: number,
  b: number,
  discount: number,
  depth: number,
  lambda: number,
  work: Float64Array,
): number {
  const leafTotal = a + b + depth;
  for (let i = 0; i <= depth; i++) {
    const gain = ((a + i) / leafTotal - lambda) / (1 - discount);
    work[i] = gain > 0 ? gain : 0;
  }
  for (let d = depth - 1; d >= 0; d--) {
    const total = a + b + d;
    for (let i = 0; i <= d; i++) {
      const mu = (a + i) / total;
      const value = mu - lambda + discount * (mu * work[i + 1]! + (1 - mu) * work[i]!);
      work[i] = value > 0 ? value : 0;
    }
  }
  return work[0]!;
}

function computeIndex(a: number, b: number, discount: number, depth: number): number {
  const work = new Float64Array(depth + 1);
  let lo = a / (a + b);
  let hi = 1;
  while (hi - lo > TOLERANCE) {
    const mid = 0.5 * (lo + hi);
    if (continuationAdvantage(a, b, discount, depth, mid, work) > 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Gittins indices for one (discount, depth), computed on first use and remembered. */
export class GittinsIndexTable {
  readonly #memo = new Map<number, number>();

  /**
   * A table for discount γ in (0, 1) and truncation depth (pulls of look-ahead) ≥ 0.
   * Prefer {@link gittinsIndexTable}, which shares tables across agents.
   */
  constructor(readonly discount: number, readonly depth: number) {
    if (!(discount > 0 && discount < 1)) {
      throw new Error(`discount must be in (0, 1), got ${discount}`);
    }
    if (!Number.isInteger(depth) || depth < 0) {
      throw new Error(`depth must be a non-negative integer, got ${depth}`);
    }
  }

  /**
   * The Gittins index of a Beta(a, b) arm; a and b are positive integers (1 + successes and
   * 1 + failures under the Beta(1,1) prior).
   *
   * @example An untried arm at γ = 0.9 is worth a sure 0.7029 per pull (Gittins 1989)
   * ```ts
   * import { gittinsIndexTable } from "./gittins_index.ts";
   * const v = gittinsIndexTable(0.9, 60).index(1, 1);
   * if (Math.abs(v - 0.7029) > 1e-4) throw new Error(`index ${v}`);
   * ```
   */
  index(a: number, b: number): number {
    if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 1 && b >= 1 && a < 2 ** 26)) {
      throw new Error(`Beta state must be positive integers, got (${a}, ${b})`);
    }
    const key = a * 2 ** 26 + b;
    let v = this.#memo.get(key);
    if (v === undefined) {
      v = computeIndex(a, b, this.discount, this.depth);
      this.#memo.set(key, v);
    }
    return v;
  }
}

const tables = new Map<string, GittinsIndexTable>();

/**
 * The process-wide table for (discount, depth), so agents of many tasks and runs share indices.
 *
 * @example The same table twice
 * ```ts
 * import { gittinsIndexTable } from "./gittins_index.ts";
 * if (gittinsIndexTable(0.9, 10) !== gittinsIndexTable(0.9, 10)) throw new Error("not shared");
 * ```
 */
export function gittinsIndexTable(discount: number, depth: number): GittinsIndexTable {
  const key = `${discount}/${depth}`;
  let table = tables.get(key);
  if (table === undefined) {
    table = new GittinsIndexTable(discount, depth);
    tables.set(key, table);
  }
  return table;
}
