import assert from "node:assert/strict";
import { Rng } from "../src/rng.ts";

/** Sample mean, variance, and the standard errors of both (from the sample's fourth moment). */
function moments(xs: ArrayLike<number>) {
  const n = xs.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += xs[i]!;
  const mean = sum / n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (xs[i]! - mean) ** 2;
    m2 += d;
    m4 += d * d;
  }
  m2 /= n;
  m4 /= n;
  return {
    mean,
    variance: m2,
    meanSe: Math.sqrt(m2 / n),
    varianceSe: Math.sqrt((m4 - m2 * m2) / n),
  };
}

/** Asserts that the sample has the given mean and variance to within 5 standard errors. */
function assertMoments(xs: ArrayLike<number>, mean: number, variance: number, what: string) {
  const m = moments(xs);
  assert.ok(
    Math.abs(m.mean - mean) < 5 * m.meanSe,
    `${what}: mean ${m.mean}, expected ${mean} ± ${5 * m.meanSe}`,
  );
  assert.ok(
    Math.abs(m.variance - variance) < 5 * m.varianceSe,
    `${what}: variance ${m.variance}, expected ${variance} ± ${5 * m.varianceSe}`,
  );
}

function draws(n: number, f: () => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f();
  return out;
}

Deno.test("Rng.derive() gives the same stream for the same seed, purpose and indices", () => {
  const a = Rng.derive(42, "tasks", 3);
  const b = Rng.derive(42, "tasks", 3);
  for (let i = 0; i < 1000; i++) assert.equal(a.uint32(), b.uint32());
});

Deno.test("Rng.derive() gives different streams for different seeds, purposes or indices", () => {
  const first = (rng: Rng) => Array.from(draws(8, () => rng.uint32()));
  const base = first(Rng.derive(42, "tasks", 3));
  const variants = [
    Rng.derive(43, "tasks", 3),
    Rng.derive(42 + 2 ** 32, "tasks", 3),
    Rng.derive(-42, "tasks", 3),
    Rng.derive(42, "actions", 3),
    Rng.derive(42, "task", 3),
    Rng.derive(42, "tasks", 4),
    Rng.derive(42, "tasks"),
    Rng.derive(42, "tasks", 3, 0),
  ].map(first);
  for (const v of variants) assert.notDeepEqual(v, base);
  const distinct = new Set([base, ...variants].map((v) => v.join(",")));
  assert.equal(distinct.size, variants.length + 1);
});

Deno.test("Rng.derive() rejects a seed that is not a safe integer", () => {
  assert.throws(() => Rng.derive(1.5, "x"), /seed must be a safe integer, got 1.5/);
  assert.throws(() => Rng.derive(2 ** 53, "x"), /seed must be a safe integer/);
});

Deno.test("Rng.state() and Rng.fromState() resume a stream exactly", () => {
  const rng = Rng.derive(7, "checkpoint");
  for (let i = 0; i < 37; i++) rng.normal();
  const saved = rng.state();
  const expected = draws(100, () => rng.uniform());
  const restored = Rng.fromState(saved);
  assert.deepEqual(draws(100, () => restored.uniform()), expected);
  assert.deepEqual(JSON.parse(JSON.stringify(saved)), saved);
});

Deno.test("Rng.fork() is deterministic and independent of its parent's later draws", () => {
  const a = Rng.derive(5, "parent");
  const b = Rng.derive(5, "parent");
  const childA = a.fork("child", 2);
  const childB = b.fork("child", 2);
  assert.deepEqual(draws(20, () => childA.uint32()), draws(20, () => childB.uint32()));
  assert.notDeepEqual(draws(20, () => a.uint32()), draws(20, () => childA.uint32()));
  assert.notDeepEqual(
    draws(20, () => Rng.derive(5, "parent").fork("child", 1).uint32()),
    draws(20, () => Rng.derive(5, "parent").fork("child", 2).uint32()),
  );
});

Deno.test("Rng.uint32() is an unsigned 32-bit integer with uniform bytes", () => {
  const rng = Rng.derive(1, "uint32");
  const n = 40000;
  const topByte = new Float64Array(n);
  const lowByte = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.uint32();
    assert.ok(Number.isInteger(u) && u >= 0 && u < 2 ** 32, `${u}`);
    topByte[i] = u >>> 24;
    lowByte[i] = u & 0xff;
  }
  // A uniform byte has mean 127.5 and variance (256² − 1) / 12.
  assertMoments(topByte, 127.5, (256 ** 2 - 1) / 12, "top byte");
  assertMoments(lowByte, 127.5, (256 ** 2 - 1) / 12, "low byte");
});

