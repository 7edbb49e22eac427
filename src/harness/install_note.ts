/**
 * The line a task prints before it installs the locked npm dependencies when they are not
 * installed yet (the first task in a fresh clone): how many packages, how much is downloaded and
 * why it is that large. `deno install -q` itself prints nothing, so without this line the first
 * task would sit silent for a minute or more. Tasks run this module first; once `node_modules` is
 * set up it prints nothing.
 *
 * @module
 */
import { join } from "node:path";

/** The file `deno install` writes last, once `node_modules` is set up. */
export const INSTALLED_MARKER = join("node_modules", ".deno", ".setup-cache.bin");

/** What the first install downloads, in megabytes (measured with an empty Deno cache). */
export const DOWNLOAD_MB = 200;

/** What the downloaded packages take in Deno's cache, in megabytes. */
export const CACHE_MB = 700;

/** The number of npm packages a `deno.lock` text pins. */
export function lockedPackages(lockText: string): number {
  const lock = JSON.parse(lockText) as { npm?: Record<string, unknown> };
  return Object.keys(lock.npm ?? {}).length;
}

/**
 * The note for the project at `root`, or undefined when its dependencies are installed already.
 */
export async function installNote(root: string): Promise<string | undefined> {
  const installed = await Deno.stat(join(root, INSTALLED_MARKER)).then(() => true, () => false);
  if (installed) return undefined;
  const packages = lockedPackages(await Deno.readTextFile(join(root, "deno.lock")));
  return `Installing the ${packages} npm packages deno.lock pins (once): about ${DOWNLOAD_MB} MB ` +
    `to download, ${CACHE_MB} MB in Deno's cache, most of it ONNX Runtime (its native library ` +
    "for every platform) and TensorFlow.js.";
}

if (import.meta.main) {
  const note = await installNote(".");
  if (note !== undefined) console.error(note);
}
