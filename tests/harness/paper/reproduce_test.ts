import assert from "node:assert/strict";
import { join } from "node:path";
import { RL2_TABLE2 } from "../../../src/analysis/paper_table.ts";
import { loadExperiment } from "../../../src/experiment/load.ts";
import { experimentFiles } from "../../../src/experiment/files.ts";
import {
  reproduce,
  TABLE_FILES,
  tableExperimentsDir,
  tableOutputDir,
} from "../../../src/harness/paper/reproduce.ts";
import { parseCsv } from "../../../src/harness/run/csv.ts";
import { PROJECT_ROOT } from "../../../src/project.ts";
import { quietReporter } from "../_results.ts";
import { tempDir, writeResults } from "../_synthetic.ts";

/** Every column's agent scores 10 × its column index, plus offsets averaging 0.875. */
function score(agent: string, seed: number, task: number): number {
  const column = RL2_TABLE2.columns.findIndex((c) => c.agent === agent);
  return 10 * column + 0.5 * seed + 0.25 * (task % 4);
}

/** Options rendering a quick table from results already under `out`, with `resamples` draws. */
function tableOnly(out: string, resamples: number) {
  return {
    budget: "quick" as const,
    out,
    tableOnly: true,
    resume: false,
    reporter: quietReporter(),
    resamples,
    seed: 0,
  };
}

Deno.test("reproduce() renders Table 2 from the quick runs' results, the paper's numbers from the paper-budget files", async () => {
  const out = tempDir();
  const files = await experimentFiles([tableExperimentsDir("table2", "quick")]);
  assert.equal(files.length, 5);
  for (const file of files) {
    const { config } = await loadExperiment(file);
    // n=25 has no results at all: the CSV keeps its paper numbers, the markdown leaves it out.
    if (config.paper?.row === "n=25") continue;
    await writeResults(out, config as unknown as Record<string, unknown>, {
      score: (run, _iteration, task) => score(run.agent, run.seed, task),
    });
  }
  const summary = await reproduce({ ...tableOnly(out, 200), table: "table2" });
  assert.equal(summary.runs, undefined);
  assert.equal(summary.dir, tableOutputDir(out, "table2", "quick"));
  const csv = parseCsv(await Deno.readTextFile(join(summary.dir!, TABLE_FILES.csv)));
  const cell = (setting: string, agent: string) => {
    const row = csv.rows.find((r) => r[1] === setting && r[2] === agent)!;
    return Object.fromEntries(csv.columns.map((c, i) => [c, row[i]!]));
  };
  // Our means: 10 × column + 0.5 × mean seed (1) + 0.25 × mean of task % 4 (1.5).
  assert.equal(Number(cell("n=10", "psrl").mean), 10 + 0.875);
  assert.equal(Number(cell("n=10", "rl2").mean), 70 + 0.875);
  assert.equal(cell("n=10", "rl2").seeds, "3");
  assert.equal(cell("n=10", "rl2").paper, "156.2");
  // The quick n=100 file has no RL² run; the paper's RL² number still comes from the budget file.
  assert.equal(cell("n=100", "rl2").mean, "");
  const budget = await loadExperiment(
    join(tableExperimentsDir("table2", "paper"), "mdp-n100.jsonc"),
  );
  assert.equal(Number(cell("n=100", "rl2").paper), budget.config.paper!.values.rl2);
  assert.equal(Number(cell("n=100", "beb").mean), 40 + 0.875);
  assert.equal(cell("n=25", "beb").mean, "");
  assert.notEqual(cell("n=25", "beb").paper, "");
  const markdown = await Deno.readTextFile(join(summary.dir!, TABLE_FILES.md));
  assert.equal(markdown, summary.markdown);
  assert.doesNotMatch(markdown, /\| n=25 \|/);
  assert.match(markdown, /\| n=100 \| \d+\.\d+ ± [\d.]+ \(paper \d+\.\d\) \|/);
  assert.match(markdown, /Rows we did not run are left out\.\n/);
  assert.ok(
    (await Deno.stat(join(summary.dir!, "comparison.md"))).isFile,
    "the comparison is written beside the table",
  );
});

