/**
 * Conjugate gradient for `A x = b` with a symmetric positive-definite `A` given only as a
 * matrix–vector product (TRPO's Fisher–vector product), on plain float arrays.
 *
 * @module
 */

/** Dot product of two equally long vectors. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Approximately solves `A x = b` in at most `iterations` steps, starting from x = 0; stops
 * early when the squared residual falls below `tolerance`.
 *
 * @example A 2×2 system
 * ```ts
 * import { conjugateGradient } from "./conjugate_gradient.ts";
 * const A = [[4, 1], [1, 3]];
 * const x = conjugateGradient((v) => Float64Array.from(A, (r) => r[0]! * v[0]! + r[1]! * v[1]!),
 *   Float64Array.of(1, 2), 2);
 * if (Math.abs(x[0]! - 1 / 11) > 1e-9 || Math.abs(x[1]! - 7 / 11) > 1e-9) throw new Error("x");
 * ```
 */
export function conjugateGradient(
  matVec: (v: Float64Array) => ArrayLike<number>,
  b: ArrayLike<number>,
  iterations: number,
  tolerance = 1e-10,
): Float64Array {
  const n = b.length;
  const x = new Float64Array(n);
  const r = Float64Array.from(b);
  const p = Float64Array.from(b);
  let rr = dot(r, r);
  for (let k = 0; k < iterations && rr >= tolerance; k++) {
    const Ap = matVec(p);
    const alpha = rr / dot(p, Ap);
    for (let i = 0; i < n; i++) {
      x[i]! += alpha * p[i]!;
      r[i]! -= alpha * Ap[i]!;
    }
    const next = dot(r, r);
    const beta = next / rr;
    for (let i = 0; i < n; i++) p[i] = r[i]! + beta * p[i]!;
    rr = next;
  }
  return x;
}
