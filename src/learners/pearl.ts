/**
 * PEARL (Rakelly et al. 2019, "Efficient Off-Policy Meta-Reinforcement Learning via
 * Probabilistic Context Variables") as a learner of the registry, kind `pearl`, for task
 * families with continuous actions: soft actor-critic on (observation, z), with z drawn from a
 * permutation-invariant posterior over a latent context (a product of Gaussian factors, one
 * per context transition, with an information bottleneck), trained off-policy from replay
 * buffers kept per training task. Its loop is `pearl_loop.ts`; its networks, losses and buffers
 * are in `src/algos/` (`dense_mlp.ts`, `context_encoder.ts`, `tanh_gaussian.ts`,
 * `sac_losses.ts`, `sac_step.ts`, `replay_buffer.ts`).
 *
 * Defaults are the authors' `configs/default.py` (latent 5, three hidden layers of 300 units,
 * encoder 3 × 200, meta-batch 16, batch 256, context batch 64, learning rates 3e-4, τ 0.005,
 * reward scale 5, KL weight 0.1, 2000 initial steps, 5 tasks of 400 prior and 400 extra RL
 * steps per iteration, 2000 gradient steps, γ 0.99) with their `PEARLSoftActorCritic`'s policy
 * regularisers (1e-3 on mean(μ²) and mean(log σ²)) and the point robot's 80 training tasks;
 * docs/protocol.md says which setting comes from where. Its agent block is `kind`, `sampling`
 * (iterations and γ) and `pearl`: every network's size is in the `pearl` block.
 *
 * @module
 */
import { z } from "zod";
import type { LearnerSpec } from "./learner.ts";
import { pearlLoop } from "./pearl_loop.ts";
import { pearlSamplingSchema, pearlSchema } from "./pearl_config.ts";

const DESCRIPTION =
  "PEARL: soft actor-critic on a latent task variable inferred from context by a probabilistic encoder";

/** PEARL: the registry's entry. */
export const pearlLearner: LearnerSpec = {
  shape: "own-loop",
  kind: "pearl",
  description: DESCRIPTION,
  schema: z.strictObject({
    kind: z.literal("pearl").describe(DESCRIPTION),
    sampling: pearlSamplingSchema,
    pearl: pearlSchema.prefault({}),
  }),
  stallSettings: ["pearl.policy_lr", "pearl.q_lr"],
  actions: ["continuous"],
  diagnostics: ["q_loss", "policy_loss", "context_kl"],
  loop: pearlLoop,
};
