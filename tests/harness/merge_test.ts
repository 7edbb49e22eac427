import assert from "node:assert/strict";
import { join } from "node:path";
import { mergeResults } from "../../src/harness/merge.ts";
import { moduleTempDir, readCsvs, runQuietly, TINY } from "./_results.ts";

const root = moduleTempDir();
let shards: Promise<string[]> | undefined;

/** The tiny experiment run as 3 shards at once, each into its own folder. */
function shardOutputs(): Promise<string[]> {
  shards ??= Promise.all([1, 2, 3].map(async (index) => {
    const out = join(root, `shard-${index}`);
    const summary = await runQuietly({ files: [TINY], out, shard: { index, count: 3 } });
    assert.ok(summary.results.every((r) => r.outcome === "done"));
    return out;
  }));
  return shards;
}

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyTree(join(from, entry.name), join(to, entry.name));
    else await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
}

async function editManifest(path: string, edit: (m: Record<string, unknown>) => void) {
  const manifest = JSON.parse(await Deno.readTextFile(path));
  edit(manifest);
  await Deno.writeTextFile(path, JSON.stringify(manifest));
}

async function firstManifest(dir: string): Promise<string> {
  for (const run of ["rl2/seed-0", "rl2/seed-1", "ucb1/seed-0", "ucb1/seed-1"]) {
    const path = join(dir, "tiny", run, "manifest.json");
    if (await Deno.stat(path).then(() => true, () => false)) return path;
  }
  throw new Error(`no run in ${dir}`);
}

Deno.test("mergeResults() of 3 shards gives the same CSVs as one unsharded run", async () => {
  const [outputs, whole] = await Promise.all([
    shardOutputs(),
    runQuietly({ files: [TINY], out: join(root, "whole"), jobs: 2 }),
  ]);
  assert.equal(whole.results.length, 4);
  const sizes = await Promise.all(outputs.map(async (o) => (await readCsvs(o)).size));
  assert.ok(sizes.every((n) => n > 0), `every shard has runs: ${sizes}`);
  const merged = join(root, "merged");
  const summary = await mergeResults(outputs, merged);
  assert.deepEqual(summary, { experiments: ["tiny"], copied: 4, duplicates: 0 });
  assert.deepEqual(await readCsvs(merged), await readCsvs(join(root, "whole")));
  // Merging a shard again is harmless: its runs are already there.
  const again = await mergeResults([join(outputs[0]!, "tiny")], merged);
  assert.equal(again.copied, 0);
  assert.ok(again.duplicates > 0);
});

Deno.test("mergeResults() refuses runs whose lock hash, backend or config hash differ", async (t) => {
  const [one, two, three] = await shardOutputs();
  const cases: [string, (m: Record<string, unknown>) => void, RegExp][] = [
    ["lock_hash", (m) => m.lock_hash = "0".repeat(64), /its lock_hash \(0{64}\) differs/],
    [
      "tfjs.backend",
      (m) => (m.tfjs as Record<string, unknown>).backend = "cpu",
      /its tfjs\.backend \(cpu\) differs/,
    ],
  ];
  for (const [field, edit, message] of cases) {
    await t.step(`on ${field}`, async () => {
      const tampered = join(root, `tampered-${field}`);
      await copyTree(two!, tampered);
      const manifest = await firstManifest(tampered);
      await editManifest(manifest, edit);
      const out = join(root, `refused-${field}`);
      const run = manifest.slice(join(tampered, "tiny").length + 1, -"/manifest.json".length);
      await assert.rejects(
        () => mergeResults([one!, tampered, three!], out),
        (e: Error) =>
          message.test(e.message) && e.message.includes(`run tiny/${run} from ${tampered}`),
      );
      assert.equal(
        await Deno.stat(join(out, "tiny", "experiment.resolved.json")).catch(() => null),
        null,
      );
    });
  }
  await t.step("on config_hash of the same run", async () => {
    const twin = join(root, "twin");
    await copyTree(one!, twin);
    const manifest = await firstManifest(twin);
    await editManifest(manifest, (m) => m.config_hash = "f".repeat(64));
    await assert.rejects(
      () => mergeResults([one!, twin], join(root, "refused-twin")),
      /its config_hash \(f{64}\)/,
    );
  });
  await t.step("on an unfinished run", async () => {
    const partial = join(root, "partial");
    await copyTree(three!, partial);
    await editManifest(await firstManifest(partial), (m) => m.status = "running");
    await assert.rejects(
      () => mergeResults([one!, partial], join(root, "refused-partial")),
      /is not done \(status running\); finish it with --resume/,
    );
  });
});
