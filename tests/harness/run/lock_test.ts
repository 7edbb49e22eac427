import assert from "node:assert/strict";
import { join } from "node:path";
import { acquireLock, LOCK_FILE } from "../../../src/harness/run/lock.ts";

const LOCK_MODULE = new URL("../../../src/harness/run/lock.ts", import.meta.url).href;

/** A separate process that locks `dir`, says so on stdout, then waits to be killed. */
async function lockingProcess(
  dir: string,
): Promise<{ child: Deno.ChildProcess; output: ReadableStreamDefaultReader<string> }> {
  const code = `const { acquireLock } = await import(${JSON.stringify(LOCK_MODULE)});
await acquireLock(${JSON.stringify(dir)});
console.log("locked");
setInterval(() => {}, 1000);`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", code],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const { value } = await reader.read();
  assert.equal(value?.trim(), "locked");
  return { child, output: reader };
}

Deno.test("acquireLock() refuses a held folder, naming the holder, until it is released", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const lock = await acquireLock(join(dir, "exp"));
    const owner = JSON.parse(await Deno.readTextFile(join(dir, "exp", LOCK_FILE)));
    assert.equal(owner.pid, Deno.pid);
    await assert.rejects(
      () => acquireLock(join(dir, "exp")),
      new RegExp(`is in use by another runner \\(pid ${Deno.pid} `),
    );
    await lock.release();
    const again = await acquireLock(join(dir, "exp"));
    await again.release();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("acquireLock() is free again as soon as a holder killed by SIGKILL is gone", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { child, output } = await lockingProcess(dir);
    await assert.rejects(() => acquireLock(dir), new RegExp(`\\(pid ${child.pid} `));
    child.kill("SIGKILL");
    await child.status;
    await output.cancel();
    const lock = await acquireLock(dir);
    assert.equal(JSON.parse(await Deno.readTextFile(lock.path)).pid, Deno.pid);
    await lock.release();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("acquireLock() takes a lock file that no process holds, whatever it names", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const other = { pid: 1, host: "another-host", started: "2020-01-01T00:00:00.000Z" };
    await Deno.writeTextFile(join(dir, LOCK_FILE), JSON.stringify(other));
    const lock = await acquireLock(dir);
    assert.equal(JSON.parse(await Deno.readTextFile(lock.path)).pid, Deno.pid);
    await lock.release();
    assert.equal(await Deno.readTextFile(lock.path), "");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
