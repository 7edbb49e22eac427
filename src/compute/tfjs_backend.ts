/**
 * The TensorFlow.js compute backend (WASM or pure-JS CPU): the networks' equations run op by op
 * on tfjs tensors. Backpropagation through time is a loop over steps on the host; weight
 * gradients are summed over blocks of at most {@link BLOCK_ROWS} rows of consecutive steps as
 * soon as a block's step gradients exist, and pulled back through weight normalisation to the
 * parameters by one small autodiff call.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { StepNetwork } from "../policies/network.ts";
import type { DenseRef } from "../policies/network.ts";
import {
  gateGradients,
  type GateName,
  GATES,
  type GateWeights,
  type GruCell,
  gruCell,
  gruCellBackward,
  type GruNetwork,
  gruOutput,
  type GruStepGrads,
  gruWeightList,
  type GruWeights,
  gruWeights,
} from "../policies/gru.ts";
import {
  mlpBackward,
  mlpForward,
  type MlpNetwork,
  type MlpPass,
  mlpWeights,
} from "../policies/mlp.ts";
import type { BoundNetwork, Compute, Pass, Stepper } from "./kernels.ts";
import {
  flatten,
  stepRows,
  tfjsOps as ops,
  transposedTensor,
  unflatten,
  weightNorm,
} from "./tfjs_ops.ts";

/** Rows (steps × trials) per block of the weight-gradient products. */
const BLOCK_ROWS = 1024;

/** The effective matrix of a dense layer: `V`, or `V · g / ‖V‖` with weight normalisation. */
function denseWeight(params: tf.Tensor[], ref: DenseRef): tf.Tensor {
  const v = params[ref.v]!;
  return ref.g < 0 ? v : weightNorm(v, params[ref.g]!);
}

/** The effective weights of `net` from its parameter tensors, in canonical order. */
function effectiveWeights(net: StepNetwork, params: tf.Tensor[]): tf.Tensor[] {
  return net.weights.map((r) => ("dense" in r ? denseWeight(params, r.dense) : params[r.param]!));
}

/** ∇θ from the gradients of the effective weights (through weight normalisation). */
function pullBack(net: StepNetwork, params: tf.Tensor[], dW: tf.Tensor[]): Float32Array {
  const grads = tf.tidy(() =>
    tf.grads((...p: tf.Tensor[]) =>
      tf.addN(effectiveWeights(net, p).map((w, i) => tf.sum(tf.mul(w, dW[i]!)))) as tf.Scalar
    )(params)
  );
  const flat = flatten(grads, net.size);
  tf.dispose(grads);
  return flat;
}

/** A forward pass on tfjs: its output tensor and its backward pass to the effective weights. */
interface TfPass {
  outputs: tf.Tensor;
  backward(dOut: Float32Array): tf.Tensor[];
  dispose(): void;
}

/** `f()` inside `tf.tidy`, keeping the tensors `tensorsOf` lists of its result. */
function tidied<R>(f: () => R, tensorsOf: (r: R) => tf.Tensor[]): R {
  let result!: R;
  tf.tidy(() => {
    result = f();
    return tensorsOf(result);
  });
  return result;
}

/** All tensors of a cell. */
function cellTensors(c: GruCell<tf.Tensor>): tf.Tensor[] {
  return [c.z, c.r, c.n, c.hun, c.h, ...Object.values(c.norm).flatMap((s) => [s.xhat, s.invStd])];
}

function gruUnroll(
  net: GruNetwork,
  w: GruWeights<tf.Tensor>,
  inputs: Float32Array,
  T: number,
  B: number,
): TfPass {
  const { inputDim: D, hidden: H } = net;
  const hs: tf.Tensor[] = [tf.zeros([B, H])];
  const cells: GruCell<tf.Tensor>[] = [];
  for (let t = 0; t < T; t++) {
    const c = tidied(() => gruCell(ops, w, stepRows(inputs, t, B, D), hs[t]!), cellTensors);
    cells.push(c);
    hs.push(c.h);
  }
  const states = tf.concat(hs.slice(1), 0);
  const outputs = tf.tidy(() => gruOutput(ops, w, states));
  const kept = [outputs, states, ...hs, ...cells.flatMap(cellTensors)];
  const forward = { net, w, inputs, T, B, hs, cells };
  return {
    outputs,
    backward: (dOut) => gruBackward(forward, dOut),
    dispose: () => tf.dispose(kept),
  };
}

