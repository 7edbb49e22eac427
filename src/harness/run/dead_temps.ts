/**
 * Removing the temporary files that killed writers left: a `compare` or `merge` killed while it
 * wrote leaves `NAME.<pid>.tmp` beside its output, which the next `run`, `compare` or `merge` of
 * that folder removes. A live writer's temporary file is never removed: `writeFileAtomic` holds
 * an operating-system lock on it until it is renamed (ended with its process, however that ends),
 * and a file younger than {@link DEAD_TEMP_AGE_MS} is left alone too (the instant between its
 * creation and its lock).
 *
 * @module
 */
import { join } from "node:path";
import { openNoFollow } from "./nofollow.ts";

/** Temporary files younger than this (by their last write) are never removed. */
export const DEAD_TEMP_AGE_MS = 60_000;

/** The name of a temporary file of `writeFileAtomic`: `NAME.<pid>.tmp`. */
const TEMP_NAME = /\.\d+\.tmp$/;

/** Whether no live process writes the temporary file at `path` (unlocked and not new). */
async function abandoned(path: string, now: number): Promise<boolean> {
  const info = await Deno.lstat(path);
  if (now - (info.mtime?.getTime() ?? now) < DEAD_TEMP_AGE_MS) return false;
  if (info.isSymlink) return true;
  const file = await openNoFollow(path, { read: true });
  try {
    return await file.tryLock(true);
  } finally {
    file.close();
  }
}

/**
 * Removes the temporary files in `dir` that no live process writes (see the module's doc).
 *
 * @param dir the folder to clean; a missing folder is fine
 * @param recursive also the folders below it
 */
export async function removeDeadTemps(dir: string, recursive = false): Promise<void> {
  const entries: Deno.DirEntry[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) entries.push(entry);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw e;
  }
  const now = Date.now();
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory && recursive) await removeDeadTemps(path, true);
    if (entry.isDirectory || !TEMP_NAME.test(entry.name)) continue;
    // Gone meanwhile (renamed by its writer), or not ours to judge: left as it is.
    if (await abandoned(path, now).catch(() => false)) await Deno.remove(path).catch(() => {});
  }
}
