import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { acquireLock } from "../src/harness/run/lock.ts";
import { fixture, moduleTempDir, TINY } from "./harness/_results.ts";

const root = moduleTempDir();
const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));

/** The CLI as `deno task run` starts it, with writes allowed under the test's folder only. */
function cli(args: string[]): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--frozen",
      "--cached-only",
      "--no-prompt",
      "--allow-read",
      `--allow-write=${root}`,
      "--allow-run=deno,git",
      "--allow-sys=hostname",
      CLI,
      ...args,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

async function output(args: string[]) {
  const out = await cli(args).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("cli run prints the problems of a rejected file and creates nothing", async () => {
  const out = join(root, "rejected");
  const { code, stderr } = await output(["run", fixture("rejected.jsonc"), "--out", out]);
  assert.equal(code, 1);
  assert.match(stderr, /rejected\.jsonc:7:\d+: evaluation\.trails: unknown key "trails"/);
  assert.equal(await exists(out), false);
});

Deno.test("cli run stops cleanly on SIGINT, says how to resume, and the command resumes", async () => {
  const out = join(root, "interrupted");
  const args = ["run", TINY, "--out", out, "--only", "rl2", "--jobs", "1"];
  const child = cli(args).spawn();
  const texts = Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()]);
  const checkpoint = join(out, "tiny", "rl2", "seed-0", "checkpoint.json");
  const deadline = Date.now() + 60_000;
  while (!(await exists(checkpoint))) {
    assert.ok(Date.now() < deadline, "no checkpoint within a minute");
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill("SIGINT");
  const [status, [stdout]] = await Promise.all([child.status, texts]);
  assert.equal(status.code, 130);
  const resume = `deno task run ${args.slice(1).join(" ")} --resume`;
  assert.ok(stdout.includes(`interrupted; continue with:\n  ${resume}\n`), stdout);
  const manifest = JSON.parse(
    await Deno.readTextFile(join(out, "tiny", "rl2", "seed-0", "manifest.json")),
  );
  assert.equal(manifest.status, "interrupted");
  // The lock is free again: another runner could take it now.
  await (await acquireLock(join(out, "tiny"))).release();

  const resumed = await output([...args, "--resume"]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /runs: 2 done, 0 skipped, 0 failed/);
  // The run ends with its result: comparison.md's tables, as compare writes them, then one line
  // pointing to the statistics' definitions that open comparison.md.
  const markdown = await Deno.readTextFile(join(out, "tiny", "comparison.md"));
  const tables = markdown.slice(markdown.indexOf("\n## tiny\n") + 1).trimEnd();
  assert.ok(resumed.stdout.includes(`${tables}\n\nEvery number is a mean`), resumed.stdout);
  assert.doesNotMatch(resumed.stdout, /\*\*final\*\*/);
  assert.match(resumed.stdout, /\| rl2 \| 2 \| /);
  assert.match(resumed.stdout, /wrote comparison\.md, comparison\.csv, .* to .*tiny\n/);
  const progress = await Deno.readTextFile(join(out, "tiny", "rl2", "seed-0", "progress.csv"));
  assert.deepEqual(progress.trim().split("\n").slice(1).map((line) => line.split(",")[0]), [
    "1",
    "2",
    "3",
    "4",
  ]);
});

