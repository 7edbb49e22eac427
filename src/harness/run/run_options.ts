/**
 * The runner's options and what it reports: what to run and how, how each run ended, and the
 * selected runs as the runner executes them.
 *
 * @module
 */
import type { BackendName } from "../../backend.ts";
import type { Experiment } from "../../experiment/load.ts";
import type { Run } from "../../experiment/expand.ts";
import type { ProgressReporter, RunOutcome } from "./progress.ts";
import type { Shard } from "./shard.ts";

/** Where results go unless `--out` says otherwise. */
export const DEFAULT_OUT = "results";

/** What to run and how. */
export interface RunOptions {
  /** Experiment files. */
  files: readonly string[];
  /** Runs at a time (default: the number of cores). */
  jobs?: number;
  /** Only this shard of the runs of all files. */
  shard?: Shard;
  /**
   * Also take a folder whose experiment gave agents more iterations or added agents (finished
   * runs are skipped and interrupted ones continued with or without it).
   */
  resume?: boolean;
  /** Only the runs of these agents. */
  only?: readonly string[];
  /** Overrides every experiment's `backend`. */
  backend?: BackendName;
  /** Intra-op threads of each run's ONNX Runtime (default 1). */
  threads?: number;
  /** Results root (default {@link DEFAULT_OUT}). */
  out?: string;
  /** Shows progress. */
  reporter: ProgressReporter;
  /** Aborting it stops the runs (their checkpoints stay valid) and starts no more. */
  signal?: AbortSignal;
  /** With `resume`: continue checkpoints written by another commit of the code. */
  allowMixed?: boolean;
  /** Start over: move each experiment's earlier results aside to a named backup first. */
  fresh?: boolean;
  /**
   * Says a notice of the files (a key under an older name, accepted), each once, before any
   * run starts (default: a line on stderr).
   */
  notice?: (line: string) => void;
}

/** How one run ended. */
export interface RunResult {
  /** `experiment/run id`. */
  key: string;
  /** The run's folder. */
  dir: string;
  /** How it ended. */
  outcome: RunOutcome;
  /** For failed runs: why, with the end of the run's log. */
  detail: string;
}

/** What a call of {@link runExperiments} did. */
export interface RunnerSummary {
  /** One entry per selected run that was skipped, run, or stopped, in expansion order. */
  results: RunResult[];
  /** Selected runs not started because the runner was stopped. */
  notStarted: number;
  /** True when the runner was stopped before every run ended. */
  interrupted: boolean;
}

/** One selected run with everything needed to execute it. */
export interface Job {
  key: string;
  experiment: Experiment;
  run: Run;
  dir: string;
  configHash: string;
  resume: boolean;
  /** Intra-op threads of the run's ONNX Runtime (default 1). */
  threads?: number;
  /** Continue a checkpoint of another commit. */
  allowMixed?: boolean;
}
