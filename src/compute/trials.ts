/**
 * Trials in time-major arrays: step `t` of trial `b` is row `t·B + b` of a `T × B × width`
 * array. Chunked passes take a range or a selection of trials (columns) out of such an array
 * and write their results back.
 *
 * @module
 */

/** The selected trials (columns) of a time-major `T × B × width` array, in the given order. */
export function selectColumns<A extends Float32Array | Int32Array>(
  src: A,
  T: number,
  B: number,
  width: number,
  trials: ArrayLike<number>,
): A {
  const n = trials.length;
  const dst = new (src.constructor as new (length: number) => A)(T * n * width);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < n; j++) {
      const from = (t * B + trials[j]!) * width;
      dst.set(src.subarray(from, from + width), (t * n + j) * width);
    }
  }
  return dst;
}

/**
 * Trials `b0 .. b1` of time-major `T × B × width` data as a contiguous array (`src` itself
 * when that is all of it).
 *
 * @example The middle trial of three, two steps
 * ```ts
 * import { trialRange } from "./trials.ts";
 * const data = Float32Array.of(0, 1, 2, 10, 11, 12); // rows t·3 + b
 * if (trialRange(data, 2, 3, 1, 1, 2).join() !== "1,11") throw new Error("wrong trial");
 * ```
 */
export function trialRange<A extends Float32Array | Int32Array>(
  src: A,
  T: number,
  B: number,
  width: number,
  b0: number,
  b1: number,
): A {
  if (b0 === 0 && b1 === B) return src;
  const n = b1 - b0;
  const dst = new (src.constructor as new (length: number) => A)(T * n * width);
  for (let t = 0; t < T; t++) {
    dst.set(src.subarray((t * B + b0) * width, (t * B + b1) * width), t * n * width);
  }
  return dst;
}

/** Writes `part` (consecutive trials from `b0`, time-major) into `dst` (`T × B × width`). */
export function scatterTrials(
  dst: Float32Array,
  part: Float32Array,
  T: number,
  B: number,
  width: number,
  b0: number,
): void {
  const n = part.length / (T * width);
  for (let t = 0; t < T; t++) {
    dst.set(part.subarray(t * n * width, (t + 1) * n * width), (t * B + b0) * width);
  }
}
