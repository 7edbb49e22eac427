import assert from "node:assert/strict";
import { join } from "node:path";
import { gitState } from "../../../src/harness/run/manifest.ts";

async function git(dir: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("git", { args, cwd: dir, stdout: "null", stderr: "piped" })
    .output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
}

/** A repository with one committed source file and one committed result. */
async function repository(): Promise<string> {
  const dir = await Deno.makeTempDir();
  await git(dir, "init", "-q");
  await Deno.mkdir(join(dir, "src"));
  await Deno.mkdir(join(dir, "results"));
  await Deno.writeTextFile(join(dir, "src", "a.ts"), "export const a = 1;\n");
  await Deno.writeTextFile(join(dir, "results", "eval.csv"), "iteration\n0\n");
  await git(dir, "add", ".");
  await git(dir, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "one");
  return dir;
}

Deno.test("gitState: a clean tree is clean, with HEAD's commit", async () => {
  const dir = await repository();
  const state = await gitState(dir);
  assert.ok(state !== null);
  assert.equal(state.dirty, false);
  assert.ok(/^[0-9a-f]{40}$/.test(state.commit));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("gitState: results written under results/ leave the code clean", async () => {
  const dir = await repository();
  await Deno.writeTextFile(join(dir, "results", "eval.csv"), "iteration\n0\n20\n");
  await Deno.mkdir(join(dir, "results", "new-run"));
  await Deno.writeTextFile(join(dir, "results", "new-run", "progress.csv"), "iteration\n");
  assert.equal((await gitState(dir))?.dirty, false);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("gitState: a changed or new file outside results/ makes the tree dirty", async () => {
  for (const change of ["changed", "untracked"]) {
    const dir = await repository();
    const file = change === "changed" ? join(dir, "src", "a.ts") : join(dir, "src", "b.ts");
    await Deno.writeTextFile(file, "export const a = 2;\n");
    assert.equal((await gitState(dir))?.dirty, true, change);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("gitState: null outside a repository", async () => {
  const dir = await Deno.makeTempDir();
  assert.equal(await gitState(dir), null);
  await Deno.remove(dir, { recursive: true });
});
