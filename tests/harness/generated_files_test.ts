import assert from "node:assert/strict";
import { GENERATED_FILES, generatedText } from "../../src/harness/generated_files.ts";

const ROOT = new URL("../../", import.meta.url);

for (const file of GENERATED_FILES) {
  Deno.test(`${file.path} equals a fresh generation (deno task schema)`, async () => {
    assert.equal(
      await Deno.readTextFile(new URL(file.path, ROOT)),
      await generatedText(file),
      `${file.path} is stale: run deno task schema`,
    );
  });
}

Deno.test("generated files: schema.json, the settings' types and their reference page", () => {
  assert.deepEqual(GENERATED_FILES.map((f) => f.path), [
    "experiments/schema.json",
    "src/settings/task.ts",
    "src/settings/agent.ts",
    "src/settings/experiment.ts",
    "docs/settings.md",
  ]);
});
