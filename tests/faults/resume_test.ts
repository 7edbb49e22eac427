/**
 * What `--resume` continues: a lengthening killed as it starts continues to the new length (the
 * manifest already holds the longer config, the checkpoint the shorter one), and a damaged
 * checkpoint is refused naming its file and what is wrong, before any result is rewritten.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { join } from "node:path";
import { readCsvs } from "../harness/_results.ts";
import { fixture, PROJECT, readIfExists, resultsDir, startTask, task, waitFor } from "./_task.ts";

const root = resultsDir("resume");
const json = async (path: string) => JSON.parse((await readIfExists(path))!);
const writeJson = (path: string, data: unknown) =>
  Deno.writeTextFile(join(PROJECT, path), JSON.stringify(data));

/** `name`'s fixture copied under the test's folder with `iterations` iterations. */
async function copy(name: string, iterations: number, as = name): Promise<string> {
  const path = join(root, as);
  const text = (await readIfExists(fixture(name)))!;
  await Deno.writeTextFile(
    join(PROJECT, path),
    text.replace(/"iterations": \d+/, `"iterations": ${iterations}`),
  );
  return path;
}

Deno.test("a lengthening killed as it starts continues to the new length with --resume", async () => {
  const file = await copy("lengthen.jsonc", 3);
  const out = join(root, "lengthened");
  const run = join(out, "lengthen", "rl2", "seed-0");
  const first = await task("run", [file, "--out", out]);
  assert.equal(first.code, 0, first.stderr);
  await copy("lengthen.jsonc", 6);
  const longer = startTask("run", [file, "--out", out, "--resume"]);
  await waitFor("the manifest of the longer run", async () => {
    const manifest = JSON.parse(await readIfExists(join(run, "manifest.json")) ?? "{}");
    return manifest.status === "running" &&
      manifest.config?.agent_config?.sampling?.iterations === 6;
  });
  longer.killGroup("SIGKILL");
  await longer.output();
  const resumed = await task("run", [file, "--out", out, "--resume"]);
  assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
  const manifest = await json(join(run, "manifest.json"));
  assert.equal(manifest.status, "done");
  assert.equal(manifest.attempts.at(-1).lengthened_from, 3);
  // The CSVs of a 6-iteration run from the start.
  const whole = join(root, "whole");
  const reference = await task("run", [
    await copy("lengthen.jsonc", 6, "whole.jsonc"),
    "--out",
    whole,
  ]);
  assert.equal(reference.code, 0, reference.stderr);
  assert.deepEqual(await readCsvs(join(PROJECT, out)), await readCsvs(join(PROJECT, whole)));
});

/** Float32 data as a checkpoint stores it. */
const floats = (n: number) => Buffer.from(new Float32Array(n).buffer).toString("base64");

/** Per seed: how its checkpoint is damaged, and what the refusal says. */
const DAMAGES: [(c: Record<string, unknown>) => Record<string, unknown>, RegExp][] = [
  [(c) => ({ ...c, iteration: 1000 }), /its iteration 1000 is beyond the run's 3 iterations/],
  [(c) => ({ ...c, iteration: -5 }), /iteration -5 is not a count/],
  [({ eval: _, ...c }) => c, /eval is not a list of CSV rows/],
  [(c) => ({ ...c, seconds: "12" }), /seconds is not a finite number/],
  [(c) => ({ ...c, progress: {} }), /progress is not a list of CSV rows/],
  [(c) => ({ ...c, policy: floats(7) }), /its policy has 7 parameters, this run's \d+/],
  [
    (c) => ({ ...c, policy_optimizer: { m: floats(2), v: floats(2), t: 1 } }),
    /policy optimiser state this learner does not use/,
  ],
  [
    (c) => ({ ...c, eval: (c.eval as string[][]).filter((row) => row[0] !== "2") }),
    /no evaluation at iteration 2, which the run made/,
  ],
];

Deno.test("a damaged checkpoint is refused naming the file and the field, rewriting nothing", async () => {
  const file = fixture("tampered.jsonc");
  const out = join(root, "tampered");
  const first = await task("run", [file, "--out", out, "--jobs", "2"]);
  assert.equal(first.code, 0, first.stderr);
  const runs = DAMAGES.map((_, seed) => join(out, "tampered", "rl2", `seed-${seed}`));
  const evals: (string | undefined)[] = [];
  for (const [seed, [damage]] of DAMAGES.entries()) {
    const run = runs[seed]!;
    await writeJson(join(run, "checkpoint.json"), damage(await json(join(run, "checkpoint.json"))));
    await writeJson(join(run, "manifest.json"), {
      ...await json(join(run, "manifest.json")),
      status: "interrupted",
    });
    evals.push(await readIfExists(join(run, "eval.csv")));
  }
  const resumed = await task("run", [file, "--out", out, "--jobs", "2", "--resume"]);
  assert.equal(resumed.code, 1);
  for (const [seed, [, said]] of DAMAGES.entries()) {
    const run = runs[seed]!;
    const line = resumed.stderr.split("\n").find((l) =>
      l.startsWith(`failed: tampered/rl2/seed-${seed} `)
    );
    assert.ok(line !== undefined, resumed.stderr);
    assert.ok(line.includes(join(run, "checkpoint.json")), line);
    assert.match(line, said);
    assert.equal(await readIfExists(join(run, "eval.csv")), evals[seed], "eval.csv is kept");
  }
});
