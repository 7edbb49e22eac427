/**
 * Seeded randomness for rl2lab. Every random number in a run comes from an {@link Rng} derived
 * from the experiment's seed and a named purpose, so streams for task sampling, action sampling,
 * weight initialisation and minibatching are independent and reproducible.
 *
 * The generator is xoroshiro128+ from `pure-rand`; the 128-bit state of a stream is derived from
 * (seed, purpose, ...indices) with a murmur3-style mixer.
 *
 * @module
 */
import {
  type xoroshiro128plus,
  xoroshiro128plusFromState,
} from "pure-rand/generator/xoroshiro128plus";

type Generator = ReturnType<typeof xoroshiro128plus>;

function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

function hashKey(seed: number, purpose: string, indices: readonly number[]): number[] {
  const words: number[] = [seed | 0, Math.floor(seed / 2 ** 32) | 0, purpose.length];
  for (let i = 0; i < purpose.length; i++) words.push(purpose.charCodeAt(i));
  for (const k of indices) words.push(k | 0, Math.floor(k / 2 ** 32) | 0);
  const state: number[] = [];
  for (let lane = 0; lane < 4; lane++) {
    let h = mix32(0x9e3779b9 * (lane + 1));
    for (const w of words) h = mix32(h ^ mix32(w + lane));
    state.push(h);
  }
  return state.some((s) => s !== 0) ? state : [1, 0, 0, 0];
}

/** A seeded pseudo-random stream with the samplers rl2lab needs; its state can be saved. */
export class Rng {
  #g: Generator;

  private constructor(g: Generator) {
    this.#g = g;
  }

  /**
   * The stream for (seed, purpose, ...indices). Different purposes or indices give independent
   * streams; the same arguments always give the same stream.
   *
   * @example Two streams of one seed
   * ```ts
   * import { Rng } from "./rng.ts";
   * const a = Rng.derive(7, "tasks");
   * const b = Rng.derive(7, "tasks");
   * if (a.uniform() !== b.uniform()) throw new Error("not reproducible");
   * ```
   */
  static derive(seed: number, purpose: string, ...indices: number[]): Rng {
    if (!Number.isSafeInteger(seed)) throw new Error(`seed must be a safe integer, got ${seed}`);
    const [a, b, c, d] = hashKey(seed, purpose, indices) as [number, number, number, number];
    return new Rng(xoroshiro128plusFromState([a, b, c, d]));
  }

  /** Restores a stream from {@link Rng.state}. */
  static fromState(state: readonly number[]): Rng {
    return new Rng(xoroshiro128plusFromState(state));
  }

  /** The generator state, to store in a checkpoint. */
  state(): number[] {
    return [...this.#g.getState()];
  }

  /** A child stream, independent of this one, keyed by a purpose. */
  fork(purpose: string, ...indices: number[]): Rng {
    return Rng.derive(this.uint32() * 2 ** 21 + (this.uint32() >>> 11), purpose, ...indices);
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    return this.#g.next() >>> 0;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.#g.next() & 0x3ffffff;
    const lo = this.#g.next() & 0x7ffffff;
    return hi * 1.4901161193847656e-8 + lo * 1.1102230246251565e-16;
  }

  /** A uniform double in [lo, hi). */
  uniformIn(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** A standard normal draw (Box–Muller, no cached second value so the state says it all). */
  normal(): number {
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }

  /** A Gamma(shape, 1) draw (Marsaglia–Tsang; boosted for shape < 1). */
  gamma(shape: number): number {
    if (shape === 1) return -Math.log(1 - this.uniform());
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.uniform() || 1e-300, 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** A Beta(a, b) draw. */
  beta(a: number, b: number): number {
    const x = this.gamma(a);
    return x / (x + this.gamma(b));
  }

  /** A Dirichlet(alpha) draw written into out (length of alpha). */
  dirichlet(
    alpha: ArrayLike<number>,
    out: Float64Array = new Float64Array(alpha.length),
  ): Float64Array {
    let sum = 0;
    for (let i = 0; i < alpha.length; i++) {
      const g = this.gamma(alpha[i]!);
      out[i] = g;
      sum += g;
    }
    for (let i = 0; i < alpha.length; i++) out[i]! /= sum;
    return out;
  }

  /** An index drawn from unnormalised non-negative weights. */
  categorical(
    weights: ArrayLike<number>,
    offset: number = 0,
    length: number = weights.length - offset,
  ): number {
    let total = 0;
    for (let i = 0; i < length; i++) total += weights[offset + i]!;
    let u = this.uniform() * total;
    for (let i = 0; i < length; i++) {
      u -= weights[offset + i]!;
      if (u < 0) return i;
    }
    for (let i = length - 1; i >= 0; i--) if (weights[offset + i]! > 0) return i;
    return length - 1;
  }

  /** Fisher–Yates shuffle of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }
}
