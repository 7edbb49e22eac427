/**
 * Generalised advantage estimation over RL² trials, on time-major arrays (`[t * B + b]`).
 * A trial is one column: advantages run across the episode boundaries inside it (the RL²
 * objective is the discounted return of the whole trial) and never across trials; the value
 * after a trial's last step is 0.
 *
 * @module
 */

/** Advantages and discounted returns-to-go of a batch of trials. */
export interface Advantages {
  /** GAE(γ, λ) advantage of every step; 0 where the mask is 0. */
  advantages: Float32Array;
  /** Discounted reward-to-go within the trial (the value targets); 0 where the mask is 0. */
  returns: Float32Array;
}

/**
 * GAE(γ, λ): Â_t = Σ_k (γλ)^k δ_{t+k}, δ_t = r_t + γ V_{t+1} − V_t, with V = 0 after the
 * trial's last valid step. Steps with mask 0 are padding after a trial ended.
 *
 * @example One trial of two steps with V = 0: the advantage is the discounted return
 * ```ts
 * import { gae } from "./gae.ts";
 * const r = new Float32Array([1, 1]);
 * const { advantages } = gae(r, new Float32Array(2), new Float32Array([1, 1]), 2, 1, 0.5, 1);
 * if (advantages[0] !== 1.5) throw new Error("1 + 0.5 · 1");
 * ```
 */
export function gae(
  rewards: Float32Array,
  values: Float32Array,
  mask: Float32Array,
  T: number,
  B: number,
  gamma: number,
  lambda: number,
): Advantages {
  const advantages = new Float32Array(T * B);
  const returns = new Float32Array(T * B);
  for (let b = 0; b < B; b++) {
    let nextValue = 0;
    let nextAdv = 0;
    let nextReturn = 0;
    for (let t = T - 1; t >= 0; t--) {
      const i = t * B + b;
      if (mask[i] === 0) {
        nextValue = nextAdv = nextReturn = 0;
        continue;
      }
      const delta = rewards[i]! + gamma * nextValue - values[i]!;
      nextAdv = delta + gamma * lambda * nextAdv;
      nextReturn = rewards[i]! + gamma * nextReturn;
      nextValue = values[i]!;
      advantages[i] = nextAdv;
      returns[i] = nextReturn;
    }
  }
  return { advantages, returns };
}

/** Standardises the masked entries of `x` in place (mean 0, std 1); padding stays 0. */
export function standardize(x: Float32Array, mask: Float32Array): void {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < x.length; i++) if (mask[i] !== 0) (n++, sum += x[i]!);
  const mean = sum / Math.max(n, 1);
  let ss = 0;
  for (let i = 0; i < x.length; i++) if (mask[i] !== 0) ss += (x[i]! - mean) ** 2;
  const std = Math.sqrt(ss / Math.max(n, 1)) + 1e-8;
  for (let i = 0; i < x.length; i++) x[i] = mask[i] !== 0 ? (x[i]! - mean) / std : 0;
}
