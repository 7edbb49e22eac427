import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { gruNetwork } from "../../src/policies/gru.ts";
import { mlpNetwork } from "../../src/policies/mlp.ts";
import { gaussianLogProb, gaussianPolicy } from "../../src/policies/gaussian.ts";
import { type Policy, policyInit, splitParams } from "../../src/policies/distribution.ts";
import { forwardOutputs } from "../../src/algos/unroll.ts";
import {
  fisherOperator,
  klGradient,
  surrogateAndKl,
  surrogateGradient,
  vanillaPolicyGradient,
  weightedLogLikGradient,
} from "../../src/algos/policy_gradient.ts";
import type { PolicyBatch } from "../../src/algos/unroll.ts";
import { sampleTrials } from "../../src/algos/sampler.ts";
import { navigationFamily } from "../../src/envs/navigation.ts";
import { navigationTaskSchema } from "../../src/envs/navigation.ts";
import { useBackend } from "../_backend.ts";

const D = 3, A = 2, T = 4, B = 3;

function tinyProblem(kind: "mlp" | "gru"): {
  policy: Policy;
  params: Float32Array;
  batch: PolicyBatch;
  rng: Rng;
} {
  const net = kind === "mlp"
    ? mlpNetwork({ inputDim: D, hidden: [5], outputDim: A, norm: "none" })
    : gruNetwork({ inputDim: D, hidden: 4, outputDim: A, norm: "weight" });
  const policy = gaussianPolicy(net, -0.3);
  const rng = Rng.derive(3, "gaussian-pg-test", kind === "mlp" ? 0 : 1);
  const params = policyInit(policy, rng);
  params[net.size] = 0.2; // distinct log σ per component
  const inputs = Float32Array.from({ length: T * B * D }, () => rng.normal());
  const mask = new Float32Array(T * B).fill(1);
  mask[3 * B + 2] = 0; // trial 2 ended after three steps
  const data = { T, B, inputs, mask };
  const means = forwardOutputs(net, splitParams(policy, params).net.slice(), data, 64);
  const actions = Float32Array.from(means, (m) => m + rng.normal());
  const advantages = Float32Array.from(mask, (m) => m * rng.normal());
  const logStd = splitParams(policy, params).head.slice();
  return {
    policy,
    params,
    batch: { ...data, actions, distParams: means, head: logStd, advantages },
    rng,
  };
}

/** Σ wᵢ log π_θ(aᵢ|sᵢ) over the valid steps, from a forward pass. */
function weightedLogLik(p: ReturnType<typeof tinyProblem>, params: Float32Array, w: number[]) {
  const { net, head: logStd } = splitParams(p.policy, params);
  const means = forwardOutputs(p.policy.net, net.slice(), p.batch, 64);
  let s = 0;
  for (let i = 0; i < T * B; i++) {
    if (p.batch.mask[i] !== 0) {
      s += w[i]! * gaussianLogProb(means, p.batch.actions, i * A, logStd, A);
    }
  }
  return s;
}

const along = (params: Float32Array, v: ArrayLike<number>, h: number) =>
  Float32Array.from(params, (x, i) => x + h * v[i]!);
const dotp = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

