/**
 * PEARL's networks, their Adam states, and one gradient step in the authors' order
 * (`PEARLSoftActorCritic._take_step`): the critic and encoder step on the Q loss plus the
 * weighted KL; then the value step towards `min Q − log π` with the updated Q networks; the
 * soft update of the target value network; the policy step through ∂Q/∂a.
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import { adamInit, type AdamState, adamStep } from "./adam.ts";
import { denseInit, denseShape } from "./dense_mlp.ts";
import {
  criticLoss,
  minQ,
  policyActions,
  policyLoss,
  type SacBatch,
  type SacNoise,
  type SacShapes,
  type SacSizes,
  valueLoss,
} from "./sac_losses.ts";

/** The trained networks, by name. */
export const NETWORKS = ["encoder", "policy", "qf1", "qf2", "vf"] as const;
/** A trained network's name. */
export type NetworkName = typeof NETWORKS[number];

/** PEARL's parameters and optimiser states. */
export interface SacNets {
  /** Each trained network's flat parameters. */
  params: Record<NetworkName, Float32Array>;
  /** The target value network's parameters. */
  targetVf: Float32Array;
  /** Each trained network's Adam state. */
  adam: Record<NetworkName, AdamState>;
}

/** The hyperparameters of a gradient step. */
export interface SacHyper {
  /** Discount γ. */
  readonly gamma: number;
  /** Weight of the KL term. */
  readonly klWeight: number;
  /** Soft target update rate τ. */
  readonly tau: number;
  /** Learning rates. */
  readonly lr: Readonly<Record<NetworkName, number>>;
  /** Policy regularisers: weights of mean(μ²) and mean(log σ²). */
  readonly reg: { readonly mean: number; readonly std: number };
}

/** The shapes of PEARL's networks: `hidden` units in each network's hidden layers. */
export function sacShapes(
  obsDim: number,
  actionDim: number,
  latent: number,
  hidden: readonly number[],
  encoderHidden: readonly number[],
): SacShapes {
  return {
    encoder: denseShape([obsDim + actionDim + 1, ...encoderHidden, 2 * latent]),
    policy: denseShape([obsDim + latent, ...hidden, 2 * actionDim]),
    q: denseShape([obsDim + actionDim + latent, ...hidden, 1]),
    v: denseShape([obsDim + latent, ...hidden, 1]),
  };
}

/** Fresh networks (the target value network a copy of the value network). */
export function sacInit(shapes: SacShapes, rng: (name: NetworkName) => Rng): SacNets {
  const shape = {
    encoder: shapes.encoder,
    policy: shapes.policy,
    qf1: shapes.q,
    qf2: shapes.q,
    vf: shapes.v,
  };
  const params = Object.fromEntries(
    NETWORKS.map((n) => [n, denseInit(shape[n], rng(n))]),
  ) as Record<NetworkName, Float32Array>;
  const adam = Object.fromEntries(
    NETWORKS.map((n) => [n, adamInit(params[n].length)]),
  ) as Record<NetworkName, AdamState>;
  return { params, targetVf: params.vf.slice(), adam };
}

/** Standard normal draws for one step. */
export function sacNoise(s: SacSizes, rng: Rng): SacNoise {
  const latent = new Float64Array(s.tasks * s.latent).map(() => rng.normal());
  const action = new Float64Array(s.tasks * s.batch * s.actionDim).map(() => rng.normal());
  return { latent, action };
}

/** What a gradient step reports. */
export interface SacStepStats {
  /** Q loss. */
  qLoss: number;
  /** Σ_tasks KL of the posteriors. */
  kl: number;
  /** Value loss. */
  vLoss: number;
  /** Policy loss. */
  policyLoss: number;
  /** −mean log π of the new actions. */
  entropy: number;
  /** Norm of the policy loss's gradient. */
  policyGradNorm: number;
}

/** One gradient step of every network on a batch, at sizes and hyperparameters fixed before. */
export type SacStepper = (nets: SacNets, batch: SacBatch, noise: SacNoise) => SacStepStats;

/** An Adam step of network `name` down `grad`. */
export function adamOn(
  nets: SacNets,
  name: NetworkName,
  grad: Float32Array | Float64Array,
  lr: number,
): void {
  const g = grad instanceof Float32Array ? grad : Float32Array.from(grad);
  adamStep(nets.params[name], g, nets.adam[name], lr);
}

/** The soft update of the target value network towards the value network. */
export function softUpdate(nets: SacNets, tau: number): void {
  const v = nets.params.vf, t = nets.targetVf;
  for (let i = 0; i < v.length; i++) t[i] = t[i]! * (1 - tau) + v[i]! * tau;
}

/** The Euclidean norm of a gradient. */
export function norm(grad: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < grad.length; i++) s += grad[i]! * grad[i]!;
  return Math.sqrt(s);
}

/** {@link sacStep} at fixed sizes and hyperparameters: the host's stepper. */
export function hostSacStepper(s: SacSizes, shapes: SacShapes, h: SacHyper): SacStepper {
  return (nets, batch, noise) => sacStep(s, shapes, nets, batch, noise, h);
}

/** One gradient step of every network on `batch`, in the authors' order. */
export function sacStep(
  s: SacSizes,
  shapes: SacShapes,
  nets: SacNets,
  batch: SacBatch,
  noise: SacNoise,
  h: SacHyper,
): SacStepStats {
  const p = nets.params;
  const critic = criticLoss(
    s,
    shapes,
    { encoder: p.encoder, qf1: p.qf1, qf2: p.qf2, targetVf: nets.targetVf },
    batch,
    noise,
    h.gamma,
    h.klWeight,
  );
  const z = critic.inference.z;
  const policyIn = policyActions(s, shapes, p.policy, batch.obs, z, noise.action);
  adamOn(nets, "qf1", critic.gq1, h.lr.qf1);
  adamOn(nets, "qf2", critic.gq2, h.lr.qf2);
  adamOn(nets, "encoder", critic.gEncoder, h.lr.encoder);
  const q = minQ(s, shapes, [p.qf1, p.qf2], batch.obs, policyIn.sample.actions, z);
  const targets = q.value.map((v, r) => v - policyIn.sample.logProb[r]!);
  const value = valueLoss(s, shapes, p.vf, batch.obs, z, targets);
  adamOn(nets, "vf", value.grad, h.lr.vf);
  softUpdate(nets, h.tau);
  const pol = policyLoss(s, shapes, p.policy, policyIn, q, h.reg);
  adamOn(nets, "policy", pol.grad, h.lr.policy);
  const entropy = -policyIn.sample.logProb.reduce((a, b) => a + b, 0) / policyIn.sample.rows;
  return {
    qLoss: critic.qLoss,
    kl: critic.kl,
    vLoss: value.loss,
    policyLoss: pol.loss,
    entropy,
    policyGradNorm: norm(pol.grad),
  };
}
