/**
 * The memoryless network of the non-meta TRPO baseline: an MLP with ReLU hidden layers on the
 * current observation only. Xavier weights, zero biases, weight normalisation (or layer
 * normalisation of the hidden pre-activations, or none), as for the GRU.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../rng.ts";
import { layerNorm, matMul, type Norm, sizeOf, type StepNetwork } from "./network.ts";
import { type DenseRef, denseWeight, ParamBuilder } from "./params.ts";

/**
 * An MLP network; its state is empty, so stepping it over a trial carries no memory.
 *
 * @example
 * ```ts
 * import { mlpNetwork } from "./mlp.ts";
 * const net = mlpNetwork({ inputDim: 4, hidden: [32, 32], outputDim: 2, norm: "none" });
 * if (net.stateDim !== 0) throw new Error("memoryless");
 * ```
 */
export function mlpNetwork(
  o: { inputDim: number; hidden: readonly number[]; outputDim: number; norm: Norm },
): StepNetwork {
  const b = new ParamBuilder();
  const layers: { w: DenseRef; b: number; lnGain: number; lnBias: number }[] = [];
  let fanIn = o.inputDim;
  for (const units of o.hidden) {
    layers.push({
      w: b.dense(fanIn, units, "xavier", o.norm),
      b: b.vector(units, 0),
      lnGain: o.norm === "layer" ? b.vector(units, 1) : -1,
      lnBias: o.norm === "layer" ? b.vector(units, 0) : -1,
    });
    fanIn = units;
  }
  const head = { w: b.dense(fanIn, o.outputDim, "xavier", o.norm), b: b.vector(o.outputDim, 0) };

  return {
    inputDim: o.inputDim,
    outputDim: o.outputDim,
    stateDim: 0,
    shapes: b.shapes,
    size: sizeOf(b.shapes),
    init: (rng: Rng) => b.init(rng),
    weights(params) {
      const w: tf.Tensor[] = [];
      for (const l of layers) {
        w.push(denseWeight(params, l.w), params[l.b]!);
        if (l.lnGain >= 0) w.push(params[l.lnGain]!, params[l.lnBias]!);
      }
      w.push(denseWeight(params, head.w), params[head.b]!);
      return w;
    },
    step(w, x, h) {
      const stride = o.norm === "layer" ? 4 : 2;
      let a: tf.Tensor2D = x;
      layers.forEach((_, i) => {
        let pre: tf.Tensor2D = matMul(a, w[i * stride] as tf.Tensor2D);
        if (stride === 4) pre = layerNorm(pre, w[i * stride + 2]!, w[i * stride + 3]!);
        a = tf.relu(tf.add(pre, w[i * stride + 1]!)) as tf.Tensor2D;
      });
      const k = layers.length * stride;
      const out = tf.add(matMul(a, w[k] as tf.Tensor2D), w[k + 1]!) as tf.Tensor2D;
      return { out, h };
    },
  };
}
