import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { softmax } from "../../src/policies/categorical.ts";
import { forwardOutputs } from "../../src/algos/unroll.ts";
import {
  clippedLossGradient,
  clippedObjective,
  type ClippedSteps,
  type PpoConfig,
  ppoUpdate,
} from "../../src/algos/ppo.ts";
import { useBackend } from "../_backend.ts";
import { A, B, net, policy, rewardedBatch, T } from "./_rewarded_batch.ts";

const EPS = 0.2;

/** Central difference of f along coordinate k of x (float64 copies, step h). */
function partial(f: (x: Float32Array) => number, x: Float32Array, k: number, h: number) {
  const at = (s: number) => {
    const y = x.slice();
    y[k]! += s * h;
    return f(y);
  };
  return (at(1) - at(-1)) / (2 * h);
}

/** Steps over `n` states with `A` actions: old probabilities, actions and advantages. */
function randomSteps(rng: Rng, n: number, A: number): ClippedSteps {
  const probs = new Float32Array(n * A);
  const old = Float32Array.from({ length: n * A }, () => rng.normal());
  for (let i = 0; i < n; i++) softmax(old, i * A, A, probs);
  return {
    actions: Int32Array.from({ length: n }, () => rng.int(A)),
    distParams: probs,
    advantages: Float32Array.from({ length: n }, () => rng.normal()),
    mask: Float32Array.from({ length: n }, (_, i) => (i === n - 1 ? 0 : 1)),
  };
}

/** r = π(a|s)/π_old(a|s) of every step at `logits`. */
function ratios(logits: Float32Array, steps: ClippedSteps, A: number): number[] {
  const p = new Float64Array(A);
  return Array.from(steps.actions, (a, i) => {
    softmax(logits, i * A, A, p, 0);
    return p[a]! / steps.distParams[i * A + a]!;
  });
}

Deno.test("clippedObjective(): its gradient in the logits matches central differences", () => {
  const A = 4, n = 40;
  const rng = Rng.derive(1, "ppo-test");
  const steps = randomSteps(rng, n, A);
  // Logits on a 1/1024 grid and a step of 1/1024: every perturbed logit is exact in float32.
  const h = 1 / 1024;
  const logits = Float32Array.from(
    { length: n * A },
    (_, i) =>
      Math.round((steps.distParams[i]! > 0 ? Math.log(steps.distParams[i]!) : 0) * 1024) / 1024 +
      Math.round(rng.normal() * 0.4 * 1024) / 1024,
  );
  // Steps within reach of the difference step from a boundary (kinks) are left out.
  const r = ratios(logits, steps, A);
  r.forEach((x, i) => {
    if (Math.abs(x - 1 - EPS) < 0.01 || Math.abs(x - 1 + EPS) < 0.01) steps.mask[i] = 0;
  });
  const valid = r.filter((_, i) => steps.mask[i] !== 0);
  const count = valid.length;
  // Both sides of both boundaries are exercised.
  assert.ok(count > n / 2 && valid.some((x) => x > 1 + EPS) && valid.some((x) => x < 1 - EPS));
  assert.ok(valid.some((x) => x > 1 - EPS && x < 1 + EPS));
  for (const entropyCoeff of [0, 0.05]) {
    const f = (z: Float32Array) => clippedObjective(z, steps, A, EPS, entropyCoeff, count).value;
    const { gradient } = clippedObjective(logits, steps, A, EPS, entropyCoeff, count);
    for (let k = 0; k < n * A; k++) {
      const numeric = partial(f, logits, k, h);
      assert.ok(
        Math.abs(gradient[k]! - numeric) < 1e-5 + 1e-3 * Math.abs(numeric),
        `entropy ${entropyCoeff}, logit ${k}: analytic ${gradient[k]}, numeric ${numeric}`,
      );
    }
  }
});

