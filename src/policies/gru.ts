/**
 * The RL² network: a GRU over the per-step input (observation, previous action one-hot,
 * previous reward, done flag), then a fully connected layer to the outputs (action logits for
 * the policy, one value for the baseline). Per the paper's appendix: orthogonal recurrent
 * weights, Xavier elsewhere, zero biases, weight normalisation on all weight matrices (or layer
 * normalisation of the gate pre-activations, or none). The gates use the "reset after" form
 * n = tanh(x·Wₙ + r ⊙ (h·Uₙ) + bₙ).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../rng.ts";
import { fastTanh, layerNorm, matMul, type Norm, sizeOf, type StepNetwork } from "./network.ts";
import { type DenseRef, denseWeight, ParamBuilder } from "./params.ts";

interface Gate {
  x: DenseRef;
  h: DenseRef;
  b: number;
  lnGain: number;
  lnBias: number;
}

/**
 * A GRU network with `hidden` units.
 *
 * @example A policy for 5-armed bandits (input: placeholder 0, 5-way one-hot, reward, done)
 * ```ts
 * import { gruNetwork } from "./gru.ts";
 * const net = gruNetwork({ inputDim: 8, hidden: 16, outputDim: 5, norm: "weight" });
 * if (net.stateDim !== 16) throw new Error("state is the hidden layer");
 * ```
 */
export function gruNetwork(
  o: { inputDim: number; hidden: number; outputDim: number; norm: Norm },
): StepNetwork {
  const b = new ParamBuilder();
  const H = o.hidden;
  const gate = (): Gate => ({
    x: b.dense(o.inputDim, H, "xavier", o.norm),
    h: b.dense(H, H, "orthogonal", o.norm),
    b: b.vector(H, 0),
    lnGain: o.norm === "layer" ? b.vector(H, 1) : -1,
    lnBias: o.norm === "layer" ? b.vector(H, 0) : -1,
  });
  const gates = [gate(), gate(), gate()] as const;
  const head = { w: b.dense(H, o.outputDim, "xavier", o.norm), b: b.vector(o.outputDim, 0) };
  const perGate = 5;

  return {
    inputDim: o.inputDim,
    outputDim: o.outputDim,
    stateDim: H,
    shapes: b.shapes,
    size: sizeOf(b.shapes),
    init: (rng: Rng) => b.init(rng),
    weights(params) {
      const w: tf.Tensor[] = [];
      for (const g of gates) {
        w.push(denseWeight(params, g.x), denseWeight(params, g.h), params[g.b]!);
        w.push(...(g.lnGain < 0 ? [] : [params[g.lnGain]!, params[g.lnBias]!]));
      }
      w.push(denseWeight(params, head.w), params[head.b]!);
      return w;
    },
    step(w, x, h) {
      const stride = o.norm === "layer" ? perGate : 3;
      const pre = (i: number, inner: (hu: tf.Tensor2D) => tf.Tensor2D) => {
        const base = i * stride;
        const sum = tf.add(
          matMul(x, w[base] as tf.Tensor2D),
          inner(matMul(h, w[base + 1] as tf.Tensor2D)),
        ) as tf.Tensor2D;
        const normed = stride === perGate ? layerNorm(sum, w[base + 3]!, w[base + 4]!) : sum;
        return tf.add(normed, w[base + 2]!) as tf.Tensor2D;
      };
      const z = tf.sigmoid(pre(0, (hu) => hu));
      const r = tf.sigmoid(pre(1, (hu) => hu));
      const n = fastTanh(pre(2, (hu) => tf.mul(r, hu)));
      const next = tf.add(n, tf.mul(z, tf.sub(h, n))) as tf.Tensor2D;
      const out = tf.add(matMul(next, w[3 * stride] as tf.Tensor2D), w[3 * stride + 1]!);
      return { out: out as tf.Tensor2D, h: next };
    },
  };
}
