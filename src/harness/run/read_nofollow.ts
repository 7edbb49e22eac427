/**
 * The one reader of result files for `compare`, `serve` and `report`: it never follows a
 * symbolic link (a `progress.csv` linked to `/etc/passwd`, or an `eval.csv` linked outside the
 * results folder, is refused, naming the link), reads regular files only (a FIFO would block),
 * and, when told, reads nothing above a size (a 200 MB `eval.csv` is named instead of parsed)
 * or outside a folder reached without links. The path is checked with `lstat` before it is
 * opened and the opened file is checked to be the one `lstat` saw (same device and inode).
 *
 * @module
 */
import { dirname, resolve, sep } from "node:path";
import { SymlinkError } from "./nofollow.ts";
import { lstatOrUndefined } from "./missing.ts";

/** Limits of a read. */
export interface ReadLimits {
  /**
   * A folder (its real path) the file must lie in, reached from it without any symbolic link
   * in between; without it only the file itself is checked.
   */
  within?: string;
  /** The largest file read, in bytes; bigger files throw a {@link FileTooLargeError}. */
  maxBytes?: number;
}

/** A file bigger than the reader's limit. */
export class FileTooLargeError extends Error {
  /** An error for the file at `path` of `size` bytes, over `limit`. */
  constructor(readonly path: string, readonly size: number, readonly limit: number) {
    super(`${path} is ${formatBytes(size)}, over the ${formatBytes(limit)} read at most`);
    this.name = "FileTooLargeError";
  }
}

/** A size in bytes as people read it: `200.0 MB`, `32 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} bytes`;
}

/** Throws unless `path`'s folder is `within` or below it, reached without links. */
async function checkWithin(path: string, within: string): Promise<void> {
  const folder = dirname(resolve(path));
  const real = await Deno.realPath(folder);
  const inside = real === within || real.startsWith(within.endsWith(sep) ? within : within + sep);
  if (real !== folder || !inside) {
    throw new Error(`${path} is reached through a symbolic link or lies outside ${within}`);
  }
}

/**
 * Opens the regular file `path` for reading without following links, or gives undefined when
 * there is none. Throws a {@link SymlinkError} for a link, an error for anything but a regular
 * file, and a {@link FileTooLargeError} over `limits.maxBytes`.
 */
export async function openRegular(
  path: string,
  limits: ReadLimits = {},
): Promise<{ file: Deno.FsFile; size: number } | undefined> {
  const seen = await lstatOrUndefined(path);
  if (seen === undefined) return undefined;
  if (seen.isSymlink) throw new SymlinkError(path);
  if (!seen.isFile) throw new Error(`${path} is not a regular file`);
  if (limits.within !== undefined) await checkWithin(path, limits.within);
  if (limits.maxBytes !== undefined && seen.size > limits.maxBytes) {
    throw new FileTooLargeError(path, seen.size, limits.maxBytes);
  }
  const file = await Deno.open(path, { read: true });
  try {
    const info = await file.stat();
    const again = await lstatOrUndefined(path);
    if (
      again === undefined || again.isSymlink || info.dev !== again.dev || info.ino !== again.ino
    ) {
      throw new SymlinkError(path);
    }
    return { file, size: info.size };
  } catch (e) {
    file.close();
    throw e;
  }
}

/**
 * The text of the regular file `path`, or undefined when there is none; never through a
 * symbolic link, and within `limits` (a file that grows past `maxBytes` while read is refused
 * too).
 *
 * @example A link is refused, naming it
 * ```ts
 * import { join } from "node:path";
 * import { readTextNoFollow } from "./read_nofollow.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(join(dir, "eval.csv"), "iteration,task,return\n");
 * await Deno.symlink(join(dir, "eval.csv"), join(dir, "link.csv"));
 * if ((await readTextNoFollow(join(dir, "eval.csv")))?.length !== 22) throw new Error("read");
 * await readTextNoFollow(join(dir, "link.csv")).then(
 *   () => { throw new Error("followed"); },
 *   (e) => { if (!/symbolic link/.test(e.message)) throw e; },
 * );
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readTextNoFollow(
  path: string,
  limits: ReadLimits = {},
): Promise<string | undefined> {
  const opened = await openRegular(path, limits);
  if (opened === undefined) return undefined;
  const { file } = opened;
  try {
    const cap = limits.maxBytes ?? Number.MAX_SAFE_INTEGER;
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of file.readable) {
      total += chunk.length;
      if (total > cap) throw new FileTooLargeError(path, total, cap);
      chunks.push(chunk);
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    return new TextDecoder().decode(bytes);
  } finally {
    try {
      file.close();
    } catch {
      // closed by its readable stream
    }
  }
}
