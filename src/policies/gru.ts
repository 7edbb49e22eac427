/**
 * The RL² network: a GRU over the per-step input (observation, previous action one-hot,
 * previous reward, done flag), then a fully connected layer to the outputs (action logits for
 * the policy, one value for the baseline). Per the paper's appendix: orthogonal recurrent
 * weights, Xavier elsewhere, zero biases, weight normalisation on all weight matrices (or layer
 * normalisation of the gate pre-activations, or none). The gates use the "reset after" form
 * n = tanh(x·Wₙ + r ⊙ (h·Uₙ) + bₙ).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../rng.ts";
import {
  fastTanh,
  type Norm,
  sizeOf,
  standardizeRows,
  standardizeRowsBackward,
  type StepNetwork,
  stepRows,
  sumRows,
  transposedTensor,
  type Unrolled,
  type Weights,
} from "./network.ts";
import { type DenseRef, denseWeight, ParamBuilder } from "./params.ts";

/** Rows (steps × trials) per block of the weight-gradient products. */
const BLOCK_ROWS = 1024;

/** What one step keeps for the backward pass (a type alias, so tf.tidy can return it). */
type Cell = {
  z: tf.Tensor;
  r: tf.Tensor;
  n: tf.Tensor;
  /** h·Uₙ, before the reset gate multiplies it. */
  hun: tf.Tensor;
  /** The next hidden state. */
  h: tf.Tensor;
  /** Per gate, with layer normalisation only: standardised sums and 1/σ. */
  xhat: tf.Tensor[];
  invStd: tf.Tensor[];
};

/** Per-step gradients the backward pass keeps until their block's weight gradients are formed. */
type StepGrads = {
  /** ∂/∂ of each gate's summed input (x·W + h·U, or x·Wₙ + r ⊙ h·Uₙ). */
  ds: tf.Tensor[];
  /** ∂/∂ of each gate's pre-activation (the sum after normalisation and bias). */
  dpre: tf.Tensor[];
  /** ∂/∂(h·Uₙ). */
  dhun: tf.Tensor;
  /** ∂/∂ of the previous hidden state. */
  dh: tf.Tensor;
};

interface Gate {
  x: DenseRef;
  h: DenseRef;
  b: number;
  lnGain: number;
  lnBias: number;
}

/**
 * A GRU network with `hidden` units.
 *
 * @example A policy for 5-armed bandits (input: placeholder 0, 5-way one-hot, reward, done)
 * ```ts
 * import { gruNetwork } from "./gru.ts";
 * const net = gruNetwork({ inputDim: 8, hidden: 16, outputDim: 5, norm: "weight" });
 * if (net.stateDim !== 16) throw new Error("state is the hidden layer");
 * ```
 */