Deno.test("reproduce() refuses an unknown table and a results folder without the table's runs", async () => {
  await assert.rejects(
    reproduce({ ...tableOnly(tempDir(), 10), table: "table3" }),
    /unknown table "table3"; expected one of table1, table2/,
  );
  await assert.rejects(
    reproduce({ ...tableOnly(tempDir(), 10), table: "table1" }),
    /no results of table1 under .*; run it first/,
  );
});

Deno.test("tableExperimentsDir() and tableOutputDir() name each budget's folders", () => {
  const paper = join(PROJECT_ROOT, "experiments", "paper");
  assert.equal(tableExperimentsDir("table1", "paper"), join(paper, "table1"));
  assert.equal(tableExperimentsDir("table1", "quick"), join(paper, "quick", "table1"));
  assert.equal(tableExperimentsDir("table2", "fast"), join(paper, "fast", "table2"));
  assert.equal(tableOutputDir("out", "table1", "paper"), join("out", "reproduce-table1"));
  assert.equal(tableOutputDir("out", "table1", "quick"), join("out", "reproduce-table1-quick"));
  assert.equal(tableOutputDir("out", "table2", "fast"), join("out", "reproduce-table2-fast"));
});

Deno.test("reproduce() with files runs and compares only those, the other rows left to the CSV's paper numbers", async () => {
  const out = tempDir();
  const dir = tableExperimentsDir("table2", "quick");
  // Results of every quick file, so the restriction is what leaves the other rows empty.
  for (const file of await experimentFiles([dir])) {
    const { config } = await loadExperiment(file);
    await writeResults(out, config as unknown as Record<string, unknown>, {
      score: (run, _iteration, task) => score(run.agent, run.seed, task),
    });
  }
  const common = { ...tableOnly(out, 200), table: "table2" };
  const summary = await reproduce({ ...common, files: [join(dir, "mdp-n10.jsonc")] });
  const csv = parseCsv(await Deno.readTextFile(join(summary.dir!, TABLE_FILES.csv)));
  const mean = (setting: string, agent: string) =>
    csv.rows.find((r) => r[1] === setting && r[2] === agent)![csv.columns.indexOf("mean")];
  assert.equal(Number(mean("n=10", "psrl")), 10 + 0.875);
  for (const row of ["n=25", "n=50", "n=75", "n=100"]) {
    assert.equal(mean(row, "psrl"), "", row);
    assert.notEqual(csv.rows.find((r) => r[1] === row && r[2] === "psrl")!.at(-1), "", row);
  }
  assert.match(summary.markdown!, /\| n=10 \| /);
  assert.doesNotMatch(summary.markdown!, /\| n=50 \|/);
  const comparison = parseCsv(await Deno.readTextFile(join(summary.dir!, "comparison.csv")));
  assert.deepEqual([...new Set(comparison.rows.map((r) => r[0]))], ["paper-quick-table2-n10"]);
  const paperFile = join(tableExperimentsDir("table2", "paper"), "mdp-n10.jsonc");
  await assert.rejects(
    reproduce({ ...common, files: [paperFile] }),
    /mdp-n10\.jsonc is not inside .*quick.*table2, the folder of table2 at the quick budget/,
  );
  await assert.rejects(
    reproduce({ ...common, files: [join(dir, "mdp-n11.jsonc")] }),
    /mdp-n11\.jsonc is not a file of .*table2, the folder of table2 at the quick budget/,
  );
});

Deno.test("reproduce() --table-only refuses an incomplete run unless allowIncomplete, then names it", async () => {
  const out = tempDir();
  const file = join(tableExperimentsDir("table2", "quick"), "mdp-n10.jsonc");
  const { config } = await loadExperiment(file);
  await writeResults(out, config as unknown as Record<string, unknown>, {
    score: (run, _iteration, task) => score(run.agent, run.seed, task),
    status: (run) => run.id === "psrl/seed-1" ? "interrupted" : "done",
  });
  const common = { ...tableOnly(out, 20), table: "table2", files: [file] };
  await assert.rejects(
    reproduce(common),
    /run paper-quick-table2-n10\/psrl\/seed-1 is incomplete: .*manifest\.json: status interrupted, not done[^]*--allow-incomplete/,
  );
  const summary = await reproduce({ ...common, allowIncomplete: true });
  assert.deepEqual(summary.missing, ["paper-quick-table2-n10: psrl/seed-1 (incomplete)"]);
});
