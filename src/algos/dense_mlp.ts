/**
 * Small fully connected networks with hand-written backward passes, for learners that need the
 * gradient of a loss with respect to a network's inputs as well as its parameters (PEARL's
 * ∂Q/∂a and the critic's gradient into the context encoder through z). ReLU hidden layers and
 * a linear output; parameters are one flat Float32Array (per layer its weights, output-major,
 * then its biases); activations and gradients are computed in float64 with a fixed order of
 * summation, so results are deterministic.
 *
 * @module
 */
import type { Rng } from "../rng.ts";

/** The layer sizes of a network, input first, output last. */
export interface DenseShape {
  /** `[input, hidden…, output]`. */
  readonly sizes: readonly number[];
  /** The number of parameters. */
  readonly count: number;
}

/** The shape of a network with these sizes. */
export function denseShape(sizes: readonly number[]): DenseShape {
  let count = 0;
  for (let l = 1; l < sizes.length; l++) count += sizes[l]! * (sizes[l - 1]! + 1);
  return { sizes, count };
}

/**
 * Parameters as rlkit initialises its MLPs: hidden weights uniform in ±1/√n with n the first
 * dimension of torch's `[out, in]` weight (its `fanin_init` reads `size[0]`: the layer's output
 * size, not its input size), hidden biases 0.1, output weights and biases uniform in ±3e-3.
 */
export function denseInit(shape: DenseShape, rng: Rng): Float32Array {
  const p = new Float32Array(shape.count);
  const { sizes } = shape;
  let o = 0;
  for (let l = 1; l < sizes.length; l++) {
    const fanIn = sizes[l - 1]!, out = sizes[l]!;
    const last = l === sizes.length - 1;
    const bound = last ? 3e-3 : 1 / Math.sqrt(out);
    for (let i = 0; i < out * fanIn; i++) p[o++] = rng.uniformIn(-bound, bound);
    for (let i = 0; i < out; i++) p[o++] = last ? rng.uniformIn(-bound, bound) : 0.1;
  }
  return p;
}

/** A forward pass kept for its backward pass: every layer's output, the input first. */
export interface DenseCache {
  /** Rows of the batch. */
  readonly rows: number;
  /** `activations[0]` the input, `activations[l]` layer l's output (ReLU'd but for the last). */
  readonly activations: Float64Array[];
}

/** The network's outputs on `rows` inputs (`rows × sizes[0]`, row-major), with its cache. */
export function denseForward(
  shape: DenseShape,
  params: Float32Array,
  input: Float64Array,
  rows: number,
): DenseCache {
  const { sizes } = shape;
  const activations = [input];
  let o = 0;
  for (let l = 1; l < sizes.length; l++) {
    const nIn = sizes[l - 1]!, nOut = sizes[l]!;
    const x = activations[l - 1]!;
    const y = new Float64Array(rows * nOut);
    const bias = o + nOut * nIn;
    const relu = l < sizes.length - 1;
    for (let r = 0; r < rows; r++) {
      const xr = r * nIn;
      for (let j = 0; j < nOut; j++) {
        let s = params[bias + j]!;
        const w = o + j * nIn;
        for (let i = 0; i < nIn; i++) s += params[w + i]! * x[xr + i]!;
        y[r * nOut + j] = relu && s < 0 ? 0 : s;
      }
    }
    activations.push(y);
    o = bias + nOut;
  }
  return { rows, activations };
}

/** The network's output of a cache. */
export function denseOutput(cache: DenseCache): Float64Array {
  return cache.activations[cache.activations.length - 1]!;
}

/**
 * Backpropagates `dOutput` (`rows × output`): adds the parameters' gradient into `grad` when
 * given, and returns the gradient with respect to the input (`rows × input`).
 */
export function denseBackward(
  shape: DenseShape,
  params: Float32Array,
  cache: DenseCache,
  dOutput: Float64Array,
  grad?: Float64Array,
): Float64Array {
  const { sizes } = shape;
  const { rows, activations } = cache;
  const offsets: number[] = [0];
  for (let l = 1; l < sizes.length; l++) {
    offsets.push(offsets[l - 1]! + sizes[l]! * (sizes[l - 1]! + 1));
  }
  let d = dOutput;
  for (let l = sizes.length - 1; l >= 1; l--) {
    const nIn = sizes[l - 1]!, nOut = sizes[l]!;
    const o = offsets[l - 1]!, bias = o + nOut * nIn;
    const x = activations[l - 1]!;
    const dx = new Float64Array(rows * nIn);
    for (let r = 0; r < rows; r++) {
      const xr = r * nIn;
      for (let j = 0; j < nOut; j++) {
        const g = d[r * nOut + j]!;
        if (g === 0) continue;
        const w = o + j * nIn;
        if (grad !== undefined) {
          grad[bias + j] = grad[bias + j]! + g;
          for (let i = 0; i < nIn; i++) grad[w + i] = grad[w + i]! + g * x[xr + i]!;
        }
        for (let i = 0; i < nIn; i++) dx[xr + i] = dx[xr + i]! + g * params[w + i]!;
      }
    }
    if (l > 1) { for (let k = 0; k < dx.length; k++) if (x[k]! <= 0) dx[k] = 0; }
    d = dx;
  }
  return d;
}
