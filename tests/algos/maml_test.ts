import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { mlpNetwork } from "../../src/policies/mlp.ts";
import { gaussianPolicy } from "../../src/policies/gaussian.ts";
import { type Policy, policyInit, splitParams } from "../../src/policies/distribution.ts";
import { forwardOutputs } from "../../src/algos/unroll.ts";
import type { PolicyBatch } from "../../src/algos/unroll.ts";
import { surrogateGradient } from "../../src/algos/policy_gradient.ts";
import {
  adaptedParams,
  float32FiniteDifferenceKlHessian,
  innerHvp,
  mamlTrpoUpdate,
  metaFisherOperator,
  metaGradient,
  metaKlGradient,
  metaObjective,
  type MetaUpdateConfig,
  type TaskBatches,
} from "../../src/algos/maml.ts";
import { useBackend } from "../_backend.ts";

const D = 2, A = 2, T = 5, B = 3;

const CFG: MetaUpdateConfig = {
  inner_lr: 0.5,
  first_order: false,
  hvp_step: 1e-2,
  fd_step: 1e-2,
  chunk_trials: 64,
  max_kl: 0.01,
  cg_iters: 10,
  cg_damping: 1e-5,
  backtrack_iters: 15,
  backtrack_coeff: 0.8,
};

/** A batch of random states, actions drawn from the policy at `theta`, random advantages. */
function batchAt(policy: Policy, theta: Float32Array, rng: Rng): PolicyBatch {
  const inputs = Float32Array.from({ length: T * B * D }, () => rng.normal());
  const mask = new Float32Array(T * B).fill(1);
  mask[(T - 1) * B + 1] = 0;
  const { net, head: logStd } = splitParams(policy, theta);
  const means = forwardOutputs(policy.net, net.slice(), { T, B, inputs, mask }, 64);
  const actions = Float32Array.from(means, (m, i) => m + Math.exp(logStd[i % A]!) * rng.normal());
  const advantages = Float32Array.from(mask, (m) => m * rng.normal());
  return { T, B, inputs, mask, actions, distParams: means, head: logStd.slice(), advantages };
}

/** Tasks whose inner batches were sampled along the adaptation from θ₀, as training does. */
function tinyMeta(innerSteps: number) {
  const net = mlpNetwork({ inputDim: D, hidden: [4], outputDim: A, norm: "none" });
  const policy = gaussianPolicy(net, -0.5);
  const rng = Rng.derive(5, "maml-test", innerSteps);
  const params = policyInit(policy, rng);
  const tasks: TaskBatches[] = [0, 1].map(() => {
    const inner: PolicyBatch[] = [];
    let theta = params;
    for (let k = 0; k < innerSteps; k++) {
      inner.push(batchAt(policy, theta, rng));
      theta = adaptedParams(policy, params, inner, CFG).at(-1)!;
    }
    return { inner, post: batchAt(policy, theta, rng) };
  });
  return { policy, params, tasks, rng };
}

const dotp = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

for (const steps of [1, 2]) {
  Deno.test(`the meta-gradient matches finite differences of the post-update objective (${steps} inner step${steps > 1 ? "s" : ""})`, async () => {
    await useBackend("cpu");
    const { policy, params, tasks, rng } = tinyMeta(steps);
    const g = metaGradient(policy, params, tasks, CFG);
    const fo = metaGradient(policy, params, tasks, { ...CFG, first_order: true });
    const f = (x: Float32Array) => metaObjective(policy, x, tasks, CFG).surrogate;
    let foOff = 0;
    for (let k = 0; k < 3; k++) {
      const v = Float32Array.from({ length: policy.size }, () => rng.normal());
      const norm = Math.sqrt(dotp(v, v));
      const h = 1e-2 / norm;
      const fd = (f(Float32Array.from(params, (p, i) => p + h * v[i]!)) -
        f(Float32Array.from(params, (p, i) => p - h * v[i]!))) / (2 * h);
      const got = dotp(g, v);
      assert.ok(Math.abs(got - fd) <= 2e-2 * Math.abs(fd) + 1e-3, `∇L·v ${got} vs ${fd}`);
      foOff = Math.max(foOff, Math.abs(dotp(fo, v) - fd) / Math.abs(fd));
    }
    // The Hessian term matters here: first-order MAML's gradient is measurably different.
    assert.ok(foOff > 0.05, `first-order is within ${foOff} of the true meta-gradient`);
  });
}

