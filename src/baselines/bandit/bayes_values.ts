/**
 * Exact Bayes-optimal values of the finite-horizon Bernoulli bandit of the RL² paper's Table 1:
 * k arms whose success probabilities are independent Uniform(0, 1) = Beta(1, 1), n pulls. After s
 * successes and f failures an arm pays with posterior probability (s + 1)/(s + f + 2), so the
 * belief is the list of every arm's (s, f), and backward induction over it gives the largest
 * expected number of successes still to come: no agent, however trained, earns more in
 * expectation over the task distribution. Arms are exchangeable, so a belief is kept as the
 * sorted multiset of the pulled arms' (s, f) (the untried arms all look alike); at n = 10 that
 * leaves 1,951 beliefs with pulls to go for k = 5 and 2,296 for every k ≥ 10 (an agent cannot try
 * more than n arms, so more arms than pulls change nothing); the expected successes are 6.6600 and
 * 6.7140.
 *
 * @module
 */

/**
 * Most pulls solved: the beliefs grow about tenfold per five pulls (n = 20, k = 10: 760,948 of
 * them, 5 s and 250 MB here).
 */
export const MAX_PULLS = 20;

/** The exact values of the `arms`-armed, `pulls`-pull Bernoulli bandit, memoised by belief. */
export interface BanditBayesValues {
  /** The expected successes of the Bayes-optimal agent over the whole trial. */
  readonly trial: number;
  /**
   * The expected successes still to come when the arm with counts `counts[arm]` is pulled now and
   * the agent acts optimally afterwards; `counts` holds every arm's (successes, failures).
   */
  pullValue(counts: readonly (readonly [number, number])[], arm: number): number;
  /** Beliefs solved so far (memoised). */
  readonly size: number;
}

/**
 * Solves the `arms`-armed bandit with `pulls` pulls. Throws beyond {@link MAX_PULLS} pulls.
 *
 * @example One arm: every pull pays 1/2 in expectation; two arms, two pulls: 1/2, then 2/3 after
 * a success (stay) or 1/2 after a failure (switch)
 * ```ts
 * import { banditBayesValues } from "./bayes_values.ts";
 * if (banditBayesValues(1, 4).trial !== 2) throw new Error("one arm");
 * if (Math.abs(banditBayesValues(2, 2).trial - 13 / 12) > 1e-15) throw new Error("two arms");
 * ```
 */
export function banditBayesValues(arms: number, pulls: number): BanditBayesValues {
  if (!(Number.isInteger(arms) && arms >= 1)) throw new Error(`arms must be ≥ 1, got ${arms}`);
  if (!(Number.isInteger(pulls) && pulls >= 0 && pulls <= MAX_PULLS)) {
    throw new Error(
      `the exact Bayes-optimal values are solved for at most ${MAX_PULLS} pulls per trial, ` +
        `got ${pulls}: beyond that the beliefs to solve run into the millions`,
    );
  }
  // A pulled arm's (s, f) as one number; untried arms (0, 0) are left out of a belief.
  const base = pulls + 1;
  const memo = new Map<string, number>();

  /** The belief `codes` (sorted) with the arm at `index` (−1: an untried one) moved by `step`. */
  const moved = (codes: readonly number[], index: number, step: number): number[] => {
    const next = index < 0 ? [...codes, step] : codes.map((c, i) => i === index ? c + step : c);
    return next.sort((a, b) => a - b);
  };

  /** Expected successes to come from the belief `codes` (sorted), `left` pulls to go. */
  function value(codes: readonly number[], left: number): number {
    if (left === 0) return 0;
    const key = codes.join(",");
    const known = memo.get(key);
    if (known !== undefined) return known;
    let best = codes.length < arms ? pull(codes, -1, left) : -Infinity;
    for (let i = 0; i < codes.length; i++) {
      if (i > 0 && codes[i] === codes[i - 1]) continue;
      best = Math.max(best, pull(codes, i, left));
    }
    memo.set(key, best);
    return best;
  }

  /** Expected successes to come from pulling the arm at `index` (−1: an untried one) now. */
  function pull(codes: readonly number[], index: number, left: number): number {
    const code = index < 0 ? 0 : codes[index]!;
    const s = Math.floor(code / base);
    const f = code % base;
    const p = (s + 1) / (s + f + 2);
    return p * (1 + value(moved(codes, index, base), left - 1)) +
      (1 - p) * value(moved(codes, index, 1), left - 1);
  }

  const trial = value([], pulls);
  return {
    trial,
    get size() {
      return memo.size;
    },
    pullValue(counts, arm) {
      let used = 0;
      const codes: number[] = [];
      for (const [s, f] of counts) {
        used += s + f;
        if (s + f > 0) codes.push(s * base + f);
      }
      if (counts.length !== arms || used >= pulls) {
        throw new Error(`no pull left to value: ${counts.length} arms, ${used} of ${pulls} pulls`);
      }
      codes.sort((a, b) => a - b);
      const [s, f] = counts[arm]!;
      const index = s + f === 0 ? -1 : codes.indexOf(s * base + f);
      return pull(codes, index, pulls - used);
    },
  };
}
