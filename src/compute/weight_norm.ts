/**
 * Effective weights from a flat parameter vector on the host, and the pull-back of their
 * gradients to the parameters, for backends whose graphs take effective weights as inputs.
 * Weight normalisation (Salimans & Kingma 2016), per output column j of `V [fanIn, fanOut]`:
 *
 *     W_ij = g_j · V_ij / ‖V_j‖,   ‖V_j‖ = √(Σ_i V_ij² + 1e-12)
 *     ∂g_j = c_j / ‖V_j‖,          ∂V_ij = g_j / ‖V_j‖ · (∂W_ij − V_ij · c_j / ‖V_j‖²)
 *
 * with c_j = Σ_i ∂W_ij · V_ij. Sums run in float64.
 *
 * @module
 */
import type { StepNetwork } from "../policies/network.ts";

/** Offsets of each parameter tensor in the flat vector. */
function offsets(net: StepNetwork): number[] {
  const out: number[] = [];
  let at = 0;
  for (const s of net.shapes) {
    out.push(at);
    at += s.reduce((a, b) => a * b, 1);
  }
  return out;
}

function columnNorms(v: Float32Array, rows: number, cols: number): Float64Array {
  const sq = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) sq[j]! += v[i * cols + j]! ** 2;
  return sq.map((s) => Math.sqrt(s + 1e-12));
}

/** The effective weights of `net` at `params`, in canonical order (views where unchanged). */
export function effectiveWeights(net: StepNetwork, params: Float32Array): Float32Array[] {
  const at = offsets(net);
  const tensor = (i: number) => {
    const n = net.shapes[i]!.reduce((a, b) => a * b, 1);
    return params.subarray(at[i]!, at[i]! + n);
  };
  return net.weights.map((r) => {
    if ("param" in r) return tensor(r.param);
    const v = tensor(r.dense.v);
    if (r.dense.g < 0) return v;
    const [rows, cols] = net.shapes[r.dense.v] as [number, number];
    const g = tensor(r.dense.g);
    const norms = columnNorms(v, rows, cols);
    const w = new Float32Array(v.length);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) w[i * cols + j] = v[i * cols + j]! * g[j]! / norms[j]!;
    }
    return w;
  });
}

/** ∇θ (flat) from the gradients of the effective weights `dW` (canonical order). */
export function pullBack(
  net: StepNetwork,
  params: Float32Array,
  dW: readonly Float32Array[],
): Float32Array {
  const at = offsets(net);
  const grad = new Float32Array(net.size);
  net.weights.forEach((r, k) => {
    const d = dW[k]!;
    if ("param" in r) return grad.set(d, at[r.param]!);
    if (r.dense.g < 0) return grad.set(d, at[r.dense.v]!);
    const [rows, cols] = net.shapes[r.dense.v] as [number, number];
    const v = params.subarray(at[r.dense.v]!, at[r.dense.v]! + rows * cols);
    const g = params.subarray(at[r.dense.g]!, at[r.dense.g]! + cols);
    const norms = columnNorms(v, rows, cols);
    const c = new Float64Array(cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) c[j]! += d[i * cols + j]! * v[i * cols + j]!;
    }
    const dv = at[r.dense.v]!, dg = at[r.dense.g]!;
    for (let j = 0; j < cols; j++) grad[dg + j] = c[j]! / norms[j]!;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const n = norms[j]!;
        grad[dv + i * cols + j] = (g[j]! / n) *
          (d[i * cols + j]! - v[i * cols + j]! * c[j]! / (n * n));
      }
    }
  });
  return grad;
}
