import assert from "node:assert/strict";
import { join } from "node:path";
import { overlay } from "../../src/experiment/extends.ts";
import { explainExperiment, loadExperiment } from "../../src/experiment/load.ts";
import { renamedResolved } from "../../src/experiment/renamed_results.ts";
import type { ExperimentError } from "../../src/experiment/source.ts";
import { PROJECT_ROOT } from "../../src/project.ts";

const dir = Deno.makeTempDirSync({ prefix: "rl2lab-extends-" });
const write = (name: string, data: unknown) =>
  Deno.writeTextFileSync(join(dir, name), `// ${name}\n${JSON.stringify(data, null, 2)}\n`);
const base = {
  name: "base",
  task: { kind: "bandit", arms: 3, episodes: 4 },
  seeds: [0, 1],
  agents: {
    rl2: { kind: "rl2", policy: { gru: 8 }, sampling: { iterations: 2, batch_timesteps: 40 } },
    ucb1: { kind: "ucb1" },
  },
  evaluation: { tasks: 10, every: 1 },
};

Deno.test("overlay(): objects merge, other values replace, null removes, extends is dropped", () => {
  const parent = { a: { x: 1, y: [1, 2] }, b: "p", c: 3 };
  const child = { extends: "p.jsonc", a: { y: [3] }, b: "c", c: null, d: true };
  assert.deepEqual(overlay(parent, child), { a: { x: 1, y: [3] }, b: "c", d: true });
  assert.deepEqual(parent, { a: { x: 1, y: [1, 2] }, b: "p", c: 3 }, "the parent is untouched");
});

Deno.test("a file that extends another resolves to the experiment spelt out in full", async () => {
  write("base.jsonc", base);
  write("child.jsonc", {
    extends: "base.jsonc",
    name: "child",
    agents: { rl2: { policy: { gru: 16 } }, ucb1: null },
  });
  write("full.jsonc", {
    ...base,
    name: "child",
    agents: { rl2: { ...base.agents.rl2, policy: { gru: 16 } } },
  });
  const child = await loadExperiment(join(dir, "child.jsonc"));
  const full = await loadExperiment(join(dir, "full.jsonc"));
  assert.equal(child.hash, full.hash);
  assert.equal(child.parent, join(dir, "base.jsonc"));
  assert.equal(full.parent, undefined);
  const explained = await explainExperiment(join(dir, "child.jsonc"));
  assert.match(explained, /changes 3 fields of .*base\.jsonc:/);
  assert.match(explained, /agents\.rl2\.policy\.gru: 8 vs 16/);
  assert.match(explained, /agents\.ucb1: \{.*"kind":"ucb1".*\} vs absent/);
  assert.match(explained, /name: "base" vs "child"/);
});

Deno.test("extends: a missing parent, a circle and an invalid inherited value are named", async () => {
  write("orphan.jsonc", { extends: "nowhere.jsonc", name: "orphan" });
  await assert.rejects(loadExperiment(join(dir, "orphan.jsonc")), (e: ExperimentError) => {
    assert.match(e.message, /nowhere\.jsonc: no such file/);
    return true;
  });
  write("a.jsonc", { extends: "b.jsonc", name: "a" });
  write("b.jsonc", { extends: "a.jsonc", name: "b" });
  await assert.rejects(loadExperiment(join(dir, "a.jsonc")), /extends this file again/);
  write("bad.jsonc", {
    extends: "base.jsonc",
    name: "bad",
    agents: { rl2: { policy: { gru: 0 } } },
  });
  await assert.rejects(loadExperiment(join(dir, "bad.jsonc")), /agents\.rl2\.policy\.gru/);
  write("number.jsonc", { extends: 3, name: "n" });
  await assert.rejects(loadExperiment(join(dir, "number.jsonc")), /expected the path/);
});

Deno.test("the quick and fast paper files extend their paper file and resolve as their committed results", async () => {
  const resolvedOf = async (name: string) =>
    await Deno.readTextFile(
      join(PROJECT_ROOT, "results/reference", name, "experiment.resolved.json"),
    )
      .then((text) => text.trim(), () => undefined);
  let checked = 0;
  for (const tier of ["quick", "fast"]) {
    for (const table of ["table1", "table2"]) {
      const folder = join(PROJECT_ROOT, "experiments/paper", tier, table);
      for (const entry of Deno.readDirSync(folder)) {
        const experiment = await loadExperiment(join(folder, entry.name));
        assert.equal(
          experiment.parent,
          join(PROJECT_ROOT, "experiments/paper", table, entry.name),
          `${tier}/${table}/${entry.name} extends its paper file`,
        );
        const committed = await resolvedOf(experiment.config.name);
        if (committed === undefined) continue;
        // The reference run records the backend it ran on, which may override the file's; the
        // committed file keeps the spelling of its day, read in today's (renames.ts).
        const { backend: _ours, ...ours } = experiment.config;
        const { backend: _theirs, ...theirs } = JSON.parse(renamedResolved(committed));
        assert.deepEqual(ours, theirs, `${experiment.config.name} resolves as before`);
        checked++;
      }
    }
  }
  assert.ok(checked >= 18, `only ${checked} files have committed results to compare with`);
});
