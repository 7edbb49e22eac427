/**
 * Experiment files named on a command line: folders stand for every `.jsonc` file below them.
 *
 * @module
 */
import { join } from "node:path";

/** The files named, with every folder replaced by the `.jsonc` files below it (sorted). */
export async function experimentFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await Deno.stat(path).catch(() => undefined);
    if (info?.isDirectory !== true) {
      files.push(path);
      continue;
    }
    const found: string[] = [];
    const walk = async (dir: string) => {
      for await (const entry of Deno.readDir(dir)) {
        const child = join(dir, entry.name);
        if (entry.isDirectory) await walk(child);
        else if (entry.name.endsWith(".jsonc")) found.push(child);
      }
    };
    await walk(path);
    files.push(...found.sort());
  }
  return files;
}
