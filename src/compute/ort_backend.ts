/**
 * The ONNX Runtime compute backend. Each network shape gets a few ONNX graphs, built once from
 * the same equations the tfjs backend runs (`policies/gru.ts`, `policies/mlp.ts`) and loaded
 * as sessions:
 *
 * - **forward** over whole trials: for the GRU a `Scan` over time whose body is one step, then
 *   the output layer on all states at once; it returns the outputs and the hidden states;
 * - **backward** over whole trials: the GRU's gates recomputed for all steps at once from the
 *   kept states (no recurrence is needed for that), a reversed `Scan` that carries ∂h back
 *   through time, then every weight gradient as one product over all rows; the MLP's backward
 *   graph recomputes its forward pass the same way;
 * - **step**, for sampling: one step of B trials.
 *
 * Effective weights (weight normalisation) are formed on the host and fed as graph inputs; the
 * gradients of the effective weights are pulled back to the parameters on the host.
 *
 * @module
 */
import type { StepNetwork } from "../policies/network.ts";
import {
  gateGradients,
  type GateName,
  GATES,
  type GruCell,
  gruCell,
  gruCellBackward,
  type GruNetwork,
  gruOutput,
  gruWeightList,
  type GruWeights,
  gruWeights,
} from "../policies/gru.ts";
import { mlpBackward, mlpForward, type MlpNetwork, mlpWeights } from "../policies/mlp.ts";
import type { BoundNetwork, Compute, Pass, Stepper } from "./kernels.ts";
import { encodeModel, Graph, graphOps } from "./onnx_graph.ts";
import type { OrtRuntime, OrtSession, OrtTensor } from "./ort_runtime.ts";
import { scatterTrials, trialRange } from "./trials.ts";
import { effectiveWeights, pullBack } from "./weight_norm.ts";

/**
 * Rows (steps × trials) per graph run at most: a GRU backward pass holds about a dozen
 * `[rows, H]` float tensors, so this bounds its memory (32768 rows × 256 units × 4 bytes = 32 MiB
 * each) whatever the trial length and `chunk_trials`.
 */
const ROW_BUDGET = 32768;

/**
 * Rows a pass keeps forward-pass values of at most (five `[rows, H]` tensors: 320 MiB at
 * H = 256); a larger pass keeps only its outputs and reruns its forward pass per gradient.
 */
const KEEP_ROWS = 65536;

/** A forward pass over some trials and the effective weights' gradients from it. */
interface TrialsRun {
  outputs: Float32Array;
  dW(dOut: Float32Array): Float32Array[];
}

/** The sessions of one network shape. */
interface Sessions {
  /** Outputs only. */
  forward: OrtSession;
  /** Outputs and what the backward pass needs. */
  forwardKeep: OrtSession;
  backward: OrtSession;
  step: OrtSession;
}

/** Shapes of the effective weights, in canonical order. */
function weightDims(net: StepNetwork): (readonly number[])[] {
  return net.weights.map((r) => net.shapes["dense" in r ? r.dense.v : r.param]!);
}

/** Declares the weight inputs `w0 … wK` of a graph and returns their names. */
function weightInputs(g: Graph, net: StepNetwork): string[] {
  return weightDims(net).map((dims, k) => g.input(`w${k}`, dims));
}

function transpose(g: Graph, x: string): string {
  return g.node("Transpose", [x], { perm: [1, 0] });
}

/** Declares the gradients of the effective weights as outputs `g0 … gK`. */
function gradientOutputs(g: Graph, grads: string[]): void {
  grads.forEach((v, k) => g.output(`g${k}`, v));
}

/**
 * What a kept GRU forward pass returns for its backward pass, each `[T, B, H]` (`[T, B, 1]` for
 * layer normalisation's 1/σ): the states, the gates, h·U_n, and with layer normalisation the
 * standardised sums.
 */
function gruCacheNames(net: GruNetwork): string[] {
  const names = ["H", "Z", "R", "N", "HUN"];
  if (net.norm === "layer") names.push(...GATES.flatMap((q) => [`XHAT_${q}`, `INVSTD_${q}`]));
  return names;
}

/** The cell's values in the order of {@link gruCacheNames}. */
function cellValues(c: GruCell<string>, layer: boolean): string[] {
  const values = [c.h, c.z, c.r, c.n, c.hun];
  if (layer) values.push(...GATES.flatMap((q) => [c.norm[q]!.xhat, c.norm[q]!.invStd]));
  return values;
}