Deno.test("first-order MAML equals second-order with the Hessian term removed", async () => {
  await useBackend("cpu");
  const { policy, params, tasks } = tinyMeta(1);
  const so = metaGradient(policy, params, tasks, CFG);
  const fo = metaGradient(policy, params, tasks, { ...CFG, first_order: true });
  const expectedFo = new Float64Array(params.length);
  const hessianTerm = new Float64Array(params.length);
  for (const task of tasks) {
    const [theta0, theta1] = adaptedParams(policy, params, task.inner, CFG);
    const gPost = surrogateGradient(policy, theta1!, task.post, 64);
    const hg = innerHvp(policy, theta0!, task.inner[0]!, gPost, CFG.hvp_step, 64);
    for (let i = 0; i < params.length; i++) {
      expectedFo[i]! += gPost[i]! / tasks.length;
      hessianTerm[i]! += CFG.inner_lr * hg[i]! / tasks.length;
    }
  }
  for (let i = 0; i < params.length; i++) {
    assert.ok(Math.abs(fo[i]! - expectedFo[i]!) < 1e-12, `first-order ${i}`);
    assert.ok(Math.abs(so[i]! - hessianTerm[i]! - fo[i]!) < 1e-9, `second-order ${i}`);
  }
  assert.ok(dotp(hessianTerm, hessianTerm) > 0);
});

for (const firstOrder of [false, true]) {
  Deno.test(`a MAML-TRPO meta-update improves the objective within the trust region (${firstOrder ? "first" : "second"} order)`, async () => {
    await useBackend("cpu");
    const { policy, params, tasks } = tinyMeta(1);
    const cfg = { ...CFG, first_order: firstOrder };
    const before = metaObjective(policy, params, tasks, cfg);
    assert.ok(Math.abs(before.kl) < 1e-6, "the adapted policies sampled the post batches");
    const { params: next, stats } = mamlTrpoUpdate(policy, params, tasks, cfg);
    assert.ok(stats.accepted);
    const after = metaObjective(policy, next, tasks, cfg);
    assert.ok(after.surrogate > before.surrogate);
    assert.ok(after.kl <= cfg.max_kl && after.kl > 0);
    assert.ok(Math.abs(after.kl - stats.kl) < 1e-12);
    // The full step is sized for ½ xᵀFx = δ: a good model of the KL keeps it near δ.
    assert.ok(stats.stepFraction < 1 || after.kl > 0.3 * cfg.max_kl, `KL ${after.kl}`);
  });
}

for (const firstOrder of [false, true]) {
  Deno.test(`the meta trust region's F·v is the Hessian of the adapted policies' mean KL in θ (${firstOrder ? "first" : "second"} order)`, async () => {
    await useBackend("cpu");
    const { policy, params, tasks, rng } = tinyMeta(1);
    const cfg = { ...CFG, first_order: firstOrder };
    const fisher = metaFisherOperator(policy, params, tasks, cfg);
    // The KL as the second-order update sees it: through the inner step, or (first order) with
    // the adapted parameters moved by the same vector.
    const kl = (x: Float32Array) => {
      if (!firstOrder) return metaObjective(policy, x, tasks, cfg).kl;
      let total = 0;
      for (const task of tasks) {
        const [theta0, theta1] = adaptedParams(policy, params, task.inner, cfg);
        const moved = Float32Array.from(theta1!, (p, i) => p + x[i]! - theta0![i]!);
        total += metaObjective(policy, moved, [{ inner: [], post: task.post }], cfg).kl;
      }
      return total / tasks.length;
    };
    try {
      for (let k = 0; k < 2; k++) {
        const v = Float32Array.from({ length: policy.size }, () => rng.normal());
        // KL(θ₀ + h·v) = ½ h² vᵀFv + O(h³): the KL is 0 with a zero gradient at θ₀.
        const h = 3e-4;
        const expected = 2 * kl(Float32Array.from(params, (p, i) => p + h * v[i]!)) / (h * h);
        const got = dotp(v, fisher.apply(v));
        assert.ok(
          Math.abs(got - expected) <= 1e-2 * Math.abs(expected),
          `vᵀFv ${got} vs ${expected}`,
        );
      }
    } finally {
      fisher.dispose();
    }
  });
}

