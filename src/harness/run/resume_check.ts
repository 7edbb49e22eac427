/**
 * Whether a checkpoint can continue this run: its learner state has the shapes of the run's own
 * networks and optimisers (a checkpoint of another learner or network size is refused), its
 * iteration lies within the run's length, and the CSV rows it carries are the run's up to that
 * iteration (every progress row, every evaluation the schedule made), so nothing already
 * measured is lost or repeated.
 *
 * @module
 */
import type { LearnerState } from "../../learners/train.ts";
import type { AdamState } from "../../algos/adam.ts";
import type { Checkpoint } from "./checkpoint.ts";
import { type Manifest, recordedIdentity, type RunIdentity } from "./manifest.ts";

function adamProblem(name: string, got: AdamState | undefined, want: AdamState | undefined) {
  if ((got === undefined) !== (want === undefined)) {
    return want === undefined
      ? `it has a ${name} this learner does not use (a checkpoint of another learner?)`
      : `it has no ${name}, which this learner needs (a checkpoint of another learner?)`;
  }
  if (got !== undefined && (got.m.length !== want!.m.length || got.v.length !== want!.v.length)) {
    return `its ${name} holds ${got.m.length} moments, this learner's ${want!.m.length}`;
  }
  return undefined;
}

/** What in `state` does not have the shapes of the run's freshly made state `fresh`. */
export function stateProblem(state: LearnerState, fresh: LearnerState): string | undefined {
  if (state.policy.length !== fresh.policy.length) {
    return `its policy has ${state.policy.length} parameters, this run's ${fresh.policy.length} ` +
      "(a checkpoint of another learner or network size?)";
  }
  if (state.value.params.length !== fresh.value.params.length) {
    return `its value baseline has ${state.value.params.length} parameters, this run's ` +
      `${fresh.value.params.length}`;
  }
  return adamProblem("policy optimiser state", state.policyOptimizer, fresh.policyOptimizer) ??
    adamProblem("value optimiser state", state.value.adam, fresh.value.adam);
}

/**
 * What in `checkpoint`'s records is not this run's up to its iteration: an iteration beyond the
 * run's `total`, progress rows other than 1 to that iteration, or a missing evaluation that
 * `evaluated` (the run's schedule) made, or one after the checkpoint.
 */
export function recordsProblem(
  checkpoint: Checkpoint,
  total: number,
  evaluated: (iteration: number) => boolean,
): string | undefined {
  const at = checkpoint.state.iteration;
  if (at > total) return `its iteration ${at} is beyond the run's ${total} iterations`;
  const { progress } = checkpoint;
  if (progress.length !== at || progress.some((row, k) => row[0] !== String(k + 1))) {
    return `its progress rows are not iterations 1 to ${at}`;
  }
  const points = new Set(checkpoint.eval.map((row) => Number(row[0])));
  const late = [...points].find((i) => !(i <= at));
  if (late !== undefined) return `it has an evaluation at iteration ${late}, after its own ${at}`;
  for (let i = 0; i <= at; i++) {
    if (evaluated(i) && !points.has(i)) {
      return `it has no evaluation at iteration ${i}, which the run made`;
    }
  }
  return undefined;
}

/**
 * Throws, naming the checkpoint file at `path`, when `checkpoint` cannot continue the run whose
 * fresh state is `fresh` (see {@link stateProblem} and {@link recordsProblem}).
 */
export function checkResumable(
  path: string,
  checkpoint: Checkpoint,
  fresh: LearnerState,
  total: number,
  evaluated: (iteration: number) => boolean,
): void {
  const problem = stateProblem(checkpoint.state, fresh) ??
    recordsProblem(checkpoint, total, evaluated);
  if (problem === undefined) return;
  throw new Error(
    `checkpoint ${path} cannot continue this run: ${problem}; remove it to train the run from ` +
      "the beginning (the next run does), or restore the checkpoint the run wrote",
  );
}

/**
 * True when a checkpoint whose config hash is `hash` belongs to the run `identity`: it has the
 * run's hash, or it was written under `previous`, the manifest of the attempt it comes from,
 * whose config in today's spelling is the run's (a run made before a setting was renamed or
 * moved continues).
 */
export async function checkpointOfRun(
  hash: string,
  identity: RunIdentity,
  previous: Manifest | undefined,
): Promise<boolean> {
  if (hash === identity.hash) return true;
  if (previous === undefined || hash !== previous.config_hash) return false;
  return (await recordedIdentity(previous)).hash === identity.hash;
}
