/**
 * A run killed as schedulers kill (SIGKILL or SIGTERM to the whole process group) at several
 * points resumes with `deno task run … --resume` and ends with the CSVs of an uninterrupted
 * run, byte for byte (the seconds column aside).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { readCsvs } from "../harness/_results.ts";
import {
  fixture,
  PROJECT,
  readIfExists,
  resultsDir,
  startTask,
  task,
  type TaskOutput,
  waitFor,
} from "./_task.ts";

const FILE = fixture("killable.jsonc");
const root = resultsDir("kill");
const RUN = join("killable", "rl2", "seed-0");

let reference: Promise<Map<string, string>> | undefined;

/** The CSVs of the run uninterrupted. */
function uninterrupted(): Promise<Map<string, string>> {
  reference ??= (async () => {
    const out = join(root, "whole");
    const done = await task("run", [FILE, "--out", out, "--jobs", "1"]);
    assert.equal(done.code, 0, done.stderr);
    return await readCsvs(join(PROJECT, out));
  })();
  return reference;
}

const log = (out: string) => readIfExists(join(out, RUN, "log.txt")).then((t) => t ?? "");
const exists = (path: string) => Deno.stat(join(PROJECT, path)).then(() => true, () => false);

/** Kills the run in `out` with `signal` once `ready` holds, then resumes it; returns both ends. */
async function killThenResume(
  out: string,
  signal: Deno.Signal,
  ready: () => Promise<boolean>,
): Promise<{ killed: TaskOutput; killedLog: string; resumed: TaskOutput }> {
  const running = startTask("run", [FILE, "--out", out, "--jobs", "1"]);
  await waitFor(`the kill point in ${out}`, ready);
  running.killGroup(signal);
  const killed = await running.output();
  const killedLog = await log(out);
  const resumed = await task("run", [FILE, "--out", out, "--jobs", "1", "--resume"]);
  assert.equal(resumed.code, 0, `resume failed:\n${resumed.stdout}\n${resumed.stderr}`);
  assert.match(resumed.stdout, /runs: 1 done, 0 skipped, 0 failed/);
  assert.deepEqual(await readCsvs(join(PROJECT, out)), await uninterrupted());
  return { killed, killedLog, resumed };
}

Deno.test("kill -9 of the process group during the first evaluation (before any checkpoint)", async () => {
  const out = join(root, "first-eval");
  const { killed, killedLog } = await killThenResume(
    out,
    "SIGKILL",
    async () => (await log(out)).includes(" run rl2/seed-0 of killable"),
  );
  assert.equal(killed.signal, "SIGKILL");
  assert.doesNotMatch(killedLog, /evaluation at iteration 0/, "killed after the evaluation");
  assert.equal(await exists(join(out, RUN, "checkpoint.json.tmp")), false);
  // The killed attempt's log is kept, and the new attempt says it started over.
  const after = await log(out);
  assert.ok(after.startsWith(killedLog), "the killed attempt's lines are kept");
  assert.match(after, /starting from the beginning: no checkpoint of an earlier attempt/);
});

Deno.test("kill -9 of the process group during an evaluation after a checkpoint", async () => {
  const out = join(root, "mid-eval");
  const { killedLog } = await killThenResume(
    out,
    "SIGKILL",
    async () => (await log(out)).includes("iteration 3/6"),
  );
  assert.match(killedLog, /iteration 3\/6/);
  assert.doesNotMatch(killedLog, /evaluation at iteration 3/, "killed after the evaluation");
  assert.match(await log(out), /continuing an earlier attempt from its checkpoint at iteration 2/);
});

Deno.test("SIGTERM of the process group (scancel, timeout) between checkpoints", async () => {
  const out = join(root, "term");
  const { killed } = await killThenResume(
    out,
    "SIGTERM",
    async () => (await log(out)).includes("iteration 4/6"),
  );
  assert.equal(killed.code, 130, killed.stderr);
  assert.match(killed.stdout, /interrupted; continue with:\n {2}deno task run .* --resume/);
  const manifest = JSON.parse((await readIfExists(join(out, RUN, "manifest.json")))!);
  assert.equal(manifest.status, "done");
  assert.equal(manifest.resumed.length, 1);
});

Deno.test("SIGTERM leaves the manifest interrupted and the folder free", async () => {
  const out = join(root, "term-state");
  const running = startTask("run", [FILE, "--out", out, "--jobs", "1"]);
  await waitFor("the first iteration", async () => (await log(out)).includes("iteration 1/6"));
  running.killGroup("SIGTERM");
  const killed = await running.output();
  assert.equal(killed.code, 130);
  const manifest = JSON.parse((await readIfExists(join(out, RUN, "manifest.json")))!);
  assert.equal(manifest.status, "interrupted");
  // The folder is free, and the same command (without --resume: config and code are unchanged)
  // continues the interrupted run to the CSVs of an uninterrupted one.
  const again = await task("run", [FILE, "--out", out, "--jobs", "1"]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /runs: 1 done, 0 skipped, 0 failed/);
  assert.deepEqual(await readCsvs(join(PROJECT, out)), await uninterrupted());
});

Deno.test("--stop-after stops the runs as SIGTERM does, resumably", async () => {
  const out = join(root, "stop-after");
  // The fixture made far too long to finish in the time given: 1000 iterations.
  const long = join(root, "killable-long.jsonc");
  await Deno.writeTextFile(
    join(PROJECT, long),
    (await readIfExists(FILE))!.replace('"iterations": 6', '"iterations": 1000'),
  );
  const args = [long, "--out", out, "--jobs", "1", "--stop-after", "3s"];
  const stopped = await task("run", args);
  assert.equal(stopped.code, 130, stopped.stderr);
  assert.match(stopped.stdout, /stopping \(--stop-after\): ending the runs/);
  assert.match(
    stopped.stdout,
    /interrupted; continue with:\n {2}deno task run .* --stop-after 3s --resume/,
  );
  const manifest = await readIfExists(join(out, RUN, "manifest.json"));
  if (manifest !== undefined) assert.equal(JSON.parse(manifest).status, "interrupted");
  // The folder is left resumable: the same command with --resume is not refused.
  const again = await task("run", [...args, "--resume"]);
  assert.equal(again.code, 130, again.stderr);
  assert.match(again.stdout, /stopping \(--stop-after\)/);
});
