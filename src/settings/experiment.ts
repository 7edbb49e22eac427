/**
 * The types of the fields of an experiment file other than its task and agents. Written by
 * `deno task schema` from the zod schemas that declare each block (its fields, bounds, defaults and
 * descriptions), defaults filled in: edit those, then rerun it; a test fails when this file is out
 * of date.
 *
 * @module
 */
import type { TaskConfig } from "./task.ts";

/** The evaluation protocol of an experiment. */
export interface EvaluationConfig {
  /** Held-out tasks (one trial each) per evaluation. Default: `1000`. */
  tasks: number;
  /** Seed of the held-out tasks, the same for every agent and run. Default: `1000003`. */
  seed: number;
  /** Evaluate every N iterations; 0 evaluates only at the end. Default: `0`. */
  every: number;
  /** Act by the most probable action instead of sampling while evaluating. Default: `false`. */
  greedy: boolean;
  /**
   * Evaluate the memoryless agents (trpo on continuous actions) as MAML is evaluated: fine-tuned on
   * each task, stage e of the trial the mean return of K trajectories after e policy-gradient
   * steps; absent: one trial.
   */
  finetune?: FinetuneConfig;
}

/** How a memoryless agent is fine-tuned on an evaluation task (MAML's protocol). */
export interface FinetuneConfig {
  /** K, trajectories per stage (MAML: 20). Default: `20`. */
  trajectories: number;
  /** Size of the first policy-gradient step (MAML's α: 0.1). Default: `0.1`. */
  lr: number;
  /** Size of every later step (MAML's evaluation: 0.05). Default: `0.05`. */
  later_lr: number;
}

/** Where the paper reports an experiment's setting. */
export interface PaperReference {
  /** The paper's table, e.g. "RL2 Table 1". */
  table: string;
  /** The table's row, e.g. "n=10, k=5". */
  row: string;
  /** The paper's number per agent name, for that agent's column. Default: `{}`. */
  values: Record<string, number>;
}

/**
 * A claim `compare --check` verifies: an agent beats another, reaches a return, or is not shown to
 * fall below a number.
 */
export interface ExpectationConfig {
  /** The agent the claim is about. */
  agent: string;
  /** Another agent whose mean return it exceeds. */
  better_than?: string;
  /** A mean return it reaches. */
  at_least?: number;
  /** A number the two-sided interval of its final mean contains or exceeds. */
  not_below?: number;
  /**
   * The episode of the trial (from 1) the claim is about: its mean reward there at the final
   * evaluation (the adaptation curve) instead of the trial's return.
   */
  episode?: number;
  /** Another episode of the same agent's trial whose mean reward `episode`'s exceeds. */
  better_than_episode?: number;
  /**
   * Confidence of the interval that must support the claim (one-sided for better_than and at_least,
   * two-sided for not_below). Default: `0.95`.
   */
  confidence: number;
}

/** The fields of an experiment file other than its agents, defaults filled in. */
export interface ExperimentFields {
  /** This JSON Schema, for editors. */
  $schema?: string;
  /**
   * An experiment file (relative to this one) whose fields this one keeps unless it sets them:
   * objects merge key by key, other values replace the parent's.
   */
  extends?: string;
  /** The experiment's name; results go to results/<name> (at most 100 characters). */
  name: string;
  /** Free text: what the experiment is for. */
  description?: string;
  /** Where the paper reports this setting. */
  paper?: PaperReference;
  /** The task distribution. */
  task: TaskConfig;
  /** One run per seed and agent (distinct non-negative integers). */
  seeds: number[];
  /** The agent every other agent is compared with. */
  baseline?: string;
  /** The evaluation protocol. Default: `{}`. */
  evaluation: EvaluationConfig;
  /** Compute backend: auto (ONNX Runtime, else WASM), ort, wasm, cpu, node. Default: `"auto"`. */
  backend: "auto" | "ort" | "wasm" | "cpu" | "node";
  /** Iterations between checkpoints. Default: `10`. */
  checkpoint_every: number;
  /**
   * Warn when this many iterations in a row change the policy by no accepted step. Default: `10`.
   */
  no_update_warning: number;
  /** Overrides to cross: every combination of values is its own run. Default: `{}`. */
  ablations: Record<string, unknown[]>;
  /** Claims checked by compare; a failed claim fails the command. Default: `[]`. */
  expect: ExpectationConfig[];
}
