import assert from "node:assert/strict";
import { join } from "node:path";
import { AVAILABLE, useBackend } from "../../_backend.ts";
import { Rng } from "../../../src/rng.ts";
import { Trainer } from "../../../src/learners/train.ts";
import { resolveLearner } from "../../../src/learners/registry.ts";
import { createFamily } from "../../../src/envs/registry.ts";
import { findBaseline } from "../../../src/baselines/registry.ts";
import { evaluateTrialAgent } from "../../../src/baselines/evaluate.ts";
import { loadExperiment } from "../../../src/experiment/load.ts";
import { expandRuns } from "../../../src/experiment/expand.ts";
import {
  parseCsv,
  progressColumns,
  relayRows,
  UNRECORDED_PROGRESS_COLUMNS,
} from "../../../src/harness/run/csv.ts";
import { acquireLock } from "../../../src/harness/run/lock.ts";
import { type Manifest, RESOLVED_FILE, runIdentity } from "../../../src/harness/run/manifest.ts";
import { workerCommand } from "../../../src/harness/run/runner.ts";
import { readResults } from "../../../src/harness/report/compare.ts";
import { fixture, moduleTempDir, quietReporter, readCsvs, runQuietly, TINY } from "../_results.ts";

const root = moduleTempDir();
const referenceOut = join(root, "reference");
let reference: Promise<Map<string, string>> | undefined;

/** The tiny experiment run once with --jobs 1: what every other way of running it must match. */
function tinyReference(): Promise<Map<string, string>> {
  reference ??= (async () => {
    const summary = await runQuietly({ files: [TINY], out: referenceOut, jobs: 1 });
    assert.deepEqual(summary.results.map((r) => r.outcome), ["done", "done", "done", "done"]);
    return await readCsvs(referenceOut);
  })();
  return reference;
}

