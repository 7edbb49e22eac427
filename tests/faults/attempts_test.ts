/**
 * What a run's attempts and merges may mix, and what they do when things go wrong, through the
 * real task command lines: a stall warning that float noise in the KL cannot reset, `--resume`
 * refusing a checkpoint of another commit unless `--allow-mixed` (every attempt's code kept in
 * the manifest), `merge --allow-mixed` refusing runs of another resolved experiment, and a full
 * disk failing the run that hit it with its path and what to do.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fixture, PROJECT, readIfExists, resultsDir, task } from "./_task.ts";

const root = resultsDir("attempts");
const STALLED = fixture("stalled.jsonc");

async function json(path: string): Promise<Record<string, unknown>> {
  return JSON.parse((await readIfExists(path))!);
}

async function writeJson(path: string, data: unknown): Promise<void> {
  await Deno.writeTextFile(join(PROJECT, path), JSON.stringify(data));
}

Deno.test("cg_damping 1e9 at default settings warns of a stall; no negative KL is written", async () => {
  const out = join(root, "damped");
  const { code, stdout, stderr } = await task("run", [fixture("damped.jsonc"), "--out", out]);
  assert.equal(code, 0, stderr);
  assert.match(
    stdout,
    /damped\/rl2\/seed-0: warning at iteration 10: the policy has not changed in the last 10 iterations \(1–10\)/,
  );
  const run = join(out, "damped", "rl2", "seed-0");
  const manifest = await json(join(run, "manifest.json"));
  assert.deepEqual((manifest.warnings as { iteration: number }[]).map((w) => w.iteration), [10]);
  const rows = (await readIfExists(join(run, "progress.csv")))!.trimEnd().split("\n");
  const kl = rows[0]!.split(",").indexOf("kl");
  const kls = rows.slice(1).map((row) => Number(row.split(",")[kl]));
  assert.ok(kls.every((x) => x >= 0), `no negative KL: ${kls}`);
  // Float noise put some KLs above the old 1e-8 threshold; they no longer reset the stretch.
  const log = (await readIfExists(join(run, "log.txt")))!;
  assert.ok(kls.some((x) => x > 1e-8) || /is below 0 \(float rounding/.test(log), String(kls));
});

Deno.test("--resume refuses a checkpoint of another commit unless --allow-mixed, and keeps every attempt", async () => {
  const out = join(root, "commit");
  const first = await task("run", [STALLED, "--out", out, "--only", "rl2"]);
  assert.equal(first.code, 0, first.stderr);
  const run = join(out, "stalled", "rl2", "seed-0");
  const manifest = await json(join(run, "manifest.json"));
  const current = (manifest.git as { commit: string } | null)?.commit;
  assert.ok(current !== undefined, "the fault suite runs in a git checkout");
  const other = "0123456789abcdef0123456789abcdef01234567";
  // Simulate a checkpoint (and an attempt) written by another commit, then stopped.
  const checkpoint = await json(join(run, "checkpoint.json"));
  await writeJson(join(run, "checkpoint.json"), {
    ...checkpoint,
    git: { commit: other, dirty: false },
  });
  await writeJson(join(run, "manifest.json"), {
    ...manifest,
    status: "interrupted",
    git: { commit: other, dirty: false },
    attempts: [{ started: manifest.started, git: { commit: other, dirty: false } }],
  });
  const evalBefore = await readIfExists(join(run, "eval.csv"));

  const resolved = join(out, "stalled", "experiment.resolved.json");
  const resolvedBefore = await readIfExists(resolved);
  // Refused before anything is written, also when the file gives the run more iterations (the
  // resolved experiment would otherwise say 6 while the run still holds 5).
  const longer = join(root, "stalled-longer.jsonc");
  await Deno.writeTextFile(
    join(PROJECT, longer),
    (await readIfExists(STALLED))!.replace('"iterations": 5', '"iterations": 6'),
  );
  for (const file of [STALLED, longer]) {
    const refused = await task("run", [file, "--out", out, "--only", "rl2", "--resume"]);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      new RegExp(
        `checkpoint in \\S*stalled/rl2/seed-0 was written by commit ${other}, this is commit ` +
          `${current}.*--allow-mixed`,
      ),
    );
    assert.doesNotMatch(refused.stderr, /^\s+at /m);
    assert.equal((await json(join(run, "manifest.json"))).status, "interrupted");
    assert.equal(await readIfExists(join(run, "eval.csv")), evalBefore, "nothing rewritten");
    assert.equal(await readIfExists(resolved), resolvedBefore, "the resolved file is kept");
  }

  const mixed = await task("run", [
    STALLED,
    "--out",
    out,
    "--only",
    "rl2",
    "--resume",
    "--allow-mixed",
  ]);
  assert.equal(mixed.code, 0, mixed.stderr);
  const after = await json(join(run, "manifest.json"));
  assert.equal(after.status, "done");
  const attempts = after.attempts as { git: { commit: string }; mixed?: boolean }[];
  assert.deepEqual(attempts.map((a) => a.git.commit), [other, current]);
  assert.equal(attempts[1]!.mixed, true);
});

Deno.test("merge --allow-mixed mixes code versions only, never resolved experiments", async () => {
  const text = (await readIfExists(STALLED))!;
  const outs: string[] = [];
  for (const [gru, seed] of [[4, 0], [5, 1]]) {
    const file = join(root, `gru-${gru}.jsonc`);
    await Deno.writeTextFile(
      join(PROJECT, file),
      text.replace('"gru": 4', `"gru": ${gru}`).replace('"seeds": [0]', `"seeds": [${seed}]`),
    );
    const out = join(root, `gru-${gru}-out`);
    const ran = await task("run", [file, "--out", out, "--only", "rl2"]);
    assert.equal(ran.code, 0, ran.stderr);
    outs.push(out);
  }
  const merged = join(root, "gru-merged");
  const refused = await task("merge", [...outs, "--out", merged, "--allow-mixed"]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /agents\.rl2\.policy\.gru: 4 vs 5/);
  assert.match(
    refused.stderr,
    /only results of one experiment file are merged, even with --allow-mixed/,
  );
  assert.equal(await readIfExists(join(merged, "stalled", "experiment.resolved.json")), undefined);
});

/** Mounts a tmpfs of `size` at `dir` (under the project); false when this machine cannot. */
async function mountTmpfs(dir: string, size: string): Promise<boolean> {
  await Deno.mkdir(join(PROJECT, dir), { recursive: true });
  try {
    const out = await new Deno.Command("mount", {
      args: ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", join(PROJECT, dir)],
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success;
  } catch {
    return false;
  }
}

async function unmount(dir: string): Promise<void> {
  await new Deno.Command("umount", { args: [join(PROJECT, dir)], stderr: "null" }).output();
}

const FULL = join(root, "full");
const canMount = await mountTmpfs(join(root, "probe"), "64k");
if (canMount) await unmount(join(root, "probe"));
else console.log("skipped: the full-disk test needs to mount a tmpfs (root, or a user namespace)");

Deno.test({
  name:
    "a full disk fails the run that hit it, with its path and what to do; --resume then ends it",
  ignore: !canMount,
  async fn() {
    assert.ok(await mountTmpfs(FULL, "256k"));
    try {
      // Leave about 20 KB: the runs start, and run out of room on the way.
      const filler = join(PROJECT, FULL, "filler");
      const free = Number(
        new TextDecoder().decode(
          (await new Deno.Command("df", {
            args: ["--output=avail", "-B1", join(PROJECT, FULL)],
            stdout: "piped",
          }).output()).stdout,
        ).trim().split("\n").at(-1),
      );
      await Deno.writeFile(filler, new Uint8Array(Math.max(0, free - 20 * 1024)));
      const failed = await task("run", [STALLED, "--out", FULL, "--jobs", "1"]);
      assert.equal(failed.code, 1);
      const all = failed.stdout + failed.stderr;
      assert.match(all, /runs: 0 done, 0 skipped, 2 failed/);
      assert.match(
        failed.stderr,
        /failed: stalled\/rl2\/seed-0 \(see .*\): no space left on the device of .*stalled\/rl2\/seed-0 \(cannot write .*: No space left on device.*\); free some space .*--resume/,
      );
      assert.doesNotMatch(all, /^\s+at /m);
      const manifest = await json(join(FULL, "stalled", "rl2", "seed-0", "manifest.json"));
      assert.equal(manifest.status, "failed");
      assert.match(String(manifest.error), /no space left on the device/);
      const temps: string[] = [];
      const walk = async (dir: string) => {
        for await (const entry of Deno.readDir(dir)) {
          if (entry.isDirectory) await walk(join(dir, entry.name));
          else if (entry.name.endsWith(".tmp")) temps.push(join(dir, entry.name));
        }
      };
      await walk(join(PROJECT, FULL, "stalled"));
      assert.deepEqual(temps, [], "no temporary file left");

      await Deno.remove(filler);
      const resumed = await task("run", [STALLED, "--out", FULL, "--jobs", "1", "--resume"]);
      assert.equal(resumed.code, 0, resumed.stderr);
      // The same CSVs as an uninterrupted run.
      const clean = join(root, "clean");
      const reference = await task("run", [STALLED, "--out", clean, "--jobs", "1"]);
      assert.equal(reference.code, 0, reference.stderr);
      for (const agent of ["rl2", "ucb1"]) {
        const file = join("stalled", agent, "seed-0", "eval.csv");
        assert.equal(await readIfExists(join(FULL, file)), await readIfExists(join(clean, file)));
      }
    } finally {
      await unmount(FULL);
    }
  },
});
