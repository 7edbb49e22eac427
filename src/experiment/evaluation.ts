/**
 * The held-out tasks of an experiment's evaluation protocol: drawn once from the evaluation
 * seed's own stream, so every agent and seed is evaluated on the same tasks (paired
 * comparisons), and never the tasks a learner trains on (those come from the run's seed).
 *
 * @module
 */
import { Rng } from "../rng.ts";
import type { TaskFamily } from "../envs/env.ts";
import type { EvaluationConfig } from "./schema.ts";

/**
 * The evaluation tasks of an experiment: drawn once from `Rng.derive(seed, "eval-tasks")`, so
 * every agent and seed is evaluated on the same tasks (paired comparisons).
 */
export function evaluationTasks(family: TaskFamily, evaluation: EvaluationConfig): unknown[] {
  const rng = Rng.derive(evaluation.seed, "eval-tasks");
  return Array.from({ length: evaluation.tasks }, () => family.sampleTask(rng));
}
