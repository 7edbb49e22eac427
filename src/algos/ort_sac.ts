/**
 * PEARL's gradient step on ONNX Runtime: the critic graph, Adam on both Q networks and the
 * encoder, the actor graph (with the stepped Q networks), Adam on the value network, the soft
 * target update, Adam on the policy: the order of `algos/sac_step.ts`'s host step, whose
 * numbers it matches to float32 rounding. Weights are fed as views of the flat parameter
 * vectors and gradients written into preallocated vectors of the same layout, so a step
 * allocates nothing of the networks' size; summation order is fixed by the graph and the
 * session's single thread, so a seed gives the same numbers every time.
 *
 * @module
 */
import type { DenseShape } from "./dense_mlp.ts";
import type { SacBatch, SacNoise, SacShapes, SacSizes } from "./sac_losses.ts";
import {
  adamOn,
  type NetworkName,
  norm,
  type SacHyper,
  type SacNets,
  type SacStepper,
  softUpdate,
} from "./sac_step.ts";
import { encodeModel } from "../compute/onnx_graph.ts";
import { denseLayout } from "./ort_dense.ts";
import { sacActorGraph, sacCriticGraph } from "./ort_sac_graphs.ts";
import type { OrtRuntime, OrtTensor } from "../compute/ort_runtime.ts";

type Tensors = Record<string, OrtTensor>;

/** Tensors `NAME_wL`, `NAME_bL` (with `prefix`) viewing a flat parameter vector's layers. */
function layerTensors(
  ort: OrtRuntime,
  shape: DenseShape,
  flat: Float32Array,
  name: string,
  into: Tensors,
): void {
  denseLayout(shape).forEach((l, k) => {
    into[`${name}_w${k}`] = ort.tensor(flat.subarray(l.wAt, l.bAt), l.w);
    into[`${name}_b${k}`] = ort.tensor(flat.subarray(l.bAt, l.bAt + l.b[0]!), l.b);
  });
}

/** The stepper of PEARL's networks on ONNX Runtime, its two sessions built once. */
export function ortSacStepper(
  ort: OrtRuntime,
  s: SacSizes,
  shapes: SacShapes,
  h: SacHyper,
): SacStepper {
  const constants = { gamma: h.gamma, klWeight: h.klWeight, reg: h.reg };
  const critic = ort.session(encodeModel(sacCriticGraph(s, shapes, constants), "pearl_critic"));
  const actor = ort.session(encodeModel(sacActorGraph(s, shapes, constants), "pearl_actor"));
  const shapeOf: Record<NetworkName, DenseShape> = {
    encoder: shapes.encoder,
    policy: shapes.policy,
    qf1: shapes.q,
    qf2: shapes.q,
    vf: shapes.v,
  };
  const grads = {} as Record<NetworkName, Float32Array>;
  const criticInto: Tensors = {}, actorInto: Tensors = {};
  for (
    const [name, into] of [
      ["qf1", criticInto],
      ["qf2", criticInto],
      ["encoder", criticInto],
      ["vf", actorInto],
      ["policy", actorInto],
    ] as const
  ) {
    grads[name] = new Float32Array(shapeOf[name].count);
    layerTensors(ort, shapeOf[name], grads[name], `g_${name}`, into);
  }
  const { obsDim: O, actionDim: A, latent: L, tasks: T } = s;
  const N = T * s.batch;
  const data = (name: string, rows: number, cols: number) => {
    const t = ort.tensor(new Float32Array(rows * cols), [rows, cols]);
    return [name, t] as const;
  };
  const batchTensors: Tensors = Object.fromEntries([
    data("context", T * s.context, O + A + 1),
    data("obs", N, O),
    data("actions", N, A),
    data("rewards", N, 1),
    data("next_obs", N, O),
    data("dones", N, 1),
    data("eps_z", T, L),
    data("eps_a", N, A),
  ]);
  const fill = (name: string, values: Float64Array) => batchTensors[name]!.data.set(values);
  const criticOut = [...Object.keys(criticInto), "z", "q_loss", "kl"];
  const actorOut = [...Object.keys(actorInto), "v_loss", "policy_loss", "entropy"];
  const scalar = (r: Tensors, name: string) => r[name]!.data[0]!;

  return (nets: SacNets, batch: SacBatch, noise: SacNoise) => {
    fill("context", batch.context);
    fill("obs", batch.obs);
    fill("actions", batch.actions);
    fill("rewards", batch.rewards);
    fill("next_obs", batch.nextObs);
    fill("dones", batch.dones);
    fill("eps_z", noise.latent);
    fill("eps_a", noise.action);
    const p = nets.params;
    const feeds: Tensors = {};
    for (const n of ["context", "obs", "actions", "rewards", "next_obs", "dones", "eps_z"]) {
      feeds[n] = batchTensors[n]!;
    }
    layerTensors(ort, shapes.encoder, p.encoder, "encoder", feeds);
    layerTensors(ort, shapes.q, p.qf1, "qf1", feeds);
    layerTensors(ort, shapes.q, p.qf2, "qf2", feeds);
    layerTensors(ort, shapes.v, nets.targetVf, "target_vf", feeds);
    const c = critic.run(feeds, criticOut, criticInto);
    adamOn(nets, "qf1", grads.qf1, h.lr.qf1);
    adamOn(nets, "qf2", grads.qf2, h.lr.qf2);
    adamOn(nets, "encoder", grads.encoder, h.lr.encoder);

    const actorFeeds: Tensors = { obs: batchTensors.obs!, eps_a: batchTensors.eps_a!, z: c.z! };
    layerTensors(ort, shapes.policy, p.policy, "policy", actorFeeds);
    layerTensors(ort, shapes.q, p.qf1, "qf1", actorFeeds);
    layerTensors(ort, shapes.q, p.qf2, "qf2", actorFeeds);
    layerTensors(ort, shapes.v, p.vf, "vf", actorFeeds);
    const a = actor.run(actorFeeds, actorOut, actorInto);
    adamOn(nets, "vf", grads.vf, h.lr.vf);
    softUpdate(nets, h.tau);
    adamOn(nets, "policy", grads.policy, h.lr.policy);
    return {
      qLoss: scalar(c, "q_loss"),
      kl: scalar(c, "kl"),
      vLoss: scalar(a, "v_loss"),
      policyLoss: scalar(a, "policy_loss"),
      entropy: scalar(a, "entropy"),
      policyGradNorm: norm(grads.policy),
    };
  };
}