/** A kept GRU forward pass over B trials of T steps: its states `hs` (h₀ first) and cells. */
interface GruForward {
  net: GruNetwork;
  w: GruWeights<tf.Tensor>;
  inputs: Float32Array;
  T: number;
  B: number;
  hs: tf.Tensor[];
  cells: GruCell<tf.Tensor>[];
}

/** Running sums of weight gradients by name, each kept until read. */
class GradientSums {
  readonly sums = new Map<string, tf.Tensor>();
  /** Adds `t` to the sum named `key`. */
  add(key: string, t: tf.Tensor): void {
    const old = this.sums.get(key);
    this.sums.set(key, tf.keep(old === undefined ? t : tf.add(old, t)));
    old?.dispose();
  }
}

/**
 * The weight gradients of the steps `t0 … t0 + block.length − 1`, added to `sums`: each gate's
 * Σ_t (input_t)ᵀ·(gradient_t) as one product over the block's rows, and the output layer's.
 */
function addBlockGradients(
  f: GruForward,
  dOut: Float32Array,
  t0: number,
  block: GruStepGrads<tf.Tensor>[],
  sums: GradientSums,
): void {
  const { net, inputs, B, hs, cells } = f;
  const { inputDim: D, outputDim: O } = net;
  const t1 = t0 + block.length, R = block.length * B;
  const cat = (list: tf.Tensor[]) => list.length === 1 ? list[0]! : tf.concat(list, 0);
  const xT = transposedTensor(inputs.subarray(t0 * B * D, t1 * B * D), R, D);
  // State hs[t] enters step t and is the output of step t − 1.
  const prevT = tf.transpose(cat(hs.slice(t0, t1)));
  for (const g of GATES) {
    const ds = cat(block.map((s) => s.ds[g]));
    const dpre = net.norm === "layer" ? cat(block.map((s) => s.dpre[g])) : ds;
    const xhat = net.norm === "layer"
      ? cat(cells.slice(t0, t1).map((c) => c.norm[g]!.xhat))
      : undefined;
    const dRecurrent = g === "n" ? cat(block.map((s) => s.dhun)) : ds;
    const grads = gateGradients(ops, xT, prevT, ds, dpre, dRecurrent, xhat);
    for (const [k, v] of Object.entries(grads)) sums.add(`${g}.${k}`, v);
  }
  const dOutBefore = new Float32Array(R * O);
  if (t0 > 0) dOutBefore.set(dOut.subarray((t0 - 1) * B * O, (t1 - 1) * B * O));
  else dOutBefore.set(dOut.subarray(0, (t1 - 1) * B * O), B * O);
  sums.add("out.w", tf.matMul(prevT, tf.tensor2d(dOutBefore, [R, O])));
}

/**
 * The effective weights' gradients of a kept forward pass from ∂outputs: ∂h carried back through
 * time one step at a time, and the weight gradients summed over blocks of at most BLOCK_ROWS rows
 * of consecutive steps as soon as the backward pass has a block's gradients (so only one block of
 * them is alive): a WASM matmul packs its right operand anew whenever that tensor is new, and
 * packing one tall `[T·B, H]` operand costs more than the product.
 */
function gruBackward(f: GruForward, dOut: Float32Array): tf.Tensor[] {
  const { net, w, T, B, hs, cells } = f;
  const O = net.outputDim;
  const per = Math.max(1, Math.floor(BLOCK_ROWS / B));
  const sums = new GradientSums();
  const uT = {} as Record<GateName, tf.Tensor>;
  for (const g of GATES) uT[g] = tf.keep(tf.transpose(w[g].h));
  const headT = tf.keep(tf.transpose(w.out.w));
  let block: GruStepGrads<tf.Tensor>[] = [];
  let dh: tf.Tensor | undefined;
  for (let t = T - 1; t >= 0; t--) {
    const carried = dh;
    const grads = tidied(() => {
      const fromOutput = tf.matMul(stepRows(dOut, t, B, O), headT);
      const total = carried === undefined ? fromOutput : tf.add(fromOutput, carried);
      return gruCellBackward(ops, w, uT, cells[t]!, hs[t]!, total);
    }, stepTensors);
    carried?.dispose();
    dh = grads.dh;
    block = [grads, ...block];
    if (t % per !== 0) continue;
    tf.tidy(() => addBlockGradients(f, dOut, t, block, sums));
    tf.dispose(block.flatMap((s) => stepTensors(s).filter((x) => x !== s.dh)));
    block = [];
  }
  dh?.dispose();
  tf.tidy(() => sums.add("out.w", tf.matMul(tf.transpose(hs[T]!), stepRows(dOut, T - 1, B, O))));
  const dBias = new Float32Array(O);
  for (let i = 0; i < dOut.length; i++) dBias[i % O]! += dOut[i]!;
  sums.sums.set("out.b", tf.tensor1d(dBias));
  tf.dispose([...Object.values(uT), headT]);
  const gate = (g: GateName): GateWeights<tf.Tensor> => {
    const at = (k: string) => sums.sums.get(`${g}.${k}`)!;
    return net.norm === "layer"
      ? { x: at("x"), h: at("h"), b: at("b"), gain: at("gain"), shift: at("shift") }
      : { x: at("x"), h: at("h"), b: at("b") };
  };
  return gruWeightList({
    z: gate("z"),
    r: gate("r"),
    n: gate("n"),
    out: { w: sums.sums.get("out.w")!, b: sums.sums.get("out.b")! },
  });
}

