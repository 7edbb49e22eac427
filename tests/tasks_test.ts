import assert from "node:assert/strict";
import { join } from "node:path";
import { PROJECT_ROOT } from "../src/project.ts";

interface DenoJson {
  tasks: Record<string, unknown>;
}

const denoJson = (): Promise<DenoJson> =>
  Deno.readTextFile(join(PROJECT_ROOT, "deno.json")).then((t) => JSON.parse(t));

Deno.test("every task of deno.json has a description and a command (deno task lists them)", async () => {
  const { tasks } = await denoJson();
  assert.ok(Object.keys(tasks).length > 0);
  for (const [name, task] of Object.entries(tasks)) {
    assert.equal(typeof task, "object", `${name}: a bare command line, without a description`);
    const { description, command } = task as { description?: unknown; command?: unknown };
    assert.equal(typeof description, "string", `${name}: no description`);
    assert.ok((description as string).trim().length > 0, `${name}: empty description`);
    assert.equal(typeof command, "string", `${name}: no command`);
  }
});
