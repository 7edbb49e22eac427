/**
 * The kernel interface every compute backend implements, and the backend in use. A network
 * bound to fixed parameters runs forward over whole trials (keeping what its backward pass
 * needs), gives gradients of the parameters as vector–Jacobian products of host output
 * gradients, and steps a batch of trials in lockstep for sampling. All data crossing this
 * interface is host `Float32Array`s, time-major (`[t * B + b]`).
 *
 * @module
 */
import type { StepNetwork } from "../policies/network.ts";
import type { OrtRuntime } from "./ort_runtime.ts";

/** A forward pass over B trials of T steps at fixed parameters, kept for backward passes. */
export interface Pass {
  /** `T × B × outputDim`, time-major. */
  readonly outputs: Float32Array;
  /** ∇θ of Σ dOut ⊙ outputs, as a flat vector in the parameters' order. */
  gradient(dOut: Float32Array): Float32Array;
  /** Frees what the pass keeps. */
  dispose(): void;
}

/** B trials stepped in lockstep from a zero state. */
export interface Stepper {
  /** Feeds one step's inputs `[B, inputDim]`; returns its outputs `[B, outputDim]`. */
  step(x: Float32Array): Float32Array;
  /** Frees the state. */
  dispose(): void;
}

/** A network at fixed parameters on a compute backend. */
export interface BoundNetwork {
  /** The outputs (`T × B × outputDim`) of B trials of T steps from a zero state. */
  forward(inputs: Float32Array, T: number, B: number): Float32Array;
  /** The forward pass over B trials of T steps from a zero state (`T × B × inputDim` inputs). */
  unroll(inputs: Float32Array, T: number, B: number): Pass;
  /** A stepper over B trials. */
  stepper(B: number): Stepper;
  /** Frees the weights. */
  dispose(): void;
}

/** A compute backend: binds networks to parameters. */
export interface Compute {
  /** The backend's name, as manifests record it. */
  readonly name: string;
  /** The network at `params` (a flat vector in the parameters' order). */
  bind(net: StepNetwork, params: Float32Array): BoundNetwork;
  /** The ONNX Runtime behind the backend, when it is that one (learners with graphs of their own). */
  readonly ort?: OrtRuntime;
}

let active: Compute | undefined;

/** Makes `compute` the backend every later {@link bindNetwork} uses. */
export function setCompute(compute: Compute): void {
  active = compute;
}

/** The backend in use; throws if none was initialised. */
export function currentCompute(): Compute {
  if (active === undefined) throw new Error("no compute backend: call initBackend() first");
  return active;
}

/** The ONNX Runtime of the backend in use, if one was initialised and it is ONNX Runtime. */
export function activeOrt(): OrtRuntime | undefined {
  return active?.ort;
}

/** The network at `params` on the backend in use. */
export function bindNetwork(net: StepNetwork, params: Float32Array): BoundNetwork {
  return currentCompute().bind(net, params);
}
