/**
 * PEARL's gradient step as two ONNX graphs, the same equations as `algos/sac_losses.ts` (which
 * stays the reference the tests hold these to):
 *
 * - **critic**: the encoder's posterior per task and its z, the target value, both Q losses and
 *   the KL, with the gradients of both Q networks and, through z, of the encoder;
 * - **actor**: the policy's reparameterised actions, min Q at them (with the Q networks the host
 *   has just stepped), the value loss towards `min Q − log π` and the policy loss, with the
 *   gradients of the value network and, through ∂Q/∂a, of the policy.
 *
 * Between the two the host steps the Q networks and the encoder, as the authors' `_take_step`
 * does. Inputs are float32, task-major; every network's layers are inputs `NET_wL`, `NET_bL`;
 * gradients are outputs `g_NET_wL`, `g_NET_bL`.
 *
 * @module
 */
import { Graph } from "../compute/onnx_graph.ts";
import {
  denseBackwardNodes,
  denseForwardNodes,
  type DenseInputs,
  denseInputs,
} from "./ort_dense.ts";
import type { SacShapes, SacSizes } from "./sac_losses.ts";
import { MIN_FACTOR_VARIANCE } from "./context_encoder.ts";
import { LOG_STD_MAX, LOG_STD_MIN } from "./tanh_gaussian.ts";

/** The constants the graphs are built with. */
export interface SacGraphConstants {
  /** Discount γ. */
  readonly gamma: number;
  /** Weight of the KL term. */
  readonly klWeight: number;
  /** Policy regularisers: weights of mean(μ²) and mean(log σ²). */
  readonly reg: { readonly mean: number; readonly std: number };
}

/** Small helpers over a graph. */
function helpers(g: Graph) {
  const c = (v: number) => g.constant([v]);
  const op = (name: string) => (...xs: string[]) => g.node(name, xs);
  return {
    c,
    add: op("Add"),
    sub: op("Sub"),
    mul: op("Mul"),
    /** Columns (or entries along `axis`) `[start, end)`. */
    slice: (x: string, start: number, end: number, axis: number) =>
      g.node("Slice", [x, g.ints([start]), g.ints([end]), g.ints([axis])]),
    concat: (xs: string[], axis: number) => g.node("Concat", xs, { axis }),
    sum: (x: string, axes: number[], keepdims = 1) =>
      g.node("ReduceSum", [x, g.ints(axes)], { keepdims }),
    sumAll: (x: string) => g.node("ReduceSum", [x], { keepdims: 0 }),
    meanAll: (x: string) => g.node("ReduceMean", [x], { keepdims: 0 }),
    /** z `[T, 1, L]` repeated for each of a task's B rows: `[T·B, L]`. */
    rowsOf: (z3: string, s: SacSizes) =>
      g.reshape(g.node("Expand", [z3, g.ints([s.tasks, s.batch, s.latent])]), [-1, s.latent]),
  };
}

/** Declares the gradients of a network as outputs. */
function gradientOutputs(g: Graph, name: string, grads: { w: string[]; b: string[] }): void {
  grads.w.forEach((v, l) => g.output(`g_${name}_w${l}`, v));
  grads.b.forEach((v, l) => g.output(`g_${name}_b${l}`, v));
}

function last(acts: readonly string[]): string {
  return acts[acts.length - 1]!;
}

