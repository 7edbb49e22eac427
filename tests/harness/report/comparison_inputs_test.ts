import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import {
  changedInputs,
  INPUTS_FILE,
  parseInputsRecord,
} from "../../../src/harness/report/comparison_inputs.ts";
import { readText } from "../../../src/harness/run/completeness.ts";
import { PROJECT_ROOT } from "../../../src/project.ts";

/** The committed `comparison.csv` files under results/reference/. */
async function committedTables(): Promise<string[]> {
  const { stdout } = await new Deno.Command("git", {
    args: ["ls-files", "results/reference/**/comparison.csv", "results/reference/*/comparison.csv"],
    cwd: PROJECT_ROOT,
  }).output();
  return [...new Set(new TextDecoder().decode(stdout).split("\n").filter((l) => l !== ""))];
}

Deno.test("every committed comparison records its inputs, and they are the committed files (no stale note in a fresh clone)", async () => {
  const tables = await committedTables();
  assert.ok(tables.length >= 19, tables.join(" "));
  for (const table of tables) {
    const dir = join(PROJECT_ROOT, dirname(table));
    const text = await Deno.readTextFile(join(dir, INPUTS_FILE)).catch(() => undefined);
    assert.ok(text !== undefined, `${table}: no ${INPUTS_FILE}: regenerate it (docs/serve.md)`);
    const record = parseInputsRecord(text);
    const csv = await Deno.readTextFile(join(PROJECT_ROOT, table));
    const names = new Set(
      csv.split("\n").slice(1).filter((l) => l !== "").map((l) => l.split(",")[0]),
    );
    assert.deepEqual(Object.keys(record.experiments).sort(), [...names].sort(), table);
    for (const name of names) {
      assert.deepEqual(await changedInputs(record, dir, name!, readText), [], `${table}: ${name}`);
    }
  }
});
