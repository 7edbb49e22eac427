import assert from "node:assert/strict";
import { join } from "node:path";
import { acquireLock, hostName, LOCK_FILE, processAlive } from "../../src/harness/lock.ts";

/** The pid of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", ""],
    stdout: "null",
    stderr: "null",
  })
    .spawn();
  await child.status;
  return child.pid;
}

Deno.test("processAlive() tells a live process from an ended one", async () => {
  assert.equal(processAlive(Deno.pid), true);
  assert.equal(processAlive(await deadPid()), false);
});

Deno.test("acquireLock() refuses a held folder, naming the holder, until it is released", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const lock = await acquireLock(join(dir, "exp"));
    const owner = JSON.parse(await Deno.readTextFile(join(dir, "exp", LOCK_FILE)));
    assert.equal(owner.pid, Deno.pid);
    await assert.rejects(
      () => acquireLock(join(dir, "exp")),
      new RegExp(`is locked by another runner \\(pid ${Deno.pid} `),
    );
    await lock.release();
    const again = await acquireLock(join(dir, "exp"));
    assert.equal(again.replacedStale, undefined);
    await again.release();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("acquireLock() takes over a lock whose process on this host has ended", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const stale = { pid: await deadPid(), host: hostName(), started: "2020-01-01T00:00:00.000Z" };
    await Deno.writeTextFile(join(dir, LOCK_FILE), JSON.stringify(stale));
    const lock = await acquireLock(dir);
    assert.deepEqual(lock.replacedStale, stale);
    assert.equal(JSON.parse(await Deno.readTextFile(lock.path)).pid, Deno.pid);
    await lock.release();
    const elsewhere = { ...stale, host: "another-host" };
    await Deno.writeTextFile(join(dir, LOCK_FILE), JSON.stringify(elsewhere));
    await assert.rejects(() => acquireLock(dir), /on another-host/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
