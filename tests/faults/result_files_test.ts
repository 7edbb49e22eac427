/**
 * Results files that are damaged in small ways, through the real task command lines: a CSV
 * saved with a byte-order mark is read as written, one seed's deleted adaptation.csv is named
 * by `compare` (and `--check`) as an incomplete run is, and a torn experiment.resolved.json is
 * reported as unreadable, naming it, rather than as another version of the experiment.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyTree, PROJECT, resultsDir, task } from "./_task.ts";

const root = resultsDir("result-files");
const NAME = "two-seeds";

/** A classic baseline on two seeds (no training: fast), with an adaptation expectation. */
async function experimentFile(): Promise<string> {
  const path = join(root, `${NAME}.jsonc`);
  const file = {
    name: NAME,
    task: { kind: "bandit", arms: 3, episodes: 2 },
    seeds: [0, 1],
    agents: { ucb1: { kind: "ucb1" } },
    evaluation: { tasks: 10, every: 0 },
    expect: [{ agent: "ucb1", episode: 2, better_than_episode: 1, confidence: 0.5 }],
    backend: "wasm",
  };
  await Deno.writeTextFile(join(PROJECT, path), JSON.stringify(file, null, 2));
  return path;
}

let made: Promise<string> | undefined;

/** The experiment's finished results, made once; each test works on its own copy. */
function finished(): Promise<string> {
  made ??= (async () => {
    const out = join(root, "made");
    const done = await task("run", [await experimentFile(), "--out", out, "--jobs", "1"]);
    assert.equal(done.code, 0, done.stderr);
    return out;
  })();
  return made;
}

/** A copy of the finished results under `name`: the `--out` folder and the experiment's. */
async function copy(name: string): Promise<{ out: string; dir: string }> {
  const out = join(root, name);
  await copyTree(join(PROJECT, await finished()), join(PROJECT, out));
  return { out, dir: join(out, NAME) };
}

function oneLine(stderr: string): void {
  assert.doesNotMatch(stderr, /^\s+at /m, "no stack trace");
}

Deno.test("compare reads CSVs saved with a byte-order mark", async () => {
  const { dir } = await copy("bom");
  for (const file of ["eval.csv", "adaptation.csv"]) {
    const path = join(PROJECT, dir, "ucb1", "seed-0", file);
    await Deno.writeTextFile(path, "\uFEFF" + await Deno.readTextFile(path));
  }
  const { code, stderr } = await task("compare", [dir, "--format", "md", "--check"]);
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stderr, /has no column|has columns/);
});

Deno.test("compare and --check name a seed's deleted adaptation.csv", async () => {
  const { dir } = await copy("no-adaptation");
  const lost = join(dir, "ucb1", "seed-1", "adaptation.csv");
  await Deno.remove(join(PROJECT, lost));
  const missing = new RegExp(
    `run ${NAME}/ucb1/seed-1 is incomplete or corrupt: ${lost.replaceAll(".", "\\.")} is ` +
      'missing \\(other seeds of agent "ucb1" have their adaptation curve\\)',
  );
  for (const args of [[], ["--check"]]) {
    const { code, stderr } = await task("compare", [dir, "--format", "md", ...args]);
    assert.equal(code, 1);
    oneLine(stderr);
    assert.match(stderr, missing);
    assert.doesNotMatch(stderr, /no seeds with results for both/);
  }
  const allowed = await task("compare", [dir, "--format", "md", "--allow-incomplete"]);
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.match(allowed.stderr, missing);
});

Deno.test("run --resume reports a torn experiment.resolved.json as unreadable, naming it", async () => {
  const { out, dir } = await copy("torn");
  const resolved = join(PROJECT, dir, "experiment.resolved.json");
  const text = await Deno.readTextFile(resolved);
  await Deno.writeTextFile(resolved, text.slice(0, text.length >> 1));
  const file = await experimentFile();
  const refused = await task("run", [file, "--out", out, "--resume"]);
  assert.equal(refused.code, 1);
  oneLine(refused.stderr);
  assert.match(
    refused.stderr,
    new RegExp(
      `${join(dir, "experiment.resolved.json").replaceAll(".", "\\.")} is unreadable \\(torn ` +
        "or corrupt: not an experiment in JSON\\); remove it and pass --resume",
    ),
  );
  assert.doesNotMatch(refused.stderr, /another version/);
  // As the message says: without it, --resume writes it again and keeps every finished run.
  await Deno.remove(resolved);
  const resumed = await task("run", [file, "--out", out, "--resume"]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(await Deno.readTextFile(resolved), text);
});