/** The critic's graph: outputs `z`, `q_loss`, `kl` and the gradients of qf1, qf2, encoder. */
export function sacCriticGraph(s: SacSizes, shapes: SacShapes, k: SacGraphConstants): Graph {
  const { obsDim: O, actionDim: A, latent: L, tasks: T, context: C } = s;
  const N = T * s.batch;
  const g = new Graph("c");
  const h = helpers(g);
  const enc = denseInputs(g, "encoder", shapes.encoder);
  const qs = [denseInputs(g, "qf1", shapes.q), denseInputs(g, "qf2", shapes.q)];
  const targetVf = denseInputs(g, "target_vf", shapes.v);
  const context = g.input("context", [T * C, O + A + 1]);
  const obs = g.input("obs", [N, O]);
  const actions = g.input("actions", [N, A]);
  const rewards = g.input("rewards", [N, 1]);
  const nextObs = g.input("next_obs", [N, O]);
  const dones = g.input("dones", [N, 1]);
  const eps = g.reshape(g.input("eps_z", [T, L]), [T, 1, L]);

  // The posterior: a product of Gaussian factors per task (context_encoder.ts).
  const encActs = denseForwardNodes(g, enc, context);
  const raw = g.reshape(last(encActs), [T, C, 2 * L]);
  const mu = h.slice(raw, 0, L, 2);
  const sRaw = h.slice(raw, L, 2 * L, 2);
  const sp = g.node("Softplus", [sRaw]);
  const factorVar = g.node("Max", [sp, h.c(MIN_FACTOR_VARIANCE)]);
  const prec = g.node("Reciprocal", [factorVar]);
  const precision = h.sum(prec, [1]);
  const variance = g.node("Reciprocal", [precision]);
  const mean = h.mul(h.sum(h.mul(mu, prec), [1]), variance);
  const sd = g.node("Sqrt", [variance]);
  const z3 = h.add(mean, h.mul(sd, eps));
  g.output("z", g.reshape(z3, [T, L]), [T, L]);
  const klTerms = h.sub(
    h.add(variance, h.mul(mean, mean)),
    h.add(h.c(1), g.node("Log", [variance])),
  );
  g.output("kl", h.mul(h.c(0.5), h.sumAll(klTerms)), []);

  // Bellman targets and both Q losses, their gradients into the Q networks and z.
  const zRows = h.rowsOf(z3, s);
  const qIn = h.concat([obs, actions, zRows], 1);
  const target = last(denseForwardNodes(g, targetVf, h.concat([nextObs, zRows], 1)));
  const y = h.add(rewards, h.mul(h.sub(h.c(1), dones), h.mul(h.c(k.gamma), target)));
  const losses: string[] = [], dzs: string[] = [];
  qs.forEach((q, i) => {
    const acts = denseForwardNodes(g, q, qIn);
    const e = h.sub(last(acts), y);
    losses.push(h.meanAll(h.mul(e, e)));
    const back = denseBackwardNodes(g, q, acts, h.mul(e, h.c(2 / N)), {
      params: true,
      input: true,
    });
    gradientOutputs(g, `qf${i + 1}`, back);
    dzs.push(h.slice(back.input!, O + A, O + A + L, 1));
  });
  g.output("q_loss", h.add(losses[0]!, losses[1]!), []);
  const dz = h.sum(g.reshape(h.add(dzs[0]!, dzs[1]!), [T, s.batch, L]), [1]);

  // Into the encoder through the posterior (context_encoder.ts, posteriorBackward).
  const kl = h.c(k.klWeight);
  const dMean = h.add(dz, h.mul(kl, mean));
  const dVar = h.add(
    h.mul(h.mul(dz, eps), g.node("Reciprocal", [h.mul(h.c(2), sd)])),
    h.mul(h.c(0.5 * k.klWeight), h.sub(h.c(1), precision)),
  );
  const dMu = h.mul(h.mul(dMean, variance), prec);
  const dFactor = h.mul(
    h.add(
      h.mul(h.mul(dMean, variance), h.sub(mean, mu)),
      h.mul(dVar, h.mul(variance, variance)),
    ),
    h.mul(prec, prec),
  );
  const clamped = g.node("Less", [sp, h.c(MIN_FACTOR_VARIANCE)]);
  const dSRaw = g.node("Where", [
    clamped,
    h.c(0),
    h.mul(dFactor, g.node("Sigmoid", [sRaw])),
  ]);
  const dRaw = g.reshape(h.concat([dMu, dSRaw], 2), [T * C, 2 * L]);
  gradientOutputs(
    g,
    "encoder",
    denseBackwardNodes(g, enc, encActs, dRaw, { params: true, input: false }),
  );
  return g;
}

/**
 * The actor's graph: outputs `v_loss`, `policy_loss`, `entropy` and the gradients of vf and
 * policy.
 */
