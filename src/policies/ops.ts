/**
 * The small tensor algebra the networks' equations are written in. One implementation runs
 * each operation at once on TensorFlow.js tensors; the other records it as a node of an ONNX
 * graph that ONNX Runtime runs later as a whole. So the forward and backward passes of the GRU
 * and the MLP are written once, and each backend supplies only these operations.
 *
 * Shapes: 2-D `[rows, cols]` matrices and 1-D `[cols]` vectors broadcast over rows.
 *
 * @module
 */

/** Layer normalisation's standardised rows and the `1/σ` of each row. */
export interface Standardized<T> {
  xhat: T;
  invStd: T;
}

/** Operations on values of type `T` (a tensor, or the name of a value in a graph). */
export interface Ops<T> {
  /** `a · b`. */
  matMul(a: T, b: T): T;
  /** `aᵀ · b`. */
  matMulTA(a: T, b: T): T;
  /** Elementwise sum, broadcasting a vector over rows. */
  add(a: T, b: T): T;
  /** Elementwise difference. */
  sub(a: T, b: T): T;
  /** Elementwise product. */
  mul(a: T, b: T): T;
  /** Sum of several same-shaped values. */
  addN(xs: T[]): T;
  /** `c · a`. */
  scale(a: T, c: number): T;
  /** `c − a`. */
  rsub(c: number, a: T): T;
  /** `a ⊙ a`. */
  square(a: T): T;
  /** The logistic function. */
  sigmoid(a: T): T;
  /** The hyperbolic tangent. */
  tanh(a: T): T;
  /** `max(a, 0)`. */
  relu(a: T): T;
  /** 1 where `a > 0`, else 0 (ReLU's derivative). */
  step(a: T): T;
  /** Column sums of a matrix, as a vector. */
  sumRows(a: T): T;
  /** Layer normalisation of each row: `(x − mean) / σ` with `σ² = var + 1e-5`. */
  standardize(x: T): Standardized<T>;
  /** The backward pass of {@link Ops.standardize}: ∂/∂x from ∂/∂x̂. */
  standardizeBackward(dxhat: T, s: Standardized<T>): T;
}
