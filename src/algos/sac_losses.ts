/**
 * The losses of one PEARL gradient step (Rakelly et al. 2019, §4.2–4.3; the authors'
 * `PEARLSoftActorCritic._take_step`), each with its gradients from the hand-written backward
 * passes of `dense_mlp.ts`:
 *
 * - critic: `mean((Q₁(s, a, z) − y)²) + mean((Q₂(s, a, z) − y)²)` with
 *   `y = scale · r + (1 − d) γ V̄(s′, z)`, plus `klWeight · Σ_tasks KL(q(z | c) ‖ N(0, I))`; its
 *   gradient reaches the Q networks and, through z, the context encoder (the only loss that
 *   trains the encoder);
 * - value: `mean((V(s, z) − (min Q(s, ã, z) − log π(ã | s, z)))²)`, ã drawn from the policy;
 * - policy: `mean(log π(ã | s, z) − min Q(s, ã, z))` plus the mean and log-std regularisers,
 *   its gradient taken through ã (∂Q/∂a).
 *
 * The policy, Q and V networks see z detached (no gradient into the encoder).
 *
 * @module
 */
import { denseBackward, denseForward, denseOutput, type DenseShape } from "./dense_mlp.ts";
import {
  klToPrior,
  type Posterior,
  posteriorBackward,
  productOfGaussians,
  sampleLatent,
} from "./context_encoder.ts";
import {
  tanhGaussianBackward,
  type TanhGaussianSample,
  tanhGaussianSample,
} from "./tanh_gaussian.ts";

/** The sizes and constants of PEARL's losses. */
export interface SacSizes {
  /** Observation size. */
  readonly obsDim: number;
  /** Action size. */
  readonly actionDim: number;
  /** Latent size L. */
  readonly latent: number;
  /** Tasks in the meta-batch. */
  readonly tasks: number;
  /** Transitions per task in the actor-critic batch. */
  readonly batch: number;
  /** Transitions per task in the context batch. */
  readonly context: number;
}

/** The networks' shapes. */
export interface SacShapes {
  /** Context encoder: (o, a, r) → 2L. */
  readonly encoder: DenseShape;
  /** Policy: (o, z) → 2A. */
  readonly policy: DenseShape;
  /** Each Q: (o, a, z) → 1. */
  readonly q: DenseShape;
  /** V and its target: (o, z) → 1. */
  readonly v: DenseShape;
}

/** One step's data: a context and an actor-critic batch per task, task-major. */
export interface SacBatch {
  /** Context transitions `(o, a, r)`, `tasks × context × (O + A + 1)`. */
  readonly context: Float64Array;
  /** Observations, `tasks × batch × O`. */
  readonly obs: Float64Array;
  /** Actions taken, `tasks × batch × A`. */
  readonly actions: Float64Array;
  /** Rewards, already multiplied by the reward scale. */
  readonly rewards: Float64Array;
  /** Next observations. */
  readonly nextObs: Float64Array;
  /** 1 where the episode terminated. */
  readonly dones: Float64Array;
}

/** The standard normal draws of one step. */
export interface SacNoise {
  /** ε of each task's z, `tasks × L`. */
  readonly latent: Float64Array;
  /** ε of each row's new action, `tasks × batch × A`. */
  readonly action: Float64Array;
}

/** Rows `[x_r, z_task(r)]` (then `extra` columns between, when given) for every batch row. */
export function withLatent(
  s: SacSizes,
  parts: readonly { data: Float64Array; width: number }[],
  z: readonly Float64Array[],
): Float64Array {
  const rows = s.tasks * s.batch;
  const width = parts.reduce((w, p) => w + p.width, 0) + s.latent;
  const out = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) {
    let c = r * width;
    for (const p of parts) for (let i = 0; i < p.width; i++) out[c++] = p.data[r * p.width + i]!;
    const zt = z[Math.floor(r / s.batch)]!;
    for (let k = 0; k < s.latent; k++) out[c++] = zt[k]!;
  }
  return out;
}

/** The encoder's posterior per task and its draw of z. */
export interface Inference {
  /** The encoder's raw outputs for every context row. */
  readonly raw: Float64Array;
  /** Each task's posterior. */
  readonly posteriors: Posterior[];
  /** Each task's z. */
  readonly z: Float64Array[];
}

