/**
 * Every classic baseline by its `kind`. A new baseline is one file in `src/baselines/<task>/`
 * plus one entry in that folder's `mod.ts`.
 *
 * @module
 */
import type { BaselineSpec } from "./agent.ts";
import { BANDIT_BASELINES } from "./bandit/mod.ts";
import { MDP_BASELINES } from "./mdp/mod.ts";

/** All classic baselines. A kind may exist for several task kinds (e.g. `random`). */
export const BASELINES: readonly BaselineSpec[] = [...BANDIT_BASELINES, ...MDP_BASELINES];

/** The baseline of `kind` for task kind `task`, or undefined. */
export function findBaseline(kind: string, task: string): BaselineSpec | undefined {
  return BASELINES.find((b) => b.kind === kind && b.task === task);
}
