/**
 * A run's numbers are checked before and as they are produced: a task whose numbers would
 * overflow float32 is refused before anything runs (the schema's bounds leave no file that
 * produces a non-finite number; the check that would catch one mid-run is tested in
 * tests/harness/run/health_test.ts), and a run whose policy stops changing is warned about in
 * its log, on the progress line and in its manifest.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fixture, readIfExists, resultsDir, task } from "./_task.ts";

const root = resultsDir("numbers");

Deno.test("a task that would overflow is refused before anything runs; a stalled run warns", async () => {
  const out = join(root, "both");
  const refused = await task("run", [
    fixture("overflow.jsonc"),
    fixture("stalled.jsonc"),
    "--out",
    out,
    "--jobs",
    "1",
  ]);
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(
    refused.stderr,
    /overflow\.jsonc:\d+:\d+: task\.force_mag: expected a number <= 10000/,
  );
  assert.equal(await readIfExists(join(out, "stalled/rl2/seed-0/manifest.json")), undefined);

  const { code, stdout, stderr } = await task("run", [
    fixture("stalled.jsonc"),
    "--out",
    out,
    "--jobs",
    "1",
  ]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /runs: 2 done, 0 skipped, 0 failed/);
  assert.doesNotMatch(stdout + stderr, /Cannot read properties|toFixed/);

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
