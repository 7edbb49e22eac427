/**
 * A lock on a results folder, so two runners never interleave their writes in it. The lock is
 * a file created with `createNew` holding the owner's pid, host and start time; a lock left by
 * a dead process on this host is detected and taken over (when the host's name is known).
 *
 * @module
 */
import { join } from "node:path";

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
  /** The owner of a stale lock this one replaced, if any. */
  readonly replacedStale?: LockOwner;
  /** Deletes the lock file. */
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

/** True when `pid` is a live process here, false when it is not, undefined when unknown. */
export function processAlive(pid: number): boolean | undefined {
  try {
    Deno.kill(pid, 0 as unknown as Deno.Signal);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
  }
  if (Deno.build.os !== "linux") return undefined;
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch (e) {
    return e instanceof Deno.errors.NotFound ? false : undefined;
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await Deno.readTextFile(path));
    return typeof owner?.pid === "number" ? owner as LockOwner : undefined;
  } catch {
    return undefined;
  }
}

async function createLockFile(path: string, owner: LockOwner): Promise<boolean> {
  try {
    await Deno.writeTextFile(path, JSON.stringify(owner) + "\n", { createNew: true });
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) return false;
    throw e;
  }
}

/**
 * Locks folder `dir` (created if missing). Fails with a message naming the holder when
 * another live process holds it; replaces a lock whose process on this host is gone.
 */
export async function acquireLock(dir: string): Promise<FolderLock> {
  await Deno.mkdir(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const host = hostName();
  const me: LockOwner = { pid: Deno.pid, host, started: new Date().toISOString() };
  const held = (replacedStale?: LockOwner): FolderLock => ({
    path,
    ...(replacedStale && { replacedStale }),
    release: () => Deno.remove(path).catch(() => {}),
  });
  if (await createLockFile(path, me)) return held();
  const owner = await readOwner(path);
  if (owner && host !== null && owner.host === host && processAlive(owner.pid) === false) {
    await Deno.remove(path);
    if (await createLockFile(path, me)) return held(owner);
  }
  const who = owner
    ? `pid ${owner.pid} on ${owner.host ?? "an unknown host"}, since ${owner.started}`
    : "an unknown process";
  throw new Error(
    `results folder ${dir} is locked by another runner (${who}); wait for it to finish, ` +
      `or delete ${path} if that runner is gone`,
  );
}
