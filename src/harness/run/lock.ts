/**
 * A lock on a results folder, so two runners never interleave their writes in it. The lock is
 * an operating-system advisory lock (`flock`) on the folder's `.lock` file, held through an
 * open file for as long as the holder runs: when the holder ends in any way (released, killed
 * by SIGKILL, its machine's process group ended by a scheduler), the operating system releases
 * it, so a lock can never outlive its holder. The file also records who holds it, for the
 * message another runner shows; the file itself stays (deleting it while another process
 * waits on it would let two holders in).
 *
 * @module
 */
import { join } from "node:path";
import { openNoFollow } from "./nofollow.ts";

/** File name of the lock inside the locked folder. */
export const LOCK_FILE = ".lock";

/** Who holds a lock. */
export interface LockOwner {
  /** Its process id. */
  pid: number;
  /** Its machine, when known. */
  host: string | null;
  /** When it took the lock (ISO time). */
  started: string;
}

/** A held lock. */
export interface FolderLock {
  /** The lock file. */
  readonly path: string;
  /** Releases the lock (the operating system also does when the process ends). */
  release(): Promise<void>;
}

/**
 * This machine's name: from the OS with `--allow-sys=hostname`, else from
 * `/etc/hostname` (read permission), else null.
 */
export function hostName(): string | null {
  if (Deno.permissions.querySync({ name: "sys", kind: "hostname" }).state === "granted") {
    return Deno.hostname();
  }
  try {
    return Deno.readTextFileSync("/etc/hostname").trim() || null;
  } catch {
    return null;
  }
}

/** The recorded holder of the lock file at `path`, if it names one. */
export async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await Deno.readTextFile(path));
    return typeof owner?.pid === "number" ? owner as LockOwner : undefined;
  } catch {
    return undefined;
  }
}

/** Exit code of a worker refused because another live process holds its run's folder. */
export const BUSY_EXIT = 75;

/** A lock refused because a live process holds it. */
export class FolderInUseError extends Error {
  /** An error for folder `dir`, held by `owner` when the lock file names it. */
  constructor(readonly dir: string, readonly owner: LockOwner | undefined) {
    super(
      `results folder ${dir} is in use by another runner (${describeOwner(owner)}); wait for it ` +
        "to end, or stop it (the folder is released as soon as it ends, however it ends)",
    );
    this.name = "FolderInUseError";
  }
}

/** Who holds a lock, in words. */
export function describeOwner(owner: LockOwner | undefined): string {
  return owner
    ? `pid ${owner.pid} on ${owner.host ?? "an unknown host"}, since ${owner.started}`
    : "another process";
}

/**
 * The holder of folder `dir`'s lock when a live process holds it, "free" otherwise (also when the
 * folder has no lock file). Takes nothing: a free lock is let go at once.
 */
export async function lockHolder(dir: string): Promise<LockOwner | "unknown" | "free"> {
  const path = join(dir, LOCK_FILE);
  let file: Deno.FsFile;
  try {
    file = await openNoFollow(path, { read: true, write: true });
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return "free";
    throw e;
  }
  try {
    if (await file.tryLock(true)) return "free";
  } finally {
    file.close();
  }
  return await readOwner(path) ?? "unknown";
}

/**
 * Locks folder `dir` (created if missing) for this process. Fails at once, naming the holder,
 * ({@link FolderInUseError}) when another live process holds it; a lock file left by a process
 * that has ended holds nothing and is simply taken. A `.lock` that is a link (symbolic or hard)
 * is refused (it is never truncated through), with an error naming it.
 */
export async function acquireLock(dir: string): Promise<FolderLock> {
  await Deno.mkdir(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  // Never through a symbolic link: the lock file is truncated and rewritten below.
  const file = await openNoFollow(path, { read: true, write: true, create: true });
  if (!(await file.tryLock(true))) {
    file.close();
    throw new FolderInUseError(dir, await readOwner(path));
  }
  const me: LockOwner = { pid: Deno.pid, host: hostName(), started: new Date().toISOString() };
  try {
    await file.truncate(0);
    await file.write(new TextEncoder().encode(JSON.stringify(me) + "\n"));
  } catch (e) {
    // A full disk: the error names the file, and the lock goes with it.
    file.close();
    if (e instanceof Error) e.message = `cannot write ${path}: ${e.message}`;
    throw e;
  }
  let held = true;
  return {
    path,
    release: async () => {
      if (!held) return;
      held = false;
      await file.truncate(0).catch(() => {});
      file.close();
    },
  };
}
