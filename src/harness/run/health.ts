/**
 * Health checks on a training run's numbers as they are produced: a non-finite quantity ends
 * the run with a message naming the iteration and the quantity (rather than letting NaN flow
 * into the CSVs and the tables), and a run whose policy stops changing is warned about.
 *
 * @module
 */
import type { IterationLog, LearnerState } from "../../learners/train.ts";
import { SHARED_PROGRESS_COLUMNS } from "./csv.ts";

/** A run stopped by a non-finite number: says which quantity, at which iteration. */
export class NonFiniteError extends Error {
  /** An error for `quantity` being `value` at `iteration`. */
  constructor(readonly iteration: number, readonly quantity: string, readonly value: number) {
    super(
      `iteration ${iteration}: ${quantity} is ${value}; the run stops here ` +
        "(check the task's reward scale and the learner's step sizes)",
    );
    this.name = "NonFiniteError";
  }
}

/** The quantities of an iteration's log that must be finite, by their name in messages. */
const LOGGED: readonly [string, (step: IterationLog) => number][] = [
  ["the batch's mean return", (s) => s.returnMean],
  ["the batch's return spread", (s) => s.returnStd],
  ["the policy update's KL", (s) => s.kl],
  ["the policy's entropy", (s) => s.entropy],
  ["the surrogate improvement", (s) => s.surrogateImprovement],
  ["the value loss", (s) => s.valueLoss],
  ["the value baseline's explained variance", (s) => s.explainedVariance],
  ["the advantages' mean", (s) => s.advantageMean],
  ["the advantages' spread", (s) => s.advantageStd],
  ["the policy gradient's norm", (s) => s.gradientNorm],
];

/** Index of the first non-finite entry of `values`, or -1. */
function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return i;
  return -1;
}

/**
 * Throws a {@link NonFiniteError} when a logged quantity of `step` (its update's own diagnostics
 * included) or a parameter of `state` (policy weights, value weights, the value target's mean and
 * spread) is NaN or infinite.
 *
 * @example A NaN KL is named with its iteration
 * ```ts
 * import { checkIteration } from "./health.ts";
 * const step = { iteration: 3, timesteps: 30, returnMean: 1, returnStd: 0, kl: NaN, entropy: 1,
 *   surrogateImprovement: 0, valueLoss: 0, accepted: false, explainedVariance: 0,
 *   advantageMean: 0, advantageStd: 1, gradientNorm: 1, diagnostics: { step_fraction: 0 } };
 * const state = { iteration: 3, timesteps: 30, policy: new Float32Array(2),
 *   value: { params: new Float32Array(1), adam: { m: new Float32Array(1), v: new Float32Array(1), t: 0 }, mean: 0, std: 1 } };
 * try { checkIteration(step, state); throw new Error("missed"); }
 * catch (e) { if (!String(e).includes("iteration 3: the policy update's KL is NaN")) throw e; }
 * ```
 */
export function checkIteration(step: IterationLog, state: LearnerState): void {
  for (const [quantity, get] of LOGGED) {
    const value = get(step);
    if (!Number.isFinite(value)) throw new NonFiniteError(step.iteration, quantity, value);
  }
  for (const [name, value] of Object.entries(step.diagnostics)) {
    if (!Number.isFinite(value)) {
      throw new NonFiniteError(step.iteration, `the update's ${name.replaceAll("_", " ")}`, value);
    }
  }
  const arrays: [string, ArrayLike<number>][] = [
    ["policy parameter", state.policy],
    ["value parameter", state.value.params],
  ];
  for (const [name, values] of arrays) {
    const i = firstNonFinite(values);
    if (i >= 0) throw new NonFiniteError(step.iteration, `${name} ${i}`, values[i]!);
  }
  for (
    const [quantity, value] of [["the value target mean", state.value.mean], [
      "the value target spread",
      state.value.std,
    ]] as const
  ) {
    if (!Number.isFinite(value)) throw new NonFiniteError(step.iteration, quantity, value);
  }
}

/** Throws a {@link NonFiniteError} when an evaluation return is NaN or infinite. */
export function checkReturns(iteration: number, returns: ArrayLike<number>): void {
  const i = firstNonFinite(returns);
  if (i >= 0) {
    throw new NonFiniteError(iteration, `the return on evaluation task ${i}`, returns[i]!);
  }
}

/**
 * Mean KL (nats) at or below which an accepted step counts as no update, for iterations whose
 * parameter change is unknown: the `progress.csv` rows a resumed run continues from when its
 * checkpoint holds no stall streak ({@link StallWatch.resume}).
 */