Deno.test("cli validate, merge and unknown commands report through exit codes", async () => {
  const checked = await output(["validate", TINY, fixture("rejected.jsonc")]);
  assert.equal(checked.code, 1);
  assert.match(checked.stdout, /tiny\.jsonc: ok/);
  assert.match(checked.stderr, /rejected\.jsonc:7:\d+: evaluation\.trails/);
  const merge = await output(["merge", root]);
  assert.equal(merge.code, 2);
  assert.match(merge.stderr, /--out is required\nusage: merge DIR… --out DIR \[--allow-mixed\]/);
  const unknown = await output(["frobnicate"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  const badShard = await output(["run", TINY, "--shard", "4/3", "--out", join(root, "never")]);
  assert.notEqual(badShard.code, 0);
  assert.match(badShard.stderr, /--shard must be i\/N/);
  assert.equal(await exists(join(root, "never")), false);
});

Deno.test("cli validate checks every .jsonc file below a folder", async () => {
  const folder = fileURLToPath(new URL("./harness/fixtures/", import.meta.url));
  const checked = await output(["validate", folder]);
  assert.equal(checked.code, 1);
  assert.match(checked.stdout, /fixtures\/tiny\.jsonc: ok/);
  assert.match(checked.stderr, /fixtures\/rejected\.jsonc:7:\d+: evaluation\.trails/);
  const experiments = fileURLToPath(new URL("../experiments/", import.meta.url));
  const shipped = await output(["validate", experiments]);
  assert.equal(shipped.code, 0, shipped.stderr);
  assert.match(shipped.stdout, /quick\/bandits-k5-n10\.jsonc: ok/);
});

Deno.test("cli validate, run and compare say once what a file writes under an old name", async () => {
  const file = join(root, "renamed.jsonc");
  await Deno.writeTextFile(
    file,
    `// RL²-PPO with the old name of its entropy bonus
{
  "name": "renamed",
  "task": { "kind": "bandit", "arms": 3, "episodes": 3 },
  "seeds": [0],
  "agents": {
    "ppo": { "kind": "rl2_ppo", "policy": { "gru": 4 }, "ppo": { "entropy_coef": 0.02 },
      "sampling": { "iterations": 2, "batch_timesteps": 90 }, "value": { "epochs": 1 } }
  },
  "evaluation": { "tasks": 20 },
  "backend": "wasm"
}
`,
  );
  const notice = (where: string, path = "agents.ppo.ppo.entropy_coef") =>
    `${where}: ${path}: renamed to entropy_coeff (accepted; write the new name)\n`;
  const checked = await output(["validate", file]);
  assert.equal(checked.code, 0, checked.stderr);
  assert.equal(checked.stdout, `${file}: ok\n`);
  assert.equal(checked.stderr, notice(`${file}:7:66`));
  // Two files, one extending the other: the parent's notice is said once.
  const child = join(root, "renamed-child.jsonc");
  await Deno.writeTextFile(child, '{ "extends": "renamed.jsonc", "name": "renamed-child" }\n');
  const both = await output(["validate", file, child]);
  assert.equal(both.code, 0, both.stderr);
  assert.equal(both.stderr, notice(`${file}:7:66`));

  const out = join(root, "renamed-results");
  const ran = await output(["run", file, "--out", out]);
  assert.equal(ran.code, 0, ran.stderr);
  assert.ok(ran.stderr.startsWith(notice(`${file}:7:66`)), ran.stderr);
  assert.equal(ran.stderr.split("renamed to").length, 2, ran.stderr);
  assert.match(ran.stdout, /renamed\/ppo\/seed-0: done/);
  // The results hold the new name only.
  const resolvedFile = join(out, "renamed", "experiment.resolved.json");
  const resolved = await Deno.readTextFile(resolvedFile);
  assert.ok(resolved.includes('"entropy_coeff":0.02') && !resolved.includes('"entropy_coef"'));
  const compared = await output(["compare", join(out, "renamed")]);
  assert.equal(compared.code, 0, compared.stderr);
  assert.ok(!compared.stderr.includes("renamed to"), compared.stderr);
  // A resolved experiment under the old name (older results): compare says so, then compares.
  await Deno.writeTextFile(resolvedFile, resolved.replace('"entropy_coeff"', '"entropy_coef"'));
  const column = resolved.indexOf('"entropy_coeff"') + 1;
  const older = await output(["compare", "--format", "md", out]);
  assert.equal(older.code, 0, older.stderr);
  assert.ok(older.stderr.startsWith(notice(`${resolvedFile}:1:${column}`)), older.stderr);
  assert.equal(older.stderr.split("renamed to").length, 2, older.stderr);
});

Deno.test("cli reproduce names the tables it knows and renders from results with --table-only", async () => {
  const unknown = await output(["reproduce", "table3", "--out", join(root, "never")]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /name one table: table1 or table2, got "table3"/);
  const none = await output(["reproduce"]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /usage: reproduce table1\|table2 \[--quick\|--fast\]/);
  const both = await output(["reproduce", "table1", "--quick", "--fast", "--out", root]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--quick and --fast are two budgets: give one of them\nusage: /);
  // The fast protocol's files may not be written yet: either way, the fast folder is the one read.
  const fast = await output(["reproduce", "table1", "--fast", "--table-only", "--out", root]);
  assert.equal(fast.code, 1);
  assert.match(
    fast.stderr,
    /no experiment files for table1 in .*paper\/fast\/table1|no results of table1 under/,
  );
  const empty = await output(["reproduce", "table2", "--quick", "--table-only", "--out", root]);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /no results of table2 under .*; run it first/);
  assert.equal(await exists(join(root, "never")), false);
});

Deno.test("cli run takes a folder for every experiment file below it", async () => {
  const folder = join(root, "folder-of-experiments");
  await Deno.mkdir(folder);
  await Deno.copyFile(fixture("tuned.jsonc"), join(folder, "tuned.jsonc"));
  const out = join(root, "from-folder");
  const ran = await output(["run", folder, "--out", out, "--jobs", "2"]);
  assert.equal(ran.code, 0, ran.stderr);
  assert.match(ran.stdout, /runs: 4 done, 0 skipped, 0 failed/);
  assert.ok(await exists(join(out, "tuned/ucb1/seed-1/tuning.csv")));
  const empty = join(root, "empty-folder");
  await Deno.mkdir(empty);
  const none = await output(["run", empty, "--out", join(root, "never")]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no \.jsonc files in .*empty-folder/);
  assert.equal(await exists(join(root, "never")), false);
});
