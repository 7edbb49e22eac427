/**
 * A runner killed alone (`kill -9` of its process, not of its group) leaves its workers
 * training. Running the experiment again while they train is refused before anything is
 * written, naming the process that still writes each run: their manifests, checkpoints and
 * temporary files are theirs, untouched, and they end their runs.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fixture, readIfExists, resultsDir, startTask, task, waitFor } from "./_task.ts";

const FILE = fixture("busy.jsonc");
const root = resultsDir("live");
const OUT = join(root, "out");
const runs = [0, 1].map((seed) => join(OUT, "busy", "rl2", `seed-${seed}`));

const status = async (run: string) =>
  JSON.parse(await readIfExists(join(run, "manifest.json")) ?? "{}").status;

/** The pid of the `src/cli.ts run` process in process group `pgid`. */
async function runnerPid(pgid: number): Promise<number> {
  const ps = await new Deno.Command("ps", { args: ["-eo", "pid=,pgid=,args="] }).output();
  const line = new TextDecoder().decode(ps.stdout).split("\n").map((l) => l.trim().split(/\s+/))
    .find(([, group, ...args]) => Number(group) === pgid && args.join(" ").includes("cli.ts run"));
  assert.ok(line !== undefined, "the runner process");
  return Number(line[0]);
}

Deno.test("a run again while a killed runner's workers train is refused and harms none of them", async () => {
  const running = startTask("run", [FILE, "--out", OUT, "--jobs", "2"]);
  try {
    await waitFor("both workers training", async () => {
      const logs = await Promise.all(runs.map((r) => readIfExists(join(r, "log.txt"))));
      return logs.every((log) => log?.includes("iteration 1/8") === true);
    });
    Deno.kill(await runnerPid(running.pgid), "SIGKILL");
    for (const args of [["--resume"], []]) {
      const refused = await task("run", [FILE, "--out", OUT, "--jobs", "2", ...args]);
      assert.equal(refused.code, 1, refused.stdout + refused.stderr);
      for (const run of runs) {
        assert.match(refused.stderr, new RegExp(`${run} is still being written by pid \\d+`));
      }
      for (const run of runs) assert.equal(await status(run), "running", "the live run's manifest");
    }
    await waitFor("the workers to end their runs", async () => {
      const all = await Promise.all(runs.map(status));
      return all.every((s) => s !== "running");
    }, 120);
    for (const run of runs) assert.equal(await status(run), "done");
    const again = await task("run", [FILE, "--out", OUT, "--jobs", "2"]);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /runs: 0 done, 2 skipped, 0 failed/);
  } finally {
    try {
      running.killGroup("SIGKILL");
    } catch {
      // the group has ended
    }
    await running.output();
  }
});
