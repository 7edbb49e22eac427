import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { argmax, entropy, kl, logProb, sample, softmax } from "../../src/policies/categorical.ts";

Deno.test("kl() equals the closed form of two Bernoulli distributions", () => {
  for (const [p, q] of [[0.3, 0.6], [0.9, 0.1], [0.5, 0.5]] as const) {
    const closed = p * Math.log(p / q) + (1 - p) * Math.log((1 - p) / (1 - q));
    assert.ok(Math.abs(kl([p, 1 - p], [q, 1 - q], 0, 2) - closed) < 1e-12);
  }
});

Deno.test("kl() of softmaxes equals E_p[log p − log q] from log-sum-exp", () => {
  const a = [0.2, -1.3, 2.0, 0.7];
  const b = [1.1, 0.4, -0.5, 0.0];
  const lse = (x: number[]) => Math.log(x.reduce((s, v) => s + Math.exp(v), 0));
  const p = new Float64Array(4);
  const q = new Float64Array(4);
  softmax(a, 0, 4, p);
  softmax(b, 0, 4, q);
  let expected = 0;
  for (let i = 0; i < 4; i++) expected += p[i]! * ((a[i]! - lse(a)) - (b[i]! - lse(b)));
  assert.ok(Math.abs(kl(p, q, 0, 4) - expected) < 1e-12);
  assert.ok(kl(p, q, 0, 4) > 0);
  assert.equal(kl(p, p, 0, 4), 0);
});

Deno.test("softmax() and logProb() agree and are shift invariant", () => {
  const logits = [1000, 1001, 999];
  const p = new Float64Array(3);
  softmax(logits, 0, 3, p);
  const e = Math.exp(1);
  assert.ok(Math.abs(p[1]! - e / (1 + e + 1 / e)) < 1e-12);
  for (let a = 0; a < 3; a++) {
    assert.ok(Math.abs(logProb(logits, 0, 3, a) - Math.log(p[a]!)) < 1e-12);
  }
});

Deno.test("entropy() is log n for uniform and 0 for a point mass", () => {
  assert.ok(Math.abs(entropy([0.2, 0.2, 0.2, 0.2, 0.2], 0, 5) - Math.log(5)) < 1e-12);
  assert.equal(entropy([0, 1, 0], 0, 3), 0);
});

Deno.test("sample() follows the probabilities and argmax() picks the mode", () => {
  const rng = Rng.derive(3, "categorical-test");
  const p = [0.1, 0.6, 0.3];
  const counts = [0, 0, 0];
  const n = 20000;
  for (let i = 0; i < n; i++) counts[sample(p, 0, 3, rng)]!++;
  for (let a = 0; a < 3; a++) {
    const se = Math.sqrt(p[a]! * (1 - p[a]!) / n);
    assert.ok(Math.abs(counts[a]! / n - p[a]!) < 4 * se, `action ${a}: ${counts[a]! / n}`);
  }
  assert.equal(argmax(p, 0, 3), 1);
});
