/**
 * The RL² view of an environment: a trial is n episodes of one task, and the policy's input at
 * every step is (observation, previous action one-hot, previous reward, done flag), with the
 * paper's placeholders (action 0, reward 0, done 0) at the first step of a trial. The
 * memoryless baseline sees the observation only.
 *
 * @module
 */
import type { TaskFamily } from "./env.ts";

/** What a policy sees at each step: the RL² tuple, or the observation alone. */
export type InputMode = "rl2" | "observation";

/**
 * The RL² input's placeholders at a trial's first step: `action_0`, the previous action is
 * action 0 (its one-hot), reward 0, done 0 (the paper's appendix A); `no_action_done`, there is
 * no previous action (a zero action vector), reward 0, done 1 (its authors' code).
 */
export type StartInput = "action_0" | "no_action_done";

/** The previous step every slot starts a trial from, for `start`. */
export function trialStart(B: number, start: StartInput = "action_0"): PreviousStep {
  const none = start === "no_action_done";
  return {
    action: new Int32Array(B).fill(none ? -1 : 0),
    reward: new Float32Array(B),
    done: new Uint8Array(B).fill(none ? 1 : 0),
  };
}

/** Size of one step's input (the previous action is a one-hot, or the continuous vector). */
export function inputDim(family: TaskFamily, mode: InputMode): number {
  return mode === "rl2"
    ? family.obsDim + (family.actionDim ?? family.numActions) + 2
    : family.obsDim;
}

/** The previous step of every slot, as the RL² input needs it. */
export interface PreviousStep {
  /** Previous action of every slot (at a trial's first step 0, or −1 for no action). */
  readonly action: Int32Array;
  /** Previous reward of every slot (0 at the first step of a trial). */
  readonly reward: Float32Array;
  /** 1 where the previous step ended an episode, else 0 (at a trial's first step 0 or 1). */
  readonly done: Uint8Array;
}

/**
 * Writes slot `b`'s input row, `[obs, onehot(prevAction), prevReward, prevDone]` in `rl2`
 * mode or `[obs]` otherwise, into `out` at `offset`. A previous action of −1 (no action yet)
 * leaves the one-hot all zero.
 *
 * @example The first input of a 3-armed bandit trial
 * ```ts
 * import { writeInput } from "./trial.ts";
 * const out = new Float32Array(6);
 * const prev = { action: new Int32Array(1), reward: new Float32Array(1), done: new Uint8Array(1) };
 * writeInput("rl2", new Float32Array(1), 1, 3, 0, prev, out, 0);
 * if (out.join() !== "0,1,0,0,0,0") throw new Error("placeholder action 0, reward 0, done 0");
 * ```
 */
export function writeInput(
  mode: InputMode,
  obs: Float32Array,
  obsDim: number,
  numActions: number,
  b: number,
  prev: PreviousStep,
  out: Float32Array,
  offset: number,
): void {
  for (let i = 0; i < obsDim; i++) out[offset + i] = obs[b * obsDim + i]!;
  if (mode === "observation") return;
  const o = offset + obsDim;
  out.fill(0, o, o + numActions);
  if (prev.action[b]! >= 0) out[o + prev.action[b]!] = 1;
  out[o + numActions] = prev.reward[b]!;
  out[o + numActions + 1] = prev.done[b]!;
}

/** The previous step of every slot of a family with continuous actions of size `d`. */
export interface PreviousContinuousStep {
  /** `B × d` previous actions (zero at a trial's first step). */
  readonly action: Float32Array;
  /** Previous reward of every slot (0 at the first step of a trial). */
  readonly reward: Float32Array;
  /** 1 where the previous step ended an episode, else 0 (at a trial's first step 0 or 1). */
  readonly done: Uint8Array;
}

/**
 * The previous step every slot starts a trial from, for continuous actions of size `d`: a zero
 * action, reward 0 and done 0 (`action_0`) or 1 (`no_action_done`).
 */
export function continuousTrialStart(
  B: number,
  d: number,
  start: StartInput = "action_0",
): PreviousContinuousStep {
  return {
    action: new Float32Array(B * d),
    reward: new Float32Array(B),
    done: new Uint8Array(B).fill(start === "no_action_done" ? 1 : 0),
  };
}

/**
 * Writes slot `b`'s input row for continuous actions of size `d`, `[obs, prevAction,
 * prevReward, prevDone]` in `rl2` mode or `[obs]` otherwise, into `out` at `offset`.
 */
export function writeContinuousInput(
  mode: InputMode,
  obs: Float32Array,
  obsDim: number,
  d: number,
  b: number,
  prev: PreviousContinuousStep,
  out: Float32Array,
  offset: number,
): void {
  for (let i = 0; i < obsDim; i++) out[offset + i] = obs[b * obsDim + i]!;
  if (mode === "observation") return;
  const o = offset + obsDim;
  for (let j = 0; j < d; j++) out[o + j] = prev.action[b * d + j]!;
  out[o + d] = prev.reward[b]!;
  out[o + d + 1] = prev.done[b]!;
}
