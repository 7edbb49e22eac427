/**
 * Running a {@link StepNetwork} over whole trials (backpropagation through time), in chunks
 * of trials so memory stays bounded. Data is time-major: step `t` of trial `b` is row
 * `t * B + b`. Every trial starts from a zero hidden state at its first step and keeps it to
 * its last, so the state is carried across the episodes of a trial and reset between trials
 * by construction.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type StepNetwork, unflatten } from "../policies/network.ts";

/** Inputs of B trials of at most T steps. */
export interface TrialInputs {
  readonly T: number;
  readonly B: number;
  /** `T × B × inputDim`, time-major. */
  readonly inputs: Float32Array;
  /** `T × B`: 1 where the step exists, 0 for padding after a trial ended. */
  readonly mask: Float32Array;
}

/** Per-step coefficients handed to a loss term: `T × B × width`, time-major. */
export interface Coefficients {
  readonly data: Float32Array;
  readonly width: number;
}

/** A per-step scalar term of a loss, from the step's outputs and its coefficient rows. */
export type StepTerm = (out: tf.Tensor2D, coefs: tf.Tensor2D[]) => tf.Scalar;

function rows(data: Float32Array, width: number, t: number, B: number, b0: number, b1: number) {
  return tf.tensor2d(data.subarray((t * B + b0) * width, (t * B + b1) * width), [b1 - b0, width]);
}

function unrollChunk(
  net: StepNetwork,
  params: tf.Tensor[],
  data: TrialInputs,
  b0: number,
  b1: number,
  onStep: (t: number, out: tf.Tensor2D) => void,
): void {
  const w = net.weights(params);
  let h: tf.Tensor2D = tf.zeros([b1 - b0, net.stateDim]);
  for (let t = 0; t < data.T; t++) {
    const x = rows(data.inputs, net.inputDim, t, data.B, b0, b1);
    const step = net.step(w, x, h);
    h = step.h;
    onStep(t, step.out);
  }
}

function chunks(B: number, chunk: number): [number, number][] {
  const out: [number, number][] = [];
  for (let b0 = 0; b0 < B; b0 += chunk) out.push([b0, Math.min(B, b0 + chunk)]);
  return out;
}

/** The network's outputs at every step of every trial, `T × B × outputDim`, time-major. */
export function forwardOutputs(
  net: StepNetwork,
  flatParams: Float32Array,
  data: TrialInputs,
  chunkTrials: number,
): Float32Array {
  const { T, B } = data;
  const O = net.outputDim;
  const result = new Float32Array(T * B * O);
  for (const [b0, b1] of chunks(B, chunkTrials)) {
    const all = tf.tidy(() => {
      const outs: tf.Tensor2D[] = [];
      unrollChunk(net, unflatten(net, flatParams), data, b0, b1, (_t, out) => outs.push(out));
      return tf.stack(outs);
    });
    const values = all.dataSync() as Float32Array;
    all.dispose();
    const width = (b1 - b0) * O;
    for (let t = 0; t < T; t++) {
      result.set(values.subarray(t * width, (t + 1) * width), (t * B + b0) * O);
    }
  }
  return result;
}

/**
 * The value and the gradient with respect to the flat parameters of Σ_t term(out_t, coefs_t),
 * summed over chunks of trials.
 */
export function gradOfSum(
  net: StepNetwork,
  flatParams: Float32Array,
  data: TrialInputs,
  coefs: readonly Coefficients[],
  term: StepTerm,
  chunkTrials: number,
): { value: number; grad: Float32Array } {
  const grad = new Float32Array(net.size);
  let value = 0;
  for (const [b0, b1] of chunks(data.B, chunkTrials)) {
    const parts = tf.tidy(() => {
      const loss = (...params: tf.Tensor[]): tf.Scalar => {
        const terms: tf.Scalar[] = [];
        unrollChunk(net, params, data, b0, b1, (t, out) => {
          terms.push(term(out, coefs.map((c) => rows(c.data, c.width, t, data.B, b0, b1))));
        });
        return tf.addN(terms);
      };
      const { value, grads } = tf.valueAndGrads(loss)(unflatten(net, flatParams));
      return [value, ...grads];
    });
    value += (parts[0]!.dataSync() as Float32Array)[0]!;
    let offset = 0;
    for (const g of parts.slice(1)) {
      const d = g.dataSync() as Float32Array;
      for (let i = 0; i < d.length; i++) grad[offset + i]! += d[i]!;
      offset += d.length;
    }
    tf.dispose(parts);
  }
  return { value, grad };
}

/** The selected trials (columns) of a time-major `T × B × width` array, in the given order. */
export function selectColumns<A extends Float32Array | Int32Array>(
  src: A,
  T: number,
  B: number,
  width: number,
  trials: ArrayLike<number>,
): A {
  const n = trials.length;
  const dst = new (src.constructor as new (length: number) => A)(T * n * width);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < n; j++) {
      const from = (t * B + trials[j]!) * width;
      dst.set(src.subarray(from, from + width), (t * n + j) * width);
    }
  }
  return dst;
}
