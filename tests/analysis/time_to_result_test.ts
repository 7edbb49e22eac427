import assert from "node:assert/strict";
import { firstReached, timeToResult } from "../../src/analysis/time_to_result.ts";

const at = (timesteps: number, seconds: number, returns: number[]) => ({
  timesteps,
  seconds,
  returns,
});

Deno.test("firstReached() takes the first evaluation whose mean reaches the level", () => {
  const evals = [at(0, 0, [0, 10]), at(10, 2, [6, 6]), at(20, 4, [3, 3]), at(30, 6, [9, 9])];
  assert.deepEqual(firstReached(evals, 5), { timesteps: 0, seconds: 0 });
  assert.deepEqual(firstReached(evals, 6), { timesteps: 10, seconds: 2 });
  assert.deepEqual(firstReached(evals, 8.5), { timesteps: 30, seconds: 6 });
  assert.equal(firstReached(evals, 9.5), undefined);
});

Deno.test("timeToResult() summarises the seeds that reached the level and counts the others", () => {
  const runs = [
    [at(0, 0, [1]), at(100, 10, [5])],
    [at(0, 0, [1]), at(100, 12, [3]), at(200, 20, [6])],
    [at(0, 0, [1]), at(100, 9, [2])],
    [at(0, 0, [1]), at(100, 11, [4]), at(250, 30, [4.5])],
  ];
  const result = timeToResult(runs, 4.5);
  assert.equal(result.level, 4.5);
  assert.equal(result.seeds, 4);
  assert.equal(result.reached, 3);
  // Three seeds reach 4.5, after 100, 200 and 250 timesteps (10, 20 and 30 seconds).
  const t = [100, 200, 250];
  const m = 550 / 3;
  const sd = Math.sqrt(t.reduce((s, x) => s + (x - m) ** 2, 0) / 2);
  assert.ok(Math.abs(result.timesteps!.mean - m) < 1e-9);
  assert.ok(Math.abs(result.timesteps!.std! - sd) < 1e-9);
  assert.equal(result.timesteps!.min, 100);
  assert.equal(result.timesteps!.max, 250);
  assert.deepEqual(
    { mean: result.seconds!.mean, min: result.seconds!.min, max: result.seconds!.max },
    { mean: 20, min: 10, max: 30 },
  );
  assert.ok(Math.abs(result.seconds!.std! - 10) < 1e-9);
  const none = timeToResult(runs, 100);
  assert.equal(none.reached, 0);
  assert.equal(none.timesteps, undefined);
  const one = timeToResult(runs.slice(0, 1), 5);
  assert.equal(one.timesteps!.std, undefined, "no spread from one seed");
});
