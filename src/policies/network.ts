/**
 * What every network is to the rest of the code: its sizes, its parameters (shapes and
 * initialisers of the RL² paper's appendix) and how its effective weights are made from them.
 * How a network is evaluated is up to the compute backend (see `src/compute/`).
 *
 * @module
 */
import type { Rng } from "../rng.ts";

/** How weight matrices are normalised (paper: weight normalisation). */
export type Norm = "weight" | "layer" | "none";

/** Where a dense matrix's tensors sit in the parameter list. */
export interface DenseRef {
  /** Index of the matrix's direction tensor (the matrix itself without weight normalisation). */
  readonly v: number;
  /** Index of the weight-norm gains, or -1 without weight normalisation. */
  readonly g: number;
}

/**
 * How one effective weight is made from the parameters: a dense matrix (weight-normalised when
 * it has gains), or a parameter tensor as it is.
 */
export type WeightRef = { readonly dense: DenseRef } | { readonly param: number };

/** A network stepped over time; its state is empty when memoryless. */
export interface StepNetwork {
  /** The architecture, which a compute backend evaluates. */
  readonly kind: "gru" | "mlp";
  /** How weight matrices are normalised. */
  readonly norm: Norm;
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
  /** The effective weights a forward pass uses, in the network's canonical order. */
  readonly weights: readonly WeightRef[];
  /** Fresh parameters as one flat vector. */
  init(rng: Rng): Float32Array;
}

/** Number of scalars in each shape and their total. */
export function sizeOf(shapes: readonly (readonly number[])[]): number {
  return shapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);
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
