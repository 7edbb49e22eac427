/**
 * The RL² network: a GRU over the per-step input (observation, previous action one-hot,
 * previous reward, done flag), then a fully connected layer to the outputs (action logits for
 * the policy, one value for the baseline). Per the paper's appendix: orthogonal recurrent
 * weights, Xavier elsewhere, zero biases, weight normalisation on all weight matrices (or layer
 * normalisation of the gate pre-activations, or none).
 *
 * One step, from input x and state h (rows are trials; ⊙ is the elementwise product):
 *
 *     z  = σ(N_z(x·W_z + h·U_z) + b_z)            update gate
 *     r  = σ(N_r(x·W_r + h·U_r) + b_r)            reset gate
 *     n  = φ(N_n(x·W_n + r ⊙ (h·U_n)) + b_n)      candidate ("reset after" form)
 *     h' = n + z ⊙ (h − n)                        = (1 − z) ⊙ n + z ⊙ h
 *     y  = h'·W_o + b_o                           output
 *
 * where φ is tanh (the default) or ReLU (the paper's appendix and its authors' code), and N is
 * the identity, or layer normalisation N(s) = γ ⊙ ŝ + β with ŝ the standardised s.
 * Its backward pass, from ∂h' (the output's and the next step's contributions):
 *
 *     ∂n   = ∂h' ⊙ (1 − z) ⊙ φ'             then ∂s_n through N_n
 *            (φ' = 1 − n² for tanh, 1 where n > 0 for ReLU)
 *     ∂r   = ∂s_n ⊙ (h·U_n) ⊙ r(1 − r)      then ∂s_r through N_r
 *     ∂z   = ∂h' ⊙ (h − n) ⊙ z(1 − z)       then ∂s_z through N_z
 *     ∂(h·U_n) = ∂s_n ⊙ r
 *     ∂h   = ∂h' ⊙ z + ∂s_z·U_zᵀ + ∂s_r·U_rᵀ + ∂(h·U_n)·U_nᵀ
 *
 * and the weight gradients are sums over steps: ∂W = Σ xᵀ·∂s, ∂U_z = Σ hᵀ·∂s_z (for the
 * candidate, Σ hᵀ·∂(h·U_n)), ∂b = Σ ∂pre, ∂γ = Σ ∂pre ⊙ ŝ, ∂β = Σ ∂pre.
 *
 * The equations are written once, on the {@link Ops} of a compute backend.
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import type { Ops, Standardized } from "./ops.ts";
import { type Norm, sizeOf, type StepNetwork, type WeightRef } from "./network.ts";
import { type GainInit, ParamBuilder } from "./params.ts";

/** The GRU candidate's nonlinearity φ. */
export type Activation = "tanh" | "relu";

/** The weights of one gate. */
export interface GateWeights<T> {
  /** Input weights `[inputDim, H]`. */
  x: T;
  /** Recurrent weights `[H, H]`. */
  h: T;
  /** Bias `[H]`. */
  b: T;
  /** Layer normalisation's gain and shift `[H]` (layer normalisation only). */
  gain?: T;
  shift?: T;
}

/** The effective weights of a GRU network (normalisations applied). */
export interface GruWeights<T> {
  z: GateWeights<T>;
  r: GateWeights<T>;
  n: GateWeights<T>;
  /** Output layer `[H, outputDim]` and its bias. */
  out: { w: T; b: T };
  /** The candidate's nonlinearity. */
  activation: Activation;
}

/** The gates, in parameter order. */
export const GATES = ["z", "r", "n"] as const;
/** A gate's name. */
export type GateName = typeof GATES[number];

/** A GRU network's description: sizes, parameters and effective weights. */
export interface GruNetwork extends StepNetwork {
  /** The architecture. */
  readonly kind: "gru";
  /** GRU units. */
  readonly hidden: number;
  /** The candidate's nonlinearity. */
  readonly activation: Activation;
}

