/**
 * PEARL acting in a task: the policy given z, the posterior q(z | c) from a context, and the
 * two ways it runs episodes — collecting training data into a task's replay buffers (the
 * authors' `collect_data`: z from the prior, or from the posterior of a context batch of the
 * task's encoder buffer inferred again after every trajectory) and its evaluation on a held-out
 * task (the authors' online `collect_paths`: the first `exploration` trajectories with z from
 * the prior, every later one with z from the posterior of all the context gathered so far).
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import type { EnvBatch, TaskFamily } from "../envs/env.ts";
import { hasDenseRewards } from "../envs/point_robot.ts";
import { denseForward, denseOutput } from "../algos/dense_mlp.ts";
import { type Posterior, productOfGaussians, sampleLatent } from "../algos/context_encoder.ts";
import type { ReplayBuffer } from "../algos/replay_buffer.ts";
import type { SacShapes } from "../algos/sac_losses.ts";
import type { SacNets } from "../algos/sac_step.ts";
import { LOG_STD_MAX, LOG_STD_MIN } from "../algos/tanh_gaussian.ts";

/** What acting needs: the family, the networks and the context settings. */
export interface PearlActor {
  /** The task family. */
  readonly family: TaskFamily;
  /** The networks' shapes. */
  readonly shapes: SacShapes;
  /** The networks. */
  readonly nets: SacNets;
  /** Latent size L. */
  readonly latent: number;
  /** Transitions of a context batch drawn from a task's encoder buffer. */
  readonly contextBatch: number;
  /** Whether the actor-critic learns from the task's dense reward when it reports one. */
  readonly denseForCritic: boolean;
}

/** The prior N(0, I). */
export function prior(latent: number): Posterior {
  return { mean: new Float64Array(latent), variance: new Float64Array(latent).fill(1) };
}

/** q(z | c) of `rows` context transitions `(o, a, r)`. */
export function posteriorOf(a: PearlActor, context: Float64Array, rows: number): Posterior {
  const out = denseOutput(denseForward(a.shapes.encoder, a.nets.params.encoder, context, rows));
  return productOfGaussians(out, rows, a.latent);
}

/** A draw of z from `q`. */
export function drawLatent(q: Posterior, rng: Rng): Float64Array {
  return sampleLatent(q, new Float64Array(q.mean.length).map(() => rng.normal()));
}

/** The policy's action at `obs` given z: tanh(μ), or tanh(μ + σ ε) when `rng` is given. */
export function act(
  a: PearlActor,
  obs: ArrayLike<number>,
  z: Float64Array,
  rng?: Rng,
): Float32Array {
  const O = a.family.obsDim, A = a.family.actionDim!;
  const input = new Float64Array(O + a.latent);
  for (let i = 0; i < O; i++) input[i] = obs[i]!;
  input.set(z, O);
  const out = denseOutput(denseForward(a.shapes.policy, a.nets.params.policy, input, 1));
  return Float32Array.from({ length: A }, (_, j) => {
    if (rng === undefined) return Math.tanh(out[j]!);
    const logStd = Math.min(LOG_STD_MAX, Math.max(LOG_STD_MIN, out[A + j]!));
    return Math.tanh(out[j]! + Math.exp(logStd) * rng.normal());
  });
}

/** One transition as an episode yields it. */
interface Step {
  obs: Float32Array;
  action: Float32Array;
  reward: number;
  denseReward: number;
  nextObs: Float32Array;
  terminal: number;
}

