/**
 * Every learner the harness can train, by kind. Adding one is a file in this folder (its
 * schema, networks and update rule: see `learner.ts`) and its line below; the experiment
 * schema, the editors' JSON Schema and the worker follow from this list.
 *
 * @module
 */
import type { LearnerAgentConfig, LearnerSpec } from "./learner.ts";
import { memorylessFirstOrderTrpoLearner, rl2FirstOrderTrpoLearner } from "./first_order_trpo.ts";
import { mamlTrpoLearner } from "./maml_trpo.ts";
import { pearlLearner } from "./pearl.ts";
import { memorylessPpoLearner, rl2PpoLearner } from "./ppo.ts";
import { memorylessTrpoLearner, rl2Learner } from "./trpo.ts";

/** The learners, in the order editors list them. */
export const LEARNERS: readonly LearnerSpec[] = [
  rl2Learner,
  memorylessTrpoLearner,
  rl2PpoLearner,
  memorylessPpoLearner,
  rl2FirstOrderTrpoLearner,
  memorylessFirstOrderTrpoLearner,
  mamlTrpoLearner,
  pearlLearner,
];

/** The learner of `kind`, or undefined when no learner has that kind. */
export function findLearner(kind: string): LearnerSpec | undefined {
  return LEARNERS.find((l) => l.kind === kind);
}

/**
 * The learner of an agent block and the block resolved by its schema (defaults filled in).
 * Throws when the block's kind is no learner's, or the block is invalid.
 *
 * @example A memoryless TRPO agent with the default TRPO and value settings
 * ```ts
 * import { resolveLearner } from "./registry.ts";
 * const { spec, config } = resolveLearner({
 *   kind: "trpo",
 *   sampling: { iterations: 3, batch_timesteps: 100 },
 * });
 * if (spec.kind !== "trpo" || config.sampling.gamma !== 0.99) throw new Error("defaults");
 * ```
 */
export function resolveLearner(
  block: { readonly kind: string; readonly [field: string]: unknown },
): {
  spec: LearnerSpec;
  config: LearnerAgentConfig;
} {
  const spec = findLearner(block.kind);
  if (spec === undefined) throw new Error(`no learner of kind "${block.kind}"`);
  return { spec, config: spec.schema.parse(block) as LearnerAgentConfig };
}
