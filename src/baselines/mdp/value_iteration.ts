/**
 * Finite-horizon value iteration (backward induction) on a tabular MDP model, and UCRL2's
 * extended value iteration, which also maximises over transition rows within an L1 ball.
 *
 * A Q table has layout `q[(h*S + s)*A + a]` for the step h = 0..H−1 within the episode;
 * the value after the last step is 0 and there is no discounting (TabulaRL's `compute_qVals`).
 *
 * @module
 */
import type { MdpTask } from "../../envs/tabular_mdp.ts";

/**
 * The optimal Q table of `mdp` over `horizon` steps. With `bonusPerStepLeft`, each step's reward
 * of (s,a) gets `bonusPerStepLeft[s*A + a]` times the number of steps left after it (TabulaRL's
 * `compute_qVals_opt`, used by BEB).
 *
 * @example One state, one action, reward 2: Q at step h is 2·(H − h)
 * ```ts
 * import { qValues } from "./value_iteration.ts";
 * const mdp = {
 *   states: 1,
 *   actions: 1,
 *   rewardMean: new Float64Array([2]),
 *   transitions: new Float64Array([1]),
 * };
 * const q = qValues(mdp, 3);
 * if (q[0] !== 6 || q[2] !== 2) throw new Error("wrong values");
 * ```
 */
export function qValues(
  mdp: MdpTask,
  horizon: number,
  bonusPerStepLeft?: Float64Array,
  out: Float64Array = new Float64Array(horizon * mdp.states * mdp.actions),
): Float64Array {
  const { states: S, actions: A, rewardMean, transitions } = mdp;
  let next = new Float64Array(S);
  let current = new Float64Array(S);
  for (let h = horizon - 1; h >= 0; h--) {
    const stepsLeft = horizon - 1 - h;
    for (let s = 0; s < S; s++) {
      let best = -Infinity;
      for (let a = 0; a < A; a++) {
        const sa = s * A + a;
        let q = rewardMean[sa]! + (bonusPerStepLeft?.[sa] ?? 0) * stepsLeft;
        for (let j = 0; j < S; j++) q += transitions[sa * S + j]! * next[j]!;
        out[(h * S + s) * A + a] = q;
        if (q > best) best = q;
      }
      current[s] = best;
    }
    [next, current] = [current, next];
  }
  return out;
}

/**
 * The row within L1 distance `slack` of `p[offset .. offset+S)` that maximises its dot product
 * with the values whose ascending order is `order` (Jaksch et al. 2010, Fig. 2): the best state
 * gains min(1 − p, slack/2) and the worst states give that mass up, worst first.
 */
export function optimisticRow(
  p: Float64Array,
  offset: number,
  slack: number,
  order: Int32Array,
  out: Float64Array,
): Float64Array {
  const S = order.length;
  for (let j = 0; j < S; j++) out[j] = p[offset + j]!;
  const best = order[S - 1]!;
  let excess = Math.min(1 - out[best]!, slack / 2);
  out[best]! += excess;
  for (let i = 0; i < S - 1 && excess > 0; i++) {
    const worst = order[i]!;
    const take = Math.min(out[worst]!, excess);
    out[worst]! -= take;
    excess -= take;
  }
  return out;
}

/** Options of {@link optimisticQValues}. */
export interface OptimisticOptions {
  /**
   * Start each step's optimistic row from the row chosen for the same (s,a) at the step after
   * it, unless that step moved all mass to one state. TabulaRL's `compute_qVals_EVI` does this
   * by updating P̂ in place; Jaksch et al. start every step from P̂ (the default).
   */
  readonly carryOver?: boolean;
  /** Where to write the Q table. */
  readonly out?: Float64Array;
}

/**
 * The optimistic Q table over `horizon` steps (TabulaRL's `compute_qVals_EVI`): the reward of
 * (s,a) is `mdp.rewardMean + rewardSlack` and its transition row is the one within L1 distance
 * `transitionSlack` of `mdp.transitions` that leads to the highest next-step value.
 */
export function optimisticQValues(
  mdp: MdpTask,
  horizon: number,
  rewardSlack: Float64Array,
  transitionSlack: Float64Array,
  options: OptimisticOptions = {},
): Float64Array {
  const { states: S, actions: A, rewardMean } = mdp;
  const carryOver = options.carryOver ?? false;
  const out = options.out ?? new Float64Array(horizon * S * A);
  const base = carryOver ? Float64Array.from(mdp.transitions) : mdp.transitions;
  let next = new Float64Array(S);
  let current = new Float64Array(S);
  const row = new Float64Array(S);
  const order = new Int32Array(S);
  for (let h = horizon - 1; h >= 0; h--) {
    for (let j = 0; j < S; j++) order[j] = j;
    const v = next;
    order.sort((x, y) => v[x]! - v[y]!);
    const best = order[S - 1]!;
    for (let s = 0; s < S; s++) {
      let bestQ = -Infinity;
      for (let a = 0; a < A; a++) {
        const sa = s * A + a;
        const slack = transitionSlack[sa]!;
        optimisticRow(base, sa * S, slack, order, row);
        if (carryOver && base[sa * S + best]! + slack / 2 <= 1) base.set(row, sa * S);
        let q = rewardMean[sa]! + rewardSlack[sa]!;
        for (let j = 0; j < S; j++) q += row[j]! * v[j]!;
        out[(h * S + s) * A + a] = q;
        if (q > bestQ) bestQ = q;
      }
      current[s] = bestQ;
    }
    [next, current] = [current, next];
  }
  return out;
}
