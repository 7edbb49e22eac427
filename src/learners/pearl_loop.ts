/**
 * PEARL's training loop (the authors' `MetaRLAlgorithm.train`): before the first iteration,
 * `initial_steps` on every training task with z from the prior; each iteration, for
 * `tasks_per_iteration` training tasks drawn with replacement, its encoder buffer emptied, then
 * `steps_prior` steps with z from the prior, `steps_posterior` with z from the posterior (both
 * into the task's two buffers) and `extra_rl_steps` with z from the posterior (actor-critic
 * buffer only); then `train_steps` gradient steps, each on `meta_batch` tasks drawn with
 * replacement, a context batch from each one's encoder buffer and an actor-critic batch from
 * its other buffer.
 *
 * Randomness: the training tasks from (seed, "pearl-train-tasks"), the networks from
 * (seed, "init-pearl-NETWORK"), iteration i's collection from (seed, "pearl-collect", i, m)
 * and its gradient steps from (seed, "pearl-train", i); evaluation from (evaluation seed,
 * "eval-pearl", seed, task). A checkpoint holds the networks and buffers, so a resumed run
 * continues exactly.
 *
 * @module
 */
import { Rng } from "../rng.ts";
import type { LoopContext, TrainingLoop } from "./learner.ts";
import type { IterationLog, LearnerState, TrialRewards } from "./state.ts";
import { ReplayBuffer } from "../algos/replay_buffer.ts";
import type { SacBatch, SacShapes, SacSizes } from "../algos/sac_losses.ts";
import {
  hostSacStepper,
  type SacHyper,
  sacInit,
  sacNoise,
  sacShapes,
  type SacStepper,
  type SacStepStats,
} from "../algos/sac_step.ts";
import { activeOrt } from "../compute/kernels.ts";
import { ortSacStepper } from "../algos/ort_sac.ts";
import type { PearlConfig } from "./pearl_config.ts";
import {
  type BufferDims,
  type PearlRuntime,
  pearlRuntime,
  pearlState,
  syncExtra,
} from "./pearl_state.ts";
import {
  collect,
  contextRows,
  evaluateTask,
  type LatentSource,
  type PearlActor,
} from "./pearl_rollout.ts";

/** What the loop is built from. */
interface Setup {
  c: LoopContext;
  p: PearlConfig;
  shapes: SacShapes;
  sizes: SacSizes;
  hyper: SacHyper;
  dims: BufferDims;
  trainTasks: unknown[];
  /** The gradient step, built at the first iteration (on the backend then in use). */
  stepper?: SacStepper;
}

const runtimes = new WeakMap<LearnerState, PearlRuntime>();

function runtimeOf(s: Setup, state: LearnerState): PearlRuntime {
  let r = runtimes.get(state);
  if (r === undefined) runtimes.set(state, r = pearlRuntime(state, s.dims));
  return r;
}

function actor(s: Setup, r: PearlRuntime): PearlActor {
  return {
    family: s.c.family,
    shapes: s.shapes,
    nets: r.nets,
    latent: s.p.latent,
    contextBatch: s.p.context_batch,
    denseForCritic: s.p.dense_critic_reward,
  };
}

/** An actor-critic and context batch of the meta-batch's tasks. */
function trainingBatch(s: Setup, r: PearlRuntime, tasks: Int32Array, rng: Rng): SacBatch {
  const { obsDim: O, actionDim: A, batch: B, context: C } = s.sizes;
  const n = tasks.length * B;
  const b = {
    context: new Float64Array(tasks.length * C * (O + A + 1)),
    obs: new Float64Array(n * O),
    actions: new Float64Array(n * A),
    rewards: new Float64Array(n),
    nextObs: new Float64Array(n * O),
    dones: new Float64Array(n),
  };
  tasks.forEach((k, t) => {
    contextRows(r.enc[k]!, rng, C, b.context, t * C);
    const rl = r.rl[k]!;
    rl.sample(rng, B).forEach((idx, i) => {
      const row = rl.row(idx), at = t * B + i;
      for (let j = 0; j < O; j++) {
        (b.obs[at * O + j] = row[j]!, b.nextObs[at * O + j] = row[O + A + 2 + j]!);
      }
      for (let j = 0; j < A; j++) b.actions[at * A + j] = row[O + j]!;
      b.rewards[at] = s.p.reward_scale * row[O + A]!;
      b.dones[at] = row[rl.width - 1]!;
    });
  });
  return b;
}

/** Collects iteration i's data (and the initial data at i = 0); returns its episodes' returns and steps. */
function collectIteration(
  s: Setup,
  r: PearlRuntime,
  i: number,
): { returns: number[]; steps: number } {
  const a = actor(s, r);
  const env = s.c.family.createBatch(1);
  const returns: number[] = [];
  let steps = 0;
  const run = (k: number, n: number, source: LatentSource, toEnc: boolean, rng: Rng) => {
    if (n === 0) return;
    const out = collect(a, env, s.trainTasks[k], n, source, {
      rl: r.rl[k]!,
      ...(toEnc && { enc: r.enc[k]! }),
      contextFrom: r.enc[k]!,
    }, rng);
    returns.push(...out.returns);
    steps += out.steps;
  };
  if (i === 0) {
    s.trainTasks.forEach((_, k) =>
      run(k, s.p.initial_steps, "prior", true, Rng.derive(s.c.seed, "pearl-collect-initial", k))
    );
  }
  const pick = Rng.derive(s.c.seed, "pearl-tasks", i);
  for (let m = 0; m < s.p.tasks_per_iteration; m++) {
    const k = pick.int(s.trainTasks.length);
    const rng = Rng.derive(s.c.seed, "pearl-collect", i, m);
    r.enc[k]!.clear();
    run(k, s.p.steps_prior, "prior", true, rng);
    run(k, s.p.steps_posterior, "posterior", true, rng);
    run(k, s.p.extra_rl_steps, "posterior", false, rng);
  }
  return { returns, steps };
}

