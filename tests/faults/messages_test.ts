/**
 * Mistakes a user makes get one clear line that says what to do, through the real task
 * command lines: results outside results/, a symbolic link out of results/, a plain-text or
 * binary file given as an experiment, an agents block of the wrong type, and two files naming
 * one experiment.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fixture, PROJECT, resultsDir, task } from "./_task.ts";

const root = resultsDir("messages");
const TINY = fixture("stalled.jsonc");

Deno.test("--out outside results/ says where results go, and writes nothing", async () => {
  const { code, stderr } = await task("run", [TINY, "--out", "../elsewhere"]);
  assert.equal(code, 2);
  assert.match(
    stderr,
    /--out \.\.\/elsewhere: \.\.\/elsewhere is outside the folders this command may write; deno task run writes results under results\/ only \(e\.g\. --out results\/NAME\)/,
  );
  assert.doesNotMatch(stderr, /Requires write access|--allow-write/);
  assert.equal(await Deno.stat(join(PROJECT, "..", "elsewhere")).catch(() => null), null);
  const merge = await task("merge", [root, "--out", "/tmp/elsewhere"]);
  assert.equal(merge.code, 2);
  assert.match(merge.stderr, /deno task merge writes results under results\/ only/);
});

Deno.test("a symbolic link under results/ cannot carry writes elsewhere", async () => {
  const outside = await Deno.makeTempDir();
  try {
    const link = join(root, "link");
    await Deno.symlink(outside, join(PROJECT, link));
    const direct = await task("run", [TINY, "--out", link]);
    assert.equal(direct.code, 2);
    assert.match(direct.stderr, /leads through a symbolic link to .*, outside the folders/);
    // A link one level down, at the experiment's folder.
    const parent = join(root, "parent");
    await Deno.mkdir(join(PROJECT, parent));
    await Deno.symlink(outside, join(PROJECT, parent, "stalled"));
    const nested = await task("run", [TINY, "--out", parent]);
    assert.equal(nested.code, 1);
    assert.match(nested.stderr, /cannot write results: .*stalled leads through a symbolic link/);
    assert.deepEqual([...Deno.readDirSync(outside)], [], "nothing written through the link");
  } finally {
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("validate names what is wrong with plain-text, binary and mis-typed files", async () => {
  const { code, stdout, stderr } = await task("validate", [
    fixture("notes.txt"),
    fixture("binary.bin"),
    fixture("agents_list.jsonc"),
  ]);
  assert.equal(code, 1);
  assert.equal(stdout, "");
  const lines = stderr.trim().split("\n");
  assert.deepEqual(lines, [
    `${fixture("notes.txt")}:1:1: is not JSON with comments: an experiment file is one JSON ` +
    "object (see experiments/quick/ for examples)",
    `${fixture("binary.bin")}: is not a text file (it holds binary data); expected JSON with ` +
    "comments",
    `${fixture("agents_list.jsonc")}:9:13: agents: expected an object ` +
    '(got [{ "kind": "rl2" }, { "kind": "trpo" }])',
  ]);
  // No control character of the binary file reaches the terminal.
  // deno-lint-ignore no-control-regex
  assert.doesNotMatch(stderr, /[\u0000-\u0008\u000b-\u001f\u007f]/);
});

Deno.test("validate refuses two files naming one experiment, as run does", async () => {
  const copy = join(root, "copy.jsonc");
  await Deno.copyFile(join(PROJECT, TINY), join(PROJECT, copy));
  const checked = await task("validate", [TINY, copy]);
  assert.equal(checked.code, 1);
  assert.match(checked.stdout, /stalled\.jsonc: ok/);
  assert.match(
    checked.stderr,
    /copy\.jsonc: name: .*stalled\.jsonc already names an experiment "stalled"/,
  );
  const ran = await task("run", [TINY, copy, "--out", join(root, "never")]);
  assert.equal(ran.code, 1);
  assert.match(ran.stderr, /both name the experiment "stalled"/);
});
