import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../src/rng.ts";
import { gruNetwork } from "../../src/policies/gru.ts";
import { mlpNetwork } from "../../src/policies/mlp.ts";
import type { StepNetwork } from "../../src/policies/network.ts";
import { logProb, softmax } from "../../src/policies/categorical.ts";
import { forwardOutputs, gradOfSum, type StepTerm } from "../../src/algos/unroll.ts";
import { surrogateAndKl, surrogateGradient } from "../../src/algos/trpo.ts";
import { useBackend } from "../_backend.ts";

const T = 4, B = 3, D = 5, A = 3;

const nets: [string, StepNetwork][] = [
  ["GRU, weight norm", gruNetwork({ inputDim: D, hidden: 6, outputDim: A, norm: "weight" })],
  ["GRU, layer norm", gruNetwork({ inputDim: D, hidden: 6, outputDim: A, norm: "layer" })],
  ["GRU, no norm", gruNetwork({ inputDim: D, hidden: 6, outputDim: A, norm: "none" })],
  ["MLP, weight norm", mlpNetwork({ inputDim: D, hidden: [7, 5], outputDim: A, norm: "weight" })],
  ["MLP, layer norm", mlpNetwork({ inputDim: D, hidden: [7], outputDim: A, norm: "layer" })],
];

function problem(net: StepNetwork, seed: number) {
  const rng = Rng.derive(seed, "unroll-test");
  const params = net.init(rng);
  const inputs = Float32Array.from({ length: T * B * D }, () => rng.normal());
  const mask = new Float32Array(T * B).fill(1);
  mask[(T - 1) * B] = 0;
  return { rng, params, data: { T, B, inputs, mask } };
}

/** Σ_t,b,a c·log softmax(out) computed on the host in float64 from forward outputs only. */
function hostLoss(
  net: StepNetwork,
  params: Float32Array,
  data: ReturnType<typeof problem>["data"],
  c: Float32Array,
) {
  const out = forwardOutputs(net, params, data, 2);
  let loss = 0;
  for (let i = 0; i < T * B; i++) {
    for (let a = 0; a < A; a++) loss += c[i * A + a]! * logProb(out, i * A, A, a);
  }
  return loss;
}

const term: StepTerm = (out, [c]) => tf.sum(tf.mul(tf.logSoftmax(out), c!)) as tf.Scalar;

function directional(
  f: (p: Float32Array) => number,
  params: Float32Array,
  d: Float64Array,
  eps: number,
) {
  const at = (s: number) => f(Float32Array.from(params, (p, i) => p + s * eps * d[i]!));
  return (at(1) - at(-1)) / (2 * eps);
}

for (const [name, net] of nets) {
  Deno.test(`gradOfSum() matches central finite differences (${name})`, async () => {
    await useBackend("cpu");
    const { rng, params, data } = problem(net, 11);
    const c = Float32Array.from({ length: T * B * A }, () => rng.normal());
    const { value, grad } = gradOfSum(net, params, data, [{ data: c, width: A }], term, 2);
    assert.ok(Math.abs(value - hostLoss(net, params, data, c)) < 1e-4 * (1 + Math.abs(value)));
    for (let k = 0; k < 3; k++) {
      const d = Float64Array.from({ length: net.size }, () => rng.normal());
      const norm = Math.hypot(...d);
      d.forEach((x, i) => (d[i] = x / norm));
      const analytic = grad.reduce((s, g, i) => s + g * d[i]!, 0);
      const numeric = directional((p) => hostLoss(net, p, data, c), params, d, 1e-3);
      const rel = Math.abs(analytic - numeric) / Math.max(1e-3, Math.abs(numeric));
      assert.ok(rel < 1e-2, `direction ${k}: analytic ${analytic}, numeric ${numeric}`);
    }
  });
}

Deno.test("surrogateGradient() is the derivative of the surrogate at the old policy", async () => {
  await useBackend("cpu");
  const net = nets[0]![1];
  const { rng, params, data } = problem(net, 12);
  const logits = forwardOutputs(net, params, data, 8);
  const probs = new Float32Array(logits.length);
  for (let i = 0; i < T * B; i++) softmax(logits, i * A, A, probs);
  const actions = Int32Array.from({ length: T * B }, () => rng.int(A));
  const advantages = Float32Array.from({ length: T * B }, (_, i) => data.mask[i]! * rng.normal());
  const batch = { ...data, probs, actions, advantages };
  const g = surrogateGradient(net, params, batch, 8);
  const d = Float64Array.from({ length: net.size }, () => rng.normal());
  const numeric = directional((p) => surrogateAndKl(net, p, batch, 8).surrogate, params, d, 1e-3);
  const analytic = g.reduce((s, x, i) => s + x * d[i]!, 0);
  assert.ok(Math.abs(analytic - numeric) < 1e-2 * Math.abs(numeric), `${analytic} vs ${numeric}`);
  assert.ok(surrogateAndKl(net, params, batch, 8).kl < 1e-6, "KL of the policy to itself is 0");
});
