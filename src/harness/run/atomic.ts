/**
 * Atomic file writes: the data goes to a temporary file beside the target, is flushed, and is
 * renamed over the target, so a reader (or a resumed run after SIGKILL) sees either the old
 * file or the new one, never a torn one.
 *
 * @module
 */
import { join } from "node:path";

const encoder = new TextEncoder();

/** Suffix of the temporary files {@link writeFileAtomic} leaves behind when killed mid-write. */
export const TEMP_SUFFIX = ".tmp";

/**
 * Writes `data` to `path` atomically (temporary file in the same folder, fsync, rename). The
 * temporary file is locked while it is written, so a cleaner can tell a live writer's from one
 * that a killed process left (`dead_temps.ts`).
 *
 * @param path the target file; its folder must exist
 * @param data text (written as UTF-8) or bytes
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = `${path}.${Deno.pid}${TEMP_SUFFIX}`;
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  // A new file, never an existing one: a symbolic link left at the temporary name would
  // otherwise carry the write to its target. A stale temporary (of a killed process with the
  // same pid) is removed first (a link itself, not its target).
  let file: Deno.FsFile;
  try {
    file = await Deno.open(temp, { write: true, createNew: true });
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    await Deno.remove(temp);
    file = await Deno.open(temp, { write: true, createNew: true });
  }
  // Locked while it is written and until it is renamed (Windows renames closed files only):
  // `removeDeadTemps` leaves a locked temporary file alone, its writer is alive.
  let open = true;
  try {
    try {
      await file.lock(true);
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
      await file.sync();
      if (Deno.build.os === "windows") (open = false, file.close());
      await Deno.rename(temp, path);
    } finally {
      if (open) file.close();
    }
  } catch (e) {
    // A full disk, say: leave no temporary file behind, and say which file it was.
    await Deno.remove(temp).catch(() => {});
    if (e instanceof Error) e.message = `cannot write ${path}: ${e.message}`;
    throw e;
  }
}

/**
 * Removes the temporary files that writes interrupted by a kill left in `dir` (not recursive).
 *
 * @param dir the folder to clean; a missing folder is fine
 */
export async function removeStaleTemps(dir: string): Promise<void> {
  try {
    for await (const entry of Deno.readDir(dir)) {
      if ((entry.isFile || entry.isSymlink) && entry.name.endsWith(TEMP_SUFFIX)) {
        await Deno.remove(join(dir, entry.name));
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}