for (const kind of ["mlp", "gru"] as const) {
  Deno.test(`weighted log-likelihood gradient matches central differences (${kind})`, async () => {
    await useBackend("cpu");
    const p = tinyProblem(kind);
    const w = Array.from({ length: T * B }, () => p.rng.normal());
    const g = weightedLogLikGradient(p.policy, p.params, p.batch, (row) => w[row]!, 64);
    for (let k = 0; k < 3; k++) {
      const v = Float32Array.from({ length: p.policy.size }, () => p.rng.normal());
      const h = 1e-2;
      const fd = (weightedLogLik(p, along(p.params, v, h), w) -
        weightedLogLik(p, along(p.params, v, -h), w)) / (2 * h);
      const got = dotp(g, v);
      assert.ok(Math.abs(got - fd) <= 2e-3 * (1 + Math.abs(fd)), `${got} vs ${fd}`);
    }
    // At the sampling parameters the surrogate's gradient is the vanilla policy gradient.
    const sg = surrogateGradient(p.policy, p.params, p.batch, 64);
    const vg = vanillaPolicyGradient(p.policy, p.params, p.batch, 64);
    for (let i = 0; i < sg.length; i++) assert.ok(Math.abs(sg[i]! - vg[i]!) < 1e-6);
  });

  Deno.test(`the surrogate's gradient away from the old policy matches differences (${kind})`, async () => {
    await useBackend("cpu");
    const p = tinyProblem(kind);
    const shift = Float32Array.from({ length: p.policy.size }, () => 0.05 * p.rng.normal());
    const at = along(p.params, shift, 1);
    const g = surrogateGradient(p.policy, at, p.batch, 64);
    const v = Float32Array.from({ length: p.policy.size }, () => p.rng.normal());
    const h = 1e-2;
    const f = (x: Float32Array) => surrogateAndKl(p.policy, x, p.batch, 64).surrogate;
    const fd = (f(along(at, v, h)) - f(along(at, v, -h))) / (2 * h);
    assert.ok(Math.abs(dotp(g, v) - fd) <= 2e-3 * (1 + Math.abs(fd)), `${dotp(g, v)} vs ${fd}`);
  });

  Deno.test(`the mean KL's gradient away from the old policy matches differences (${kind})`, async () => {
    await useBackend("cpu");
    const p = tinyProblem(kind);
    const at = along(p.params, Float32Array.from(p.params, () => 0.05 * p.rng.normal()), 1);
    const g = klGradient(p.policy, at, p.batch, 64);
    const f = (x: Float32Array) => surrogateAndKl(p.policy, x, p.batch, 64).kl;
    const h = 1e-3;
    for (let k = 0; k < 3; k++) {
      const v = Float32Array.from({ length: p.policy.size }, () => p.rng.normal());
      const fd = (f(along(at, v, h)) - f(along(at, v, -h))) / (2 * h);
      assert.ok(
        Math.abs(dotp(g, v) - fd) <= 2e-3 * (Math.abs(fd) + 1e-2),
        `${dotp(g, v)} vs ${fd}`,
      );
    }
    // At the old policy the KL is at its minimum.
    const zero = klGradient(p.policy, p.params, p.batch, 64);
    assert.ok(Math.sqrt(dotp(zero, zero)) < 1e-6);
  });

  Deno.test(`the surrogate's gradient with an entropy bonus matches differences (${kind})`, async () => {
    await useBackend("cpu");
    const p = tinyProblem(kind);
    const beta = 0.7;
    const g = surrogateGradient(p.policy, p.params, p.batch, 64, beta);
    const f = (x: Float32Array) => surrogateAndKl(p.policy, x, p.batch, 64, beta).surrogate;
    const h = 1e-3; // small enough that no ReLU of the MLP changes side
    for (let k = 0; k < 3; k++) {
      const v = Float32Array.from({ length: p.policy.size }, () => p.rng.normal());
      const fd = (f(along(p.params, v, h)) - f(along(p.params, v, -h))) / (2 * h);
      assert.ok(Math.abs(dotp(g, v) - fd) <= 2e-3 * (1 + Math.abs(fd)), `${dotp(g, v)} vs ${fd}`);
    }
    // The bonus adds β to each log σ's derivative (H = Σ log σ + const).
    const plain = surrogateGradient(p.policy, p.params, p.batch, 64);
    for (let j = 0; j < 2; j++) {
      const i = p.policy.net.size + j;
      assert.ok(Math.abs(g[i]! - plain[i]! - beta) < 1e-5);
    }
  });

  Deno.test(`the Fisher–vector product is the mean KL's Hessian (${kind})`, async () => {
    await useBackend("cpu");
    const p = tinyProblem(kind);
    const fisher = fisherOperator(p.policy, p.params, p.batch, 1e-2, 64);
    const kl = (x: Float32Array) => surrogateAndKl(p.policy, x, p.batch, 64).kl;
    try {
      for (let k = 0; k < 3; k++) {
        const u = Float32Array.from({ length: p.policy.size }, () => p.rng.normal());
        const v = Float32Array.from({ length: p.policy.size }, () => p.rng.normal());
        // uᵀFv by polarisation of KL ≈ ½ xᵀFx: [KL(h(u+v)) − KL(h(u−v))] / (2h²).
        const h = 1e-3;
        const sum = Float32Array.from(u, (x, i) => x + v[i]!);
        const diff = Float32Array.from(u, (x, i) => x - v[i]!);
        const expected = (kl(along(p.params, sum, h)) - kl(along(p.params, diff, h))) / (2 * h * h);
        const got = dotp(u, fisher.apply(v));
        assert.ok(
          Math.abs(got - expected) <= 2e-2 * (1 + Math.abs(expected)),
          `uᵀFv ${got} vs ${expected}`,
        );
      }
      // The log σ block is 2·I.
      const e = new Float64Array(p.policy.size);
      e[p.policy.net.size + 1] = 1;
      const fe = fisher.apply(e);
      assert.equal(fe[p.policy.net.size + 1], 2);
      assert.ok(fe.every((x, i) => i === p.policy.net.size + 1 || x === 0));
    } finally {
      fisher.dispose();
    }
  });
}

