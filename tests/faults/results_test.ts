/**
 * Results that cannot be silently wrong, through the real task command lines: `compare` and
 * `merge` check that every run is complete (status, every
 * iteration, every evaluation point and task) and that its numbers are ones the task can give;
 * an incomplete or corrupt run is named with its file and what is missing, and no table is
 * written unless `--allow-incomplete`. Every error that comes from a file names the file.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyTree, fixture, PROJECT, readIfExists, resultsDir, task } from "./_task.ts";

const root = resultsDir("results");
const FILE = fixture("stalled.jsonc");

let made: Promise<string> | undefined;

/** The fixture's finished results, made once; each test works on its own copy. */
function finished(): Promise<string> {
  made ??= (async () => {
    const out = join(root, "made");
    const done = await task("run", [FILE, "--out", out, "--jobs", "1"]);
    assert.equal(done.code, 0, done.stderr);
    return out;
  })();
  return made;
}

/** A copy of the finished results under `name`; returns its experiment folder. */
async function copy(name: string): Promise<string> {
  const out = join(root, name);
  await copyTree(join(PROJECT, await finished()), join(PROJECT, out));
  return join(out, "stalled");
}

async function edit(path: string, change: (text: string) => string): Promise<void> {
  const full = join(PROJECT, path);
  await Deno.writeTextFile(full, change(await Deno.readTextFile(full)));
}

function oneLine(stderr: string): void {
  assert.doesNotMatch(stderr, /^\s+at /m, "no stack trace");
  assert.doesNotMatch(stderr, /Cannot read properties|Maximum call stack/);
}

