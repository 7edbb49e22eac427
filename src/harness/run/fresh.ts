/**
 * `--fresh`: starting an experiment over without losing its earlier results. The experiment's
 * results folder is moved aside, whole, to a backup beside it (`<name>.before-<time>`), which the
 * runner names; nothing is deleted. A folder that a live process still writes (a runner, or a
 * worker left running by a runner that was killed alone) is refused and left as it is.
 *
 * @module
 */
import { join } from "node:path";
import { acquireLock, describeOwner, LOCK_FILE, lockHolder } from "./lock.ts";

/** The backup name of folder `dir` moved aside at `now`: `<dir>.before-2026-12-07T01-30-00Z`. */
export function backupName(dir: string, now: Date): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, "Z").replaceAll(":", "-");
  return `${dir}.before-${stamp}`;
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

/** The folders below `dir` (itself included) that hold a lock file. */
async function lockedFolders(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string) => {
    for await (const entry of Deno.readDir(folder)) {
      if (entry.isDirectory) await walk(join(folder, entry.name));
      else if (entry.name === LOCK_FILE) found.push(folder);
    }
  };
  await walk(dir);
  return found;
}

/**
 * Throws, naming the holder, when a live process holds folder `dir` or a folder below it (a run
 * still being trained).
 */
export async function checkIdle(dir: string): Promise<void> {
  if (!(await exists(dir))) return;
  for (const folder of await lockedFolders(dir)) {
    const holder = await lockHolder(folder);
    if (holder === "free") continue;
    throw new Error(
      `${folder} is still being written by ${
        describeOwner(holder === "unknown" ? undefined : holder)
      }; wait for it to end, or stop it, then start over with --fresh`,
    );
  }
}

/**
 * Moves experiment folder `dir` aside to a new backup beside it and returns the backup's path;
 * undefined when there is no folder. Call {@link checkIdle} first; the folder's own lock is
 * held while it moves, so a runner that starts meanwhile is refused.
 */
export async function moveAside(dir: string): Promise<string | undefined> {
  if (!(await exists(dir))) return undefined;
  const lock = await acquireLock(dir);
  try {
    const now = new Date();
    let backup = backupName(dir, now);
    for (let n = 2; await exists(backup); n++) backup = `${backupName(dir, now)}-${n}`;
    await Deno.rename(dir, backup);
    return backup;
  } finally {
    await lock.release();
  }
}
