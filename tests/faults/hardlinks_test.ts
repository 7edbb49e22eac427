/**
 * No write goes through a hard link out of the results folder: a `.lock` or `log.txt` that has
 * another name (a file outside `results/`) is refused, naming it, and the outside file keeps its
 * contents. Files written by rename replace a link instead of writing through it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fixture, PROJECT, resultsDir, task } from "./_task.ts";

const root = resultsDir("hardlinks");
const FILE = fixture("lengthen.jsonc");
const KEEP = "keep: outside the results folder\n";

/** A file outside results/ (on the same file system, so it can be hard-linked), removed after. */
async function withOutsideFile(use: (path: string) => Promise<void>): Promise<void> {
  const path = join(PROJECT, `.faults-hardlink-${Deno.pid}.txt`);
  await Deno.writeTextFile(path, KEEP);
  try {
    await use(path);
    assert.equal(await Deno.readTextFile(path), KEEP, "the outside file was written");
  } finally {
    await Deno.remove(path);
  }
}

Deno.test("run refuses a .lock or log.txt hard-linked to a file outside results/", async () => {
  await withOutsideFile(async (outside) => {
    const locked = join(root, "lock");
    await Deno.mkdir(join(PROJECT, locked, "lengthen"), { recursive: true });
    await Deno.link(outside, join(PROJECT, locked, "lengthen", ".lock"));
    const refused = await task("run", [FILE, "--out", locked]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /lengthen\/\.lock is a hard link .*never written through links/);
    assert.doesNotMatch(refused.stderr, /^\s+at /m, "no stack trace");

    const logged = join(root, "log");
    const run = join(PROJECT, logged, "lengthen", "rl2", "seed-0");
    await Deno.mkdir(run, { recursive: true });
    await Deno.link(outside, join(run, "log.txt"));
    const failed = await task("run", [FILE, "--out", logged]);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /seed-0\/log\.txt is a hard link .*never written through links/);
  });
});
