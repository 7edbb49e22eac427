/**
 * Batched sampling of trials: B tasks run in lockstep, one policy step for all B at once.
 * The hidden state starts at zero for each trial and is kept across its episodes.
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import type { EnvBatch, TaskFamily } from "../envs/env.ts";
import {
  inputDim,
  type InputMode,
  type StartInput,
  trialStart,
  writeInput,
} from "../envs/trial.ts";
import { argmax, sample, softmax } from "../policies/categorical.ts";
import type { StepNetwork } from "../policies/network.ts";
import { bindNetwork } from "../compute/kernels.ts";
import type { TrialInputs } from "./unroll.ts";

/** B sampled trials, time-major (`[t * B + b]`), T = the longest trial. */
export interface SampledTrials extends TrialInputs {
  /** `T × B` actions. */
  readonly actions: Int32Array;
  /** `T × B` rewards. */
  readonly rewards: Float32Array;
  /** `T × B × A` probabilities of the sampling policy. */
  readonly probs: Float32Array;
  /** `T × B`: 1 at the last step of an episode. */
  readonly episodeEnds: Uint8Array;
  /** Total (undiscounted) reward of every trial. */
  readonly trialReturns: Float64Array;
  /** `B × n`: total reward of every episode of every trial (`[b * n + e]`). */
  readonly episodeReturns: Float64Array;
  /** Number of valid steps. */
  readonly steps: number;
}

/** What {@link sampleTrials} runs. */
export interface SamplerOptions {
  /** The task distribution the tasks come from. */
  family: TaskFamily;
  /** n, episodes per trial. */
  episodes: number;
  /** The policy network. */
  net: StepNetwork;
  /** The policy's parameters, one flat vector. */
  params: Float32Array;
  /** What the policy sees: the RL² input or the observation only. */
  mode: InputMode;
  /** The RL² input's placeholders at a trial's first step (default: the paper's). */
  start?: StartInput;
  /** One task per trial; B = tasks.length. */
  tasks: readonly unknown[];
  /** Environment randomness (rewards, transitions, initial states). */
  envRng: Rng;
  /** Action sampling. */
  actionRng: Rng;
  /** Take the most probable action instead of sampling. */
  greedy?: boolean;
}

/** B environments of `family`, each on its task at the start of its first episode. */
export function startTrials(family: TaskFamily, tasks: readonly unknown[], envRng: Rng): EnvBatch {
  const env = family.createBatch(tasks.length);
  tasks.forEach((task, b) => {
    env.setTask(b, task);
    env.resetEpisode(b, envRng);
  });
  return env;
}

/** Room for B trials of n episodes, at most `maxT` steps each, inputs of width D, A actions. */
function trialBuffers(maxT: number, B: number, D: number, A: number, episodes: number) {
  return {
    inputs: new Float32Array(maxT * B * D),
    mask: new Float32Array(maxT * B),
    actions: new Int32Array(maxT * B),
    rewards: new Float32Array(maxT * B),
    probs: new Float32Array(maxT * B * A),
    episodeEnds: new Uint8Array(maxT * B),
    trialReturns: new Float64Array(B),
    episodeReturns: new Float64Array(B * episodes),
  };
}

/** The trials in `buffers` as sampled: their first T steps, T the longest trial's. */
function firstSteps(
  buffers: ReturnType<typeof trialBuffers>,
  T: number,
  B: number,
  D: number,
  A: number,
  steps: number,
): SampledTrials {
  return {
    T,
    B,
    inputs: buffers.inputs.subarray(0, T * B * D),
    mask: buffers.mask.subarray(0, T * B),
    actions: buffers.actions.subarray(0, T * B),
    rewards: buffers.rewards.subarray(0, T * B),
    probs: buffers.probs.subarray(0, T * B * A),
    episodeEnds: buffers.episodeEnds.subarray(0, T * B),
    trialReturns: buffers.trialReturns,
    episodeReturns: buffers.episodeReturns,
    steps,
  };
}

/** Runs one trial of `episodes` episodes on every task, all in lockstep. */
export function sampleTrials(o: SamplerOptions): SampledTrials {
  const { family, net } = o;
  const B = o.tasks.length;
  const A = family.numActions;
  const D = inputDim(family, o.mode);
  if (net.inputDim !== D || net.outputDim !== A) {
    throw new Error(`network is ${net.inputDim}→${net.outputDim}, the task needs ${D}→${A}`);
  }
  const maxT = o.episodes * family.maxEpisodeSteps;
  const buffers = trialBuffers(maxT, B, D, A, o.episodes);
  const { inputs, mask, actions, rewards, probs, episodeEnds } = buffers;
  const { trialReturns, episodeReturns } = buffers;

  const env = startTrials(family, o.tasks, o.envRng);
  const prev = trialStart(B, o.start);
  const active = new Uint8Array(B).fill(1);
  const finished = new Int32Array(B);
  const stepActions = new Int32Array(B);
  const stepRewards = new Float32Array(B);
  const stepDones = new Uint8Array(B);

  const bound = bindNetwork(net, o.params);
  const stepper = bound.stepper(B);
  let T = 0;
  let steps = 0;
  try {
    for (let t = 0; t < maxT && active.some((a) => a === 1); t++, T++) {
      const row = t * B;
      for (let b = 0; b < B; b++) {
        mask[row + b] = active[b]!;
        writeInput(o.mode, env.obs, family.obsDim, A, b, prev, inputs, (row + b) * D);
      }
      const x = inputs.subarray(row * D, (row + B) * D);
      const logits = stepper.step(x);
      for (let b = 0; b < B; b++) {
        const at = (row + b) * A;
        softmax(logits, b * A, A, probs, at);
        stepActions[b] = o.greedy ? argmax(probs, at, A) : sample(probs, at, A, o.actionRng);
      }
      env.step(stepActions, active, o.envRng, stepRewards, stepDones);
      for (let b = 0; b < B; b++) {
        if (active[b] !== 1) continue;
        steps++;
        actions[row + b] = stepActions[b]!;
        rewards[row + b] = stepRewards[b]!;
        episodeEnds[row + b] = stepDones[b]!;
        trialReturns[b]! += stepRewards[b]!;
        episodeReturns[b * o.episodes + finished[b]!]! += stepRewards[b]!;
        prev.action[b] = stepActions[b]!;
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
  return firstSteps(buffers, T, B, D, A, steps);
}
