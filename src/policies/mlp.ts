/**
 * The memoryless network of the non-meta TRPO baseline: an MLP with ReLU hidden layers on the
 * current observation only. Xavier weights, zero biases, weight normalisation (or layer
 * normalisation of the hidden pre-activations, or none), as for the GRU.
 *
 * Layer i, from its input a: s = a·W_i, pre = N(s) + b_i, a' = relu(pre); the output is
 * y = a·W_o + b_o. Backward, from ∂a': ∂pre = ∂a' ⊙ [pre > 0], ∂s through N, ∂W_i = aᵀ·∂s,
 * ∂b_i = Σ ∂pre, ∂a = ∂s·W_iᵀ. The equations are written once, on the {@link Ops} of a compute
 * backend.
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import type { Ops, Standardized } from "./ops.ts";
import { type Norm, sizeOf, type StepNetwork, type WeightRef } from "./network.ts";
import { ParamBuilder } from "./params.ts";

/** One dense layer's effective weights; gain and shift with layer normalisation only. */
export interface LayerWeights<T> {
  w: T;
  b: T;
  gain?: T;
  shift?: T;
}

/** The effective weights of an MLP: hidden layers, then the output layer. */
export interface MlpWeights<T> {
  layers: LayerWeights<T>[];
  out: { w: T; b: T };
}

/** An MLP network's description. */
export interface MlpNetwork extends StepNetwork {
  /** The architecture. */
  readonly kind: "mlp";
  /** Hidden layer sizes. */
  readonly hidden: readonly number[];
}

/** Names the effective weights of a list in canonical order. */
export function mlpWeights<T>(list: readonly T[], net: MlpNetwork): MlpWeights<T> {
  let i = 0;
  const next = () => list[i++]!;
  const layers = net.hidden.map(() => {
    const l: LayerWeights<T> = { w: next(), b: next() };
    if (net.norm === "layer") (l.gain = next(), l.shift = next());
    return l;
  });
  return { layers, out: { w: next(), b: next() } };
}

/** What a forward pass keeps for its backward pass. */
export interface MlpPass<T> {
  /** Per hidden layer: its input, its pre-activation, and the standardised sum (layer norm). */
  caches: { input: T; pre: T; norm?: Standardized<T> }[];
  /** The last hidden layer's activation. */
  last: T;
  /** The outputs. */
  out: T;
}

/** The forward pass over rows `x` (the network has no memory, so all rows at once). */
export function mlpForward<T>(ops: Ops<T>, w: MlpWeights<T>, x: T): MlpPass<T> {
  const caches: MlpPass<T>["caches"] = [];
  let a = x;
  for (const l of w.layers) {
    const sum = ops.matMul(a, l.w);
    const norm = l.gain === undefined ? undefined : ops.standardize(sum);
    const normed = norm ? ops.add(ops.mul(norm.xhat, l.gain!), l.shift!) : sum;
    const pre = ops.add(normed, l.b);
    caches.push({ input: a, pre, ...(norm && { norm }) });
    a = ops.relu(pre);
  }
  return { caches, last: a, out: ops.add(ops.matMul(a, w.out.w), w.out.b) };
}

/**
 * The backward pass from ∂y (`dy`) to the effective weights' gradients, in canonical order.
 * `wT` holds the transposed matrices: `wT[i]` of hidden layer i, then the output layer's.
 */
export function mlpBackward<T>(
  ops: Ops<T>,
  w: MlpWeights<T>,
  wT: readonly T[],
  pass: MlpPass<T>,
  dy: T,
): T[] {
  const grads: T[][] = [];
  let da = ops.matMul(dy, wT[w.layers.length]!);
  for (let i = w.layers.length - 1; i >= 0; i--) {
    const { input, pre, norm } = pass.caches[i]!;
    const l = w.layers[i]!;
    const dpre = ops.mul(da, ops.step(pre));
    const ds = norm ? ops.standardizeBackward(ops.mul(dpre, l.gain!), norm) : dpre;
    grads[i] = [ops.matMulTA(input, ds), ops.sumRows(dpre)];
    if (norm) grads[i]!.push(ops.sumRows(ops.mul(dpre, norm.xhat)), ops.sumRows(dpre));
    if (i > 0) da = ops.matMul(ds, wT[i]!);
  }
  return [...grads.flat(), ops.matMulTA(pass.last, dy), ops.sumRows(dy)];
}

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
): MlpNetwork {
  const b = new ParamBuilder();
  const refs: WeightRef[] = [];
  let fanIn = o.inputDim;
  for (const units of o.hidden) {
    refs.push({ dense: b.dense(fanIn, units, "xavier", o.norm) }, { param: b.vector(units, 0) });
    if (o.norm === "layer") refs.push({ param: b.vector(units, 1) }, { param: b.vector(units, 0) });
    fanIn = units;
  }
  refs.push({ dense: b.dense(fanIn, o.outputDim, "xavier", o.norm) }, {
    param: b.vector(o.outputDim, 0),
  });
  return {
    kind: "mlp",
    hidden: [...o.hidden],
    norm: o.norm,
    inputDim: o.inputDim,
    outputDim: o.outputDim,
    stateDim: 0,
    shapes: b.shapes,
    size: sizeOf(b.shapes),
    weights: refs,
    init: (rng: Rng) => b.init(rng),
  };
}
