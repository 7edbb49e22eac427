/**
 * The ONNX graphs of a network shape, built from the same equations the tfjs backend runs
 * (`policies/gru.ts`, `policies/mlp.ts`): forward over whole trials (keeping, when asked, what
 * the backward pass needs), backward over whole trials, and one step for sampling. Effective
 * weights are graph inputs `w0, w1, …`; gradients are outputs `g0, g1, …`.
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
import { Graph, graphOps } from "./onnx_graph.ts";

/** Shapes of the effective weights, in canonical order. */
export function weightDims(net: StepNetwork): (readonly number[])[] {
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
export function gruCacheNames(net: GruNetwork): string[] {
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
export function gruForwardGraph(net: GruNetwork, keep: boolean): Graph {
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
export function gruBackwardGraph(net: GruNetwork): Graph {
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

/** One GRU step of B trials, for sampling: outputs and the next state. */
export function gruStepGraph(net: GruNetwork): Graph {
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

/** The MLP's outputs on N rows (forward passes and sampling steps alike). */
export function mlpForwardGraph(net: MlpNetwork): Graph {
  const g = new Graph("f");
  const X = g.input("X", ["N", net.inputDim]);
  const w = mlpWeights(weightInputs(g, net), net);
  g.output("Y", mlpForward(graphOps(g), w, X).out, ["N", net.outputDim]);
  return g;
}

/** The MLP's weight gradients on N rows from ∂outputs, its forward pass recomputed. */
export function mlpBackwardGraph(net: MlpNetwork): Graph {
  const g = new Graph("b");
  const ops = graphOps(g);
  const X = g.input("X", ["N", net.inputDim]);
  const dOut = g.input("dOut", ["N", net.outputDim]);
  const w = mlpWeights(weightInputs(g, net), net);
  const wT = [...w.layers.map((l) => transpose(g, l.w)), transpose(g, w.out.w)];
  gradientOutputs(g, mlpBackward(ops, w, wT, mlpForward(ops, w, X), dOut));
  return g;
}
