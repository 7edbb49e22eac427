/**
 * `validate` refuses what `run` cannot do, through the real task command lines: names too long
 * for a file name, nesting deeper than the stated limit, evaluation sizes beyond what a run
 * holds, and task priors whose returns would not stay finite in float32; an evaluation size
 * it passes (150,000 tasks) runs to the end.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PROJECT, readIfExists, resultsDir, task } from "./_task.ts";

const root = resultsDir("validation");

/** Writes an experiment file under the test's folder; returns its path. */
async function experiment(name: string, fields: Record<string, unknown>): Promise<string> {
  const path = join(root, `${name}.jsonc`);
  const file = {
    name,
    task: { kind: "bandit", arms: 3, episodes: 1 },
    seeds: [0],
    agents: {
      rl2: {
        kind: "rl2",
        policy: { gru: 4 },
        sampling: { iterations: 1, batch_timesteps: 30 },
        value: { epochs: 1 },
      },
    },
    evaluation: { tasks: 10, every: 0 },
    backend: "wasm",
    ...fields,
  };
  await Deno.writeTextFile(join(PROJECT, path), JSON.stringify(file, null, 2));
  return path;
}

function noTrace(text: string): void {
  assert.doesNotMatch(text, /^\s+at /m, "no stack trace");
  assert.doesNotMatch(text, /Maximum call stack|RangeError|File name too long/);
}

Deno.test("validate refuses a name too long for a file name, as run then would fail", async () => {
  const file = await experiment("long", { name: "x".repeat(300) });
  const checked = await task("validate", [file]);
  assert.equal(checked.code, 1);
  assert.match(checked.stderr, /long\.jsonc:2:\d+: name: .*at most 100 characters/);
  const ran = await task("run", [file, "--out", join(root, "long-out")]);
  assert.equal(ran.code, 1);
  noTrace(ran.stderr);
  const agents = await experiment("long-agent", {
    agents: { ["a".repeat(200)]: { kind: "ucb1" } },
  });
  const agent = await task("validate", [agents]);
  assert.equal(agent.code, 1);
  assert.match(agent.stderr, /agents\.a+: .* of 200 bytes; such names are at most 140 bytes/);
});

Deno.test("validate refuses nesting deeper than 64 levels, naming the file and line", async () => {
  const path = join(root, "deep.jsonc");
  const deep = "[".repeat(3000) + "]".repeat(3000);
  await Deno.writeTextFile(
    join(PROJECT, path),
    `{\n  "name": "deep",\n  "description": ${deep}\n}\n`,
  );
  const { code, stderr } = await task("validate", [path]);
  assert.equal(code, 1);
  assert.match(stderr, /deep\.jsonc:3:\d+: objects and arrays are nested more than 64 deep/);
  noTrace(stderr);
});

Deno.test("validate refuses evaluation sizes a run cannot hold and priors that overflow", async () => {
  const big = await experiment("too-many", {
    evaluation: { tasks: 10_000_000, every: 1 },
  });
  const refused = await task("validate", [big]);
  assert.equal(refused.code, 1);
  assert.match(
    refused.stderr,
    /evaluation\.tasks: 10000000 tasks at 2 evaluation points .* at most 10000000/,
  );
  const prior = await experiment("huge-prior", {
    task: { kind: "mdp", episodes: 2, reward_mean_prior: { mean: 0, std: 1e30 } },
  });
  const overflow = await task("validate", [prior]);
  assert.equal(overflow.code, 1);
  assert.match(overflow.stderr, /task\.reward_mean_prior\.std: expected a number <= 1000/);
  const schema = JSON.parse((await readIfExists("experiments/schema.json"))!);
  assert.match(JSON.stringify(schema), /spread of the mean rewards, at most 1000/);
});

Deno.test("an evaluation of 150,000 tasks that validate passes runs to the end", async () => {
  const file = await experiment("wide", { evaluation: { tasks: 150_000, every: 0 } });
  assert.equal((await task("validate", [file])).code, 0);
  const out = join(root, "wide-out");
  const ran = await task("run", [file, "--out", out, "--jobs", "1"]);
  assert.equal(ran.code, 0, ran.stderr);
  noTrace(ran.stdout + ran.stderr);
  const rows = (await readIfExists(join(out, "wide", "rl2", "seed-0", "eval.csv")))!;
  assert.equal(rows.trimEnd().split("\n").length, 1 + 150_000);
});
