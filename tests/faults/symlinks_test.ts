/**
 * No write follows a symbolic link out of the results folder, through the real task command
 * lines: links placed at every file the runner, `merge` and `compare` write or append (the
 * locks, the logs, the files written by rename) either are refused, naming the link, or are
 * replaced by the new file; their targets are never changed.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fixture, PROJECT, resultsDir, task } from "./_task.ts";

const root = resultsDir("symlinks");
const FILE = fixture("stalled.jsonc");
const KEEP = "keep: outside the results folder\n";

/** A folder outside results/ with one file per name, each holding {@link KEEP}. */
async function outsideFiles(names: readonly string[]): Promise<{ dir: string; check(): void }> {
  const dir = await Deno.makeTempDir();
  for (const name of names) await Deno.writeTextFile(join(dir, name), KEEP);
  return {
    dir,
    check() {
      for (const name of names) {
        assert.equal(Deno.readTextFileSync(join(dir, name)), KEEP, `${name} was written`);
      }
    },
  };
}

/** Replaces `path` (under the project) by a link to `target`. */
async function linkAt(path: string, target: string): Promise<void> {
  await Deno.remove(join(PROJECT, path)).catch(() => {});
  await Deno.symlink(target, join(PROJECT, path));
}

async function isLink(path: string): Promise<boolean> {
  return (await Deno.lstat(join(PROJECT, path))).isSymlink;
}

async function setStatus(manifest: string, status: string): Promise<void> {
  const data = JSON.parse(await Deno.readTextFile(join(PROJECT, manifest)));
  await Deno.writeTextFile(join(PROJECT, manifest), JSON.stringify({ ...data, status }));
}

Deno.test("run refuses a .lock that is a link, and never truncates its target", async () => {
  const outside = await outsideFiles(["lock"]);
  try {
    const out = join(root, "experiment-lock");
    await Deno.mkdir(join(PROJECT, out, "stalled"), { recursive: true });
    await linkAt(join(out, "stalled", ".lock"), join(outside.dir, "lock"));
    const { code, stderr } = await task("run", [FILE, "--out", out]);
    assert.equal(code, 1);
    assert.match(stderr, /stalled\/\.lock is a symbolic link; results are never written through/);
    assert.doesNotMatch(stderr, /^\s+at /m, "no stack trace");
    outside.check();
  } finally {
    await Deno.remove(outside.dir, { recursive: true });
  }
});

Deno.test("--resume refuses a run whose log.txt or .lock is a link; renamed files replace links", async () => {
  const outside = await outsideFiles(["log", "lock", "progress", "eval", "md", "merged-lock"]);
  try {
    const out = join(root, "run-files");
    const first = await task("run", [FILE, "--out", out, "--jobs", "1"]);
    assert.equal(first.code, 0, first.stderr);
    const run = join(out, "stalled", "rl2", "seed-0");
    const manifest = join(run, "manifest.json");

    // log.txt a link: the run fails before writing anything, naming the link.
    await setStatus(manifest, "interrupted");
    await linkAt(join(run, "log.txt"), join(outside.dir, "log"));
    const logged = await task("run", [FILE, "--out", out, "--resume", "--jobs", "1"]);
    assert.equal(logged.code, 1);
    assert.match(
      logged.stderr,
      /failed: stalled\/rl2\/seed-0 .*log\.txt is a symbolic link; results are never written/,
    );
    outside.check();
    await Deno.remove(join(PROJECT, run, "log.txt"));

    // .lock a link: the same.
    await setStatus(manifest, "interrupted");
    await linkAt(join(run, ".lock"), join(outside.dir, "lock"));
    const locked = await task("run", [FILE, "--out", out, "--resume", "--jobs", "1"]);
    assert.equal(locked.code, 1);
    assert.match(locked.stderr, /seed-0\/\.lock is a symbolic link/);
    outside.check();
    await Deno.remove(join(PROJECT, run, ".lock"));

    // Files written by rename (the CSVs, the comparison) replace a link, never its target.
    await setStatus(manifest, "interrupted");
    await linkAt(join(run, "progress.csv"), join(outside.dir, "progress"));
    await linkAt(join(run, "eval.csv"), join(outside.dir, "eval"));
    await linkAt(join(out, "stalled", "comparison.md"), join(outside.dir, "md"));
    const resumed = await task("run", [FILE, "--out", out, "--resume", "--jobs", "1"]);
    assert.equal(resumed.code, 0, resumed.stderr);
    outside.check();
    for (const file of [join(run, "progress.csv"), join(out, "stalled", "comparison.md")]) {
      assert.equal(await isLink(file), false, `${file} is a file again`);
    }

    // merge: the output's .lock a link is refused; merge.json a link is refused, not read.
    const merged = join(root, "merged");
    await Deno.mkdir(join(PROJECT, merged, "stalled"), { recursive: true });
    await linkAt(join(merged, "stalled", ".lock"), join(outside.dir, "merged-lock"));
    const merge = await task("merge", [join(out, "stalled"), "--out", merged]);
    assert.equal(merge.code, 1);
    assert.match(merge.stderr, /merged\/stalled\/\.lock is a symbolic link/);
    outside.check();
  } finally {
    await Deno.remove(outside.dir, { recursive: true });
  }
});

Deno.test("merge refuses a merge.json that is a link", async () => {
  const outside = await outsideFiles(["record"]);
  try {
    const out = join(root, "record");
    const ran = await task("run", [FILE, "--out", out, "--jobs", "1", "--only", "ucb1"]);
    assert.equal(ran.code, 0, ran.stderr);
    const merged = join(root, "record-merged");
    const once = await task("merge", [join(out, "stalled"), "--out", merged]);
    assert.equal(once.code, 0, once.stderr);
    await linkAt(join(merged, "stalled", "merge.json"), join(outside.dir, "record"));
    const again = await task("merge", [join(out, "stalled"), "--out", merged]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /stalled\/merge\.json is a symbolic link/);
    outside.check();
  } finally {
    await Deno.remove(outside.dir, { recursive: true });
  }
});
