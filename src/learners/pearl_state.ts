/**
 * PEARL's state in the harness's {@link LearnerState}: the policy and its Adam state in
 * `policy` / `policyOptimizer`, the value network and its Adam state in `value`, and everything
 * else (the encoder, both Q networks, the target value network, their Adam moments and step
 * counts, every task's two replay buffers) as named Float32Arrays in `extra`, so a checkpoint
 * holds all of it bit for bit. While training, the networks are used in place from those
 * arrays; the buffers live as {@link ReplayBuffer}s and are packed back after every iteration.
 *
 * @module
 */
import { ReplayBuffer } from "../algos/replay_buffer.ts";
import { type NetworkName, NETWORKS, type SacNets } from "../algos/sac_step.ts";
import type { AdamState } from "../algos/adam.ts";
import type { LearnerState } from "./state.ts";

/** What PEARL trains with: its networks and each training task's buffers. */
export interface PearlRuntime {
  /** The networks and their optimiser states. */
  nets: SacNets;
  /** Each training task's actor-critic buffer. */
  rl: ReplayBuffer[];
  /** Each training task's encoder (context) buffer. */
  enc: ReplayBuffer[];
}

/** The sizes a runtime's buffers are restored with. */
export interface BufferDims {
  /** Observation size. */
  readonly obsDim: number;
  /** Action size. */
  readonly actionDim: number;
  /** Rows a buffer holds at most. */
  readonly capacity: number;
  /** Training tasks. */
  readonly tasks: number;
}

const OTHERS = ["encoder", "qf1", "qf2"] as const;

/** A fresh state holding `runtime`. */
export function pearlState(runtime: PearlRuntime): LearnerState {
  const { nets } = runtime;
  const state: LearnerState = {
    iteration: 0,
    timesteps: 0,
    policy: nets.params.policy,
    policyOptimizer: nets.adam.policy,
    value: { params: nets.params.vf, adam: nets.adam.vf, mean: 0, std: 1 },
    extra: {},
  };
  syncExtra(state, runtime);
  return state;
}

/** Writes the runtime's buffers and step counts into `state.extra` (after an iteration). */
export function syncExtra(state: LearnerState, runtime: PearlRuntime): void {
  const { nets } = runtime;
  const extra: Record<string, Float32Array> = { target_vf: nets.targetVf };
  for (const n of OTHERS) {
    extra[n] = nets.params[n];
    extra[`${n}_adam_m`] = nets.adam[n].m;
    extra[`${n}_adam_v`] = nets.adam[n].v;
  }
  extra.adam_steps = Float32Array.from(OTHERS, (n) => nets.adam[n].t);
  runtime.rl.forEach((b, k) => extra[`rl_buffer_${k}`] = b.pack());
  runtime.enc.forEach((b, k) => extra[`enc_buffer_${k}`] = b.pack());
  state.extra = extra;
}

/** The runtime a (checkpointed) state holds. */
export function pearlRuntime(state: LearnerState, dims: BufferDims): PearlRuntime {
  const extra = state.extra;
  if (extra === undefined || state.policyOptimizer === undefined) {
    throw new Error("not a PEARL state: its networks and buffers are missing");
  }
  const get = (name: string) => {
    const a = extra[name];
    if (a === undefined) throw new Error(`PEARL state without "${name}"`);
    return a;
  };
  const params = { policy: state.policy, vf: state.value.params } as Record<
    NetworkName,
    Float32Array
  >;
  const adam = { policy: state.policyOptimizer, vf: state.value.adam } as Record<
    NetworkName,
    AdamState
  >;
  OTHERS.forEach((n, i) => {
    params[n] = get(n);
    adam[n] = { m: get(`${n}_adam_m`), v: get(`${n}_adam_v`), t: get("adam_steps")[i]! };
  });
  if (NETWORKS.some((n) => params[n] === undefined)) throw new Error("PEARL state incomplete");
  const buffers = (kind: string) =>
    Array.from(
      { length: dims.tasks },
      (_, k) =>
        ReplayBuffer.unpack(get(`${kind}_buffer_${k}`), dims.obsDim, dims.actionDim, dims.capacity),
    );
  return {
    nets: { params, targetVf: get("target_vf"), adam },
    rl: buffers("rl"),
    enc: buffers("enc"),
  };
}
