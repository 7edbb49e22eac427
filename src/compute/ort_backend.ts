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
import type { GruNetwork } from "../policies/gru.ts";
import type { MlpNetwork } from "../policies/mlp.ts";
import type { BoundNetwork, Compute, Pass, Stepper } from "./kernels.ts";
import { encodeModel, type Graph } from "./onnx_graph.ts";
import {
  gruBackwardGraph,
  gruCacheNames,
  gruForwardGraph,
  gruStepGraph,
  mlpBackwardGraph,
  mlpForwardGraph,
  weightDims,
} from "./ort_graphs.ts";
import type { OrtRuntime, OrtSession, OrtTensor } from "./ort_runtime.ts";
import { scatterTrials, trialRange } from "./trials.ts";
import { effectiveWeights, pullBack } from "./weight_norm.ts";
import { passFlops, timed } from "./profile.ts";

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

/** A cache key for a network's shape (networks of one shape share their sessions). */
function shapeKey(net: StepNetwork): string {
  const activation = net.kind === "gru" ? (net as GruNetwork).activation : undefined;
  return JSON.stringify([net.kind, net.norm, activation, net.inputDim, net.outputDim, net.shapes]);
}

/** Loads the four sessions of a network shape: forward, forward keeping its cache, backward, step. */
function loadSessions(ort: OrtRuntime, net: StepNetwork): Sessions {
  const load = (graph: Graph, name: string) => ort.session(encodeModel(graph, name));
  if (net.kind === "gru") {
    const gru = net as GruNetwork;
    return {
      forward: load(gruForwardGraph(gru, false), "gru_forward"),
      forwardKeep: load(gruForwardGraph(gru, true), "gru_forward_keep"),
      backward: load(gruBackwardGraph(gru), "gru_backward"),
      step: load(gruStepGraph(gru), "gru_step"),
    };
  }
  const mlp = net as MlpNetwork;
  return {
    forward: load(mlpForwardGraph(mlp), "mlp_forward"),
    forwardKeep: load(mlpForwardGraph(mlp), "mlp_forward"),
    backward: load(mlpBackwardGraph(mlp), "mlp_backward"),
    step: load(mlpForwardGraph(mlp), "mlp_step"),
  };
}

/** A network's sessions with its effective weights fed: whole-trial passes of up to one graph run. */
interface FedNetwork {
  /** One forward pass over B trials, and the effective weights' gradients from it. */
  runTrials(inputs: Float32Array, T: number, B: number): TrialsRun;
  /** The outputs alone over B trials. */
  outputsOf(inputs: Float32Array, T: number, B: number): Float32Array;
}

function feedNetwork(
  ort: OrtRuntime,
  s: Sessions,
  net: StepNetwork,
  feeds: Record<string, OrtTensor>,
): FedNetwork {
  const gradNames = net.weights.map((_, k) => `g${k}`);
  const cacheNames = net.kind === "gru" ? gruCacheNames(net as GruNetwork) : [];
  const D = net.inputDim, O = net.outputDim, H = net.stateDim;
  const weightGrads = (out: Record<string, OrtTensor>) => gradNames.map((n) => out[n]!.data);
  const zeroState = (B: number) => ort.tensor(new Float32Array(B * H), [B, H]);
  const forward = (rows: number) => passFlops(net, rows, "forward");
  const backward = (rows: number) => passFlops(net, rows, "backward");
  return {
    runTrials(inputs, T, B) {
      if (net.kind === "mlp") {
        const X = ort.tensor(inputs, [T * B, D]);
        return {
          outputs: timed(
            "graph: forward, kept",
            () => s.forward.run({ ...feeds, X }, ["Y"]).Y!.data,
            forward(T * B),
          ),
          dW: (dOut) =>
            timed(
              "graph: backward",
              () =>
                weightGrads(
                  s.backward.run({ ...feeds, X, dOut: ort.tensor(dOut, [T * B, O]) }, gradNames),
                ),
              backward(T * B),
            ),
        };
      }
      const X = ort.tensor(inputs, [T, B, D]);
      const h0 = zeroState(B);
      const fwd = timed(
        "graph: forward, kept",
        () => s.forwardKeep.run({ ...feeds, X, h0 }, ["Y", ...cacheNames]),
        forward(T * B),
      );
      const cache = Object.fromEntries(cacheNames.map((n) => [n, fwd[n]!]));
      return {
        outputs: fwd.Y!.data,
        dW: (dOut) =>
          timed(
            "graph: backward",
            () =>
              weightGrads(
                s.backward.run(
                  { ...feeds, ...cache, X, h0, dOut: ort.tensor(dOut, [T, B, O]) },
                  gradNames,
                ),
              ),
            backward(T * B),
          ),
      };
    },
    outputsOf: (inputs, T, B) =>
      timed(
        "graph: forward",
        () =>
          net.kind === "mlp"
            ? s.forward.run({ ...feeds, X: ort.tensor(inputs, [T * B, D]) }, ["Y"]).Y!.data
            : s.forward.run({ ...feeds, X: ort.tensor(inputs, [T, B, D]), h0: zeroState(B) }, [
              "Y",
            ]).Y!.data,
        forward(T * B),
      ),
  };
}

