import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";
import { compareResults, COMPARISON_FILES } from "../../src/harness/report/compare.ts";
import { mergeResults } from "../../src/harness/run/merge.ts";
import { parseShard, selectShard } from "../../src/harness/run/shard.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const read = (path: string) => Deno.readTextFile(join(ROOT, path));
const GITHUB = "deploy/github-actions/reproduce.yml";
const SLURM = "deploy/slurm/reproduce.sbatch";
const KUBERNETES = "deploy/kubernetes/reproduce.yaml";

/** Expands `$((a + 1))`, `${VAR}` and `$VAR` of a shell word, and drops its double quotes. */
function expandShell(word: string, env: Readonly<Record<string, string>>): string {
  const variable = (name: string) => {
    const value = env[name];
    if (value === undefined) throw new Error(`$${name} is not set in the simulation`);
    return value;
  };
  const arithmetic = (expr: string) =>
    expr.split(/(?=[+-])/).reduce((sum, term) => {
      const t = term.replace(/\s+/g, "");
      const sign = t.startsWith("-") ? -1 : 1;
      const operand = t.replace(/^[+-]/, "");
      return sum + sign * Number(/^\d+$/.test(operand) ? operand : variable(operand));
    }, 0);
  return word.replace(/"/g, "").replace(
    /\$\(\(([^)]*)\)\)|\$\{(\w+)\}|\$(\w+)/g,
    (_, expr: string | undefined, braced: string | undefined, bare: string | undefined) =>
      expr !== undefined ? String(arithmetic(expr)) : variable((braced ?? bare)!),
  );
}

/** The `--shard` argument of the `deno task run` command in `text`. */
function shardArgument(text: string): string {
  const command = /deno task run[^\n]*(?:\\\n[^\n]*)*/.exec(text)?.[0] ?? "";
  const match = /--shard\s+("[^"]*"|\S+)/.exec(command);
  assert.ok(match, `no --shard in ${command}`);
  return match[1]!;
}

/** Shard strings must be exactly 1/N … N/N, and select every run exactly once. */
function assertCoversOnce(shards: readonly string[], n: number): void {
  const parsed = shards.map(parseShard);
  assert.deepEqual(parsed.map((s) => s.count), Array(n).fill(n));
  assert.deepEqual(
    parsed.map((s) => s.index).sort((a, b) => a - b),
    [...Array(n).keys()].map((i) => i + 1),
  );
  const keys = Array.from({ length: 3 * n + 1 }, (_, i) => `exp/agent/seed-${i}`);
  const chosen = parsed.flatMap((s) => selectShard(keys, (k) => k, s));
  assert.deepEqual(chosen.sort(), [...keys].sort());
}

function taskNames(text: string): string[] {
  return [...text.matchAll(/deno task ([\w-]+)/g)].map((m) => m[1]!);
}

Deno.test("deploy recipes run only tasks that deno.json defines, including run, merge and compare", async () => {
  const tasks = Object.keys(JSON.parse(await read("deno.json")).tasks);
  for (const file of [GITHUB, SLURM, KUBERNETES]) {
    const used = taskNames(await read(file));
    assert.deepEqual([...new Set(used)].sort(), ["compare", "merge", "run"], file);
    for (const task of used) {
      assert.ok(tasks.includes(task), `${file}: no task "${task}" in deno.json`);
    }
  }
});

Deno.test("deploy recipes write under results/ (the only folder the tasks may write)", async () => {
  for (const file of [GITHUB, SLURM, KUBERNETES]) {
    const text = await read(file);
    for (const [, out] of text.matchAll(/--out\s+"?([^"\s]+)/g)) {
      assert.match(out!, /^(\$OUT|results)\//, `${file}: --out ${out}`);
    }
  }
  assert.match(await read(SLURM), /^OUT="\$\{OUT:-results\/[^}]+\}"/m);
});

Deno.test("the GitHub Actions matrix gives shards 1/N … N/N and merges what the shards upload", async () => {
  const workflow = parse(await read(GITHUB));
  const shard = workflow.jobs.shard;
  const matrix: number[] = shard.strategy.matrix.shard;
  const run = shard.steps.find((s: { run?: string }) => s.run?.includes("deno task run")).run;
  const strings = matrix.map((i) =>
    shardArgument(run)
      .replace(/"/g, "")
      .replaceAll("${{ matrix.shard }}", String(i))
      .replaceAll("${{ strategy.job-total }}", String(matrix.length))
  );
  assertCoversOnce(strings, matrix.length);
  const upload = shard.steps.find((s: { uses?: string }) =>
    s.uses?.startsWith("actions/upload-artifact")
  );
  const compare = workflow.jobs.compare;
  assert.equal(compare.needs, "shard");
  const download = compare.steps.find((s: { uses?: string }) =>
    s.uses?.startsWith("actions/download-artifact")
  );
  const names = matrix.map((i) => upload.with.name.replace("${{ matrix.shard }}", String(i)));
  const pattern = new RegExp(`^${download.with.pattern.replace("*", ".*")}$`);
  assert.ok(names.every((n: string) => pattern.test(n)), "the download gets every shard");
  const commands = compare.steps.flatMap((s: { run?: string }) => s.run ?? []).join("\n");
  assert.match(commands, new RegExp(`deno task merge ${download.with.path}/`));
  assert.match(commands, /deno task compare results\/merged --check/);
  assert.match(commands, /comparison\.md >> "\$GITHUB_STEP_SUMMARY"/);
  const summary = compare.steps.find((s: { run?: string }) =>
    s.run?.includes("GITHUB_STEP_SUMMARY")
  );
  assert.equal(summary.if, "always()", "the summary is written when the check fails too");
});

Deno.test("the Slurm array's task ids give shards 1/N … N/N, merged by a dependent job", async () => {
  const script = await read(SLURM);
  const n = Number(/^SHARDS="\$\{SHARDS:-(\d+)\}"/m.exec(script)?.[1]);
  const array = /--array="(\d+)-\$SHARDS"/.exec(script);
  assert.ok(array, "an array from a first id to $SHARDS");
  const ids = Array.from({ length: n - Number(array[1]) + 1 }, (_, i) => Number(array[1]) + i);
  const argument = shardArgument(script);
  const strings = ids.map((id) =>
    expandShell(argument, { SLURM_ARRAY_TASK_ID: String(id), SHARDS: String(n) })
  );
  assertCoversOnce(strings, n);
  assert.match(
    script,
    /sbatch --parsable --dependency="afterok:\$array" --kill-on-invalid-dep=yes[^)]*STAGE=merge/,
  );
  const merge = /merge\)\n([\s\S]*?);;/.exec(script)?.[1] ?? "";
  assert.match(merge, /deno task merge "\$OUT"\/shard-\* --out "\$OUT\/merged"/);
  assert.match(merge, /deno task compare "\$OUT\/merged" --check/);
});

