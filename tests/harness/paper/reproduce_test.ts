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
import { quietReporter } from "../_results.ts";
import { tempDir, writeResults } from "../_synthetic.ts";

/** Every column's agent scores 10 × its column index, plus offsets averaging 0.875. */
function score(agent: string, seed: number, task: number): number {
  const column = RL2_TABLE2.columns.findIndex((c) => c.agent === agent);
  return 10 * column + 0.5 * seed + 0.25 * (task % 4);
}

Deno.test("reproduce() renders Table 2 from the quick runs' results, the paper's numbers from the paper-budget files", async () => {
  const out = tempDir();
  const files = await experimentFiles([tableExperimentsDir("table2", true)]);
  assert.equal(files.length, 5);
  for (const file of files) {
    const { config } = await loadExperiment(file);
    // n=25 has no results at all: its row shows the paper's numbers only.
    if (config.paper?.row === "n=25") continue;
    await writeResults(out, config as unknown as Record<string, unknown>, {
      score: (run, _iteration, task) => score(run.agent, run.seed, task),
    });
  }
  const summary = await reproduce({
    table: "table2",
    quick: true,
    out,
    tableOnly: true,
    resume: false,
    reporter: quietReporter(),
    resamples: 200,
    seed: 0,
  });
  assert.equal(summary.runs, undefined);
  assert.equal(summary.dir, tableOutputDir(out, "table2", true));
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
  const budget = await loadExperiment(join(tableExperimentsDir("table2", false), "mdp-n100.jsonc"));
  assert.equal(Number(cell("n=100", "rl2").paper), budget.config.paper!.values.rl2);
  assert.equal(Number(cell("n=100", "beb").mean), 40 + 0.875);
  assert.equal(cell("n=25", "beb").mean, "");
  assert.notEqual(cell("n=25", "beb").paper, "");
  const markdown = await Deno.readTextFile(join(summary.dir!, TABLE_FILES.md));
  assert.equal(markdown, summary.markdown);
  assert.match(markdown, /\| n=25 \| — \(paper \d+\.\d\) \|/);
  assert.ok(
    (await Deno.stat(join(summary.dir!, "comparison.md"))).isFile,
    "the comparison is written beside the table",
  );
});

Deno.test("reproduce() refuses an unknown table and a results folder without the table's runs", async () => {
  const common = {
    quick: true,
    tableOnly: true,
    resume: false,
    reporter: quietReporter(),
    resamples: 10,
    seed: 0,
  };
  await assert.rejects(
    reproduce({ ...common, table: "table3", out: tempDir() }),
    /unknown table "table3"; expected one of table1, table2/,
  );
  await assert.rejects(
    reproduce({ ...common, table: "table1", out: tempDir() }),
    /no results of table1 under .*; run it first/,
  );
});
