/**
 * A run's numbers are checked as they are produced: a non-finite one fails that run alone
 * (named with its iteration and quantity, recorded in its manifest, listed by the runner, exit
 * code 1), and a run whose policy stops changing is warned about in its log, on the progress
 * line and in its manifest.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fixture, readIfExists, resultsDir, task } from "./_task.ts";

const root = resultsDir("numbers");

Deno.test("a non-finite return fails its run alone; a stalled run warns", async () => {
  const out = join(root, "both");
  const { code, stdout, stderr } = await task("run", [
    fixture("overflow.jsonc"),
    fixture("stalled.jsonc"),
    "--out",
    out,
    "--jobs",
    "1",
  ]);
  assert.equal(code, 1, stderr);
  assert.match(stdout, /runs: 2 done, 0 skipped, 1 failed/);
  assert.match(stderr, /failed: overflow\/rl2\/seed-0 \(see .*overflow\/rl2\/seed-0\)/);
  assert.doesNotMatch(stdout + stderr, /Cannot read properties|toFixed/);

  const failed = JSON.parse((await readIfExists(join(out, "overflow/rl2/seed-0/manifest.json")))!);
  assert.equal(failed.status, "failed");
  assert.match(failed.error, /^iteration 1: the value loss is (NaN|-?Infinity); /);
  const progress = await readIfExists(join(out, "overflow/rl2/seed-0/progress.csv"));
  assert.ok(progress === undefined || !/NaN|Infinity/.test(progress), "no NaN written");

  const warning = /warning at iteration 3: the policy has not changed in the last 3 iterations/;
  assert.match(stdout, new RegExp(`stalled/rl2/seed-0: ${warning.source}`));
  assert.match(stdout, /stalled\/rl2\/seed-0: done \(.*1 warning \(see log\.txt\)\)/);
  assert.match((await readIfExists(join(out, "stalled/rl2/seed-0/log.txt")))!, warning);
  const stalled = JSON.parse((await readIfExists(join(out, "stalled/rl2/seed-0/manifest.json")))!);
  assert.equal(stalled.status, "done");
  assert.deepEqual(stalled.warnings.map((w: { iteration: number }) => w.iteration), [3]);
  const ucb1 = JSON.parse((await readIfExists(join(out, "stalled/ucb1/seed-0/manifest.json")))!);
  assert.equal(ucb1.status, "done");
  assert.equal(ucb1.warnings, undefined);
});
