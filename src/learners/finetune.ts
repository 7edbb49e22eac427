/**
 * Fine-tuning as an evaluation protocol (`evaluation.finetune` of an experiment): a memoryless
 * policy on continuous actions is evaluated as MAML is, fine-tuned on each held-out task by
 * policy-gradient steps on K trajectories (`adaptation.ts`; λ = 1 and a linear feature baseline,
 * as MAML's inner steps), stage e of the trial being the mean return after e steps. It applies
 * to the agents of on-policy learners with memoryless networks; RL²'s trial, MAML's own
 * protocol and PEARL's posterior sampling are left as they are.
 *
 * @module
 */
import { z } from "zod";
import type { Assert, Same } from "../type_check.ts";
import { Rng } from "../rng.ts";
import type { FinetuneConfig } from "../settings/experiment.ts";
import type { ActionKind, LearnerNetworks, LearnerSpec, LoopContext } from "./learner.ts";
import type { TrialRewards } from "./state.ts";
import { adaptationReturns } from "./adaptation.ts";
export type { FinetuneConfig };

/** The zod schema of `evaluation.finetune`. */
export const finetuneSchema: z.ZodObject<{
  trajectories: z.ZodDefault<z.ZodInt>;
  lr: z.ZodDefault<z.ZodNumber>;
  later_lr: z.ZodDefault<z.ZodNumber>;
}, z.core.$strict> = z.strictObject({
  trajectories: z.int().min(1).max(100000).default(20)
    .describe("K, trajectories per stage (MAML: 20)"),
  lr: z.number().positive().max(100).default(0.1)
    .describe("size of the first policy-gradient step (MAML's α: 0.1)"),
  later_lr: z.number().positive().max(100).default(0.05)
    .describe("size of every later step (MAML's evaluation: 0.05)"),
});

type _FinetuneConfigIsTheSchemaOutput = Assert<
  Same<FinetuneConfig, z.output<typeof finetuneSchema>>
>;

/**
 * True when `evaluation.finetune` evaluates the agents of `spec` on tasks with `actions`: an
 * on-policy learner with memoryless networks whose update handles continuous actions, on them.
 */
export function finetunes(spec: LearnerSpec, actions: ActionKind): boolean {
  return spec.shape === "on-policy" && spec.memory === "memoryless" &&
    actions === "continuous" && spec.actions.includes(actions);
}

/**
 * Returns of the policy at `params` on `tasks`, each fine-tuned as `finetune` says: stage e of a
 * task's trial is the mean return of K trajectories after e steps; draws of task b's stage e
 * come from (seed, the run's seed, b, e).
 */
export function finetunedReturns(
  c: LoopContext,
  networks: LearnerNetworks,
  finetune: FinetuneConfig,
  params: Float32Array,
  tasks: readonly unknown[],
  seed: number,
): TrialRewards {
  const { sampling } = c.config;
  return adaptationReturns(
    c.family,
    networks.policy,
    params,
    tasks,
    c.episodes,
    {
      trajectories: finetune.trajectories,
      lr: finetune.lr,
      laterLr: finetune.later_lr,
      gamma: sampling.gamma,
      lambda: 1,
      normalize: sampling.normalize_advantages,
      chunkTrials: sampling.chunk_trials,
    },
    (purpose, b, e) => Rng.derive(seed, `eval-${purpose}`, c.seed, b, e),
  );
}
