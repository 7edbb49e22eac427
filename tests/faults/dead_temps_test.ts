/**
 * What a killed `merge` or `compare` left (`NAME.<pid>.tmp` beside its output, with no process
 * writing it any more) is removed by the next `merge` or `compare` of that folder; a temporary
 * file that a live process is writing (it holds its lock, as every atomic write does) is kept.
 * (The next `run` of a folder does the same: `again_test.ts`.)
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fixture, PROJECT, resultsDir, task } from "./_task.ts";

const root = resultsDir("dead-temps");
const INPUT = join(root, "input", "twice");
const TARGET = join(root, "merged", "twice");

const exists = (path: string) => Deno.lstat(join(PROJECT, path)).then(() => true, () => false);

/** Writes a temporary file as a writer killed an hour ago left it. */
async function leftover(path: string): Promise<void> {
  await Deno.mkdir(join(PROJECT, path, ".."), { recursive: true });
  await Deno.writeTextFile(join(PROJECT, path), "partial");
  const hourAgo = new Date(Date.now() - 3_600_000);
  await Deno.utime(join(PROJECT, path), hourAgo, hourAgo);
}

Deno.test("merge and compare remove what a killed merge or compare left, never a live writer's", async () => {
  const made = await task("run", [
    fixture("twice.jsonc"),
    "--only",
    "greedy",
    "--out",
    join(root, "input"),
  ]);
  assert.equal(made.code, 0, made.stdout + made.stderr);
  const deadMerge = join(TARGET, "greedy", "seed-0", "manifest.json.4242.tmp");
  const live = join(TARGET, "greedy", "seed-0", `eval.csv.${Deno.pid}.tmp`);
  for (const path of [deadMerge, live]) await leftover(path);
  using writer = await Deno.open(join(PROJECT, live), { read: true, write: true });
  await writer.lock(true);
  const merged = await task("merge", [INPUT, "--out", join(root, "merged")]);
  assert.equal(merged.code, 0, merged.stdout + merged.stderr);
  assert.equal(await exists(deadMerge), false, "a killed merge's temporary file is removed");
  assert.equal(await exists(live), true, "a live writer's temporary file is kept");

  const deadCompare = join(TARGET, "curves-twice.svg.4243.tmp");
  await leftover(deadCompare);
  const compared = await task("compare", [TARGET, "--out", TARGET]);
  assert.equal(compared.code, 0, compared.stdout + compared.stderr);
  assert.equal(await exists(deadCompare), false, "a killed compare's temporary file is removed");
  assert.equal(await exists(live), true, "a live writer's temporary file is kept");
});
