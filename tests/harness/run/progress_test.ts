import assert from "node:assert/strict";
import {
  formatEvent,
  parseEvent,
  plainReporter,
  type WorkerEvent,
} from "../../../src/harness/run/progress.ts";

Deno.test("parseEvent() reads what formatEvent() writes and ignores other lines", () => {
  const events: WorkerEvent[] = [
    { event: "start", iteration: 0, total: 5 },
    { event: "iteration", iteration: 2, total: 5, timesteps: 180, return: 1.25 },
    { event: "evaluation", iteration: 2, mean: 0.5 },
    { event: "tuning", point: 1, total: 3, mean: 6.25 },
    { event: "done" },
  ];
  for (const e of events) assert.deepEqual(parseEvent(formatEvent(e)), e);
  for (const line of ["", "hello", "{not json", '{"no":"event"}', "[1]"]) {
    assert.equal(parseEvent(line), undefined, line);
  }
});

Deno.test("plainReporter() prints every N-th iteration, the last one, and each finished run", () => {
  const lines: string[] = [];
  const reporter = plainReporter((line) => lines.push(line), 3);
  for (let i = 1; i <= 7; i++) {
    reporter.event("e/r", {
      event: "iteration",
      iteration: i,
      total: 7,
      timesteps: 10 * i,
      return: i / 2,
    });
  }
  reporter.finish("e/r", "done", "1.0 s");
  reporter.finish("e/s", "skipped", "already done");
  assert.deepEqual(lines, [
    "e/r: iteration 3/7, 30 timesteps, return 1.500",
    "e/r: iteration 6/7, 60 timesteps, return 3.000",
    "e/r: iteration 7/7, 70 timesteps, return 3.500",
    "e/r: done (1.0 s)",
    "e/s: skipped (already done)",
  ]);
});

Deno.test("plainReporter() prints every tuning point of a classic baseline", () => {
  const lines: string[] = [];
  const reporter = plainReporter((line) => lines.push(line), 10);
  reporter.event("e/ucb1/seed-0", { event: "start", iteration: 0, total: 0 });
  for (const [point, mean] of [[1, 6.5], [2, 6.75]] as const) {
    reporter.event("e/ucb1/seed-0", { event: "tuning", point, total: 2, mean });
  }
  assert.deepEqual(lines, [
    "e/ucb1/seed-0: tuning point 1/2, mean return 6.500 on the tuning tasks",
    "e/ucb1/seed-0: tuning point 2/2, mean return 6.750 on the tuning tasks",
  ]);
});