Deno.test("Rng.uniform() lies in [0, 1) with mean 1/2 and variance 1/12", () => {
  const rng = Rng.derive(2, "uniform");
  const xs = draws(200000, () => rng.uniform());
  for (const x of xs) assert.ok(x >= 0 && x < 1, `${x}`);
  assertMoments(xs, 1 / 2, 1 / 12, "uniform");
  const deciles = new Float64Array(10);
  for (const x of xs) deciles[Math.floor(x * 10)]! += 1;
  const se = Math.sqrt(0.1 * 0.9 / xs.length);
  for (const c of deciles) assert.ok(Math.abs(c / xs.length - 0.1) < 5 * se, `decile ${c}`);
  assert.ok(xs.some((x) => x < 1e-4) && xs.some((x) => x > 1 - 1e-4));
});

Deno.test("Rng.uniform() uses more than 32 bits of resolution", () => {
  const rng = Rng.derive(3, "resolution");
  const fine = draws(1000, () => rng.uniform()).filter((x) => x * 2 ** 32 % 1 !== 0);
  assert.ok(fine.length > 990, `${fine.length} of 1000 draws have bits below 2^-32`);
});

Deno.test("Rng.uniformIn() lies in [lo, hi) with the uniform mean and variance", () => {
  const rng = Rng.derive(4, "uniformIn");
  const xs = draws(100000, () => rng.uniformIn(-3, 5));
  for (const x of xs) assert.ok(x >= -3 && x < 5, `${x}`);
  assertMoments(xs, 1, 64 / 12, "uniformIn(-3, 5)");
  assert.equal(rng.uniformIn(2.5, 2.5), 2.5);
});

Deno.test("Rng.int() draws every value of [0, n) equally often", () => {
  const rng = Rng.derive(5, "int");
  const n = 7;
  const total = 70000;
  const counts = new Float64Array(n);
  for (let i = 0; i < total; i++) {
    const k = rng.int(n);
    assert.ok(Number.isInteger(k) && k >= 0 && k < n, `${k}`);
    counts[k]! += 1;
  }
  const se = Math.sqrt((1 / n) * (1 - 1 / n) / total);
  for (const c of counts) assert.ok(Math.abs(c / total - 1 / n) < 5 * se, `count ${c}`);
});

Deno.test("Rng.bernoulli() is true with probability p", () => {
  const rng = Rng.derive(6, "bernoulli");
  for (const p of [0.1, 0.5, 0.93]) {
    const xs = draws(50000, () => rng.bernoulli(p) ? 1 : 0);
    assertMoments(xs, p, p * (1 - p), `bernoulli(${p})`);
  }
  assert.ok(draws(1000, () => rng.bernoulli(0) ? 1 : 0).every((x) => x === 0));
  assert.ok(draws(1000, () => rng.bernoulli(1) ? 1 : 0).every((x) => x === 1));
});

Deno.test("Rng.normal() has the standard normal's first four moments", () => {
  const rng = Rng.derive(7, "normal");
  const n = 200000;
  const xs = draws(n, () => rng.normal());
  assertMoments(xs, 0, 1, "normal");
  let m3 = 0;
  let m4 = 0;
  for (const x of xs) {
    m3 += x ** 3;
    m4 += x ** 4;
  }
  // For N(0, 1): E x³ = 0 with Var x³ = 15; E x⁴ = 3 with Var x⁴ = 105 − 9 = 96.
  assert.ok(Math.abs(m3 / n) < 5 * Math.sqrt(15 / n), `third moment ${m3 / n}`);
  assert.ok(Math.abs(m4 / n - 3) < 5 * Math.sqrt(96 / n), `fourth moment ${m4 / n}`);
  const within1 = xs.filter((x) => Math.abs(x) < 1).length / n;
  // P(|Z| < 1) = erf(1/√2) = 0.682689492...
  assert.ok(Math.abs(within1 - 0.6826894921) < 5 * Math.sqrt(0.683 * 0.317 / n), `${within1}`);
});

Deno.test("Rng.gamma() has mean and variance equal to its shape", async (t) => {
  const rng = Rng.derive(8, "gamma");
  for (const shape of [0.2, 0.7, 1, 2.5, 12]) {
    await t.step(`shape ${shape}`, () => {
      const xs = draws(60000, () => rng.gamma(shape));
      for (const x of xs) assert.ok(x >= 0 && Number.isFinite(x), `${x}`);
      assertMoments(xs, shape, shape, `gamma(${shape})`);
    });
  }
});