Deno.test("compare refuses a run cut short, naming the file and the evaluation missing", async () => {
  const dir = await copy("cut");
  const evalCsv = join(dir, "rl2", "seed-0", "eval.csv");
  // The fixture evaluates at iterations 0, 2, 4 and its last, 5, on 20 tasks each: cut the
  // last block (as `head -n -20` does), then one task of it.
  const full = await Deno.readTextFile(join(PROJECT, evalCsv));
  const lines = full.trimEnd().split("\n");
  await Deno.writeTextFile(join(PROJECT, evalCsv), lines.slice(0, -20).join("\n") + "\n");
  await Deno.remove(join(PROJECT, dir, "comparison.md"));
  const refused = await task("compare", [dir]);
  assert.equal(refused.code, 1);
  assert.match(
    refused.stderr,
    /run stalled\/rl2\/seed-0 is incomplete or corrupt: .*rl2\/seed-0\/eval\.csv has evaluations at iterations 0, 2, 4; expected 0, 2, 4, 5 \(missing 5\)/,
  );
  assert.match(refused.stderr, /--allow-incomplete/);
  oneLine(refused.stderr);
  assert.equal(await readIfExists(join(dir, "comparison.md")), undefined, "no table written");

  const allowed = await task("compare", [dir, "--allow-incomplete"]);
  assert.equal(allowed.code, 0, allowed.stderr);
  const table = (await readIfExists(join(dir, "comparison.md")))!;
  assert.match(table, /Runs without finished results: rl2\/seed-0 \(incomplete or corrupt\)/);

  await Deno.writeTextFile(join(PROJECT, evalCsv), lines.slice(0, -1).join("\n") + "\n");
  const task19 = await task("compare", [dir]);
  assert.equal(task19.code, 1);
  assert.match(task19.stderr, /eval\.csv: the evaluation at iteration 5 has 19 of its 20 tasks/);

  // A progress.csv without its last iteration.
  const cut = await copy("cut-progress");
  await edit(
    join(cut, "rl2", "seed-0", "progress.csv"),
    (text) => text.trimEnd().split("\n").slice(0, -1).join("\n") + "\n",
  );
  const short = await task("compare", [cut]);
  assert.equal(short.code, 1);
  assert.match(short.stderr, /progress\.csv ends at iteration 4 of 5 \(the run's last iteration/);

  // A run whose manifest says it did not finish.
  const running = await copy("running");
  await edit(
    join(running, "rl2", "seed-0", "manifest.json"),
    (text) => text.replace('"status": "done"', '"status": "interrupted"'),
  );
  const stopped = await task("compare", [running]);
  assert.equal(stopped.code, 1);
  assert.match(stopped.stderr, /rl2\/seed-0\/manifest\.json: status interrupted, not done/);
});

Deno.test("compare refuses returns the task cannot give, with the file and line", async () => {
  const dir = await copy("bounds");
  const evalCsv = join(dir, "ucb1", "seed-0", "eval.csv");
  await edit(evalCsv, (text) => text.replace(/\n0,3,[^\n]+/, "\n0,3,1e300"));
  const refused = await task("compare", [dir]);
  assert.equal(refused.code, 1);
  assert.match(
    refused.stderr,
    /ucb1\/seed-0\/eval\.csv line 5, column return: 1e300 is outside \[0, 3\], the returns the task can give/,
  );
  assert.doesNotMatch(refused.stdout, /Infinity/);
  await edit(evalCsv, (text) => text.replace("1e300", "NaN"));
  const nan = await task("compare", [dir]);
  assert.equal(nan.code, 1);
  assert.match(nan.stderr, /eval\.csv line 5, column return: expected a finite number, got "NaN"/);
});

Deno.test("errors that come from a file name the file, in one line", async (t) => {
  await t.step("a CSV line cut mid-row", async () => {
    const dir = await copy("torn-csv");
    const evalCsv = join(dir, "ucb1", "seed-0", "eval.csv");
    await edit(evalCsv, (text) => text.trimEnd().replace(/,[^,\n]+$/, "") + "\n");
    const { code, stderr } = await task("compare", [dir]);
    assert.equal(code, 1);
    assert.match(
      stderr,
      /ucb1\/seed-0\/eval\.csv: Invalid Record Length: expect 3, got 2 on line 21/,
    );
    oneLine(stderr);
  });
  for (
    const [name, text, got] of [["{}", "{}", /missing or mistyped: experiment/], [
      "[]",
      "[]",
      /expected a JSON object, got an array/,
    ], ["null", "null", /expected a JSON object, got null/]] as const
  ) {
    await t.step(`a manifest of ${name}`, async () => {
      const dir = await copy(`manifest-${name.replace(/\W/g, "_")}`);
      const manifest = join(dir, "ucb1", "seed-0", "manifest.json");
      await Deno.writeTextFile(join(PROJECT, manifest), text);
      for (const [command, args] of [["compare", [dir]], ["merge", [dir, "--out", `${dir}-m`]]]) {
        const { code, stderr } = await task(command as string, args as string[]);
        assert.equal(code, 1, command as string);
        assert.match(stderr, /ucb1\/seed-0\/manifest\.json is not a run manifest/);
        assert.match(stderr, got);
        oneLine(stderr);
      }
      const resumed = await task("run", [FILE, "--out", join(dir, ".."), "--resume"]);
      assert.equal(resumed.code, 1);
      assert.match(resumed.stderr, /ucb1\/seed-0\/manifest\.json is not a run manifest/);
      oneLine(resumed.stderr);
    });
  }
  await t.step("a corrupt merge.json", async () => {
    const dir = await copy("merge-record");
    const merged = join(root, "merge-record-out");
    const once = await task("merge", [dir, "--out", merged]);
    assert.equal(once.code, 0, once.stderr);
    await Deno.writeTextFile(join(PROJECT, merged, "stalled", "merge.json"), "{ torn");
    const again = await task("merge", [dir, "--out", merged]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /stalled\/merge\.json is not JSON .*; restore it, or merge/);
    oneLine(again.stderr);
  });
});

Deno.test("merge checks completeness too, and writes nothing when a run is short", async () => {
  const dir = await copy("merge-cut");
  const evalCsv = join(dir, "rl2", "seed-0", "eval.csv");
  await edit(evalCsv, (text) => text.trimEnd().split("\n").slice(0, -20).join("\n") + "\n");
  const out = join(root, "merge-cut-out");
  const refused = await task("merge", [dir, "--out", out]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /rl2\/seed-0\/eval\.csv has evaluations at iterations 0, 2, 4;/);
  oneLine(refused.stderr);
  assert.equal(await readIfExists(join(out, "stalled", "experiment.resolved.json")), undefined);
});
