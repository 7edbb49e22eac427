import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { gruNetwork } from "../../src/policies/gru.ts";
import { mlpNetwork } from "../../src/policies/mlp.ts";
import type { StepNetwork } from "../../src/policies/network.ts";
import { categoricalDistribution, logProb, softmax } from "../../src/policies/categorical.ts";
import { policyOf } from "../../src/policies/distribution.ts";
import { backprop, forwardOutputs, linearize } from "../../src/algos/unroll.ts";
import { trialRange } from "../../src/compute/trials.ts";
import { surrogateAndKl, surrogateGradient } from "../../src/algos/policy_gradient.ts";
import { AVAILABLE, useBackend } from "../_backend.ts";

const T = 4, B = 3, D = 5, A = 3;

const nets: [string, StepNetwork][] = [
  ["GRU, weight norm", gruNetwork({ inputDim: D, hidden: 6, outputDim: A, norm: "weight" })],
  ["GRU, layer norm", gruNetwork({ inputDim: D, hidden: 6, outputDim: A, norm: "layer" })],
  ["GRU, no norm", gruNetwork({ inputDim: D, hidden: 6, outputDim: A, norm: "none" })],
  [
    "GRU, ReLU, weight norm with unit gains",
    gruNetwork({
      inputDim: D,
      hidden: 6,
      outputDim: A,
      norm: "weight",
      activation: "relu",
      gainInit: "one",
    }),
  ],
  [
    "GRU, ReLU, layer norm",
    gruNetwork({ inputDim: D, hidden: 6, outputDim: A, norm: "layer", activation: "relu" }),
  ],
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

/** ∂/∂logits of Σ c·log softmax(logits), for the trials b0..b1 of `c`. */
function logSoftmaxGradient(c: Float32Array) {
  return (out: Float32Array, b0: number, b1: number) => {
    const coef = trialRange(c, T, B, A, b0, b1);
    const p = new Float32Array(out.length);
    const d = new Float32Array(out.length);
    for (let i = 0; i < out.length / A; i++) {
      softmax(out, i * A, A, p);
      let total = 0;
      for (let a = 0; a < A; a++) total += coef[i * A + a]!;
      for (let a = 0; a < A; a++) d[i * A + a] = coef[i * A + a]! - p[i * A + a]! * total;
    }
    return d;
  };
}

function directional(
  f: (p: Float32Array) => number,
  params: Float32Array,
  d: Float64Array,
  eps: number,
) {
  const at = (s: number) => f(Float32Array.from(params, (p, i) => p + s * eps * d[i]!));
  return (at(1) - at(-1)) / (2 * eps);
}

for (const backend of AVAILABLE) {
  for (const [name, net] of nets) {
    Deno.test(`backprop() matches central finite differences (${name}, ${backend})`, async () => {
      await useBackend(backend);
      const { rng, params, data } = problem(net, 11);
      const c = Float32Array.from({ length: T * B * A }, () => rng.normal());
      const grad = backprop(net, params, data, 2, logSoftmaxGradient(c));
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
}

for (const backend of AVAILABLE.filter((b) => b !== "cpu")) {
  for (const [name, net] of nets) {
    Deno.test(`outputs and gradients on ${backend} equal the CPU backend's (${name})`, async () => {
      const { rng, params, data } = problem(net, 15);
      const c = Float32Array.from({ length: T * B * A }, () => rng.normal());
      const run = async (b: typeof backend | "cpu") => {
        await useBackend(b);
        return {
          out: forwardOutputs(net, params, data, 2),
          grad: backprop(net, params, data, 2, logSoftmaxGradient(c)),
        };
      };
      const ref = await run("cpu");
      const got = await run(backend);
      const close = (a: Float32Array, b: Float32Array, what: string) => {
        const scale = Math.max(...b.map(Math.abs));
        const diff = Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));
        assert.ok(scale > 0 && diff <= 1e-5 * scale, `${what} differ by ${diff} (scale ${scale})`);
      };
      close(got.out, ref.out, "outputs");
      close(got.grad, ref.grad, "gradients");
    });
  }
}

for (
  const [name, net, backend] of AVAILABLE.flatMap((b) =>
    [[...nets[1]!, b], [...nets[6]!, b]] as const
  )
) {
  Deno.test(`a kept forward pass gives the chunked gradients, again and again (${name}, ${backend})`, async () => {
    await useBackend(backend);
    const { rng, params, data } = problem(net, 13);
    const lin = linearize(net, params, data, B);
    try {
      for (let k = 0; k < 3; k++) {
        const c = Float32Array.from({ length: T * B * A }, () => rng.normal());
        const kept = lin.gradient(logSoftmaxGradient(c));
        const chunked = backprop(net, params, data, 1, logSoftmaxGradient(c));
        const scale = Math.max(...chunked.map(Math.abs));
        const diff = Math.max(...kept.map((g, i) => Math.abs(g - chunked[i]!)));
        assert.ok(scale > 0 && diff < 1e-5 * scale, `repeat ${k}: differs by ${diff}`);
      }
    } finally {
      lin.dispose();
    }
  });
}

for (const [name, net] of [nets[0]!, nets[1]!]) {
  Deno.test(`weight gradients summed over several blocks of steps equal one block's (${name})`, async () => {
    await useBackend("cpu");
    // 300 trials of 5 steps: one chunk of 300 trials has blocks of 3 + 2 steps (≤ 1024 rows
    // each); chunks of 100 trials have all 5 steps in one block.
    const rng = Rng.derive(14, "unroll-test");
    const params = net.init(rng);
    const [T5, B300] = [5, 300];
    const data = {
      T: T5,
      B: B300,
      inputs: Float32Array.from({ length: T5 * B300 * D }, () => rng.normal()),
      mask: new Float32Array(T5 * B300).fill(1),
    };
    const dOut = Float32Array.from({ length: T5 * B300 * A }, () => rng.normal());
    const of = (b0: number, b1: number) => trialRange(dOut, T5, B300, A, b0, b1);
    const blocks = backprop(net, params, data, B300, (_, b0, b1) => of(b0, b1));
    const single = backprop(net, params, data, 100, (_, b0, b1) => of(b0, b1));
    const scale = Math.max(...single.map(Math.abs));
    const diff = Math.max(...blocks.map((g, i) => Math.abs(g - single[i]!)));
    assert.ok(scale > 0 && diff < 1e-4 * scale, `differs by ${diff} (scale ${scale})`);
  });
}

for (const entropyCoeff of [0, 0.7]) {
  Deno.test(`surrogateGradient() is the derivative of the surrogate at the old policy (entropy bonus ${entropyCoeff})`, async () => {
    await useBackend("cpu");
    const net = nets[0]![1];
    const { rng, params, data } = problem(net, 12);
    const logits = forwardOutputs(net, params, data, 8);
    const probs = new Float32Array(logits.length);
    for (let i = 0; i < T * B; i++) softmax(logits, i * A, A, probs);
    const actions = Int32Array.from({ length: T * B }, () => rng.int(A));
    const advantages = Float32Array.from({ length: T * B }, (_, i) => data.mask[i]! * rng.normal());
    const batch = { ...data, distParams: probs, head: new Float32Array(0), actions, advantages };
    const policy = policyOf(net, categoricalDistribution(A));
    const g = surrogateGradient(policy, params, batch, 8, entropyCoeff);
    const d = Float64Array.from({ length: net.size }, () => rng.normal());
    const numeric = directional(
      (p) => surrogateAndKl(policy, p, batch, 8, entropyCoeff).surrogate,
      params,
      d,
      1e-3,
    );
    const analytic = g.reduce((s, x, i) => s + x * d[i]!, 0);
    assert.ok(Math.abs(analytic - numeric) < 1e-2 * Math.abs(numeric), `${analytic} vs ${numeric}`);
    assert.ok(
      surrogateAndKl(policy, params, batch, 8).kl < 1e-6,
      "KL of the policy to itself is 0",
    );
  });
}

for (const backend of AVAILABLE) {
  Deno.test(`a pass over more rows than one graph run takes equals smaller chunks (${backend})`, async () => {
    await useBackend(backend);
    // 17,000 trials of 4 steps: 68,000 rows, more than the ONNX Runtime backend runs at once
    // and more than it keeps the forward pass of.
    const net = nets[0]![1];
    const rng = Rng.derive(16, "unroll-test");
    const params = net.init(rng);
    const [T4, B9k] = [4, 17000];
    const data = {
      T: T4,
      B: B9k,
      inputs: Float32Array.from({ length: T4 * B9k * D }, () => rng.normal()),
      mask: new Float32Array(T4 * B9k).fill(1),
    };
    const dOut = Float32Array.from({ length: T4 * B9k * A }, () => rng.normal());
    const of = (b0: number, b1: number) => trialRange(dOut, T4, B9k, A, b0, b1);
    const whole = backprop(net, params, data, B9k, (_, b0, b1) => of(b0, b1));
    const chunked = backprop(net, params, data, 1000, (_, b0, b1) => of(b0, b1));
    const scale = Math.max(...chunked.map(Math.abs));
    const diff = Math.max(...whole.map((g, i) => Math.abs(g - chunked[i]!)));
    assert.ok(scale > 0 && diff < 1e-4 * scale, `differs by ${diff} (scale ${scale})`);
    const out = forwardOutputs(net, params, data, B9k);
    const outChunked = forwardOutputs(net, params, data, 1000);
    assert.ok(out.every((x, i) => x === outChunked[i]), "outputs differ");
  });
}
