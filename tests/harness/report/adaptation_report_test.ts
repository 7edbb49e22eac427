import assert from "node:assert/strict";
import { tableEpisodes } from "../../../src/harness/report/adaptation_report.ts";

Deno.test("tableEpisodes(): every episode of short trials, a spread of twelve from 1 to n of long ones", () => {
  assert.deepEqual(tableEpisodes(10), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  for (const n of [13, 100, 500]) {
    const picked = tableEpisodes(n);
    assert.equal(picked.length, 12, `n = ${n}: ${picked}`);
    assert.deepEqual(picked.slice(0, 3), [1, 2, 3]);
    assert.equal(picked.at(-1), n);
    assert.ok(picked.every((e, i) => i === 0 || e > picked[i - 1]!), `increasing: ${picked}`);
  }
});