Deno.test("the Kubernetes Indexed Job's completion indices give shards 1/N … N/N", async () => {
  const docs = parseAllDocuments(await read(KUBERNETES)).map((d) => d.toJS());
  const jobs = docs.filter((d) => d.kind === "Job");
  const indexed = jobs.find((j) => j.spec.completionMode === "Indexed");
  const n: number = indexed.spec.completions;
  const container = indexed.spec.template.spec.containers[0];
  const env = Object.fromEntries(
    container.env.map((e: { name: string; value: string }) => [e.name, e.value]),
  );
  assert.equal(Number(env.SHARDS), n, "SHARDS matches completions");
  const argument = shardArgument(container.args.join("\n"));
  const strings = Array.from(
    { length: n },
    (_, index) => expandShell(argument, { ...env, JOB_COMPLETION_INDEX: String(index) }),
  );
  assertCoversOnce(strings, n);
  const merge = jobs.find((j) => j !== indexed);
  const claims = (job: typeof indexed) =>
    job.spec.template.spec.volumes.flatMap((v: { persistentVolumeClaim?: { claimName: string } }) =>
      v.persistentVolumeClaim?.claimName ?? []
    );
  const pvc = docs.find((d) => d.kind === "PersistentVolumeClaim");
  assert.deepEqual(claims(indexed), [pvc.metadata.name]);
  assert.deepEqual(claims(merge), [pvc.metadata.name], "the merge job sees the shards' volume");
  assert.deepEqual(pvc.spec.accessModes, ["ReadWriteMany"]);
  const mergeCommand = merge.spec.template.spec.containers[0].args.join("\n");
  assert.match(
    mergeCommand,
    /deno task merge results\/k8s\/shards\/shard-\* --out results\/k8s\/merged/,
  );
  assert.match(mergeCommand, /deno task compare results\/k8s\/merged --check/);
  assert.deepEqual(jobs.map((j) => j.metadata.labels.stage), ["shards", "merge"]);
});

// ---- a full local simulation: N shard processes + merge give the comparison of one run ----

const canRun = (await Deno.permissions.query({ name: "run", command: "deno" })).state === "granted";

Deno.test({
  name: "Kubernetes-style shards of a real run, merged, compare like one unsharded run",
  ignore: !canRun,
  async fn() {
    const { moduleTempDir, runQuietly, TINY } = await import("../harness/_results.ts");
    const root = moduleTempDir();
    const docs = parseAllDocuments(await read(KUBERNETES)).map((d) => d.toJS());
    const container = docs.find((d) => d.spec?.completionMode === "Indexed").spec.template.spec
      .containers[0];
    const argument = shardArgument(container.args.join("\n"));
    const n = 3;
    const outputs = await Promise.all(Array.from({ length: n }, async (_, index) => {
      const shard = parseShard(
        expandShell(argument, { SHARDS: String(n), JOB_COMPLETION_INDEX: String(index) }),
      );
      const out = join(root, `shard-${shard.index}`);
      const summary = await runQuietly({ files: [TINY], out, shard });
      assert.ok(summary.results.every((r) => r.outcome === "done"));
      return out;
    }));
    const whole = join(root, "whole");
    await runQuietly({ files: [TINY], out: whole, jobs: 2 });
    await mergeResults(outputs, join(root, "merged"));
    const options = { formats: ["csv", "md"] as const, resamples: 200, seed: 0 };
    await compareResults({ ...options, inputs: [join(root, "merged")], out: join(root, "a") });
    await compareResults({ ...options, inputs: [whole], out: join(root, "b") });
    for (const file of [COMPARISON_FILES.csv, COMPARISON_FILES.md]) {
      const [a, b] = await Promise.all(
        ["a", "b"].map((d) => Deno.readTextFile(join(root, d, file))),
      );
      assert.equal(a, b, file);
    }
    const csv = await Deno.readTextFile(join(root, "a", COMPARISON_FILES.csv));
    assert.match(csv, /^tiny,,rl2,seeds,,2,,$/m);
    assert.match(csv, /^tiny,,ucb1,seeds,,2,,$/m);
  },
});