/** The forward pass over whole trials: outputs only, or (`keep`) with its cache. */
function gruForwardGraph(net: GruNetwork, keep: boolean): Graph {
  const { inputDim: D, hidden: H } = net;
  const layer = net.norm === "layer";
  const g = new Graph("f");
  const X = g.input("X", ["T", "B", D]);
  const h0 = g.input("h0", ["B", H]);
  const w = gruWeights(weightInputs(g, net), net);
  const body = new Graph("s");
  const h = body.input("h", ["B", H]);
  const x = body.input("x", ["B", D]);
  const cell = gruCell(graphOps(body), w, x, h);
  body.output("h_next", cell.h, ["B", H]);
  const kept = keep ? cellValues(cell, layer) : [cell.h];
  // The state is also the first scan output: one copy under another name; the rest as they are.
  body.output("h_out", kept[0]!, ["B", H]);
  for (const v of kept.slice(1)) body.outputValue(v);
  const names = keep ? gruCacheNames(net) : ["H"];
  const [, ...cache] = g.nodes("Scan", [h0, X], { body, num_scan_inputs: 1 }, ["hT", ...names]);
  const ops = graphOps(g);
  g.output("Y", gruOutput(ops, w, g.reshape(cache[0]!, [-1, H])), ["TB", net.outputDim]);
  if (keep) { for (const name of names) g.output(name, name); }
  return g;
}

/** The backward pass over whole trials from a kept forward pass's cache. */
function gruBackwardGraph(net: GruNetwork): Graph {
  const { inputDim: D, hidden: H, outputDim: O } = net;
  const layer = net.norm === "layer";
  const g = new Graph("b");
  const ops = graphOps(g);
  const X = g.input("X", ["T", "B", D]);
  const dOut = g.input("dOut", ["T", "B", O]);
  const h0 = g.input("h0", ["B", H]);
  const w = gruWeights(weightInputs(g, net), net);
  const cache = Object.fromEntries(gruCacheNames(net).map((n) => [n, g.input(n)]));
  const states = cache.H!;
  // The state entering each step: h0, then every state but the last.
  const before = g.node("Slice", [states, g.ints([0]), g.ints([-1]), g.ints([0])]);
  const prev = g.node("Concat", [g.node("Unsqueeze", [h0, g.ints([0])]), before], { axis: 0 });
  const rows = (v: string, width: number) => g.reshape(v, [-1, width]);
  const X2 = rows(X, D), P2 = rows(prev, H), dOut2 = rows(dOut, O);
  const dFromOut = g.node("Reshape", [
    ops.matMul(dOut2, transpose(g, w.out.w)),
    g.node("Shape", [prev]),
  ]);
  const uT = {} as Record<GateName, string>;
  for (const gate of GATES) uT[gate] = transpose(g, w[gate].h);

  const body = new Graph("r");
  const bodyOps = graphOps(body);
  const carry = body.input("carry", ["B", H]);
  const step = (name: string) => body.input(`${name}_t`);
  const dOutT = step("dOut"), hPrev = step("hPrev");
  const cell: GruCell<string> = {
    z: step("Z"),
    r: step("R"),
    n: step("N"),
    hun: step("HUN"),
    h: hPrev,
    norm: layer
      ? Object.fromEntries(
        GATES.map((q) => [q, { xhat: step(`XHAT_${q}`), invStd: step(`INVSTD_${q}`) }]),
      )
      : {},
  };
  const back = gruCellBackward(bodyOps, w, uT, cell, hPrev, bodyOps.add(dOutT, carry));
  body.output("carry_next", back.dh, ["B", H]);
  const outs = [...GATES.map((q) => back.ds[q]), back.dhun];
  if (layer) outs.push(...GATES.map((q) => back.dpre[q]));
  for (const v of outs) body.outputValue(v, ["B", H]);

  // The body's scan inputs, in the order it declared them.
  const scanInputs = [dFromOut, prev, cache.Z!, cache.R!, cache.N!, cache.HUN!];
  if (layer) { for (const q of GATES) scanInputs.push(cache[`XHAT_${q}`]!, cache[`INVSTD_${q}`]!); }
  const results = g.nodes("Scan", [h0, ...scanInputs], {
    body,
    num_scan_inputs: scanInputs.length,
    scan_input_directions: scanInputs.map(() => 1),
    scan_output_directions: outs.map(() => 1),
  }, 1 + outs.length);
  const grads = results.slice(1).map((v) => rows(v, H));
  const ds = { z: grads[0]!, r: grads[1]!, n: grads[2]! };
  const dhun = grads[3]!;
  const dpre = layer ? { z: grads[4]!, r: grads[5]!, n: grads[6]! } : ds;
  const XT = transpose(g, X2), PT = transpose(g, P2);
  const xhat = (q: GateName) => (layer ? rows(cache[`XHAT_${q}`]!, H) : undefined);
  const gate = (q: GateName) =>
    gateGradients(ops, XT, PT, ds[q], dpre[q], q === "n" ? dhun : ds[q], xhat(q));
  const dW: Omit<GruWeights<string>, "activation"> = {
    z: gate("z"),
    r: gate("r"),
    n: gate("n"),
    out: { w: ops.matMulTA(rows(states, H), dOut2), b: ops.sumRows(dOut2) },
  };
  gradientOutputs(g, gruWeightList(dW));
  return g;
}

