import { INPUTS_FILE } from "../../../src/harness/report/comparison_inputs.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Run } from "../../../src/experiment/expand.ts";
import {
  compareResults,
  COMPARISON_FILES,
  readResults,
} from "../../../src/harness/report/compare.ts";
import { compareCommand } from "../../../src/harness/report/compare_cli.ts";
import { readComparisonCsv } from "../../../src/harness/report/comparison_csv.ts";
import { parseCsv } from "../../../src/harness/run/csv.ts";
import { RUN_FILES } from "../../../src/harness/run/manifest.ts";
import { PROJECT_ROOT } from "../../../src/project.ts";
import { banditExperiment, type Scores, tempDir, writeResults } from "../_synthetic.ts";

const root = tempDir();
let folders = 0;
const fresh = () => join(root, `case-${++folders}`);

/**
 * Known answers: on task t, seed s, iteration i, rl2 scores 3 + t mod 2 + s + i/4 and trpo
 * exactly 1 less; ucb1 (evaluated once) scores 1 + s. With seeds 0–2, 4 tasks and 4
 * iterations: final means rl2 5.5, trpo 4.5, ucb1 2.
 */
const KNOWN: Scores = {
  score(run: Run, iteration: number, task: number) {
    const base = (task % 2) + run.seed;
    if (run.agent === "ucb1") return 1 + run.seed;
    return base + iteration / 4 + (run.agent === "rl2" ? 3 : 2);
  },
};

const EXPERIMENT = banditExperiment({
  paper: { table: "Table 1", row: "k=3", values: { rl2: 6.5 } },
  expect: [
    { agent: "rl2", better_than: "trpo", confidence: 0.95 },
    { agent: "rl2", at_least: 5.5 },
  ],
});

