/**
 * The interface every task distribution implements: a family of tasks that can be sampled,
 * and a batch of B environments stepped in lockstep on typed arrays, each slot with its own task.
 *
 * @module
 */
import type { Rng } from "../rng.ts";

/** A distribution over tasks (the ρ_M of the RL² paper) and how to simulate them. */
export interface TaskFamily<Task = unknown> {
  /** Observation size (one row of {@link EnvBatch.obs}). */
  readonly obsDim: number;
  /** Number of discrete actions (0 for a family of continuous actions). */
  readonly numActions: number;
  /**
   * Size of a continuous action, for families whose actions are real vectors (absent: the
   * actions are discrete, one of {@link numActions}).
   */
  readonly actionDim?: number;
  /** Upper bound on the steps of one episode. */
  readonly maxEpisodeSteps: number;
  /** True when every episode lasts exactly {@link maxEpisodeSteps} steps. */
  readonly fixedEpisodeLength: boolean;
  /** Draws one task. */
  sampleTask(rng: Rng): Task;
  /** A batch of `size` environments; every slot needs {@link EnvBatch.setTask} before use. */
  createBatch(size: number): EnvBatch<Task>;
}

/** B environments of one family, stepped together. */
export interface EnvBatch<Task = unknown> {
  /** Number of slots. */
  readonly size: number;
  /** Current observation of every slot, `size × obsDim`, row-major. */
  readonly obs: Float32Array;
  /** Puts a task into a slot (a new trial starts there; call {@link resetEpisode} next). */
  setTask(slot: number, task: Task): void;
  /** Starts a new episode of the slot's current task and writes its first observation. */
  resetEpisode(slot: number, rng: Rng): void;
  /**
   * Steps every slot whose `active` flag is 1 with its action; writes its reward and whether
   * its episode ended (terminated or reached {@link TaskFamily.maxEpisodeSteps}), and its next
   * observation into {@link obs}. Inactive slots are left untouched. Discrete actions are one
   * index per slot; continuous ones are {@link TaskFamily.actionDim} reals per slot, row-major.
   */
  step(
    actions: Int32Array | Float32Array,
    active: Uint8Array,
    rng: Rng,
    rewards: Float32Array,
    dones: Uint8Array,
  ): void;
}
