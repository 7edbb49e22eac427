/**
 * A task's replay buffer (PEARL keeps one per training task, and a second one per task for the
 * encoder's context): transitions `(o, a, r, r_context, o′, done)` in a ring of at most
 * `capacity` rows, growing as it fills, sampled uniformly with replacement as the authors'
 * `SimpleReplayBuffer.random_batch` does. `r` is the reward the actor-critic learns from (the
 * dense one on sparse tasks), `r_context` the one the encoder sees. A buffer packs into one
 * Float32Array and back, bit for bit, for checkpoints.
 *
 * @module
 */
import type { Rng } from "../rng.ts";

/** One transition. */
export interface Transition {
  /** Observation before the step. */
  readonly obs: ArrayLike<number>;
  /** Action taken. */
  readonly action: ArrayLike<number>;
  /** Reward for the actor-critic. */
  readonly reward: number;
  /** Reward the context shows. */
  readonly contextReward: number;
  /** Observation after the step. */
  readonly nextObs: ArrayLike<number>;
  /** 1 when the episode terminated at this step (not by the time limit), else 0. */
  readonly done: number;
}

/** A ring buffer of transitions. */
export class ReplayBuffer {
  /** Floats per row: o, a, r, r_context, o′, done. */
  readonly width: number;
  #rows: Float32Array;
  /** Rows held. */
  size = 0;
  /** Next row written. */
  top = 0;

  /** An empty buffer for observations of `obsDim` and actions of `actionDim`. */
  constructor(readonly obsDim: number, readonly actionDim: number, readonly capacity: number) {
    this.width = 2 * obsDim + actionDim + 3;
    this.#rows = new Float32Array(Math.min(capacity, 64) * this.width);
  }

  /** Appends a transition, overwriting the oldest when full. */
  add(t: Transition): void {
    const { obsDim: O, actionDim: A, width: W } = this;
    if (this.top * W >= this.#rows.length) {
      const grown = new Float32Array(Math.min(this.capacity, 2 * this.#rows.length / W) * W);
      grown.set(this.#rows);
      this.#rows = grown;
    }
    const o = this.top * W;
    const rows = this.#rows;
    for (let i = 0; i < O; i++) rows[o + i] = t.obs[i]!;
    for (let i = 0; i < A; i++) rows[o + O + i] = t.action[i]!;
    rows[o + O + A] = t.reward;
    rows[o + O + A + 1] = t.contextReward;
    for (let i = 0; i < O; i++) rows[o + O + A + 2 + i] = t.nextObs[i]!;
    rows[o + W - 1] = t.done;
    this.top = (this.top + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** Empties the buffer. */
  clear(): void {
    this.size = 0;
    this.top = 0;
  }

  /** Row `k`'s floats (a view). */
  row(k: number): Float32Array {
    return this.#rows.subarray(k * this.width, (k + 1) * this.width);
  }

  /** `n` row indices drawn uniformly with replacement. */
  sample(rng: Rng, n: number): Int32Array {
    if (this.size === 0) throw new Error("sampling an empty replay buffer");
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = rng.int(this.size);
    return out;
  }

  /** The buffer as one array: size, top, then its rows. */
  pack(): Float32Array {
    const out = new Float32Array(2 + this.size * this.width);
    out[0] = this.size;
    out[1] = this.top;
    out.set(this.#rows.subarray(0, this.size * this.width), 2);
    return out;
  }

  /** A buffer restored from {@link pack}'s array. */
  static unpack(
    packed: Float32Array,
    obsDim: number,
    actionDim: number,
    capacity: number,
  ): ReplayBuffer {
    const b = new ReplayBuffer(obsDim, actionDim, capacity);
    b.size = packed[0]!;
    b.top = packed[1]!;
    const rows = Math.max(b.size, Math.min(capacity, 64));
    b.#rows = new Float32Array(rows * b.width);
    b.#rows.set(packed.subarray(2));
    return b;
  }
}
