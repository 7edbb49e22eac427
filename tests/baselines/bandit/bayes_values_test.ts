import assert from "node:assert/strict";
import { banditBayesValues, MAX_PULLS } from "../../../src/baselines/bandit/bayes_values.ts";

/**
 * An independent reference: backward induction over every arm's (s, f) as listed, arms kept
 * distinct (no exchangeability), memoised on the whole list.
 */
function bruteForce(arms: number, pulls: number): number {
  const memo = new Map<string, number>();
  const value = (counts: number[][], left: number): number => {
    if (left === 0) return 0;
    const key = JSON.stringify(counts);
    const known = memo.get(key);
    if (known !== undefined) return known;
    let best = -Infinity;
    for (let a = 0; a < arms; a++) {
      const [s, f] = counts[a]!;
      const p = (s! + 1) / (s! + f! + 2);
      const win = counts.map((c, i) => i === a ? [c[0]! + 1, c[1]!] : c);
      const lose = counts.map((c, i) => i === a ? [c[0]!, c[1]! + 1] : c);
      best = Math.max(best, p * (1 + value(win, left - 1)) + (1 - p) * value(lose, left - 1));
    }
    memo.set(key, best);
    return best;
  };
  return value(Array.from({ length: arms }, () => [0, 0]), pulls);
}

Deno.test("banditBayesValues() has the closed forms of one arm and of two arms, two pulls", () => {
  for (const n of [0, 1, 5, 20]) assert.equal(banditBayesValues(1, n).trial, n / 2);
  // 1/2 for the first pull; then 2/3 (stay after a success) or 1/2 (switch after a failure).
  assert.ok(Math.abs(banditBayesValues(2, 2).trial - 13 / 12) < 1e-15);
});

Deno.test("banditBayesValues() equals backward induction over distinct arms", () => {
  for (const [k, n] of [[2, 6], [3, 5], [4, 4], [5, 3]] as const) {
    const exact = banditBayesValues(k, n).trial;
    assert.ok(Math.abs(exact - bruteForce(k, n)) < 1e-12, `k = ${k}, n = ${n}`);
  }
});

Deno.test("banditBayesValues() values each pull as the expected successes to come", () => {
  const values = banditBayesValues(3, 4);
  const start = [[0, 0], [0, 0], [0, 0]] as const;
  assert.ok(Math.abs(values.pullValue(start, 0) - values.trial) < 1e-15);
  // After one success on arm 0: staying is worth more than trying a fresh arm, and both are
  // the one-step payoff plus what the three pulls left are worth from there.
  const after = [[1, 0], [0, 0], [0, 0]] as const;
  assert.ok(values.pullValue(after, 0) > values.pullValue(after, 1));
  assert.equal(values.pullValue(after, 1), values.pullValue(after, 2));
  // After a failure on arm 0 a fresh arm is better.
  const failed = [[0, 1], [0, 0], [0, 0]] as const;
  assert.ok(values.pullValue(failed, 1) > values.pullValue(failed, 0));
  assert.throws(() => values.pullValue([[2, 2], [0, 0], [0, 0]], 0), /no pull left/);
});

Deno.test("banditBayesValues() at n = 10: more arms help up to n, not beyond; the beliefs stay few", () => {
  const k5 = banditBayesValues(5, 10);
  const k10 = banditBayesValues(10, 10);
  const k50 = banditBayesValues(50, 10);
  assert.equal(k50.trial, k10.trial, "an agent cannot try more than n arms");
  assert.ok(k10.trial > k5.trial);
  assert.deepEqual([k5.size, k10.size, k50.size], [1951, 2296, 2296]);
  // The values the docs quote.
  assert.equal(k5.trial.toFixed(4), "6.6600");
  assert.equal(k10.trial.toFixed(4), "6.7140");
});

Deno.test("banditBayesValues() refuses more pulls than it solves", () => {
  assert.throws(() => banditBayesValues(5, MAX_PULLS + 1), /at most 20 pulls per trial, got 21/);
  assert.throws(() => banditBayesValues(0, 10), /arms must be ≥ 1/);
});
