/**
 * `deno task merge` refuses what would give a mixed or doubled table, writing nothing when it
 * refuses; `--allow-mixed` merges and records it, and `compare` then marks the table.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fixture, PROJECT, readIfExists, resultsDir, task } from "./_task.ts";

const root = resultsDir("merge");
const FILE = fixture("stalled.jsonc");

let shards: Promise<[string, string]> | undefined;

/** The fixture's runs in two shards, each in its own folder. */
function twoShards(): Promise<[string, string]> {
  shards ??= (async () => {
    const outs: string[] = [];
    for (const index of [1, 2]) {
      const out = join(root, `shard-${index}`);
      const done = await task("run", [FILE, "--shard", `${index}/2`, "--out", out, "--jobs", "1"]);
      assert.equal(done.code, 0, done.stderr);
      outs.push(out);
    }
    return outs as [string, string];
  })();
  return shards;
}

const missing = (path: string) => Deno.stat(join(PROJECT, path)).then(() => false, () => true);

Deno.test("merge refuses a shard given twice and leaves no output folder", async () => {
  const [one, two] = await twoShards();
  const out = join(root, "twice");
  const refused = await task("merge", [one, two, one, "--out", out]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /is given twice \(also as .*shard-1\); name each shard once/);
  assert.ok(await missing(out));
});

Deno.test("merge refuses shards of another commit unless --allow-mixed; compare marks them", async () => {
  const [one, two] = await twoShards();
  const other = join(root, "other-commit");
  await Deno.mkdir(join(PROJECT, other, "stalled", "ucb1"), { recursive: true });
  await Deno.copyFile(
    join(PROJECT, two, "stalled", "experiment.resolved.json"),
    join(PROJECT, other, "stalled", "experiment.resolved.json"),
  );
  const runs: string[] = [];
  for await (const agent of Deno.readDir(join(PROJECT, two, "stalled"))) {
    if (agent.isDirectory) runs.push(agent.name);
  }
  for (const agent of runs) {
    const from = join(PROJECT, two, "stalled", agent, "seed-0");
    const to = join(PROJECT, other, "stalled", agent, "seed-0");
    await Deno.mkdir(to, { recursive: true });
    for await (const f of Deno.readDir(from)) {
      await Deno.copyFile(join(from, f.name), join(to, f.name));
    }
    const manifest = JSON.parse(await Deno.readTextFile(join(to, "manifest.json")));
    manifest.git = { commit: "0123456789abcdef0123456789abcdef01234567", dirty: false };
    await Deno.writeTextFile(join(to, "manifest.json"), JSON.stringify(manifest));
  }
  const out = join(root, "merged");
  const refused = await task("merge", [one, other, "--out", out]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /its git commit \(0123456789abcdef/);
  assert.match(refused.stderr, /not merged unless --allow-mixed/);
  assert.ok(await missing(out));

  const mixed = await task("merge", [one, other, "--out", out, "--allow-mixed"]);
  assert.equal(mixed.code, 0, mixed.stderr);
  const record = JSON.parse((await readIfExists(join(out, "stalled", "merge.json")))!);
  assert.equal(record.allow_mixed, true);
  assert.ok(record.mixed.includes("git commit"));
  assert.equal(record.commits.length, 2);

  const compared = await task("compare", [join(out, "stalled")]);
  assert.equal(compared.code, 0, compared.stderr);
  assert.match(compared.stderr, /stalled: warning: these results were made by 2 versions of/);
  const table = (await readIfExists(join(out, "stalled", "comparison.md")))!;
  assert.match(table, /\*\*Warning:\*\* these results were made by 2 versions of the code/);
});
