import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";
import { canonicalJson, sha256Hex } from "../../../src/canonical.ts";
import { expandRuns } from "../../../src/experiment/expand.ts";
import { loadExperiment } from "../../../src/experiment/load.ts";
import { renamedResolved } from "../../../src/experiment/renamed_results.ts";
import {
  gitState,
  type Manifest,
  readManifest,
  recordedIdentity,
  RESOLVED_FILE,
  type RunConfig,
  runIdentity,
} from "../../../src/harness/run/manifest.ts";
import { PROJECT_ROOT } from "../../../src/project.ts";

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

/** The files under `dir`, recursively. */
async function* filesUnder(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* filesUnder(path);
    else yield path;
  }
}

/** A done run's manifest recording `config`, hashed as the worker hashes it. */
async function manifestOf(config: RunConfig): Promise<Manifest> {
  return {
    experiment: "x",
    run: "rl2/seed-0",
    experiment_hash: "e",
    config_hash: await sha256Hex(canonicalJson(config)),
    config,
    seed: 0,
    status: "done",
    started: "2026-01-01T00:00:00.000Z",
    resumed: [],
    ended: null,
    git: null,
    deno: Deno.version,
    tfjs: { version: "4", backend_requested: "cpu", backend: "cpu" },
    lock_hash: null,
    cores: 1,
  };
}

Deno.test("recordedIdentity(): a run made under an old spelling has today's identity, others their own", async () => {
  const today = await loadExperiment(
    join(PROJECT_ROOT, "experiments/ablations/mdp-n10-authors-small.jsonc"),
  );
  const run = expandRuns(today)[0]!;
  const identity = await runIdentity(today.config, run);
  assert.equal((run.agentConfig.policy as { start_input: string }).start_input, "no_action_done");
  const oldConfig = structuredClone(identity.config);
  (oldConfig.agent_config.policy as { start_input: string }).start_input = "code";
  const old = await manifestOf(oldConfig);
  assert.notEqual(old.config_hash, identity.hash);
  assert.deepEqual(await recordedIdentity(old), identity);
  // A manifest in today's spelling keeps its record.
  const current = await manifestOf(identity.config);
  assert.equal((await recordedIdentity(current)).config, current.config);
  // A config that is not what its recorded hash was made from is not vouched for.
  const edited = { ...old, config_hash: "0".repeat(64) };
  assert.deepEqual(await recordedIdentity(edited), {
    config: old.config,
    hash: edited.config_hash,
  });
});

Deno.test("every committed run is the run its experiment file now describes (the same config hash, or the same in today's spelling)", async () => {
  const files = new Map<string, string>();
  for await (const path of filesUnder(join(PROJECT_ROOT, "experiments"))) {
    if (!path.endsWith(".jsonc")) continue;
    const { config } = await loadExperiment(path);
    files.set(config.name, path);
  }
  const renamed: string[] = [];
  let runs = 0;
  for await (const path of filesUnder(join(PROJECT_ROOT, "results/reference"))) {
    if (!path.endsWith(RESOLVED_FILE)) continue;
    const dir = dirname(path);
    const text = await Deno.readTextFile(path);
    const file = files.get(JSON.parse(text).name);
    assert.ok(file !== undefined, `${dir}: no experiment file of that name`);
    const experiment = await loadExperiment(file);
    const resolved = JSON.parse(renamedResolved(text));
    assert.deepEqual({ ...resolved, backend: "" }, { ...experiment.config, backend: "" }, dir);
    for (const run of expandRuns(experiment)) {
      const manifest = await readManifest(join(dir, run.id));
      if (manifest === undefined) continue;
      runs++;
      const config = { ...experiment.config, backend: manifest.config.backend };
      const { hash } = await runIdentity(config, run);
      const key = `${relative(PROJECT_ROOT, dir)}/${run.id}`;
      if (manifest.config_hash === hash) continue;
      assert.equal((await recordedIdentity(manifest)).hash, hash, key);
      renamed.push(key);
    }
  }
  assert.ok(runs >= 800, `only ${runs} committed runs`);
  // Runs made before trpo.finetune moved and before start_input's values were renamed.
  for (const key of ["maml/maml-navigation/trpo/seed-0", "ablations/mdp-n10-authors/rl2/seed-0"]) {
    assert.ok(renamed.includes(`results/reference/${key}`), key);
  }
});
