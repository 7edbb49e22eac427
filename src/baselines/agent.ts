/**
 * Classic (non-meta) baselines: agents that learn within one trial from scratch, and the
 * description a baseline module exports so the experiment schema and the runner can use it.
 *
 * @module
 */
import type { z } from "zod";
import type { Rng } from "../rng.ts";
import type { TaskFamily } from "../envs/env.ts";

/** An agent that adapts within one trial (one task, n episodes) and forgets between trials. */
export interface TrialAgent {
  /** Forgets everything: a new task begins. */
  beginTrial(rng: Rng): void;
  /** The action for the current observation. */
  act(obs: Float32Array, rng: Rng): number;
  /** Learns from one transition; `episodeDone` marks the last step of an episode. */
  observe(
    obs: Float32Array,
    action: number,
    reward: number,
    nextObs: Float32Array,
    episodeDone: boolean,
  ): void;
}

/** What one baseline module exports: its name, which task kind it serves, its schema, a factory. */
export interface BaselineSpec<P extends Record<string, unknown> = Record<string, unknown>> {
  /** The `kind` used in experiment files, e.g. `"ucb1"`. */
  readonly kind: string;
  /** The task kind it applies to (`"bandit"` or `"mdp"`). */
  readonly task: string;
  /** One line for docs and `--help`. */
  readonly description: string;
  /**
   * Hyperparameters with defaults (a zod object; unknown keys rejected).
   *
   * @internal A zod schema: its type is zod's, outside this package's API.
   */
  readonly params: z.ZodType<P>;
  /** Builds an agent for a family; `episodes` is n, the trial's number of episodes. */
  create(params: P, family: TaskFamily, episodes: number): TrialAgent;
}
