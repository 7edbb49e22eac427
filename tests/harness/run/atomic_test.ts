import assert from "node:assert/strict";
import { join } from "node:path";
import { removeStaleTemps, TEMP_SUFFIX, writeFileAtomic } from "../../../src/harness/run/atomic.ts";

async function names(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) found.push(entry.name);
  return found.sort();
}

Deno.test("writeFileAtomic() replaces a file's contents and leaves no temporary file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "a.txt");
    await writeFileAtomic(path, "first");
    await writeFileAtomic(path, "second, longer than the first");
    assert.equal(await Deno.readTextFile(path), "second, longer than the first");
    await writeFileAtomic(path, Uint8Array.of(1, 2, 3));
    assert.deepEqual(await Deno.readFile(path), Uint8Array.of(1, 2, 3));
    assert.deepEqual(await names(dir), ["a.txt"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("removeStaleTemps() deletes only temporary files, and accepts a missing folder", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, `eval.csv.123${TEMP_SUFFIX}`), "torn");
    await Deno.writeTextFile(join(dir, "eval.csv"), "kept");
    await removeStaleTemps(dir);
    assert.deepEqual(await names(dir), ["eval.csv"]);
    await removeStaleTemps(join(dir, "missing"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
