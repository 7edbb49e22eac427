/**
 * Continuing a run with other code than the code that wrote its checkpoint mixes two versions in
 * one run's numbers: refused unless `--allow-mixed` (then the manifest records it). The runner
 * checks this for every run before it changes anything (`plan.ts`), the worker again when it
 * loads the checkpoint (`worker.ts`).
 *
 * @module
 */
import type { Checkpoint } from "./checkpoint.ts";
import type { GitState, Manifest } from "./manifest.ts";

/**
 * The commit that wrote a run's checkpoint when it is not `now`'s, else undefined (no
 * checkpoint, the same commit, or outside git). The checkpoint's own record counts, else (for
 * checkpoints written before they recorded it) its manifest's.
 */
export function mixedCommit(
  checkpoint: Pick<Checkpoint, "git"> | undefined,
  manifest: Pick<Manifest, "git"> | undefined,
  now: GitState | null,
): string | undefined {
  if (checkpoint === undefined || now === null) return undefined;
  const made = checkpoint.git ?? manifest?.git;
  return made === undefined || made === null || made.commit === now.commit
    ? undefined
    : made.commit;
}

/** What to say when the checkpoint in `dir`, written by commit `made`, would continue at `now`. */
export function mixedMessage(dir: string, made: string, now: GitState | null): string {
  return `the checkpoint in ${dir} was written by commit ${made}, this is commit ` +
    `${now?.commit}: continuing would mix two versions of the code in one run; ` +
    `check out ${made.slice(0, 12)} to continue it, remove ${dir} to start it over, ` +
    "or pass --allow-mixed to continue with this code (recorded in its manifest)";
}
