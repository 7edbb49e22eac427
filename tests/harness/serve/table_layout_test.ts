import assert from "node:assert/strict";
import { tableColumns } from "../../../src/harness/serve/table_layout.ts";

/** `comparison.csv` rows of one agent with these statistics (`name` or `name vs B`). */
function rows(...statistics: string[]): string[][] {
  return statistics.map((s) => {
    const [statistic, versus = ""] = s.split(" vs ");
    return ["e", "", "a", statistic!, versus, "1", "", ""];
  });
}

const CSV_ORDER = rows(
  "seeds",
  "final_iteration",
  "final_mean",
  "final_std",
  "paired_seeds vs trpo",
  "difference vs trpo",
  "probability_of_improvement vs trpo",
  "paper",
  "episode_2_reward",
  "episode_10_reward",
  "adaptation_gain",
);

Deno.test("tableColumns() puts mean, paper and the differences to the baseline first, readably named", () => {
  const columns = tableColumns(CSV_ORDER, false);
  assert.deepEqual(columns.filter((c) => c.primary).map((c) => c.key), [
    "seeds",
    "final_mean",
    "paper",
    "difference vs trpo",
    "probability_of_improvement vs trpo",
  ]);
  assert.deepEqual(columns.map((c) => c.label), [
    "seeds",
    "final [95% CI]",
    "paper",
    "Δ vs trpo [95% CI]",
    "P(> trpo) [95% CI]",
    "iteration",
    "std",
    "paired seeds vs trpo",
    "episode 2 [95% CI]",
    "episode 10 [95% CI]",
    "last − first episode [95% CI]",
  ]);
  for (const c of columns) {
    assert.ok(!c.label.includes("_"), c.label);
    assert.ok(c.title.startsWith(`${c.key}: `), c.title);
  }
});

Deno.test("tableColumns() with adaptation stages shows each stage's mean first, not the trial total", () => {
  const columns = tableColumns(CSV_ORDER, true);
  assert.deepEqual(columns.filter((c) => c.primary).map((c) => c.label), [
    "seeds",
    "stage 2 [95% CI]",
    "stage 10 [95% CI]",
  ]);
  assert.match(columns.find((c) => c.key === "episode_2_reward")!.title, /after 1 adaptation step/);
  assert.equal(columns.find((c) => c.key === "final_mean")!.primary, false);
});

Deno.test("tableColumns() keeps a statistic it does not know, under its own name, last", () => {
  const columns = tableColumns(rows("new_statistic", "seeds"), false);
  assert.deepEqual(columns.map((c) => [c.label, c.title, c.primary]), [
    ["seeds", "seeds: seeds compared", true],
    ["new statistic", "new_statistic", false],
  ]);
});
