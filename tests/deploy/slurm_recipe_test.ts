/**
 * The Slurm recipe's own logic (submit, retry, the shard stage's logs and signals) run by bash
 * against stand-ins for sbatch, squeue, scancel and deno that record how they were called.
 * The recipe on a real cluster is deploy/slurm/test/test.sh.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const RECIPE = fileURLToPath(new URL("../../deploy/slurm/reproduce.sbatch", import.meta.url));

const canRun = (await Deno.permissions.query({ name: "run", command: "setsid" })).state ===
  "granted";

/** Stand-ins on PATH, each appending `name args…` to `calls`. */
const STANDINS: Record<string, string> = {
  // Prints job ids 41, 42, … (one more per call), as `sbatch --parsable` does.
  sbatch: `n=$(($(cat "$DIR/next" 2>/dev/null || echo 40) + 1)); echo $n >"$DIR/next"
echo "sbatch $*" >>"$DIR/calls"; echo "$n;test"`,
  // Lists an array task while $DIR/active exists, like squeue -j for a job still queued.
  squeue: `echo "squeue $*" >>"$DIR/calls"; [ -f "$DIR/active" ] && echo 41_3; true`,
  scancel: `echo "scancel $*" >>"$DIR/calls"`,
  // Records its arguments; with $DIR/slow, waits for SIGTERM and takes a second to stop.
  deno: `echo "deno $*" >>"$DIR/calls"; echo "deno ran"
if [ -f "$DIR/slow" ]; then
  trap 'sleep 1; echo "runner stopped, checkpoints kept"; exit 130' TERM
  touch "$DIR/started"; while true; do sleep 0.1; done
fi`,
};

