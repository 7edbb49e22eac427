import assert from "node:assert/strict";
import { join } from "node:path";
import {
  beyondTable,
  formatDuration,
  measureRow,
  measureRows,
} from "../../../src/harness/paper/beyond.ts";
import { banditExperiment, tempDir, writeResults } from "../_synthetic.ts";

const out = tempDir();

/** A row whose held-out mean gains `perDoubling` per doubling of its 1000 timesteps per iteration. */
function row(name: string, row: string, paper: number, perDoubling: number) {
  const sampling = { iterations: 16, batch_timesteps: 30 };
  return writeResults(
    out,
    banditExperiment({
      name,
      paper: { table: "RL2 Table 1", row, values: { rl2: paper } },
      agents: { rl2: { kind: "rl2", policy: { gru: 4 }, sampling } },
      baseline: undefined,
    }),
    {
      // Iteration 0 is before training; after it, 10 + perDoubling · log2(timesteps / 1000).
      score: (run, it, task) =>
        run.seed === 0 ? 10 + perDoubling * Math.log2(Math.max(it, 1)) + (task % 2) - 0.5 : 0,
      steps: () => 1000,
    },
  );
}

Deno.test("a log-linear curve is projected to the paper's number at its own speed", async () => {
  const dir = await row("rising", "n=100, k=5", 28, 3);
  const r = await measureRow(dir);
  assert.equal(r.timesteps, 16_000);
  assert.equal(r.seconds, 8, "0.5 s per iteration, as progress.csv says");
  assert.ok(Math.abs(r.last - 22) < 1e-9);
  assert.ok(Math.abs(r.perDoubling! - 3) < 1e-9);
  // 10 + 3 log2(t / 1000) = 28 at t = 64,000 timesteps; 0.0005 s per timestep → 32 s per run,
  // 5 seeds on 2 cores 80 s.
  assert.ok(Math.abs(r.needed! / 64_000 - 1) < 1e-9);
  const line = beyondTable([r]).split("\n")[2]!;
  assert.equal(
    line,
    "| Table 1, n=100, k=5 | 0.0160 M, 8.00 s | 22.0 (28) | 3.00 | 0.0640 M | 32.0 s | 1.33 min | 32.0 s |",
  );
});

Deno.test("a flat curve has nothing to extrapolate; rows come in table and row order", async () => {
  await row("flat", "n=500, k=5", 28, 0);
  await row("ahead", "n=100, k=50", 12, 3);
  // 22 after 16,000 timesteps at 3 per doubling: 100 needs 2^30 · 1000 timesteps, far past 100×.
  await row("slow", "n=500, k=50", 100, 3);
  const rows = await measureRows(out);
  assert.deepEqual(rows.map((r) => r.row), [
    "n=100, k=5",
    "n=100, k=50",
    "n=500, k=5",
    "n=500, k=50",
  ]);
  const lines = beyondTable(rows).split("\n");
  assert.match(lines[3]!, /\| reached \| — \| — \| — \|$/);
  assert.match(lines[4]!, /\| 0\.00 \| no rise to extrapolate \| — \| — \| — \|$/);
  assert.match(lines[5]!, /\| 3\.00 \| over 100× the trained timesteps \| — \| — \| — \|$/);
});

Deno.test("a folder without a paper number or without training is refused with its path", async () => {
  const dir = await writeResults(out, banditExperiment({ name: "no-paper" }), { score: () => 1 });
  await assert.rejects(measureRow(dir), /no-paper: the experiment names no paper number for rl2/);
  await assert.rejects(measureRow(join(out, "missing")), /NotFound|No such file/);
});

Deno.test("durations use the largest unit above 1", () => {
  assert.equal(formatDuration(42), "42.0 s");
  assert.equal(formatDuration(5400), "1.50 h");
  assert.equal(formatDuration(3 * 86400), "3.00 days");
  assert.equal(formatDuration(2 * 365.25 * 86400), "2.00 years");
});
