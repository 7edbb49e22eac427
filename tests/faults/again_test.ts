/**
 * The main job typed again: finished runs are reused and the table printed, interrupted ones
 * continue when config and code are unchanged and are refused with the command to type when
 * not, `--fresh` starts over with the earlier results moved aside, and a `--stop-after` longer
 * than a timer can hold lets the runs finish.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fixture, PROJECT, readIfExists, resultsDir, task } from "./_task.ts";

const root = resultsDir("again");
const FILE = join(root, "twice.jsonc");
const OUT = join(root, "out");
const EXPERIMENT = join(OUT, "twice");
const RUN = join(EXPERIMENT, "rl2", "seed-0");

const exists = (path: string) => Deno.lstat(join(PROJECT, path)).then(() => true, () => false);
const json = async (path: string) => JSON.parse((await readIfExists(path))!);
const writeJson = (path: string, data: unknown) =>
  Deno.writeTextFile(join(PROJECT, path), JSON.stringify(data));

/** Writes a temporary file as a writer killed an hour ago left it. */
async function leftover(path: string): Promise<void> {
  await Deno.writeTextFile(join(PROJECT, path), "partial");
  const hourAgo = new Date(Date.now() - 3_600_000);
  await Deno.utime(join(PROJECT, path), hourAgo, hourAgo);
}

Deno.test("--stop-after beyond a timer's 24.8 days (600h) lets the runs finish", async () => {
  await Deno.copyFile(join(PROJECT, fixture("twice.jsonc")), join(PROJECT, FILE));
  const done = await task("run", [FILE, "--out", OUT, "--stop-after", "600h"]);
  assert.equal(done.code, 0, done.stdout + done.stderr);
  assert.match(done.stdout, /runs: 4 done, 0 skipped, 0 failed/);
  assert.doesNotMatch(done.stderr, /TimeoutOverflowWarning/);
});

Deno.test("the main job typed again reuses its runs, prints the table and cleans dead temp files", async () => {
  const dead = join(EXPERIMENT, "curves-twice.svg.4242.tmp");
  await leftover(dead);
  // A live writer's (this process holds its lock, as writeFileAtomic does while it writes).
  const live = join(EXPERIMENT, `comparison.md.${Deno.pid}.tmp`);
  await leftover(live);
  using writer = await Deno.open(join(PROJECT, live), { read: true, write: true });
  await writer.lock(true);
  const manifest = await readIfExists(join(RUN, "manifest.json"));
  const again = await task("run", [FILE, "--out", OUT]);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, /runs: 0 done, 4 skipped, 0 failed/);
  assert.match(again.stdout, /\| rl2 \| 2 \|/, "the comparison table");
  assert.equal(await readIfExists(join(RUN, "manifest.json")), manifest, "the run is kept");
  assert.equal(await exists(dead), false, "a killed writer's temporary file is removed");
  assert.equal(await exists(live), true, "a live process's temporary file is kept");
});

Deno.test("an interrupted run of other code is refused with the commands that continue or start over", async () => {
  const manifest = await json(join(RUN, "manifest.json"));
  const other = { commit: "0123456789abcdef0123456789abcdef01234567", dirty: false };
  const checkpoint = await json(join(RUN, "checkpoint.json"));
  await writeJson(join(RUN, "checkpoint.json"), { ...checkpoint, git: other });
  await writeJson(join(RUN, "manifest.json"), { ...manifest, status: "interrupted", git: other });
  const refused = await task("run", [FILE, "--out", OUT]);
  assert.equal(refused.code, 1);
  const command = `deno task run ${FILE} --out ${OUT}`;
  assert.ok(refused.stderr.includes(`${command} --resume --allow-mixed`), refused.stderr);
  assert.ok(refused.stderr.includes(`${command} --fresh`), refused.stderr);
  assert.equal((await json(join(RUN, "manifest.json"))).status, "interrupted", "nothing written");
});

Deno.test("a lengthened file is refused without --resume, naming the command", async () => {
  const text = (await readIfExists(FILE))!;
  await Deno.writeTextFile(join(PROJECT, FILE), text.replace('"iterations": 3', '"iterations": 4'));
  const refused = await task("run", [FILE, "--out", OUT]);
  assert.equal(refused.code, 1);
  assert.ok(refused.stderr.includes(`deno task run ${FILE} --out ${OUT} --resume`), refused.stderr);
});

Deno.test("--fresh moves the earlier results aside to a named backup and starts over", async () => {
  const usage = await task("run", [FILE, "--out", OUT, "--fresh", "--resume"]);
  assert.notEqual(usage.code, 0);
  assert.match(usage.stderr, /--fresh starts over .* does not go with --resume/);
  const fresh = await task("run", [FILE, "--out", OUT, "--fresh"]);
  assert.equal(fresh.code, 0, fresh.stdout + fresh.stderr);
  const moved = /--fresh: moved the earlier results in (\S+) to (\S+)/.exec(fresh.stdout);
  assert.ok(moved !== null, fresh.stdout);
  assert.equal(moved[1], EXPERIMENT);
  assert.match(moved[2]!, /twice\.before-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/);
  const backup = await json(join(moved[2]!, "rl2", "seed-0", "manifest.json"));
  assert.equal(backup.config.agent_config.sampling.iterations, 3, "the old results are kept");
  assert.match(fresh.stdout, /runs: 4 done, 0 skipped, 0 failed/);
  const now = await json(join(RUN, "manifest.json"));
  assert.equal(now.config.agent_config.sampling.iterations, 4);
  assert.equal(now.attempts.length, 1, "a new run, not a continued one");
});