export const NEGLIGIBLE_KL = 1e-8;

/**
 * Relative change of the policy's parameters, ‖θ′ − θ‖ / ‖θ‖, at or below which an iteration
 * counts as no update. A full trust-region step of max_kl 0.01 moves them by 1e-2 of their
 * norm or more, and a step of KL {@link NEGLIGIBLE_KL} by about 1e-5; a huge cg_damping (1e9)
 * or a tiny fd_step shrinks every step far below it. Unlike a KL near 0, whose float noise is
 * of either sign, this measure cannot be pushed over the threshold by rounding.
 */
export const NEGLIGIBLE_CHANGE = 1e-5;

/**
 * The relative change ‖after − before‖ / ‖before‖ of a parameter vector (‖after‖ when
 * `before` is all zeros, so any change of zeros counts).
 *
 * @example
 * ```ts
 * import { relativeChange } from "./health.ts";
 * if (relativeChange(Float32Array.of(3, 4), Float32Array.of(3, 4)) !== 0) throw new Error("0");
 * if (relativeChange(Float32Array.of(3, 4), Float32Array.of(3, 4.5)) !== 0.1) throw new Error("0.1");
 * ```
 */
export function relativeChange(before: ArrayLike<number>, after: ArrayLike<number>): number {
  let delta = 0;
  let norm = 0;
  for (let i = 0; i < before.length; i++) {
    const d = after[i]! - before[i]!;
    delta += d * d;
    norm += before[i]! * before[i]!;
  }
  return Math.sqrt(delta) / (norm > 0 ? Math.sqrt(norm) : 1);
}

/** What {@link StallWatch} judges an iteration by. */
export interface StallStep {
  /** The iteration. */
  iteration: number;
  /** True when the update was accepted. */
  accepted: boolean;
  /** The reported KL (used only when {@link change} is absent). */
  kl: number;
  /** The relative change of the policy's parameters ({@link relativeChange}). */
  change?: number;
}

/**
 * True when an iteration changed the policy: a step was accepted and moved the parameters by
 * more than {@link NEGLIGIBLE_CHANGE} of their norm (by a KL above {@link NEGLIGIBLE_KL} when
 * the change is unknown).
 */
export function updated(step: StallStep): boolean {
  if (!step.accepted) return false;
  return step.change === undefined ? step.kl > NEGLIGIBLE_KL : step.change > NEGLIGIBLE_CHANGE;
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length < 2
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * Watches for a run whose policy no longer changes: after `limit` consecutive iterations
 * without an update (see {@link updated}) it returns a warning, once per such stretch.
 */
export class StallWatch {
  #streak: number;

  /**
   * A watch that warns after `limit` iterations in a row without an accepted update, already
   * `streak` iterations into such a stretch (a resumed run's); its warning names `settings`,
   * the learner's settings that can stop its updates.
   */
  constructor(readonly limit: number, streak = 0, readonly settings: readonly string[] = []) {
    this.#streak = streak;
  }

  /** Iterations in a row without an update so far (kept in checkpoints). */
  get streak(): number {
    return this.#streak;
  }

  /**
   * A watch continuing the `progress.csv` rows written so far: iterations at the end of them
   * with a negligible KL (a rejected step logs KL 0) count towards the stretch. Used for
   * checkpoints that did not record their streak.
   */
  static resume(
    limit: number,
    rows: readonly (readonly string[])[],
    settings: readonly string[] = [],
  ): StallWatch {
    const kl = SHARED_PROGRESS_COLUMNS.indexOf("kl");
    const still = (row: readonly string[]) => !(Number(row[kl]) > NEGLIGIBLE_KL);
    let streak = 0;
    while (streak < rows.length && still(rows[rows.length - 1 - streak]!)) streak++;
    return new StallWatch(limit, streak, settings);
  }

  /** Takes one iteration; returns the warning when this iteration completes a stretch. */
  observe(step: StallStep): string | undefined {
    this.#streak = updated(step) ? 0 : this.#streak + 1;
    if (this.#streak !== this.limit) return undefined;
    return `the policy has not changed in the last ${this.limit} iterations ` +
      `(${step.iteration - this.limit + 1}–${step.iteration}): every step was rejected or ` +
      `moved its parameters by at most ${NEGLIGIBLE_CHANGE} of their norm` +
      (this.settings.length === 0 ? "" : `; check ${listed(this.settings)}`);
  }
}