/** The effective weights in their canonical order (the order of {@link StepNetwork.weights}). */
export function gruWeightList<T>(w: Omit<GruWeights<T>, "activation">): T[] {
  const list: T[] = [];
  for (const g of GATES) {
    const gate = w[g];
    list.push(gate.x, gate.h, gate.b);
    if (gate.gain !== undefined) list.push(gate.gain, gate.shift!);
  }
  list.push(w.out.w, w.out.b);
  return list;
}

/** Names the effective weights of a list in canonical order, for a network's norm and φ. */
export function gruWeights<T>(
  list: readonly T[],
  net: { readonly norm: Norm; readonly activation: Activation },
): GruWeights<T> {
  const { norm } = net;
  let i = 0;
  const next = () => list[i++]!;
  const gate = (): GateWeights<T> => {
    const g: GateWeights<T> = { x: next(), h: next(), b: next() };
    if (norm === "layer") (g.gain = next(), g.shift = next());
    return g;
  };
  return {
    z: gate(),
    r: gate(),
    n: gate(),
    out: { w: next(), b: next() },
    activation: net.activation,
  };
}

/** What one step computes and its backward pass needs. */
export interface GruCell<T> {
  z: T;
  r: T;
  n: T;
  /** h·U_n, before the reset gate multiplies it. */
  hun: T;
  /** The next hidden state. */
  h: T;
  /** Per gate, with layer normalisation only: the standardised sums. */
  norm: Partial<Record<GateName, Standardized<T>>>;
}

/** The gradients of one step. */
export interface GruStepGrads<T> {
  /** ∂ of each gate's summed input (x·W + h·U, or x·W_n + r ⊙ h·U_n). */
  ds: Record<GateName, T>;
  /** ∂ of each gate's pre-activation (after normalisation and bias). */
  dpre: Record<GateName, T>;
  /** ∂(h·U_n). */
  dhun: T;
  /** ∂ of the previous hidden state. */
  dh: T;
}

/** A gate's pre-activation `N(s) + b`, keeping the standardised sum in `norm`. */
function preActivation<T>(
  ops: Ops<T>,
  gate: GateWeights<T>,
  s: T,
  name: GateName,
  norm: GruCell<T>["norm"],
): T {
  if (gate.gain === undefined) return ops.add(s, gate.b);
  const st = ops.standardize(s);
  norm[name] = st;
  return ops.add(ops.add(ops.mul(st.xhat, gate.gain), gate.shift!), gate.b);
}

/** One GRU step: from input rows `x` and state rows `h` to the gates and the next state. */
export function gruCell<T>(ops: Ops<T>, w: GruWeights<T>, x: T, h: T): GruCell<T> {
  const norm: GruCell<T>["norm"] = {};
  const sum = (g: GateWeights<T>) => ops.add(ops.matMul(x, g.x), ops.matMul(h, g.h));
  const z = ops.sigmoid(preActivation(ops, w.z, sum(w.z), "z", norm));
  const r = ops.sigmoid(preActivation(ops, w.r, sum(w.r), "r", norm));
  const hun = ops.matMul(h, w.n.h);
  const sN = ops.add(ops.matMul(x, w.n.x), ops.mul(r, hun));
  const preN = preActivation(ops, w.n, sN, "n", norm);
  const n = w.activation === "relu" ? ops.relu(preN) : ops.tanh(preN);
  return { z, r, n, hun, h: ops.add(n, ops.mul(z, ops.sub(h, n))), norm };
}

/** The output layer `y = h·W_o + b_o`. */
export function gruOutput<T>(ops: Ops<T>, w: GruWeights<T>, h: T): T {
  return ops.add(ops.matMul(h, w.out.w), w.out.b);
}

/**
 * One step back in time: from ∂h' (all that depends on the step's output state) to the gate
 * gradients and ∂h. `uT` holds the transposed recurrent weights U_zᵀ, U_rᵀ, U_nᵀ.
 */