export function gruNetwork(
  o: { inputDim: number; hidden: number; outputDim: number; norm: Norm },
): StepNetwork {
  const b = new ParamBuilder();
  const H = o.hidden;
  const gate = (): Gate => ({
    x: b.dense(o.inputDim, H, "xavier", o.norm),
    h: b.dense(H, H, "orthogonal", o.norm),
    b: b.vector(H, 0),
    lnGain: o.norm === "layer" ? b.vector(H, 1) : -1,
    lnBias: o.norm === "layer" ? b.vector(H, 0) : -1,
  });
  const gates = [gate(), gate(), gate()] as const;
  const head = { w: b.dense(H, o.outputDim, "xavier", o.norm), b: b.vector(o.outputDim, 0) };
  const layer = o.norm === "layer";
  const stride = layer ? 5 : 3;
  const D = o.inputDim, O = o.outputDim;
  const W = (w: Weights, i: number) => w[i]!;

  const cell = (w: Weights, x: tf.Tensor, h: tf.Tensor): Cell => {
    const xhat: tf.Tensor[] = [], invStd: tf.Tensor[] = [];
    const pre = (gate: number, sum: tf.Tensor): tf.Tensor => {
      const base = gate * stride;
      if (!layer) return tf.add(sum, w[base + 2]!);
      const st = standardizeRows(sum);
      xhat.push(st.xhat);
      invStd.push(st.invStd);
      return tf.add(tf.add(tf.mul(st.xhat, w[base + 3]!), w[base + 4]!), w[base + 2]!);
    };
    const xw = (gate: number) => tf.matMul(x, W(w, gate * stride));
    const hu = (gate: number) => tf.matMul(h, W(w, gate * stride + 1));
    const z = tf.sigmoid(pre(0, tf.add(xw(0), hu(0))));
    const r = tf.sigmoid(pre(1, tf.add(xw(1), hu(1))));
    const hun = hu(2);
    const n = fastTanh(pre(2, tf.add(xw(2), tf.mul(r, hun))));
    return { z, r, n, hun, h: tf.add(n, tf.mul(z, tf.sub(h, n))), xhat, invStd };
  };
  const output = (w: Weights, h: tf.Tensor): tf.Tensor =>
    tf.add(tf.matMul(h, W(w, 3 * stride)), w[3 * stride + 1]!);

  /** One step back in time: from ∂/∂h_t (outputs and later steps) to the gate gradients. */
  const stepBack = (w: Weights, c: Cell, hPrev: tf.Tensor, dh: tf.Tensor, uT: tf.Tensor[]) => {
    const unnorm = (gate: number, dpre: tf.Tensor) =>
      layer
        ? standardizeRowsBackward(
          tf.mul(dpre, w[gate * stride + 3]!),
          c.xhat[gate]!,
          c.invStd[gate]!,
        )
        : dpre;
    const sigmoidBack = (d: tf.Tensor, s: tf.Tensor) => tf.mul(tf.mul(d, s), tf.sub(1, s));
    const dhz = tf.mul(dh, c.z);
    const dpreN = tf.mul(tf.sub(dh, dhz), tf.sub(1, tf.square(c.n)));
    const dsN = unnorm(2, dpreN);
    const dpreR = sigmoidBack(tf.mul(dsN, c.hun), c.r);
    const dsR = unnorm(1, dpreR);
    const dpreZ = sigmoidBack(tf.mul(dh, tf.sub(hPrev, c.n)), c.z);
    const dsZ = unnorm(0, dpreZ);
    const dhun = tf.mul(dsN, c.r);
    const dhPrev = tf.addN([
      dhz,
      tf.matMul(dsZ, uT[0]!),
      tf.matMul(dsR, uT[1]!),
      tf.matMul(dhun, uT[2]!),
    ]);
    return { ds: [dsZ, dsR, dsN], dpre: [dpreZ, dpreR, dpreN], dhun, dh: dhPrev as tf.Tensor };
  };

  return {
    inputDim: o.inputDim,
    outputDim: o.outputDim,
    stateDim: H,
    shapes: b.shapes,
    size: sizeOf(b.shapes),
    init: (rng: Rng) => b.init(rng),
    weights(params) {
      const w: tf.Tensor[] = [];
      for (const g of gates) {
        w.push(denseWeight(params, g.x), denseWeight(params, g.h), params[g.b]!);
        w.push(...(g.lnGain < 0 ? [] : [params[g.lnGain]!, params[g.lnBias]!]));
      }
      w.push(denseWeight(params, head.w), params[head.b]!);
      return w;
    },
    step(w, x, h) {
      const next = cell(w, x, h).h as tf.Tensor2D;
      return { out: output(w, next) as tf.Tensor2D, h: next };
    },
    unroll(w, inputs, T, B): Unrolled {
      const hs: tf.Tensor[] = [tf.zeros([B, H])];
      const cells: Cell[] = [];
      for (let t = 0; t < T; t++) {
        const c = tf.tidy(() => cell(w, stepRows(inputs, t, B, D), hs[t]!));
        cells.push(c);
        hs.push(c.h);
      }
      const states = tf.concat(hs.slice(1), 0);
      const outputs = tf.tidy(() => output(w, states)) as tf.Tensor2D;
      const kept = [outputs, states, ...hs, ...cells.flatMap((c) => [c.z, c.r, c.n, c.hun])];
      kept.push(...cells.flatMap((c) => [...c.xhat, ...c.invStd]));
      // Weight gradients are Σ_t (input_t)ᵀ·(gradient_t), summed over blocks of at most
      // BLOCK_ROWS rows of consecutive steps as soon as the backward pass has a block's gradients
      // (so only one block of them is alive): a WASM matmul packs its right operand anew whenever
      // that tensor is new, and packing one tall `[T·B, H]` operand costs more than the product.
      const per = Math.max(1, Math.floor(BLOCK_ROWS / B));
      const blockGradients = (
        t0: number,
        block: StepGrads[],
        dOut: Float32Array,
        accumulate: (i: number, t: tf.Tensor) => void,
      ) => {
        const t1 = t0 + block.length, R = block.length * B;
        const cat = (list: tf.Tensor[]) => list.length === 1 ? list[0]! : tf.concat(list, 0);
        const xT = transposedTensor(inputs.subarray(t0 * B * D, t1 * B * D), R, D);
        // State hs[t] enters step t and is the output of step t − 1.
        const prevT = tf.transpose(cat(hs.slice(t0, t1)));
        for (let g = 0; g < 3; g++) {
          const base = g * stride;
          const ds = cat(block.map((s) => s.ds[g]!));
          const dpre = layer ? cat(block.map((s) => s.dpre[g]!)) : ds;
          accumulate(base, tf.matMul(xT, ds));
          accumulate(base + 1, tf.matMul(prevT, g === 2 ? cat(block.map((s) => s.dhun)) : ds));
          accumulate(base + 2, sumRows(dpre));
          if (!layer) continue;
          const xhat = cat(cells.slice(t0, t1).map((c) => c.xhat[g]!));
          accumulate(base + 3, sumRows(tf.mul(dpre, xhat)));
          accumulate(base + 4, sumRows(dpre));
        }
        const dOutBefore = new Float32Array(R * O);
        if (t0 > 0) dOutBefore.set(dOut.subarray((t0 - 1) * B * O, (t1 - 1) * B * O));
        else dOutBefore.set(dOut.subarray(0, (t1 - 1) * B * O), B * O);
        accumulate(3 * stride, tf.matMul(prevT, tf.tensor2d(dOutBefore, [R, O])));
      };
      const backward = (dOut: Float32Array): tf.Tensor[] => {
        const sums: tf.Tensor[] = [];
        const accumulate = (i: number, t: tf.Tensor) => {
          const old = sums[i];
          sums[i] = tf.keep(old === undefined ? t : tf.add(old, t));
          old?.dispose();
        };
        const uT = [0, 1, 2].map((g) => tf.keep(tf.transpose(W(w, g * stride + 1))));
        const headT = tf.keep(tf.transpose(W(w, 3 * stride)));
        let block: StepGrads[] = [];
        let dh: tf.Tensor | undefined;
        for (let t = T - 1; t >= 0; t--) {
          const carried = dh;
          const grads = tf.tidy(() => {
            const fromOutput = tf.matMul(stepRows(dOut, t, B, O), headT);
            const total = carried === undefined ? fromOutput : tf.add(fromOutput, carried);
            return stepBack(w, cells[t]!, hs[t]!, total, uT);
          });
          carried?.dispose();
          dh = grads.dh;
          block = [grads, ...block];
          if (t % per !== 0) continue;
          tf.tidy(() => blockGradients(t, block, dOut, accumulate));
          tf.dispose(block.flatMap((s) => [...s.ds, ...s.dpre, s.dhun]));
          block = [];
        }
        dh?.dispose();
        tf.tidy(() =>
          accumulate(3 * stride, tf.matMul(tf.transpose(hs[T]!), stepRows(dOut, T - 1, B, O)))
        );
        const dBias = new Float32Array(O);
        for (let i = 0; i < dOut.length; i++) dBias[i % O]! += dOut[i]!;
        sums[3 * stride + 1] = tf.tensor1d(dBias);
        tf.dispose([...uT, headT]);
        return sums;
      };
      return { outputs, backward, dispose: () => tf.dispose(kept) };
    },
  };
}
