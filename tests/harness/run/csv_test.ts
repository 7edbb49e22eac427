import assert from "node:assert/strict";
import {
  ADAPTATION_COLUMNS,
  adaptationRows,
  EVAL_COLUMNS,
  evalRows,
  formatCsv,
  parseCsv,
  progressColumns,
  progressRow,
  relayRows,
  SHARED_PROGRESS_COLUMNS,
  UNRECORDED_PROGRESS_COLUMNS,
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
  accepted: true,
  explainedVariance: -0.25,
  advantageMean: 1 / 3,
  advantageStd: 7e-9,
  gradientNorm: 4.5,
  diagnostics: { line_search_steps: 1, step_fraction: 0.125 },
};

const TRPO = ["line_search_steps", "step_fraction"];

Deno.test("progressRow() writes every value so that it parses back to the same float64", () => {
  const text = formatCsv(progressColumns(TRPO), [progressRow(log, TRPO, 12.3456)]);
  const { columns, rows } = parseCsv(text);
  assert.deepEqual(columns, [...SHARED_PROGRESS_COLUMNS, ...TRPO, "seconds"]);
  const row = rows[0]!;
  const expected = [
    ...[3, 270, log.returnMean, log.returnStd, log.kl, log.entropy, -1e-300, 2.2e22],
    ...[-0.25, 1 / 3, 7e-9, 4.5, 1, 0.125],
  ];
  expected.forEach((value, i) => assert.equal(Number(row[i]), value, `column ${i}`));
  assert.equal(row[14], "12.346");
});

Deno.test("progressRow() gives the same text for the same values", () => {
  assert.deepEqual(progressRow({ ...log }, TRPO, 1), progressRow(log, TRPO, 1));
  assert.equal(progressRow(log, TRPO, 1)[3], "0.30000000000000004");
});

Deno.test("progressRow() writes the learner's own diagnostics, and refuses a missing one", () => {
  const ppo = { ...log, diagnostics: { clip_fraction: 0.25, approx_kl: 0.001 } };
  const row = progressRow(ppo, ["clip_fraction", "approx_kl"], 2);
  assert.deepEqual(row.slice(-3), ["0.25", "0.001", "2.000"]);
  assert.equal(progressRow(ppo, [], 2).length, SHARED_PROGRESS_COLUMNS.length + 1);
  assert.throws(
    () => progressRow(ppo, TRPO, 2),
    /iteration 3: the update reported no diagnostic "line_search_steps"/,
  );
});

Deno.test("relayRows() moves cells by column name; a column the rows lack stays empty", () => {
  const old = UNRECORDED_PROGRESS_COLUMNS.map((column) => `${column}!`);
  const trpo = progressColumns(TRPO);
  const [relaid] = relayRows([old], UNRECORDED_PROGRESS_COLUMNS, trpo);
  assert.deepEqual(relaid, trpo.map((column) => `${column}!`));
  const [ppo] = relayRows([old], UNRECORDED_PROGRESS_COLUMNS, progressColumns(["clip_fraction"]));
  assert.deepEqual(ppo!.slice(-3), ["gradient_norm!", "", "seconds!"]);
  const rows = [["1", "2"]];
  assert.deepEqual(relayRows(rows, ["a", "b"], ["a", "b"]), rows);
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