export function gruCellBackward<T>(
  ops: Ops<T>,
  w: GruWeights<T>,
  uT: Record<GateName, T>,
  c: GruCell<T>,
  hPrev: T,
  dh: T,
): GruStepGrads<T> {
  const unnorm = (name: GateName, dpre: T) => {
    const st = c.norm[name];
    return st ? ops.standardizeBackward(ops.mul(dpre, w[name].gain!), st) : dpre;
  };
  const sigmoidBack = (d: T, s: T) => ops.mul(ops.mul(d, s), ops.rsub(1, s));
  const dhz = ops.mul(dh, c.z);
  const dphi = w.activation === "relu" ? ops.step(c.n) : ops.rsub(1, ops.square(c.n));
  const dpreN = ops.mul(ops.sub(dh, dhz), dphi);
  const dsN = unnorm("n", dpreN);
  const dpreR = sigmoidBack(ops.mul(dsN, c.hun), c.r);
  const dsR = unnorm("r", dpreR);
  const dpreZ = sigmoidBack(ops.mul(dh, ops.sub(hPrev, c.n)), c.z);
  const dsZ = unnorm("z", dpreZ);
  const dhun = ops.mul(dsN, c.r);
  const dhPrev = ops.addN([
    dhz,
    ops.matMul(dsZ, uT.z),
    ops.matMul(dsR, uT.r),
    ops.matMul(dhun, uT.n),
  ]);
  return {
    ds: { z: dsZ, r: dsR, n: dsN },
    dpre: { z: dpreZ, r: dpreR, n: dpreN },
    dhun,
    dh: dhPrev,
  };
}

/**
 * One gate's weight gradients over a block of rows (steps × trials): `xT` and `hT` are the
 * transposed inputs and previous states of those rows, the other arguments their per-row
 * gradients (`dhun` for the candidate's recurrent weights, `xhat` with layer normalisation).
 */
export function gateGradients<T>(
  ops: Ops<T>,
  xT: T,
  hT: T,
  ds: T,
  dpre: T,
  dRecurrent: T,
  xhat?: T,
): GateWeights<T> {
  const g: GateWeights<T> = {
    x: ops.matMul(xT, ds),
    h: ops.matMul(hT, dRecurrent),
    b: ops.sumRows(dpre),
  };
  if (xhat !== undefined) (g.gain = ops.sumRows(ops.mul(dpre, xhat)), g.shift = ops.sumRows(dpre));
  return g;
}

/**
 * A GRU network with `hidden` units.
 *
 * @example A policy for 5-armed bandits (input: placeholder 0, 5-way one-hot, reward, done)
 * ```ts
 * import { gruNetwork } from "./gru.ts";
 * const net = gruNetwork({ inputDim: 8, hidden: 16, outputDim: 5, norm: "weight" });
 * if (net.activation !== "tanh") throw new Error("tanh unless asked");
 * if (net.stateDim !== 16) throw new Error("state is the hidden layer");
 * ```
 */
export function gruNetwork(
  o: {
    inputDim: number;
    hidden: number;
    outputDim: number;
    norm: Norm;
    activation?: Activation;
    gainInit?: GainInit;
  },
): GruNetwork {
  const b = new ParamBuilder(o.gainInit);
  const H = o.hidden;
  const refs: WeightRef[] = [];
  for (const _ of GATES) {
    refs.push({ dense: b.dense(o.inputDim, H, "xavier", o.norm) });
    refs.push({ dense: b.dense(H, H, "orthogonal", o.norm) });
    refs.push({ param: b.vector(H, 0) });
    if (o.norm === "layer") refs.push({ param: b.vector(H, 1) }, { param: b.vector(H, 0) });
  }
  refs.push({ dense: b.dense(H, o.outputDim, "xavier", o.norm) }, {
    param: b.vector(o.outputDim, 0),
  });
  return {
    kind: "gru",
    hidden: H,
    activation: o.activation ?? "tanh",
    norm: o.norm,
    inputDim: o.inputDim,
    outputDim: o.outputDim,
    stateDim: H,
    shapes: b.shapes,
    size: sizeOf(b.shapes),
    weights: refs,
    init: (rng: Rng) => b.init(rng),
  };
}
