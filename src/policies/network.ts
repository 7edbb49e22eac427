/**
 * A network evaluated step by step over a batch of trials, with its parameters passed in as
 * explicit tensors (so TRPO can evaluate perturbed parameters and take gradients with respect
 * to them), and the parameter initialisers and normalisations of the RL² paper's appendix.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../rng.ts";

/** How weight matrices are normalised (paper: weight normalisation). */
export type Norm = "weight" | "layer" | "none";

/** The effective weights of one forward pass (normalisations applied once, not per step). */
export type Weights = tf.Tensor[];

/**
 * A forward pass over a chunk of trials that keeps what its backward pass needs. It owns its
 * tensors: call `dispose` when done with it.
 */
export interface Unrolled {
  /** `[T·B, outputDim]`, time-major (row `t·B + b`). */
  readonly outputs: tf.Tensor2D;
  /**
   * Backpropagation through the whole pass: for host `dOut` (`T × B × outputDim`, time-major),
   * the gradient of Σ dOut ⊙ outputs with respect to each tensor of the weights, in order.
   */
  backward(dOut: Float32Array): tf.Tensor[];
  /** Frees the kept activations and the outputs. */
  dispose(): void;
}

/** A recurrent or feed-forward network stepped over time; its state is empty when memoryless. */
export interface StepNetwork {
  /** Input size of one step. */
  readonly inputDim: number;
  /** Output size of one step (logits, or 1 for a value). */
  readonly outputDim: number;
  /** Hidden-state size; 0 for a memoryless network. */
  readonly stateDim: number;
  /** Shapes of the parameter tensors, in order. */
  readonly shapes: readonly (readonly number[])[];
  /** Total number of scalar parameters. */
  readonly size: number;
  /** Fresh parameters as one flat vector. */
  init(rng: Rng): Float32Array;
  /**
   * Turns parameter tensors into the weights a step uses (e.g. applies weight normalisation).
   *
   * @internal Tensor-level: its types are TensorFlow.js tensors, outside this package's API.
   */
  weights(params: tf.Tensor[]): Weights;
  /**
   * One step: output `[B, outputDim]` and the next state `[B, stateDim]` (ignored when 0).
   *
   * @internal Tensor-level: its types are TensorFlow.js tensors, outside this package's API.
   */
  step(weights: Weights, x: tf.Tensor2D, h: tf.Tensor2D): { out: tf.Tensor2D; h: tf.Tensor2D };
  /**
   * B trials of T steps from a zero state, `inputs` being `T × B × inputDim` time-major; the
   * gradient comes from the returned pass's hand-written backward (no autodiff tape over time).
   *
   * @internal Tensor-level: its types are TensorFlow.js tensors, outside this package's API.
   */
  unroll(weights: Weights, inputs: Float32Array, T: number, B: number): Unrolled;
}

/** Number of scalars in each shape and their total. */
export function sizeOf(shapes: readonly (readonly number[])[]): number {
  return shapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);
}

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

/** Xavier/Glorot uniform initialisation of a `[fanIn, fanOut]` matrix into `out`. */
export function xavier(rng: Rng, fanIn: number, fanOut: number, out: Float32Array): void {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  for (let i = 0; i < fanIn * fanOut; i++) out[i] = rng.uniformIn(-limit, limit);
}

/** A random orthogonal `[n, n]` matrix (Gram–Schmidt on Gaussian columns) into `out`. */
export function orthogonal(rng: Rng, n: number, out: Float32Array): void {
  const q = Array.from({ length: n }, () => Float64Array.from({ length: n }, () => rng.normal()));
  for (let j = 0; j < n; j++) {
    const v = q[j]!;
    for (let k = 0; k < j; k++) {
      const u = q[k]!;
      let dot = 0;
      for (let i = 0; i < n; i++) dot += u[i]! * v[i]!;
      for (let i = 0; i < n; i++) v[i]! -= dot * u[i]!;
    }
    const norm = Math.hypot(...v);
    for (let i = 0; i < n; i++) v[i]! /= norm;
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = q[j]![i]!;
}

/** Column L2 norms of a `[rows, cols]` matrix stored row-major. */
export function columnNorms(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j]! += m[i * cols + j]! ** 2;
  return out.map(Math.sqrt);
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