/** The outputs over B trials, in sub-batches of whole trials of at most {@link ROW_BUDGET} rows. */
function forwardInParts(
  fed: FedNetwork,
  net: StepNetwork,
  inputs: Float32Array,
  T: number,
  B: number,
): Float32Array {
  const D = net.inputDim, O = net.outputDim;
  const per = Math.max(1, Math.floor(ROW_BUDGET / T));
  if (B <= per) return fed.outputsOf(inputs, T, B);
  const outputs = new Float32Array(T * B * O);
  for (let b0 = 0; b0 < B; b0 += per) {
    const b1 = Math.min(B, b0 + per);
    scatterTrials(
      outputs,
      fed.outputsOf(trialRange(inputs, T, B, D, b0, b1), T, b1 - b0),
      T,
      B,
      O,
      b0,
    );
  }
  return outputs;
}

/**
 * A pass over B trials whose gradients come later. Trials are independent: a pass over more
 * than {@link ROW_BUDGET} rows runs as several sub-batches of whole trials, whose weight
 * gradients add up. Up to {@link KEEP_ROWS} rows, every sub-batch's forward pass is kept for the
 * gradients; beyond, only the outputs are, and each gradient reruns one sub-batch's forward pass
 * at a time.
 */
function unrollInParts(
  fed: FedNetwork,
  net: StepNetwork,
  params: Float32Array,
  inputs: Float32Array,
  T: number,
  B: number,
): Pass {
  const D = net.inputDim, O = net.outputDim;
  const gradient = (dW: Float32Array[]) =>
    timed("host: pull-back", () => pullBack(net, params, dW));
  const per = Math.max(1, Math.floor(ROW_BUDGET / T));
  if (B <= per) {
    const run = fed.runTrials(inputs, T, B);
    return { outputs: run.outputs, gradient: (d) => gradient(run.dW(d)), dispose() {} };
  }
  const keep = T * B <= KEEP_ROWS;
  const parts: { b0: number; b1: number; run?: TrialsRun }[] = [];
  const outputs = new Float32Array(T * B * O);
  for (let b0 = 0; b0 < B; b0 += per) {
    const b1 = Math.min(B, b0 + per);
    const part = trialRange(inputs, T, B, D, b0, b1);
    const run = keep ? fed.runTrials(part, T, b1 - b0) : undefined;
    scatterTrials(outputs, run?.outputs ?? fed.outputsOf(part, T, b1 - b0), T, B, O, b0);
    parts.push({ b0, b1, ...(run && { run }) });
  }
  return {
    outputs,
    gradient(dOut) {
      let sums: Float32Array[] | undefined;
      for (const { b0, b1, run } of parts) {
        const r = run ?? fed.runTrials(trialRange(inputs, T, B, D, b0, b1), T, b1 - b0);
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
}

/** One step at a time for B trials, the GRU's state carried from step to step. */
function ortStepper(
  ort: OrtRuntime,
  s: Sessions,
  net: StepNetwork,
  feeds: Record<string, OrtTensor>,
  B: number,
): Stepper {
  const D = net.inputDim, H = net.stateDim;
  const flops = passFlops(net, B, "forward");
  if (net.kind === "mlp") {
    return {
      step: (x) =>
        timed(
          "graph: step",
          () => s.step.run({ ...feeds, X: ort.tensor(x, [B, D]) }, ["Y"]).Y!.data,
          flops,
        ),
      dispose() {},
    };
  }
  let h = ort.tensor(new Float32Array(B * H), [B, H]);
  return {
    step(x) {
      const out = timed(
        "graph: step",
        () => s.step.run({ ...feeds, x: ort.tensor(x, [B, D]), h }, ["y", "h_next"]),
        flops,
      );
      h = out.h_next!;
      return out.y!.data;
    },
    dispose() {},
  };
}

/** The ONNX Runtime compute backend on a loaded runtime. */
export function ortCompute(ort: OrtRuntime): Compute {
  const cache = new Map<string, Sessions>();
  const sessionsOf = (net: StepNetwork): Sessions => {
    const key = shapeKey(net);
    const s = cache.get(key) ?? loadSessions(ort, net);
    cache.set(key, s);
    return s;
  };
  const bind = (net: StepNetwork, params: Float32Array): BoundNetwork => {
    const s = sessionsOf(net);
    const dims = weightDims(net);
    const feeds: Record<string, OrtTensor> = {};
    timed("host: weight norm", () => effectiveWeights(net, params))
      .forEach((w, k) => (feeds[`w${k}`] = ort.tensor(w, dims[k]!)));
    const fed = feedNetwork(ort, s, net, feeds);
    return {
      forward: (inputs, T, B) => forwardInParts(fed, net, inputs, T, B),
      unroll: (inputs, T, B) => unrollInParts(fed, net, params, inputs, T, B),
      stepper: (B) => ortStepper(ort, s, net, feeds, B),
      dispose() {},
    };
  };
  return { name: "ort", bind, ort };
}
