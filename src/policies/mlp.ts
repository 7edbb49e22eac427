/**
 * The memoryless network of the non-meta TRPO baseline: an MLP with ReLU hidden layers on the
 * current observation only. Xavier weights, zero biases, weight normalisation (or layer
 * normalisation of the hidden pre-activations, or none), as for the GRU.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../rng.ts";
import {
  matMulTA,
  type Norm,
  sizeOf,
  standardizeRows,
  standardizeRowsBackward,
  type StepNetwork,
  sumRows,
  type Unrolled,
  type Weights,
} from "./network.ts";
import { type DenseRef, denseWeight, ParamBuilder } from "./params.ts";

/** What a hidden layer keeps for the backward pass (a type alias, so tf.tidy can return it). */
type LayerCache = {
  /** The layer's input. */
  input: tf.Tensor;
  /** Its pre-activation (after normalisation and bias). */
  pre: tf.Tensor;
  /** With layer normalisation only: standardised sums and 1/σ. */
  norm: tf.Tensor[];
};

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

  const layer = o.norm === "layer";
  const stride = layer ? 4 : 2;
  const k = layers.length * stride;
  const W = (w: Weights, i: number) => w[i]!;

  /** All rows at once (the network has no memory); keeps every layer's input and pre-activation. */
  const forward = (w: Weights, x: tf.Tensor2D) => {
    const caches: LayerCache[] = [];
    let a: tf.Tensor = x;
    layers.forEach((_, i) => {
      const base = i * stride;
      const sum = tf.matMul(a, W(w, base));
      const st = layer ? standardizeRows(sum) : undefined;
      const normed = st ? tf.add(tf.mul(st.xhat, w[base + 2]!), w[base + 3]!) : sum;
      const pre = tf.add(normed, w[base + 1]!);
      caches.push({ input: a, pre, norm: st ? [st.xhat, st.invStd] : [] });
      a = tf.relu(pre);
    });
    return { caches, last: a, out: tf.add(tf.matMul(a, W(w, k)), w[k + 1]!) as tf.Tensor2D };
  };

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
      return { out: forward(w, x).out, h };
    },
    unroll(w, inputs, T, B): Unrolled {
      const pass = tf.tidy(() => forward(w, tf.tensor2d(inputs, [T * B, o.inputDim])));
      const backward = (dOut: Float32Array): tf.Tensor[] =>
        tf.tidy(() => {
          const dy = tf.tensor2d(dOut, [T * B, o.outputDim]);
          const grads: tf.Tensor[][] = [];
          let da = tf.matMul(dy, tf.transpose(W(w, k)));
          for (let i = layers.length - 1; i >= 0; i--) {
            const { input, pre, norm } = pass.caches[i]!;
            const base = i * stride;
            const dpre = tf.mul(da, tf.step(pre));
            const [xhat, invStd] = norm;
            const ds = xhat && invStd
              ? standardizeRowsBackward(tf.mul(dpre, w[base + 2]!), xhat, invStd)
              : dpre;
            grads[i] = [matMulTA(input, ds), sumRows(dpre)];
            if (xhat) grads[i]!.push(sumRows(tf.mul(dpre, xhat)), sumRows(dpre));
            if (i > 0) da = tf.matMul(ds, tf.transpose(W(w, base)));
          }
          return [...grads.flat(), matMulTA(pass.last, dy), sumRows(dy)];
        });
      const kept = [
        pass.out,
        pass.last,
        ...pass.caches.flatMap((c) => [c.input, c.pre, ...c.norm]),
      ];
      return { outputs: pass.out, backward, dispose: () => tf.dispose(kept) };
    },
  };
}
