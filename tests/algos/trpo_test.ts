import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { softmax } from "../../src/policies/categorical.ts";
import { forwardOutputs } from "../../src/algos/unroll.ts";
import { trpoUpdate } from "../../src/algos/trpo.ts";
import { surrogateAndKl, surrogateGradient } from "../../src/algos/policy_gradient.ts";
import { trpoSchema } from "../../src/learners/trpo.ts";
import { useBackend } from "../_backend.ts";
import { A, B, net, policy, rewardedBatch, T } from "./_rewarded_batch.ts";

const batch = (seed: number) => rewardedBatch(seed, "trpo-test");

Deno.test("trpoUpdate() takes a step that improves the surrogate within the KL bound", async () => {
  await useBackend("cpu");
  const { params, data } = batch(1);
  const cfg = trpoSchema.parse({ max_kl: 0.01 });
  const { params: next, stats } = trpoUpdate(policy, params, data, cfg, Rng.derive(1, "sub"), 1024);
  assert.equal(stats.accepted, true);
  const measured = surrogateAndKl(policy, next, data, 64);
  assert.ok(measured.kl <= 0.01 && measured.kl > 1e-4, `KL ${measured.kl}`);
  assert.ok(Math.abs(measured.kl - stats.kl) < 1e-9);
  assert.ok(stats.surrogateImprovement > 0);
  assert.ok(stats.expectedImprovement > 0);
  assert.ok(stats.lineSearchSteps >= 1 && stats.lineSearchSteps <= cfg.backtrack_iters);
  assert.equal(stats.stepFraction, 0.5 ** (stats.lineSearchSteps - 1));
  const g = surrogateGradient(policy, params, data, 64);
  assert.equal(stats.gradientNorm, Math.sqrt(g.reduce((s, x) => s + x * x, 0)));
  // The step moved probability toward the rewarded action.
  const before = forwardOutputs(net, params, data, 64);
  const after = forwardOutputs(net, next, data, 64);
  const p0 = (logits: Float32Array) => {
    const p = new Float64Array(A);
    let sum = 0;
    for (let i = 0; i < T * B; i++) (softmax(logits, i * A, A, p, 0), sum += p[0]!);
    return sum / (T * B);
  };
  assert.ok(p0(after) > p0(before));
});

Deno.test("trpoUpdate() backtracks when the full step breaks the KL bound", async () => {
  await useBackend("cpu");
  const { params, data } = batch(2);
  // A large trust region: the quadratic model overshoots and the full step is rejected.
  const cfg = trpoSchema.parse({ max_kl: 10, cg_damping: 0 });
  const fullOnly = trpoUpdate(
    policy,
    params,
    data,
    { ...cfg, backtrack_iters: 1 },
    Rng.derive(2, "s"),
    1024,
  );
  assert.equal(fullOnly.stats.accepted, false);
  assert.deepEqual(fullOnly.params, params);
  const { params: next, stats } = trpoUpdate(policy, params, data, cfg, Rng.derive(2, "s"), 1024);
  assert.ok(stats.accepted && stats.lineSearchSteps >= 2, `steps ${stats.lineSearchSteps}`);
  const measured = surrogateAndKl(policy, next, data, 64);
  assert.ok(measured.kl <= cfg.max_kl && measured.surrogate > 0);
});

Deno.test("trpoUpdate() keeps the old parameters when the batch holds NaN", async () => {
  await useBackend("cpu");
  const { params, data } = batch(3);
  data.advantages[0] = NaN;
  const cfg = trpoSchema.parse({});
  const { params: next, stats } = trpoUpdate(policy, params, data, cfg, Rng.derive(3, "sub"), 1024);
  assert.equal(stats.accepted, false);
  assert.deepEqual(next, params);
});

Deno.test("trpoUpdate() with fvp_subsample < 1 still gives an accepted, bounded step", async () => {
  await useBackend("cpu");
  const { params, data } = batch(4);
  const cfg = trpoSchema.parse({ fvp_subsample: 0.25 });
  const { params: next, stats } = trpoUpdate(policy, params, data, cfg, Rng.derive(4, "sub"), 1024);
  assert.ok(stats.accepted);
  assert.ok(surrogateAndKl(policy, next, data, 64).kl <= cfg.max_kl);
});

Deno.test("trpoUpdate() reports the fraction of the full step it applied", async () => {
  await useBackend("cpu");
  const { params, data } = batch(2);
  // The full step overshoots the KL bound (see above); two shrink factors accept two different
  // fractions of the same full step, so step / fraction must agree between them.
  const cfg = trpoSchema.parse({ max_kl: 10, cg_damping: 0 });
  const full = (coeff: number) => {
    const { params: next, stats } = trpoUpdate(
      policy,
      params,
      data,
      { ...cfg, backtrack_coeff: coeff },
      Rng.derive(2, "s"),
      1024,
    );
    assert.ok(stats.accepted && stats.stepFraction < 1, `fraction ${stats.stepFraction}`);
    assert.ok(Math.abs(stats.stepFraction - coeff ** (stats.lineSearchSteps - 1)) < 1e-12);
    return Float64Array.from(next, (p, i) => (p - params[i]!) / stats.stepFraction);
  };
  const [a, b] = [full(0.5), full(0.3)];
  const scale = Math.max(...a.map(Math.abs));
  const diff = Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));
  assert.ok(scale > 0 && diff < 1e-4 * scale, `full steps differ by ${diff} (scale ${scale})`);
});

Deno.test("trpoUpdate() with an entropy bonus raises the entropy beyond the plain step", async () => {
  await useBackend("cpu");
  const { params, data } = batch(5);
  const meanEntropy = (p: Float32Array) => {
    const logits = forwardOutputs(net, p, data, 64);
    const q = new Float64Array(A);
    let h = 0;
    for (let i = 0; i < T * B; i++) {
      softmax(logits, i * A, A, q, 0);
      for (const x of q) h -= x * Math.log(x);
    }
    return h / (T * B);
  };
  const cfg = trpoSchema.parse({});
  const plain = trpoUpdate(policy, params, data, cfg, Rng.derive(5, "s"), 1024);
  const bonus = trpoUpdate(
    policy,
    params,
    data,
    { ...cfg, entropy_coeff: 5 },
    Rng.derive(5, "s"),
    1024,
  );
  assert.ok(plain.stats.accepted && bonus.stats.accepted);
  assert.ok(bonus.stats.kl <= cfg.max_kl, "the trust region holds with the bonus");
  assert.ok(meanEntropy(bonus.params) > meanEntropy(plain.params));
  assert.ok(meanEntropy(bonus.params) > meanEntropy(params));
});
