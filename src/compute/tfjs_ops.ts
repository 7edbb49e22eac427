/**
 * {@link Ops} on TensorFlow.js tensors, each operation run at once (callers wrap them in
 * `tf.tidy`), and the tfjs backend's helpers (parameter tensors, weight normalisation, per-step
 * uploads). The choices are those that are fast on tfjs's WASM backend: `tanh` through the
 * sigmoid, `aᵀ·b` with an explicit transpose, column sums by a ones-vector product.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Ops } from "../policies/ops.ts";
import type { StepNetwork } from "../policies/network.ts";

/** Splits a flat parameter vector into tensors of the network's shapes. */
export function unflatten(net: StepNetwork, flat: Float32Array): tf.Tensor[] {
  if (flat.length !== net.size) {
    throw new Error(`parameter vector has ${flat.length} entries, network needs ${net.size}`);
  }
  let offset = 0;
  return net.shapes.map((shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(flat.subarray(offset, offset + n), shape as number[]);
    offset += n;
    return t;
  });
}

/** Concatenates tensors' values into one flat vector (reads them back from the backend). */
export function flatten(tensors: readonly tf.Tensor[], size: number): Float32Array {
  const out = new Float32Array(size);
  let offset = 0;
  for (const t of tensors) {
    out.set(t.dataSync() as Float32Array, offset);
    offset += t.size;
  }
  return out;
}

/**
 * Weight normalisation `W = V · g / ‖V‖` per output column (Salimans & Kingma 2016), with the
 * column sums of {@link sumRows}.
 */
export function weightNorm(v: tf.Tensor, g: tf.Tensor): tf.Tensor2D {
  const norm = tf.sqrt(tf.add(sumRows(tf.square(v)), 1e-12));
  return tf.mul(v, tf.div(g, norm)) as tf.Tensor2D;
}

/** Layer normalisation's standardised rows `x̂ = (x − mean) / σ` and `1/σ` (last axis). */
export function standardizeRows(x: tf.Tensor): { xhat: tf.Tensor; invStd: tf.Tensor } {
  const { mean, variance } = tf.moments(x, -1, true);
  const invStd = tf.rsqrt(tf.add(variance, 1e-5));
  return { xhat: tf.mul(tf.sub(x, mean), invStd), invStd };
}

/** The backward pass of {@link standardizeRows}: ∂/∂x from ∂/∂x̂. */
export function standardizeRowsBackward(
  dxhat: tf.Tensor,
  xhat: tf.Tensor,
  invStd: tf.Tensor,
): tf.Tensor {
  const meanD = tf.mean(dxhat, -1, true);
  const meanDx = tf.mean(tf.mul(dxhat, xhat), -1, true);
  return tf.mul(invStd, tf.sub(tf.sub(dxhat, meanD), tf.mul(xhat, meanDx)));
}

/** `tanh` as `2σ(2x) − 1` (tfjs's WASM tanh is scalar and much slower than its sigmoid). */
export function fastTanh(x: tf.Tensor): tf.Tensor {
  return tf.sub(tf.mul(tf.sigmoid(tf.mul(x, 2)), 2), 1);
}

/**
 * `aᵀ · b` with an explicit transpose: tfjs's WASM matmul runs the fast XNNPACK path only
 * without transpose flags.
 */
export function matMulTA(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.matMul(tf.transpose(a), b);
}

/**
 * Column sums of a `[N, M]` matrix, as `[M]`, by a ones-vector matmul: WASM reduces over axis 0
 * through a full transpose, ~60× slower.
 */
export function sumRows(x: tf.Tensor): tf.Tensor {
  const [n, m] = x.shape as [number, number];
  return tf.reshape(tf.matMul(tf.ones([1, n]), x), [m]);
}

/** The transpose `[cols, rows]` of a row-major host matrix, uploaded (no device transpose). */
export function transposedTensor(data: Float32Array, rows: number, cols: number): tf.Tensor2D {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j]!;
  }
  return tf.tensor2d(out, [cols, rows]);
}

/**
 * Step `t` of time-major host data (`T × B × width`) as a `[B, width]` tensor: uploaded one step
 * at a time, so no device tensor is sliced per step (WASM's Slice copies its whole source).
 */
export function stepRows(data: Float32Array, t: number, B: number, width: number): tf.Tensor2D {
  return tf.tensor2d(data.subarray(t * B * width, (t + 1) * B * width), [B, width]);
}

/** The eager TensorFlow.js implementation of {@link Ops}. */
export const tfjsOps: Ops<tf.Tensor> = {
  matMul: (a, b) => tf.matMul(a, b),
  matMulTA,
  add: (a, b) => tf.add(a, b),
  sub: (a, b) => tf.sub(a, b),
  mul: (a, b) => tf.mul(a, b),
  addN: (xs) => tf.addN(xs),
  scale: (a, c) => tf.mul(a, c),
  rsub: (c, a) => tf.sub(c, a),
  square: (a) => tf.square(a),
  sigmoid: (a) => tf.sigmoid(a),
  tanh: fastTanh,
  relu: (a) => tf.relu(a),
  step: (a) => tf.step(a),
  sumRows,
  standardize: standardizeRows,
  standardizeBackward: (d, s) => standardizeRowsBackward(d, s.xhat, s.invStd),
};