function meanStd(xs: readonly number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length);
  return { mean, std: Math.sqrt(v) };
}

/** ONNX Runtime's graphs when the run's backend is ONNX Runtime, else the host's loops. */
function stepperOf(s: Setup): SacStepper {
  const ort = activeOrt();
  return s.stepper ??= ort === undefined
    ? hostSacStepper(s.sizes, s.shapes, s.hyper)
    : ortSacStepper(ort, s.sizes, s.shapes, s.hyper);
}

function train(s: Setup, r: PearlRuntime, i: number): SacStepStats[] {
  const rng = Rng.derive(s.c.seed, "pearl-train", i);
  const step = stepperOf(s);
  return Array.from({ length: s.p.train_steps }, () => {
    const tasks = Int32Array.from({ length: s.p.meta_batch }, () => rng.int(s.trainTasks.length));
    const batch = trainingBatch(s, r, tasks, rng);
    return step(r.nets, batch, sacNoise(s.sizes, rng));
  });
}

function iterate(s: Setup, state: LearnerState): IterationLog {
  const r = runtimeOf(s, state);
  const i = state.iteration;
  const data = collectIteration(s, r, i);
  const stats = train(s, r, i);
  syncExtra(state, r);
  state.iteration++;
  state.timesteps += data.steps;
  const avg = (f: (x: SacStepStats) => number) =>
    stats.reduce((a, x) => a + f(x), 0) / Math.max(1, stats.length);
  const returns = meanStd(data.returns);
  return {
    iteration: state.iteration,
    timesteps: state.timesteps,
    returnMean: returns.mean,
    returnStd: returns.std,
    kl: 0,
    entropy: avg((x) => x.entropy),
    surrogateImprovement: 0,
    valueLoss: avg((x) => x.vLoss),
    accepted: stats.length > 0,
    explainedVariance: 0,
    advantageMean: 0,
    advantageStd: 0,
    gradientNorm: avg((x) => x.policyGradNorm),
    diagnostics: {
      q_loss: avg((x) => x.qLoss),
      policy_loss: avg((x) => x.policyLoss),
      context_kl: avg((x) => x.kl) / s.p.meta_batch,
    },
  };
}

function setup(c: LoopContext): Setup {
  const A = c.family.actionDim;
  if (A === undefined) throw new Error("pearl needs a task family with continuous actions");
  const p = c.config.pearl as PearlConfig;
  const gamma = (c.config.sampling as { gamma: number }).gamma;
  const taskRng = Rng.derive(c.seed, "pearl-train-tasks");
  const O = c.family.obsDim;
  return {
    c,
    p,
    shapes: sacShapes(O, A, p.latent, p.hidden, p.encoder_hidden),
    sizes: {
      obsDim: O,
      actionDim: A,
      latent: p.latent,
      tasks: p.meta_batch,
      batch: p.batch,
      context: p.context_batch,
    },
    hyper: {
      gamma,
      klWeight: p.kl_weight,
      tau: p.tau,
      lr: { policy: p.policy_lr, qf1: p.q_lr, qf2: p.q_lr, vf: p.v_lr, encoder: p.context_lr },
      reg: { mean: p.policy_mean_reg, std: p.policy_std_reg },
    },
    dims: { obsDim: O, actionDim: A, capacity: p.buffer_size, tasks: p.train_tasks },
    trainTasks: Array.from({ length: p.train_tasks }, () => c.family.sampleTask(taskRng)),
  };
}

/** PEARL's training loop for a run. */
export function pearlLoop(c: LoopContext): TrainingLoop {
  const s = setup(c);
  return {
    init(): LearnerState {
      const nets = sacInit(s.shapes, (name) => Rng.derive(c.seed, `init-pearl-${name}`));
      const buffers = () =>
        s.trainTasks.map(() => new ReplayBuffer(s.dims.obsDim, s.dims.actionDim, s.dims.capacity));
      const runtime = { nets, rl: buffers(), enc: buffers() };
      const state = pearlState(runtime);
      runtimes.set(state, runtime);
      return state;
    },
    iterate: (state) => iterate(s, state),
    evaluate(state, tasks, { seed }): TrialRewards {
      const a = actor(s, runtimeOf(s, state));
      const env = c.family.createBatch(1);
      const n = c.episodes;
      const episodeReturns = new Float64Array(tasks.length * n);
      tasks.forEach((task, b) => {
        const rng = Rng.derive(seed, "eval-pearl", c.seed, b);
        episodeReturns.set(
          evaluateTask(a, env, task, n, s.p.exploration_trajectories, s.p.deterministic_eval, rng),
          b * n,
        );
      });
      const trialReturns = Float64Array.from(
        tasks,
        (_, b) => episodeReturns.subarray(b * n, (b + 1) * n).reduce((x, y) => x + y, 0),
      );
      return { trialReturns, episodeReturns };
    },
  };
}
