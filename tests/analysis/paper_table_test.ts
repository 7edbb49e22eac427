import assert from "node:assert/strict";
import { compareExperiment } from "../../src/analysis/comparison.ts";
import type { RunResults } from "../../src/analysis/comparison_types.ts";
import {
  formatPaperCell,
  type PaperLayout,
  paperRows,
  renderPaperTable,
  RL2_TABLE1,
  RL2_TABLE2,
} from "../../src/analysis/paper_table.ts";
import { banditExperiment, resolve } from "../harness/_synthetic.ts";

const SMALL: PaperLayout = {
  table: "Toy Table",
  rows: ["n=1", "n=2"],
  columns: [
    { agent: "random", title: "Random" },
    { agent: "rl2", title: "RL²" },
    { agent: "trpo", title: "TRPO (memoryless)", oursOnly: true },
  ],
};

Deno.test("formatPaperCell() shows two significant digits of the half-width", async (t) => {
  await t.step("0.034 → three decimals", () => {
    const cell = { mean: 6.6712, ciLow: 6.6372, ciHigh: 6.7052, seeds: 5 };
    assert.equal(formatPaperCell(cell, 6.7), "6.671 ± 0.034 (paper 6.7)");
  });
  await t.step("0.25 → two decimals", () => {
    const cell = { mean: 49.876, ciLow: 49.626, ciHigh: 50.126, seeds: 5 };
    assert.equal(formatPaperCell(cell, 49.9), "49.88 ± 0.25 (paper 49.9)");
  });
  await t.step("1.3 → one decimal", () => {
    const cell = { mean: 405.84, ciLow: 404.5, ciHigh: 407.1, seeds: 5 };
    assert.equal(formatPaperCell(cell, 405.8), "405.8 ± 1.3 (paper 405.8)");
  });
  await t.step("12 → still one decimal", () => {
    const cell = { mean: 1913.66, ciLow: 1901.5, ciHigh: 1925.5, seeds: 3 };
    assert.equal(formatPaperCell(cell, 1913.7), "1913.7 ± 12.0 (paper 1913.7)");
  });
  await t.step("0.0004 → at most three decimals", () => {
    const cell = { mean: 5, ciLow: 4.9996, ciHigh: 5.0004, seeds: 2 };
    assert.equal(formatPaperCell(cell, 5), "5.000 ± 0.000 (paper 5.0)");
  });
  await t.step("a zero-width interval → one decimal", () => {
    const cell = { mean: 6.64, ciLow: 6.64, ciHigh: 6.64, seeds: 1 };
    assert.equal(formatPaperCell(cell, undefined), "6.6 ± 0.0");
  });
});

Deno.test("formatPaperCell() marks an agent that was not run", () => {
  assert.equal(formatPaperCell(undefined, 83.5), "— (paper 83.5)");
  assert.equal(formatPaperCell(undefined, undefined), "—");
});

Deno.test("renderPaperTable() lays out the rows we ran and every column in the paper's order", () => {
  const { markdown } = renderPaperTable(SMALL, {
    "n=2": {
      results: {
        random: { mean: 1.01, ciLow: 0.96, ciHigh: 1.06, seeds: 5 },
        trpo: { mean: 1.2, ciLow: 1.1, ciHigh: 1.3, seeds: 5 },
      },
      paper: { random: 1, rl2: 1.5 },
    },
  });
  assert.equal(
    markdown,
    [
      "| Setup | Random | RL² | TRPO (memoryless) |",
      "| --- | ---: | ---: | ---: |",
      "| n=2 | 1.010 ± 0.050 (paper 1.0) | — (paper 1.5) | 1.20 ± 0.10 |",
      "",
      "Each cell: our mean total reward per trial ± the half-width of its 95% confidence " +
      "interval over 5 seeds, then the paper's number in parentheses; — where we did not run " +
      "the agent. The paper has no TRPO (memoryless) column. Rows we did not run are left out.",
      "",
    ].join("\n"),
  );
});

Deno.test("renderPaperTable() states the confidence and a range of seed counts", () => {
  const { markdown } = renderPaperTable(SMALL, {
    "n=1": {
      results: {
        random: { mean: 1, ciLow: 0.5, ciHigh: 1.5, seeds: 3 },
        rl2: { mean: 2, ciLow: 1.5, ciHigh: 2.5, seeds: 5 },
      },
      paper: {},
    },
    "n=2": { results: { trpo: { mean: 1, ciLow: 0.5, ciHigh: 1.5, seeds: 4 } }, paper: {} },
  }, 0.9);
  assert.match(markdown, /its 90% confidence interval over 3–5 seeds, then/);
  assert.match(markdown, /\| n=1 \|.*\n\| n=2 \|/);
  assert.doesNotMatch(markdown, /left out/, "every row was run");
});

Deno.test("renderPaperTable() writes one CSV line per setting and column", () => {
  const { csv } = renderPaperTable(SMALL, {
    "n=1": {
      results: { rl2: { mean: 2.25, ciLow: 2, ciHigh: 2.5, seeds: 4 } },
      paper: { rl2: 2.5, random: 1 },
    },
  });
  assert.equal(
    csv,
    [
      "table,setting,agent,column,mean,ci_low,ci_high,half_width,seeds,paper",
      "Toy Table,n=1,random,Random,,,,,,1",
      "Toy Table,n=1,rl2,RL²,2.25,2,2.5,0.25,4,2.5",
      "Toy Table,n=1,trpo,TRPO (memoryless),,,,,,",
      "Toy Table,n=2,random,Random,,,,,,",
      "Toy Table,n=2,rl2,RL²,,,,,,",
      "Toy Table,n=2,trpo,TRPO (memoryless),,,,,,",
      "",
    ].join("\n"),
  );
});