/** A folder with the stand-ins, where the recipe runs (its results/ is made there). */
async function sandbox(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "rl2lab-slurm-recipe-" });
  await Deno.mkdir(join(dir, "bin"));
  for (const [name, body] of Object.entries(STANDINS)) {
    await Deno.writeTextFile(join(dir, "bin", name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  }
  return dir;
}

/** The recipe run by bash in a process group of its own (setsid), as a Slurm task is. */
function recipe(dir: string, args: string[], env: Record<string, string>): Deno.ChildProcess {
  return new Deno.Command("setsid", {
    args: ["bash", RECIPE, ...args],
    cwd: dir,
    env: { PATH: `${join(dir, "bin")}:${Deno.env.get("PATH")}`, DIR: dir, ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function run(dir: string, args: string[], env: Record<string, string> = {}) {
  const { code, stdout, stderr } = await recipe(dir, args, env).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code, out: text(stdout), err: text(stderr) };
}

async function calls(dir: string): Promise<string[]> {
  const text = await Deno.readTextFile(join(dir, "calls")).catch(() => "");
  return text.split("\n").filter((l) => l !== "");
}

const SETTINGS = { EXPERIMENT: "experiments/x.jsonc", SHARDS: "3", OUT: "results/r" };
const EXPORT = "ALL,EXPERIMENT=experiments/x.jsonc,SHARDS=3,OUT=results/r";

function test(name: string, fn: (dir: string) => Promise<void>): void {
  Deno.test({
    name,
    ignore: !canRun,
    async fn() {
      const dir = await sandbox();
      try {
        await fn(dir);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

test("submit: an array of SHARDS tasks, a merge job cancelled if a task fails, both noted", async (dir) => {
  const { code, out } = await run(dir, [], SETTINGS);
  assert.equal(code, 0);
  assert.match(
    out,
    /submitted array job 41 \(3 shards of experiments\/x\.jsonc\) and merge job 42/,
  );
  assert.deepEqual(await calls(dir), [
    `sbatch --parsable --array=1-3 --output=results/r/logs/shard-%a.job-%A_%a.slurm.out ` +
    `--export=${EXPORT},STAGE=shard ${RECIPE}`,
    `sbatch --parsable --dependency=afterok:41 --kill-on-invalid-dep=yes ` +
    `--output=results/r/logs/merge.job-%j.slurm.out --export=${EXPORT},STAGE=merge ${RECIPE}`,
  ]);
  assert.equal(
    await Deno.readTextFile(join(dir, "results/r/submission")),
    "EXPERIMENT=experiments/x.jsonc\nSHARDS=3\nARRAY_JOB=41\nMERGE_JOB=42\n",
  );
});

test("retry while the array still runs: new shards start after it, the old merge is cancelled", async (dir) => {
  await run(dir, [], SETTINGS);
  await Deno.writeTextFile(join(dir, "active"), "");
  await Deno.remove(join(dir, "calls"));
  // The settings come from the submission, not from the environment.
  const { code, out } = await run(dir, ["retry"], { OUT: "results/r", SHARDS: "99" });
  assert.equal(code, 0);
  assert.match(out, /array job 43 \(3 shards of .*, to start after what is left of job 41\)/);
  const made = await calls(dir);
  assert.deepEqual(made.slice(0, 2), ["scancel 42", "squeue -h -j 41 -o %i"]);
  assert.match(made[2]!, /^sbatch --parsable --array=1-3 --dependency=afterany:41 .*STAGE=shard /);
  assert.match(made[3]!, /^sbatch --parsable --dependency=afterok:43 .*STAGE=merge /);
  assert.match(await Deno.readTextFile(join(dir, "results/r/submission")), /ARRAY_JOB=43\n/);
});

test("retry after the array has ended: new shards start at once", async (dir) => {
  await run(dir, [], SETTINGS);
  await Deno.remove(join(dir, "calls"));
  assert.equal((await run(dir, ["retry"], { OUT: "results/r" })).code, 0);
  const array = (await calls(dir)).find((c) => c.includes("STAGE=shard"))!;
  assert.match(array, /^sbatch --parsable --array=1-3 --output=/);
});

test("OUT outside results/ is refused before anything is submitted", async (dir) => {
  const { code, err } = await run(dir, [], { ...SETTINGS, OUT: "/tmp/elsewhere" });
  assert.equal(code, 2);
  assert.match(err, /OUT must be a folder under results\//);
  assert.deepEqual(await calls(dir), []);
});

const TASK = { ...SETTINGS, STAGE: "shard", SLURM_ARRAY_TASK_ID: "2", SLURM_CPUS_PER_TASK: "2" };

test("a shard task runs its shard with --resume and logs each attempt to its own file", async (dir) => {
  await Deno.mkdir(join(dir, "results/r/logs"), { recursive: true });
  for (const restarts of ["", "1"]) {
    const env = { ...TASK, SLURM_JOB_ID: "77", SLURM_RESTART_COUNT: restarts };
    assert.equal((await run(dir, [], env)).code, 0);
  }
  assert.deepEqual(
    await calls(dir),
    Array(2).fill(
      "deno task run experiments/x.jsonc --shard 2/3 --jobs 2 --resume --out results/r/shard-2",
    ),
  );
  for (const attempt of [1, 2]) {
    const log = join(dir, `results/r/logs/shard-2.job-77.attempt-${attempt}.log`);
    assert.equal(await Deno.readTextFile(log), "deno ran\n");
  }
});

// Slurm signals every process of a task it cancels, requeues or preempts.
test("a signalled shard task waits for the runner to stop and ends with its status", async (dir) => {
  await Deno.mkdir(join(dir, "results/r/logs"), { recursive: true });
  await Deno.writeTextFile(join(dir, "slow"), "");
  const child = recipe(dir, [], { ...TASK, SLURM_JOB_ID: "78" });
  const output = child.output();
  const deadline = Date.now() + 10_000;
  while (!await Deno.stat(join(dir, "started")).then(() => true, () => false)) {
    assert.ok(Date.now() < deadline, "the runner stand-in did not start");
    await new Promise((r) => setTimeout(r, 50));
  }
  Deno.kill(-child.pid, "SIGTERM");
  const { code } = await output;
  assert.equal(code, 130, "the task's status is the runner's");
  const log = await Deno.readTextFile(join(dir, "results/r/logs/shard-2.job-78.attempt-1.log"));
  assert.match(log, /^signal received: the runs stop and keep their checkpoints$/m);
  assert.match(log, /\nrunner stopped, checkpoints kept\n$/, "the shell waited for the runner");
});