/** One step with two actions, action 0 taken with old probability ½: r = 2·sigmoid(z₀). */
function oneStep(ratio: number, advantage: number) {
  const z = Math.log(ratio / 2 / (1 - ratio / 2));
  const logits = Float32Array.of(z, 0);
  const steps = {
    actions: Int32Array.of(0),
    distParams: Float32Array.of(0.5, 0.5),
    advantages: Float32Array.of(advantage),
    mask: Float32Array.of(1),
  };
  return { logits, steps, at: clippedObjective(logits, steps, 2, EPS, 0, 1) };
}

Deno.test("clippedObjective(): past the boundary on the clipped side, flat and gradient-free", () => {
  for (const [ratio, adv] of [[1.5, 1], [1 + EPS + 1e-3, 2], [0.5, -1], [1 - EPS - 1e-3, -2]]) {
    const { at } = oneStep(ratio!, adv!);
    assert.ok(at.gradient.every((g) => g === 0), `r ${ratio}, Â ${adv}: ${at.gradient}`);
    // The clipped value: (1 ± ε)·Â, whatever the ratio beyond the boundary.
    const bound = adv! > 0 ? 1 + EPS : 1 - EPS;
    assert.ok(Math.abs(at.surrogate - bound * adv!) < 1e-6, `r ${ratio}: ${at.surrogate}`);
  }
});

Deno.test("clippedObjective(): inside the range and on the pessimistic side, r·Â and its slope", () => {
  // Inside [1 − ε, 1 + ε] for either sign, and beyond the boundary where the unclipped term is
  // the smaller (Â > 0 with r < 1 − ε, Â < 0 with r > 1 + ε): objective r·Â, d/dz₀ = Â·r·(1 − p₀).
  for (const [ratio, adv] of [[1, 1], [0.9, -1], [1.1, 1], [0.5, 1], [1.5, -1], [1.9, -0.5]]) {
    const { at } = oneStep(ratio!, adv!);
    const p0 = ratio! / 2;
    assert.ok(Math.abs(at.surrogate - ratio! * adv!) < 1e-6, `r ${ratio}: ${at.surrogate}`);
    const slope = adv! * ratio! * (1 - p0);
    assert.ok(Math.abs(at.gradient[0]! - slope) < 1e-6, `r ${ratio}: ${at.gradient[0]}`);
    assert.ok(Math.abs(at.gradient[1]! + slope) < 1e-6);
  }
});

Deno.test("clippedObjective(): continuous across each boundary, one-sided slopes from the rule", () => {
  for (const [boundary, adv] of [[1 + EPS, 1], [1 - EPS, -1]]) {
    const below = oneStep(boundary! - 1e-4, adv!).at;
    const on = oneStep(boundary!, adv!).at;
    const above = oneStep(boundary! + 1e-4, adv!).at;
    assert.ok(Math.abs(below.surrogate - above.surrogate) < 1e-3, `jump at ${boundary}`);
    assert.ok(Math.abs(on.surrogate - boundary! * adv!) < 1e-6);
    // On the boundary the unclipped term is still the minimum and carries the gradient.
    assert.ok(on.gradient[0] !== 0);
    const [active, flat] = adv! > 0 ? [below, above] : [above, below];
    assert.ok(active.gradient[0] !== 0, `no slope on the unclipped side of ${boundary}`);
    assert.ok(flat.gradient.every((g) => g === 0), `slope on the clipped side of ${boundary}`);
  }
});

const cfg: PpoConfig = {
  clip: EPS,
  epochs: 4,
  minibatches: 3,
  learning_rate: 1e-2,
  entropy_coeff: 0.01,
  max_grad_norm: 0.5,
};

const batch = (seed: number) => rewardedBatch(seed, "ppo-test", 3);

