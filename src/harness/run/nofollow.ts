/**
 * Opening files for writing without following links: a lock or log file that is a symbolic link
 * (to a file outside the results folder, say), or a hard link (a file with another name
 * elsewhere), is refused instead of truncated or appended to. Deno has no `O_NOFOLLOW`, so the
 * path is checked with `lstat` before it is opened and the opened file is checked to be the one
 * that `lstat` saw (same device and inode), which also refuses a link swapped in between the
 * two, and to have no other name.
 *
 * @module
 */
import { lstatOrUndefined } from "./missing.ts";

/** A write refused because its path is a symbolic link. */
export class SymlinkError extends Error {
  /** An error for the link at `path`. */
  constructor(readonly path: string) {
    super(
      `${path} is a symbolic link; results are never written through links (remove it, or ` +
        "replace it with a regular file)",
    );
    this.name = "SymlinkError";
  }
}

function lstatSyncOrUndefined(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.lstatSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/** A write refused because its path is a hard link: the file has another name elsewhere. */
export class HardLinkError extends Error {
  /** An error for the file at `path`, which has `names` names. */
  constructor(readonly path: string, names: number) {
    super(
      `${path} is a hard link (the file has ${names} names, the others maybe outside the ` +
        "results); results are never written through links (remove it, or replace it with a " +
        "regular file)",
    );
    this.name = "HardLinkError";
  }
}

function sameFile(a: Deno.FileInfo, b: Deno.FileInfo | undefined): boolean {
  return b !== undefined && !b.isSymlink && a.dev === b.dev && a.ino === b.ino;
}

/** Throws when the opened file at `path` is not the one `lstat` sees, or has other names. */
function checkOpened(path: string, opened: Deno.FileInfo, seen: Deno.FileInfo | undefined) {
  if (!sameFile(opened, seen)) throw new SymlinkError(path);
  if (opened.isFile && (opened.nlink ?? 1) > 1) throw new HardLinkError(path, opened.nlink!);
}

/**
 * Opens `path` like {@link Deno.open}, refusing (with a {@link SymlinkError}) when `path` is a
 * symbolic link, or (with a {@link HardLinkError}) a file with more than one name. `options.truncate` is not allowed: truncate through the returned file, after
 * this check, instead.
 *
 * @example A link is refused, its target left alone
 * ```ts
 * import { join } from "node:path";
 * import { openNoFollow, SymlinkError } from "./nofollow.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(join(dir, "target"), "keep");
 * await Deno.symlink(join(dir, "target"), join(dir, "link"));
 * await openNoFollow(join(dir, "link"), { write: true, create: true }).then(
 *   () => { throw new Error("followed"); },
 *   (e) => { if (!(e instanceof SymlinkError)) throw e; },
 * );
 * if (await Deno.readTextFile(join(dir, "target")) !== "keep") throw new Error("changed");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function openNoFollow(
  path: string,
  options: Omit<Deno.OpenOptions, "truncate">,
): Promise<Deno.FsFile> {
  if ((await lstatOrUndefined(path))?.isSymlink) throw new SymlinkError(path);
  const file = await Deno.open(path, options);
  try {
    checkOpened(path, await file.stat(), await lstatOrUndefined(path));
  } catch (e) {
    file.close();
    throw e;
  }
  return file;
}

/** {@link openNoFollow}, synchronously. */
export function openNoFollowSync(
  path: string,
  options: Omit<Deno.OpenOptions, "truncate">,
): Deno.FsFile {
  if (lstatSyncOrUndefined(path)?.isSymlink) throw new SymlinkError(path);
  const file = Deno.openSync(path, options);
  try {
    checkOpened(path, file.statSync(), lstatSyncOrUndefined(path));
  } catch (e) {
    file.close();
    throw e;
  }
  return file;
}

/**
 * Appends `text` to `path` (created if missing), refusing when `path` is a link; an error of the
 * write (a full disk) names the file.
 */
export async function appendNoFollow(path: string, text: string): Promise<void> {
  const file = await openNoFollow(path, { append: true, create: true });
  try {
    const bytes = new TextEncoder().encode(text);
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
  } catch (e) {
    if (e instanceof Error) e.message = `cannot write ${path}: ${e.message}`;
    throw e;
  } finally {
    file.close();
  }
}
