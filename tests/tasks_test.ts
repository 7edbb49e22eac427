import assert from "node:assert/strict";
import { join } from "node:path";
import { PROJECT_ROOT } from "../src/project.ts";
import { INSTALLED_MARKER, installNote, lockedPackages } from "../src/harness/install_note.ts";

interface DenoJson {
  tasks: Record<string, unknown>;
  nodeModulesDir?: string;
  allowScripts?: { allow?: unknown; deny?: string[] };
}

const denoJson = (): Promise<DenoJson> =>
  Deno.readTextFile(join(PROJECT_ROOT, "deno.json")).then((t) => JSON.parse(t));

/** What every task runs first: the first-install note, then the quiet, locked install. */
const INSTALL =
  "deno run --allow-read=deno.lock,node_modules src/harness/install_note.ts && deno install -q --frozen && ";

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

Deno.test("every task installs the locked dependencies first, quietly, announcing only a first install", async () => {
  const config = await denoJson();
  // With "auto", `deno task` installs by itself before the task's own quiet install, printing
  // a line per package and the build-scripts warning.
  assert.equal(config.nodeModulesDir, "manual");
  for (const [name, task] of Object.entries(config.tasks)) {
    const { command } = task as { command: string };
    assert.ok(command.startsWith(INSTALL), `${name}: ${command}`);
  }
});

Deno.test("deno.json declares the install scripts it does not run: those of every package deno.lock marks", async () => {
  const lock = JSON.parse(await Deno.readTextFile(join(PROJECT_ROOT, "deno.lock"))) as {
    npm: Record<string, { scripts?: boolean }>;
  };
  const withScripts = Object.entries(lock.npm)
    .filter(([, entry]) => entry.scripts === true)
    .map(([id]) => `npm:${/^(@?[^@]+)@/.exec(id)![1]}`);
  const { allowScripts } = await denoJson();
  assert.equal(allowScripts?.allow, undefined, "no install script runs");
  assert.deepEqual([...(allowScripts?.deny ?? [])].sort(), [...new Set(withScripts)].sort());
});

Deno.test("installNote() says what the first install downloads, and nothing once installed", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      join(dir, "deno.lock"),
      JSON.stringify({ version: "5", npm: { "a@1.0.0": {}, "b@2.0.0": {}, "c@3.0.0": {} } }),
    );
    const note = await installNote(dir);
    assert.match(
      note ?? "",
      /^Installing the 3 npm packages deno\.lock pins \(once\): about \d+ MB/,
    );
    assert.equal(note!.split("\n").length, 1);
    await Deno.mkdir(join(dir, "node_modules", ".deno"), { recursive: true });
    await Deno.writeTextFile(join(dir, INSTALLED_MARKER), "");
    assert.equal(await installNote(dir), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lockedPackages() counts the npm packages of a lock file", async () => {
  assert.equal(lockedPackages("{}"), 0);
  const text = await Deno.readTextFile(join(PROJECT_ROOT, "deno.lock"));
  assert.ok(lockedPackages(text) > 100);
});
