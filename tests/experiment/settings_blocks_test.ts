import assert from "node:assert/strict";
import { taskSchema } from "../../src/envs/registry.ts";
import { BLOCKS } from "../../src/experiment/settings_blocks.ts";
import { LEARNERS } from "../../src/learners/registry.ts";

/** The blocks every on-policy learner shares, listed once for all of them. */
const SHARED = ["kind", "policy", "sampling", "value"];

Deno.test("BLOCKS documents every task kind and every learner's own block, so settings.md misses none", () => {
  for (const option of taskSchema.options) {
    const kind = option.shape.kind.value;
    assert.ok(
      BLOCKS.some((b) => b.path === "task" && b.schema === option),
      `task kind "${kind}" has no block in settings_blocks.ts`,
    );
  }
  for (const learner of LEARNERS) {
    const shape = (learner.schema as unknown as { shape: Record<string, unknown> }).shape;
    for (const section of Object.keys(shape).filter((key) => !SHARED.includes(key))) {
      assert.ok(
        BLOCKS.some((b) => b.path === `agents.NAME.${section}`),
        `${learner.kind}'s block "${section}" has no block in settings_blocks.ts`,
      );
    }
  }
});
