import assert from "node:assert/strict";
import { durationMs, stopAfterOf, supervise } from "../../../src/harness/run/run_cli.ts";
import { UsageError } from "../../../src/usage_error.ts";

Deno.test("durationMs() reads hours, minutes and seconds in that order", () => {
  assert.equal(durationMs("stop-after", "45s"), 45_000);
  assert.equal(durationMs("stop-after", "90m"), 5_400_000);
  assert.equal(durationMs("stop-after", "2h30m"), 9_000_000);
  assert.equal(durationMs("stop-after", "1h0m5s"), 3_605_000);
});

Deno.test("durationMs() refuses what is not a positive duration, naming the option", () => {
  for (const text of ["", "0s", "0h0m", "90", "30m2h", "1.5h", "-5m", "5 m", "1d"]) {
    assert.throws(
      () => durationMs("stop-after", text),
      (e: Error) =>
        e instanceof UsageError && /--stop-after takes a positive duration/.test(e.message),
      text,
    );
  }
});

Deno.test("stopAfterOf() is undefined without --stop-after", () => {
  assert.equal(stopAfterOf({}), undefined);
  assert.equal(stopAfterOf({ "stop-after": "1m" }), 60_000);
});

Deno.test("supervise() with a time limit stops the runs it supervises, as a signal does", async () => {
  let aborted = false;
  const code = await supervise(
    "run",
    ["x.jsonc"],
    false,
    (_reporter, signal) =>
      new Promise((resolve) => {
        // Runs that would go on forever: they end only when stopped.
        signal.addEventListener("abort", () => {
          aborted = true;
          resolve({ results: [], notStarted: 3, interrupted: true });
        });
      }),
    50,
  );
  assert.equal(aborted, true);
  assert.equal(code, 130);
});