/** Runs one episode of slot 0's task; calls `onStep` for each transition; returns its return. */
function episode(
  a: PearlActor,
  env: EnvBatch,
  z: Float64Array,
  rng: Rng,
  stochastic: boolean,
  onStep: (s: Step) => void,
): number {
  const O = a.family.obsDim;
  env.resetEpisode(0, rng);
  const reward = new Float32Array(1), done = new Uint8Array(1), active = Uint8Array.of(1);
  let total = 0;
  for (let t = 1, ended = false; !ended; t++) {
    const obs = env.obs.slice(0, O);
    const action = act(a, obs, z, stochastic ? rng : undefined);
    env.step(action, active, rng, reward, done);
    const dense = hasDenseRewards(env) ? env.denseRewards[0]! : reward[0]!;
    ended = done[0] === 1;
    const terminal = ended && t < a.family.maxEpisodeSteps ? 1 : 0;
    onStep({
      obs,
      action,
      reward: reward[0]!,
      denseReward: dense,
      nextObs: env.obs.slice(0, O),
      terminal,
    });
    total += reward[0]!;
  }
  return total;
}

/** The context rows `(o, a, r)` of `n` transitions drawn from a task's encoder buffer. */
export function contextRows(
  buffer: ReplayBuffer,
  rng: Rng,
  n: number,
  out?: Float64Array,
  at = 0,
): Float64Array {
  const { obsDim: O, actionDim: A } = buffer;
  const rows = out ?? new Float64Array(n * (O + A + 1));
  const idx = buffer.sample(rng, n);
  for (let i = 0; i < n; i++) {
    const row = buffer.row(idx[i]!);
    const o = (at + i) * (O + A + 1);
    for (let c = 0; c < O + A; c++) rows[o + c] = row[c]!;
    rows[o + O + A] = row[O + A + 1]!;
  }
  return rows;
}

/** How one call of {@link collect} samples z. */
export type LatentSource = "prior" | "posterior";

/**
 * Collects whole episodes of `task` until at least `steps` transitions, into `rl` (and `enc`
 * unless `enc` is undefined); z from the prior, or from the posterior of a context batch of
 * `contextFrom` inferred after every episode. Returns the episodes' returns and steps.
 */
export function collect(
  a: PearlActor,
  env: EnvBatch,
  task: unknown,
  steps: number,
  source: LatentSource,
  buffers: { rl: ReplayBuffer; enc?: ReplayBuffer; contextFrom: ReplayBuffer },
  rng: Rng,
): { returns: number[]; steps: number } {
  env.setTask(0, task);
  const returns: number[] = [];
  let z = drawLatent(prior(a.latent), rng);
  let n = 0;
  while (n < steps) {
    returns.push(episode(a, env, z, rng, true, (s) => {
      n++;
      const reward = a.denseForCritic ? s.denseReward : s.reward;
      const t = { ...s, reward, contextReward: s.reward, done: s.terminal, action: s.action };
      buffers.rl.add(t);
      buffers.enc?.add(t);
    }));
    const from = buffers.contextFrom;
    const q = source === "posterior" && from.size > 0
      ? posteriorOf(a, contextRows(from, rng, a.contextBatch), a.contextBatch)
      : prior(a.latent);
    z = drawLatent(q, rng);
  }
  return { returns, steps: n };
}

/**
 * One held-out task's evaluation trial of `episodes` episodes: the first `exploration` with z
 * from the prior, then z from the posterior of every transition of the trial so far; actions
 * tanh(μ) when `deterministic`. Returns each episode's return.
 */
export function evaluateTask(
  a: PearlActor,
  env: EnvBatch,
  task: unknown,
  episodes: number,
  exploration: number,
  deterministic: boolean,
  rng: Rng,
): Float64Array {
  env.setTask(0, task);
  const O = a.family.obsDim, A = a.family.actionDim!;
  const context: number[] = [];
  return Float64Array.from({ length: episodes }, (_, e) => {
    const rows = context.length / (O + A + 1);
    const q = e < exploration || rows === 0
      ? prior(a.latent)
      : posteriorOf(a, Float64Array.from(context), rows);
    const z = drawLatent(q, rng);
    return episode(
      a,
      env,
      z,
      rng,
      !deterministic,
      (s) => context.push(...s.obs, ...s.action, s.reward),
    );
  });
}