function gruStepGraph(net: GruNetwork): Graph {
  const g = new Graph("t");
  const ops = graphOps(g);
  const x = g.input("x", ["B", net.inputDim]);
  const h = g.input("h", ["B", net.hidden]);
  const w = gruWeights(weightInputs(g, net), net);
  const next = gruCell(ops, w, x, h).h;
  g.output("y", gruOutput(ops, w, next), ["B", net.outputDim]);
  g.output("h_next", next, ["B", net.hidden]);
  return g;
}

function mlpForwardGraph(net: MlpNetwork): Graph {
  const g = new Graph("f");
  const X = g.input("X", ["N", net.inputDim]);
  const w = mlpWeights(weightInputs(g, net), net);
  g.output("Y", mlpForward(graphOps(g), w, X).out, ["N", net.outputDim]);
  return g;
}

function mlpBackwardGraph(net: MlpNetwork): Graph {
  const g = new Graph("b");
  const ops = graphOps(g);
  const X = g.input("X", ["N", net.inputDim]);
  const dOut = g.input("dOut", ["N", net.outputDim]);
  const w = mlpWeights(weightInputs(g, net), net);
  const wT = [...w.layers.map((l) => transpose(g, l.w)), transpose(g, w.out.w)];
  gradientOutputs(g, mlpBackward(ops, w, wT, mlpForward(ops, w, X), dOut));
  return g;
}

/** A cache key for a network's shape (networks of one shape share their sessions). */
function shapeKey(net: StepNetwork): string {
  const activation = net.kind === "gru" ? (net as GruNetwork).activation : undefined;
  return JSON.stringify([net.kind, net.norm, activation, net.inputDim, net.outputDim, net.shapes]);
}

