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

/**
 * Locks folder `dir` (created if missing) for this process. Fails at once, naming the holder,
 * when another live process holds it; a lock file left by a process that has ended holds
 * nothing and is simply taken. A `.lock` that is a symbolic link is refused (it is never
 * truncated through), with an error naming it.
 */
export async function acquireLock(dir: string): Promise<FolderLock> {
  await Deno.mkdir(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  // Never through a symbolic link: the lock file is truncated and rewritten below.
  const file = await openNoFollow(path, { read: true, write: true, create: true });
  if (!(await file.tryLock(true))) {
    file.close();
    const owner = await readOwner(path);
    const who = owner
      ? `pid ${owner.pid} on ${owner.host ?? "an unknown host"}, since ${owner.started}`
      : "another process";
    throw new Error(
      `results folder ${dir} is in use by another runner (${who}); wait for it to end, ` +
        `or stop it (the folder is released as soon as it ends, however it ends)`,
    );
  }
  const me: LockOwner = { pid: Deno.pid, host: hostName(), started: new Date().toISOString() };
  await file.truncate(0);
  await file.write(new TextEncoder().encode(JSON.stringify(me) + "\n"));
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
