/**
 * Batched sampling of trials: B tasks run in lockstep, one policy step for all B at once, for
 * any action distribution (`src/policies/distribution.ts`). The hidden state starts at zero for
 * each trial and is kept across its episodes; in `rl2` mode the input carries the previous
 * action (a one-hot, or the action vector), reward and done flag.
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import type { EnvBatch, TaskFamily } from "../envs/env.ts";
import {
  continuousTrialStart,
  inputDim,
  type InputMode,
  type StartInput,
  trialStart,
  writeContinuousInput,
  writeInput,
} from "../envs/trial.ts";
import { type Actions, type Policy, splitParams } from "../policies/distribution.ts";
import { bindNetwork } from "../compute/kernels.ts";
import type { TrialInputs } from "./unroll.ts";

/** B sampled trials, time-major (`[t * B + b]`), T = the longest trial. */
export interface SampledTrials extends TrialInputs {
  /** `T × B × actionDim` actions (continuous ones as sampled, before any clipping). */
  readonly actions: Actions;
  /** `T × B` rewards. */
  readonly rewards: Float32Array;
  /** `T × B × paramDim` distribution parameters of the sampling policy (probabilities, means). */
  readonly distParams: Float32Array;
  /** The sampling policy's head parameters (a copy). */
  readonly head: Float32Array;
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
  /** The policy: its network and action distribution. */
  policy: Policy;
  /** The policy's parameters, one flat vector (the network's, then the head's). */
  params: Float32Array;
  /** What the policy sees: the RL² input or the observation only. */
  mode: InputMode;
  /** The RL² input's placeholders at a trial's first step (default: `action_0`, the paper's). */
  start?: StartInput;
  /** One task per trial; B = tasks.length. */
  tasks: readonly unknown[];
  /** Environment randomness (rewards, transitions, initial states). */
  envRng: Rng;
  /** Action sampling. */
  actionRng: Rng;
  /** Take the most likely action (the mode) instead of sampling. */
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

/** Room for B trials of n episodes, at most `maxT` steps each, inputs of width D. */
function trialBuffers(maxT: number, B: number, D: number, policy: Policy, episodes: number) {
  const { dist } = policy;
  return {
    inputs: new Float32Array(maxT * B * D),
    mask: new Float32Array(maxT * B),
    actions: dist.newActions(maxT * B * dist.actionDim),
    rewards: new Float32Array(maxT * B),
    distParams: new Float32Array(maxT * B * dist.paramDim),
    episodeEnds: new Uint8Array(maxT * B),
    trialReturns: new Float64Array(B),
    episodeReturns: new Float64Array(B * episodes),
  };
}

/** The trials in `buffers` as sampled: their first T steps, T the longest trial's. */
function firstSteps(
  buffers: ReturnType<typeof trialBuffers>,
  head: Float32Array,
  T: number,
  B: number,
  D: number,
  policy: Policy,
  steps: number,
): SampledTrials {
  const { actionDim, paramDim } = policy.dist;
  return {
    T,
    B,
    inputs: buffers.inputs.subarray(0, T * B * D),
    mask: buffers.mask.subarray(0, T * B),
    actions: buffers.actions.subarray(0, T * B * actionDim),
    rewards: buffers.rewards.subarray(0, T * B),
    distParams: buffers.distParams.subarray(0, T * B * paramDim),
    head: head.slice(),
    episodeEnds: buffers.episodeEnds.subarray(0, T * B),
    trialReturns: buffers.trialReturns,
    episodeReturns: buffers.episodeReturns,
    steps,
  };
}

/** The previous step of B slots and how it enters the RL² input, for the policy's actions. */
function previousSteps(o: SamplerOptions, B: number) {
  const { family, mode } = o;
  const w = o.policy.dist.actionDim;
  if (o.policy.dist.kind === "categorical") {
    const prev = trialStart(B, o.start);
    return {
      prev,
      write: (obs: Float32Array, b: number, out: Float32Array, at: number) =>
        writeInput(mode, obs, family.obsDim, family.numActions, b, prev, out, at),
    };
  }
  const prev = continuousTrialStart(B, w, o.start);
  return {
    prev,
    write: (obs: Float32Array, b: number, out: Float32Array, at: number) =>
      writeContinuousInput(mode, obs, family.obsDim, w, b, prev, out, at),
  };
}

/** Checks that the policy fits the family and input mode; gives the input width. */
function inputWidth(o: SamplerOptions): number {
  const { family, policy } = o;
  const D = inputDim(family, o.mode);
  const kind = family.actionDim === undefined ? "categorical" : "gaussian";
  const A = family.actionDim ?? family.numActions;
  if (policy.net.inputDim !== D || policy.dist.outputDim !== A || policy.dist.kind !== kind) {
    throw new Error(
      `policy is ${policy.net.inputDim}→${policy.dist.outputDim} (${policy.dist.kind}), ` +
        `the task needs ${D}→${A} (${kind})`,
    );
  }
  return D;
}

/** Runs one trial of `episodes` episodes on every task, all in lockstep. */
export function sampleTrials(o: SamplerOptions): SampledTrials {
  const { family, policy } = o;
  const { dist } = policy;
  const B = o.tasks.length;
  const D = inputWidth(o);
  const w = dist.actionDim;
  const P = dist.paramDim;
  const { net: netParams, head } = splitParams(policy, o.params);
  const maxT = o.episodes * family.maxEpisodeSteps;
  const buffers = trialBuffers(maxT, B, D, policy, o.episodes);
  const { inputs, mask, actions, rewards, distParams, episodeEnds } = buffers;
  const { trialReturns, episodeReturns } = buffers;

  const env = startTrials(family, o.tasks, o.envRng);
  const { prev, write } = previousSteps(o, B);
  const active = new Uint8Array(B).fill(1);
  const finished = new Int32Array(B);
  const stepActions = dist.newActions(B * w);
  const stepRewards = new Float32Array(B);
  const stepDones = new Uint8Array(B);

  const bound = bindNetwork(policy.net, dist.headSize === 0 ? o.params : netParams.slice());
  const stepper = bound.stepper(B);
  let T = 0;
  let steps = 0;
  try {
    for (let t = 0; t < maxT && active.some((a) => a === 1); t++, T++) {
      const row = t * B;
      for (let b = 0; b < B; b++) {
        mask[row + b] = active[b]!;
        write(env.obs, b, inputs, (row + b) * D);
      }
      const outputs = stepper.step(inputs.subarray(row * D, (row + B) * D));
      const params = distParams.subarray(row * P, (row + B) * P);
      dist.act(outputs, head, active, o.greedy ?? false, o.actionRng, params, stepActions);
      env.step(stepActions, active, o.envRng, stepRewards, stepDones);
      for (let b = 0; b < B; b++) {
        if (active[b] !== 1) continue;
        steps++;
        for (let j = 0; j < w; j++) {
          actions[(row + b) * w + j] = stepActions[b * w + j]!;
          prev.action[b * w + j] = stepActions[b * w + j]!;
        }
        rewards[row + b] = stepRewards[b]!;
        episodeEnds[row + b] = stepDones[b]!;
        trialReturns[b]! += stepRewards[b]!;
        episodeReturns[b * o.episodes + finished[b]!]! += stepRewards[b]!;
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
  return firstSteps(buffers, head, T, B, D, policy, steps);
}