/** The ONNX Runtime compute backend on a loaded runtime. */
export function ortCompute(ort: OrtRuntime): Compute {
  const cache = new Map<string, Sessions>();
  const sessionsOf = (net: StepNetwork): Sessions => {
    const key = shapeKey(net);
    let s = cache.get(key);
    if (s === undefined) {
      const load = (graph: Graph, name: string) => ort.session(encodeModel(graph, name));
      s = net.kind === "gru"
        ? {
          forward: load(gruForwardGraph(net as GruNetwork, false), "gru_forward"),
          forwardKeep: load(gruForwardGraph(net as GruNetwork, true), "gru_forward_keep"),
          backward: load(gruBackwardGraph(net as GruNetwork), "gru_backward"),
          step: load(gruStepGraph(net as GruNetwork), "gru_step"),
        }
        : {
          forward: load(mlpForwardGraph(net as MlpNetwork), "mlp_forward"),
          forwardKeep: load(mlpForwardGraph(net as MlpNetwork), "mlp_forward"),
          backward: load(mlpBackwardGraph(net as MlpNetwork), "mlp_backward"),
          step: load(mlpForwardGraph(net as MlpNetwork), "mlp_step"),
        };
      cache.set(key, s);
    }
    return s;
  };

  const bind = (net: StepNetwork, params: Float32Array): BoundNetwork => {
    const s = sessionsOf(net);
    const dims = weightDims(net);
    const feeds: Record<string, OrtTensor> = {};
    effectiveWeights(net, params).forEach((w, k) => (feeds[`w${k}`] = ort.tensor(w, dims[k]!)));
    const gradNames = net.weights.map((_, k) => `g${k}`);
    const cacheNames = net.kind === "gru" ? gruCacheNames(net as GruNetwork) : [];
    const D = net.inputDim, O = net.outputDim, H = net.stateDim;
    const gradient = (dW: Float32Array[]) => pullBack(net, params, dW);
    const weightGrads = (out: Record<string, OrtTensor>) => gradNames.map((n) => out[n]!.data);
    /** One forward pass over B trials, and the effective weights' gradients from it. */
    const runTrials = (inputs: Float32Array, T: number, B: number): TrialsRun => {
      if (net.kind === "mlp") {
        const X = ort.tensor(inputs, [T * B, D]);
        return {
          outputs: s.forward.run({ ...feeds, X }, ["Y"]).Y!.data,
          dW: (dOut) =>
            weightGrads(
              s.backward.run({ ...feeds, X, dOut: ort.tensor(dOut, [T * B, O]) }, gradNames),
            ),
        };
      }
      const X = ort.tensor(inputs, [T, B, D]);
      const h0 = ort.tensor(new Float32Array(B * H), [B, H]);
      const fwd = s.forwardKeep.run({ ...feeds, X, h0 }, ["Y", ...cacheNames]);
      const cache = Object.fromEntries(cacheNames.map((n) => [n, fwd[n]!]));
      return {
        outputs: fwd.Y!.data,
        dW: (dOut) =>
          weightGrads(
            s.backward.run(
              { ...feeds, ...cache, X, h0, dOut: ort.tensor(dOut, [T, B, O]) },
              gradNames,
            ),
          ),
      };
    };
    /** The outputs alone over B trials. */
    const outputsOf = (inputs: Float32Array, T: number, B: number): Float32Array =>
      net.kind === "mlp"
        ? s.forward.run({ ...feeds, X: ort.tensor(inputs, [T * B, D]) }, ["Y"]).Y!.data
        : s.forward.run({
          ...feeds,
          X: ort.tensor(inputs, [T, B, D]),
          h0: ort.tensor(new Float32Array(B * H), [B, H]),
        }, ["Y"]).Y!.data;
    return {
      forward(inputs, T, B) {
        const per = Math.max(1, Math.floor(ROW_BUDGET / T));
        if (B <= per) return outputsOf(inputs, T, B);
        const outputs = new Float32Array(T * B * O);
        for (let b0 = 0; b0 < B; b0 += per) {
          const b1 = Math.min(B, b0 + per);
          scatterTrials(
            outputs,
            outputsOf(trialRange(inputs, T, B, D, b0, b1), T, b1 - b0),
            T,
            B,
            O,
            b0,
          );
        }
        return outputs;
      },
      unroll(inputs, T, B): Pass {
        // Trials are independent: a pass over more than ROW_BUDGET rows runs as several
        // sub-batches of whole trials, whose weight gradients add up.
        const per = Math.max(1, Math.floor(ROW_BUDGET / T));
        if (B <= per) {
          const run = runTrials(inputs, T, B);
          return { outputs: run.outputs, gradient: (d) => gradient(run.dW(d)), dispose() {} };
        }
        // Up to KEEP_ROWS rows, every sub-batch's forward pass is kept for the gradients; beyond,
        // only the outputs are, and each gradient reruns one sub-batch's forward pass at a time.
        const keep = T * B <= KEEP_ROWS;
        const parts: { b0: number; b1: number; run?: TrialsRun }[] = [];
        const outputs = new Float32Array(T * B * O);
        for (let b0 = 0; b0 < B; b0 += per) {
          const b1 = Math.min(B, b0 + per);
          const part = trialRange(inputs, T, B, D, b0, b1);
          const run = keep ? runTrials(part, T, b1 - b0) : undefined;
          scatterTrials(outputs, run?.outputs ?? outputsOf(part, T, b1 - b0), T, B, O, b0);
          parts.push({ b0, b1, ...(run && { run }) });
        }
        return {
          outputs,
          gradient(dOut) {
            let sums: Float32Array[] | undefined;
            for (const { b0, b1, run } of parts) {
              const r = run ?? runTrials(trialRange(inputs, T, B, D, b0, b1), T, b1 - b0);
              const dW = r.dW(trialRange(dOut, T, B, O, b0, b1));
              if (sums === undefined) sums = dW;
              else {
                dW.forEach((d, k) => {
                  const sum = sums![k]!;
                  for (let i = 0; i < d.length; i++) sum[i]! += d[i]!;
                });
              }
            }
            return gradient(sums!);
          },
          dispose() {},
        };
      },
      stepper(B): Stepper {
        if (net.kind === "mlp") {
          return {
            step: (x) => s.step.run({ ...feeds, X: ort.tensor(x, [B, D]) }, ["Y"]).Y!.data,
            dispose() {},
          };
        }
        let h = ort.tensor(new Float32Array(B * H), [B, H]);
        return {
          step(x) {
            const out = s.step.run({ ...feeds, x: ort.tensor(x, [B, D]), h }, ["y", "h_next"]);
            h = out.h_next!;
            return out.y!.data;
          },
          dispose() {},
        };
      },
      dispose() {},
    };
  };
  return { name: "ort", bind };
}