/** All tensors of a step's gradients. */
function stepTensors(s: GruStepGrads<tf.Tensor>): tf.Tensor[] {
  return [...Object.values(s.ds), ...Object.values(s.dpre), s.dhun, s.dh];
}

function mlpUnroll(net: MlpNetwork, list: tf.Tensor[], inputs: Float32Array, N: number): TfPass {
  const w = mlpWeights(list, net);
  const kept = (p: MlpPass<tf.Tensor>) => [
    p.out,
    p.last,
    ...p.caches.flatMap((c) => [c.input, c.pre, ...(c.norm ? [c.norm.xhat, c.norm.invStd] : [])]),
  ];
  const pass = tidied(() => mlpForward(ops, w, tf.tensor2d(inputs, [N, net.inputDim])), kept);
  const backward = (dOut: Float32Array): tf.Tensor[] =>
    tf.tidy(() => {
      const wT = [...w.layers.map((l) => tf.transpose(l.w)), tf.transpose(w.out.w)];
      return mlpBackward(ops, w, wT, pass, tf.tensor2d(dOut, [N, net.outputDim]));
    });
  return { outputs: pass.out, backward, dispose: () => tf.dispose(kept(pass)) };
}

function bind(net: StepNetwork, flat: Float32Array): BoundNetwork {
  const params = unflatten(net, flat);
  const list = tf.tidy(() => effectiveWeights(net, params));
  const unrollOn = (inputs: Float32Array, T: number, B: number): TfPass =>
    net.kind === "gru"
      ? gruUnroll(net as GruNetwork, gruWeights(list, net as GruNetwork), inputs, T, B)
      : mlpUnroll(net as MlpNetwork, list, inputs, T * B);
  return {
    forward(inputs, T, B) {
      const run = unrollOn(inputs, T, B);
      const outputs = run.outputs.dataSync() as Float32Array;
      run.dispose();
      return outputs;
    },
    unroll(inputs, T, B): Pass {
      const run = unrollOn(inputs, T, B);
      return {
        outputs: run.outputs.dataSync() as Float32Array,
        gradient(dOut) {
          const dW = run.backward(dOut);
          const g = pullBack(net, params, dW);
          tf.dispose(dW);
          return g;
        },
        dispose: () => run.dispose(),
      };
    },
    stepper(B): Stepper {
      let h: tf.Tensor = tf.zeros([B, net.stateDim]);
      return {
        step(x) {
          const [out, next] = tf.tidy(() => {
            const input = tf.tensor2d(x, [B, net.inputDim]);
            if (net.kind === "mlp") {
              return [mlpForward(ops, mlpWeights(list, net as MlpNetwork), input).out, h];
            }
            const w = gruWeights(list, net as GruNetwork);
            const c = gruCell(ops, w, input, h);
            return [gruOutput(ops, w, c.h), c.h];
          });
          const logits = out!.dataSync() as Float32Array;
          out!.dispose();
          if (next !== h) h.dispose();
          h = next!;
          return logits;
        },
        dispose: () => h.dispose(),
      };
    },
    dispose: () => tf.dispose([...list, ...params]),
  };
}

/** The tfjs compute backend on whichever tfjs backend is active (`name`: "wasm" or "cpu"). */
export function tfjsCompute(name: string): Compute {
  return { name, bind };
}
