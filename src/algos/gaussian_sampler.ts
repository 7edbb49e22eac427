/**
 * Batched sampling of trials with a diagonal Gaussian policy (continuous actions): B tasks in
 * lockstep, as `sampler.ts` does for categorical policies, with the same time-major layout. The
 * hidden state starts at zero for each trial and is kept across its episodes; in `rl2` mode
 * the input carries the previous action vector, reward and done flag.
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import type { TaskFamily } from "../envs/env.ts";
import {
  continuousTrialStart,
  inputDim,
  type InputMode,
  type StartInput,
  writeContinuousInput,
} from "../envs/trial.ts";
import { type GaussianPolicy, gaussianSample, splitParams } from "../policies/gaussian.ts";
import { bindNetwork } from "../compute/kernels.ts";
import { startTrials } from "./sampler.ts";
import type { TrialInputs } from "./unroll.ts";

/** B sampled trials of a Gaussian policy, time-major (`[t * B + b]`), T = the longest trial. */
export interface GaussianTrials extends TrialInputs {
  /** `T × B × d` actions as sampled (before any clipping by the environment). */
  readonly actions: Float32Array;
  /** `T × B × d` means of the sampling policy. */
  readonly means: Float32Array;
  /** The sampling policy's `d` log standard deviations. */
  readonly logStd: Float32Array;
  /** `T × B` rewards. */
  readonly rewards: Float32Array;
  /** `T × B`: 1 at the last step of an episode. */
  readonly episodeEnds: Uint8Array;
  /** Total (undiscounted) reward of every trial. */
  readonly trialReturns: Float64Array;
  /** `B × n`: total reward of every episode of every trial (`[b * n + e]`). */
  readonly episodeReturns: Float64Array;
  /** Number of valid steps. */
  readonly steps: number;
}

/** What {@link sampleGaussianTrials} runs. */
export interface GaussianSamplerOptions {
  /** The task distribution the tasks come from; its actions are continuous. */
  family: TaskFamily;
  /** n, episodes per trial. */
  episodes: number;
  /** The policy. */
  policy: GaussianPolicy;
  /** Its flat parameters (the network's, then the log standard deviations). */
  params: Float32Array;
  /** What the policy sees: the RL² input or the observation only. */
  mode: InputMode;
  /** The RL² input's placeholders at a trial's first step (default: the paper's). */
  start?: StartInput;
  /** One task per trial; B = tasks.length. */
  tasks: readonly unknown[];
  /** Environment randomness. */
  envRng: Rng;
  /** Action noise. */
  actionRng: Rng;
  /** Take the mean action instead of sampling. */
  greedy?: boolean;
}

/** Room for B trials of n episodes, at most `maxT` steps each, inputs of width D, actions of d. */
function gaussianBuffers(maxT: number, B: number, D: number, d: number, episodes: number) {
  return {
    inputs: new Float32Array(maxT * B * D),
    mask: new Float32Array(maxT * B),
    actions: new Float32Array(maxT * B * d),
    means: new Float32Array(maxT * B * d),
    rewards: new Float32Array(maxT * B),
    episodeEnds: new Uint8Array(maxT * B),
    trialReturns: new Float64Array(B),
    episodeReturns: new Float64Array(B * episodes),
  };
}

/** The trials in `buffers` as sampled: their first T steps, T the longest trial's. */
function firstSteps(
  buffers: ReturnType<typeof gaussianBuffers>,
  logStd: Float32Array,
  T: number,
  B: number,
  D: number,
  d: number,
  steps: number,
): GaussianTrials {
  return {
    T,
    B,
    inputs: buffers.inputs.subarray(0, T * B * D),
    mask: buffers.mask.subarray(0, T * B),
    actions: buffers.actions.subarray(0, T * B * d),
    means: buffers.means.subarray(0, T * B * d),
    logStd: logStd.slice(),
    rewards: buffers.rewards.subarray(0, T * B),
    episodeEnds: buffers.episodeEnds.subarray(0, T * B),
    trialReturns: buffers.trialReturns,
    episodeReturns: buffers.episodeReturns,
    steps,
  };
}

/** Runs one trial of `episodes` episodes on every task, all in lockstep. */
export function sampleGaussianTrials(o: GaussianSamplerOptions): GaussianTrials {
  const { family, policy } = o;
  const d = family.actionDim;
  if (d === undefined) throw new Error("the task family's actions are discrete");
  const B = o.tasks.length;
  const D = inputDim(family, o.mode);
  const net = policy.net;
  if (net.inputDim !== D || policy.actionDim !== d) {
    throw new Error(`policy is ${net.inputDim}→${policy.actionDim}, the task needs ${D}→${d}`);
  }
  const { net: netParams, logStd } = splitParams(policy, o.params);
  const maxT = o.episodes * family.maxEpisodeSteps;
  const buffers = gaussianBuffers(maxT, B, D, d, o.episodes);
  const { inputs, mask, actions, means, rewards, episodeEnds } = buffers;
  const { trialReturns, episodeReturns } = buffers;

  const env = startTrials(family, o.tasks, o.envRng);
  const prev = continuousTrialStart(B, d, o.start);
  const active = new Uint8Array(B).fill(1);
  const finished = new Int32Array(B);
  const stepActions = new Float32Array(B * d);
  const stepRewards = new Float32Array(B);
  const stepDones = new Uint8Array(B);

  const bound = bindNetwork(net, netParams.slice());
  const stepper = bound.stepper(B);
  let T = 0;
  let steps = 0;
  try {
    for (let t = 0; t < maxT && active.some((a) => a === 1); t++, T++) {
      const row = t * B;
      for (let b = 0; b < B; b++) {
        mask[row + b] = active[b]!;
        writeContinuousInput(o.mode, env.obs, family.obsDim, d, b, prev, inputs, (row + b) * D);
      }
      const out = stepper.step(inputs.subarray(row * D, (row + B) * D));
      means.set(out, row * d);
      for (let b = 0; b < B; b++) {
        if (active[b] !== 1) continue;
        if (o.greedy) stepActions.set(out.subarray(b * d, (b + 1) * d), b * d);
        else gaussianSample(out, b * d, logStd, d, o.actionRng, stepActions);
      }
      env.step(stepActions, active, o.envRng, stepRewards, stepDones);
      for (let b = 0; b < B; b++) {
        if (active[b] !== 1) continue;
        steps++;
        for (let j = 0; j < d; j++) actions[(row + b) * d + j] = stepActions[b * d + j]!;
        rewards[row + b] = stepRewards[b]!;
        episodeEnds[row + b] = stepDones[b]!;
        trialReturns[b]! += stepRewards[b]!;
        episodeReturns[b * o.episodes + finished[b]!]! += stepRewards[b]!;
        for (let j = 0; j < d; j++) prev.action[b * d + j] = stepActions[b * d + j]!;
        prev.reward[b] = stepRewards[b]!;
        prev.done[b] = stepDones[b]!;
        if (stepDones[b] !== 1) continue;
        finished[b]!++;
        if (finished[b]! >= o.episodes) active[b] = 0;
        else env.resetEpisode(b, o.envRng);
      }
    }
  } finally {
    stepper.dispose();
    bound.dispose();
  }
  return firstSteps(buffers, logStd, T, B, D, d, steps);
}
