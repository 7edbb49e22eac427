/**
 * Running a {@link StepNetwork} over whole trials and backpropagating through time, in chunks
 * of trials so memory stays bounded. Data is time-major: step `t` of trial `b` is row
 * `t * B + b`. Every trial starts from a zero hidden state at its first step and keeps it to
 * its last, so the state is carried across the episodes of a trial and reset between trials
 * by construction.
 *
 * Gradients are vector–Jacobian products: the caller gives ∂loss/∂outputs on the host (every
 * loss here has a closed form in the outputs) and the compute backend's backward pass turns it
 * into the gradient of the flat parameters.
 *
 * @module
 */
import type { StepNetwork } from "../policies/network.ts";
import type { AdvantageSteps } from "../policies/distribution.ts";
import { bindNetwork, type Pass } from "../compute/kernels.ts";
import { scatterTrials, trialRange } from "../compute/trials.ts";

/** Inputs of B trials of at most T steps. */
export interface TrialInputs {
  /** Steps of the longest trial. */
  readonly T: number;
  /** Number of trials. */
  readonly B: number;
  /** `T × B × inputDim`, time-major. */
  readonly inputs: Float32Array;
  /** `T × B`: 1 where the step exists, 0 for padding after a trial ended. */
  readonly mask: Float32Array;
}

/**
 * What a policy update needs of a sampled batch: its inputs, actions, the sampling policy
 * (`src/policies/distribution.ts`) and the advantages.
 */
export interface PolicyBatch extends TrialInputs, AdvantageSteps {}

/**
 * ∂loss/∂outputs of the trials `b0 .. b1` given their outputs; both `T × (b1 − b0) × outputDim`,
 * time-major.
 */
export type OutputGradient = (outputs: Float32Array, b0: number, b1: number) => Float32Array;

/** The network linearised at fixed parameters over a set of trials. */
export interface Linearized {
  /** ∇θ of Σ dOut ⊙ outputs, with dOut given per chunk of trials by `dOut`. */
  gradient(dOut: OutputGradient): Float32Array;
  /** Frees the kept forward pass and the weights. */
  dispose(): void;
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
  const bound = bindNetwork(net, flatParams);
  try {
    for (const [b0, b1] of chunks(B, chunkTrials)) {
      const inputs = trialRange(data.inputs, T, B, net.inputDim, b0, b1);
      scatterTrials(result, bound.forward(inputs, T, b1 - b0), T, B, O, b0);
    }
  } finally {
    bound.dispose();
  }
  return result;
}

/**
 * The network at `flatParams` over `data`, ready for gradients. When the trials fit in one
 * chunk the forward pass is run once and kept, so repeated gradients (the Fisher–vector
 * products of one conjugate-gradient solve) cost a backward pass each; otherwise each
 * gradient reruns the forward pass chunk by chunk, keeping memory bounded by `chunkTrials`.
 */
export function linearize(
  net: StepNetwork,
  flatParams: Float32Array,
  data: TrialInputs,
  chunkTrials: number,
): Linearized {
  const { T, B } = data;
  const bound = bindNetwork(net, flatParams);
  const unrollTrials = (b0: number, b1: number): Pass =>
    bound.unroll(trialRange(data.inputs, T, B, net.inputDim, b0, b1), T, b1 - b0);
  const kept = B <= chunkTrials ? unrollTrials(0, B) : undefined;
  return {
    gradient(dOut) {
      const grad = new Float32Array(net.size);
      for (const [b0, b1] of chunks(B, chunkTrials)) {
        const run = kept ?? unrollTrials(b0, b1);
        const g = run.gradient(dOut(run.outputs, b0, b1));
        if (run !== kept) run.dispose();
        for (let i = 0; i < g.length; i++) grad[i]! += g[i]!;
      }
      return grad;
    },
    dispose() {
      kept?.dispose();
      bound.dispose();
    },
  };
}

/** ∇θ of Σ dOut ⊙ outputs over `data` at `flatParams`, one forward and backward pass. */
export function backprop(
  net: StepNetwork,
  flatParams: Float32Array,
  data: TrialInputs,
  chunkTrials: number,
  dOut: OutputGradient,
): Float32Array {
  const lin = linearize(net, flatParams, data, chunkTrials);
  try {
    return lin.gradient(dOut);
  } finally {
    lin.dispose();
  }
}
