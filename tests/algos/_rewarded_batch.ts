/**
 * A batch for the policy-update tests: a small GRU policy's own actions on random inputs, with
 * action 0 rewarded (its advantage positive, the others' negative), advantages standardised.
 */
import { Rng } from "../../src/rng.ts";
import { gruNetwork } from "../../src/policies/gru.ts";
import { categoricalDistribution, softmax } from "../../src/policies/categorical.ts";
import { policyOf } from "../../src/policies/distribution.ts";
import { forwardOutputs } from "../../src/algos/unroll.ts";
import { standardize } from "../../src/algos/gae.ts";

/** Steps, trials, input size and actions of the batch. */
export const T = 5, B = 12, D = 4, A = 3;

/** The policy the batch is sampled from. */
export const net = gruNetwork({ inputDim: D, hidden: 8, outputDim: A, norm: "weight" });

/** The policy: the network's logits of a categorical distribution. */
export const policy = policyOf(net, categoricalDistribution(A));

/**
 * The batch of `seed` (stream `purpose`), the first `padded` trials one step shorter; `rng`
 * continues the stream for the test's own draws.
 */
export function rewardedBatch(seed: number, purpose: string, padded = 0) {
  const rng = Rng.derive(seed, purpose);
  const params = net.init(rng);
  const inputs = Float32Array.from({ length: T * B * D }, () => rng.normal());
  const mask = new Float32Array(T * B).fill(1);
  for (let b = 0; b < padded; b++) mask[(T - 1) * B + b] = 0;
  const logits = forwardOutputs(net, params, { T, B, inputs, mask }, 64);
  const probs = new Float32Array(logits.length);
  for (let i = 0; i < T * B; i++) softmax(logits, i * A, A, probs);
  const actions = Int32Array.from({ length: T * B }, (_, i) => rng.categorical(probs, i * A, A));
  const advantages = Float32Array.from(actions, (a) => (a === 0 ? 1 : -0.5) + 0.1 * rng.normal());
  standardize(advantages, mask);
  const head = new Float32Array(0);
  return {
    rng,
    params,
    data: { T, B, inputs, mask, distParams: probs, head, actions, advantages },
  };
}
