import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import {
  denseBackward,
  denseForward,
  denseInit,
  denseOutput,
  denseShape,
} from "../../src/algos/dense_mlp.ts";
import {
  klToPrior,
  posteriorBackward,
  productOfGaussians,
  sampleLatent,
  softplus,
} from "../../src/algos/context_encoder.ts";
import { tanhGaussianBackward, tanhGaussianSample } from "../../src/algos/tanh_gaussian.ts";
import {
  criticLoss,
  minQ,
  policyActions,
  policyLoss,
  type SacBatch,
  type SacSizes,
  valueLoss,
} from "../../src/algos/sac_losses.ts";
import { sacInit, sacNoise, sacShapes } from "../../src/algos/sac_step.ts";

const rng = (i: number) => Rng.derive(11, "sac-test", i);
const normals = (n: number, r: Rng, scale = 1) => new Float64Array(n).map(() => scale * r.normal());

/** Asserts that `grad` matches central differences of `loss` at a few coordinates of `x`. */
function assertFd(
  x: Float32Array | Float64Array,
  grad: ArrayLike<number>,
  loss: () => number,
  label: string,
  h = 1e-3,
): void {
  const r = rng(99);
  for (let n = 0; n < 12; n++) {
    const i = r.int(x.length);
    const x0 = x[i]!;
    x[i] = x0 + h;
    const up = loss();
    x[i] = x0 - h;
    const down = loss();
    x[i] = x0;
    const step = x instanceof Float32Array ? Math.fround(x0 + h) - Math.fround(x0 - h) : 2 * h;
    const fd = (up - down) / step;
    const tol = 2e-3 * Math.max(1e-2, Math.abs(fd), Math.abs(grad[i]!));
    assert.ok(Math.abs(fd - grad[i]!) <= tol, `${label}[${i}]: fd ${fd} vs ${grad[i]}`);
  }
}

Deno.test("dense MLP: parameter and input gradients match finite differences", () => {
  const shape = denseShape([3, 6, 5, 2]);
  const params = denseInit(shape, rng(0));
  for (let i = 0; i < params.length; i++) params[i] = params[i]! + 0.3 * rng(1).normal();
  const x = normals(4 * 3, rng(2));
  const w = normals(4 * 2, rng(3));
  const loss = () =>
    denseOutput(denseForward(shape, params, x, 4)).reduce((s, v, k) => s + v * w[k]!, 0);
  const grad = new Float64Array(shape.count);
  const dx = denseBackward(shape, params, denseForward(shape, params, x, 4), w, grad);
  assertFd(params, grad, loss, "params");
  assertFd(x, dx, loss, "input");
});

Deno.test("dense MLP init: rlkit's fanin_init bounds hidden weights by 1/√(output size)", () => {
  // The first layer maps 9 inputs to 4 units: bound 1/√4 = 0.5 (1/√9 ≈ 0.33 would be fan-in).
  const shape = denseShape([9, 4, 1]);
  const p = denseInit(shape, rng(20));
  const first = Array.from(p.subarray(0, 36), Math.abs);
  assert.ok(first.every((w) => w <= 0.5) && first.some((w) => w > 1 / 3), `${first}`);
  assert.deepEqual(Array.from(p.subarray(36, 40)), [0.1, 0.1, 0.1, 0.1].map(Math.fround));
  assert.ok(Array.from(p.subarray(40), Math.abs).every((w) => w <= 3e-3));
});

Deno.test("product of Gaussians: the closed form of two factors, and permutation invariance", () => {
  // Factors N(1, 1) and N(3, 3) (softplus⁻¹ of the variances): precision 4/3, mean 1.5.
  const inv = (v: number) => Math.log(Math.expm1(v));
  const raw = Float64Array.of(1, inv(1), 3, inv(3));
  const p = productOfGaussians(raw, 2, 1);
  assert.ok(Math.abs(p.variance[0]! - 0.75) < 1e-12);
  assert.ok(Math.abs(p.mean[0]! - 0.75 * (1 / 1 + 3 / 3)) < 1e-12);
  const swapped = productOfGaussians(Float64Array.of(3, inv(3), 1, inv(1)), 2, 1);
  assert.ok(Math.abs(swapped.mean[0]! - p.mean[0]!) < 1e-15);
  // KL(N(0.75·2, 0.75) ‖ N(0, 1)) by its formula.
  const kl = 0.5 * (0.75 + 1.5 ** 2 - 1 - Math.log(0.75));
  assert.ok(Math.abs(klToPrior(p) - kl) < 1e-12);
  assert.ok(Math.abs(softplus(inv(3)) - 3) < 1e-12);
});

