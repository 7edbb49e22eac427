/**
 * Argmax with uniform random tie-breaking, shared by the baselines that pick the best action
 * by some score.
 *
 * @module
 */
import type { Rng } from "../rng.ts";

/**
 * The index of the largest value; among equal largest values, one drawn uniformly with `rng`
 * (reservoir sampling, so `rng` is only drawn from when a tie occurs).
 *
 * @example Ties are broken at random
 * ```ts
 * import { Rng } from "../rng.ts";
 * import { argmaxRandomTie } from "./argmax.ts";
 * const i = argmaxRandomTie([0.2, 0.7, 0.7], Rng.derive(1, "doc"));
 * if (i !== 1 && i !== 2) throw new Error("not an argmax");
 * ```
 */
export function argmaxRandomTie(values: ArrayLike<number>, rng: Rng): number {
  if (values.length === 0) throw new Error("argmax of an empty list");
  let best = 0;
  let ties = 1;
  for (let i = 1; i < values.length; i++) {
    const v = values[i]!;
    const top = values[best]!;
    if (v > top) {
      best = i;
      ties = 1;
    } else if (v === top) {
      ties++;
      if (rng.int(ties) === 0) best = i;
    }
  }
  return best;
}