async function manifestOf(dir: string): Promise<Manifest> {
  return JSON.parse(await Deno.readTextFile(join(dir, "manifest.json")));
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("runExperiments() writes manifests, the resolved experiment and the numbers of the learner", async () => {
  await tinyReference();
  const experiment = await loadExperiment(TINY);
  const dir = join(referenceOut, "tiny");
  assert.equal((await Deno.readTextFile(join(dir, RESOLVED_FILE))).trim(), experiment.canonical);
  const lock = new Uint8Array(
    await crypto.subtle.digest("SHA-256", await Deno.readFile("deno.lock")),
  );
  const lockHex = Array.from(lock, (b) => b.toString(16).padStart(2, "0")).join("");
  for (const run of expandRuns(experiment)) {
    const manifest = await manifestOf(join(dir, run.id));
    assert.equal(manifest.status, "done");
    assert.equal(manifest.run, run.id);
    assert.equal(manifest.seed, run.seed);
    assert.equal(manifest.config_hash, (await runIdentity(experiment.config, run)).hash);
    assert.equal(manifest.experiment_hash, experiment.hash);
    assert.equal(manifest.lock_hash, lockHex);
    assert.equal(manifest.tfjs.backend, "wasm");
    assert.equal(manifest.deno.deno, Deno.version.deno);
    assert.ok(Date.parse(manifest.started) <= Date.parse(manifest.ended!));
  }

  // The same numbers as the learner and the baseline computed here, in this process.
  const { task, evaluation } = experiment.config;
  const family = createFamily(task);
  const taskRng = Rng.derive(evaluation.seed, "eval-tasks");
  const tasks = Array.from({ length: evaluation.tasks }, () => family.sampleTask(taskRng));
  const ucb1 = findBaseline("ucb1", "bandit")!;
  const baseline = evaluateTrialAgent(
    family,
    ucb1.create({ c: 0.2 }, family, 3),
    tasks,
    3,
    evaluation.seed,
    1,
  );
  const ucbRows = parseCsv(await Deno.readTextFile(join(dir, "ucb1/seed-1/eval.csv"))).rows;
  assert.deepEqual(ucbRows, Array.from(baseline, (r, i) => ["0", String(i), String(r)]));
  assert.equal(await exists(join(dir, "ucb1/seed-1/progress.csv")), false);

  await useBackend("wasm");
  const rl2 = expandRuns(experiment).find((r) => r.id === "rl2/seed-1")!;
  const { spec, config } = resolveLearner(rl2.agentConfig);
  const learner = new Trainer(family, 3, spec, config, 1);
  const progress = parseCsv(await Deno.readTextFile(join(dir, "rl2/seed-1/progress.csv")));
  assert.deepEqual(progress.columns, progressColumns(["line_search_steps", "step_fraction"]));
  const evals = parseCsv(await Deno.readTextFile(join(dir, "rl2/seed-1/eval.csv"))).rows;
  const expectedEvals: string[][] = [];
  const evaluate = (i: number) =>
    learner.evaluate(tasks, evaluation).trialReturns.forEach((r, t) =>
      expectedEvals.push([`${i}`, `${t}`, `${r}`])
    );
  evaluate(0);
  for (let i = 1; i <= 4; i++) {
    const log = learner.iterate();
    assert.deepEqual(
      progress.rows[i - 1]!.slice(0, 8),
      [
        i,
        90 * i,
        log.returnMean,
        log.returnStd,
        log.kl,
        log.entropy,
        log.surrogateImprovement,
        log.valueLoss,
      ].map(String),
    );
    assert.deepEqual(progress.rows[i - 1]!.slice(12, 14), [
      String(log.diagnostics.line_search_steps),
      String(log.diagnostics.step_fraction),
    ]);
    if (i % 2 === 0) evaluate(i);
  }
  assert.equal(progress.rows.length, 4);
  assert.deepEqual(evals, expectedEvals);
});

Deno.test("runExperiments() gives identical CSVs in another invocation with --jobs 2", async () => {
  const expected = await tinyReference();
  const out = join(root, "jobs2");
  const summary = await runQuietly({ files: [TINY], out, jobs: 2 });
  assert.equal(summary.results.filter((r) => r.outcome === "done").length, 4);
  const got = await readCsvs(out);
  assert.deepEqual([...got.keys()], [...expected.keys()]);
  assert.deepEqual(got, expected);
});

Deno.test({
  name: "runExperiments() on ONNX Runtime: the same file and seed give identical CSVs again",
  ignore: !AVAILABLE.includes("ort"),
  fn: async () => {
    const outs = [join(root, "ort-a"), join(root, "ort-b")];
    for (const out of outs) {
      const summary = await runQuietly({ files: [TINY], out, backend: "ort", only: ["rl2"] });
      assert.deepEqual(summary.results.map((r) => r.outcome), ["done", "done"]);
    }
    const a = await readCsvs(outs[0]!), b = await readCsvs(outs[1]!);
    assert.ok(a.size > 0);
    assert.deepEqual(a, b);
    const manifest = await manifestOf(join(outs[0]!, "tiny", "rl2/seed-1"));
    assert.equal(manifest.tfjs.backend, "ort");
    assert.deepEqual(
      { backend: manifest.compute?.backend, threads: manifest.compute?.threads },
      { backend: "ort", threads: 1 },
    );
    // Not the WASM reference's bytes: another backend rounds differently.
    const wasm = await tinyReference();
    const key = [...a.keys()].find((k) => k.endsWith("progress.csv"))!;
    assert.notEqual(a.get(key), wasm.get(key));
  },
});

Deno.test("runExperiments() skips finished runs, with resume or without", async () => {
  await tinyReference();
  const before = await readCsvs(referenceOut);
  const manifest = await Deno.readTextFile(join(referenceOut, "tiny/rl2/seed-0/manifest.json"));
  const summary = await runQuietly({ files: [TINY], out: referenceOut, resume: true });
  assert.deepEqual(summary.results.map((r) => r.outcome), [
    "skipped",
    "skipped",
    "skipped",
    "skipped",
  ]);
  assert.equal(
    await Deno.readTextFile(join(referenceOut, "tiny/rl2/seed-0/manifest.json")),
    manifest,
  );
  assert.deepEqual(await readCsvs(referenceOut), before);
  // Without --resume too: the finished runs are reused.
  const again = await runQuietly({ files: [TINY], out: referenceOut });
  assert.deepEqual(again.results.map((r) => r.outcome), [
    "skipped",
    "skipped",
    "skipped",
    "skipped",
  ]);
  assert.deepEqual(await readCsvs(referenceOut), before);
});

Deno.test("runExperiments() with resume takes a folder whose file changed only in what compare reads, and refuses any other change", async () => {
  await tinyReference();
  const out = join(root, "edited");
  await Deno.mkdir(out, { recursive: true });
  await new Deno.Command("cp", { args: ["-r", join(referenceOut, "tiny"), out] }).output();
  const before = await readCsvs(out);
  const text = await Deno.readTextFile(TINY);
  const edited = (replace: string) => {
    const file = join(root, `tiny-${crypto.randomUUID()}.jsonc`);
    Deno.writeTextFileSync(file, text.replace('"checkpoint_every": 1', replace));
    return file;
  };
  const claims = edited(
    '"checkpoint_every": 1, "description": "edited", "expect": [{ "agent": "rl2", "at_least": 1 }]',
  );
  const summary = await runQuietly({ files: [claims], out, resume: true });
  assert.deepEqual(summary.results.map((r) => r.outcome), [
    "skipped",
    "skipped",
    "skipped",
    "skipped",
  ]);
  assert.deepEqual(await readCsvs(out), before);
  const resolved = JSON.parse(await Deno.readTextFile(join(out, "tiny", RESOLVED_FILE)));
  assert.deepEqual(
    [resolved.description, resolved.expect],
    ["edited", [{ agent: "rl2", at_least: 1, confidence: 0.95 }]],
  );
  await assert.rejects(
    () => runQuietly({ files: [edited('"checkpoint_every": 2')], out, resume: true }),
    /holds another version of experiment "tiny"/,
  );
});

Deno.test("runExperiments() with resume runs agents added to the file beside the runs already there", async () => {
  await tinyReference();
  const out = join(root, "added");
  await Deno.mkdir(out, { recursive: true });
  await new Deno.Command("cp", { args: ["-r", join(referenceOut, "tiny"), out] }).output();
  const before = await readCsvs(out);
  const text = await Deno.readTextFile(TINY);
  const edited = (from: string, to: string) => {
    const file = join(root, `tiny-${crypto.randomUUID()}.jsonc`);
    Deno.writeTextFileSync(file, text.replace(from, to));
    return file;
  };
  const ucb1 = '"ucb1": { "kind": "ucb1" }';
  const added = edited(ucb1, `${ucb1}, "greedy": { "kind": "greedy" }`);
  await assert.rejects(
    () => runQuietly({ files: [added], out }),
    /adds agents \("greedy"\) beyond the results in .*: pass --resume to run the new agents/,
  );
  const summary = await runQuietly({ files: [added], out, resume: true });
  assert.deepEqual(
    summary.results.map((r) => `${r.key} ${r.outcome}`).sort(),
    [
      "tiny/greedy/seed-0 done",
      "tiny/greedy/seed-1 done",
      "tiny/rl2/seed-0 skipped",
      "tiny/rl2/seed-1 skipped",
      "tiny/ucb1/seed-0 skipped",
      "tiny/ucb1/seed-1 skipped",
    ],
  );
  const after = await readCsvs(out);
  for (const [file, csv] of before) assert.equal(after.get(file), csv, file);
  assert.ok([...after.keys()].some((f) => f.includes("greedy")), "the new agent's CSVs");
  const resolved = JSON.parse(await Deno.readTextFile(join(out, "tiny", RESOLVED_FILE)));
  assert.deepEqual(Object.keys(resolved.agents).sort(), ["greedy", "rl2", "ucb1"]);
  // Adding an agent does not excuse another change, and removing one is another experiment.
  const alsoEdited = edited(ucb1, `${ucb1}, "random": { "kind": "random" }`);
  Deno.writeTextFileSync(
    alsoEdited,
    Deno.readTextFileSync(alsoEdited).replace('"gru": 4', '"gru": 5'),
  );
  for (const file of [alsoEdited, TINY]) {
    await assert.rejects(
      () => runQuietly({ files: [file], out, resume: true }),
      /holds another version of experiment "tiny"/,
    );
  }
});

Deno.test("runExperiments() with resume trains runs given more iterations on to the CSVs of a run that long from the start", async () => {
  const expected = await tinyReference();
  const out = join(root, "lengthened");
  const text = await Deno.readTextFile(TINY);
  const withIterations = (n: number) => {
    const file = join(root, `tiny-${n}-${crypto.randomUUID()}.jsonc`);
    Deno.writeTextFileSync(file, text.replace('"iterations": 4', `"iterations": ${n}`));
    return file;
  };
  const short = await runQuietly({ files: [withIterations(3)], out });
  assert.deepEqual(short.results.map((r) => r.outcome), ["done", "done", "done", "done"]);
  const evalAt3 = await Deno.readTextFile(join(out, "tiny", "rl2", "seed-0", "eval.csv"));
  assert.match(evalAt3, /\n3,0,/, "the 3-iteration run evaluates at its end, iteration 3");
  const longer = withIterations(4);
  await assert.rejects(
    () => runQuietly({ files: [longer], out }),
    /gives agents more iterations beyond the results in .*: pass --resume to train the longer runs on/,
  );
  const resolvedFile = join(out, "tiny", RESOLVED_FILE);
  const resolvedShort = await Deno.readTextFile(resolvedFile);
  await Deno.writeTextFile(resolvedFile, (await loadExperiment(longer)).canonical + "\n");
  await assert.rejects(
    () => readResults([join(out, "tiny")]),
    /rl2\/seed-0 is incomplete: made for 3 iterations, the experiment now gives it 4/,
    "compare counts a run not yet trained on as incomplete",
  );
  await Deno.writeTextFile(resolvedFile, resolvedShort);
  const summary = await runQuietly({ files: [longer], out, resume: true });
  assert.deepEqual(summary.results.map((r) => r.outcome).sort(), [
    "done",
    "done",
    "skipped",
    "skipped",
  ]);
  assert.deepEqual(await readCsvs(out), expected, "iteration 3's evaluation is dropped");
  const attempts = (await manifestOf(join(out, "tiny", "rl2", "seed-0"))).attempts!;
  assert.deepEqual(
    [attempts.at(-1)!.from_iteration, attempts.at(-1)!.lengthened_from],
    [3, 3],
  );
  const resolved = JSON.parse(await Deno.readTextFile(join(out, "tiny", RESOLVED_FILE)));
  assert.equal(resolved.agents.rl2.sampling.iterations, 4);
  await assert.rejects(
    () => runQuietly({ files: [withIterations(2)], out, resume: true }),
    /holds another version of experiment "tiny"/,
    "fewer iterations are another experiment",
  );
});

Deno.test("runExperiments() with resume continues checkpoints whose progress rows are in the unrecorded columns, to the same CSVs", async () => {
  const expected = await tinyReference();
  const out = join(root, "unrecorded");
  const short = join(root, `tiny-3-${crypto.randomUUID()}.jsonc`);
  const text = await Deno.readTextFile(TINY);
  await Deno.writeTextFile(short, text.replace('"iterations": 4', '"iterations": 3'));
  await runQuietly({ files: [short], out, only: ["rl2"] });
  const trpo = progressColumns(["line_search_steps", "step_fraction"]);
  for (const seed of [0, 1]) {
    // The checkpoint as written before checkpoints recorded their progress columns.
    const path = join(out, "tiny", "rl2", `seed-${seed}`, "checkpoint.json");
    const { progress_columns: columns, ...data } = JSON.parse(await Deno.readTextFile(path));
    assert.deepEqual(columns, trpo);
    data.progress = relayRows(data.progress, trpo, UNRECORDED_PROGRESS_COLUMNS);
    await Deno.writeTextFile(path, JSON.stringify(data));
  }
  await runQuietly({ files: [TINY], out, resume: true, only: ["rl2"] });
  const got = await readCsvs(out);
  assert.deepEqual([...got.keys()], [...expected.keys()].filter((k) => k.startsWith("tiny/rl2/")));
  for (const [path, csv] of got) assert.equal(csv, expected.get(path), path);
});

Deno.test("runExperiments() with resume continues a worker killed with SIGKILL to the same CSVs", async () => {
  const expected = await tinyReference();
  const out = join(root, "killed");
  const experiment = await loadExperiment(TINY);
  const run = expandRuns(experiment).find((r) => r.id === "rl2/seed-0")!;
  const dir = join(out, "tiny", "rl2", "seed-0");
  await Deno.mkdir(dir, { recursive: true });
  const { hash } = await runIdentity(experiment.config, run);
  const child = workerCommand({ experiment, run, dir, configHash: hash, resume: false }, null)
    .spawn();
  const drained = Promise.all([
    child.stdout.pipeTo(new WritableStream()),
    child.stderr.pipeTo(new WritableStream()),
  ]);
  const deadline = Date.now() + 60_000;
  while (!(await exists(join(dir, "checkpoint.json")))) {
    assert.ok(Date.now() < deadline, "no checkpoint within a minute");
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill("SIGKILL");
  const [status] = await Promise.all([child.status, drained]);
  assert.equal(status.signal, "SIGKILL");
  assert.equal(
    (await manifestOf(dir)).status,
    "running",
    "the worker finished before it was killed",
  );

  const summary = await runQuietly({ files: [TINY], out, resume: true, only: ["rl2"] });
  assert.deepEqual(summary.results.map((r) => [r.key, r.outcome]), [["tiny/rl2/seed-0", "done"], [
    "tiny/rl2/seed-1",
    "done",
  ]]);
  const manifest = await manifestOf(dir);
  assert.equal(manifest.resumed.length, 1);
  assert.match(await Deno.readTextFile(join(dir, "log.txt")), /resumed at iteration [1-4]/);
  const got = await readCsvs(out);
  for (const [path, text] of got) assert.equal(text, expected.get(path), path);
  assert.deepEqual([...got.keys()], [...expected.keys()].filter((k) => k.startsWith("tiny/rl2/")));
});

Deno.test("runExperiments() reports a failed run with its log and still runs the others", async () => {
  const out = join(root, "failing");
  const experiment = await loadExperiment(TINY);
  const run = expandRuns(experiment).find((r) => r.id === "ucb1/seed-0")!;
  const dir = join(out, "tiny", "ucb1", "seed-0");
  await Deno.mkdir(dir, { recursive: true });
  const { hash } = await runIdentity(experiment.config, run);
  await Deno.writeTextFile(
    join(dir, "manifest.json"),
    JSON.stringify({
      experiment: "tiny",
      run: run.id,
      experiment_hash: experiment.hash,
      config_hash: hash,
      config: {},
      seed: 0,
      status: "running",
      started: "2000-01-01T00:00:00.000Z",
      resumed: [],
      git: null,
    }),
  );
  await Deno.writeTextFile(join(dir, "checkpoint.json"), "{ torn by a disk failure");
  const reporter = quietReporter();
  const summary = await runQuietly({ files: [TINY], out, resume: true, only: ["ucb1"], reporter });
  const [failed, done] = summary.results;
  assert.equal(failed?.key, "tiny/ucb1/seed-0");
  assert.equal(failed?.outcome, "failed");
  assert.match(
    failed!.detail,
    /worker ended with exit code 1; end of .*log\.txt:\n[^]*cannot read checkpoint/,
  );
  assert.ok(reporter.lines.some((line) => line.includes("tiny/ucb1/seed-0: FAILED")));
  assert.equal(done?.outcome, "done");
  assert.equal((await manifestOf(dir)).status, "failed");
  assert.equal(
    parseCsv(await Deno.readTextFile(join(out, "tiny/ucb1/seed-1/eval.csv"))).rows.length,
    20,
  );
});

Deno.test("runExperiments() refuses a results folder locked by another runner", async () => {
  const out = join(root, "locked");
  const lock = await acquireLock(join(out, "tiny"));
  try {
    await assert.rejects(
      () => runQuietly({ files: [TINY], out }),
      new RegExp(`results folder .*tiny is in use by another runner \\(pid ${Deno.pid}`),
    );
    assert.equal(await exists(join(out, "tiny", RESOLVED_FILE)), false);
  } finally {
    await lock.release();
  }
});

Deno.test("runExperiments() writes nothing when any experiment file is rejected", async () => {
  const out = join(root, "rejected");
  await assert.rejects(
    () => runQuietly({ files: [TINY, fixture("rejected.jsonc")], out }),
    /rejected\.jsonc:7:\d+: evaluation\.trails: unknown key "trails"/,
  );
  await assert.rejects(
    () => runQuietly({ files: [TINY], out, only: ["ucb1", "nope"] }),
    /no agent named "nope"/,
  );
  assert.equal(await exists(out), false);
});

Deno.test("runExperiments() tunes a baseline's grid on the tuning tasks and evaluates the chosen point", async () => {
  const out = join(root, "tuned");
  const summary = await runQuietly({ files: [fixture("tuned.jsonc")], out });
  assert.deepEqual(summary.results.map((r) => r.outcome), ["done", "done", "done", "done"]);
  const experiment = await loadExperiment(fixture("tuned.jsonc"));
  const { task, evaluation } = experiment.config;
  const family = createFamily(task);
  const ucb1 = findBaseline("ucb1", "bandit")!;
  const mean = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const tuningRng = Rng.derive(7, "tuning-tasks");
  const tuningTasks = Array.from({ length: 200 }, () => family.sampleTask(tuningRng));
  const evalRng = Rng.derive(evaluation.seed, "eval-tasks");
  const evalTasks = Array.from({ length: 30 }, () => family.sampleTask(evalRng));
  for (const seed of [0, 1]) {
    const dir = join(out, "tuned", "ucb1", `seed-${seed}`);
    // Each grid point scored here, independently, on the tuning tasks with the run's stream.
    const scores = [0.001, 0.2, 20].map((c) =>
      mean(evaluateTrialAgent(family, ucb1.create({ c }, family, 5), tuningTasks, 5, 7, seed))
    );
    const best = scores.indexOf(Math.max(...scores));
    const table = parseCsv(await Deno.readTextFile(join(dir, "tuning.csv")));
    assert.deepEqual(table.columns, ["c", "mean_return", "chosen"]);
    assert.deepEqual(
      table.rows,
      scores.map((s, i) => [String([0.001, 0.2, 20][i]), String(s), i === best ? "1" : "0"]),
    );
    const chosen = [0.001, 0.2, 20][best]!;
    assert.deepEqual((await manifestOf(dir)).tuned, { c: chosen });
    // The evaluation used the chosen value on the held-out tasks.
    const returns = evaluateTrialAgent(
      family,
      ucb1.create({ c: chosen }, family, 5),
      evalTasks,
      5,
      evaluation.seed,
      seed,
    );
    const rows = parseCsv(await Deno.readTextFile(join(dir, "eval.csv"))).rows;
    assert.deepEqual(rows.map((r) => r[2]), Array.from(returns, String));
  }
  // A baseline without hyperparameters has nothing to tune.
  const greedy = join(out, "tuned", "greedy", "seed-0");
  assert.equal(await exists(join(greedy, "tuning.csv")), false);
  assert.equal((await manifestOf(greedy)).tuned, undefined);
});
