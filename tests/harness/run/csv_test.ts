import assert from "node:assert/strict";
import {
  ADAPTATION_COLUMNS,
  adaptationRows,
  EVAL_COLUMNS,
  evalRows,
  formatCsv,
  parseCsv,
  PROGRESS_COLUMNS,
  progressRow,
} from "../../../src/harness/run/csv.ts";

const log = {
  iteration: 3,
  timesteps: 270,
  returnMean: 1.6000000000000005,
  returnStd: 0.1 + 0.2,
  kl: 0.004942572805637872,
  entropy: Math.fround(1.0575149655160596),
  surrogateImprovement: -1e-300,
  valueLoss: 2.2e22,
  lineSearchSteps: 1,
  accepted: true,
  explainedVariance: -0.25,
  advantageMean: 1 / 3,
  advantageStd: 7e-9,
  stepFraction: 0.125,
  gradientNorm: 4.5,
};

Deno.test("progressRow() writes every value so that it parses back to the same float64", () => {
  const text = formatCsv(PROGRESS_COLUMNS, [progressRow(log, 12.3456)]);
  const { columns, rows } = parseCsv(text);
  assert.deepEqual(columns, [...PROGRESS_COLUMNS]);
  const row = rows[0]!;
  const expected = [
    ...[3, 270, log.returnMean, log.returnStd, log.kl, log.entropy, -1e-300, 2.2e22, 1],
    ...[-0.25, 1 / 3, 7e-9, 0.125, 4.5],
  ];
  expected.forEach((value, i) => assert.equal(Number(row[i]), value, `column ${i}`));
  assert.equal(row[14], "12.346");
});

Deno.test("progressRow() gives the same text for the same values", () => {
  assert.deepEqual(progressRow({ ...log }, 1), progressRow(log, 1));
  assert.equal(progressRow(log, 1)[3], "0.30000000000000004");
});

Deno.test("evalRows() gives one row per task, numbered from 0, with the iteration", () => {
  const returns = Float64Array.of(2, 0.5, 7 / 3);
  const rows = evalRows(4, returns);
  assert.deepEqual(rows, [["4", "0", "2"], ["4", "1", "0.5"], ["4", "2", String(7 / 3)]]);
  const back = parseCsv(formatCsv(EVAL_COLUMNS, rows));
  assert.deepEqual(back.rows.map((r) => Number(r[2])), [...returns]);
});

Deno.test("adaptationRows() gives each episode's mean over tasks, episodes numbered from 1", () => {
  // Two tasks of three episodes: [1, 2, 3] and [3, 4, 8].
  const rows = adaptationRows(7, Float64Array.of(1, 2, 3, 3, 4, 8), 3);
  assert.deepEqual(rows, [["7", "1", "2"], ["7", "2", "3"], ["7", "3", "5.5"]]);
  assert.deepEqual(parseCsv(formatCsv(ADAPTATION_COLUMNS, rows)).columns, [
    "iteration",
    "episode",
    "return",
  ]);
});

Deno.test("formatCsv() quotes what needs quoting and parseCsv() undoes it", () => {
  const rows = [["a,b", 'say "hi"', "line\nbreak"]];
  const text = formatCsv(["x", "y", "z"], rows);
  assert.equal(text.split("\n")[0], "x,y,z");
  assert.deepEqual(parseCsv(text).rows, rows);
});
