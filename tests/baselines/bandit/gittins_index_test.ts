import assert from "node:assert/strict";
import {
  GittinsIndexTable,
  gittinsIndexTable,
} from "../../../src/baselines/bandit/gittins_index.ts";

/**
 * An independent reference: the restart-in-state formulation (Katehakis & Veinott 1987), solved
 * by value iteration, with no retirement reward and no bisection. On the arm truncated like the
 * code under test (states up to `depth` pulls from (a, b); a state at the truncation is absorbing
 * and pays its posterior mean forever), the controller may at any state either pull on or restart
 * from (a, b); the index is (1 − γ) times the optimal value at (a, b).
 */
function restartIndex(a: number, b: number, discount: number, depth: number): number {
  const mean = (d: number, i: number) => (a + i) / (a + b + d);
  let v = Array.from({ length: depth + 1 }, (_, d) => new Float64Array(d + 1));
  const pull = (values: Float64Array[], d: number, i: number) => {
    const mu = mean(d, i);
    if (d === depth) return mu + discount * values[d]![i]!;
    return mu + discount * (mu * values[d + 1]![i + 1]! + (1 - mu) * values[d + 1]![i]!);
  };
  for (let iter = 0; iter < 100000; iter++) {
    const next = v.map((row) => new Float64Array(row.length));
    const restart = pull(v, 0, 0);
    let change = 0;
    for (let d = 0; d <= depth; d++) {
      for (let i = 0; i <= d; i++) {
        next[d]![i] = Math.max(pull(v, d, i), restart);
        change = Math.max(change, Math.abs(next[d]![i]! - v[d]![i]!));
      }
    }
    v = next;
    if (change < 1e-13) break;
  }
  return (1 - discount) * v[0]![0]!;
}

Deno.test("GittinsIndexTable.index() agrees with restart-in-state value iteration", () => {
  for (const [discount, depth] of [[0.7, 12], [0.9, 12], [0.95, 20]] as const) {
    const table = new GittinsIndexTable(discount, depth);
    for (let a = 1; a <= 4; a++) {
      for (let b = 1; b <= 4; b++) {
        const want = restartIndex(a, b, discount, depth);
        const got = table.index(a, b);
        assert.ok(Math.abs(got - want) < 1e-7, `γ=${discount} (${a},${b}): ${got} vs ${want}`);
      }
    }
  }
});

Deno.test("GittinsIndexTable.index() matches Gittins' published Bernoulli tables", () => {
  // Gittins (1989) tables, as reproduced in Christian & Griffiths, "Algorithms to Live By" (2016):
  // wins–losses 0–0 → 0.7029, 1–1 → 0.6346, 2–2 → 0.6010, 9–1 → 0.8695 at γ = 0.9, and
  // 0–0 → 0.8699 at γ = 0.99. A record w–l is the Beta(1 + w, 1 + l) posterior.
  const cases = [
    [0.9, 100, 1, 1, 0.7029],
    [0.9, 100, 2, 2, 0.6346],
    [0.9, 100, 3, 3, 0.6010],
    [0.9, 100, 10, 2, 0.8695],
    [0.99, 400, 1, 1, 0.8699],
  ] as const;
  for (const [discount, depth, a, b, published] of cases) {
    const got = gittinsIndexTable(discount, depth).index(a, b);
    assert.ok(Math.abs(got - published) < 6e-5, `γ=${discount} (${a},${b}): ${got}`);
  }
});

Deno.test("GittinsIndexTable.index() solves the one-step look-ahead by hand", () => {
  // Depth 1 from Beta(1,1): the leaves have means 2/3 and 1/3 and are worth max(μ, λ)/(1−γ).
  // For λ in (1/2, 2/3) indifference reads 1/2 − λ + γ/(1−γ)·½·(2/3 − λ) = 0; with γ = 0.9
  // that is 0.5 + 4.5·2/3 = 5.5 λ, so λ = 3.5/5.5.
  assert.ok(Math.abs(new GittinsIndexTable(0.9, 1).index(1, 1) - 3.5 / 5.5) < 1e-7);
  // Depth 0 leaves no learning: the index is the posterior mean.
  assert.ok(Math.abs(new GittinsIndexTable(0.9, 0).index(3, 5) - 3 / 8) < 1e-7);
});

Deno.test("GittinsIndexTable.index() exceeds the mean, rises with successes, falls with failures", () => {
  const table = gittinsIndexTable(0.9, 100);
  for (let a = 1; a <= 12; a++) {
    for (let b = 1; b <= 12; b++) {
      const v = table.index(a, b);
      assert.ok(v > a / (a + b), `(${a},${b})`);
      assert.ok(table.index(a + 1, b) > v, `(${a + 1},${b})`);
      assert.ok(table.index(a, b + 1) < v, `(${a},${b + 1})`);
    }
  }
});

Deno.test("GittinsIndexTable.index() approaches the mean as the posterior concentrates", () => {
  const table = gittinsIndexTable(0.9, 100);
  let previous = Infinity;
  for (const m of [1, 2, 4, 8, 16, 32, 64, 128, 256, 1000]) {
    const bonus = table.index(m, m) - 0.5;
    assert.ok(bonus > 0 && bonus < previous, `Beta(${m},${m}) bonus ${bonus}`);
    previous = bonus;
  }
  assert.ok(previous < 1e-3, `bonus at Beta(1000,1000) is ${previous}`);
});

Deno.test("gittinsIndexTable() shares one table per (discount, depth)", () => {
  assert.equal(gittinsIndexTable(0.8, 20), gittinsIndexTable(0.8, 20));
  assert.notEqual(gittinsIndexTable(0.8, 20), gittinsIndexTable(0.8, 21));
  assert.notEqual(gittinsIndexTable(0.8, 20), gittinsIndexTable(0.81, 20));
});

Deno.test("GittinsIndexTable rejects bad settings and non-integer states", () => {
  assert.throws(() => new GittinsIndexTable(1, 10), /discount/);
  assert.throws(() => new GittinsIndexTable(0.9, -1), /depth/);
  assert.throws(() => new GittinsIndexTable(0.9, 10).index(0, 1), /positive integers/);
  assert.throws(() => new GittinsIndexTable(0.9, 10).index(1.5, 1), /positive integers/);
});