Deno.test("renderPaperTable() quotes settings that contain a comma in the CSV", () => {
  const { csv } = renderPaperTable(RL2_TABLE1, {});
  assert.equal(csv.split("\n")[1], 'RL2 Table 1,"n=10, k=5",random,Random,,,,,,');
});

Deno.test("renderPaperTable() refuses rows and agents the layout does not have", () => {
  assert.throws(
    () => renderPaperTable(RL2_TABLE2, { "n=20": { results: {}, paper: {} } }),
    /"n=20" is not a row of RL2 Table 2/,
  );
  assert.throws(
    () => renderPaperTable(RL2_TABLE2, { "n=10": { results: {}, paper: { gittins: 1 } } }),
    /agent "gittins" of row "n=10" is not a column of RL2 Table 2/,
  );
});

Deno.test("RL2_TABLE1 and RL2_TABLE2 have the paper's rows and column titles", () => {
  const header = (layout: PaperLayout) => renderPaperTable(layout, {}).markdown.split("\n")[0];
  assert.equal(
    header(RL2_TABLE1),
    "| Setup | Random | Gittins | TS | OTS | UCB1 | ε-Greedy | Greedy | RL² | TRPO (memoryless) | Bayes-optimal |",
  );
  assert.match(
    renderPaperTable(RL2_TABLE1, {}).markdown,
    /The paper has no TRPO \(memoryless\) or Bayes-optimal columns\. Rows we did not run/,
  );
  assert.equal(
    header(RL2_TABLE2),
    "| Setup | Random | PSRL | OPSRL | UCRL2 | BEB | ε-Greedy | Greedy | RL² | TRPO (memoryless) |",
  );
  assert.deepEqual(RL2_TABLE1.rows, [
    "n=10, k=5",
    "n=10, k=10",
    "n=10, k=50",
    "n=100, k=5",
    "n=100, k=10",
    "n=100, k=50",
    "n=500, k=5",
    "n=500, k=10",
    "n=500, k=50",
  ]);
  assert.deepEqual(RL2_TABLE2.rows, ["n=10", "n=25", "n=50", "n=75", "n=100"]);
});

/** A synthetic comparison of the toy table's row `row`: rl2 scores `shift` above random. */
function toyComparison(row: string, shift: number, overrides: Record<string, unknown> = {}) {
  const tasks = [1, 2, 3, 4];
  const runs = (add: number): RunResults[] =>
    [0, 1].map((seed) => ({
      seed,
      training: [],
      evaluations: [{
        iteration: 4,
        timesteps: 40,
        seconds: 4,
        returns: Float64Array.from(tasks, (t) => t + add + seed),
      }],
    }));
  const config = resolve(banditExperiment({
    name: `toy-${row.replace("=", "")}`,
    agents: {
      rl2: { kind: "rl2", sampling: { iterations: 4, batch_timesteps: 30 } },
      random: { kind: "random" },
    },
    baseline: "random",
    paper: { table: "Toy Table", row, values: { rl2: 9.5, random: 2.5 } },
    ...overrides,
  }));
  const variant = (agent: string, add: number, classic: boolean) => ({
    agent,
    label: "",
    point: {},
    classic,
    runs: runs(add),
  });
  return compareExperiment(
    {
      name: config.name,
      config,
      variants: [variant("random", 0, true), variant("rl2", shift, false)],
      missing: [],
    },
    { seed: 0, resamples: 500 },
  );
}

Deno.test("paperRows() fills each experiment's paper row with its final means, intervals and the paper's values", () => {
  const rows = paperRows(SMALL, [toyComparison("n=2", 3), toyComparison("n=1", 1)]);
  assert.deepEqual(Object.keys(rows).sort(), ["n=1", "n=2"]);
  const n2 = rows["n=2"]!;
  // Seeds 0 and 1 score tasks 1..4 plus the seed (plus 3 for rl2): grand means 3.0 and 6.0.
  assert.equal(n2.results.random!.mean, 3);
  assert.equal(n2.results.rl2!.mean, 6);
  assert.equal(n2.results.rl2!.seeds, 2);
  assert.ok(n2.results.rl2!.ciLow < 6 && n2.results.rl2!.ciHigh > 6);
  assert.deepEqual(n2.paper, { rl2: 9.5, random: 2.5 });
  const { markdown } = renderPaperTable(SMALL, rows);
  assert.match(
    markdown,
    /\| n=2 \| 3\.\d+ ± \d\.\d+ \(paper 2\.5\) \| 6\.\d+ ± \d\.\d+ \(paper 9\.5\) \| — \|/,
  );
});

Deno.test("paperRows() refuses experiments that are not one row of the table", async (t) => {
  await t.step("another table", () => {
    const other = toyComparison("n=1", 1, {
      paper: { table: "Other", row: "n=1", values: {} },
    });
    assert.throws(
      () => paperRows(SMALL, [other]),
      /toy-n1 is not a row of Toy Table \(its paper.table is "Other"\)/,
    );
  });
  await t.step("no paper block", () => {
    const bare = toyComparison("n=1", 1, { paper: undefined });
    assert.throws(() => paperRows(SMALL, [bare]), /paper.table is missing/);
  });
  await t.step("a row twice", () => {
    const a = toyComparison("n=1", 1);
    const b = toyComparison("n=1", 2, { name: "toy-again" });
    assert.throws(() => paperRows(SMALL, [a, b]), /toy-n1 and toy-again are both row "n=1"/);
  });
  await t.step("several settings (ablations)", () => {
    const c = toyComparison("n=1", 1);
    const ablated = { ...c, settings: [c.settings[0]!, { ...c.settings[0]!, label: "gru=8" }] };
    assert.throws(() => paperRows(SMALL, [ablated]), /has 2 settings; a paper row is exactly one/);
  });
});