Deno.test("Rng.gamma(1) is exponential: P(X > 1) = 1/e", () => {
  const rng = Rng.derive(9, "exponential");
  const n = 60000;
  const above = draws(n, () => rng.gamma(1)).filter((x) => x > 1).length / n;
  const p = Math.exp(-1);
  assert.ok(Math.abs(above - p) < 5 * Math.sqrt(p * (1 - p) / n), `${above}`);
});

Deno.test("Rng.beta() has mean a/(a+b) and variance ab/((a+b)²(a+b+1))", () => {
  const rng = Rng.derive(10, "beta");
  for (const [a, b] of [[0.5, 0.5], [1, 1], [2, 5], [8, 3]] as const) {
    const xs = draws(60000, () => rng.beta(a, b));
    for (const x of xs) assert.ok(x >= 0 && x <= 1, `${x}`);
    const s = a + b;
    assertMoments(xs, a / s, a * b / (s * s * (s + 1)), `beta(${a}, ${b})`);
  }
});

Deno.test("Rng.dirichlet() sums to 1 and has the Dirichlet marginal moments", () => {
  const rng = Rng.derive(11, "dirichlet");
  const alpha = [0.5, 1, 2, 4.5];
  const total = alpha.reduce((x, y) => x + y);
  const n = 30000;
  const marginals = alpha.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const p = rng.dirichlet(alpha);
    assert.equal(p.length, alpha.length);
    assert.ok(Math.abs(p.reduce((x, y) => x + y) - 1) < 1e-12);
    p.forEach((v, j) => {
      assert.ok(v >= 0);
      marginals[j]![i] = v;
    });
  }
  alpha.forEach((a, j) => {
    const mean = a / total;
    assertMoments(marginals[j]!, mean, mean * (1 - mean) / (total + 1), `component ${j}`);
  });
});

Deno.test("Rng.dirichlet() writes into the given output view only", () => {
  const rng = Rng.derive(12, "dirichlet-out");
  const buffer = new Float64Array(9).fill(-1);
  const view = buffer.subarray(3, 6);
  const out = rng.dirichlet([1, 1, 1], view);
  assert.equal(out, view);
  assert.deepEqual([...buffer.subarray(0, 3), ...buffer.subarray(6)], [-1, -1, -1, -1, -1, -1]);
  assert.ok(Math.abs(view[0]! + view[1]! + view[2]! - 1) < 1e-12);
});

Deno.test("Rng.categorical() draws indices in proportion to their weights", () => {
  const rng = Rng.derive(13, "categorical");
  const weights = [1, 0, 3, 2, 4];
  const n = 100000;
  const counts = new Float64Array(weights.length);
  for (let i = 0; i < n; i++) counts[rng.categorical(weights)]! += 1;
  assert.equal(counts[1], 0);
  weights.forEach((w, j) => {
    const p = w / 10;
    const se = Math.sqrt(p * (1 - p) / n);
    assert.ok(Math.abs(counts[j]! / n - p) <= 5 * se, `index ${j}: ${counts[j]}`);
  });
});

Deno.test("Rng.categorical() with offset and length draws within that window only", () => {
  const rng = Rng.derive(14, "categorical-window");
  const weights = new Float64Array([100, 100, 1, 3, 100]);
  const n = 40000;
  let ones = 0;
  for (let i = 0; i < n; i++) {
    const k = rng.categorical(weights, 2, 2);
    assert.ok(k === 0 || k === 1, `${k}`);
    ones += k;
  }
  assert.ok(Math.abs(ones / n - 0.75) < 5 * Math.sqrt(0.75 * 0.25 / n), `${ones}`);
  assert.equal(rng.categorical([0, 0, 5]), 2);
});

Deno.test("Rng.permutation() is a uniformly random permutation", () => {
  const rng = Rng.derive(15, "permutation");
  for (const n of [0, 1, 2, 17, 100]) {
    const p = rng.permutation(n);
    assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
  }
  const counts = new Map<string, number>();
  const total = 60000;
  for (let i = 0; i < total; i++) {
    const key = rng.permutation(3).join("");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  assert.equal(counts.size, 6);
  const se = Math.sqrt((1 / 6) * (5 / 6) / total);
  for (const [key, c] of counts) assert.ok(Math.abs(c / total - 1 / 6) < 5 * se, `${key}: ${c}`);
});
