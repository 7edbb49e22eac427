/**
 * The advantages of MAML's reference implementations: discounted returns within each episode,
 * a linear feature baseline fitted on the batch itself (rllab's `LinearFeatureBaseline`, as
 * the MAML authors' code and pytorch-maml-rl fit one per task before computing advantages),
 * and GAE(γ, λ) within each episode against it (λ = 1: returns minus baseline).
 *
 * The baseline's features of step t of an episode with observation o are
 * [clip(o, −10, 10), clip(o, −10, 10)², t/100, (t/100)², (t/100)³, 1]; its weights solve the
 * ridge regression (FᵀF + cI) w = Fᵀ R with c = 1e-5, multiplied by 10 until the solution is
 * finite (at most 5 times), as rllab does.
 *
 * @module
 */
import type { TrialInputs } from "./unroll.ts";

/** What the advantages are computed from: trials with their rewards and episode ends. */
export interface RewardedTrials extends TrialInputs {
  /** `T × B` rewards. */
  readonly rewards: Float32Array;
  /** `T × B`: 1 at the last step of an episode. */
  readonly episodeEnds: Uint8Array;
}

/** Discounted return-to-go of every step within its episode (0 on padding). */
export function episodeReturns(data: RewardedTrials, gamma: number): Float64Array {
  const { T, B } = data;
  const out = new Float64Array(T * B);
  for (let b = 0; b < B; b++) {
    let ret = 0;
    for (let t = T - 1; t >= 0; t--) {
      const i = t * B + b;
      if (data.mask[i] === 0) continue;
      if (data.episodeEnds[i] === 1) ret = 0;
      ret = data.rewards[i]! + gamma * ret;
      out[i] = ret;
    }
  }
  return out;
}

/** The baseline's feature rows (`T × B × (2·obsDim + 4)`) from the first `obsDim` inputs. */
function features(data: TrialInputs, obsDim: number): { F: Float64Array; k: number } {
  const { T, B } = data;
  const D = data.inputs.length / (T * B);
  const k = 2 * obsDim + 4;
  const F = new Float64Array(T * B * k);
  const episodeEnds = (data as Partial<RewardedTrials>).episodeEnds;
  for (let b = 0; b < B; b++) {
    let step = 0;
    for (let t = 0; t < T; t++) {
      const i = t * B + b;
      if (data.mask[i] === 0) continue;
      const row = F.subarray(i * k, (i + 1) * k);
      for (let j = 0; j < obsDim; j++) {
        const o = Math.min(10, Math.max(-10, data.inputs[i * D + j]!));
        row[j] = o;
        row[obsDim + j] = o * o;
      }
      const a = step / 100;
      row[2 * obsDim] = a;
      row[2 * obsDim + 1] = a * a;
      row[2 * obsDim + 2] = a * a * a;
      row[2 * obsDim + 3] = 1;
      step = episodeEnds?.[i] === 1 ? 0 : step + 1;
    }
  }
  return { F, k };
}

/** Solves the symmetric positive definite system `M x = y` (`n × n`) by Cholesky. */
function solveSpd(M: Float64Array, y: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = M[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      L[i * n + j] = i === j ? Math.sqrt(s) : s / L[j * n + j]!;
    }
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = y[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * z[k]!;
    z[i] = s / L[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
  return x;
}

/**
 * The linear feature baseline fitted to `targets` over the valid steps of `data`, and its
 * predictions at every step (0 on padding).
 */
export function fitLinearBaseline(
  data: TrialInputs & { readonly episodeEnds?: Uint8Array },
  obsDim: number,
  targets: ArrayLike<number>,
): Float64Array {
  const { F, k } = features(data, obsDim);
  const FtF = new Float64Array(k * k);
  const FtR = new Float64Array(k);
  for (let i = 0; i < data.mask.length; i++) {
    if (data.mask[i] === 0) continue;
    for (let r = 0; r < k; r++) {
      const fr = F[i * k + r]!;
      FtR[r]! += fr * targets[i]!;
      for (let c = 0; c < k; c++) FtF[r * k + c]! += fr * F[i * k + c]!;
    }
  }
  let w: Float64Array = new Float64Array(k);
  for (let attempt = 0, c = 1e-5; attempt < 5; attempt++, c *= 10) {
    const M = FtF.slice();
    for (let r = 0; r < k; r++) M[r * k + r]! += c;
    w = solveSpd(M, FtR, k);
    if (w.every(Number.isFinite)) break;
  }
  const out = new Float64Array(data.mask.length);
  for (let i = 0; i < out.length; i++) {
    if (data.mask[i] === 0) continue;
    let v = 0;
    for (let r = 0; r < k; r++) v += w[r]! * F[i * k + r]!;
    out[i] = v;
  }
  return out;
}

/**
 * GAE(γ, λ) advantages within each episode against a linear feature baseline fitted on this
 * batch's discounted returns; standardised over the valid steps when `normalize`.
 */
export function linearBaselineAdvantages(
  data: RewardedTrials,
  obsDim: number,
  gamma: number,
  lambda: number,
  normalize: boolean,
): Float32Array {
  const { T, B } = data;
  const values = fitLinearBaseline(data, obsDim, episodeReturns(data, gamma));
  const adv = new Float32Array(T * B);
  for (let b = 0; b < B; b++) {
    let next = 0;
    let running = 0;
    for (let t = T - 1; t >= 0; t--) {
      const i = t * B + b;
      if (data.mask[i] === 0) continue;
      if (data.episodeEnds[i] === 1) (next = 0, running = 0);
      const delta = data.rewards[i]! + gamma * next - values[i]!;
      running = delta + gamma * lambda * running;
      adv[i] = running;
      next = values[i]!;
    }
  }
  if (normalize) {
    let n = 0, mean = 0, sq = 0;
    for (let i = 0; i < adv.length; i++) if (data.mask[i] !== 0) (n++, mean += adv[i]!);
    mean /= n;
    for (let i = 0; i < adv.length; i++) if (data.mask[i] !== 0) sq += (adv[i]! - mean) ** 2;
    const std = Math.sqrt(sq / n) + 1e-8;
    for (let i = 0; i < adv.length; i++) if (data.mask[i] !== 0) adv[i] = (adv[i]! - mean) / std;
  }
  return adv;
}
