/**
 * Adam (Kingma & Ba 2015) on a flat parameter vector, with its state kept as plain arrays so
 * it can be checkpointed.
 *
 * @module
 */

/** Adam's moment estimates and step count. */
export interface AdamState {
  /** First-moment (mean) estimate per parameter. */
  m: Float32Array;
  /** Second-moment (uncentred variance) estimate per parameter. */
  v: Float32Array;
  /** Steps taken. */
  t: number;
}

/** A zero state for `size` parameters. */
export function adamInit(size: number): AdamState {
  return { m: new Float32Array(size), v: new Float32Array(size), t: 0 };
}

/**
 * One Adam step that descends `grad`, updating `params` and `state` in place.
 *
 * @example The first step moves every coordinate by the learning rate
 * ```ts
 * import { adamInit, adamStep } from "./adam.ts";
 * const p = Float32Array.of(1, 1);
 * adamStep(p, Float32Array.of(3, -0.5), adamInit(2), 0.1);
 * if (Math.abs(p[0]! - 0.9) > 1e-6 || Math.abs(p[1]! - 1.1) > 1e-6) throw new Error("step");
 * ```
 */
export function adamStep(
  params: Float32Array,
  grad: Float32Array,
  state: AdamState,
  lr: number,
  beta1 = 0.9,
  beta2 = 0.999,
  eps = 1e-8,
): void {
  state.t++;
  const c1 = 1 - beta1 ** state.t;
  const c2 = 1 - beta2 ** state.t;
  for (let i = 0; i < params.length; i++) {
    const g = grad[i]!;
    const m = (state.m[i] = beta1 * state.m[i]! + (1 - beta1) * g);
    const v = (state.v[i] = beta2 * state.v[i]! + (1 - beta2) * g * g);
    params[i]! -= (lr * (m / c1)) / (Math.sqrt(v / c2) + eps);
  }
}