Deno.test("sampleTrials() with a Gaussian policy: actions are mean + σ·ε from the action stream; RL² sees them", async () => {
  await useBackend("cpu");
  const family = navigationFamily(
    navigationTaskSchema.parse({ kind: "navigation", episodes: 2, max_steps: 5 }),
  );
  const net = gruNetwork({ inputDim: 6, hidden: 4, outputDim: 2, norm: "none" });
  const policy = gaussianPolicy(net, -1);
  const params = policyInit(policy, Rng.derive(0, "init"));
  const tasks = [{ goalX: 0.2, goalY: 0.1 }, { goalX: -0.3, goalY: 0.4 }];
  const run = () =>
    sampleTrials({
      family,
      episodes: 2,
      policy,
      params,
      mode: "rl2",
      tasks,
      envRng: Rng.derive(0, "env"),
      actionRng: Rng.derive(0, "actions"),
    });
  const s = run();
  assert.deepEqual(s, run());
  assert.equal(s.T, 10);
  assert.equal(s.steps, 20);
  const noise = Rng.derive(0, "actions");
  const sigma = Math.exp(-1);
  for (let i = 0; i < s.T * s.B; i++) {
    for (let j = 0; j < 2; j++) {
      const expected = Math.fround(s.distParams[i * 2 + j]! + sigma * noise.normal());
      assert.ok(Math.abs(s.actions[i * 2 + j]! - expected) < 1e-6);
    }
  }
  // The means are the network's outputs on the recorded inputs.
  const means = forwardOutputs(net, splitParams(policy, params).net.slice(), s, 64);
  for (let i = 0; i < means.length; i++) assert.ok(Math.abs(means[i]! - s.distParams[i]!) < 1e-5);
  // RL²'s input at step t carries the action, reward and done of step t − 1 (zeros at t = 0).
  const at = (t: number, b: number) => s.inputs.subarray((t * 2 + b) * 6, (t * 2 + b + 1) * 6);
  assert.deepEqual([...at(0, 1)], [0, 0, 0, 0, 0, 0]);
  const prevAction = s.actions.subarray((2 * 2 + 1) * 2, (2 * 2 + 2) * 2);
  assert.deepEqual([...at(3, 1).subarray(2, 4)], [...prevAction]);
  assert.equal(at(3, 1)[4], s.rewards[2 * 2 + 1]);
  // The first episode's end is flagged in the next input, and the second starts at the origin.
  assert.equal(at(5, 0)[5], 1);
  assert.deepEqual([...at(5, 0).subarray(0, 2)], [0, 0]);
  // Episode returns sum the rewards.
  let first = 0;
  for (let t = 0; t < 5; t++) first += s.rewards[t * 2]!;
  assert.ok(Math.abs(s.episodeReturns[0]! - first) < 1e-9);
});