/** Infers each task's posterior from its context and draws its z. */
export function infer(
  s: SacSizes,
  shapes: SacShapes,
  encoder: Float32Array,
  context: Float64Array,
  eps: Float64Array,
): Inference & { cache: ReturnType<typeof denseForward> } {
  const cache = denseForward(shapes.encoder, encoder, context, s.tasks * s.context);
  const raw = denseOutput(cache);
  const L = s.latent, width = 2 * L * s.context;
  const posteriors = Array.from(
    { length: s.tasks },
    (_, t) => productOfGaussians(raw.subarray(t * width, (t + 1) * width), s.context, L),
  );
  const z = posteriors.map((p, t) => sampleLatent(p, eps.subarray(t * L, (t + 1) * L)));
  return { raw, posteriors, z, cache };
}

/** The critic's loss and the gradients of both Q networks and of the encoder. */
export interface CriticResult {
  /** Q loss plus the weighted KL. */
  loss: number;
  /** The Q loss alone. */
  qLoss: number;
  /** Σ_tasks KL(q(z | c) ‖ N(0, I)). */
  kl: number;
  /** Gradients. */
  gq1: Float64Array;
  /** Gradient of Q₂'s parameters. */
  gq2: Float64Array;
  /** Gradient of the encoder's parameters. */
  gEncoder: Float64Array;
  /** The inference the step continues with. */
  inference: Inference;
}

/** The critic (and encoder) loss with its gradients. */
export function criticLoss(
  s: SacSizes,
  shapes: SacShapes,
  nets: { encoder: Float32Array; qf1: Float32Array; qf2: Float32Array; targetVf: Float32Array },
  batch: SacBatch,
  noise: SacNoise,
  gamma: number,
  klWeight: number,
): CriticResult {
  const { obsDim: O, actionDim: A, latent: L } = s;
  const inf = infer(s, shapes, nets.encoder, batch.context, noise.latent);
  const rows = s.tasks * s.batch;
  const qIn = withLatent(
    s,
    [{ data: batch.obs, width: O }, { data: batch.actions, width: A }],
    inf.z,
  );
  const vIn = withLatent(s, [{ data: batch.nextObs, width: O }], inf.z);
  const target = denseOutput(denseForward(shapes.v, nets.targetVf, vIn, rows));
  const y = target.map((v, r) => batch.rewards[r]! + (1 - batch.dones[r]!) * gamma * v);
  let qLoss = 0;
  const dz = inf.z.map(() => new Float64Array(L));
  const grads = [nets.qf1, nets.qf2].map((q) => {
    const cache = denseForward(shapes.q, q, qIn, rows);
    const out = denseOutput(cache);
    const d = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const e = out[r]! - y[r]!;
      qLoss += e * e / rows;
      d[r] = 2 * e / rows;
    }
    const g = new Float64Array(shapes.q.count);
    const dIn = denseBackward(shapes.q, q, cache, d, g);
    const w = O + A + L;
    for (let r = 0; r < rows; r++) {
      const dzt = dz[Math.floor(r / s.batch)]!;
      for (let k = 0; k < L; k++) dzt[k] = dzt[k]! + dIn[r * w + O + A + k]!;
    }
    return g;
  });
  const kl = inf.posteriors.reduce((sum, p) => sum + klToPrior(p), 0);
  const width = 2 * L * s.context;
  const dRaw = new Float64Array(inf.raw.length);
  inf.posteriors.forEach((p, t) => {
    const range = [t * width, (t + 1) * width] as const;
    const eps = noise.latent.subarray(t * L, (t + 1) * L);
    dRaw.set(
      posteriorBackward(inf.raw.subarray(...range), s.context, L, p, eps, dz[t]!, klWeight),
      range[0],
    );
  });
  const gEncoder = new Float64Array(shapes.encoder.count);
  denseBackward(shapes.encoder, nets.encoder, inf.cache, dRaw, gEncoder);
  return {
    loss: qLoss + klWeight * kl,
    qLoss,
    kl,
    gq1: grads[0]!,
    gq2: grads[1]!,
    gEncoder,
    inference: inf,
  };
}

/** The policy's new actions on the batch, with what their backward pass needs. */
export interface PolicyActions {
  /** The policy network's input rows (o, z). */
  readonly input: Float64Array;
  /** Its forward pass. */
  readonly cache: ReturnType<typeof denseForward>;
  /** The actions and their log-probabilities. */
  readonly sample: TanhGaussianSample;
}