Deno.test("the trust region's KL gradient through the inner step matches finite differences", async () => {
  await useBackend("cpu");
  const { policy, params, tasks, rng } = tinyMeta(1);
  // Away from θ₀, where the KL and its gradient are not zero.
  const at = Float32Array.from(params, (p) => p + 0.05 * rng.normal());
  const g = metaKlGradient(policy, at, tasks, CFG);
  const kl = (x: Float32Array) => metaObjective(policy, x, tasks, CFG).kl;
  for (let k = 0; k < 3; k++) {
    const v = Float32Array.from({ length: policy.size }, () => rng.normal());
    // The adapted KL is strongly curved at α = 0.5: a small step keeps the differences central.
    const h = 1e-3 / Math.sqrt(dotp(v, v));
    const fd = (kl(Float32Array.from(at, (p, i) => p + h * v[i]!)) -
      kl(Float32Array.from(at, (p, i) => p - h * v[i]!))) / (2 * h);
    const got = dotp(g, v);
    assert.ok(Math.abs(got - fd) <= 2e-2 * Math.abs(fd) + 1e-4, `∇KL·v ${got} vs ${fd}`);
  }
});

Deno.test("the authors' finite-difference KL Hessian: exact with a large perturbation, blind with theirs", async () => {
  await useBackend("cpu");
  const { policy, params, tasks, rng } = tinyMeta(1);
  const exact = metaFisherOperator(policy, params, tasks, CFG);
  const norm = Math.sqrt(dotp(params, params));
  // ε = baseEps/‖θ‖: with baseEps = 1e-4·‖θ‖ the perturbation is 1e-4·v, far above float32's
  // spacing (and small beside the ReLUs' kinks), and the differences give the Hessian of the KL
  // at θ₀, Jᵀ F J.
  const wide = float32FiniteDifferenceKlHessian(policy, params, tasks, CFG, 1e-4 * norm);
  const authors = float32FiniteDifferenceKlHessian(policy, params, tasks, CFG);
  try {
    for (let k = 0; k < 2; k++) {
      const v = Float32Array.from({ length: policy.size }, () => rng.normal());
      const want = dotp(v, exact.apply(v));
      const got = dotp(v, wide.apply(v));
      assert.ok(Math.abs(got - want) <= 3e-2 * Math.abs(want), `vᵀHv ${got} vs ${want}`);
      // rllab's 1e-8/‖θ‖ moves only the coordinates whose float32 spacing is finer than
      // ε·vᵢ: a gradient-sized v (norm 0.1) moves none of this policy's non-zero ones.
      const small = Float32Array.from(v, (x) => x * 0.1 / Math.sqrt(dotp(v, v)));
      const eps = Math.fround(1e-8 / (Math.fround(norm) + 1e-8));
      const moved = params.filter((p, i) => Math.fround(p + Math.fround(eps * small[i]!)) !== p);
      assert.ok(moved.every((p) => p === 0), `moved ${moved.length} non-zero coordinates`);
      const blind = authors.apply(small);
      const seen = dotp(small, blind), truth = dotp(small, exact.apply(small));
      assert.ok(Math.abs(seen - truth) > 0.5 * Math.abs(truth), `${seen} vs ${truth}`);
    }
  } finally {
    exact.dispose();
  }
});