Deno.test("clippedLossGradient(): the loss's gradient through the GRU matches central differences", async () => {
  await useBackend("cpu");
  const { rng, params, data } = batch(5);
  // Away from the sampling policy, with a narrow clip, some steps are clipped.
  const at = Float32Array.from(params, (p) => p + 0.1 * rng.normal());
  const clip = 0.1;
  const n = data.mask.reduce((s, m) => s + m, 0);
  const loss = (p: Float32Array) =>
    -clippedObjective(forwardOutputs(net, p, data, 64), data, A, clip, 0.05, n).value;
  const r = ratios(forwardOutputs(net, at, data, 64), data, A).filter((_, i) => data.mask[i]);
  assert.ok(r.some((x) => x > 1 + clip || x < 1 - clip), "no clipped step");
  const grad = clippedLossGradient(policy, at, data, { clip, entropy_coeff: 0.05 }, 5);
  for (let k = 0; k < 3; k++) {
    const d = Float64Array.from({ length: net.size }, () => rng.normal());
    const norm = Math.hypot(...d);
    const analytic = grad.reduce((s, g, i) => s + (g * d[i]!) / norm, 0);
    const h = 1e-3;
    const shifted = (s: number) => Float32Array.from(at, (p, i) => p + (s * h * d[i]!) / norm);
    const numeric = (loss(shifted(1)) - loss(shifted(-1))) / (2 * h);
    const rel = Math.abs(analytic - numeric) / Math.max(1e-3, Math.abs(numeric));
    assert.ok(rel < 1e-2, `direction ${k}: analytic ${analytic}, numeric ${numeric}`);
  }
});

Deno.test("ppoUpdate() improves the clipped surrogate toward the rewarded action, inputs untouched", async () => {
  await useBackend("cpu");
  const { params, data } = batch(1);
  const before = params.slice();
  const optimizer = { m: new Float32Array(net.size), v: new Float32Array(net.size), t: 7 };
  const out = ppoUpdate(policy, params, data, cfg, Rng.derive(1, "mb"), 1024, optimizer);
  assert.deepEqual(params, before);
  assert.equal(optimizer.t, 7);
  assert.equal(out.optimizer.t, 7 + cfg.epochs * cfg.minibatches);
  // No line search to report; its own clipping diagnostics instead.
  assert.ok(out.stats.accepted && !("lineSearchSteps" in out.stats));
  assert.ok(out.stats.clipFraction >= 0 && out.stats.clipFraction <= 1);
  assert.ok(out.stats.approxKl > 0, `approximate KL ${out.stats.approxKl}`);
  assert.ok(out.stats.approxKl < 5 * out.stats.kl + 1e-3, "the same order as the exact KL");
  assert.ok(out.stats.surrogateImprovement > 0, `gain ${out.stats.surrogateImprovement}`);
  assert.ok(out.stats.kl > 1e-4 && out.stats.kl < 1, `KL ${out.stats.kl}`);
  const p0 = (logits: Float32Array) => {
    const p = new Float64Array(A);
    let sum = 0;
    for (let i = 0; i < T * B; i++) (softmax(logits, i * A, A, p, 0), sum += p[0]!);
    return sum;
  };
  assert.ok(
    p0(forwardOutputs(net, out.params, data, 64)) > p0(forwardOutputs(net, params, data, 64)),
  );
  // The same stream gives the same update; another minibatch order another one.
  const again = ppoUpdate(policy, params, data, cfg, Rng.derive(1, "mb"), 1024, optimizer);
  assert.deepEqual(again.params, out.params);
  const other = ppoUpdate(policy, params, data, cfg, Rng.derive(2, "mb"), 1024, optimizer);
  assert.notDeepEqual(other.params, out.params);
});

Deno.test("ppoUpdate() keeps the old parameters and optimiser state when the batch holds NaN", async () => {
  await useBackend("cpu");
  const { params, data } = batch(3);
  data.advantages[0] = NaN;
  const out = ppoUpdate(policy, params, data, cfg, Rng.derive(3, "mb"), 1024);
  assert.equal(out.stats.accepted, false);
  assert.deepEqual(out.params, params);
  assert.equal(out.optimizer.t, 0);
});
