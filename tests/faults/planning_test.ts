/**
 * `--stop-after` holds while the runner plans: an experiment of many seeds (50,000 classic
 * baseline runs) stopped during planning starts no run and writes nothing, and says how to
 * continue.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PROJECT, resultsDir, task } from "./_task.ts";

const root = resultsDir("planning");

Deno.test("--stop-after during the planning of 50,000 runs stops it, writing nothing", async () => {
  const file = join(root, "many.jsonc");
  await Deno.writeTextFile(
    join(PROJECT, file),
    JSON.stringify({
      name: "many-seeds",
      task: { kind: "bandit", arms: 3, episodes: 3 },
      seeds: Array.from({ length: 50_000 }, (_, i) => i),
      agents: { random: { kind: "random" } },
      evaluation: { tasks: 10 },
      backend: "wasm",
    }),
  );
  const out = join(root, "out");
  const stopped = await task("run", [file, "--out", out, "--stop-after", "1s"]);
  assert.equal(stopped.code, 130, stopped.stdout + stopped.stderr);
  assert.match(stopped.stdout, /runs: 0 done, 0 skipped, 0 failed, 0 stopped, 50000 not started/);
  assert.match(stopped.stdout, /continue with:\n {2}deno task run .* --stop-after 1s --resume/);
  const written = await Array.fromAsync(Deno.readDir(join(PROJECT, out, "many-seeds")))
    .catch(() => []);
  assert.deepEqual(written.map((e) => e.name).filter((n) => n !== ".lock"), [], "nothing written");
});
