import assert from "node:assert/strict";
import { join } from "node:path";
import {
  FAST_TIME_SECTION,
  fastSection,
  fastSections,
  notRunYet,
  readSection,
  REFERENCE_FAST,
  REFERENCE_TABLES,
  referenceSections,
  sectionFile,
  sectionMarkers,
  writeSection,
} from "../../../src/harness/paper/reference.ts";
import {
  TABLE_FILES,
  tableExperimentsDir,
  tableOutputDir,
} from "../../../src/harness/paper/reproduce.ts";
import { compareResults } from "../../../src/harness/report/compare.ts";
import { formatInterval, formatTimeToLevel } from "../../../src/harness/report/report.ts";
import { PROJECT_ROOT } from "../../../src/project.ts";
import { banditExperiment, tempDir, writeResults } from "../_synthetic.ts";

Deno.test("writeSection() replaces only the text between a section's markers", () => {
  const { begin, end } = sectionMarkers("t");
  const readme = `# Title\n\n${begin}\nold\n${end}\n\ntail\n`;
  const updated = writeSection(readme, "t", "| a |\n| b |\n");
  assert.equal(updated, `# Title\n\n${begin}\n| a |\n| b |\n${end}\n\ntail\n`);
  assert.equal(readSection(updated, "t"), "| a |\n| b |");
  assert.equal(writeSection(updated, "t", "| a |\n| b |"), updated, "idempotent");
  assert.equal(readSection(readme, "other"), undefined);
  assert.throws(() => writeSection(readme, "other", "x"), /no section markers/);
});

Deno.test("the README and docs show exactly the committed reference tables (deno task reference regenerates them)", async () => {
  const sections = await referenceSections();
  assert.deepEqual([...sections.keys()], [
    "table1",
    "table2",
    "curves",
    "fast-table1",
    "fast-table2",
    "fast-time-to-result",
    "beyond",
    "maml",
    "reruns",
  ]);
  for (const [name, content] of sections) {
    const file = sectionFile(name);
    assert.equal(
      readSection(await Deno.readTextFile(join(PROJECT_ROOT, file)), name),
      content.trimEnd(),
      `${file} section "${name}" differs from results/reference; run deno task reference`,
    );
  }
  const plot = /\]\((.+\.svg)\)/.exec(sections.get("curves")!)![1]!;
  assert.match(await Deno.readTextFile(join(PROJECT_ROOT, plot)), /^<svg/);
});

Deno.test("the README's fast sections say the rows have not been run exactly when their results are absent", async () => {
  const readme = await Deno.readTextFile(join(PROJECT_ROOT, "README.md"));
  for (const table of REFERENCE_TABLES) {
    const ran = await Deno.stat(
      join(tableOutputDir(join(PROJECT_ROOT, "results/reference"), table, "fast"), TABLE_FILES.md),
    ).then(() => true, () => false);
    const section = readSection(readme, fastSection(table));
    assert.equal(section === notRunYet(table), !ran, `README section ${fastSection(table)}`);
    assert.equal(readSection(readme, FAST_TIME_SECTION)!.includes(notRunYet(table)), !ran);
  }
});

Deno.test("REFERENCE_FAST names the n = 10 rows' files of each table", () => {
  assert.deepEqual(REFERENCE_FAST, {
    table1: ["bandits-n10-k5.jsonc", "bandits-n10-k10.jsonc", "bandits-n10-k50.jsonc"],
    table2: ["mdp-n10.jsonc"],
  });
  // The same names as the paper-budget files of those rows.
  for (const table of REFERENCE_TABLES) {
    for (const file of REFERENCE_FAST[table]) {
      assert.ok(Deno.statSync(join(tableExperimentsDir(table, "paper"), file)).isFile, file);
    }
  }
});

Deno.test("fastSections() shows each fast table, or that it has not been run, and the trained agents' time to result", async () => {
  const out = tempDir();
  const empty = await fastSections(out);
  assert.deepEqual([...empty], [
    ["fast-table1", notRunYet("table1")],
    ["fast-table2", notRunYet("table2")],
    ["fast-time-to-result", `${notRunYet("table1")}\n\n${notRunYet("table2")}`],
  ]);
  assert.match(notRunYet("table2"), /results\/reference\/reproduce-table2-fast\//);

  // Table 1's fast results: one synthetic experiment whose rl2 seeds reach the level (its paper
  // number 6 gives 5.7) at iterations 4, 2 and 2, and a classic baseline.
  const experiment = banditExperiment({
    name: "paper-fast-table1-n10-k5",
    // Enough pulls per trial for the synthetic returns (up to 13), which compare checks.
    task: { kind: "bandit", arms: 3, episodes: 15 },
    paper: { table: "RL2 Table 1", row: "n=10, k=5", values: { rl2: 6, ucb1: 6 } },
  });
  const results = await writeResults(join(out, "runs"), experiment, {
    score: (run, iteration, task) =>
      run.agent === "ucb1" ? 5 : 2 + iteration * (run.seed + 1) + (task % 2),
  });
  const dir = tableOutputDir(out, "table1", "fast");
  const { comparisons } = await compareResults({
    inputs: [results],
    out: dir,
    formats: ["csv"],
    resamples: 300,
    seed: 0,
  });
  await Deno.writeTextFile(join(dir, TABLE_FILES.md), "| the rendered table |\n");
  const sections = await fastSections(out);
  assert.equal(sections.get("fast-table1"), "| the rendered table |\n");
  assert.equal(sections.get("fast-table2"), notRunYet("table2"));
  const rows = comparisons[0]!.settings[0]!.rows;
  const line = (agent: string) => {
    const row = rows.find((r) => r.agent === agent)!;
    return `| paper-fast-table1-n10-k5 | ${agent} | ${formatInterval(row.summary.final!)} | ` +
      `${formatTimeToLevel(row.timeToLevel)} |`;
  };
  const time = sections.get(FAST_TIME_SECTION)!;
  const lines = time.split("\n");
  assert.deepEqual(lines.slice(0, 4), [
    "| experiment | agent | final [95% CI] | time to level |",
    "| --- | --- | ---: | ---: |",
    line("rl2"),
    line("trpo"),
  ]);
  assert.match(line("rl2"), /≥ 5\.700: \d+ ± \d+ steps, \d+\.\d ± \d+\.\d s \(3\/3\)/);
  assert.match(line("trpo"), /\| – \|$/, "no paper number for trpo: no level");
  assert.doesNotMatch(time, /\| ucb1 \|/, "classic baselines are not trained");
  assert.ok(time.endsWith(`\n\n${notRunYet("table2")}`));
});