export function sacActorGraph(s: SacSizes, shapes: SacShapes, k: SacGraphConstants): Graph {
  const { obsDim: O, actionDim: A, latent: L, tasks: T } = s;
  const N = T * s.batch;
  const g = new Graph("a");
  const h = helpers(g);
  const policy = denseInputs(g, "policy", shapes.policy);
  const qs: DenseInputs[] = [denseInputs(g, "qf1", shapes.q), denseInputs(g, "qf2", shapes.q)];
  const vf = denseInputs(g, "vf", shapes.v);
  const obs = g.input("obs", [N, O]);
  const zRows = h.rowsOf(g.reshape(g.input("z", [T, L]), [T, 1, L]), s);
  const eps = g.input("eps_a", [N, A]);

  // The policy's reparameterised actions and log π (tanh_gaussian.ts).
  const obsZ = h.concat([obs, zRows], 1);
  const pActs = denseForwardNodes(g, policy, obsZ);
  const out = last(pActs);
  const mu = h.slice(out, 0, A, 1);
  const rawLogStd = h.slice(out, A, 2 * A, 1);
  const logStd = g.node("Clip", [rawLogStd, h.c(LOG_STD_MIN), h.c(LOG_STD_MAX)]);
  const std = g.node("Exp", [logStd]);
  const a = g.node("Tanh", [h.add(mu, h.mul(std, eps))]);
  const dTanh = h.sub(h.c(1), h.mul(a, a));
  const perCoordinate = h.add(
    h.add(h.mul(h.c(0.5), h.mul(eps, eps)), logStd),
    h.add(h.c(0.5 * Math.log(2 * Math.PI)), g.node("Log", [h.add(dTanh, h.c(1e-6))])),
  );
  const logProb = g.node("Neg", [h.sum(perCoordinate, [1])]);
  g.output("entropy", g.node("Neg", [h.meanAll(logProb)]), []);

  // min Q at the new actions, the value loss towards min Q − log π.
  const qIn = h.concat([obs, a, zRows], 1);
  const qActs = qs.map((q) => denseForwardNodes(g, q, qIn));
  const [q1, q2] = qActs.map(last) as [string, string];
  const minQ = g.node("Min", [q1, q2]);
  const vActs = denseForwardNodes(g, vf, obsZ);
  const e = h.sub(last(vActs), h.sub(minQ, logProb));
  g.output("v_loss", h.meanAll(h.mul(e, e)), []);
  gradientOutputs(
    g,
    "vf",
    denseBackwardNodes(g, vf, vActs, h.mul(e, h.c(2 / N)), { params: true, input: false }),
  );

  // The policy loss and its gradient through ∂(min Q)/∂a and log π.
  const n = N * A;
  const reg = h.add(
    h.mul(h.c(k.reg.mean / n), h.sumAll(h.mul(mu, mu))),
    h.mul(h.c(k.reg.std / n), h.sumAll(h.mul(logStd, logStd))),
  );
  g.output("policy_loss", h.add(h.meanAll(h.sub(logProb, minQ)), reg), []);
  const first = g.node("LessOrEqual", [q1, q2]);
  const dMin = [
    g.node("Where", [first, h.c(-1 / N), h.c(0)]),
    g.node("Where", [first, h.c(0), h.c(-1 / N)]),
  ];
  const dIn = qs.map((q, i) =>
    denseBackwardNodes(g, q, qActs[i]!, dMin[i]!, { params: false, input: true }).input!
  );
  const dAction = h.add(h.slice(dIn[0]!, O, O + A, 1), h.slice(dIn[1]!, O, O + A, 1));
  const dCorrection = h.mul(
    h.mul(h.c(2), h.mul(a, dTanh)),
    g.node("Reciprocal", [h.add(dTanh, h.c(1e-6))]),
  );
  const du = h.add(h.mul(h.c(1 / N), dCorrection), h.mul(dAction, dTanh));
  const dMu = h.add(du, h.mul(h.c(2 * k.reg.mean / n), mu));
  const dLogStd = h.add(
    h.add(h.c(-1 / N), h.mul(du, h.mul(std, eps))),
    h.mul(h.c(2 * k.reg.std / n), logStd),
  );
  const outside = g.node("Or", [
    g.node("Less", [rawLogStd, h.c(LOG_STD_MIN)]),
    g.node("Greater", [rawLogStd, h.c(LOG_STD_MAX)]),
  ]);
  const dOut = h.concat([dMu, g.node("Where", [outside, h.c(0), dLogStd])], 1);
  gradientOutputs(
    g,
    "policy",
    denseBackwardNodes(g, policy, pActs, dOut, { params: true, input: false }),
  );
  return g;
}