/** The policy's reparameterised actions at the batch's observations. */
export function policyActions(
  s: SacSizes,
  shapes: SacShapes,
  policy: Float32Array,
  obs: Float64Array,
  z: readonly Float64Array[],
  eps: Float64Array,
): PolicyActions {
  const input = withLatent(s, [{ data: obs, width: s.obsDim }], z);
  const cache = denseForward(shapes.policy, policy, input, s.tasks * s.batch);
  return {
    input,
    cache,
    sample: tanhGaussianSample(denseOutput(cache), cache.rows, s.actionDim, eps),
  };
}

/** min(Q₁, Q₂) at (o, ã, z) and the gradient of `Σ_r dMin_r · min_r` with respect to ã. */
export function minQ(
  s: SacSizes,
  shapes: SacShapes,
  qs: readonly [Float32Array, Float32Array],
  obs: Float64Array,
  actions: Float64Array,
  z: readonly Float64Array[],
): { value: Float64Array; actionGrad: (dMin: Float64Array) => Float64Array } {
  const { obsDim: O, actionDim: A, latent: L } = s;
  const rows = s.tasks * s.batch;
  const input = withLatent(s, [{ data: obs, width: O }, { data: actions, width: A }], z);
  const caches = qs.map((q) => denseForward(shapes.q, q, input, rows));
  const [q1, q2] = caches.map(denseOutput) as [Float64Array, Float64Array];
  const value = q1.map((v, r) => Math.min(v, q2[r]!));
  const actionGrad = (dMin: Float64Array) => {
    const out = new Float64Array(rows * A);
    caches.forEach((cache, i) => {
      const d = dMin.map((g, r) => (i === 0) === (q1[r]! <= q2[r]!) ? g : 0);
      const dIn = denseBackward(shapes.q, qs[i]!, cache, d);
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < A; j++) {
          out[r * A + j] = out[r * A + j]! + dIn[r * (O + A + L) + O + j]!;
        }
      }
    });
    return out;
  };
  return { value, actionGrad };
}

/** The value loss and its gradient, given the targets `min Q − log π`. */
export function valueLoss(
  s: SacSizes,
  shapes: SacShapes,
  vf: Float32Array,
  obs: Float64Array,
  z: readonly Float64Array[],
  targets: Float64Array,
): { loss: number; grad: Float64Array } {
  const rows = s.tasks * s.batch;
  const cache = denseForward(
    shapes.v,
    vf,
    withLatent(s, [{ data: obs, width: s.obsDim }], z),
    rows,
  );
  const out = denseOutput(cache);
  let loss = 0;
  const d = out.map((v, r) => {
    const e = v - targets[r]!;
    loss += e * e / rows;
    return 2 * e / rows;
  });
  const grad = new Float64Array(shapes.v.count);
  denseBackward(shapes.v, vf, cache, d, grad);
  return { loss, grad };
}

/** The policy loss and its gradient through ã and log π. */
export function policyLoss(
  s: SacSizes,
  shapes: SacShapes,
  policy: Float32Array,
  actions: PolicyActions,
  q: ReturnType<typeof minQ>,
  reg: { mean: number; std: number },
): { loss: number; grad: Float64Array } {
  const rows = s.tasks * s.batch, A = s.actionDim;
  const out = denseOutput(actions.cache);
  let loss = 0, mean2 = 0, logStd2 = 0;
  for (let r = 0; r < rows; r++) {
    loss += (actions.sample.logProb[r]! - q.value[r]!) / rows;
    for (let j = 0; j < A; j++) {
      mean2 += out[r * 2 * A + j]! ** 2;
      logStd2 += Math.min(2, Math.max(-20, out[r * 2 * A + A + j]!)) ** 2;
    }
  }
  loss += (reg.mean * mean2 + reg.std * logStd2) / (rows * A);
  const dAction = q.actionGrad(new Float64Array(rows).fill(-1 / rows));
  const dLogProb = new Float64Array(rows).fill(1 / rows);
  const dOut = tanhGaussianBackward(out, actions.sample, A, dLogProb, dAction, reg.mean, reg.std);
  const grad = new Float64Array(shapes.policy.count);
  denseBackward(shapes.policy, policy, actions.cache, dOut, grad);
  return { loss, grad };
}
