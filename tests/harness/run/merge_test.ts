import assert from "node:assert/strict";
import { join } from "node:path";
import { mergeResults } from "../../../src/harness/run/merge.ts";
import { moduleTempDir, readCsvs, runQuietly, TINY } from "../_results.ts";

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
  const shardRuns = [...(await readCsvs(outputs[0]!)).keys()].filter((k) => k.endsWith("eval.csv"));
  assert.ok(shardRuns.length > 0);
  assert.equal(again.copied, 0);
  assert.equal(again.duplicates, shardRuns.length, "each of the shard's runs counted once");
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
  await t.step("on config_hash of a run already in the output", async () => {
    const twin = join(root, "twin");
    await copyTree(one!, twin);
    const manifest = await firstManifest(twin);
    await editManifest(manifest, (m) => m.config_hash = "f".repeat(64));
    const out = join(root, "refused-twin");
    await mergeResults([one!], out);
    await assert.rejects(() => mergeResults([twin], out), /its config_hash \(f{64}\)/);
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

Deno.test("mergeResults() refuses a shard given twice, under any path, and writes nothing", async () => {
  const [one, two] = await shardOutputs();
  const out = join(root, "twice");
  await assert.rejects(
    () => mergeResults([one!, two!, `${one}/./`], out),
    /is given twice \(also as .*shard-1\); name each shard once/,
  );
  const copy = join(root, "copy-of-one");
  await copyTree(one!, copy);
  await assert.rejects(
    () => mergeResults([one!, copy], out),
    /run tiny\/\S+ is in both .*shard-1\S* and .*copy-of-one\S*; the same shard was given twice/,
  );
  assert.equal(await Deno.stat(out).catch(() => null), null, "no output folder left behind");
});

Deno.test("mergeResults() refuses shards of different code unless allowMixed, and records it", async (t) => {
  const [one, two, three] = await shardOutputs();
  const edits: [string, (m: Record<string, unknown>) => void, RegExp][] = [
    ["commit", (m) => m.git = { commit: "c".repeat(40), dirty: false }, /its git commit/],
    ["dirty", (m) => {
      const git = m.git as { commit: string; dirty: boolean };
      m.git = { ...git, dirty: !git.dirty };
    }, /its git dirty flag/],
  ];
  for (const [name, edit, message] of edits) {
    await t.step(`on the ${name}`, async () => {
      const other = join(root, `other-${name}`);
      await copyTree(two!, other);
      for await (const entry of Deno.readDir(join(other, "tiny"))) {
        if (!entry.isDirectory) continue;
        for await (const seed of Deno.readDir(join(other, "tiny", entry.name))) {
          await editManifest(join(other, "tiny", entry.name, seed.name, "manifest.json"), edit);
        }
      }
      const out = join(root, `mixed-${name}`);
      await assert.rejects(
        () => mergeResults([one!, other, three!], out),
        (e: Error) => message.test(e.message) && /unless --allow-mixed/.test(e.message),
      );
      assert.equal(await Deno.stat(out).catch(() => null), null);
      const summary = await mergeResults([one!, other, three!], out, { allowMixed: true });
      assert.equal(summary.copied, 4);
      const record = JSON.parse(await Deno.readTextFile(join(out, "tiny", "merge.json")));
      assert.equal(record.allow_mixed, true);
      assert.equal(record.inputs.length, 3);
      assert.ok(record.mixed.length >= 1, JSON.stringify(record));
      assert.equal(record.commits.length, 2);
    });
  }
  await t.step("never on the resolved experiment, even with allowMixed", async () => {
    const other = join(root, "other-experiment");
    await copyTree(two!, other);
    for await (const entry of Deno.readDir(join(other, "tiny"))) {
      if (!entry.isDirectory) continue;
      for await (const seed of Deno.readDir(join(other, "tiny", entry.name))) {
        await editManifest(
          join(other, "tiny", entry.name, seed.name, "manifest.json"),
          (m) => m.experiment_hash = "e".repeat(64),
        );
      }
    }
    const out = join(root, "mixed-experiment");
    await assert.rejects(
      () => mergeResults([one!, other, three!], out, { allowMixed: true }),
      /its experiment_hash \(e{64}\) differs/,
    );
    assert.equal(await Deno.stat(out).catch(() => null), null);
  });
});
