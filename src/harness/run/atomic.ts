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
 * Writes `data` to `path` atomically (temporary file in the same folder, fsync, rename).
 *
 * @param path the target file; its folder must exist
 * @param data text (written as UTF-8) or bytes
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = `${path}.${Deno.pid}${TEMP_SUFFIX}`;
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const file = await Deno.open(temp, { write: true, create: true, truncate: true });
  try {
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.sync();
  } finally {
    file.close();
  }
  await Deno.rename(temp, path);
}

/**
 * Removes the temporary files that writes interrupted by a kill left in `dir` (not recursive).
 *
 * @param dir the folder to clean; a missing folder is fine
 */
export async function removeStaleTemps(dir: string): Promise<void> {
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.endsWith(TEMP_SUFFIX)) {
        await Deno.remove(join(dir, entry.name));
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}
