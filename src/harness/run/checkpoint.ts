/**
 * Checkpoints of a training run: the learner's whole state (parameters, optimiser moments,
 * counters; its randomness is derived from the iteration, so there is no generator state), the
 * CSV rows written so far and the training seconds spent, in one JSON file written atomically.
 * Float arrays are stored as base64 of their little-endian bytes, so they round-trip exactly.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { AdamState } from "../../algos/adam.ts";
import type { LearnerState } from "../../learners/train.ts";
import { writeFileAtomic } from "./atomic.ts";
import type { CsvRow } from "./csv.ts";
import { checkpointFieldProblem } from "./checkpoint_fields.ts";

/** Marks the file format, so a future change is detected instead of misread. */
export const CHECKPOINT_FORMAT = "rl2lab-checkpoint/1";

/** What a checkpoint holds. */
export interface Checkpoint {
  /** The hash of the run config that produced it. */
  configHash: string;
  /** The learner after `state.iteration` iterations. */
  state: LearnerState;
  /** Training wall-clock seconds up to that iteration. */
  seconds: number;
  /** `progress.csv` rows so far. */
  progress: CsvRow[];
  /**
   * The columns of {@link progress} (absent in checkpoints that do not record them: those
   * rows have `UNRECORDED_PROGRESS_COLUMNS`).
   */
  progressColumns?: readonly string[];
  /** `eval.csv` rows so far. */
  eval: CsvRow[];
  /** `adaptation.csv` rows so far (absent in checkpoints written before that file existed). */
  adaptation?: CsvRow[];
  /** Iterations in a row without a policy update at the end (absent in older checkpoints). */
  stallStreak?: number;
  /** The code that wrote it (absent in older checkpoints; null outside git). */
  git?: { commit: string; dirty: boolean } | null;
}

function encodeFloats(array: Float32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString("base64");
}

function decodeFloats(text: string): Float32Array {
  const bytes = Buffer.from(text, "base64");
  return new Float32Array(new Uint8Array(bytes).buffer);
}

function encodeAdam(state: AdamState): { m: string; v: string; t: number } {
  return { m: encodeFloats(state.m), v: encodeFloats(state.v), t: state.t };
}

function decodeAdam(data: { m: string; v: string; t: number }): AdamState {
  return { m: decodeFloats(data.m), v: decodeFloats(data.v), t: data.t };
}

/**
 * The checkpoint as JSON text.
 *
 * @example A state survives the round trip bit for bit
 * ```ts
 * import { parseCheckpoint, serializeCheckpoint } from "./checkpoint.ts";
 * const policy = Float32Array.of(0.1, -3e-39, 7);
 * const text = serializeCheckpoint({
 *   configHash: "h", seconds: 1.5, progress: [["1"]], eval: [],
 *   state: { iteration: 1, timesteps: 9, policy,
 *     value: { params: Float32Array.of(1), adam: { m: Float32Array.of(2), v: Float32Array.of(3), t: 1 }, mean: 0.1, std: 2 } },
 * });
 * const back = parseCheckpoint(text);
 * if (back.state.policy[1] !== policy[1] || back.state.value.mean !== 0.1) throw new Error("lost");
 * ```
 */
export function serializeCheckpoint(checkpoint: Checkpoint): string {
  const { state } = checkpoint;
  return JSON.stringify({
    format: CHECKPOINT_FORMAT,
    config_hash: checkpoint.configHash,
    seconds: checkpoint.seconds,
    iteration: state.iteration,
    timesteps: state.timesteps,
    policy: encodeFloats(state.policy),
    ...(state.policyOptimizer !== undefined &&
      { policy_optimizer: encodeAdam(state.policyOptimizer) }),
    value: {
      params: encodeFloats(state.value.params),
      adam: encodeAdam(state.value.adam),
      mean: state.value.mean,
      std: state.value.std,
    },
    ...(state.extra !== undefined && {
      extra: Object.fromEntries(Object.entries(state.extra).map(([k, a]) => [k, encodeFloats(a)])),
    }),
    progress: checkpoint.progress,
    ...(checkpoint.progressColumns !== undefined &&
      { progress_columns: checkpoint.progressColumns }),
    eval: checkpoint.eval,
    ...(checkpoint.adaptation !== undefined && { adaptation: checkpoint.adaptation }),
    ...(checkpoint.stallStreak !== undefined && { stall_streak: checkpoint.stallStreak }),
    ...(checkpoint.git !== undefined && { git: checkpoint.git }),
  });
}

/** Reads the text of {@link serializeCheckpoint}; throws on another format or a wrong field. */
export function parseCheckpoint(text: string): Checkpoint {
  const data = JSON.parse(text);
  if (data?.format !== CHECKPOINT_FORMAT) {
    throw new Error(`not a checkpoint of format ${CHECKPOINT_FORMAT}`);
  }
  const problem = checkpointFieldProblem(data);
  if (problem !== undefined) throw new Error(problem);
  return {
    configHash: data.config_hash,
    seconds: data.seconds,
    progress: data.progress,
    ...(data.progress_columns !== undefined && { progressColumns: data.progress_columns }),
    eval: data.eval,
    ...(data.adaptation !== undefined && { adaptation: data.adaptation }),
    ...(typeof data.stall_streak === "number" && { stallStreak: data.stall_streak }),
    ...(data.git !== undefined && { git: data.git }),
    state: {
      iteration: data.iteration,
      timesteps: data.timesteps,
      policy: decodeFloats(data.policy),
      ...(data.policy_optimizer !== undefined &&
        { policyOptimizer: decodeAdam(data.policy_optimizer) }),
      value: {
        params: decodeFloats(data.value.params),
        adam: decodeAdam(data.value.adam),
        mean: data.value.mean,
        std: data.value.std,
      },
      ...(data.extra !== undefined && {
        extra: Object.fromEntries(
          Object.entries(data.extra as Record<string, string>).map((
            [k, t],
          ) => [k, decodeFloats(t)]),
        ),
      }),
    },
  };
}

/** Writes a checkpoint atomically. */
export async function saveCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  await writeFileAtomic(path, serializeCheckpoint(checkpoint));
}

/** The checkpoint at `path`, or undefined when there is none. */
export async function loadCheckpoint(path: string): Promise<Checkpoint | undefined> {
  try {
    return parseCheckpoint(await Deno.readTextFile(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw new Error(`cannot read checkpoint ${path}: ${e instanceof Error ? e.message : e}`);
  }
}