/** Runs `compareCommand` with console output captured. */
async function capture(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...parts: unknown[]) => out.push(parts.join(" "));
  console.error = (...parts: unknown[]) => err.push(parts.join(" "));
  try {
    const code = await compareCommand(args);
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

async function readAll(dir: string, names: readonly string[]): Promise<Map<string, string>> {
  return new Map(
    await Promise.all(names.map(async (n) => [n, await Deno.readTextFile(join(dir, n))] as const)),
  );
}

Deno.test("readResults() reads every run's evaluations, timesteps and training curve", async () => {
  const dir = await writeResults(fresh(), EXPERIMENT, { ...KNOWN, steps: () => 25 });
  const [experiment] = await readResults([dir]);
  assert.equal(experiment!.name, "synthetic");
  assert.deepEqual(experiment!.variants.map((v) => [v.agent, v.classic]), [
    ["rl2", false],
    ["trpo", false],
    ["ucb1", true],
  ]);
  const rl2 = experiment!.variants[0]!.runs[1]!;
  assert.equal(rl2.seed, 1);
  assert.deepEqual(rl2.evaluations.map((e) => [e.iteration, e.timesteps, e.seconds]), [
    [0, 0, 0],
    [2, 50, 1],
    [4, 100, 2],
  ]);
  assert.deepEqual([...rl2.evaluations[2]!.returns], [5, 6, 5, 6]);
  assert.deepEqual(rl2.training.map((t) => t.timesteps), [25, 50, 75, 100]);
  assert.deepEqual(rl2.training.map((t) => t.returnMean), [4.75, 5, 5.25, 5.5]);
  assert.deepEqual(experiment!.missing, []);
});

Deno.test("readResults() reads a results root, and unmerged shards like the whole", async () => {
  const whole = fresh();
  await writeResults(whole, EXPERIMENT, KNOWN);
  const shard = (keep: (run: Run) => boolean) =>
    writeResults(fresh(), EXPERIMENT, { ...KNOWN, status: (run) => keep(run) ? "done" : "absent" });
  const parts = [
    await shard((run) => run.seed === 0),
    await shard((run) => run.seed !== 0),
  ];
  assert.deepEqual(await readResults(parts), await readResults([whole]));
});

Deno.test("readResults() refuses folders of one experiment whose configs differ, naming where", async () => {
  const a = await writeResults(fresh(), EXPERIMENT, KNOWN);
  const agents = EXPERIMENT.agents as Record<string, Record<string, unknown>>;
  const edited = {
    ...EXPERIMENT,
    agents: { ...agents, rl2: { ...agents.rl2, policy: { gru: 8 } } },
  };
  const b = await writeResults(fresh(), edited, KNOWN);
  await assert.rejects(
    readResults([a, b]),
    /both hold experiment "synthetic" but their experiment\.resolved\.json differ \(agents\.rl2\.policy\.gru: 4 vs 8\)/,
  );
});

Deno.test("readResults() refuses a run made with another config than the folder's", async () => {
  const a = await writeResults(fresh(), EXPERIMENT, KNOWN);
  const evaluation = { tasks: 4, every: 2, greedy: true };
  const b = await writeResults(fresh(), { ...EXPERIMENT, evaluation }, KNOWN);
  const run = join("rl2", "seed-1");
  await Deno.remove(join(a, run), { recursive: true });
  await Deno.mkdir(join(a, run));
  for (const file of [RUN_FILES.manifest, RUN_FILES.eval, RUN_FILES.progress]) {
    await Deno.copyFile(join(b, run, file), join(a, run, file));
  }
  await assert.rejects(
    readResults([a]),
    /run synthetic\/rl2\/seed-1 in .* was made with another config .*ablation point and seed/,
  );
});

Deno.test("readResults() refuses a run found in two folders", async () => {
  const a = await writeResults(fresh(), EXPERIMENT, KNOWN);
  const b = await writeResults(fresh(), EXPERIMENT, {
    ...KNOWN,
    status: (run) => run.id === "ucb1/seed-2" ? "done" : "absent",
  });
  await assert.rejects(readResults([a, b]), /run synthetic\/ucb1\/seed-2 is in both .* merge/);
});

Deno.test("readResults() refuses a run not done unless allowIncomplete, then lists it", async () => {
  const dir = await writeResults(fresh(), EXPERIMENT, {
    ...KNOWN,
    status: (run) =>
      run.id === "rl2/seed-2" ? "absent" : run.id === "trpo/seed-0" ? "failed" : "done",
  });
  await assert.rejects(
    readResults([dir]),
    /run synthetic\/trpo\/seed-0 is incomplete: .*trpo\/seed-0\/manifest\.json: status failed, not done[^]*--allow-incomplete/,
  );
  const [experiment] = await readResults([dir], { allowIncomplete: true });
  assert.deepEqual(experiment!.missing, ["rl2/seed-2 (no results)", "trpo/seed-0 (incomplete)"]);
  assert.deepEqual(experiment!.variants.map((v) => v.runs.map((r) => r.seed)), [
    [0, 1],
    [1, 2],
    [0, 1, 2],
  ]);
});

Deno.test("readResults() names the file of a malformed eval.csv", async () => {
  const dir = await writeResults(fresh(), EXPERIMENT, KNOWN);
  const file = join(dir, "trpo", "seed-0", RUN_FILES.eval);
  const lines = (await Deno.readTextFile(file)).trimEnd().split("\n");
  await Deno.writeTextFile(file, lines.filter((_, i) => i !== 2).join("\n") + "\n");
  await assert.rejects(
    readResults([dir]),
    /eval\.csv: the evaluation at iteration 0 has 3 of its 4 tasks \(task 1 is the first missing\)/,
  );
  lines[1] = lines[1]!.replace(/[^,]+$/, "x");
  await Deno.writeTextFile(file, lines.join("\n") + "\n");
  await assert.rejects(
    readResults([dir]),
    /eval\.csv line 2, column return: expected a finite number, got "x"/,
  );
  await assert.rejects(readResults([join(dir, "nowhere")]), /no such folder/);
});

Deno.test("compareResults() writes tables and plots that are byte-identical on rerun", async () => {
  const dir = await writeResults(fresh(), EXPERIMENT, KNOWN);
  const options = {
    inputs: [dir],
    formats: ["md", "csv", "svg"] as const,
    resamples: 500,
    seed: 3,
  };
  const first = await compareResults({ ...options, out: join(dir, "a") });
  assert.deepEqual(first.files, [
    COMPARISON_FILES.md,
    COMPARISON_FILES.csv,
    INPUTS_FILE,
    "curves-synthetic.svg",
  ]);
  const before = await readAll(join(dir, "a"), first.files);
  await compareResults({ ...options, out: join(dir, "b") });
  assert.deepEqual(await readAll(join(dir, "b"), first.files), before);
  const md = before.get(COMPARISON_FILES.md)!;
  assert.doesNotMatch(md, /\d{4}-\d{2}-\d{2}|\d\d:\d\d:\d\d/, "no timestamps");
  assert.match(md, /!\[synthetic\]\(curves-synthetic\.svg\)/);
});

Deno.test("comparison.csv has one row per setting × agent × statistic with the known values", async () => {
  const dir = await writeResults(fresh(), EXPERIMENT, KNOWN);
  await compareResults({ inputs: [dir], out: dir, formats: ["csv"], resamples: 500, seed: 0 });
  const { columns, rows } = parseCsv(await Deno.readTextFile(join(dir, COMPARISON_FILES.csv)));
  assert.deepEqual(columns, [
    "experiment",
    "setting",
    "agent",
    "statistic",
    "versus",
    "value",
    "lower",
    "upper",
  ]);
  const keys = rows.map((r) => r.slice(0, 4).join("/"));
  assert.equal(new Set(keys).size, keys.length, "one row per setting × agent × statistic");
  const value = (agent: string, statistic: string) =>
    rows.find((r) => r[2] === agent && r[3] === statistic);
  assert.equal(Number(value("rl2", "final_mean")![5]), 5.5);
  assert.equal(Number(value("trpo", "final_mean")![5]), 4.5);
  assert.equal(Number(value("ucb1", "final_mean")![5]), 2);
  assert.equal(value("rl2", "seeds")![5], "3");
  const difference = value("rl2", "difference")!;
  assert.equal(difference[4], "trpo");
  for (const bound of difference.slice(5)) assert.ok(Math.abs(Number(bound) - 1) < 1e-12, bound);
  assert.deepEqual(value("rl2", "paper")!.slice(5), ["6.5", "", ""]);
  assert.equal(value("trpo", "difference"), undefined);
  // Time to 0.95 × 6.5: only seed 2 (means 5.5, 6, 6.5 at iterations 0, 2, 4) reaches it, at
  // iteration 4: 120 timesteps (30 per iteration) and 2 seconds.
  assert.equal(Number(value("rl2", "level")![5]), 0.95 * 6.5);
  assert.equal(value("rl2", "seeds_reaching_level")![5], "1");
  assert.deepEqual(value("rl2", "timesteps_to_level")!.slice(5), ["120", "120", "120"]);
  assert.deepEqual(value("rl2", "seconds_to_level")!.slice(5), ["2", "2", "2"]);
  assert.equal(value("rl2", "timesteps_to_level_std"), undefined, "one seed has no spread");
  assert.equal(value("trpo", "level"), undefined, "no paper number for trpo");
});

Deno.test("compare reports each agent's reward per episode of the trial and its gain", async () => {
  // Episode e (from 0, ten a trial) of seed s at iteration i: rl2 earns s + i·e, ucb1 1 + e; trpo
  // records none.
  const withEpisodes: Scores = {
    ...KNOWN,
    episodes: (run, iteration) =>
      run.agent === "trpo"
        ? []
        : Array.from({ length: 10 }, (_, e) =>
          run.agent === "ucb1" ? 1 + e : run.seed + iteration * e),
  };
  const dir = await writeResults(fresh(), EXPERIMENT, withEpisodes);
  // A run whose adaptation.csv is empty is incomplete, named with its file, like a short eval.csv.
  await assert.rejects(
    () => compareResults({ inputs: [dir], out: dir, formats: ["csv"], resamples: 200, seed: 0 }),
    /trpo\/seed-0\/adaptation\.csv: iteration 4 has no reward for episode 1/,
  );
  for (const seed of [0, 1, 2]) {
    await Deno.remove(join(dir, "trpo", `seed-${seed}`, RUN_FILES.adaptation));
  }
  const summary = await compareResults({
    inputs: [dir],
    out: dir,
    formats: ["md", "csv", "svg"],
    resamples: 200,
    seed: 0,
  });
  assert.ok(summary.files.includes("adaptation-synthetic.svg"), summary.files.join());
  const { rows } = parseCsv(await Deno.readTextFile(join(dir, COMPARISON_FILES.csv)));
  const value = (agent: string, statistic: string) =>
    rows.find((r) => r[2] === agent && r[3] === statistic)?.slice(5).map(Number);
  // rl2 at its final evaluation (iteration 4): seeds 0–2 earn s + 4e, mean 1 + 4e.
  assert.deepEqual(value("rl2", "episode_1_reward")?.[0], 1);
  assert.deepEqual(value("rl2", "episode_3_reward")?.[0], 9);
  assert.deepEqual(value("rl2", "adaptation_gain"), [36, 36, 36], "every seed gains 4 · 9");
  assert.deepEqual(value("ucb1", "adaptation_gain"), [9, 9, 9]);
  assert.equal(value("trpo", "episode_1_reward"), undefined, "trpo recorded none");
  const md = await Deno.readTextFile(join(dir, COMPARISON_FILES.md));
  assert.match(md, /### Adaptation/);
  assert.match(
    md,
    /\| last − first \| 36\.000 \[36\.000, 36\.000\] \| 9\.000 \[9\.000, 9\.000\] \|/,
  );
  assert.match(md, /!\[adaptation synthetic\]\(adaptation-synthetic\.svg\)/);
});

Deno.test("comparison.md has the seeds, the final mean, the difference and the paper", async () => {
  const dir = await writeResults(fresh(), EXPERIMENT, KNOWN);
  await compareResults({ inputs: [dir], out: dir, formats: ["md"], resamples: 500, seed: 0 });
  const md = await Deno.readTextFile(join(dir, COMPARISON_FILES.md));
  const row = md.split("\n").find((line) => line.startsWith("| rl2 |"))!;
  const cells = row.split("|").map((c) => c.trim()).slice(1, -1);
  assert.equal(cells[1], "3", "seeds");
  // Not bold: the seeds spread both agents' intervals (4.5 to 6.5 and 3.5 to 5.5) so they
  // overlap, although the paired difference is exactly 1.
  assert.match(cells[2]!, /^5\.500 \[\d\.\d{3}, \d\.\d{3}\]$/);
  assert.match(row, /\| \+1\.000 \[1\.000, 1\.000\] \|/);
  assert.equal(cells[cells.length - 2], "6.5");
  assert.equal(cells[cells.length - 1], "≥ 6.175: 120 steps, 2.0 s (1/3)", "time to 0.95 × 6.5");
  assert.match(md, /- PASS rl2 better than trpo: difference \+1\.000/);
  assert.match(md, /- PASS rl2 at least 5\.5: mean 5\.500 ≥ 5\.5/);
  assert.match(md, /`not_below` passes when the upper end of the final mean's two-sided/);
});

Deno.test("comparison.md lists not_below with the upper end of the interval at its confidence", async () => {
  const claims = { ...EXPERIMENT, expect: [{ agent: "rl2", not_below: 6, confidence: 0.5 }] };
  const dir = await writeResults(fresh(), claims, KNOWN);
  await compareResults({ inputs: [dir], out: dir, formats: ["md"], resamples: 500, seed: 0 });
  const md = await Deno.readTextFile(join(dir, COMPARISON_FILES.md));
  assert.match(
    md,
    /- (PASS|FAIL) rl2 not below 6: mean 5\.500, upper end of its two-sided 50% interval \d\.\d{3} [≥<] 6 \(3 seeds\)/,
  );
});

Deno.test("readComparisonCsv() reads back the final means and times to level comparison.csv holds", async () => {
  const dir = await writeResults(fresh(), EXPERIMENT, KNOWN);
  // Level 5: rl2's seeds reach it at different iterations (a spread with a std), trpo's not all.
  const { comparisons } = await compareResults({
    inputs: [dir],
    out: dir,
    formats: ["csv"],
    resamples: 300,
    seed: 0,
    level: 5,
  });
  const read = readComparisonCsv(await Deno.readTextFile(join(dir, COMPARISON_FILES.csv)));
  const expected = comparisons[0]!.settings[0]!.rows.map((r) => ({
    experiment: "synthetic",
    setting: "",
    agent: r.agent,
    finalIteration: r.summary.finalIteration,
    final: r.summary.final,
    ...(r.timeToLevel !== undefined && { timeToLevel: r.timeToLevel }),
  }));
  assert.deepEqual(read, expected);
  assert.ok(read[0]!.timeToLevel!.timesteps!.std! > 0, "rl2's spread has a std");
  assert.equal(read[2]!.timeToLevel, undefined, "ucb1 is not trained");
  assert.throws(() => readComparisonCsv("a,b\n1,2\n"), /comparison\.csv has columns a,b/);
});

Deno.test("compareResults() compares every experiment of a results root in one report", async () => {
  const results = fresh();
  await writeResults(results, EXPERIMENT, KNOWN);
  await writeResults(results, { ...EXPERIMENT, name: "other", baseline: "ucb1" }, KNOWN);
  const out = join(results, "report");
  const { files, comparisons } = await compareResults({
    inputs: [results],
    out,
    formats: ["md", "svg"],
    resamples: 200,
    seed: 0,
  });
  assert.deepEqual(comparisons.map((c) => [c.name, c.baseline]), [
    ["other", "ucb1"],
    ["synthetic", "trpo"],
  ]);
  assert.deepEqual(files, [COMPARISON_FILES.md, "curves-other.svg", "curves-synthetic.svg"]);
  const md = await Deno.readTextFile(join(out, COMPARISON_FILES.md));
  assert.match(md, /## Summary[\s\S]*\| other \| {2}\| 5\.500 \[/);
  assert.match(md, /## other[\s\S]*\| Δ vs ucb1 \|[\s\S]*## synthetic[\s\S]*\| Δ vs trpo \|/);
});

Deno.test("compareCommand() --level sets the level of time to result for every agent", async () => {
  const dir = await writeResults(fresh(), EXPERIMENT, KNOWN);
  assert.equal((await capture([dir, "--level", "4.6", "--format", "md,csv"])).code, 0);
  const md = await Deno.readTextFile(join(dir, COMPARISON_FILES.md));
  // rl2 seed s has mean 3.5 + s + i/4 at iteration i ∈ {0, 2, 4} (30 timesteps, 0.5 s each);
  // 4.6 is reached by seed 1 at iteration 2 (60 steps, 1 s) and seed 2 at 0; trpo, 1 lower,
  // only by seed 2 at iteration 2.
  const cell = (agent: string) => md.split("\n").find((l) => l.startsWith(`| ${agent} |`))!;
  assert.match(cell("rl2"), /\| ≥ 4\.600: 30 ± 42 steps, 0\.5 ± 0\.7 s \(2\/3\) \|$/);
  assert.match(cell("trpo"), /\| ≥ 4\.600: 60 steps, 1\.0 s \(1\/3\) \|$/);
  assert.match(cell("ucb1"), /\| – \|$/);
});

Deno.test("compareCommand() --check passes, fails naming the claim, and reports usage errors", async (t) => {
  await t.step("passing expectations exit 0 and are printed", async () => {
    const dir = await writeResults(fresh(), EXPERIMENT, KNOWN);
    const { code, out } = await capture([dir, "--check", "--resamples", "300", "--format", "md"]);
    assert.equal(code, 0);
    assert.match(out, /synthetic: PASS rl2 better than trpo/);
    assert.match(out, /expectations: 2 passed, 0 failed/);
  });
  await t.step(
    "the markdown tables are printed first, and only when written; the statistics' definitions as one line",
    async () => {
      const dir = await writeResults(fresh(), EXPERIMENT, KNOWN);
      const { out } = await capture([dir, "--resamples", "300", "--format", "md"]);
      const md = await Deno.readTextFile(join(dir, COMPARISON_FILES.md));
      // comparison.md opens with the definitions of the statistics; the terminal with the table.
      assert.match(
        md,
        /^# Comparison\n[\s\S]*- \*\*final\*\*: [\s\S]*\n## synthetic\n[\s\S]*\| rl2 /,
      );
      const tables = md.slice(md.indexOf("\n## synthetic\n") + 1).trimEnd();
      assert.ok(out.startsWith(`${tables}\n\n`), "stdout begins with comparison.md's tables");
      const lines = out.split("\n");
      assert.ok(lines.findIndex((l) => l.startsWith("| agent |")) < 5, out);
      assert.doesNotMatch(out, /\*\*final\*\*|# Comparison/);
      const pointer = lines.filter((l) => l.includes("docs/comparing.md"));
      assert.deepEqual(pointer, [
        "Every number is a mean total reward per trial on the evaluation tasks, with 95% bootstrap " +
        "intervals (300 resamples, seed 0); what each column means: docs/comparing.md, or the top " +
        "of comparison.md.",
      ]);
      assert.equal(lines[lines.indexOf(pointer[0]!) - 1], "");
      // The page it points to defines every statistic comparison.md defines.
      const docs = await Deno.readTextFile(join(PROJECT_ROOT, "docs", "comparing.md"));
      const terms = [...md.matchAll(/^- \*\*([^*]+)\*\*:/gm)].map((m) => m[1]!);
      assert.ok(terms.length >= 8, md);
      for (const term of terms) assert.ok(docs.includes(`- **${term}**:`), `docs lack ${term}`);
      const csvOnly = await capture([dir, "--resamples", "300", "--format", "csv"]);
      assert.doesNotMatch(csvOnly.out, /# Comparison/);
    },
  );
  await t.step("a failed expectation exits 1 with its numbers", async () => {
    const strict = { ...EXPERIMENT, expect: [{ agent: "trpo", better_than: "rl2" }] };
    const dir = await writeResults(fresh(), strict, KNOWN);
    const { code, err, out } = await capture([dir, "--check", "--resamples=300", "--format=csv"]);
    assert.equal(code, 1);
    assert.match(
      err,
      /synthetic: FAIL trpo better than rl2: difference -1\.000, one-sided 95% lower bound -1\.000 ≤ 0/,
    );
    assert.match(out, /expectations: 0 passed, 1 failed/);
  });
  await t.step("not_below passes within the interval and fails above it", async () => {
    // rl2's seed means are 4.5, 5.5 and 6.5: its interval reaches above 6 but not to 7.
    const claims = {
      ...EXPERIMENT,
      expect: [{ agent: "rl2", not_below: 6 }, { agent: "rl2", not_below: 7 }],
    };
    const dir = await writeResults(fresh(), claims, KNOWN);
    const { code, err, out } = await capture([dir, "--check", "--resamples=300", "--format=csv"]);
    assert.equal(code, 1);
    assert.match(
      out,
      /synthetic: PASS rl2 not below 6: mean 5\.500, upper end of its two-sided 95% interval 6\.\d{3} ≥ 6 \(3 seeds\)/,
    );
    assert.match(err, /synthetic: FAIL rl2 not below 7: mean 5\.500, .* 6\.\d{3} < 7 \(3 seeds\)/);
    assert.match(out, /expectations: 1 passed, 1 failed/);
  });
  await t.step("without --check, expectations do not decide the exit code", async () => {
    const strict = { ...EXPERIMENT, expect: [{ agent: "trpo", better_than: "rl2" }] };
    const dir = await writeResults(fresh(), strict, KNOWN);
    assert.equal((await capture([dir, "--resamples", "300", "--format", "csv"])).code, 0);
  });
  await t.step("refused results exit 1 with the reason", async () => {
    const { code, err } = await capture([join(root, "missing-folder")]);
    assert.equal(code, 1);
    assert.match(err, /error: .*missing-folder: no such folder/);
  });
  await t.step("a baseline the experiment lacks exits 1", async () => {
    const dir = await writeResults(fresh(), EXPERIMENT, KNOWN);
    const { code, err } = await capture([dir, "--baseline", "ppo", "--format", "csv"]);
    assert.equal(code, 1);
    assert.match(err, /experiment "synthetic" has no agent "ppo" to compare with/);
  });
  await t.step("mistakes in the command line exit 2 with the usage", async () => {
    for (
      const [args, message] of [
        [[], /name at least one results folder/],
        [["a", "b"], /--out is required with several results folders/],
        [["a", "--format", "md,pdf"], /--format takes md, csv, svg/],
        [["a", "--resamples", "0"], /--resamples must be an integer of at least 1/],
        [["a", "--level", "high"], /--level must be a number, got "high"/],
        [["a", "--bogus"], /bogus/],
      ] as const
    ) {
      const { code, err } = await capture([...args]);
      assert.equal(code, 2, args.join(" "));
      assert.match(err, message);
      assert.match(err, /usage: compare RESULTS_DIR…/);
    }
  });
});
