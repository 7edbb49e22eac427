/** docs/learners.md says what the registry does: each learner's own columns of progress.csv. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { findLearner, LEARNERS } from "../../src/learners/registry.ts";
import { PROJECT_ROOT } from "../../src/project.ts";

const MARKER = "<!-- own-diagnostics:";

/** The rows of the table of own columns: each row's learner kinds and columns. */
async function ownColumnsTable(): Promise<{ kinds: string[]; columns: string[] }[]> {
  const text = await Deno.readTextFile(join(PROJECT_ROOT, "docs/learners.md"));
  const start = text.indexOf(MARKER);
  assert.ok(start >= 0, `docs/learners.md has no ${MARKER} table`);
  const lines = text.slice(start).split("\n").slice(1);
  const table = lines.slice(lines.findIndex((l) => l.startsWith("|")));
  const rows = table.slice(0, table.findIndex((l) => !l.startsWith("|"))).slice(2);
  const code = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  return rows.map((row) => {
    const [, kinds = "", columns = ""] = row.split("|");
    return { kinds: code(kinds), columns: code(columns) };
  });
}

Deno.test("learners.md lists each learner's own progress.csv columns as the registry declares them", async () => {
  const rows = await ownColumnsTable();
  assert.ok(rows.length >= 4, `${rows.length} rows`);
  const listed = new Set<string>();
  for (const { kinds, columns } of rows) {
    for (const kind of kinds) {
      const spec = findLearner(kind);
      assert.ok(spec !== undefined, `learners.md names no learner "${kind}"`);
      assert.deepEqual(columns, spec.diagnostics, kind);
      listed.add(kind);
    }
  }
  // A learner without columns of its own may go unlisted; every other is in the table.
  const missing = LEARNERS.filter((l) => l.diagnostics.length > 0 && !listed.has(l.kind));
  assert.deepEqual(missing.map((l) => l.kind), []);
});