Deno.test("posterior gradient: weighted KL and z = μ + σ ε match finite differences", () => {
  const L = 3, rows = 5;
  const raw = normals(rows * 2 * L, rng(4));
  const eps = normals(L, rng(5));
  const dz = normals(L, rng(6));
  const loss = () => {
    const p = productOfGaussians(raw, rows, L);
    return 0.7 * klToPrior(p) + sampleLatent(p, eps).reduce((s, z, k) => s + z * dz[k]!, 0);
  };
  const d = posteriorBackward(raw, rows, L, productOfGaussians(raw, rows, L), eps, dz, 0.7);
  assertFd(raw, d, loss, "raw", 1e-5);
});

Deno.test("tanh Gaussian: log π and action gradients, regularisers included, match finite differences", () => {
  const rows = 4, A = 2;
  const out = normals(rows * 2 * A, rng(7));
  out[3] = 3; // a log σ above the clamp: no gradient there
  const eps = normals(rows * A, rng(8));
  const dLogProb = normals(rows, rng(9));
  const dAction = normals(rows * A, rng(10));
  const loss = () => {
    const s = tanhGaussianSample(out, rows, A, eps);
    let l = 0, m2 = 0, s2 = 0;
    for (let r = 0; r < rows; r++) {
      l += dLogProb[r]! * s.logProb[r]!;
      for (let j = 0; j < A; j++) {
        l += dAction[r * A + j]! * s.actions[r * A + j]!;
        m2 += out[r * 2 * A + j]! ** 2;
        s2 += Math.min(2, Math.max(-20, out[r * 2 * A + A + j]!)) ** 2;
      }
    }
    return l + (0.1 * m2 + 0.2 * s2) / (rows * A);
  };
  const s = tanhGaussianSample(out, rows, A, eps);
  const d = tanhGaussianBackward(out, s, A, dLogProb, dAction, 0.1, 0.2);
  assert.equal(d[3], 0);
  assertFd(out, d, loss, "outputs", 1e-5);
});

function setup() {
  const s: SacSizes = { obsDim: 2, actionDim: 2, latent: 3, tasks: 2, batch: 5, context: 4 };
  const shapes = sacShapes(2, 2, 3, [8, 8], [7, 7]);
  const nets = sacInit(shapes, (name) => Rng.derive(5, "init", name.length));
  for (const p of [...Object.values(nets.params), nets.targetVf]) {
    const r = rng(p.length);
    for (let i = 0; i < p.length; i++) p[i] = p[i]! + 0.2 * r.normal();
  }
  const n = s.tasks * s.batch;
  const batch: SacBatch = {
    context: normals(s.tasks * s.context * 5, rng(20)),
    obs: normals(n * 2, rng(21)),
    actions: normals(n * 2, rng(22), 0.5),
    rewards: normals(n, rng(23)),
    nextObs: normals(n * 2, rng(24)),
    dones: new Float64Array(n).map((_, r) => r % 3 === 0 ? 1 : 0),
  };
  return { s, shapes, nets, batch, noise: sacNoise(s, rng(25)) };
}

Deno.test("critic loss: Q and encoder gradients (through z and the KL) match finite differences", () => {
  const { s, shapes, nets, batch, noise } = setup();
  const p = nets.params;
  const run = () =>
    criticLoss(
      s,
      shapes,
      { encoder: p.encoder, qf1: p.qf1, qf2: p.qf2, targetVf: nets.targetVf },
      batch,
      noise,
      0.9,
      0.5,
    );
  const r = run();
  assert.ok(r.kl > 0);
  assertFd(p.qf1, r.gq1, () => run().loss, "qf1");
  assertFd(p.qf2, r.gq2, () => run().loss, "qf2");
  // The target V(s′, z) is held fixed (no gradient, as in the authors' code): with a zero
  // target network the loss's dependence on the encoder is all through Q and the KL.
  nets.targetVf.fill(0);
  assertFd(p.encoder, run().gEncoder, () => run().loss, "encoder");
});

Deno.test("value and policy losses: gradients (the policy's through ∂min Q/∂a) match finite differences", () => {
  const { s, shapes, nets, batch, noise } = setup();
  const p = nets.params;
  const z = [normals(3, rng(30)), normals(3, rng(31))];
  const targets = normals(s.tasks * s.batch, rng(32));
  const v = valueLoss(s, shapes, p.vf, batch.obs, z, targets);
  assertFd(p.vf, v.grad, () => valueLoss(s, shapes, p.vf, batch.obs, z, targets).loss, "vf");
  const reg = { mean: 1e-3, std: 1e-3 };
  const run = () => {
    const actions = policyActions(s, shapes, p.policy, batch.obs, z, noise.action);
    const q = minQ(s, shapes, [p.qf1, p.qf2], batch.obs, actions.sample.actions, z);
    return policyLoss(s, shapes, p.policy, actions, q, reg);
  };
  assertFd(p.policy, run().grad, () => run().loss, "policy");
});
