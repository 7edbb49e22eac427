/**
 * The value baseline: a network of the policy's shape with one output, fitted by Adam to the
 * discounted returns-to-go of every batch (targets standardised per fit by default, as rllab's
 * baselines do; raw with `normalize_targets: false`), and used for GAE on the next batch.
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import type { StepNetwork } from "../policies/network.ts";
import { adamInit, type AdamState, adamStep } from "./adam.ts";
import { backprop, forwardOutputs, type TrialInputs } from "./unroll.ts";
import { selectColumns, trialRange } from "../compute/trials.ts";
import { clipGradValues } from "./minibatch.ts";
import type { ValueFitConfig } from "../settings/agent.ts";
import { inPhase, timed } from "../compute/profile.ts";
export type { ValueFitConfig };

/** The baseline's parameters, optimiser state and target scaling. */
export interface ValueState {
  /** The value network's parameters, one flat vector. */
  params: Float32Array;
  /** Adam's state for those parameters. */
  adam: AdamState;
  /** Mean of the last fit's targets (the network predicts standardised returns); 0 when raw. */
  mean: number;
  /** Standard deviation of the last fit's targets; 1 when raw. */
  std: number;
}

/** A fresh baseline. */
export function valueInit(net: StepNetwork, rng: Rng): ValueState {
  return { params: net.init(rng), adam: adamInit(net.size), mean: 0, std: 1 };
}

/** V at every step, `T × B`, in return units. */
export function predictValues(
  net: StepNetwork,
  state: ValueState,
  data: TrialInputs,
  chunkTrials: number,
): Float32Array {
  const out = forwardOutputs(net, state.params, data, chunkTrials);
  return out.map((v) => v * state.std + state.mean);
}

/**
 * Fits the baseline to `targets` (`T × B`) for `epochs` passes of `minibatches` minibatches of
 * trials each (or of minibatches of `minibatch_trials` trials), in place. Returns the mean squared error (in the fitted units) of the last pass.
 */
export function fitValues(
  net: StepNetwork,
  state: ValueState,
  data: TrialInputs,
  targets: Float32Array,
  cfg: ValueFitConfig,
  rng: Rng,
  chunkTrials: number,
): number {
  const { T, B, mask } = data;
  let n = 0, sum = 0, ss = 0;
  for (let i = 0; i < T * B; i++) if (mask[i] !== 0) (n++, sum += targets[i]!);
  state.mean = cfg.normalize_targets ? sum / n : 0;
  for (let i = 0; i < T * B; i++) if (mask[i] !== 0) ss += (targets[i]! - state.mean) ** 2;
  state.std = cfg.normalize_targets ? Math.sqrt(ss / n) || 1 : 1;
  const z = targets.map((y) => (y - state.mean) / state.std);
  const width = data.inputs.length / (T * B);
  const perBatch = cfg.minibatch_trials ?? Math.max(1, Math.ceil(B / cfg.minibatches));
  const epoch = () => {
    const order = rng.permutation(B);
    let epochLoss = 0;
    for (let start = 0; start < B; start += perBatch) {
      const trials = order.subarray(start, Math.min(B, start + perBatch));
      const { sub, target } = timed("host: copies", () => ({
        sub: {
          T,
          B: trials.length,
          inputs: selectColumns(data.inputs, T, B, width, trials),
          mask: selectColumns(mask, T, B, 1, trials),
        },
        target: selectColumns(z, T, B, 1, trials),
      }));
      let valid = 0;
      for (let i = 0; i < sub.mask.length; i++) valid += sub.mask[i]!;
      const weight = sub.mask.map((m) => m / valid);
      let loss = 0;
      // The weighted squared error Σ w (v − z)² and its gradient 2 w (v − z) in the outputs.
      const grad = backprop(
        net,
        state.params,
        sub,
        chunkTrials,
        (out, b0, b1) =>
          timed("host: objective", () => {
            const w = trialRange(weight, T, sub.B, 1, b0, b1);
            const y = trialRange(target, T, sub.B, 1, b0, b1);
            return out.map((v, i) => {
              loss += w[i]! * (v - y[i]!) ** 2;
              return 2 * w[i]! * (v - y[i]!);
            });
          }),
      );
      timed("host: Adam", () => {
        if (cfg.gradient_clip !== undefined) clipGradValues(grad, cfg.gradient_clip);
        adamStep(state.params, grad, state.adam, cfg.learning_rate);
      });
      epochLoss += loss * valid / n;
    }
    return epochLoss;
  };
  let lastLoss = NaN;
  for (let e = 0; e < cfg.epochs; e++) lastLoss = inPhase(`epoch ${e + 1}`, epoch);
  return lastLoss;
}
